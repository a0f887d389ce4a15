//! Keys to actions, per mode. The help overlay and the status line read the same table
//! (the reverse lookup), so what they show cannot drift from what the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::action::Action;
use crate::mode::{Mode, View};

/// A key with its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// Ctrl / Alt (Shift is part of the character).
    pub ctrl: bool,
}

const fn k(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: false,
    }
}
const fn code(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}
const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        ctrl: true,
    }
}

impl Key {
    /// How the key is written in help and hints.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "Up".into(),
            KeyCode::Down => "Down".into(),
            KeyCode::Left => "Left".into(),
            KeyCode::Right => "Right".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Delete => "Del".into(),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("Ctrl-{}", base.to_uppercase())
        } else {
            base
        }
    }
}

/// One binding: in these modes, this key does this.
#[derive(Debug, Clone)]
pub struct Binding {
    /// Modes where it applies.
    pub modes: &'static [Mode],
    /// The key.
    pub key: Key,
    /// What it does.
    pub action: Action,
}

const BROWSE: &[Mode] = &[Mode::Timeline, Mode::Detail, Mode::View];
const PANES: &[Mode] = &[Mode::Timeline, Mode::Detail];
const VIEW: &[Mode] = &[Mode::View];
const TIMELINE: &[Mode] = &[Mode::Timeline];
const DETAIL: &[Mode] = &[Mode::Detail];
const SEARCH: &[Mode] = &[Mode::Search];
const HELP: &[Mode] = &[Mode::Help];
/// Every mode: the keys that must work wherever the user is (quit, suspend).
const EVERY: &[Mode] = &[
    Mode::Timeline,
    Mode::Detail,
    Mode::Search,
    Mode::View,
    Mode::Help,
];

/// The whole keymap, in the order the help overlay lists it.
pub fn bindings() -> Vec<Binding> {
    use Action as A;
    let b = |modes, key, action| Binding { modes, key, action };
    vec![
        b(BROWSE, k('j'), A::Down),
        b(BROWSE, code(KeyCode::Down), A::Down),
        b(BROWSE, k('k'), A::Up),
        b(BROWSE, code(KeyCode::Up), A::Up),
        b(BROWSE, k('g'), A::First),
        b(BROWSE, code(KeyCode::Home), A::First),
        b(BROWSE, k('G'), A::Last),
        b(BROWSE, code(KeyCode::End), A::Last),
        b(BROWSE, code(KeyCode::PageDown), A::PageDown),
        b(BROWSE, ctrl('d'), A::PageDown),
        b(BROWSE, code(KeyCode::PageUp), A::PageUp),
        b(BROWSE, ctrl('u'), A::PageUp),
        b(PANES, code(KeyCode::Tab), A::ToggleFocus),
        b(PANES, code(KeyCode::BackTab), A::ToggleFocus),
        b(TIMELINE, code(KeyCode::Enter), A::FocusDetail),
        b(TIMELINE, code(KeyCode::Right), A::FocusDetail),
        b(DETAIL, code(KeyCode::Esc), A::FocusTimeline),
        b(DETAIL, code(KeyCode::Left), A::FocusTimeline),
        b(PANES, k('/'), A::FocusSearch),
        b(BROWSE, k('r'), A::CycleRegion),
        b(BROWSE, k('t'), A::CycleKind),
        b(BROWSE, k('a'), A::CycleStatus),
        b(BROWSE, k('c'), A::ClearAll),
        b(BROWSE, k('y'), A::CopySummary),
        b(PANES, k('h'), A::ToggleHub),
        b(BROWSE, k('s'), A::ToggleView(View::Stats)),
        b(BROWSE, k('m'), A::ToggleView(View::Map)),
        b(BROWSE, k('p'), A::ToggleView(View::Present)),
        b(VIEW, code(KeyCode::Esc), A::CloseView),
        b(TIMELINE, code(KeyCode::Esc), A::ClearAll),
        b(BROWSE, k('L'), A::ToggleLang),
        b(BROWSE, k('?'), A::ToggleHelp),
        b(BROWSE, k('q'), A::Quit),
        b(SEARCH, code(KeyCode::Enter), A::AcceptSearch),
        b(SEARCH, code(KeyCode::Esc), A::CancelSearch),
        b(SEARCH, code(KeyCode::Down), A::Down),
        b(SEARCH, ctrl('n'), A::Down),
        b(SEARCH, code(KeyCode::Up), A::Up),
        b(SEARCH, ctrl('p'), A::Up),
        b(SEARCH, code(KeyCode::Backspace), A::Backspace),
        b(SEARCH, ctrl('h'), A::Backspace),
        b(SEARCH, code(KeyCode::Delete), A::Delete),
        b(SEARCH, ctrl('u'), A::DeleteToStart),
        b(SEARCH, ctrl('w'), A::DeleteWord),
        b(SEARCH, code(KeyCode::Left), A::CaretLeft),
        b(SEARCH, ctrl('b'), A::CaretLeft),
        b(SEARCH, code(KeyCode::Right), A::CaretRight),
        b(SEARCH, ctrl('f'), A::CaretRight),
        b(SEARCH, code(KeyCode::Home), A::CaretStart),
        b(SEARCH, ctrl('a'), A::CaretStart),
        b(SEARCH, code(KeyCode::End), A::CaretEnd),
        b(SEARCH, ctrl('e'), A::CaretEnd),
        b(SEARCH, code(KeyCode::Tab), A::AcceptSearch),
        b(HELP, code(KeyCode::Esc), A::CloseHelp),
        b(HELP, k('?'), A::CloseHelp),
        b(HELP, k('q'), A::CloseHelp),
        b(HELP, k('j'), A::Down),
        b(HELP, code(KeyCode::Down), A::Down),
        b(HELP, k('k'), A::Up),
        b(HELP, code(KeyCode::Up), A::Up),
        b(HELP, code(KeyCode::PageDown), A::PageDown),
        b(HELP, code(KeyCode::PageUp), A::PageUp),
        b(EVERY, ctrl('c'), A::Quit),
        b(EVERY, ctrl('z'), A::Suspend),
    ]
}

/// The action for a key press in a mode, if any. Releases and repeats of non-press
/// kinds are ignored (some platforms report releases too).
pub fn action_for(mode: Mode, ev: &KeyEvent) -> Option<Action> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    let alt = ev.modifiers.contains(KeyModifiers::ALT);
    // Terminals disagree on whether Ctrl-letter arrives upper- or lowercase.
    let code = match ev.code {
        KeyCode::Char(c) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
        c => c,
    };
    let key = Key { code, ctrl };
    if !alt
        && let Some(b) = bindings()
            .into_iter()
            .find(|b| b.key == key && b.modes.contains(&mode))
    {
        return Some(b.action);
    }
    match (mode, ev.code) {
        (Mode::Search, KeyCode::Char(c)) if !ctrl && !alt => Some(Action::Insert(c)),
        _ => None,
    }
}

/// The keys bound to `action` in `mode`, as written in hints (reverse lookup).
pub fn keys_for(mode: Mode, action: &Action) -> Vec<String> {
    bindings()
        .iter()
        .filter(|b| b.modes.contains(&mode) && &b.action == action)
        .map(|b| b.key.label())
        .collect()
}

/// The help overlay's content: per mode, each action once with all its keys.
pub fn help_sections() -> Vec<(Mode, Vec<(String, &'static str)>)> {
    let all = bindings();
    [
        Mode::Timeline,
        Mode::Detail,
        Mode::View,
        Mode::Search,
        Mode::Help,
    ]
    .into_iter()
    .map(|mode| {
        let mut rows: Vec<(Action, Vec<String>)> = Vec::new();
        for b in all.iter().filter(|b| b.modes.contains(&mode)) {
            match rows.iter_mut().find(|(a, _)| *a == b.action) {
                Some((_, keys)) => keys.push(b.key.label()),
                None => rows.push((b.action.clone(), vec![b.key.label()])),
            }
        }
        let mut lines: Vec<(String, &'static str)> = rows
            .into_iter()
            .map(|(a, keys)| (keys.join(", "), a.describe()))
            .collect();
        if mode == Mode::Search {
            lines.insert(0, ("any text".into(), Action::Insert(' ').describe()));
        }
        (mode, lines)
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn letters_type_in_search_but_act_in_the_list() {
        let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(action_for(Mode::Timeline, &q), Some(Action::Quit));
        assert_eq!(action_for(Mode::Search, &q), Some(Action::Insert('q')));
        let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
        let ctrl_z = press(KeyCode::Char('z'), KeyModifiers::CONTROL);
        for m in [
            Mode::Timeline,
            Mode::Detail,
            Mode::Search,
            Mode::View,
            Mode::Help,
        ] {
            assert_eq!(action_for(m, &ctrl_c), Some(Action::Quit), "{m:?}");
            assert_eq!(action_for(m, &ctrl_z), Some(Action::Suspend), "{m:?}");
        }
    }

    #[test]
    fn releases_are_ignored() {
        let mut ev = press(KeyCode::Char('j'), KeyModifiers::NONE);
        ev.kind = KeyEventKind::Release;
        assert_eq!(action_for(Mode::Timeline, &ev), None);
    }

    #[test]
    fn reverse_lookup_lists_every_key() {
        assert_eq!(keys_for(Mode::Timeline, &Action::Down), ["j", "Down"]);
        assert_eq!(keys_for(Mode::Search, &Action::DeleteWord), ["Ctrl-W"]);
    }
}
