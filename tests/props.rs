//! Property tests with a fixed seed (reproducible, no extra crate): thousands of random
//! inputs, no panic allowed.

mod common;

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use linkj::data;

/// xorshift64*: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
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
                let model = linkj::app::initial_model(l, (80, 24), &opts);
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
            if m.quit {
                m.quit = false;
            }
            if m.hits.is_empty() {
                assert_eq!(m.selected, 0);
            } else {
                assert!(
                    m.selected < m.hits.len(),
                    "run {run} step {step}: selection {} of {}",
                    m.selected,
                    m.hits.len()
                );
                assert!(m.selected_row().is_some());
            }
            assert!(
                m.offset <= m.rows.len(),
                "run {run} step {step}: offset past the rows"
            );
            if step % 4 == 0 {
                let s = common::screen(&m);
                assert_eq!(s.lines().count(), m.size.1 as usize);
            }
        }
    }
}
