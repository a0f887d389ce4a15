//! Leaf types every layer may name: which view fills the screen, which pane has the
//! keyboard, and the keyboard mode that follows from both. They import nothing, so the
//! action enum, the keymap, the session and the views can all use them without one
//! reaching up into another.

/// What fills the screen between the search bar and the status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// The timeline and the detail pane.
    #[default]
    Browse,
    /// Partnerships per year, region, kind and agreement status.
    Stats,
    /// Partners on a world map around the hub.
    Map,
    /// The selected partner's card, large, for projecting.
    Present,
}

/// Which pane has the keyboard (the help overlay sits above all of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    /// The timeline list.
    #[default]
    Timeline,
    /// The detail pane.
    Detail,
    /// The search bar.
    Search,
}

/// Which part of the UI has the keyboard: what the keymap looks keys up by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The timeline list.
    Timeline,
    /// The detail pane.
    Detail,
    /// The search bar.
    Search,
    /// A full-screen view (statistics, map, presentation).
    View,
    /// The help overlay.
    Help,
    /// The command palette.
    Palette,
}

impl Mode {
    /// The mode for a screen: help above everything, then the command palette, then a
    /// full-screen view, then the focused pane.
    pub fn of(help: bool, palette: bool, view: View, focus: Focus) -> Mode {
        if help {
            return Mode::Help;
        }
        if palette {
            return Mode::Palette;
        }
        if view != View::Browse {
            return Mode::View;
        }
        match focus {
            Focus::Timeline => Mode::Timeline,
            Focus::Detail => Mode::Detail,
            Focus::Search => Mode::Search,
        }
    }

    /// Heading in the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Mode::Timeline => "Timeline",
            Mode::Detail => "Detail pane",
            Mode::Search => "Search bar",
            Mode::View => "Statistics, map and presentation",
            Mode::Help => "Help",
            Mode::Palette => "Command palette",
        }
    }
}
