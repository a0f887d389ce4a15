//! Property tests with a fixed seed (reproducible, no extra crate): thousands of random
//! inputs, no panic allowed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

mod common;

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use linkj::data;

use common::Rng;

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

fn mutate(rng: &mut Rng, src: &[u8]) -> Vec<u8> {
    let mut v = src.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = v.len().max(1);
        let at = rng.below(len);
        match rng.below(7) {
            0 => {
                if !v.is_empty() {
                    let i = at.min(v.len() - 1);
                    v[i] ^= 1 << rng.below(8);
                }
            }
            1 => {
                let end = (at + rng.below(64)).min(v.len());
                v.drain(at.min(v.len())..end);
            }
            2 => {
                let tok = TOKENS[rng.below(TOKENS.len())];
                let i = at.min(v.len());
                v.splice(i..i, tok.iter().copied());
            }
            3 => {
                let end = (at + rng.below(400)).min(v.len());
                let chunk = v[at.min(v.len())..end].to_vec();
                let to = rng.below(v.len().max(1)).min(v.len());
                v.splice(to..to, chunk);
            }
            4 => v.truncate(at),
            5 => {
                let i = at.min(v.len());
                let junk: Vec<u8> = (0..rng.below(16)).map(|_| rng.next() as u8).collect();
                v.splice(i..i, junk);
            }
            _ => {
                // Replace a digit run with another number.
                if let Some(p) = v.iter().skip(at).position(|b| b.is_ascii_digit()) {
                    let i = at + p;
                    let n = rng.next().to_string();
                    v.splice(i..i + 1, n.bytes());
                }
            }
        }
    }
    v
}

#[test]
fn mutated_datasets_load_or_fail_cleanly() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let src = data::EMBEDDED_RON.as_bytes();
    let (mut ok, mut err) = (0, 0);
    for i in 0..3000 {
        let m = mutate(&mut rng, src);
        match data::load_bytes(&m, "mut.ron") {
            Ok(l) => {
                ok += 1;
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
                err += 1;
                let s = e.to_string();
                assert!(s.starts_with("mut.ron:"), "mutant {i}: {s}");
                assert!(!s.contains('\n'), "mutant {i}: multi-line error {s:?}");
            }
        }
    }
    eprintln!("mutants: {ok} loaded, {err} rejected");
    assert!(
        err > 0 && ok > 0,
        "the mutations should produce both outcomes"
    );
}

fn random_event(rng: &mut Rng) -> Event {
    let key = |code| Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    match rng.below(20) {
        0 => Event::Resize(1 + rng.below(300) as u16, 1 + rng.below(100) as u16),
        1 => Event::Paste(["横浜", "ＵＣＬＡ", "a b", "\u{1b}[2J", ""][rng.below(5)].to_string()),
        2 => Event::Mouse(MouseEvent {
            kind: [
                MouseEventKind::ScrollDown,
                MouseEventKind::ScrollUp,
                MouseEventKind::Down(MouseButton::Left),
            ][rng.below(3)],
            column: rng.below(310) as u16,
            row: rng.below(110) as u16,
            modifiers: KeyModifiers::NONE,
        }),
        3 => Event::Key(KeyEvent::new(
            KeyCode::Char(['w', 'u', 'n', 'p', 'd', 'a', 'e'][rng.below(7)]),
            KeyModifiers::CONTROL,
        )),
        4..=7 => key([
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
        ][rng.below(14)]),
        _ => key(KeyCode::Char(
            [
                'j', 'k', 'g', 'G', '/', 'r', 't', 'c', 'L', '?', 'o', 's', 'a', 'k', '横', ' ',
                '!', '^', '\'', 'm', 'p', 'y',
            ][rng.below(22)],
        )),
    }
}

#[test]
fn random_keys_and_sizes_never_panic_and_keep_a_valid_selection() {
    let mut rng = Rng(0xdead_beef_cafe_f00d);
    for run in 0..6 {
        let mut m = common::app(1 + rng.below(300) as u16, 1 + rng.below(100) as u16);
        for step in 0..700 {
            let ev = random_event(&mut rng);
            common::event(&mut m, ev.clone());
            if m.hits().is_empty() {
                assert_eq!(m.selected(), 0);
            } else {
                assert!(
                    m.selected() < m.hits().len(),
                    "run {run} step {step}: selection {} of {}",
                    m.selected(),
                    m.hits().len()
                );
                assert!(m.hub_selected() || m.selected_row().is_some());
            }
            assert!(
                m.offset() <= m.row_count(),
                "run {run} step {step}: offset past the rows"
            );
            if step % 4 == 0 {
                let s = common::screen(&m);
                assert_eq!(s.lines().count(), m.size().1 as usize);
            }
        }
    }
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
/// stay). The help overlay opens over a screen picked at random.
fn enter(rng: &mut Rng, m: &mut linkj::session::Session, to: Screen) {
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
            let under = [
                Screen::Timeline,
                Screen::Detail,
                Screen::Stats,
                Screen::Map,
                Screen::Present,
            ][rng.below(5)];
            enter(rng, m, under);
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
/// `model` or near it (the model heard of a size, the terminal moved a little since).
/// Large frames are rarer than small ones only to keep the test quick.
fn random_size(rng: &mut Rng, model: (u16, u16)) -> (u16, u16) {
    let near = |rng: &mut Rng, v: u16| {
        let d = rng.below(7) as i32 - 3;
        (i32::from(v) + d).clamp(0, 250) as u16
    };
    match rng.below(12) {
        0..=3 => EDGE_SIZES[rng.below(EDGE_SIZES.len())],
        4..=6 => (rng.below(131) as u16, rng.below(61) as u16),
        7 => (rng.below(251) as u16, rng.below(251) as u16),
        8 | 9 => (near(rng, model.0), near(rng, model.1)),
        _ => model,
    }
}

/// An event for the model: mostly what [`random_event`] sends, with resizes to any
/// size down to 0x0 and clicks and wheel turns anywhere up to 260x260.
fn model_event(rng: &mut Rng, size: (u16, u16)) -> Event {
    match rng.below(8) {
        0 => {
            let (w, h) = random_size(rng, size);
            Event::Resize(w, h)
        }
        1 => Event::Mouse(MouseEvent {
            kind: [
                MouseEventKind::ScrollDown,
                MouseEventKind::ScrollUp,
                MouseEventKind::Down(MouseButton::Left),
            ][rng.below(3)],
            column: rng.below(261) as u16,
            row: rng.below(261) as u16,
            modifiers: KeyModifiers::NONE,
        }),
        _ => random_event(rng),
    }
}

/// Sequences per screen.
const RESIZE_SEQUENCES: usize = 10_000;

/// A real terminal can be resized between the event the model last heard and the draw:
/// every screen must draw inside the frame it is given, whatever size the model thinks
/// the terminal has. Each sequence brings the model to `to` with keys (the model carries
/// on from the sequence before: query, filters, language, selection, size), sends it a
/// random event (a resize among them), and draws it on a terminal resized independently.
fn draws_inside_any_frame(to: Screen, seed: u64) {
    let mut rng = Rng(seed);
    let (w, h) = random_size(&mut rng, (80, 24));
    let mut m = common::app(w, h);
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).expect("term");
    for seq in 0..RESIZE_SEQUENCES {
        enter(&mut rng, &mut m, to);
        let ev = model_event(&mut rng, m.size());
        common::event(&mut m, ev.clone());
        enter(&mut rng, &mut m, to);
        let (bw, bh) = random_size(&mut rng, m.size());
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
                panic!(
                    "{to:?} sequence {seq}: after {ev:?}, model at {:?}, terminal at \
                     {bw}x{bh}: draw panicked: {msg}",
                    m.size()
                );
            }
        }
    }
}

#[test]
fn timeline_draws_inside_any_frame() {
    draws_inside_any_frame(Screen::Timeline, 0x0001_d1a5_7e5e_ed01);
}

#[test]
fn detail_draws_inside_any_frame() {
    draws_inside_any_frame(Screen::Detail, 0x0002_d1a5_7e5e_ed02);
}

#[test]
fn search_bar_draws_inside_any_frame() {
    draws_inside_any_frame(Screen::Search, 0x0003_d1a5_7e5e_ed03);
}

#[test]
fn help_draws_inside_any_frame() {
    draws_inside_any_frame(Screen::Help, 0x0004_d1a5_7e5e_ed04);
}

#[test]
fn statistics_draws_inside_any_frame() {
    draws_inside_any_frame(Screen::Stats, 0x0005_d1a5_7e5e_ed05);
}

#[test]
fn map_draws_inside_any_frame() {
    draws_inside_any_frame(Screen::Map, 0x0006_d1a5_7e5e_ed06);
}

#[test]
fn present_draws_inside_any_frame() {
    draws_inside_any_frame(Screen::Present, 0x0007_d1a5_7e5e_ed07);
}
