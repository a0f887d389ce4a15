//! The help overlay, generated from the keymap so it cannot drift from the keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::Theme;
use crate::keymap::Keymap;
use crate::session::Session;
use crate::text::pad;

const KEYS_W: usize = 22;

fn content(t: &Theme, keys: &Keymap) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (mode, rows) in keys.help_sections() {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(mode.title(), t.title));
        for (keys, desc) in rows {
            lines.push(Line::from(vec![
                Span::raw("  "),
                Span::styled(pad(&keys, KEYS_W), t.key),
                Span::raw(desc),
            ]));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Mouse", t.title));
    lines.push(Line::raw(
        "  wheel scrolls the pane under the pointer; click selects a row",
    ));
    lines.push(Line::raw(""));
    lines.push(Line::styled("Search", t.title));
    lines.push(Line::raw(
        "  space-separated terms must all match (fuzzy: letters in order);",
    ));
    lines.push(Line::raw(
        "  names in both languages, short names, aliases, people's names and",
    ));
    lines.push(Line::raw(
        "  roles, places and countries are searched; 曾/曽, 髙/高 and the like",
    ));
    lines.push(Line::raw(
        "  match each other. A number (7, #7, No. 7, 7例目, 第7号) puts that",
    ));
    lines.push(Line::raw(
        "  partnership first. The browser starts in the search bar: Esc on an",
    ));
    lines.push(Line::raw(
        "  empty query gives the single-letter keys of the timeline",
    ));
    lines.push(Line::raw(""));
    lines.push(Line::styled("Markers", t.title));
    lines.push(Line::raw(
        "  [inferred]: our reading, not stated; [sources disagree]: the sources",
    ));
    lines.push(Line::raw(
        "  differ and one reading is shown. The notes at the end of each card",
    ));
    lines.push(Line::raw(
        "  say why, with every reading and its source. The first row, LINK-J,",
    ));
    lines.push(Line::raw(
        "  is the hub: its card holds its own notes and the gaps in the count.",
    ));
    lines.push(Line::raw(
        "  In the timeline, * after a number or date: inferred; !: sources disagree;",
    ));
    lines.push(Line::raw(
        "  a mark before the number: marked for the brief that y copies",
    ));
    lines
}

/// Number of lines of help.
pub fn line_count(keys: &Keymap) -> usize {
    content(&Theme::new(false, false), keys).len()
}

/// Where the overlay goes in `full`.
pub fn area(full: Rect, keys: &Keymap) -> Rect {
    let w = full.width.saturating_sub(4).min(76);
    let h = full
        .height
        .saturating_sub(2)
        .min(line_count(keys) as u16 + 2);
    Rect {
        x: full.x + (full.width - w) / 2,
        y: full.y + (full.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Draws the overlay.
pub fn render(m: &Session, t: &Theme, full: Rect, f: &mut Frame) {
    let r = area(full, m.keymap());
    let lines = content(t, m.keymap());
    let page = r.height.saturating_sub(2) as usize;
    let more = lines.len() > page;
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_set(t.border_set)
        .border_style(t.border_focus)
        .title(Span::styled(" Keys ", t.border_focus));
    if more {
        block = block.title_bottom(
            Line::styled(
                format!(
                    " {}-{}/{} ",
                    m.help_scroll() + 1,
                    (m.help_scroll() + page).min(lines.len()),
                    lines.len()
                ),
                t.dim,
            )
            .right_aligned(),
        );
    }
    let visible: Vec<Line> = lines.into_iter().skip(m.help_scroll()).take(page).collect();
    f.render_widget(Clear, r);
    split_wide_at_edges(f.buffer_mut(), r);
    f.render_widget(Paragraph::new(visible).block(block), r);
}

/// A wide character just left of the overlay would spill its second cell over the
/// overlay's border; blank it (and any wide character cut by the right edge) first.
pub(super) fn split_wide_at_edges(buf: &mut ratatui::buffer::Buffer, r: Rect) {
    for y in r.top()..r.bottom() {
        if r.x > 0 {
            let left = ratatui::layout::Position { x: r.x - 1, y };
            if let Some(cell) = buf.cell_mut(left)
                && crate::text::width(cell.symbol()) > 1
            {
                cell.set_symbol(" ");
            }
        }
        let right = ratatui::layout::Position { x: r.right(), y };
        if let Some(cell) = buf.cell_mut(right)
            && cell.symbol().is_empty()
        {
            cell.set_symbol(" ");
        }
    }
}
