//! The statistics view: partnerships per year, region, kind and status as bars, for what
//! the browser shows (query and filters applied). Too narrow for bars, it is a table.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::Theme;
use crate::i18n::tr;
use crate::session::Session;
use crate::text::{pad, width};

/// Bars narrower than this are not worth drawing: the view becomes a table.
const MIN_BAR: usize = 6;

struct Section {
    title: &'static str,
    rows: Vec<(String, usize)>,
    /// The selected row, when it is in this section (Enter shows its partners).
    selected: Option<usize>,
}

fn sections(m: &Session) -> Vec<Section> {
    let ds = m.dataset();
    let c = crate::stats::counts(
        ds,
        m.hits().iter().filter_map(|h| ds.partners.brief(h.partner)),
        m.today(),
    );
    let mut secs = vec![
        Section {
            title: tr(m.lang(), "Per year", "年別"),
            rows: c.years.iter().map(|(y, n)| (y.to_string(), *n)).collect(),
            selected: None,
        },
        Section {
            title: tr(m.lang(), "Per region", "地域別"),
            rows: c
                .regions
                .iter()
                .map(|(i, n)| (ds.regions[*i].label(m.lang()).to_string(), *n))
                .collect(),
            selected: None,
        },
        Section {
            title: tr(m.lang(), "Per kind", "種別"),
            rows: c
                .kinds
                .iter()
                .map(|(i, n)| (ds.kinds[*i].label(m.lang()).to_string(), *n))
                .collect(),
            selected: None,
        },
        Section {
            title: tr(m.lang(), "Per agreement status", "提携の状態別"),
            rows: c
                .statuses
                .iter()
                .map(|(s, n)| (s.label(m.lang()).to_string(), *n))
                .collect(),
            selected: None,
        },
    ];
    // The selection runs over the sections in this order (`Counts::rows`).
    let mut at = m.stats_row();
    for sec in &mut secs {
        if at < sec.rows.len() {
            sec.selected = Some(at);
            break;
        }
        at -= sec.rows.len();
    }
    secs
}

/// The lines of one section at `w` cells and at most `h` lines.
fn section_lines(s: &Section, t: &Theme, w: usize, h: usize) -> Vec<Line<'static>> {
    let mut out = vec![Line::styled(s.title.to_string(), t.title)];
    let label_w = s
        .rows
        .iter()
        .map(|(l, _)| width(l))
        .max()
        .unwrap_or(0)
        .min(w / 2);
    let max = s.rows.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let num_w = max.to_string().len();
    let bar_room = w.saturating_sub(label_w + 1 + num_w + 1);
    let bar_char = if t.plain { "#" } else { "█" };
    let room = h.saturating_sub(1);
    let shown = if s.rows.len() > room {
        room.saturating_sub(1)
    } else {
        s.rows.len()
    };
    // Scrolled so the selected row is shown.
    let first = s
        .selected
        .map_or(0, |i| (i + 1).saturating_sub(shown.max(1)));
    for (i, (label, n)) in s.rows.iter().enumerate().skip(first).take(shown) {
        let label = pad(
            &crate::text::truncate_with(label, label_w, t.ellipsis),
            label_w,
        );
        let on = s.selected == Some(i);
        let mut spans = vec![
            Span::styled(label, if on { t.selected } else { t.label }),
            Span::raw(" "),
        ];
        if bar_room >= MIN_BAR {
            let len = (n * bar_room).div_ceil(max).min(bar_room);
            spans.push(Span::styled(bar_char.repeat(len), t.region));
            spans.push(Span::raw(" "));
        }
        spans.push(Span::styled(format!("{n:>num_w$}"), t.base));
        out.push(Line::from(spans));
    }
    if shown < s.rows.len() {
        out.push(Line::styled(
            format!("{} {} more", t.ellipsis, s.rows.len() - shown - first),
            t.dim,
        ));
    }
    out
}

/// Sections one under another, a blank line apart, as far as `h` lines go (the first
/// takes what it needs; a later one is left out when not even its title fits).
fn stacked(group: &[&Section], t: &Theme, w: usize, h: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (i, s) in group.iter().enumerate() {
        if i > 0 {
            if lines.len() + 3 > h {
                break;
            }
            lines.push(Line::raw(""));
        }
        let rest = h.saturating_sub(lines.len());
        lines.extend(section_lines(s, t, w, rest));
    }
    lines
}

/// Draws the statistics into `area`.
pub fn render(m: &Session, t: &Theme, area: Rect, f: &mut Frame) {
    let total = m.hits().len();
    let title = match m.lang() {
        crate::data::Lang::En => format!(" Statistics: {total} partnerships shown "),
        crate::data::Lang::Ja => format!(" 統計: 表示中の提携 {total}件 "),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(t.border_set)
        .border_style(t.border_focus)
        .title(Span::styled(title, t.title));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let secs = sections(m);
    let (w, h) = (inner.width as usize, inner.height as usize);
    if w >= 3 * 26 + 4 {
        // Side by side.
        let cols = Layout::horizontal([Constraint::Ratio(1, 3); 3])
            .spacing(2)
            .split(inner);
        // Years | regions and statuses | kinds.
        let columns: [&[&Section]; 3] = [&[&secs[0]], &[&secs[1], &secs[3]], &[&secs[2]]];
        for (group, col) in columns.iter().zip(cols.iter()) {
            let lines = stacked(group, t, col.width as usize, col.height as usize);
            f.render_widget(Paragraph::new(lines), *col);
        }
        return;
    }
    if w >= 2 * 24 + 2 {
        // Years on the left, regions and kinds on the right.
        let [left, right] = Layout::horizontal([Constraint::Ratio(1, 2); 2])
            .spacing(2)
            .areas(inner);
        let rw = right.width as usize;
        let lines = stacked(&[&secs[0], &secs[3]], t, left.width as usize, h);
        f.render_widget(Paragraph::new(lines), left);
        let lines = stacked(&[&secs[1], &secs[2]], t, rw, h);
        f.render_widget(Paragraph::new(lines), right);
        return;
    }
    // Stacked: each section gets what it needs; the years give way first.
    let need: Vec<usize> = secs.iter().map(|s| s.rows.len() + 2).collect();
    let others = need[1] + need[2];
    let years_h = h.saturating_sub(others).max(3.min(h));
    let mut lines = Vec::new();
    for (i, s) in secs.iter().enumerate() {
        let room = if i == 0 {
            years_h.saturating_sub(1)
        } else {
            need[i] - 1
        };
        lines.extend(section_lines(s, t, w, room));
        lines.push(Line::raw(""));
    }
    f.render_widget(Paragraph::new(lines), inner);
}
