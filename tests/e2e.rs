//! End to end: the real binary in a pseudo-terminal, keys typed, screen read back.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

mod pty;

use pty::Term;

const START: &str = "15 of 15 shown";

#[test]
fn startup_screen_and_quit_with_q_restores_the_terminal() {
    let mut t = Term::start(&["--start", "timeline"], 120, 40);
    // (How it starts by default, in the search bar: the tests after this one.)
    t.wait_for("start screen", |s| {
        s.contains(START)
            && s.contains("University of California San D")
            && s.contains("no. 15: not described in the sources")
    });
    t.with_screen(|sc| {
        assert!(sc.alternate_screen());
        assert_ne!(sc.mouse_protocol_mode(), vt100::MouseProtocolMode::None);
        assert!(sc.bracketed_paste(), "bracketed paste is on while running");
    });
    // While running the PTY is in raw mode: proves the check below can fail.
    assert_eq!(t.cooked(), Some(false));
    t.typ("q");
    assert_eq!(t.wait_exit(), 0);
    t.assert_restored();
}

#[test]
fn ctrl_c_quits_from_the_search_bar_and_restores() {
    let mut t = Term::start(&[], 80, 24);
    t.wait_text(START);
    t.typ("ky");
    t.wait_text("/ ky");
    t.send("\x03");
    assert_eq!(t.wait_exit(), 0);
    t.assert_restored();
}

#[test]
fn search_filters_live_and_enter_keeps_the_query() {
    let mut t = Term::start(&["--start", "timeline"], 120, 40);
    t.wait_text(START);
    t.typ("/osaka");
    let s = t.wait_for("osaka first", |s| {
        s.contains("/ osaka") && s.contains("> 13  2020-09-07* Osaka Prefecture")
    });
    assert!(!s.contains("15 of 15 shown"), "{s}");
    t.typ("\r");
    t.typ("j");
    t.wait_text("Osaka Prefecture");
    // Escape in the timeline clears; a Japanese query works as well.
    t.send("\x1b");
    t.wait_text(START);
    t.typ("/");
    t.paste("オックスフォード");
    t.wait_for("exactly the pasted text", |s| {
        s.lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("│/ オックスフォード   "))
    });
    t.wait_for("oxford", |s| {
        s.contains("1 of 15 shown") && s.contains("> 12* 2020-07     Oxford")
    });
    t.typ("\x1b");
    t.wait_text(START);
    // Esc on the empty query leaves the search bar; there q quits.
    std::thread::sleep(std::time::Duration::from_millis(150));
    t.send("\x1b");
    t.wait_text("q quit");
    t.typ("q");
    t.wait_exit();
}

#[test]
fn typing_at_start_goes_into_the_query_and_q_there_does_not_quit() {
    let mut t = Term::start(&[], 120, 40);
    t.wait_text(START);
    // The first key already searches: no / needed, and k, y, t and q are letters.
    t.typ("kyoto");
    t.wait_for("kyoto typed", |s| {
        s.contains("/ kyoto ") && s.contains(">  4* 2017-07     Kyoto Research Park")
    });
    t.typ("q");
    t.wait_text("/ kyotoq ");
    assert_eq!(
        t.exit_within(std::time::Duration::ZERO),
        None,
        "q quit while typing"
    );
    assert!(t.screen().contains("Ctrl-C quit"), "{}", t.screen());
    // Enter: to the list, where q quits.
    t.typ("\x7f\r");
    t.wait_text("q quit");
    t.typ("q");
    assert_eq!(t.wait_exit(), 0);
    t.assert_restored();
}

#[test]
fn numbers_marks_and_the_palette_in_a_real_terminal() {
    let mut t = Term::start(&["--as-of", "2026-06-01"], 120, 40);
    t.wait_text(START);
    t.typ("7例目");
    t.wait_text(">  7* 2018-04     Institute for Advanced");
    t.typ("\r ");
    t.wait_text("1 marked");
    // The palette from the timeline: typed, run with Enter.
    t.typ(":stati\r");
    t.wait_text("Statistics: 1 partnerships shown");
    t.send("\x1b");
    t.wait_for("back in the timeline, No. 7 marked", |s| {
        s.contains("Timeline 1/15") && s.contains("| 1 marked") && s.contains(">✓ 7* 2018-04")
    });
    std::thread::sleep(std::time::Duration::from_millis(150));
    t.typ("q");
    assert_eq!(t.wait_exit(), 0);
    t.assert_restored();
}

#[test]
fn region_and_kind_filters_cycle() {
    let mut t = Term::start(&["--start", "timeline"], 120, 40);
    t.wait_text(START);
    for region in ["Japan", "North America", "Europe", "all"] {
        t.typ("r");
        t.wait_text(&format!("region: {region} |"));
    }
    t.typ("tttt");
    t.wait_text("4 of 15 shown | region: all | kind: Local government");
    t.typ("rr");
    t.wait_for("no match", |s| {
        s.contains("No partner matches") && s.contains("Press c or Esc to clear")
    });
    t.typ("c");
    t.wait_text(START);
    t.typ("q");
    t.wait_exit();
}

#[test]
fn help_overlay_and_language_switch() {
    let mut t = Term::start(&["--start", "timeline"], 120, 40);
    t.wait_text(START);
    t.typ("?");
    t.wait_for("help", |s| {
        s.contains(" Keys ") && s.contains("cycle the region filter")
    });
    t.send("\x1b");
    t.wait_for("help closed", |s| !s.contains(" Keys "));
    t.typ("L");
    t.wait_for("Japanese", |s| {
        s.contains("15件中15件") && s.contains("カリフォルニア大学サンディエゴ校")
    });
    t.typ("q");
    t.wait_exit();
}

#[test]
fn resize_to_1x1_and_back_redraws() {
    let mut t = Term::start(&["--start", "timeline"], 100, 30);
    t.wait_text(START);
    t.resize(1, 1);
    t.settle();
    t.resize(50, 10);
    t.wait_text("Terminal too small");
    t.resize(80, 24);
    t.wait_for("narrow layout after resize", |s| {
        s.contains(START) && s.contains("┌ UCSD")
    });
    t.typ("q");
    assert_eq!(t.wait_exit(), 0);
    t.assert_restored();
}

#[test]
fn another_dataset_with_data() {
    let f = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/minimal.ron");
    let mut t = Term::start(&["--start", "timeline", "--data", f], 80, 24);
    t.wait_for("minimal dataset", |s| {
        s.contains("2 of 2 shown") && s.contains("Example University")
    });
    t.typ("r");
    t.wait_text("2 of 2 shown | Asia");
    t.typ("q");
    t.wait_exit();
}

#[test]
fn a_bare_query_opens_with_it_selected() {
    let mut t = Term::start(&["--start", "timeline", "kobe"], 120, 40);
    t.wait_for("kobe selected", |s| {
        s.contains("1 of 15 shown") && s.contains("/ kobe") && s.contains(">  6* 2018-01!")
    });
    t.typ("q");
    t.wait_exit();
}

#[test]
fn a_panic_restores_the_terminal() {
    let mut t = Term::start_env(
        &["--start", "timeline"],
        80,
        24,
        &[("LINKJ_TEST_PANIC", "1")],
    );
    t.wait_text(START);
    t.typ("j");
    assert_ne!(t.wait_exit(), 0);
    t.assert_restored();
}

#[test]
fn a_bad_dataset_fails_before_touching_the_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("bad.ron");
    std::fs::write(&f, "Dataset(\n  title: 3,\n)").expect("write");
    let mut t = Term::start(
        &["--start", "timeline", "--data", f.to_str().expect("path")],
        80,
        24,
    );
    assert_eq!(t.wait_exit(), 1);
    let s = t.screen();
    assert!(s.contains("bad.ron:2:10: "), "{s}");
    t.assert_restored();
}

#[test]
fn moving_one_row_redraws_only_what_changed() {
    let mut t = Term::start(&["--start", "timeline"], 80, 24);
    t.wait_text(START);
    t.settle();
    let first_frame = t.bytes_written();
    t.typ("j");
    t.wait_text(">  2* 2016-05");
    t.settle();
    let one_row = t.bytes_written() - first_frame;
    eprintln!("bytes: first frame {first_frame}, one-row move {one_row}");
    // A full redraw would be at least the size of the first frame; a diff is far less.
    assert!(
        one_row * 3 < first_frame,
        "one-row move wrote {one_row} bytes; first frame {first_frame}"
    );
    t.typ("q");
    t.wait_exit();
}

#[test]
fn the_cursor_sits_at_the_search_caret_counting_display_width() {
    let mut t = Term::start(&["--start", "timeline"], 100, 30);
    t.wait_text(START);
    t.with_screen(|s| assert!(s.hide_cursor(), "cursor hidden while browsing"));
    t.typ("/");
    t.paste("横浜");
    t.wait_text("/ 横浜");
    t.settle();
    // Border (1) + "/ " (2) + two wide characters (4) = column 7, row 1.
    t.with_screen(|s| {
        assert!(!s.hide_cursor(), "cursor visible in the search bar");
        assert_eq!(s.cursor_position(), (1, 7));
    });
    t.send("\x1b[D"); // Left: the caret moves back over one wide character.
    t.settle();
    t.with_screen(|s| assert_eq!(s.cursor_position(), (1, 5)));
    t.typ("\r");
    t.settle();
    t.with_screen(|s| assert!(s.hide_cursor(), "hidden again in the list"));
    t.typ("q");
    t.wait_exit();
}

#[test]
fn no_mouse_leaves_mouse_reporting_off() {
    let mut t = Term::start(&["--start", "timeline", "--no-mouse"], 80, 24);
    t.wait_text(START);
    t.with_screen(|s| assert_eq!(s.mouse_protocol_mode(), vt100::MouseProtocolMode::None));
    t.typ("q");
    t.wait_exit();
}

fn signal(t: &Term, sig: i32) {
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(t.pid(), sig) }, 0);
}

#[test]
fn sigterm_restores_the_terminal() {
    let mut t = Term::start(&["--start", "timeline"], 80, 24);
    t.wait_text(START);
    signal(&t, libc::SIGTERM);
    assert_eq!(t.wait_exit(), 128 + libc::SIGTERM as u32);
    t.assert_restored();
}

#[test]
fn sighup_restores_the_terminal() {
    let mut t = Term::start(&["--start", "timeline"], 80, 24);
    t.wait_text(START);
    t.typ("/ucla");
    t.wait_text("/ ucla");
    signal(&t, libc::SIGHUP);
    assert_eq!(t.wait_exit(), 128 + libc::SIGHUP as u32);
    t.assert_restored();
}

#[test]
fn scrolling_japanese_text_leaves_no_fragments() {
    let mut t = Term::start(&["--start", "timeline", "--lang", "ja"], 100, 30);
    t.wait_text("15件中15件");
    t.typ("jjjj");
    t.wait_text(">  5* 2017-12");
    t.settle();
    let before = t.screen();
    // Scroll the detail (wrapped Japanese) down and back, move through the timeline and back.
    t.typ("\t");
    t.typ("jjjjjjjjkkkkkkkk");
    t.typ("\t");
    t.typ("jjjjjjkkkkkk");
    t.settle();
    let after = t.screen();
    assert_eq!(
        before, after,
        "the screen differs after scrolling away and back"
    );
    t.typ("q");
    t.wait_exit();
}

#[test]
fn plain_mode_writes_no_ambiguous_width_chrome() {
    let mut t = Term::start(&["--start", "timeline", "--plain"], 100, 30);
    t.wait_text(START);
    t.typ("?");
    t.wait_text(" Keys ");
    t.typ("?q");
    t.wait_exit();
    let out = String::from_utf8_lossy(&t.raw()).into_owned();
    let bad: Vec<char> = out
        .chars()
        .filter(|c| matches!(*c, '\u{2500}'..='\u{259F}' | '…' | '·' | '\u{25A0}'..='\u{25FF}' | '\u{2190}'..='\u{21FF}'))
        .collect();
    assert!(
        bad.is_empty(),
        "ambiguous-width characters in plain mode: {bad:?}"
    );
    // And the default mode does use box drawing, so the check above means something.
    let mut t = Term::start(&["--start", "timeline"], 100, 30);
    t.wait_text(START);
    t.typ("q");
    t.wait_exit();
    assert!(String::from_utf8_lossy(&t.raw()).contains('─'));
}

#[test]
fn a_closed_terminal_ends_the_program() {
    let mut t = Term::start(&["--start", "timeline"], 80, 24);
    t.wait_text(START);
    let pid = t.pid();
    t.hang_up();
    // It must exit by itself (not spin on end-of-file).
    let start = std::time::Instant::now();
    loop {
        // SAFETY: signal 0 only checks that the process exists.
        let alive = unsafe { libc::kill(pid, 0) } == 0
            && std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .is_ok_and(|s| !s.contains(") Z "));
        if !alive {
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(5),
            "linkj still running after hangup"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(t.wait_exit(), 128 + libc::SIGHUP as u32);
}

#[test]
fn y_writes_the_summary_to_the_terminal_as_osc52() {
    use base64::Engine as _;
    let mut t = Term::start_env(
        &["--start", "timeline", "ucla", "--as-of", "2025-01-01"],
        120,
        40,
        &[("TMUX", "")],
    );
    t.wait_text("UCLA");
    t.typ("y");
    t.wait_text("sent to the terminal");
    // The copy may still be on its way when the status line says it was sent.
    t.settle();
    let raw = t.raw();
    let payloads = pty::osc52_payloads(&raw);
    assert_eq!(payloads.len(), 1, "one plain OSC 52 outside tmux");
    assert!(!String::from_utf8_lossy(&raw).contains("\x1bPtmux;"));
    let text = base64::engine::general_purpose::STANDARD
        .decode(&payloads[0])
        .expect("base64");
    let text = String::from_utf8(text).expect("utf-8");
    assert!(
        text.starts_with("## University of California, Los Angeles"),
        "{text}"
    );
    assert!(text.contains("past its stated term"), "{text}");
    t.typ("q");
    assert_eq!(t.wait_exit(), 0);
    t.assert_restored();
}

#[test]
fn inside_tmux_osc52_is_also_wrapped_for_passthrough() {
    let mut t = Term::start_env(
        &["--start", "timeline", "kobe"],
        120,
        40,
        &[("TMUX", "/tmp/tmux-1/default,1,0")],
    );
    t.wait_text("FBRI");
    t.typ("y");
    t.wait_text("sent to the terminal");
    t.settle();
    let raw = String::from_utf8_lossy(&t.raw()).into_owned();
    assert!(
        raw.contains("\x1bPtmux;\x1b\x1b]52;c;"),
        "passthrough form missing"
    );
    assert!(raw.contains("\x07\x1b\\"), "passthrough not closed");
    t.typ("q");
    assert_eq!(t.wait_exit(), 0);
}

#[test]
fn the_views_open_and_close_in_a_real_terminal() {
    let mut t = Term::start(&["--start", "timeline"], 80, 24);
    t.wait_text(START);
    t.typ("s");
    t.wait_text("Statistics: 15 partnerships shown");
    t.typ("m");
    t.wait_text("Map: public city coordinates");
    t.typ("p");
    t.wait_text("Esc back");
    t.send("\x1b");
    t.wait_text(START);
    t.typ("q");
    assert_eq!(t.wait_exit(), 0);
    t.assert_restored();
}

#[test]
fn a_huge_ordinal_opens_in_the_browser_under_a_memory_cap() {
    // A 1.5 kB file whose second partner is no. 4,000,000,000, with a gap declared in
    // between: the gaps are three rows, not four billion, and nothing is sized by the
    // number (a table by ordinal would need gigabytes, far over the cap).
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("huge-ordinal.ron");
    let text = include_str!("fixtures/minimal.ron")
        .replacen("ordinal: 2,", "ordinal: 4000000000,", 1)
        .replacen(
            "    partners: [",
            "    gaps: [(ordinal: 3000000000, note: \"Declared.\")],\n    partners: [",
            1,
        );
    std::fs::write(&f, text).expect("write");
    let mut t = Term::start_capped(
        &["--start", "timeline", "--data", f.to_str().expect("path")],
        120,
        40,
        512 << 10,
    );
    t.wait_for("the gap rows", |s| {
        s.contains("2 of 2 shown")
            && s.contains("nos. 2-2999999999: not described")
            && s.contains("no. 3000000000: not described")
            && s.contains("nos. 3000000001-3999999999")
    });
    t.typ("L");
    t.wait_text("2～2999999999例目");
    t.typ("L");
    t.typ("s");
    t.wait_text("Statistics: 2 partnerships shown");
    t.typ("m");
    t.wait_text("Map: public city coordinates");
    t.send("\x1b");
    t.wait_text("nos. 2-2999999999");
    t.typ("q");
    assert_eq!(t.wait_exit(), 0);
    t.assert_restored();
}
