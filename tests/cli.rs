//! The commands as a user runs them: the real binary, its output and exit status.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

use std::process::{Command, Output};

fn linkj(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_linkj"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("LINKJ_CONFIG", "/dev/null")
        .output()
        .expect("run linkj")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn check_prints_summary_and_succeeds() {
    let o = linkj(&["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(
        s.contains("15 partnerships described, ordinals 1-16"),
        "{s}"
    );
    assert!(
        s.contains("signed from 2016-05 (ucsd) to 2021-02-05 (mpr; inferred)"),
        "{s}"
    );
    assert!(s.contains("  Japan            7  日本"), "{s}");
    assert!(s.contains("  Local government           4  自治体"), "{s}");
    assert!(s.contains("warning: ordinal 15 is missing"), "{s}");
}

#[test]
fn list_is_an_aligned_table_in_date_order_with_the_gap() {
    let o = linkj(&["list"]);
    assert!(o.status.success());
    let s = stdout(&o);
    let lines: Vec<&str> = s.lines().collect();
    // The header, 15 partners and the gap, a blank line, what the 15th is deduced to
    // be, a blank line and the markers' legend.
    assert_eq!(lines.len(), 21, "{s}");
    assert!(lines[1].contains("University of California San Diego"));
    assert!(lines[15].starts_with("15   ?"), "{}", lines[15]);
    assert!(lines[16].contains("Medicen Paris Region"));
    assert!(lines[18].starts_with("No. 15: deduced (inferred)"), "{s}");
    assert!(lines[20].starts_with("* inferred, ! sources disagree"));
    // Every region column starts at the same cell.
    let col = |l: &str| {
        l.find("Europe")
            .or(l.find("Japan"))
            .or(l.find("North America"))
    };
    let cols: Vec<usize> = lines[1..17].iter().filter_map(|l| col(l)).collect();
    assert!(cols.windows(2).all(|w| w[0] == w[1]), "{s}");
}

#[test]
fn japanese_list_lines_up_by_display_width() {
    let o = linkj(&["list", "--lang", "ja"]);
    let s = stdout(&o);
    let cols: Vec<usize> = s
        .lines()
        // The table's rows (not the 15th's deduction below it).
        .filter(|l| !l.starts_with("No. "))
        .filter(|l| l.contains("北米") || l.contains("欧州") || l.contains("日本"))
        .map(|l| {
            let at = ["北米", "欧州", "日本"]
                .iter()
                .filter_map(|k| l.find(k))
                .min()
                .unwrap_or(0);
            unicode_width::UnicodeWidthStr::width(&l[..at])
        })
        .collect();
    assert!(cols.len() >= 15, "{s}");
    assert!(cols.windows(2).all(|w| w[0] == w[1]), "{s}");
}

#[test]
fn list_json_has_the_documented_fields() {
    let o = linkj(&["list", "--json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    let a = v.as_array().expect("array");
    // The 15 partners, and the row of the missing 15th (tests/public_record.rs).
    assert_eq!(a.len(), 16);
    assert_eq!(a.iter().filter(|e| e["gap"] == true).count(), 1);
    let ucla = a.iter().find(|e| e["id"] == "ucla").expect("ucla");
    assert_eq!(ucla["ordinal"], 10);
    assert_eq!(ucla["name_ja"], "カリフォルニア大学ロサンゼルス校");
    assert_eq!(ucla["short"], "UCLA");
    assert_eq!(ucla["country"], "US");
    assert_eq!(ucla["region"], "North America");
    assert_eq!(ucla["kind"], "university");
    assert_eq!(ucla["signed"], "2019-06-03");
    let biocom = a.iter().find(|e| e["id"] == "biocom").expect("biocom");
    assert!(biocom["short"].is_null());
    assert_eq!(biocom["signed"], "2016-05");
}

#[test]
fn list_filters_accept_ids_and_labels_in_either_language() {
    for region in ["europe", "Europe", "EUROPE", "欧州"] {
        let o = linkj(&["list", "--json", "--region", region]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        let ids: Vec<&str> = v
            .as_array()
            .expect("a")
            .iter()
            .map(|e| e["id"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(
            ids,
            ["eurobiomed", "one-nucleus", "medcity", "oui", "mpr"],
            "{region}"
        );
    }
    let o = linkj(&["list", "--json", "--kind", "自治体", "--region", "japan"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v.as_array().expect("a").len(), 4);
    let o = linkj(&[
        "list",
        "--json",
        "--kind",
        "local government",
        "--region",
        "europe",
    ]);
    assert_eq!(stdout(&o).trim(), "[]");
}

#[test]
fn unknown_filter_value_lists_the_valid_ones() {
    let o = linkj(&["list", "--region", "asia"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.starts_with(
            "linkj: unknown region \"asia\"; valid regions are: japan (Japan / 日本), north-america"
        ),
        "{e}"
    );
    assert_eq!(e.lines().count(), 1);
}

#[test]
fn bad_data_file_is_one_sentence_and_exit_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("broken.ron");
    std::fs::write(
        &f,
        "Dataset(\n    title: (ja: \"x\", en: \"y\"),\n    as_of: 2021,\n)",
    )
    .expect("write");
    let o = linkj(&["check", "--data", f.to_str().expect("path")]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("broken.ron:3:12: "), "{e}");
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(!e.contains("panicked"));
}

#[test]
fn other_dataset_via_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("one.ron");
    std::fs::write(&f, include_str!("fixtures/minimal.ron")).expect("write");
    let o = linkj(&["list", "--data", f.to_str().expect("path")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.contains("Example University"), "{s}");
    assert_eq!(s.lines().count(), 3);
}

#[test]
fn search_prints_ranked_lines_without_escapes_in_a_pipe() {
    let o = linkj(&["search", "ucla"]);
    assert!(o.status.success());
    let s = stdout(&o);
    assert!(
        s.lines().next().is_some_and(|l| l.contains("(UCLA)")),
        "{s}"
    );
    assert!(!s.contains('\x1b'), "no escapes when stdout is a pipe");
    let o = linkj(&["search", "オックスフォード"]);
    assert!(
        stdout(&o)
            .lines()
            .next()
            .is_some_and(|l| l.contains("Oxford University Innovation"))
    );
}

#[test]
fn search_json_has_id_score_and_list_fields() {
    let o = linkj(&["search", "france", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let a = v.as_array().expect("array");
    assert!(a.len() >= 2);
    for e in &a[..2] {
        assert_eq!(e["country"], "FR");
        assert!(e["score"].as_i64().is_some());
        assert!(e["id"].is_string() && e["name_ja"].is_string() && e["signed"].is_string());
    }
    assert!(a[0]["score"].as_i64() >= a[a.len() - 1]["score"].as_i64());
}

#[test]
fn search_with_no_match_exits_1_with_one_line() {
    let o = linkj(&["search", "zzzzqqq"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o).trim(), "linkj: nothing matches \"zzzzqqq\"");
    assert!(stdout(&o).is_empty());
}

#[test]
fn search_honours_filters() {
    let o = linkj(&["search", "california", "--region", "europe"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let o = linkj(&["search", "univ", "--region", "europe"]);
    let s = stdout(&o);
    assert!(
        s.contains("Oxford University Innovation") && !s.contains("California"),
        "{s}"
    );
}

#[test]
fn show_prints_the_card_within_80_columns() {
    let o = linkj(&["show", "横浜"]);
    assert!(o.status.success());
    let s = stdout(&o);
    assert!(s.starts_with("City of Yokohama\n横浜市\n"), "{s}");
    for want in [
        "Signed   2019-08-30 (exact day)",
        "Term     5 years",
        "Akio Ozawa (小澤明夫)",
        "002_ca13eba282a6aa48.txt",
    ] {
        assert!(s.contains(want), "missing {want:?}: {s}");
    }
    assert!(
        s.lines()
            .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 80),
        "{s}"
    );
    let o = linkj(&["show", "横浜", "--lang", "ja"]);
    assert!(stdout(&o).contains("締結   2019年8月30日"));
}

#[test]
fn show_json_is_the_whole_entry() {
    let o = linkj(&["show", "kobe", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["id"], "fbri-kobe");
    assert_eq!(v["signed"], "2018-01");
    assert_eq!(v["notes"][0]["kind"], "Conflict");
    assert!(v["scope"].as_array().is_some_and(|a| a.len() == 3));
}

#[test]
fn browser_without_a_terminal_points_to_the_commands() {
    for args in [&[][..], &["ucla"][..]] {
        let o = linkj(args);
        assert_eq!(o.status.code(), Some(1));
        let e = stderr(&o);
        assert!(
            e.contains("the browser needs a terminal") && e.contains("linkj list"),
            "{e}"
        );
    }
}

fn ids_with_status(as_of: &str, status: &str) -> Vec<String> {
    let o = linkj(&["list", "--json", "--as-of", as_of, "--status", status]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    v.as_array()
        .expect("array")
        .iter()
        .map(|e| {
            assert_eq!(e["status"], status, "{e}");
            e["id"].as_str().expect("id").to_string()
        })
        .collect()
}

#[test]
fn list_status_follows_the_stated_terms_and_the_day_asked_about() {
    // UCLA (2019-06-03) and Yokohama (2019-08-30) state five-year terms.
    assert_eq!(
        ids_with_status("2019-09-01", "active"),
        ["ucla", "yokohama"]
    );
    // UCLA's term ends 2024-06-02: from 2023-12-03 it is ending.
    assert_eq!(ids_with_status("2023-12-03", "ending"), ["ucla"]);
    assert_eq!(ids_with_status("2024-06-03", "past_term"), ["ucla"]);
    // No term stated: unknown, whatever the day.
    let unknown = ids_with_status("2019-09-01", "unknown");
    assert!(unknown.contains(&"ucsd".to_string()), "{unknown:?}");
    assert!(!unknown.contains(&"ucla".to_string()), "{unknown:?}");
    // MPR's signing date is only the earliest possible one: never past its term.
    assert!(!ids_with_status("2026-11-22", "past_term").contains(&"mpr".to_string()));
    assert!(ids_with_status("2026-11-22", "unknown").contains(&"mpr".to_string()));
}

#[test]
fn list_json_carries_term_and_status() {
    let o = linkj(&["list", "--json", "--as-of", "2020-01-01"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    let ucla = v
        .as_array()
        .expect("array")
        .iter()
        .find(|e| e["id"] == "ucla")
        .expect("ucla")
        .clone();
    assert_eq!(ucla["term_years"], 5);
    assert_eq!(ucla["term_end"], "2024-06-02");
    assert_eq!(ucla["status"], "active");
}

#[test]
fn bad_status_and_bad_as_of_are_one_line_each() {
    let o = linkj(&["list", "--status", "soon"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(
        e.contains("unknown status \"soon\"") && e.contains("active, ending, past_term, unknown"),
        "{e}"
    );
    let o = linkj(&["list", "--as-of", "2024-13-01"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--as-of"), "{}", stderr(&o));
}

#[test]
fn show_markdown_is_a_summary_for_notes() {
    let o = linkj(&["show", "ucla", "--markdown", "--as-of", "2025-01-01"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let md = stdout(&o);
    assert!(
        md.starts_with("## University of California, Los Angeles\n"),
        "{md}"
    );
    for want in [
        "*カリフォルニア大学ロサンゼルス校*",
        "- **Signed:** 2019-06-03",
        "- **Place:** Los Angeles, California, United States (US)",
        "- **Term:** 5 years, to 2024-06-02: past its stated term (renewal not recorded) (as of 2025-01-01)",
        "### Scope",
        "- Exchange of publications, materials and information",
        "### Sources",
        "003\\_b05a6d7050e9df95.txt",
    ] {
        assert!(md.contains(want), "missing {want:?} in\n{md}");
    }
    // Japanese too.
    let o = linkj(&[
        "show",
        "ucla",
        "--markdown",
        "--lang",
        "ja",
        "--as-of",
        "2025-01-01",
    ]);
    let md = stdout(&o);
    assert!(
        md.starts_with("## カリフォルニア大学ロサンゼルス校\n"),
        "{md}"
    );
    assert!(md.contains("- **締結:** 2019年6月3日"), "{md}");
}

#[test]
fn show_card_says_when_the_term_ends() {
    let o = linkj(&["show", "yokohama", "--as-of", "2024-05-01"]);
    let card = stdout(&o);
    assert!(
        card.contains("Term     5 years, to 2024-08-29: ending"),
        "{card}"
    );
    let o = linkj(&["show", "ucsd", "--as-of", "2024-05-01"]);
    assert!(stdout(&o).contains("Term     not stated in the sources"));
}

/// Every command that writes, as a user would pipe it.
const WRITERS: &[&[&str]] = &[
    &["list"],
    &["list", "--json"],
    &["search", "osaka"],
    &["search", "osaka", "--json"],
    &["show", "kobe"],
    &["show", "kobe", "--json"],
    &["show", "kobe", "--markdown"],
    &["check"],
    &["gen", "--count", "3"],
    &["--help"],
    &["--version"],
];

/// Runs linkj with its stdout a pipe whose reader reads `keep` bytes and then closes it.
fn into_closed_pipe(args: &[&str], keep: usize) -> Output {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_linkj"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run linkj");
    let mut out = child.stdout.take().expect("stdout");
    let mut buf = vec![0; keep];
    out.read_exact(&mut buf).expect("first bytes");
    drop(out);
    child.wait_with_output().expect("wait")
}

#[test]
fn a_reader_that_goes_away_stops_every_command_quietly() {
    // Reading nothing: the pipe is closed before linkj writes (like `linkj list | true`).
    for args in WRITERS {
        let o = into_closed_pipe(args, 0);
        assert!(o.status.success(), "{args:?}: {o:?}");
        assert_eq!(stderr(&o), "", "{args:?}");
    }
}

#[test]
fn head_on_a_large_listing_stops_it_quietly() {
    // Larger than any pipe buffer, so linkj is still writing when `head -1` leaves.
    let dir = tempfile::tempdir().expect("tempdir");
    let big = dir.path().join("big.ron");
    let g = linkj(&["gen", "--count", "20000"]);
    assert!(g.status.success());
    std::fs::write(&big, &g.stdout).expect("write");
    let big = big.to_str().expect("utf-8 path");
    for args in [
        &["list", "--data", big][..],
        &["list", "--json", "--data", big],
        &["search", "o", "--data", big],
        &["gen", "--count", "20000"],
    ] {
        let o = into_closed_pipe(args, 100);
        assert!(o.status.success(), "{args:?}: {o:?}");
        assert_eq!(stderr(&o), "", "{args:?}");
    }
}

#[test]
fn a_full_disk_is_one_line_and_exit_1() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    for args in WRITERS {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("open /dev/full");
        let o = Command::new(env!("CARGO_BIN_EXE_linkj"))
            .args(*args)
            .env("NO_COLOR", "1")
            .stdout(full)
            .output()
            .expect("run linkj");
        assert_eq!(o.status.code(), Some(1), "{args:?}: {o:?}");
        assert_eq!(
            stderr(&o),
            "linkj: cannot write to standard output: no space left on device\n",
            "{args:?}"
        );
    }
}

/// Address space a run of linkj may use in the tests below: far more than any small
/// file needs, far less than a table sized by a number in the file.
const MEMORY_CAP: u64 = 512 << 20;

/// Runs linkj with its address space capped at [`MEMORY_CAP`]; killed (and the test
/// failed) if it has not finished within ten seconds.
fn linkj_capped(args: &[&str]) -> Output {
    use std::io::Read;
    use std::os::unix::process::CommandExt;
    use std::process::Stdio;
    use std::time::{Duration, Instant};

    let mut cmd = Command::new(env!("CARGO_BIN_EXE_linkj"));
    cmd.args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: between fork and exec the closure only calls setrlimit, which is
    // async-signal-safe, on a value on its own stack.
    unsafe {
        cmd.pre_exec(|| {
            let cap = libc::rlimit {
                rlim_cur: MEMORY_CAP as libc::rlim_t,
                rlim_max: MEMORY_CAP as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &cap) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    let mut child = cmd.spawn().expect("run linkj");
    // Read both pipes while waiting, so a full pipe cannot stall the child.
    let drain = |r: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("linkj {args:?} was still running after 10 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().expect("stdout"),
        stderr: err.join().expect("stderr"),
    }
}

/// The minimal fixture with its second partner numbered 4,000,000,000 and a gap
/// declared in between: a 1.5 kB file.
fn huge_ordinal_file(dir: &tempfile::TempDir) -> String {
    let text = include_str!("fixtures/minimal.ron")
        .replacen("ordinal: 2,", "ordinal: 4000000000,", 1)
        .replacen(
            "    partners: [",
            "    gaps: [(ordinal: 3000000000, note: \"Declared.\")],\n    partners: [",
            1,
        );
    let f = dir.path().join("huge-ordinal.ron");
    std::fs::write(&f, text).expect("write");
    f.to_str().expect("path").to_string()
}

#[test]
fn a_huge_ordinal_takes_memory_by_the_file_not_by_its_value() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = huge_ordinal_file(&dir);
    let o = linkj_capped(&["check", "--data", &f]);
    assert!(o.status.success(), "{:?}: {}", o.status, stderr(&o));
    let s = stdout(&o);
    assert!(
        s.contains("2 partnerships described, ordinals 1-4000000000"),
        "{s}"
    );
    // One warning per run of missing ordinals; the declared gap keeps its own, with
    // its note.
    assert!(s.contains("warnings, ordinal gaps (3):"), "{s}");
    for w in [
        "warning: ordinals 2-2999999999 are missing: no entry describes those 2999999998 partnerships",
        "warning: ordinal 3000000000 is missing: no entry describes that partnership (Declared.)",
        "warning: ordinals 3000000001-3999999999 are missing: no entry describes those 999999999 partnerships",
    ] {
        assert!(s.contains(w), "{w}\n{s}");
    }

    // `list` has one row per run, where it falls.
    let o = linkj_capped(&["list", "--data", &f]);
    assert!(o.status.success(), "{:?}: {}", o.status, stderr(&o));
    let s = stdout(&o);
    let first: Vec<&str> = s
        .lines()
        .map(|l| l.split_whitespace().next().unwrap_or(""))
        .collect();
    assert_eq!(
        first,
        [
            "No.",
            "1",
            "2-2999999999",
            "3000000000",
            "3000000001-3999999999",
            "4000000000"
        ],
        "{s}"
    );
    assert!(s.contains("3000000000  ?  "), "{s}");

    // The other commands read the same file under the same cap.
    for args in [
        &["list", "--json"][..],
        &["list", "--lang", "ja"][..],
        &["search", "example"][..],
        &["show", "Example Co"][..],
        &["show", "--json", "Example Co"][..],
    ] {
        let mut args = args.to_vec();
        args.extend(["--data", &f]);
        let o = linkj_capped(&args);
        assert!(
            o.status.success(),
            "{args:?}: {:?}: {}",
            o.status,
            stderr(&o)
        );
        assert!(
            stdout(&o).contains("4000000000"),
            "{args:?}: {}",
            stdout(&o)
        );
    }
}
