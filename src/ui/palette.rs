//! The command palette: what is typed, then every action that matches it with its
//! keys, the selected one in reverse video. Drawn over whatever view is open.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::Theme;
use crate::i18n::tr;
use crate::session::Session;
use crate::text::{pad, truncate_with, width};

/// The key column's width.
const KEYS_W: usize = 16;

/// Where the palette goes in `full`: centred near the top.
fn area(full: Rect, rows: usize) -> Rect {
    let w = full.width.saturating_sub(4).min(72);
    let h = (rows as u16 + 3).min(full.height.saturating_sub(2)).max(3);
    Rect {
        x: full.x + (full.width - w) / 2,
        y: full.y + 1.min(full.height),
        width: w,
        height: h.min(full.height),
    }
}

/// Draws the palette, when it is open.
pub fn render(m: &Session, t: &Theme, full: Rect, f: &mut Frame) {
    let Some(query) = m.palette_query() else {
        return;
    };
    let entries = m.palette_entries();
    let r = area(full, entries.len().max(1));
    let inner_w = r.width.saturating_sub(2) as usize;
    let page = r.height.saturating_sub(3) as usize;
    let selected = m.palette_selected();
    let first = (selected + 1).saturating_sub(page.max(1));
    let mut lines = vec![Line::from(vec![
        Span::styled("> ", t.key),
        Span::styled(
            truncate_with(query.text(), inner_w.saturating_sub(2), t.ellipsis),
            t.base,
        ),
    ])];
    if entries.is_empty() {
        lines.push(Line::styled(
            tr(m.lang(), "no action matches", "該当する操作はありません"),
            t.dim,
        ));
    }
    for (i, e) in entries.iter().enumerate().skip(first).take(page) {
        let style = if i == selected { t.selected } else { t.base };
        let keys = pad(&truncate_with(&e.keys, KEYS_W - 1, t.ellipsis), KEYS_W);
        let label = truncate_with(&e.label, inner_w.saturating_sub(KEYS_W), t.ellipsis);
        let fill = inner_w.saturating_sub(KEYS_W + width(&label));
        lines.push(Line::from(vec![
            Span::styled(keys, if i == selected { style } else { t.key }),
            Span::styled(label, style),
            Span::styled(" ".repeat(fill), style),
        ]));
    }
    let title = format!(
        " {} {} ",
        tr(m.lang(), "Commands", "コマンド"),
        entries.len()
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(t.border_set)
        .border_style(t.border_focus)
        .title(Span::styled(title, t.border_focus));
    f.render_widget(Clear, r);
    super::help::split_wide_at_edges(f.buffer_mut(), r);
    f.render_widget(Paragraph::new(lines).block(block), r);
    // The terminal's cursor at the end of what is typed, for input methods.
    let x = r.x + 1 + (2 + width(query.text())).min(inner_w.saturating_sub(1)) as u16;
    if r.height > 2 {
        f.set_cursor_position(Position { x, y: r.y + 1 });
    }
}
