//! A visitor's keystrokes, from the bytes their SSH client sends to the events the
//! browser's keymap reads. termina's streaming parser does the decoding (escape
//! sequences and UTF-8 split across packets, bracketed paste, Alt, SGR mouse); this
//! module maps its events onto crossterm's, decides a lone Esc after a pause, and caps
//! a paste.

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use termina::event as t;

/// The longest paste kept, in bytes: the query takes 256 characters, so a paste of a
/// whole document need not be held (or cleaned) in full.
pub const MAX_PASTE_BYTES: usize = 64 * 1024;

/// Bytes in, events out.
#[derive(Debug, Default)]
pub struct Decoder {
    parser: termina::Parser,
    /// Bytes fed since the last call that may complete later (a lone Esc).
    holding: bool,
}

impl Decoder {
    /// Feeds bytes as they arrived; returns the events they complete.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Event> {
        self.parser.parse(bytes, true);
        let events = self.drain();
        self.holding = !bytes.is_empty() && events.is_empty() || bytes.last() == Some(&0x1b);
        events
    }

    /// Whether an Esc (or the start of a sequence) is waiting for more bytes.
    pub fn holding(&self) -> bool {
        self.holding
    }

    /// No more bytes came for a while: what is held is complete (a lone Esc is Esc).
    pub fn flush(&mut self) -> Vec<Event> {
        self.holding = false;
        self.parser.parse(&[], false);
        self.drain()
    }

    fn drain(&mut self) -> Vec<Event> {
        std::iter::from_fn(|| self.parser.pop())
            .filter_map(convert)
            .collect()
    }
}

/// crossterm's event for termina's, or `None` for what the browser has no use for
/// (key releases, focus reports, terminal replies).
fn convert(ev: t::Event) -> Option<Event> {
    match ev {
        t::Event::Key(k) if k.kind != t::KeyEventKind::Release => key(k).map(Event::Key),
        t::Event::Mouse(m) => mouse(m).map(Event::Mouse),
        t::Event::Paste(mut s) => {
            if s.len() > MAX_PASTE_BYTES {
                let mut end = MAX_PASTE_BYTES;
                while !s.is_char_boundary(end) {
                    end -= 1;
                }
                s.truncate(end);
            }
            Some(Event::Paste(s))
        }
        _ => None,
    }
}

fn modifiers(m: t::Modifiers) -> KeyModifiers {
    let mut out = KeyModifiers::NONE;
    for (from, to) in [
        (t::Modifiers::SHIFT, KeyModifiers::SHIFT),
        (t::Modifiers::ALT, KeyModifiers::ALT),
        (t::Modifiers::CONTROL, KeyModifiers::CONTROL),
        (t::Modifiers::SUPER, KeyModifiers::SUPER),
    ] {
        if m.contains(from) {
            out |= to;
        }
    }
    out
}

fn key(k: t::KeyEvent) -> Option<KeyEvent> {
    let code = match k.code {
        t::KeyCode::Char(c) => KeyCode::Char(c),
        t::KeyCode::Enter => KeyCode::Enter,
        t::KeyCode::Backspace => KeyCode::Backspace,
        t::KeyCode::Tab => KeyCode::Tab,
        t::KeyCode::BackTab => KeyCode::BackTab,
        t::KeyCode::Escape => KeyCode::Esc,
        t::KeyCode::Left => KeyCode::Left,
        t::KeyCode::Right => KeyCode::Right,
        t::KeyCode::Up => KeyCode::Up,
        t::KeyCode::Down => KeyCode::Down,
        t::KeyCode::Home => KeyCode::Home,
        t::KeyCode::End => KeyCode::End,
        t::KeyCode::PageUp => KeyCode::PageUp,
        t::KeyCode::PageDown => KeyCode::PageDown,
        t::KeyCode::Insert => KeyCode::Insert,
        t::KeyCode::Delete => KeyCode::Delete,
        t::KeyCode::Function(n) => KeyCode::F(n),
        _ => return None,
    };
    let kind = match k.kind {
        t::KeyEventKind::Repeat => KeyEventKind::Repeat,
        _ => KeyEventKind::Press,
    };
    Some(KeyEvent::new_with_kind(code, modifiers(k.modifiers), kind))
}

fn mouse(m: t::MouseEvent) -> Option<MouseEvent> {
    let button = |b: t::MouseButton| match b {
        t::MouseButton::Left => MouseButton::Left,
        t::MouseButton::Right => MouseButton::Right,
        t::MouseButton::Middle => MouseButton::Middle,
    };
    let kind = match m.kind {
        t::MouseEventKind::Down(b) => MouseEventKind::Down(button(b)),
        t::MouseEventKind::Up(b) => MouseEventKind::Up(button(b)),
        t::MouseEventKind::Drag(b) => MouseEventKind::Drag(button(b)),
        t::MouseEventKind::Moved => MouseEventKind::Moved,
        t::MouseEventKind::ScrollDown => MouseEventKind::ScrollDown,
        t::MouseEventKind::ScrollUp => MouseEventKind::ScrollUp,
        _ => return None,
    };
    Some(MouseEvent {
        kind,
        column: m.column,
        row: m.row,
        modifiers: modifiers(m.modifiers),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(events: &[Event]) -> Vec<(KeyCode, KeyModifiers)> {
        events
            .iter()
            .filter_map(|e| match e {
                Event::Key(k) => Some((k.code, k.modifiers)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn sequences_and_utf8_split_across_packets_come_out_whole() {
        let mut d = Decoder::default();
        // Up arrow in three packets, then 横 (E6 A8 AA) in two.
        assert!(d.feed(b"\x1b").is_empty());
        assert!(d.feed(b"[").is_empty());
        let up = d.feed(b"A");
        assert_eq!(keys(&up), [(KeyCode::Up, KeyModifiers::NONE)]);
        assert!(d.feed(&[0xE6, 0xA8]).is_empty());
        let yoko = d.feed(&[0xAA]);
        assert_eq!(keys(&yoko), [(KeyCode::Char('横'), KeyModifiers::NONE)]);
    }

    #[test]
    fn a_visitors_ctrl_up_and_ctrl_down_recall_queries_as_locally() {
        let mut d = Decoder::default();
        let ev = d.feed(b"\x1b[1;5A\x1b[1;5B");
        assert_eq!(
            keys(&ev),
            [
                (KeyCode::Up, KeyModifiers::CONTROL),
                (KeyCode::Down, KeyModifiers::CONTROL)
            ]
        );
        let Some(Event::Key(up)) = ev.first() else {
            panic!("a key")
        };
        assert_eq!(
            crate::keymap::action_for(crate::mode::Mode::Search, up),
            Some(crate::action::Action::HistoryPrev)
        );
    }

    #[test]
    fn a_lone_escape_is_esc_after_the_pause_and_alt_keys_are_alt() {
        let mut d = Decoder::default();
        assert!(d.feed(b"\x1b").is_empty());
        assert!(d.holding());
        assert_eq!(keys(&d.flush()), [(KeyCode::Esc, KeyModifiers::NONE)]);
        let alt = d.feed(b"\x1bx");
        assert_eq!(keys(&alt), [(KeyCode::Char('x'), KeyModifiers::ALT)]);
    }

    #[test]
    fn pastes_come_whole_and_capped_and_mouse_reports_map() {
        let mut d = Decoder::default();
        let mut events = d.feed(b"\x1b[200~osaka q");
        events.extend(d.feed(b" kobe\x1b[201~"));
        assert_eq!(events, [Event::Paste("osaka q kobe".into())]);
        let big = format!("\x1b[200~{}\x1b[201~", "横".repeat(MAX_PASTE_BYTES));
        match d.feed(big.as_bytes()).as_slice() {
            [Event::Paste(s)] => assert!(s.len() <= MAX_PASTE_BYTES && s.starts_with('横')),
            other => panic!("{other:?}"),
        }
        let wheel = d.feed(b"\x1b[<65;10;5M");
        assert!(matches!(
            wheel.as_slice(),
            [Event::Mouse(MouseEvent {
                kind: MouseEventKind::ScrollDown,
                column: 9,
                row: 4,
                ..
            })]
        ));
    }
}
