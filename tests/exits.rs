//! Leaving and coming back, the hard ways: every view quits on Ctrl-C, Ctrl-Z and
//! SIGTSTP suspend and SIGCONT redraws, every ending signal restores the terminal,
//! and floods of resizes or a huge paste never hold up the keyboard. The real binary
//! in a pseudo-terminal.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

mod common;
mod pty;

use std::time::{Duration, Instant};

use common::Rng;
use pty::Term;

const START: &str = "15 of 15 shown";

fn signal(t: &Term, sig: i32) {
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(t.pid(), sig) }, 0);
}

#[test]
fn ctrl_c_quits_from_every_mode_and_view() {
    // (keys that get there, what shows it is there)
    let places: &[(&str, &str)] = &[
        ("", START),
        ("\t", "Tab timeline"),
        ("/ky", "/ ky"),
        ("?", " Keys "),
        ("s", "Statistics: 15 partnerships shown"),
        ("m", "Map: public city coordinates"),
        ("p", "Esc back"),
    ];
    for (keys, shown) in places {
        let mut t = Term::start(&["--start", "timeline"], 80, 24);
        t.wait_text(START);
        t.typ(keys);
        t.wait_text(shown);
        t.send("\x03");
        assert_eq!(
            t.exit_within(Duration::from_secs(5)),
            Some(0),
            "after {keys:?}"
        );
        t.assert_restored();
    }
}

/// Stops linkj with `how`, checks it gave the terminal back and stopped, continues it
/// and checks the whole screen is drawn again.
fn suspend_and_resume(t: &mut Term, shown: &str, how: impl FnOnce(&mut Term)) {
    how(t);
    assert!(t.wait_state('T'), "linkj did not stop");
    // Stopped means it wrote everything it will write before stopping.
    std::thread::sleep(Duration::from_millis(100));
    t.assert_restored();
    t.wait_for("the shell's screen", |s| !s.contains(shown));
    signal(t, libc::SIGCONT);
    t.wait_for("the browser drawn again", |s| {
        s.contains(shown) && s.contains("┌ Search") && s.contains(" shown")
    });
    t.with_screen(|sc| {
        assert!(sc.alternate_screen(), "back on the alternate screen");
        assert!(sc.bracketed_paste(), "bracketed paste back on");
        assert_ne!(sc.mouse_protocol_mode(), vt100::MouseProtocolMode::None);
    });
    assert_eq!(t.cooked(), Some(false), "raw mode again");
}

#[test]
fn ctrl_z_suspends_and_sigcont_redraws_everything() {
    let mut t = Term::start(&["--start", "timeline"], 100, 30);
    t.wait_text(START);
    suspend_and_resume(&mut t, START, |t| t.send("\x1a"));
    // And it still answers the keyboard, in the search bar too.
    t.typ("/kobe");
    t.wait_text("1 of 15 shown");
    suspend_and_resume(&mut t, "1 of 15 shown", |t| t.send("\x1a"));
    t.send("\x03");
    assert_eq!(t.exit_within(Duration::from_secs(5)), Some(0));
    t.assert_restored();
}

#[test]
fn sigtstp_from_outside_suspends_like_ctrl_z() {
    let mut t = Term::start(&["--start", "timeline"], 80, 24);
    t.wait_text(START);
    suspend_and_resume(&mut t, START, |t| signal(t, libc::SIGTSTP));
    t.typ("q");
    assert_eq!(t.exit_within(Duration::from_secs(5)), Some(0));
    t.assert_restored();
}

#[test]
fn every_ending_signal_restores_the_terminal() {
    for sig in [
        libc::SIGUSR1,
        libc::SIGUSR2,
        libc::SIGALRM,
        libc::SIGXCPU,
        libc::SIGXFSZ,
        libc::SIGVTALRM,
        libc::SIGPROF,
        libc::SIGIO,
        libc::SIGPWR,
    ] {
        let mut t = Term::start(&["--start", "timeline"], 80, 24);
        t.wait_text(START);
        signal(&t, sig);
        assert_eq!(
            t.exit_within(Duration::from_secs(5)),
            Some(128 + sig as u32),
            "signal {sig}"
        );
        t.assert_restored();
    }
}

#[test]
fn an_abort_restores_the_terminal() {
    for sig in [libc::SIGABRT, libc::SIGSEGV, libc::SIGBUS] {
        let mut t = Term::start(&["--start", "timeline"], 80, 24);
        t.wait_text(START);
        signal(&t, sig);
        assert!(
            t.exit_within(Duration::from_secs(5)).is_some(),
            "signal {sig} did not end linkj"
        );
        t.assert_restored();
    }
}

#[test]
fn a_storm_of_resizes_does_not_hold_up_the_keyboard() {
    let mut t = Term::start(&["--start", "timeline"], 120, 40);
    t.wait_text(START);
    // A window dragged for a while: thousands of sizes in a burst with a key amid the
    // last of them, thirty times; each key must be answered although no other key
    // follows it.
    for round in 0..30u16 {
        for i in 0..200u16 {
            t.resize(60 + (i + round) % 140, 15 + i % 60);
        }
        // Down and back up in turn: each key a visible move.
        let (key, at) = if round % 2 == 0 { ("j", 2) } else { ("k", 1) };
        t.send(key);
        t.resize(120, 40);
        let row = format!(">  {at}* ");
        let asked = Instant::now();
        while !t.screen().contains(&row) {
            assert!(
                asked.elapsed() < Duration::from_secs(5),
                "{key} unanswered behind a resize storm (round {round}); screen:\n{}",
                t.screen()
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    t.send("q");
    assert_eq!(t.exit_within(Duration::from_secs(5)), Some(0));
    t.assert_restored();
}

#[test]
fn a_huge_paste_is_capped_and_escape_answers_at_once() {
    let mut t = Term::start(&["--start", "timeline"], 100, 30);
    t.wait_text(START);
    t.typ("/");
    // 100 KB of words, as from pasting a document into the search bar.
    let words = "osaka kobe tokyo paris boston 大阪 神戸 ".repeat(2600);
    assert!(words.len() > 100_000);
    t.paste(&words);
    t.wait_text("at most 256 characters");
    t.send("\x1b");
    t.wait_for("the search bar cleared", |s| {
        s.contains(START) && !s.contains("osaka kobe")
    });
    // Esc again, on the empty query, leaves the search bar.
    std::thread::sleep(Duration::from_millis(150));
    t.send("\x1b");
    t.wait_text("q quit");
    t.typ("q");
    assert_eq!(t.exit_within(Duration::from_secs(5)), Some(0));
    t.assert_restored();
}

/// Keys a user may press that do not end the program (no q, Ctrl-C, Ctrl-Z, Ctrl-\\;
/// no Ctrl-P or `:`, which open the command palette, where Enter may run quit).
const KEYS: &[&str] = &[
    "j",
    "k",
    "g",
    "G",
    "/",
    "r",
    "t",
    "a",
    "c",
    "y",
    "s",
    "m",
    "p",
    "L",
    "?",
    "\t",
    "\r",
    "\x1b",
    "\x7f",
    "\x1b[A",
    "\x1b[B",
    "\x1b[C",
    "\x1b[D",
    "\x1b[5~",
    "\x1b[6~",
    "\x1b[H",
    "\x1b[F",
    "\x1b[Z",
    "\x04",
    "\x15",
    "\x17",
    "\x0e",
    "o",
    "横",
    "浜",
    "ｶ",
    " ",
    "1",
    "!",
    "'",
    "^",
    "\x1b[3~",
    "\x0f",
    "\x1b[1;5A",
    "\x1b[1;5B",
    "M",
    "\x1bOP",
];

/// One random event: a key, a paste, a click or wheel turn anywhere, or a resize
/// between 0x0 and 250x250.
fn random_event(rng: &mut Rng, t: &mut Term) -> String {
    match rng.below(10) {
        0..=5 => {
            let k = KEYS[rng.below(KEYS.len())];
            t.send(k);
            if k == "\x1b" {
                // A lone Esc is told from the start of a sequence by the pause after
                // it, as in every terminal program. On a busy machine 30 ms was not
                // always enough: Esc and a paste after it arrived as one read, the
                // paste's text came in as keys, and its `q` quit. Nor was 120 ms, with
                // three builds on two cores: so a plain `x` follows the pause. Should
                // the Esc still be unread, the two make one Alt-x, which does nothing,
                // and a paste after them stays a paste.
                std::thread::sleep(Duration::from_millis(120));
                t.send("x");
            }
            format!("key {k:?}")
        }
        6 => {
            let len = if rng.below(20) == 0 {
                5000
            } else {
                1 + rng.below(12)
            };
            let text: String = (0..len)
                .map(|i| {
                    ['a', 'x', ' ', '大', '阪', 'q', '\u{1b}'][((rng.next() >> 7) as usize + i) % 7]
                })
                .collect();
            t.paste(&text);
            format!("paste of {len}")
        }
        7 => {
            let (x, y) = (1 + rng.below(260), 1 + rng.below(260));
            let button = [0, 64, 65][rng.below(3)];
            t.send(&format!("\x1b[<{button};{x};{y}M\x1b[<{button};{x};{y}m"));
            format!("mouse {button} at {x},{y}")
        }
        _ => {
            let (w, h) = match rng.below(4) {
                0 => (rng.below(4) as u16, rng.below(4) as u16),
                _ => (rng.below(251) as u16, rng.below(251) as u16),
            };
            t.resize(w, h);
            format!("resize {w}x{h}")
        }
    }
}

#[test]
fn random_input_with_resizes_ends_only_on_the_final_q() {
    let hostile = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hostile.ron");
    // Seeds 1 and 2 start in the timeline, 3 in the search bar (the default).
    let timeline = ["--start", "timeline"];
    let hostile_args = ["--start", "timeline", "--data", hostile];
    for (seed, args) in [(1u64, &timeline[..]), (2, &hostile_args[..]), (3, &[][..])] {
        let mut t = Term::start(args, 100, 30);
        t.wait_text(" shown");
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ seed);
        let mut log = Vec::new();
        for i in 0..1500 {
            log.push(random_event(&mut rng, &mut t));
            if i % 100 == 99 {
                assert_eq!(
                    t.exit_within(Duration::ZERO),
                    None,
                    "seed {seed}: ended after event {i}; the last events: {:?}",
                    &log[log.len().saturating_sub(100)..]
                );
            } else if i % 5 == 0 {
                std::thread::sleep(Duration::from_millis(2));
            }
        }
        // Back to a usable size, out of whatever mode it is in (help over a view over
        // a query in the search bar takes four Escs), then q.
        t.resize(100, 30);
        for _ in 0..4 {
            std::thread::sleep(Duration::from_millis(150));
            t.send("\x1b");
        }
        std::thread::sleep(Duration::from_millis(150));
        assert_eq!(
            t.exit_within(Duration::ZERO),
            None,
            "seed {seed}: ended early"
        );
        t.send("q");
        assert_eq!(
            t.exit_within(Duration::from_secs(5)),
            Some(0),
            "seed {seed}: q did not end it; screen:\n{}",
            t.screen()
        );
        t.assert_restored();
    }
}
