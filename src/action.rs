//! Every user intent, as one enum. Keys and mouse events map to these; `update` applies them.

use crate::mode::View;

/// What the user asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Quit linkj.
    Quit,
    /// Suspend linkj to the shell, as Ctrl-Z does in vim (`fg` brings it back).
    Suspend,
    /// Move the selection (or scroll the detail) down one line.
    Down,
    /// Move the selection (or scroll the detail) up one line.
    Up,
    /// Jump to the first entry (or the top of the detail).
    First,
    /// Jump to the last entry (or the bottom of the detail).
    Last,
    /// Move one page down.
    PageDown,
    /// Move one page up.
    PageUp,
    /// Switch focus between the timeline and the detail pane.
    ToggleFocus,
    /// Focus the detail pane.
    FocusDetail,
    /// Leave the detail pane for the timeline.
    FocusTimeline,
    /// Focus the search bar.
    FocusSearch,
    /// Leave the search bar, keeping the query.
    AcceptSearch,
    /// Clear the query and leave the search bar.
    CancelSearch,
    /// Type a character into the search bar.
    Insert(char),
    /// Paste text into the search bar.
    Paste(String),
    /// Delete the character before the caret.
    Backspace,
    /// Delete the character under the caret.
    Delete,
    /// Delete from the caret back to the start of the query.
    DeleteToStart,
    /// Delete the word before the caret.
    DeleteWord,
    /// Move the caret one character left.
    CaretLeft,
    /// Move the caret one character right.
    CaretRight,
    /// Move the caret to the start of the query.
    CaretStart,
    /// Move the caret to the end of the query.
    CaretEnd,
    /// Cycle the region filter through the declared regions, then all.
    CycleRegion,
    /// Cycle the kind filter through the declared kinds, then all.
    CycleKind,
    /// Cycle the agreement-status filter: active, ending, past term, unknown, all.
    CycleStatus,
    /// Clear the query and all filters.
    ClearAll,
    /// Send the selected partner's summary to the clipboard (OSC 52).
    CopySummary,
    /// Send the addresses of the pages the selected partner (or the hub) cites to the
    /// clipboard (OSC 52), one a line.
    CopySources,
    /// Select the hub's row (LINK-J's own card), or go back to the partner selected
    /// before.
    ToggleHub,
    /// Open a full-screen view, or go back to the browser if it is open.
    ToggleView(View),
    /// Back to the browser from a full-screen view.
    CloseView,
    /// Switch the display language between Japanese and English.
    ToggleLang,
    /// Open or close the help overlay.
    ToggleHelp,
    /// Close the help overlay.
    CloseHelp,
    /// The terminal was resized to (columns, rows).
    Resize(u16, u16),
    /// The mouse wheel turned over cell (column, row): positive is down.
    Scroll {
        /// Column.
        x: u16,
        /// Row.
        y: u16,
        /// Lines, positive down.
        delta: i32,
    },
    /// Score the next slice of a large search (the loop sends it when no key waits).
    SearchStep,
    /// A left click on cell (column, row).
    Click {
        /// Column.
        x: u16,
        /// Row.
        y: u16,
    },
}

impl Action {
    /// One line for the help overlay.
    pub fn describe(&self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Suspend => "suspend to the shell (fg resumes)",
            Action::Down => "next entry / scroll down",
            Action::Up => "previous entry / scroll up",
            Action::First => "first entry / top",
            Action::Last => "last entry / bottom",
            Action::PageDown => "page down",
            Action::PageUp => "page up",
            Action::ToggleFocus => "switch focus: timeline / detail",
            Action::FocusDetail => "read the detail",
            Action::FocusTimeline => "back to the timeline",
            Action::FocusSearch => "search",
            Action::AcceptSearch => "back to the list, keep the query",
            Action::CancelSearch => "clear the query, back to the list",
            Action::Insert(_) => "type into the query",
            Action::Paste(_) => "paste into the query",
            Action::Backspace => "delete the character before the caret",
            Action::Delete => "delete the character under the caret",
            Action::DeleteToStart => "delete to the start of the query",
            Action::DeleteWord => "delete the word before the caret",
            Action::CaretLeft => "caret left",
            Action::CaretRight => "caret right",
            Action::CaretStart => "caret to start",
            Action::CaretEnd => "caret to end",
            Action::CycleRegion => "cycle the region filter",
            Action::CycleKind => "cycle the kind filter",
            Action::CycleStatus => "cycle the status filter (active, ending, past term, unknown)",
            Action::ClearAll => "clear query and filters",
            Action::CopySummary => "copy the partner's summary (OSC 52, works over SSH)",
            Action::CopySources => "copy the addresses of the pages the partner cites (OSC 52)",
            Action::ToggleHub => "the hub: LINK-J's own card (seat, officers, counts, notes)",
            Action::ToggleView(View::Stats) => "statistics: per year, region, kind, status",
            Action::ToggleView(View::Map) => "map: partners around the hub",
            Action::ToggleView(View::Present) => "presentation: the partner full-screen",
            Action::ToggleView(View::Browse) => "the browser",
            Action::CloseView => "back to the browser",
            Action::ToggleLang => "switch language: 日本語 / English",
            Action::ToggleHelp => "help",
            Action::CloseHelp => "close help",
            Action::Resize(..) => "resize",
            Action::Scroll { .. } => "scroll",
            Action::Click { .. } => "click",
            Action::SearchStep => "go on searching",
        }
    }
}

/// The actions a key can be bound to, with the names the config file's `[keys]` tables
/// use for them (the rest come from typing, pasting, the mouse and the terminal).
pub const NAMED: &[(&str, Action)] = &[
    ("quit", Action::Quit),
    ("suspend", Action::Suspend),
    ("down", Action::Down),
    ("up", Action::Up),
    ("first", Action::First),
    ("last", Action::Last),
    ("page-down", Action::PageDown),
    ("page-up", Action::PageUp),
    ("toggle-focus", Action::ToggleFocus),
    ("focus-detail", Action::FocusDetail),
    ("focus-timeline", Action::FocusTimeline),
    ("search", Action::FocusSearch),
    ("accept-search", Action::AcceptSearch),
    ("cancel-search", Action::CancelSearch),
    ("backspace", Action::Backspace),
    ("delete", Action::Delete),
    ("delete-to-start", Action::DeleteToStart),
    ("delete-word", Action::DeleteWord),
    ("caret-left", Action::CaretLeft),
    ("caret-right", Action::CaretRight),
    ("caret-start", Action::CaretStart),
    ("caret-end", Action::CaretEnd),
    ("cycle-region", Action::CycleRegion),
    ("cycle-kind", Action::CycleKind),
    ("cycle-status", Action::CycleStatus),
    ("clear", Action::ClearAll),
    ("copy", Action::CopySummary),
    ("copy-sources", Action::CopySources),
    ("stats", Action::ToggleView(View::Stats)),
    ("map", Action::ToggleView(View::Map)),
    ("present", Action::ToggleView(View::Present)),
    ("close-view", Action::CloseView),
    ("toggle-lang", Action::ToggleLang),
    ("help", Action::ToggleHelp),
    ("hub", Action::ToggleHub),
    ("close-help", Action::CloseHelp),
];

impl Action {
    /// The action a config file names, if any.
    pub fn from_name(name: &str) -> Option<Action> {
        NAMED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, a)| a.clone())
    }

    /// The name a config file uses for this action, if it has one.
    pub fn name(&self) -> Option<&'static str> {
        NAMED.iter().find(|(_, a)| a == self).map(|(n, _)| *n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        for (name, action) in NAMED {
            assert_eq!(Action::from_name(name).as_ref(), Some(action));
            assert_eq!(action.name(), Some(*name));
        }
    }
}
