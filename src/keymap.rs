//! Keys to actions, per mode. The help overlay and the status line read the same table
//! (the reverse lookup), so what they show cannot drift from what the keys do. A
//! [`Keymap`] is the standard table with the user's remappings (the config file's
//! `[keys.*]` tables) laid over it.

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
const fn ctrl_code(code: KeyCode) -> Key {
    Key { code, ctrl: true }
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
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            match self.code {
                KeyCode::Char(_) => format!("Ctrl-{}", base.to_uppercase()),
                _ => format!("Ctrl-{base}"),
            }
        } else {
            base
        }
    }
}

/// One binding: in these modes, this key does this.
#[derive(Debug, Clone, PartialEq, Eq)]
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
const PALETTE: &[Mode] = &[Mode::Palette];
/// Where the query can be recalled and the selection taken back: wherever a partner
/// is selected.
const SELECTING: &[Mode] = &[Mode::Timeline, Mode::Detail, Mode::View, Mode::Search];
/// Every mode: the keys that must work wherever the user is (quit, suspend).
const EVERY: &[Mode] = &[
    Mode::Timeline,
    Mode::Detail,
    Mode::Search,
    Mode::View,
    Mode::Help,
    Mode::Palette,
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
        b(BROWSE, k('Y'), A::CopySources),
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
        b(SEARCH, code(KeyCode::PageDown), A::PageDown),
        b(SEARCH, code(KeyCode::PageUp), A::PageUp),
        b(SELECTING, code(KeyCode::F(1)), A::ToggleHelp),
        b(HELP, code(KeyCode::F(1)), A::CloseHelp),
        b(BROWSE, k(':'), A::OpenPalette),
        b(BROWSE, ctrl('p'), A::OpenPalette),
        b(BROWSE, k(' '), A::ToggleMark),
        b(BROWSE, k('M'), A::ClearMarks),
        b(SELECTING, ctrl('o'), A::Back),
        b(SELECTING, ctrl_code(KeyCode::Up), A::HistoryPrev),
        b(SELECTING, ctrl_code(KeyCode::Down), A::HistoryNext),
        b(VIEW, code(KeyCode::Enter), A::Drill),
        b(PALETTE, code(KeyCode::Enter), A::RunPalette),
        b(PALETTE, code(KeyCode::Esc), A::ClosePalette),
        b(PALETTE, code(KeyCode::F(1)), A::ToggleHelp),
        b(PALETTE, code(KeyCode::Down), A::Down),
        b(PALETTE, ctrl('n'), A::Down),
        b(PALETTE, code(KeyCode::Up), A::Up),
        b(PALETTE, ctrl('p'), A::Up),
        b(PALETTE, code(KeyCode::PageDown), A::PageDown),
        b(PALETTE, code(KeyCode::PageUp), A::PageUp),
        b(PALETTE, code(KeyCode::Backspace), A::Backspace),
        b(PALETTE, ctrl('h'), A::Backspace),
        b(PALETTE, ctrl('u'), A::DeleteToStart),
        b(PALETTE, ctrl('w'), A::DeleteWord),
        b(PALETTE, code(KeyCode::Left), A::CaretLeft),
        b(PALETTE, code(KeyCode::Right), A::CaretRight),
        b(EVERY, ctrl('c'), A::Quit),
        b(EVERY, ctrl('z'), A::Suspend),
    ]
}

/// The parts of the screen a remapping applies to, as the config file names them
/// (`[keys.browser]`, …), with their modes. They share no mode, so a remapping in one
/// never changes another; keys bound everywhere (Ctrl-C, Ctrl-Z) are in none of them
/// and always work.
pub const GROUPS: &[(&str, &[Mode])] = &[
    ("browser", BROWSE),
    ("search-bar", SEARCH),
    ("help", HELP),
    ("palette", PALETTE),
];

/// The keys a config file may name, for the message that lists them.
pub const KEY_NAMES: &str = "a character (q, G, /, ?), Ctrl- and a letter (Ctrl-D), Ctrl-Up, Ctrl-Down, Space, \
Up, Down, Left, Right, Home, End, PgUp, PgDn, Tab, Shift-Tab, Enter, Esc, Backspace, Del, F1-F12";

impl Key {
    /// The key a name written as in help and hints stands for (`q`, `Ctrl-D`, `PgDn`,
    /// `F5`); named keys in any case.
    pub fn parse(name: &str) -> Option<Key> {
        let mut chars = name.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return (!c.is_control()).then_some(k(c));
        }
        let lower = name.to_ascii_lowercase();
        if let Some(rest) = lower.strip_prefix("ctrl-") {
            let mut chars = rest.chars();
            return match (chars.next(), chars.next()) {
                (Some(c), None) if c.is_ascii_alphabetic() => Some(ctrl(c)),
                _ => match rest {
                    "up" => Some(ctrl_code(KeyCode::Up)),
                    "down" => Some(ctrl_code(KeyCode::Down)),
                    _ => None,
                },
            };
        }
        if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
            return (1..=12).contains(&n).then_some(code(KeyCode::F(n)));
        }
        let named = match lower.as_str() {
            "space" => KeyCode::Char(' '),
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pgup" => KeyCode::PageUp,
            "pgdn" => KeyCode::PageDown,
            "tab" => KeyCode::Tab,
            "shift-tab" => KeyCode::BackTab,
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "backspace" => KeyCode::Backspace,
            "del" => KeyCode::Delete,
            _ => return None,
        };
        Some(code(named))
    }
}

/// The key of a key press, as bindings are written: Ctrl-letters in lower case
/// (terminals disagree on which case they send). `None` for releases and Alt.
fn pressed(ev: &KeyEvent) -> Option<Key> {
    if ev.kind == KeyEventKind::Release || ev.modifiers.contains(KeyModifiers::ALT) {
        return None;
    }
    let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
    let code = match ev.code {
        KeyCode::Char(c) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
        c => c,
    };
    Some(Key { code, ctrl })
}

/// One remapping: in the modes of a group, `action` is on these keys instead of its
/// standard ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remap {
    /// The group's modes (one of [`GROUPS`]).
    pub modes: &'static [Mode],
    /// The action.
    pub action: Action,
    /// Its keys there (none: unbound there).
    pub keys: Vec<Key>,
}

/// The keymap in force: the standard bindings with the user's laid over them. A key
/// the user bound wins over a standard binding of the same key in the same mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    /// In help order; the user's in place of the standard bindings they replace.
    bindings: Vec<(Binding, bool)>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        Keymap {
            bindings: bindings().into_iter().map(|b| (b, false)).collect(),
        }
    }
}

/// The actions with a standard binding in these modes alone: what a group may remap.
pub fn remappable(modes: &[Mode]) -> Vec<&'static str> {
    let all = bindings();
    crate::action::NAMED
        .iter()
        .filter(|(_, a)| {
            all.iter()
                .any(|b| &b.action == a && b.modes.iter().all(|m| modes.contains(m)))
        })
        .map(|(n, _)| *n)
        .collect()
}

/// The modes where a remapping in a group's `modes` puts `action` on `key`: a standard
/// key of the action kept by the user keeps its own modes (Esc clears in the timeline
/// only); a new key takes those of the action's first standard binding in the group.
pub fn remap_modes(modes: &[Mode], action: &Action, key: &Key) -> &'static [Mode] {
    let standard: Vec<Binding> = bindings()
        .into_iter()
        .filter(|b| &b.action == action && b.modes.iter().all(|m| modes.contains(m)))
        .collect();
    standard
        .iter()
        .find(|b| b.key == *key)
        .or(standard.first())
        .map_or(&[], |b| b.modes)
}

impl Keymap {
    /// The standard keymap with `remaps` applied, in order. Each replaces the standard
    /// keys of its action in its group's modes (keys bound in every mode stay).
    pub fn with(remaps: &[Remap]) -> Keymap {
        let mut map = Keymap::default();
        for r in remaps {
            map.apply(r);
        }
        map
    }

    fn apply(&mut self, r: &Remap) {
        let inside =
            |b: &Binding| b.action == r.action && b.modes.iter().all(|m| r.modes.contains(m));
        let Some(at) = self.bindings.iter().position(|(b, _)| inside(b)) else {
            return;
        };
        self.bindings.retain(|(b, _)| !inside(b));
        for (i, key) in r.keys.iter().enumerate() {
            let b = Binding {
                modes: remap_modes(r.modes, &r.action, key),
                key: *key,
                action: r.action.clone(),
            };
            self.bindings
                .insert((at + i).min(self.bindings.len()), (b, true));
        }
    }

    /// The bindings that act in `mode`, in help order: for each key, the user's binding
    /// if there is one, else the first standard one.
    fn live(&self, mode: Mode) -> Vec<&Binding> {
        let here: Vec<&(Binding, bool)> = self
            .bindings
            .iter()
            .filter(|(b, _)| b.modes.contains(&mode))
            .collect();
        here.iter()
            .enumerate()
            .filter(|&(i, (b, user))| {
                !here.iter().enumerate().any(|(j, (o, o_user))| {
                    o.key == b.key && (*o_user && !user || *o_user == *user && j < i)
                })
            })
            .map(|(_, (b, _))| b)
            .collect()
    }

    /// The action for a key press in a mode, if any. Releases are ignored (some
    /// platforms report them); in the search bar, a plain character types itself.
    pub fn action_for(&self, mode: Mode, ev: &KeyEvent) -> Option<Action> {
        let key = pressed(ev)?;
        if let Some(b) = self.live(mode).into_iter().find(|b| b.key == key) {
            return Some(b.action.clone());
        }
        match (mode, key.code) {
            (Mode::Search | Mode::Palette, KeyCode::Char(c)) if !key.ctrl => {
                Some(Action::Insert(c))
            }
            (Mode::Timeline, KeyCode::Char(c)) if !key.ctrl => {
                c.to_digit(10).map(|d| Action::Count(d as u8))
            }
            _ => None,
        }
    }

    /// The keys bound to `action` in `mode`, as written in hints (reverse lookup).
    pub fn keys_for(&self, mode: Mode, action: &Action) -> Vec<String> {
        self.live(mode)
            .into_iter()
            .filter(|b| &b.action == action)
            .map(|b| b.key.label())
            .collect()
    }

    /// The help overlay's content: per mode, each action once with all its keys.
    pub fn help_sections(&self) -> Vec<(Mode, Vec<(String, &'static str)>)> {
        [
            Mode::Timeline,
            Mode::Detail,
            Mode::View,
            Mode::Search,
            Mode::Palette,
            Mode::Help,
        ]
        .into_iter()
        .map(|mode| {
            let mut rows: Vec<(Action, Vec<String>)> = Vec::new();
            for b in self.live(mode) {
                match rows.iter_mut().find(|(a, _)| *a == b.action) {
                    Some((_, keys)) => keys.push(b.key.label()),
                    None => rows.push((b.action.clone(), vec![b.key.label()])),
                }
            }
            let mut lines: Vec<(String, &'static str)> = rows
                .into_iter()
                .map(|(a, keys)| (keys.join(", "), a.describe()))
                .collect();
            if matches!(mode, Mode::Search | Mode::Palette) {
                lines.insert(0, ("any text".into(), Action::Insert(' ').describe()));
            }
            if mode == Mode::Timeline {
                lines.push(("0-9".into(), Action::Count(0).describe()));
            }
            (mode, lines)
        })
        .collect()
    }
}

/// The action for a key press in a mode in the standard keymap.
pub fn action_for(mode: Mode, ev: &KeyEvent) -> Option<Action> {
    Keymap::default().action_for(mode, ev)
}

/// The keys bound to `action` in `mode` in the standard keymap.
pub fn keys_for(mode: Mode, action: &Action) -> Vec<String> {
    Keymap::default().keys_for(mode, action)
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
    fn every_bound_action_has_a_name_for_the_config_file() {
        for b in bindings() {
            assert!(b.action.name().is_some(), "{:?} has no name", b.action);
        }
    }

    #[test]
    fn reverse_lookup_lists_every_key() {
        assert_eq!(keys_for(Mode::Timeline, &Action::Down), ["j", "Down"]);
        assert_eq!(keys_for(Mode::Search, &Action::DeleteWord), ["Ctrl-W"]);
    }
}
