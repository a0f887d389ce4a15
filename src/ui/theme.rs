//! Styles. Only the 16 ANSI colours, so the palette follows the user's terminal theme and
//! stays readable on dark and light backgrounds; with colour off, modifiers alone.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders};

/// The styles the view uses.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    /// Ordinary text.
    pub base: Style,
    /// Secondary text.
    pub dim: Style,
    /// Headings and names.
    pub title: Style,
    /// Unfocused pane borders.
    pub border: Style,
    /// The focused pane's border.
    pub border_focus: Style,
    /// The selected timeline row.
    pub selected: Style,
    /// Characters the query matched.
    pub matched: Style,
    /// Year headings.
    pub year: Style,
    /// Region tags.
    pub region: Style,
    /// Kind tags.
    pub kind: Style,
    /// Ordinal gaps.
    pub gap: Style,
    /// Conflicting facts.
    pub conflict: Style,
    /// Inferred facts.
    pub inferred: Style,
    /// Key names in hints.
    pub key: Style,
    /// Field labels in the detail.
    pub label: Style,
    /// Border characters.
    pub border_set: border::Set<'static>,
    /// Marks cut text.
    pub ellipsis: char,
    /// A marked partner's sign in the timeline.
    pub mark: char,
    /// Scrollbar track and thumb.
    pub scroll: (&'static str, &'static str),
    /// The plain style: no East-Asian-ambiguous characters anywhere (no block glyphs,
    /// no middle dots).
    pub plain: bool,
}

/// ASCII borders: every character one cell wide in every terminal.
const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

impl Theme {
    /// The colour theme, or the monochrome one when `color` is false (`NO_COLOR`); with
    /// `plain`, the chrome uses ASCII only (no East-Asian-ambiguous characters).
    pub fn new(color: bool, plain: bool) -> Theme {
        Theme::build(color, false, plain)
    }

    /// A pane's bordered block titled `title`: the focused pane's border and title
    /// stand out, so one look tells where the keys go.
    pub fn pane(&self, title: String, focused: bool) -> Block<'static> {
        Block::default()
            .borders(Borders::ALL)
            .border_set(self.border_set)
            .title(Span::styled(
                title,
                if focused {
                    self.border_focus
                } else {
                    self.title
                },
            ))
            .border_style(if focused {
                self.border_focus
            } else {
                self.border
            })
    }

    /// As [`Theme::new`], with the light palette (for light backgrounds) when `light`.
    pub fn build(color: bool, light: bool, plain: bool) -> Theme {
        let mut t = Theme::styles(color);
        if color && light {
            t = Theme::light(t);
        }
        if plain {
            t.plain = true;
            t.border_set = ASCII_BORDER;
            t.ellipsis = '~';
            t.mark = '+';
            t.scroll = ("|", "#");
        }
        t
    }

    /// Colours that read on a light background: blue instead of cyan, no yellow.
    fn light(dark: Theme) -> Theme {
        let b = Modifier::BOLD;
        Theme {
            dim: Style::default().fg(Color::DarkGray),
            border: Style::default().fg(Color::Gray),
            border_focus: Style::default().fg(Color::Blue).add_modifier(b),
            year: Style::default().fg(Color::Blue).add_modifier(b),
            region: Style::default().fg(Color::Blue),
            inferred: Style::default().fg(Color::Magenta),
            key: Style::default().fg(Color::Blue).add_modifier(b),
            ..dark
        }
    }

    fn styles(color: bool) -> Theme {
        let b = Modifier::BOLD;
        let border_set = border::PLAIN;
        let ellipsis = '…';
        let scroll = ("│", "█");
        if !color {
            let plain = Style::default();
            return Theme {
                base: plain,
                dim: plain,
                title: plain.add_modifier(b),
                border: plain,
                border_focus: plain.add_modifier(b),
                selected: plain.add_modifier(Modifier::REVERSED | b),
                matched: plain.add_modifier(b | Modifier::UNDERLINED),
                year: plain.add_modifier(b),
                region: plain,
                kind: plain,
                gap: plain.add_modifier(Modifier::ITALIC),
                conflict: plain.add_modifier(b),
                inferred: plain.add_modifier(Modifier::ITALIC),
                key: plain.add_modifier(b),
                label: plain.add_modifier(b),
                border_set,
                ellipsis,
                mark: '✓',
                scroll,
                plain: false,
            };
        }
        Theme {
            base: Style::default(),
            dim: Style::default().fg(Color::DarkGray),
            title: Style::default().add_modifier(b),
            border: Style::default().fg(Color::DarkGray),
            border_focus: Style::default().fg(Color::Cyan).add_modifier(b),
            selected: Style::default().add_modifier(Modifier::REVERSED | b),
            matched: Style::default()
                .fg(Color::Magenta)
                .add_modifier(b | Modifier::UNDERLINED),
            year: Style::default().fg(Color::Cyan).add_modifier(b),
            region: Style::default().fg(Color::Cyan),
            kind: Style::default().fg(Color::Green),
            gap: Style::default()
                .fg(Color::DarkGray)
                .add_modifier(Modifier::ITALIC),
            conflict: Style::default().fg(Color::Red).add_modifier(b),
            inferred: Style::default().fg(Color::Yellow),
            key: Style::default().fg(Color::Cyan).add_modifier(b),
            label: Style::default().add_modifier(b),
            border_set,
            ellipsis,
            mark: '✓',
            scroll,
            plain: false,
        }
    }
}
