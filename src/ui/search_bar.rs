//! The search bar: prompt, query, caret (the real terminal cursor, for input methods).

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use crate::i18n::tr;
use crate::mode::Focus;
use crate::session::Session;
use crate::text::{char_width, width};

/// The count on the right: matches of all partners, or the progress of a search
/// still running.
fn count(m: &Session) -> String {
    match m.search_progress() {
        Some((done, total, found)) => format!(
            " {} {}% | {}/{} ",
            tr(m.lang(), "searching", "検索中"),
            done * 100 / total.max(1),
            found,
            m.dataset().partners.len()
        ),
        None => format!(" {}/{} ", m.hits().len(), m.dataset().partners.len()),
    }
}

/// The part of query `q` shown in `avail` cells, and the caret's cell in it: scrolled
/// horizontally so the caret (a char index) stays visible in a long query.
fn scrolled(q: &str, caret: usize, avail: usize) -> (String, usize) {
    let chars: Vec<char> = q.chars().collect();
    let caret = caret.min(chars.len());
    let mut start = 0;
    while chars[start..caret]
        .iter()
        .map(|c| char_width(*c))
        .sum::<usize>()
        + 1
        > avail
        && start < caret
    {
        start += 1;
    }
    let mut caret_x = 0usize;
    let mut shown = String::new();
    let mut w = 0;
    for (i, c) in chars.iter().enumerate().skip(start) {
        let cw = char_width(*c);
        if w + cw > avail {
            break;
        }
        if i == caret {
            caret_x = w;
        }
        shown.push(*c);
        w += cw;
    }
    if caret >= chars.len() {
        caret_x = w;
    }
    (shown, caret_x)
}

/// Draws the search bar and, when it is focused, places the cursor at the caret.
pub fn render(m: &Session, t: &Theme, area: Rect, f: &mut Frame) {
    let focused = m.focus() == Focus::Search && !m.help();
    let inner = if area.height >= 3 {
        let block = t.pane(format!(" {} ", tr(m.lang(), "Search", "検索")), focused);
        let inner = block.inner(area);
        f.render_widget(block, area);
        inner
    } else {
        area
    };
    let count = count(m);
    let prompt = "/ ";
    let avail = (inner.width as usize).saturating_sub(width(prompt) + width(&count) + 1);
    let q = m.query().text();
    let mut spans = vec![Span::styled(prompt, if focused { t.key } else { t.dim })];
    let mut caret_x = 0usize;
    if q.is_empty() && !focused {
        // The key comes from the keymap: a remapped search key is the one named.
        let keys = m.keymap().keys_for(
            crate::mode::Mode::Timeline,
            &crate::action::Action::FocusSearch,
        );
        let hint = match (keys.first(), m.lang()) {
            (None, _) => String::new(),
            (Some(k), crate::data::Lang::En) => {
                format!("press {k} to search names, aliases and people (日本語も可)")
            }
            (Some(k), crate::data::Lang::Ja) => {
                format!("「{k}」で検索: 名称・略称・別名・人名 (English OK)")
            }
        };
        spans.push(Span::styled(
            crate::text::truncate_with(&hint, avail, t.ellipsis),
            t.dim,
        ));
    } else if q.is_empty() {
        // Focused and empty: what typing does, and the way to the single-letter keys.
        let esc = m.keymap().keys_for(
            crate::mode::Mode::Search,
            &crate::action::Action::CancelSearch,
        );
        let hint = match (esc.first(), m.lang()) {
            (Some(k), crate::data::Lang::En) => format!(
                "type a name, a person or a number (7, No. 7, 7例目); {k}: the timeline's keys"
            ),
            (Some(k), crate::data::Lang::Ja) => {
                format!("名称・人名・番号（7、7例目）を入力。{k}: 年表の操作へ")
            }
            (None, _) => String::new(),
        };
        spans.push(Span::styled(
            crate::text::truncate_with(&hint, avail, t.ellipsis),
            t.dim,
        ));
    } else {
        let (shown, x) = scrolled(q, m.query().caret(), avail);
        caret_x = x;
        spans.push(Span::styled(shown, t.base));
    }
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let fill = (inner.width as usize).saturating_sub(used + width(&count));
    spans.push(Span::raw(" ".repeat(fill)));
    spans.push(Span::styled(count, t.dim));
    f.render_widget(Paragraph::new(Line::from(spans)), inner);
    if focused && inner.width > 0 && inner.height > 0 {
        let x = inner.x + (width(prompt) + caret_x).min(inner.width as usize - 1) as u16;
        f.set_cursor_position(Position { x, y: inner.y });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_query_scrolls_to_keep_the_caret_in_view() {
        assert_eq!(scrolled("abc", 3, 10), ("abc".to_string(), 3));
        assert_eq!(scrolled("abcdefghij", 10, 5), ("ghij".to_string(), 4));
        assert_eq!(scrolled("横浜市", 1, 4), ("横浜".to_string(), 2));
    }
}
