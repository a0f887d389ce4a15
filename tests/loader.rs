//! The loader: the embedded dataset is valid and says what it should; every bad input
//! gives one located sentence, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

use std::io::Write;

use linkj::data::{self, LoadError, Precision, WarningKind};

fn embedded() -> data::Loaded {
    data::load_embedded().expect("the embedded dataset must load")
}

/// The embedded dataset with `from` replaced by `to` (exactly once).
fn variant(from: &str, to: &str) -> String {
    assert_eq!(
        data::EMBEDDED_RON.matches(from).count(),
        1,
        "{from:?} must occur once"
    );
    data::EMBEDDED_RON.replacen(from, to, 1)
}

fn err(text: &str) -> LoadError {
    data::load_str(text, "test.ron").expect_err("must be rejected")
}

fn msg(text: &str) -> String {
    err(text).to_string()
}

#[test]
fn embedded_dataset_has_every_partnership_in_order() {
    let l = embedded();
    let ds = &l.dataset;
    let ordinals: Vec<u32> = ds
        .partners
        .as_slice()
        .unwrap()
        .iter()
        .map(|p| p.ordinal)
        .collect();
    assert_eq!(
        ordinals,
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16]
    );
    let regions: Vec<&str> = ds.regions.iter().map(|r| r.en.as_str()).collect();
    assert_eq!(regions, ["Japan", "North America", "Europe"]);
    let kinds: Vec<&str> = ds.kinds.iter().map(|k| k.id.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "university",
            "research-institute",
            "cluster",
            "local-government",
            "research-park",
            "foundation",
            "tech-transfer"
        ]
    );
    assert_eq!(ds.hub.short, "LINK-J");
    assert_eq!(ds.hub.chair.name.ja, "岡野栄之");
}

#[test]
fn embedded_dataset_keeps_stated_facts() {
    let ds = embedded().dataset;
    let p = |id: &str| {
        ds.partners
            .as_slice()
            .unwrap()
            .iter()
            .find(|p| p.id == id)
            .expect(id)
            .clone()
    };
    // Stated ordinals.
    assert_eq!(p("ucla").ordinal, 10);
    assert_eq!(p("yokohama").ordinal, 11);
    assert_eq!(p("osaka").ordinal, 13);
    assert_eq!(p("kanagawa").ordinal, 14);
    assert_eq!(p("mpr").ordinal, 16);
    // Dates in their real precision.
    assert_eq!(p("ucsd").signed.precision, Precision::Month);
    assert_eq!(p("yokohama").signed.to_string(), "2019-08-30");
    assert_eq!(p("osaka").signed.to_string(), "2020-09-07");
    // Every entry cites at least one source, and every person has both name forms.
    for e in &ds.partners {
        assert!(!e.sources.is_empty(), "{} has no source", e.id);
        for person in &e.people {
            assert!(!person.name.ja.is_empty() && !person.name.en.is_empty());
        }
    }
    assert_eq!(p("yokohama").term_years, Some(5));
    assert_eq!(p("krp").short.as_deref(), Some("KRP"));
}

#[test]
fn conflicts_inferences_and_the_gap_are_reported() {
    let l = embedded();
    let gaps: Vec<_> = l
        .warnings
        .iter()
        .filter(|w| w.kind == WarningKind::Gap)
        .collect();
    assert_eq!(gaps.len(), 1);
    assert!(gaps[0].message.starts_with("ordinal 15 is missing"));
    let kobe = l
        .warnings
        .iter()
        .find(|w| {
            w.partner.as_deref() == Some("fbri-kobe")
                && w.kind == WarningKind::Conflict
                && w.message.starts_with("signed:")
        })
        .expect("Kobe date conflict");
    assert!(kobe.message.contains("2018年1月") && kobe.message.contains("2018年2月"));
    assert!(
        l.warnings
            .iter()
            .any(|w| w.partner.as_deref() == Some("mpr")
                && w.kind == WarningKind::Inferred
                && w.message.starts_with("signed:"))
    );
}

#[test]
fn missing_file_directory_and_empty_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope.ron");
    let e = data::load_file(&missing).expect_err("missing").to_string();
    assert!(
        e.ends_with("nope.ron: cannot read the dataset: no such file"),
        "{e}"
    );

    let e = data::load_file(dir.path()).expect_err("dir").to_string();
    assert!(e.ends_with(": is a directory, not a dataset file"), "{e}");

    let empty = dir.path().join("empty.ron");
    std::fs::write(&empty, "  \n").expect("write");
    let e = data::load_file(&empty).expect_err("empty").to_string();
    assert!(
        e.ends_with("empty.ron: the file is empty; a dataset starts with `Dataset(`"),
        "{e}"
    );
}

#[test]
fn invalid_utf8_and_binary_garbage_name_the_byte() {
    let mut bytes = b"Dataset(\n  title: (ja: \"".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe, 0x00]);
    let e = data::load_bytes(&bytes, "bad.ron")
        .expect_err("utf8")
        .to_string();
    assert_eq!(
        e,
        "bad.ron:2:16: the file is not UTF-8 text (invalid byte here)"
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let garbage = dir.path().join("garbage.ron");
    let mut f = std::fs::File::create(&garbage).expect("create");
    let junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    f.write_all(&junk).expect("write");
    let e = data::load_file(&garbage).expect_err("garbage").to_string();
    assert!(e.contains("garbage.ron:1:"), "{e}");
}

#[test]
fn truncated_ron_says_it_ends_too_early() {
    // Cut near the middle, on a char boundary.
    let cut = (0..=data::EMBEDDED_RON.len() / 2)
        .rev()
        .find(|i| data::EMBEDDED_RON.is_char_boundary(*i))
        .unwrap_or(0);
    let e = msg(&data::EMBEDDED_RON[..cut]);
    assert!(e.starts_with("test.ron:"), "{e}");
    assert!(
        e.contains("ends too early") || e.contains("expected"),
        "{e}"
    );
}

#[test]
fn wrong_type_is_located() {
    let e = err(&variant("ordinal: 13,", "ordinal: \"thirteen\","));
    match e {
        LoadError::Parse { line, message, .. } => {
            let expected = data::EMBEDDED_RON
                .lines()
                .position(|l| l.contains("ordinal: 13,"))
                .expect("line")
                + 1;
            assert_eq!(line, expected);
            assert!(message.contains("expected"), "{message}");
        }
        other => panic!("wrong error: {other}"),
    }
}

#[test]
fn unknown_field_is_named() {
    let e = msg(&variant("ordinal: 13,", "ordinal: 13, colour: \"red\","));
    assert!(e.contains("colour"), "{e}");
    assert!(e.starts_with("test.ron:"), "{e}");
}

#[test]
fn missing_field_is_named() {
    let e = msg(&variant("            kind: \"tech-transfer\",\n", ""));
    assert!(e.contains("kind"), "{e}");
}

#[test]
fn duplicate_id_points_at_the_second_entry() {
    let e = msg(&variant("id: \"osaka\"", "id: \"kanagawa\""));
    assert!(
        e.contains("the id \"kanagawa\" is used by two partners"),
        "{e}"
    );
    let second = data::EMBEDDED_RON
        .lines()
        .position(|l| l.contains("id: \"kanagawa\""))
        .expect("l")
        + 1;
    assert!(e.starts_with(&format!("test.ron:{second}:")), "{e}");
}

#[test]
fn duplicate_ordinal_is_rejected() {
    let e = msg(&variant("ordinal: 13,", "ordinal: 12,"));
    assert!(e.contains("ordinal 12, already used by"), "{e}");
}

#[test]
fn undeclared_region_and_kind_list_the_declared_ones() {
    let e = msg(&variant(
        "region: \"north-america\",\n            place: (ja: \"米国カリフォルニア州ロサンゼルス\"",
        "region: \"asia\",\n            place: (ja: \"米国カリフォルニア州ロサンゼルス\"",
    ));
    assert!(e.contains("region \"asia\", which the dataset does not declare (declared: japan, north-america, europe)"), "{e}");
    let e = msg(&variant("kind: \"tech-transfer\"", "kind: \"company\""));
    assert!(e.contains("kind \"company\""), "{e}");
}

#[test]
fn invalid_dates_are_rejected_with_the_value() {
    let e = msg(&variant("signed: \"2019-08-30\"", "signed: \"2019-02-30\""));
    assert!(e.contains("invalid date \"2019-02-30\""), "{e}");
    let e = msg(&variant(
        "signed: \"2019-08-30\"",
        "signed: \"August 2019\"",
    ));
    assert!(e.contains("expected YYYY, YYYY-MM or YYYY-MM-DD"), "{e}");
}

#[test]
fn ordinals_must_follow_dates() {
    let e = msg(&variant("signed: \"2019-08-30\"", "signed: \"2016-01\""));
    assert!(e.contains("ordinals must follow signing dates"), "{e}");
}

#[test]
fn empty_names_are_rejected() {
    let e = msg(&variant(
        "name: (ja: \"横浜市\", en: \"City of Yokohama\")",
        "name: (ja: \"横浜市\", en: \"\")",
    ));
    assert!(
        e.contains("partner \"yokohama\" has an empty English name"),
        "{e}"
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!("Dataset(title: {}", "(".repeat(100_000));
    let e = msg(&deep);
    assert!(e.starts_with("test.ron:1:"), "{e}");
}

#[test]
fn control_characters_are_removed_at_load_time() {
    let dirty = variant(
        "name: (ja: \"横浜市\", en: \"City of Yokohama\")",
        "name: (ja: \"横浜\\u{1b}[2J市\", en: \"City\\u{1b}]0;pwned\\u{7} of\\u{202e} Yokohama\\u{200b}\")",
    );
    let l = data::load_str(&dirty, "dirty.ron").expect("loads");
    let y = l
        .dataset
        .partners
        .as_slice()
        .unwrap()
        .iter()
        .find(|p| p.id == "yokohama")
        .expect("y");
    assert_eq!(y.name.ja, "横浜[2J市");
    assert_eq!(y.name.en, "City]0;pwned of Yokohama");
}

#[test]
fn oversized_files_are_refused_before_reading() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big = dir.path().join("big.ron");
    let f = std::fs::File::create(&big).expect("create");
    // Sparse: no disk used, and the loader must not try to read it.
    f.set_len(data::MAX_FILE_BYTES + 1).expect("set_len");
    let start = std::time::Instant::now();
    let e = data::load_file(&big).expect_err("too large").to_string();
    assert!(
        e.ends_with(&format!(
            "big.ron: the file is {} bytes, over the {}-byte limit for a dataset",
            data::MAX_FILE_BYTES + 1,
            data::MAX_FILE_BYTES
        )),
        "{e}"
    );
    assert!(
        start.elapsed() < std::time::Duration::from_secs(5),
        "it read the file"
    );
}

#[test]
fn unreadable_file_says_permission_denied() {
    let e = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
    assert_eq!(data::describe_io_error(&e), "permission denied");
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("secret.ron");
    std::fs::write(&f, data::EMBEDDED_RON).expect("write");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    // Root reads anything; the real check only runs for other users.
    if std::fs::read(&f).is_err() {
        let e = data::load_file(&f).expect_err("unreadable").to_string();
        assert!(
            e.ends_with("secret.ron: cannot read the dataset: permission denied"),
            "{e}"
        );
    }
}

#[test]
fn a_device_or_pipe_is_read_like_a_file() {
    let e = data::load_file(std::path::Path::new("/dev/null")).expect_err("empty");
    assert!(e.to_string().contains("the file is empty"), "{e}");
    // Process substitution gives a pipe: `linkj --data <(cat file)`.
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "{} list --data <(cat tests/fixtures/minimal.ron)",
            env!("CARGO_BIN_EXE_linkj")
        ))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("bash");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Example University"),
        "{out:?}"
    );
}

/// What ron makes of a text (the reference reader), `None` when it refuses it.
fn by_ron(text: &str) -> Option<data::Dataset> {
    data::parse_with_ron(text, "test.ron").ok()
}

fn generated(count: usize, seed: u64) -> String {
    let mut out = Vec::new();
    linkj::synth::write_dataset(&mut out, count, seed).expect("generate");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn the_fast_reader_reads_real_files_exactly_as_ron_does() {
    let fixtures = ["tests/fixtures/minimal.ron", "tests/fixtures/hostile.ron"]
        .map(|p| std::fs::read_to_string(p).expect("fixture"));
    let texts = [
        data::EMBEDDED_RON.to_string(),
        generated(300, 1),
        generated(300, 7),
    ];
    // The files linkj ships and writes take the fast path, and it reads them as ron
    // does, the partner list in two halves too.
    for text in &texts {
        let fast = linkj::data::fast_ron::from_str::<data::Dataset>(text);
        assert!(fast.is_some());
        assert_eq!(fast, by_ron(text));
        let halves = data::read_fast_split_from(text, 0);
        assert_eq!(halves, fast);
        let split = linkj::data::fast_ron::from_str_split::<data::Dataset, data::Partner>(
            text, "partners", 0,
        );
        assert!(split.is_some_and(|(d, p)| d.partners.is_empty() && p.len() > 1));
    }
    // The minimal fixture is plain; the hostile one uses escapes outside the subset
    // (`\u{1b}`), so the fast reader gives way and ron reads it.
    let [minimal, hostile] = &fixtures;
    let fast = linkj::data::fast_ron::from_str::<data::Dataset>(minimal);
    assert!(fast.is_some());
    assert_eq!(fast, by_ron(minimal));
    assert_eq!(
        linkj::data::fast_ron::from_str::<data::Dataset>(hostile),
        None
    );
    assert!(by_ron(hostile).is_some());
}

#[test]
fn what_the_fast_reader_accepts_ron_accepts_with_the_same_meaning() {
    // Mangle small datasets with the tokens RON's corners are made of; whenever the
    // fast reader still accepts the result, ron must accept it and agree on every field.
    let bases = [data::EMBEDDED_RON.to_string(), generated(3, 5)];
    let tokens = [
        "\"", "\\", "\\\"", "\\u{41}", "\\x41", "\\n", ",", ",,", "(", ")", "[", "]", ":", "//",
        "// c\n", "/*", "*/", "\n", "\t", "\r", "\u{b}", "\u{2028}", "Some(", "None", "true",
        "false", "1.5", "-", "0", "007", "1_000", "1e3", "0x1F", ".5", "5.", "+1", "_", "r#", "#",
        "'", "é", "名", " ", "Dataset", "Text", "Hub", "Partner", "inf",
    ];
    use proptest::prelude::*;
    use proptest::sample::Index;
    use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};
    // One to two edits: at a char boundary near a random place, insert a token, delete
    // up to 3 bytes, or replace them with a token.
    let edit = (
        any::<Index>(),
        0..4usize,
        prop::sample::select(tokens.to_vec()),
        0..3u8,
    );
    let mangling = (0..bases.len(), prop::collection::vec(edit, 1..=2));
    let counts = std::cell::Cell::new((0, 0, 0));
    let mut runner = TestRunner::new(Config {
        cases: 3000,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/loader.txt",
        ))),
        ..Config::default()
    });
    let result = runner.run(&mangling, |(base, edits)| {
        let mut text = bases[base].clone();
        for (i, len, token, how) in edits {
            let mut at = if text.is_empty() {
                0
            } else {
                i.index(text.len())
            };
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + len).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            match how {
                0 => text.insert_str(at, token),
                1 => text.replace_range(at..end, ""),
                _ => text.replace_range(at..end, token),
            }
        }
        let (mut tried, mut accepted, mut split) = counts.get();
        tried += 1;
        let fast = linkj::data::fast_ron::from_str::<data::Dataset>(&text);
        // The partner list read in two halves reads the same, whenever it can be.
        let halves = linkj::data::fast_ron::from_str_split::<data::Dataset, data::Partner>(
            &text, "partners", 0,
        );
        if let Some((mut d, partners)) = halves {
            d.partners = partners.into();
            split += 1;
            prop_assert_eq!(Some(&d), fast.as_ref(), "read in halves:\n{}", text);
        }
        if let Some(fast) = fast {
            accepted += 1;
            prop_assert_eq!(Some(fast), by_ron(&text), "mangled text:\n{}", text);
        }
        counts.set((tried, accepted, split));
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let (tried, accepted, split) = counts.get();
    // Many mangled files stay valid (a changed string, a dropped comma before a
    // bracket): the comparison above is not vacuous.
    assert!(accepted > tried / 20, "only {accepted} of {tried} accepted");
    assert!(split > tried / 20, "only {split} of {tried} read in halves");
}

#[test]
fn invisible_and_control_characters_are_cleaned_on_the_fast_path_too() {
    // Raw (unescaped) DEL, a C1 control, a bidi override and a zero-width space in a
    // plain file the fast reader takes: cleaning must still remove them.
    let text =
        generated(20, 3).replacen("name:(ja:\"", "name:(ja:\"\u{7f}\u{9b}\u{202e}\u{200b}", 1);
    assert!(linkj::data::fast_ron::from_str::<data::Dataset>(&text).is_some());
    let loaded = data::load_str(&text, "gen.ron").expect("valid");
    let names: String = loaded
        .dataset
        .partners
        .as_slice()
        .unwrap()
        .iter()
        .map(|p| p.name.ja.as_str())
        .collect();
    for c in ['\u{7f}', '\u{9b}', '\u{202e}', '\u{200b}'] {
        assert!(!names.contains(c), "U+{:04X} left in", c as u32);
    }
    // Issue 13, point 8: each invisible or direction-changing character alone in a
    // plain file (so nothing else in it makes the file look like it needs cleaning),
    // in a name, an alias, a place and a description.
    let base = generated(20, 3);
    for c in [
        '\u{061C}',
        '\u{2028}',
        '\u{2029}',
        '\u{2061}',
        '\u{2062}',
        '\u{2063}',
        '\u{2064}',
        '\u{180E}',
        '\u{00AD}',
        '\u{034F}',
        '\u{115F}',
        '\u{3164}',
        '\u{FFF9}',
        '\u{FFFA}',
        '\u{FFFB}',
        '\u{E0000}',
        '\u{E0001}',
        '\u{E0041}',
        '\u{E007F}',
        '\u{200D}',
        '\u{FE0F}',
    ] {
        let mut text = base.clone();
        for field in [
            "name:(ja:\"",
            "aliases:[\"",
            "place:(ja:\"",
            "description:(ja:\"",
        ] {
            assert!(text.contains(field), "{field}");
            text = text.replacen(field, &format!("{field}x{c}"), 1);
        }
        assert!(linkj::data::fast_ron::from_str::<data::Dataset>(&text).is_some());
        let ds = data::load_str(&text, "gen.ron").expect("valid").dataset;
        let all: String = ds
            .partners
            .as_slice()
            .unwrap()
            .iter()
            .flat_map(|p| {
                [&p.name.ja, &p.place.ja, &p.description.ja]
                    .into_iter()
                    .chain(&p.aliases)
            })
            .map(String::as_str)
            .collect();
        assert!(!all.contains(c), "U+{:04X} left in", c as u32);
    }
    // And a plain file without any such byte loads unchanged.
    let plain = generated(20, 3);
    assert_eq!(
        data::load_str(&plain, "gen.ron")
            .expect("valid")
            .dataset
            .partners
            .len(),
        20
    );
}

#[test]
fn a_term_beyond_a_thousand_years_is_rejected_at_its_entry() {
    let ucla = "term_years: Some(5),\n            description: (\n                ja: \"1919年";
    let e = msg(&variant(
        ucla,
        &ucla.replace("Some(5)", &format!("Some({})", u32::MAX)),
    ));
    let line = data::EMBEDDED_RON
        .lines()
        .position(|l| l.contains("id: \"ucla\""))
        .expect("line")
        + 1;
    assert!(
        e.starts_with(&format!("test.ron:{line}:")),
        "{e} (expected line {line})"
    );
    assert!(
        e.ends_with(&format!(
            "partner \"ucla\" has a term of {} years; a term is at most 1000 years",
            u32::MAX
        )),
        "{e}"
    );
    // A thousand years is still a term.
    let l = data::load_str(
        &variant(ucla, &ucla.replace("Some(5)", "Some(1000)")),
        "test.ron",
    )
    .expect("a long term is valid");
    let p = l
        .dataset
        .partners
        .as_slice()
        .unwrap()
        .iter()
        .find(|p| p.id == "ucla")
        .expect("ucla");
    assert_eq!(p.term_years, Some(data::MAX_TERM_YEARS));
}

#[test]
fn ordinals_beyond_the_range_of_numbers_are_located() {
    let e = msg(&variant("ordinal: 13,", "ordinal: 4294967296,"));
    let line = data::EMBEDDED_RON
        .lines()
        .position(|l| l.contains("ordinal: 13,"))
        .expect("line")
        + 1;
    assert!(e.starts_with(&format!("test.ron:{line}:")), "{e}");
    assert!(e.contains("out of bounds"), "{e}");
}

/// The minimal fixture with `from` replaced by `to` (exactly once).
fn minimal_with(from: &str, to: &str) -> String {
    let text = std::fs::read_to_string("tests/fixtures/minimal.ron").expect("fixture");
    assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
    text.replacen(from, to, 1)
}

/// An error message is one line that quotes at most a short piece of the file.
fn assert_short(m: &str, starts: &str) {
    assert!(m.starts_with(starts), "{}", &m[..m.len().min(300)]);
    assert!(!m.contains('\n'), "{}", &m[..m.len().min(300)]);
    assert!(m.chars().count() < 400, "{} characters", m.chars().count());
    assert!(m.contains('…'), "{m}");
}

#[test]
fn an_error_quotes_at_most_a_short_piece_of_the_file() {
    let long = "x".repeat(200_000);
    // A name as long as the file (ron quotes it in backticks).
    let m = msg(&format!("Dataset({long}"));
    assert_short(&m, "test.ron:1:9: unexpected field named `xxxxxxxxxx");
    assert!(m.contains("x…`"), "{m}");
    // A value ron quotes in double quotes (the date's own message), escapes and all.
    let m = msg(&minimal_with(
        "signed: \"2023\"",
        &format!("signed: \"2023-\\\"{long}\""),
    ));
    assert_short(&m, "test.ron:");
    assert!(m.contains("invalid date \"2023-\\\"xxx"), "{m}");
    assert!(m.contains("…\": expected YYYY"), "{m}");
    // An unknown field inside a partner.
    let m = msg(&minimal_with(
        "ordinal: 1,",
        &format!("ordinal: 1, {long}: 1,"),
    ));
    assert_short(&m, "test.ron:");
    assert!(m.contains("in `Partner`"), "{m}");
    // A rule broken by a partner whose id is as long as the file.
    let m = msg(&minimal_with(
        "id: \"example-u\"",
        &format!("id: \"X{long}\""),
    ));
    assert_short(&m, "test.ron:18:13: the id \"Xxxx");
}

/// Runs the real binary with `args` and its address space limited to `limit` bytes.
fn run_limited(args: &[&str], data: &std::path::Path, limit: u64) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_linkj"));
    // The loader's and the index's memory, without the catalog cache (which would
    // also make a run depend on what an earlier one left in the user's cache).
    cmd.args(args).arg("--data").arg(data).arg("--no-cache");
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let r = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &r) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    cmd.output().expect("run linkj")
}

const MB: u64 = 1 << 20;

#[test]
fn a_bad_file_is_refused_in_little_more_memory_than_its_size() {
    // Each case held several times the file while being refused: ron's copy of a name
    // as long as the file, the message repeating it, and the rest of the line where
    // the error is collected as characters (4 bytes each). Now at most 3x + 32 MB.
    let dir = tempfile::tempdir().expect("tempdir");
    let minimal = std::fs::read_to_string("tests/fixtures/minimal.ron").expect("fixture");
    let head = &minimal[..minimal.find("partners: [").expect("partners")];
    let n = 30 << 20;
    let cases = [
        (
            format!("Dataset({}", "x".repeat(n)),
            "1:9: unexpected field named `xxx",
        ),
        (
            format!("{head}partners: [(id: \"{}", "y".repeat(n)),
            "16:21: expected end of string",
        ),
        (
            format!("{head}partners: [{}", "[".repeat(n)),
            "16:16: expected opening `(` for struct `Partner`",
        ),
        // A date as long as the file: it used to be split at every dash and quoted
        // whole, six bytes a control character (17-20x the file).
        (
            minimal.replacen(
                "signed: \"2023\"",
                &format!("signed: \"{}\"", "-".repeat(n)),
                1,
            ),
            "25:22: invalid date \"-----",
        ),
        (
            minimal.replacen(
                "signed: \"2023\"",
                &format!("signed: \"{}\"", "\u{1}".repeat(n)),
                1,
            ),
            "25:22: invalid date \"\\u{1}",
        ),
    ];
    for (i, (text, expected)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("bad{i}.ron"));
        std::fs::write(&path, text).expect("write");
        let limit = 3 * text.len() as u64 + 32 * MB;
        let out = run_limited(&["check"], &path, limit);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(
            stderr.starts_with(&format!("linkj: {}:{expected}", path.display())),
            "{}",
            &stderr[..stderr.len().min(300)]
        );
        assert_eq!(stderr.lines().count(), 1);
        assert!(stderr.len() < 400, "{} bytes", stderr.len());
    }
}

#[test]
fn the_index_holds_no_haystack_for_empty_or_repeated_texts() {
    // A partner with two million empty aliases (24 bytes each in the dataset, 8x the
    // file's 3) and a country with 20,000 aliases shared by 2,000 partners. The index
    // used to add some 70 bytes per empty alias, and a reference per partner and
    // country alias (160 MB here); it must now add about nothing.
    let dir = tempfile::tempdir().expect("tempdir");
    let empties = "\"\",".repeat(2_000_000);
    let text = minimal_with(
        "sources: [\"example.txt\"],\n        ),\n        (",
        &format!(
            "sources: [\"example.txt\"], aliases: [{empties} \"Tokyo U\"],\n        ),\n        ("
        ),
    );
    let path = dir.path().join("aliases.ron");
    std::fs::write(&path, &text).expect("write");
    let out = run_limited(
        &["search", "tokyo"],
        &path,
        20 * text.len() as u64 + 64 * MB,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Example University"));

    let aliases: Vec<String> = (0..20_000).map(|i| format!("\"c{i}\"")).collect();
    let partner = |i: usize| {
        format!(
            "(id: \"p{i}\", ordinal: {}, name: (ja: \"名{i}\", en: \"P{i}\"), country: \"JP\", region: \"asia\", place: (ja: \"東京\", en: \"Tokyo\"), kind: \"company\", signed: \"2024\", description: (ja: \"例\", en: \"e\"), sources: [\"example.txt\"]),",
            i + 3
        )
    };
    let partners: String = (0..2000).map(partner).collect();
    let text = minimal_with(
        "    partners: [\n",
        &format!(
            "    countries: [(id: \"JP\", ja: \"日本\", en: \"Japan\", aliases: [{}]), (id: \"SG\", ja: \"シンガポール\", en: \"Singapore\")],\n    partners: [\n{partners}",
            aliases.join(",")
        ),
    );
    let path = dir.path().join("countries.ron");
    std::fs::write(&path, &text).expect("write");
    let out = run_limited(
        &["search", "c19999"],
        &path,
        4 * text.len() as u64 + 64 * MB,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2001);
}

#[test]
fn repeated_and_empty_aliases_rank_and_mark_as_the_distinct_ones() {
    // The index keeps the last of equal texts of a class and no empty one: what a
    // search finds, in which order, with which score and marks, is as without them.
    let with = |aliases: &str, country_aliases: &str| {
        let text = minimal_with(
            "short: Some(\"EXC\"),",
            &format!("short: Some(\"EXC\"), aliases: [{aliases}],"),
        );
        let text = text.replacen(
            "    partners: [\n",
            &format!(
                "    countries: [(id: \"JP\", ja: \"日本\", en: \"Japan\"), (id: \"SG\", ja: \"星\", en: \"Singapore\", aliases: [{country_aliases}])],\n    partners: [\n"
            ),
            1,
        );
        data::load_str(&text, "test.ron").expect("valid").dataset
    };
    let repeated = with(
        "\"Example\", \"\", \"EX Co\", \"Example\", \"ex\", \"\", \"EX Co\"",
        "\"SGP\", \"\", \"Lion City\", \"SGP\", \"Singapura\", \"Lion City\"",
    );
    let distinct = with(
        "\"Example\", \"ex\", \"EX Co\"",
        "\"SGP\", \"Singapura\", \"Lion City\"",
    );
    let seen = |ds: &data::Dataset, q: &str| {
        let index = linkj::search::Index::new(ds);
        let all: Vec<usize> = (0..ds.partners.len()).collect();
        index
            .rank(&all, q)
            .iter()
            .map(|h| {
                let p = &ds.partners.get(h.partner).unwrap();
                let other = h
                    .other_field(&[linkj::search::Field::Name(data::Lang::En)])
                    .map(|(f, m)| {
                        let text = linkj::search::field_text(ds, &**p, f).map(str::to_string);
                        (text, m.to_vec())
                    });
                (p.id.clone(), h.score(), other)
            })
            .collect::<Vec<_>>()
    };
    for q in [
        "ex",
        "example",
        "co",
        "sgp",
        "lion",
        "singapura",
        "exco",
        "e",
        "!sgp",
        "'lion c",
    ] {
        assert_eq!(seen(&repeated, q), seen(&distinct, q), "{q}");
    }
}

#[test]
fn a_ligature_of_eighteen_characters_is_searched_as_itself() {
    // NFKC makes U+FDFA 18 characters: a name of a million of them (3 MB) used to take
    // 16 bytes per character of that while being indexed, over 100 times the file.
    // Such a character now stays as it is; shorter forms are normalised as before.
    assert_eq!(linkj::search::normalize("\u{FDFA}").0, "\u{FDFA}");
    assert_eq!(linkj::search::normalize("㍿").0, "株式会社");
    assert_eq!(linkj::search::normalize("ｶﾞｲﾄﾞ").0, "ガイド");
    let dir = tempfile::tempdir().expect("tempdir");
    let text = minimal_with(
        "en: \"Example University\"",
        &format!("en: \"Example {}\"", "\u{FDFA}".repeat(1_000_000)),
    );
    let path = dir.path().join("ligature.ron");
    std::fs::write(&path, &text).expect("write");
    let out = run_limited(
        &["search", "example"],
        &path,
        4 * text.len() as u64 + 64 * MB,
    );
    assert!(
        out.status.success(),
        "{}",
        &String::from_utf8_lossy(&out.stderr)[..200.min(out.stderr.len())]
    );
}

#[test]
fn a_long_partner_list_read_in_halves_is_put_together_in_order() {
    // The second half is moved onto the first a megabyte at a time (many steps here).
    let text = generated(6000, 11);
    let whole = linkj::data::fast_ron::from_str::<data::Dataset>(&text).expect("plain");
    let halves = data::read_fast_split_from(&text, 0).expect("split");
    assert_eq!(halves, whole);
}
