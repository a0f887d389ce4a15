//! Property tests on proptest: thousands of random inputs, no panic allowed. A failure
//! shrinks to a smallest failing input, which is saved in `proptest-regressions/` and
//! tried first on every later run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

mod common;

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use linkj::data;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, FileFailurePersistence, TestCaseError, TestRunner};

/// A runner for `cases` random inputs, its failures kept in proptest-regressions/.
fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/props.txt",
        ))),
        ..Config::default()
    })
}

/// Runs a property; a failure panics with the smallest input found.
fn check<S: Strategy>(
    cases: u32,
    strategy: &S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: std::fmt::Debug,
{
    if let Err(e) = runner(cases).run(strategy, test) {
        panic!("{e}");
    }
}

/// A position in `0..len` (0 when there is none).
fn pos(i: &Index, len: usize) -> usize {
    if len == 0 { 0 } else { i.index(len) }
}

const TOKENS: &[&[u8]] = &[
    b"(",
    b")",
    b"[",
    b"]",
    b",",
    b"\"",
    b":",
    b"Some(",
    b"None",
    b"-1",
    b"99999999999999999999999",
    b"\\u{0}",
    b"\\u{1b}",
    b"r#\"",
    b"/*",
    b"//",
    b"\n",
    b"ordinal: 0,",
    b"signed: \"2020-13\",",
    b"\xff",
    "横浜".as_bytes(),
    b"id: \"ucla\",",
    b"region: \"mars\",",
    b"1e309",
    b"'",
    b"#![enable(implicit_some)]",
];

/// One change to a dataset's bytes.
#[derive(Debug, Clone)]
enum Mutation {
    /// Flip one bit.
    Flip(Index, u8),
    /// Drop up to 63 bytes.
    Drain(Index, usize),
    /// Insert one of [`TOKENS`].
    Token(Index, usize),
    /// Copy up to 399 bytes elsewhere.
    Copy(Index, usize, Index),
    /// Cut the file short.
    Truncate(Index),
    /// Insert random bytes.
    Junk(Index, Vec<u8>),
    /// Replace a digit with another number.
    Number(Index, u64),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), 0..8u8).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<Index>(), 0..64usize).prop_map(|(i, n)| Mutation::Drain(i, n)),
        (any::<Index>(), 0..TOKENS.len()).prop_map(|(i, t)| Mutation::Token(i, t)),
        (any::<Index>(), 0..400usize, any::<Index>())
            .prop_map(|(i, n, to)| Mutation::Copy(i, n, to)),
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), prop::collection::vec(any::<u8>(), 0..16))
            .prop_map(|(i, junk)| Mutation::Junk(i, junk)),
        (any::<Index>(), any::<u64>()).prop_map(|(i, n)| Mutation::Number(i, n)),
    ]
}

fn mutate(src: &[u8], changes: &[Mutation]) -> Vec<u8> {
    let mut v = src.to_vec();
    for change in changes {
        let at = |i: &Index, v: &Vec<u8>| pos(i, v.len() + 1);
        match change {
            Mutation::Flip(i, bit) => {
                if !v.is_empty() {
                    let i = pos(i, v.len());
                    v[i] ^= 1 << bit;
                }
            }
            Mutation::Drain(i, n) => {
                let a = at(i, &v);
                let end = (a + n).min(v.len());
                v.drain(a..end);
            }
            Mutation::Token(i, t) => {
                let a = at(i, &v);
                v.splice(a..a, TOKENS[*t].iter().copied());
            }
            Mutation::Copy(i, n, to) => {
                let a = at(i, &v);
                let chunk = v[a..(a + n).min(v.len())].to_vec();
                let to = at(to, &v);
                v.splice(to..to, chunk);
            }
            Mutation::Truncate(i) => {
                let a = at(i, &v);
                v.truncate(a);
            }
            Mutation::Junk(i, junk) => {
                let a = at(i, &v);
                v.splice(a..a, junk.iter().copied());
            }
            Mutation::Number(i, n) => {
                let a = at(i, &v);
                if let Some(p) = v.iter().skip(a).position(|b| b.is_ascii_digit()) {
                    v.splice(a + p..a + p + 1, n.to_string().bytes());
                }
            }
        }
    }
    v
}

#[test]
fn mutated_datasets_load_or_fail_cleanly() {
    let src = data::EMBEDDED_RON.as_bytes();
    let (ok, err) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    let changes = prop::collection::vec(mutation(), 1..5);
    check(3000, &changes, |changes| {
        let m = mutate(src, &changes);
        match data::load_bytes(&m, "mut.ron") {
            Ok(l) => {
                ok.set(ok.get() + 1);
                // What loads must also browse: draw it once.
                let opts = linkj::app::Options {
                    lang: data::Lang::Ja,
                    query: Some("a".into()),
                    as_of: chrono::NaiveDate::from_ymd_opt(2026, 6, 1),
                    ..linkj::app::Options::default()
                };
                let model = common::on(l, (80, 24), &opts);
                let _ = common::screen(&model);
            }
            Err(e) => {
                err.set(err.get() + 1);
                let s = e.to_string();
                prop_assert!(s.starts_with("mut.ron:"), "{s}");
                prop_assert!(!s.contains('\n'), "multi-line error {s:?}");
            }
        }
        Ok(())
    });
    eprintln!("mutants: {} loaded, {} rejected", ok.get(), err.get());
    assert!(
        err.get() > 0 && ok.get() > 0,
        "the mutations should produce both outcomes"
    );
}

const NAMED_KEYS: &[KeyCode] = &[
    KeyCode::Up,
    KeyCode::Down,
    KeyCode::PageUp,
    KeyCode::PageDown,
    KeyCode::Home,
    KeyCode::End,
    KeyCode::Tab,
    KeyCode::Enter,
    KeyCode::Esc,
    KeyCode::Backspace,
    KeyCode::Left,
    KeyCode::Right,
    KeyCode::Delete,
    KeyCode::BackTab,
];

const CHARS: &[char] = &[
    'j', 'k', 'g', 'G', '/', 'r', 't', 'c', 'L', '?', 'o', 's', 'a', 'k', '横', ' ', '!', '^',
    '\'', 'm', 'p', 'y',
];

const MOUSE: &[MouseEventKind] = &[
    MouseEventKind::ScrollDown,
    MouseEventKind::ScrollUp,
    MouseEventKind::Down(MouseButton::Left),
];

fn mouse(cols: u16, rows: u16) -> impl Strategy<Value = Event> {
    (prop::sample::select(MOUSE), 0..cols, 0..rows).prop_map(|(kind, column, row)| {
        Event::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    })
}

/// What a user sends: keys (letters the browser acts on, named keys, Ctrl-letters),
/// pastes (one an escape sequence), resizes, wheel turns and clicks.
fn event() -> impl Strategy<Value = Event> {
    let key = |code| Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    prop_oneof![
        1 => (1..=300u16, 1..=100u16).prop_map(|(w, h)| Event::Resize(w, h)),
        1 => prop::sample::select(&["横浜", "ＵＣＬＡ", "a b", "\u{1b}[2J", ""][..])
            .prop_map(|p| Event::Paste(p.to_string())),
        1 => mouse(310, 110),
        1 => prop::sample::select(&['w', 'u', 'n', 'p', 'd', 'a', 'e'][..])
            .prop_map(|c| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))),
        4 => prop::sample::select(NAMED_KEYS).prop_map(key),
        12 => prop::sample::select(CHARS).prop_map(move |c| key(KeyCode::Char(c))),
    ]
}

#[test]
fn random_keys_and_sizes_never_panic_and_keep_a_valid_selection() {
    let run = (
        (1..=300u16, 1..=100u16),
        prop::collection::vec(event(), 1..1000),
    );
    check(8, &run, |((w, h), events)| {
        let mut m = common::app(w, h);
        for (step, ev) in events.into_iter().enumerate() {
            common::event(&mut m, ev);
            if m.hits().is_empty() {
                prop_assert_eq!(m.selected(), 0);
            } else {
                prop_assert!(
                    m.selected() < m.hits().len(),
                    "step {}: selection {} of {}",
                    step,
                    m.selected(),
                    m.hits().len()
                );
                prop_assert!(m.hub_selected() || m.selected_row().is_some());
            }
            prop_assert!(
                m.offset() <= m.row_count(),
                "step {}: offset past the rows",
                step
            );
            if step % 4 == 0 {
                let s = common::screen(&m);
                prop_assert_eq!(s.lines().count(), m.size().1 as usize);
            }
        }
        Ok(())
    });
}

/// The screens a frame can show; each is checked on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Screen {
    Timeline,
    Detail,
    Search,
    Help,
    Stats,
    Map,
    Present,
}

fn screen_of(m: &linkj::session::Session) -> Screen {
    use linkj::mode::{Focus, View};
    if m.help() {
        return Screen::Help;
    }
    match (m.view(), m.focus()) {
        (View::Stats, _) => Screen::Stats,
        (View::Map, _) => Screen::Map,
        (View::Present, _) => Screen::Present,
        (View::Browse, Focus::Timeline) => Screen::Timeline,
        (View::Browse, Focus::Detail) => Screen::Detail,
        (View::Browse, Focus::Search) => Screen::Search,
    }
}

/// Brings the model to `to` with the keys a user would press (the query and filters
/// stay). The help overlay opens over the screen `under` picks.
fn enter(under: usize, m: &mut linkj::session::Session, to: Screen) {
    use linkj::mode::{Focus, View};
    if screen_of(m) == to {
        return;
    }
    if m.help() {
        common::key(m, KeyCode::Esc);
    }
    if m.view() != View::Browse {
        common::key(m, KeyCode::Esc);
    }
    match m.focus() {
        Focus::Search => common::key(m, KeyCode::Enter),
        Focus::Detail => common::key(m, KeyCode::Left),
        Focus::Timeline => {}
    }
    match to {
        Screen::Timeline => {}
        Screen::Detail => common::key(m, KeyCode::Tab),
        Screen::Search => common::typ(m, "/"),
        Screen::Help => {
            let under_screen = [
                Screen::Timeline,
                Screen::Detail,
                Screen::Stats,
                Screen::Map,
                Screen::Present,
            ][under % 5];
            enter(under, m, under_screen);
            common::typ(m, "?");
        }
        Screen::Stats => common::typ(m, "s"),
        Screen::Map => common::typ(m, "m"),
        Screen::Present => common::typ(m, "p"),
    }
    assert_eq!(screen_of(m), to, "could not enter {to:?}");
}

/// Sizes that have broken drawing before, the narrowest that holds a wide character,
/// and the edges of the layout's thresholds.
const EDGE_SIZES: &[(u16, u16)] = &[
    (0, 0),
    (1, 1),
    (2, 40),
    (3, 5),
    (165, 30),
    (98, 2),
    (220, 0),
    (0, 250),
    (250, 0),
    (1, 250),
    (250, 1),
    (59, 14),
    (59, 15),
    (60, 14),
    (60, 15),
    (99, 23),
    (99, 24),
    (100, 23),
    (100, 24),
    (250, 250),
];

/// A terminal size: one that broke before, an everyday one, any up to 250x250, or
/// the model's or near it (the model heard of a size, the terminal moved a little
/// since). Large frames are rarer than small ones only to keep the test quick.
#[derive(Debug, Clone)]
enum Size {
    Edge(Index),
    Everyday(u16, u16),
    Any(u16, u16),
    Near(i32, i32),
    Model,
}

fn size() -> impl Strategy<Value = Size> {
    prop_oneof![
        4 => any::<Index>().prop_map(Size::Edge),
        3 => (0..131u16, 0..61u16).prop_map(|(w, h)| Size::Everyday(w, h)),
        1 => (0..251u16, 0..251u16).prop_map(|(w, h)| Size::Any(w, h)),
        2 => (-3..=3i32, -3..=3i32).prop_map(|(dw, dh)| Size::Near(dw, dh)),
        2 => Just(Size::Model),
    ]
}

impl Size {
    fn of(&self, model: (u16, u16)) -> (u16, u16) {
        let near = |v: u16, d: i32| (i32::from(v) + d).clamp(0, 250) as u16;
        match self {
            Size::Edge(i) => EDGE_SIZES[i.index(EDGE_SIZES.len())],
            Size::Everyday(w, h) | Size::Any(w, h) => (*w, *h),
            Size::Near(dw, dh) => (near(model.0, *dw), near(model.1, *dh)),
            Size::Model => model,
        }
    }
}

/// An event for the model: mostly what [`event`] sends, with resizes to any size down
/// to 0x0 and clicks and wheel turns anywhere up to 260x260.
#[derive(Debug, Clone)]
enum ModelEvent {
    Resize(Size),
    Other(Event),
}

fn model_event() -> impl Strategy<Value = ModelEvent> {
    prop_oneof![
        1 => size().prop_map(ModelEvent::Resize),
        1 => mouse(261, 261).prop_map(ModelEvent::Other),
        6 => event().prop_map(ModelEvent::Other),
    ]
}

/// One sequence: bring the model to the screen (help over the screen `under` picks),
/// send it an event, draw it on a terminal of `frame`.
#[derive(Debug, Clone)]
struct Sequence {
    under: usize,
    event: ModelEvent,
    frame: Size,
}

fn sequence() -> impl Strategy<Value = Sequence> {
    (0..5usize, model_event(), size()).prop_map(|(under, event, frame)| Sequence {
        under,
        event,
        frame,
    })
}

/// Runs of sequences per screen, and at most this many sequences per run: about
/// 8,000 sequences per screen in all.
const RUNS: u32 = 40;
const SEQUENCES: usize = 400;

/// A real terminal can be resized between the event the model last heard and the draw:
/// every screen must draw inside the frame it is given, whatever size the model thinks
/// the terminal has. Each sequence brings the model to `to` with keys (the model carries
/// on from the sequence before: query, filters, language, selection, size), sends it a
/// random event (a resize among them), and draws it on a terminal resized independently.
fn draws_inside_any_frame(to: Screen) {
    let run = (size(), prop::collection::vec(sequence(), 1..=SEQUENCES));
    check(RUNS, &run, |(start, sequences)| {
        let (w, h) = start.of((80, 24));
        let mut m = common::app(w, h);
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).expect("term");
        for (n, seq) in sequences.iter().enumerate() {
            enter(seq.under, &mut m, to);
            let ev = match &seq.event {
                ModelEvent::Resize(size) => {
                    let (w, h) = size.of(m.size());
                    Event::Resize(w, h)
                }
                ModelEvent::Other(ev) => ev.clone(),
            };
            common::event(&mut m, ev.clone());
            enter(seq.under, &mut m, to);
            let (bw, bh) = seq.frame.of(m.size());
            t.backend_mut().resize(bw, bh);
            let drawn = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                t.draw(|f| linkj::ui::render(&m, f)).map(|_| ())
            }));
            match drawn {
                Ok(r) => r.expect("draw"),
                Err(e) => {
                    let msg = e
                        .downcast_ref::<String>()
                        .map(String::as_str)
                        .or_else(|| e.downcast_ref::<&str>().copied())
                        .unwrap_or("?");
                    return Err(TestCaseError::fail(format!(
                        "{to:?} sequence {n}: after {ev:?}, model at {:?}, terminal at \
                         {bw}x{bh}: draw panicked: {msg}",
                        m.size()
                    )));
                }
            }
        }
        Ok(())
    });
}

#[test]
fn timeline_draws_inside_any_frame() {
    draws_inside_any_frame(Screen::Timeline);
}

#[test]
fn detail_draws_inside_any_frame() {
    draws_inside_any_frame(Screen::Detail);
}

#[test]
fn search_bar_draws_inside_any_frame() {
    draws_inside_any_frame(Screen::Search);
}

#[test]
fn help_draws_inside_any_frame() {
    draws_inside_any_frame(Screen::Help);
}

#[test]
fn statistics_draws_inside_any_frame() {
    draws_inside_any_frame(Screen::Stats);
}

#[test]
fn map_draws_inside_any_frame() {
    draws_inside_any_frame(Screen::Map);
}

#[test]
fn present_draws_inside_any_frame() {
    draws_inside_any_frame(Screen::Present);
}
