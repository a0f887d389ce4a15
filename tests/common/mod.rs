//! Helpers to drive the app without a terminal: keys in, screen text out.

#![allow(dead_code)]

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use linkj::app::{Options, action_for_event, initial_session};
use std::sync::Arc;

use linkj::action::Action;
use linkj::catalog::Catalog;
use linkj::data::load_embedded;
use linkj::session::Session;
use linkj::update::update;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// A fresh browser on the embedded dataset, monochrome, at `w`x`h`, started in the
/// timeline (as `--start timeline` does), so that single-letter keys act at once.
pub fn app(w: u16, h: u16) -> Session {
    let opts = Options {
        mouse: true,
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 6, 1),
        start_in_timeline: true,
        ..Options::default()
    };
    on(load_embedded().expect("embedded"), (w, h), &opts)
}

/// A fresh browser as it starts by default: the search bar has the keyboard.
pub fn fresh(w: u16, h: u16) -> Session {
    let opts = Options {
        mouse: true,
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 6, 1),
        ..Options::default()
    };
    on(load_embedded().expect("embedded"), (w, h), &opts)
}

/// A browser on `loaded`, as the binary starts it: its own catalog, one session.
pub fn on(loaded: linkj::data::Loaded, size: (u16, u16), opts: &Options) -> Session {
    initial_session(Arc::new(Catalog::new(loaded)), size, opts)
}

/// Lets a sliced search run to its end, as the loop does between keys.
pub fn finish_search(m: &mut Session) {
    while m.search_pending() {
        update(m, Action::SearchStep);
    }
}

/// Feeds one terminal event through the keymap and update, as the real loop does.
pub fn event(m: &mut Session, ev: Event) {
    if let Some(a) = action_for_event(m.mode(), ev) {
        update(m, a);
    }
}

/// A named key.
pub fn key(m: &mut Session, code: KeyCode) {
    event(m, Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// Ctrl + a letter.
pub fn ctrl(m: &mut Session, c: char) {
    event(
        m,
        Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    );
}

/// Types each character as a key press.
pub fn typ(m: &mut Session, s: &str) {
    for c in s.chars() {
        let mods = if c.is_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        event(m, Event::Key(KeyEvent::new(KeyCode::Char(c), mods)));
    }
}

/// Resizes the terminal.
pub fn resize(m: &mut Session, w: u16, h: u16) {
    event(m, Event::Resize(w, h));
}

/// Draws the model at its size and returns the screen as text, one line per row,
/// wide characters once (not followed by their filler cell), trailing blanks trimmed.
pub fn screen(m: &Session) -> String {
    let (w, h) = m.size();
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| linkj::ui::render(m, f)).expect("draw");
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..w {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
            line.push_str(sym);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The screen row holding the selection marker.
pub fn selected_line(m: &Session) -> String {
    screen(m)
        .lines()
        .find(|l| l.contains("│> "))
        .unwrap_or_default()
        .to_string()
}

/// xorshift64*: small, fast, deterministic.
pub struct Rng(pub u64);

impl Rng {
    /// The next pseudo-random number.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

// Running the binary, for the tests that read its outputs.

/// Runs the binary as a user would, without colour.
pub fn linkj(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_linkj"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run linkj")
}

/// The command's stdout, which must have succeeded.
pub fn out(args: &[&str]) -> String {
    let o = linkj(args);
    assert!(
        o.status.success(),
        "linkj {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).expect("utf-8")
}

pub fn json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&out(args)).expect("json")
}

/// Text with every run of whitespace removed: a card wraps lines, so a sentence
/// is looked for without the breaks.
pub fn squeeze(s: &str) -> String {
    s.split_whitespace().collect()
}

pub fn embedded() -> linkj::data::Loaded {
    linkj::data::load_embedded().expect("embedded")
}

/// The text an OSC 52 copy sequence carries (the first, when a tmux passthrough copy
/// follows it).
pub fn decode_osc52(seq: &str) -> String {
    use base64::Engine as _;
    let b64 = seq
        .strip_prefix("\x1b]52;c;")
        .and_then(|r| r.split('\x07').next())
        .expect("an OSC 52 sequence");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .expect("base64");
    String::from_utf8(bytes).expect("utf-8")
}
