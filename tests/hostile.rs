//! Untrusted text: a dataset full of escape sequences, bidi overrides and zero-width
//! characters must not get a single one of them to the terminal or to a pipe.

mod pty;

use std::process::Command;

const HOSTILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hostile.ron");

/// Byte sequences that must never be written: what the dataset tries to smuggle out.
fn smuggled(bytes: &[u8]) -> Vec<&'static str> {
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
    needles
        .iter()
        .filter(|(_, n)| bytes.windows(n.len()).any(|w| w == *n))
        .map(|(name, _)| *name)
        .collect()
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
            found.contains(&name),
            "raw fixture should contain {name}: {found:?}"
        );
    }
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
        &["show", "evil"],
        &["show", "evil", "--lang", "ja"],
        &["show", "raw", "--json"],
        &["show", "evil", "--markdown"],
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
            Vec::<&str>::new(),
            "{args:?} leaked:\n{}",
            String::from_utf8_lossy(&all)
        );
    }
    // The text is still shown, made harmless.
    let o = Command::new(env!("CARGO_BIN_EXE_linkj"))
        .args(["list", "--data", HOSTILE])
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&o.stdout).contains("Evil]0;PWNED-TITLE University"));
}

#[test]
fn error_lines_do_not_pass_escapes_from_paths() {
    let o = Command::new(env!("CARGO_BIN_EXE_linkj"))
        .args(["list", "--data", "/nonexistent/\x1b]0;PWNED-TITLE\x07.ron"])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(smuggled(&o.stderr), Vec::<&str>::new());
    let o = Command::new(env!("CARGO_BIN_EXE_linkj"))
        .args(["list", "--region", "\x1b[2JWIPED"])
        .output()
        .expect("run");
    assert_eq!(smuggled(&o.stderr), Vec::<&str>::new());
}

#[test]
fn the_browser_writes_none_of_them_to_the_terminal() {
    let mut t = pty::Term::start(&["--data", HOSTILE], 120, 40);
    t.wait_for("hostile start", |s| {
        s.contains("2 of 2 shown") && s.contains("Evil]0;PWNED-TITLE")
    });
    // Visit every field: both partners, the whole detail, both languages, the help.
    t.typ("\t");
    t.typ("G");
    t.typ("\t");
    t.typ("j");
    t.wait_text("> 2 2023-06");
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
    t.typ("?");
    t.wait_text(" Keys ");
    t.typ("?");
    t.typ("/evil");
    t.wait_text("/ evil");
    t.typ("\r");
    t.typ("q");
    t.wait_exit();
    let raw = t.raw();
    assert_eq!(smuggled(&raw), Vec::<&str>::new(), "leaked into the PTY");
    t.assert_restored();
}
