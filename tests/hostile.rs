//! Untrusted text: a dataset full of escape sequences, bidi overrides, zero-width and
//! other invisible characters must not get a single one of them to the terminal, to a
//! pipe, to an export or to the clipboard.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

mod pty;

use std::process::Command;

const HOSTILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hostile.ron");

/// Issue 13, point 8: invisible and direction-changing characters that a hand list of
/// controls let through (the fixture has each raw and as a RON escape), and the joiner
/// and emoji selector of an emoji sequence, which the cleaner drops as well.
const INVISIBLE: &[(char, &str)] = &[
    ('\u{061C}', "ARABIC LETTER MARK"),
    ('\u{2028}', "LINE SEPARATOR"),
    ('\u{2029}', "PARAGRAPH SEPARATOR"),
    ('\u{2061}', "FUNCTION APPLICATION"),
    ('\u{2062}', "INVISIBLE TIMES"),
    ('\u{2063}', "INVISIBLE SEPARATOR"),
    ('\u{2064}', "INVISIBLE PLUS"),
    ('\u{180E}', "MONGOLIAN VOWEL SEPARATOR"),
    ('\u{00AD}', "SOFT HYPHEN"),
    ('\u{034F}', "COMBINING GRAPHEME JOINER"),
    ('\u{115F}', "HANGUL CHOSEONG FILLER"),
    ('\u{3164}', "HANGUL FILLER"),
    ('\u{FFF9}', "INTERLINEAR ANNOTATION ANCHOR"),
    ('\u{FFFA}', "INTERLINEAR ANNOTATION SEPARATOR"),
    ('\u{FFFB}', "INTERLINEAR ANNOTATION TERMINATOR"),
    ('\u{E0000}', "tag block U+E0000"),
    ('\u{E0001}', "LANGUAGE TAG"),
    ('\u{E0050}', "TAG LATIN CAPITAL LETTER P"),
    ('\u{E0057}', "TAG LATIN CAPITAL LETTER W"),
    ('\u{E004E}', "TAG LATIN CAPITAL LETTER N"),
    ('\u{E007F}', "CANCEL TAG"),
    ('\u{200D}', "ZERO WIDTH JOINER"),
    ('\u{FE0F}', "VARIATION SELECTOR-16"),
];

/// All of them but the separators (which part words, as a space does), raw, to put
/// inside a word of a query, a path or a broken file.
fn invisible_run() -> String {
    INVISIBLE
        .iter()
        .map(|&(c, _)| c)
        .filter(|c| !matches!(c, '\u{2028}' | '\u{2029}'))
        .collect()
}

/// Byte sequences that must never be written: what the dataset tries to smuggle out.
fn smuggled(bytes: &[u8]) -> Vec<String> {
    let needles: &[(&str, &[u8])] = &[
        ("OSC 0 title", b"\x1b]0;PWNED"),
        ("BEL after title", b"PWNED-TITLE\x07"),
        ("OSC 52 clipboard", b"\x1b]52;"),
        ("OSC 8 hyperlink", b"\x1b]8;"),
        ("ED clear screen", b"\x1b[2JWIPED"),
        ("SGR from data", b"\x1b[31mRED"),
        ("DSR query", b"\x1b[5n"),
        ("alt screen off from data", b"Tokyo\x1b[?1049l"),
        ("C1 CSI", "\u{9b}".as_bytes()),
        ("RLO bidi override", "\u{202e}".as_bytes()),
        ("ZWSP", "\u{200b}".as_bytes()),
        ("tab", b"\t"),
    ];
    let found = |n: &[u8]| bytes.windows(n.len()).any(|w| w == n);
    let mut out: Vec<String> = needles
        .iter()
        .filter(|(_, n)| found(n))
        .map(|(name, _)| name.to_string())
        .collect();
    for (c, name) in INVISIBLE {
        if found(c.encode_utf8(&mut [0; 4]).as_bytes()) {
            out.push(format!("U+{:04X} {name}", *c as u32));
        }
    }
    out
}

fn none() -> Vec<String> {
    Vec::new()
}

#[test]
fn the_detector_finds_what_it_looks_for() {
    // The check below is only meaningful if it can fail.
    let raw = std::fs::read(HOSTILE).expect("fixture");
    let found = smuggled(&raw);
    for name in [
        "OSC 0 title",
        "BEL after title",
        "OSC 52 clipboard",
        "ED clear screen",
    ] {
        assert!(
            found.iter().any(|f| f == name),
            "raw fixture should contain {name}: {found:?}"
        );
    }
    // Every invisible character is in it raw.
    assert_eq!(
        found.iter().filter(|f| f.starts_with("U+")).count(),
        INVISIBLE.len(),
        "{found:?}"
    );
}

#[test]
fn no_command_passes_escapes_to_a_pipe() {
    let runs: &[&[&str]] = &[
        &["check"],
        &["list"],
        &["list", "--json"],
        &["list", "--lang", "ja"],
        &["search", "evil"],
        &["search", "evil", "--json"],
        &["search", "raw"],
        &["search", "raw", "--json"],
        &["search", "osaka", "--lang", "ja"],
        &["show", "evil"],
        &["show", "evil", "--lang", "ja"],
        &["show", "evil", "--json"],
        &["show", "raw"],
        &["show", "raw", "--lang", "ja"],
        &["show", "raw", "--json"],
        &["show", "evil", "--markdown"],
        &["show", "raw", "--markdown"],
        &["list", "--status", "unknown"],
    ];
    for args in runs {
        let o = Command::new(env!("CARGO_BIN_EXE_linkj"))
            .args(*args)
            .args(["--data", HOSTILE])
            .output()
            .expect("run");
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let mut all = o.stdout.clone();
        all.extend_from_slice(&o.stderr);
        assert_eq!(
            smuggled(&all),
            none(),
            "{args:?} leaked:\n{}",
            String::from_utf8_lossy(&all)
        );
    }
    // The text is still shown, made harmless.
    let out = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_linkj"))
            .args(args)
            .args(["--data", HOSTILE])
            .output()
            .expect("run");
        assert!(o.status.success(), "{args:?}");
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let list = out(&["list"]);
    assert!(list.contains("Evil]0;PWNED-TITLE University"), "{list}");
    assert!(list.contains("Raw[2JWIPED bytes"), "{list}");
    // Words stay whole; a line or paragraph separator leaves a space; an emoji ZWJ
    // sequence falls apart into its emoji; the ideographic variation sequence stays.
    let raw = out(&["show", "raw"]);
    for want in [
        "Osaka (JP)",
        "alias two, 👨👩👧❤",
        "Exchange",
        "Somebody",
        "「quo te」",
        "raw text",
        "note two",
        "raw.txt",
        "葛\u{E0100}生の バイト",
    ] {
        assert!(raw.contains(want), "{want}:\n{raw}");
    }
    let evil = out(&["show", "evil"]);
    for want in [
        "EVIL",
        "alias one",
        "Description text",
        "note ]52;",
        "\"v[2JWIPED\"",
    ] {
        assert!(evil.contains(want), "{want}:\n{evil}");
    }
    assert!(out(&["check"]).contains("Hostile[2JWIPED dataset"));
    // A query with invisible characters in it finds what it reads as.
    let q = "O\u{AD}sa\u{2061}ka\u{E0041}";
    assert!(out(&["search", q]).contains("Raw[2JWIPED bytes"));
    assert!(out(&["show", q, "--json"]).contains("\"raw-bytes\""));
}

#[test]
fn error_lines_do_not_pass_escapes_from_paths() {
    let o = Command::new(env!("CARGO_BIN_EXE_linkj"))
        .args(["list", "--data", "/nonexistent/\x1b]0;PWNED-TITLE\x07.ron"])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(smuggled(&o.stderr), none());
    let o = Command::new(env!("CARGO_BIN_EXE_linkj"))
        .args(["list", "--region", "\x1b[2JWIPED"])
        .output()
        .expect("run");
    assert_eq!(smuggled(&o.stderr), none());
    // The invisible characters, in a path, an option, a query that matches nothing,
    // and a broken file's content where the error is (a date that does not parse, a
    // region the dataset does not declare).
    let inv = invisible_run();
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = std::fs::read_to_string(HOSTILE).expect("fixture");
    let at = fixture
        .rfind("region: \"asia\"")
        .expect("partner 2's region");
    let bad_region = format!(
        "{}region: \"as{inv}ia\u{2028}x\"{}",
        &fixture[..at],
        &fixture[at + "region: \"asia\"".len()..]
    );
    let bad_date = fixture.replace("signed: \"2023-06\"", &format!("signed: \"2023-06{inv}\""));
    let mut runs: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                "list".into(),
                "--data".into(),
                format!("/nonexistent/{inv}x.ron"),
            ],
            "cannot read the dataset",
        ),
        (
            vec!["list".into(), "--region".into(), format!("as{inv}x")],
            "unknown region",
        ),
        (
            vec!["list".into(), "--status".into(), format!("act{inv}x")],
            "unknown status",
        ),
        (
            vec![
                "search".into(),
                format!("zz{inv}q"),
                "--data".into(),
                HOSTILE.into(),
            ],
            "nothing matches",
        ),
        (
            vec![
                "show".into(),
                format!("zz{inv}q"),
                "--data".into(),
                HOSTILE.into(),
            ],
            "nothing matches",
        ),
    ];
    for (name, text, says) in [
        ("region.ron", &bad_region, "does not declare"),
        ("date.ron", &bad_date, "invalid date"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        for cmd in ["check", "list"] {
            runs.push((
                vec![cmd.into(), "--data".into(), path.display().to_string()],
                says,
            ));
        }
    }
    for (args, says) in &runs {
        let o = Command::new(env!("CARGO_BIN_EXE_linkj"))
            .args(args)
            .output()
            .expect("run");
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        let mut all = o.stdout.clone();
        all.extend_from_slice(&o.stderr);
        assert_eq!(smuggled(&all), none(), "{args:?} leaked: {err}");
    }
}

/// The column of the first cell holding exactly `cell`, in the first row containing
/// `row`.
fn column_of(s: &vt100::Screen, row: &str, cell: &str) -> Option<u16> {
    let (rows, cols) = (s.size().0.get(), s.size().1.get());
    let r = (0..rows).find(|&r| s.contents_between(r, 0, r, cols).contains(row))?;
    (0..cols).find(|&c| s.cell(r, c).is_some_and(|x| x.contents() == cell))
}

#[test]
fn the_browser_writes_none_of_them_to_the_terminal() {
    use base64::Engine as _;
    // Outside tmux, so that each copy is one plain OSC 52.
    let mut t = pty::Term::start_env(
        &["--start", "timeline", "--data", HOSTILE],
        120,
        40,
        &[("TMUX", "")],
    );
    t.wait_for("hostile start", |s| {
        s.contains("2 of 2 shown") && s.contains("Evil]0;PWNED-TITLE")
    });
    // Visit every field: both partners, the whole detail, both languages, the help.
    t.typ("\t");
    t.typ("G");
    t.typ("\t");
    t.typ("j");
    t.wait_text("> 2  2023-06");
    // Copy the partner whose characters are raw in the file.
    t.typ("y");
    t.wait_text("summary of Raw[2JWIPED bytes sent to the terminal");
    // The statistics, map and presentation views show dataset text too.
    t.typ("s");
    t.wait_text("Statistics: 2 partnerships shown");
    t.typ("m");
    t.wait_text("2 without a location");
    t.typ("p");
    t.wait_text("Esc back");
    t.send("\x1b");
    t.wait_text("2 of 2 shown");
    t.typ("L");
    t.wait_text("2件中2件");
    // The kept variation selector shares its ideograph's cell: the columns after the
    // name line up in both rows.
    t.with_screen(|s| {
        let (one, two) = (
            column_of(s, "  1  2023-05", "ア"),
            column_of(s, "> 2  2023-06", "ア"),
        );
        assert!(
            one.is_some() && one == two,
            "{one:?} {two:?}\n{}",
            s.contents()
        );
        assert!(
            column_of(s, "> 2  2023-06", "葛\u{E0100}").is_some(),
            "{}",
            s.contents()
        );
    });
    t.typ("?");
    t.wait_text(" Keys ");
    t.typ("?");
    // A pasted query loses them too, and still finds what it reads as.
    t.typ("/");
    t.paste(&format!("{}ev\u{AD}il\u{2028}\u{E0041}", invisible_run()));
    t.wait_text("/ evil");
    t.wait_text("2件中1件");
    t.typ("\r");
    t.typ("y");
    t.wait_text("EVILの概要を端末に送信しました");
    t.typ("q");
    t.wait_exit();
    let raw = t.raw();
    // The two copies: their payloads decode to cleaned text.
    let payloads = pty::osc52_payloads(&raw);
    assert_eq!(payloads.len(), 2, "one OSC 52 per copy, no other");
    let texts: Vec<String> = payloads
        .iter()
        .map(|b| {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(b)
                .expect("base64");
            String::from_utf8(bytes).expect("UTF-8")
        })
        .collect();
    // Markdown, so the bracket left of the stripped escape is escaped.
    assert!(texts[0].contains("Raw\\[2JWIPED bytes"), "{}", texts[0]);
    assert!(texts[0].contains("Osaka"), "{}", texts[0]);
    assert!(texts[1].contains("悪\\[2JWIPED大学"), "{}", texts[1]);
    for text in &texts {
        assert_eq!(smuggled(text.as_bytes()), none(), "copied:\n{text}");
    }
    // Everything else that was written, the copies taken out.
    let mut rest = String::from_utf8_lossy(&raw).into_owned();
    for b in &payloads {
        rest = rest.replacen(&format!("\x1b]52;c;{b}\x07"), "", 1);
    }
    assert_eq!(smuggled(rest.as_bytes()), none(), "leaked into the PTY");
    assert_eq!(
        smuggled(t.screen().as_bytes()),
        none(),
        "left on the screen"
    );
    t.assert_restored();

    // A query given on the command line goes through the search bar.
    let q = format!("o{}saka", invisible_run());
    let mut t = pty::Term::start(
        &["--start", "timeline", q.as_str(), "--data", HOSTILE],
        120,
        40,
    );
    t.wait_for("the query", |s| {
        s.contains("/ osaka") && s.contains("1 of 2 shown")
    });
    t.typ("q");
    t.wait_exit();
    assert_eq!(smuggled(&t.raw()), none(), "leaked into the PTY");
}
