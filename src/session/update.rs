//! `update`: the only place a session changes. It lives inside the session module so
//! that it alone sees the session's fields; everything else reads them through
//! accessors.

use super::{LineEdit, Row, Session};
use crate::action::Action;
use crate::mode::{Focus, View};
use crate::ui;

/// Applies one action to the model.
pub fn update(m: &mut Session, action: Action) {
    // A message lasts until the next key.
    if !matches!(action, Action::Resize(..) | Action::SearchStep) {
        m.flash = None;
    }
    let asked = (m.query.text().to_string(), m.filter);
    apply(m, action);
    if (m.query.text(), m.filter) != (asked.0.as_str(), asked.1) {
        sync_hub(m);
    }
    fix_view(m);
}

/// After the query or a filter changed: the hub's match for the query, and the hub's
/// row selected when it ranks first, as the best match is while typing.
fn sync_hub(m: &mut Session) {
    let query = m.query.text().to_string();
    m.hub_hit = m.catalog.hub_hit(&query);
    let best = m.list.hits().first().map(|h| h.score());
    m.hub = match &m.hub_hit {
        Some(h) => best.is_none_or(|b| h.score() >= b),
        // A query the hub does not match moves the selection onto the partners.
        None if !query.trim().is_empty() => false,
        None => m.hub,
    };
}

/// Selects the hub's row, or goes back to the partner selected before.
fn toggle_hub(m: &mut Session) {
    m.hub = !m.hub;
    m.focus = Focus::Timeline;
    m.detail_scroll = 0;
}

fn apply(m: &mut Session, action: Action) {
    match action {
        Action::Quit => m.quit = true,
        Action::Suspend => m.suspend = true,
        Action::Resize(w, h) => m.size = (w, h),
        Action::ToggleHelp => {
            m.help = !m.help;
            m.help_scroll = 0;
        }
        Action::CloseHelp => m.help = false,
        Action::Down
        | Action::Up
        | Action::PageDown
        | Action::PageUp
        | Action::First
        | Action::Last => navigate(m, &action),
        Action::ToggleFocus => {
            m.focus = match m.focus {
                Focus::Timeline => Focus::Detail,
                Focus::Detail | Focus::Search => Focus::Timeline,
            }
        }
        Action::FocusDetail => m.focus = Focus::Detail,
        Action::FocusTimeline => m.focus = Focus::Timeline,
        Action::FocusSearch => {
            m.focus = Focus::Search;
            m.query.end();
        }
        Action::AcceptSearch => m.focus = Focus::Timeline,
        Action::CancelSearch => {
            m.query.clear();
            m.focus = Focus::Timeline;
            m.refresh();
        }
        Action::Insert(c) => insert(m, c.encode_utf8(&mut [0; 4])),
        Action::Paste(s) => {
            m.focus = Focus::Search;
            insert(m, &s);
        }
        Action::Backspace => edit(m, |q| q.backspace()),
        Action::Delete => edit(m, |q| q.delete()),
        Action::DeleteToStart => edit(m, |q| q.delete_to_start()),
        Action::DeleteWord => edit(m, |q| q.delete_word()),
        Action::CaretLeft => m.query.left(),
        Action::CaretRight => m.query.right(),
        Action::CaretStart => m.query.home(),
        Action::CaretEnd => m.query.end(),
        Action::CycleRegion | Action::CycleKind | Action::CycleStatus | Action::ClearAll => {
            refilter(m, &action)
        }
        Action::CopySummary => copy_summary(m),
        Action::CopySources => copy_sources(m),
        Action::ToggleView(v) => {
            m.view = if m.view == v { View::Browse } else { v };
            m.focus = Focus::Timeline;
        }
        Action::CloseView => m.view = View::Browse,
        Action::ToggleLang => m.lang = m.lang.toggled(),
        Action::Scroll { x, y, delta } => scroll_at(m, x, y, delta),
        Action::Click { x, y } => click(m, x, y),
        Action::SearchStep => m.step_search(),
        Action::ToggleHub => toggle_hub(m),
    }
}

/// Types or pastes `s` at the caret; what does not fit the query's length cap is
/// dropped, and the status line says so.
fn insert(m: &mut Session, s: &str) {
    let mut dropped = 0;
    edit(m, |q| dropped = q.insert(s));
    if dropped > 0 {
        let max = super::MAX_QUERY_CHARS;
        m.flash = Some(match m.lang {
            crate::data::Lang::Ja => {
                format!("検索語は{max}文字までです（{dropped}文字を省きました）")
            }
            crate::data::Lang::En => {
                format!("a query holds at most {max} characters: {dropped} left out")
            }
        });
    }
}

fn edit(m: &mut Session, f: impl FnOnce(&mut LineEdit)) {
    let before = m.query.text().to_string();
    f(&mut m.query);
    if m.query.text() != before {
        m.refresh();
    }
}

/// The OSC 52 sequence that asks the terminal to put `text` on the clipboard. Inside
/// tmux (`$TMUX` set) it is sent twice: plain, which tmux takes into its own buffer and
/// passes on when `set-clipboard` is `on`, and wrapped for passthrough (ESC doubled,
/// in `ESC P tmux; … ESC \`), which reaches the outer terminal when
/// `allow-passthrough` is `on`.
pub fn osc52(text: &str, tmux: bool) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    let plain = format!("\x1b]52;c;{b64}\x07");
    if tmux {
        format!("{plain}\x1bPtmux;\x1b\x1b]52;c;{b64}\x07\x1b\\")
    } else {
        plain
    }
}

fn copy_summary(m: &mut Session) {
    if m.hub {
        let text = crate::summary::hub_text(m.dataset(), m.lang);
        let name = m.dataset().hub.short.clone();
        send_summary(m, &text, &name);
        return;
    }
    let Some(p) = m.selected_partner() else {
        m.flash = Some(
            crate::i18n::tr(
                m.lang,
                "nothing selected to copy",
                "コピーする項目がありません",
            )
            .into(),
        );
        return;
    };
    let text = crate::summary::summary_text(m.dataset(), &p, m.lang, m.settings.today);
    let name = p
        .short
        .clone()
        .unwrap_or_else(|| p.name.get(m.lang).to_string());
    send_summary(m, &text, &name);
}

/// The addresses of the pages the selected card cites, one a line, in the card's order.
fn cited_urls(m: &Session) -> Option<(Vec<String>, String)> {
    let ds = m.dataset();
    let (cited, name) = if m.hub {
        (crate::summary::hub_cited(ds), ds.hub.short.clone())
    } else {
        let p = m.selected_partner()?;
        let name = p
            .short
            .clone()
            .unwrap_or_else(|| p.name.get(m.lang).to_string());
        (p.cited(), name)
    };
    let urls = cited
        .iter()
        .filter_map(|k| ds.source(k).and_then(|s| s.url.clone()))
        .collect();
    Some((urls, name))
}

/// Copies the addresses of the pages the selected card cites (OSC 52), or says there
/// are none. Addresses are cleaned dataset text; OSC 52 carries them base64-encoded.
fn copy_sources(m: &mut Session) {
    use crate::data::Lang;
    let Some((urls, name)) = cited_urls(m) else {
        m.flash = Some(
            crate::i18n::tr(
                m.lang,
                "nothing selected to copy",
                "コピーする項目がありません",
            )
            .into(),
        );
        return;
    };
    if urls.is_empty() {
        m.flash = Some(match m.lang {
            Lang::En => format!("{name} cites no page by address, only releases"),
            Lang::Ja => format!("{name}の出典はリリースのみで、URLのあるページはありません"),
        });
        return;
    }
    let text = urls.join("\n") + "\n";
    m.outbox.push(osc52(&text, m.settings.tmux));
    let n = urls.len();
    m.flash = Some(match m.lang {
        Lang::En => format!(
            "{n} source address{} of {name} sent to the terminal (OSC 52); the terminal decides whether it reaches the clipboard",
            if n == 1 { "" } else { "es" }
        ),
        Lang::Ja => format!(
            "{name}の出典URL {n}件を端末に送信しました（OSC 52）。クリップボードへの反映は端末次第です"
        ),
    });
}

/// Queues `text` for the clipboard and says so.
fn send_summary(m: &mut Session, text: &str, name: &str) {
    m.outbox.push(osc52(text, m.settings.tmux));
    m.flash = Some(match m.lang {
        crate::data::Lang::En => format!(
            "summary of {name} sent to the terminal ({} bytes, OSC 52); the terminal decides whether it reaches the clipboard",
            text.len()
        ),
        crate::data::Lang::Ja => format!(
            "{name}の概要を端末に送信しました（OSC 52）。クリップボードへの反映は端末次第です"
        ),
    });
}

/// Steps a filter on (or clears the query and every filter) and rebuilds the list.
fn refilter(m: &mut Session, action: &Action) {
    let ds = m.catalog.dataset();
    match action {
        Action::CycleRegion => m.filter.cycle_region(ds),
        Action::CycleKind => m.filter.cycle_kind(ds),
        Action::CycleStatus => m.filter.cycle_status(),
        _ => {
            m.query.clear();
            m.filter = crate::filter::Filter::default();
        }
    }
    m.refresh();
}

fn navigate(m: &mut Session, action: &Action) {
    if m.help {
        let page = ui::help_page(m.size, &m.settings.keymap);
        m.help_scroll = match action {
            Action::Down => m.help_scroll + 1,
            Action::Up => m.help_scroll.saturating_sub(1),
            Action::PageDown => m.help_scroll + page,
            Action::PageUp => m.help_scroll.saturating_sub(page),
            _ => m.help_scroll,
        };
        return;
    }
    let layout = ui::layout(m);
    if m.focus == Focus::Detail {
        let page = layout.detail_inner.height.max(1) as usize;
        m.detail_scroll = match action {
            Action::Down => m.detail_scroll + 1,
            Action::Up => m.detail_scroll.saturating_sub(1),
            Action::PageDown => m.detail_scroll + page.saturating_sub(1).max(1),
            Action::PageUp => m
                .detail_scroll
                .saturating_sub(page.saturating_sub(1).max(1)),
            Action::First => 0,
            Action::Last => usize::MAX,
            _ => m.detail_scroll,
        };
        return;
    }
    if m.hub {
        // The hub's row sits above the partners: down (or to the end) leaves it.
        if matches!(action, Action::Down | Action::PageDown | Action::Last) {
            m.hub = false;
            m.detail_scroll = 0;
            if !matches!(action, Action::Last) {
                return;
            }
        } else {
            return;
        }
    }
    if m.list.hits().is_empty() {
        return;
    }
    if matches!(action, Action::Up) && m.selected == 0 {
        m.hub = true;
        m.detail_scroll = 0;
        return;
    }
    let last = m.list.hits().len() - 1;
    let page = (layout.timeline_inner.height as usize)
        .saturating_sub(1)
        .max(1);
    let next = match action {
        Action::Down => (m.selected + 1).min(last),
        Action::Up => m.selected.saturating_sub(1),
        Action::PageDown => (m.selected + page).min(last),
        Action::PageUp => m.selected.saturating_sub(page),
        Action::First => 0,
        Action::Last => last,
        _ => m.selected,
    };
    select(m, next);
}

fn select(m: &mut Session, hit: usize) {
    if hit != m.selected || m.hub {
        m.selected = hit;
        m.hub = false;
        m.detail_scroll = 0;
    }
}

fn scroll_at(m: &mut Session, x: u16, y: u16, delta: i32) {
    let layout = ui::layout(m);
    let pos = ratatui::layout::Position { x, y };
    let steps = delta.unsigned_abs() as usize;
    if m.help {
        m.help_scroll = if delta > 0 {
            m.help_scroll + steps
        } else {
            m.help_scroll.saturating_sub(steps)
        };
    } else if layout.detail.contains(pos) {
        m.detail_scroll = if delta > 0 {
            m.detail_scroll + steps
        } else {
            m.detail_scroll.saturating_sub(steps)
        };
    } else if layout.timeline.contains(pos) && !m.list.hits().is_empty() {
        let next = if delta > 0 {
            (m.selected + steps).min(m.list.hits().len() - 1)
        } else {
            m.selected.saturating_sub(steps)
        };
        select(m, next);
    }
}

fn click(m: &mut Session, x: u16, y: u16) {
    if m.help {
        m.help = false;
        return;
    }
    let layout = ui::layout(m);
    let pos = ratatui::layout::Position { x, y };
    if layout.search.contains(pos) {
        m.focus = Focus::Search;
        m.query.end();
    } else if layout.hub_row.contains(pos) {
        m.focus = Focus::Timeline;
        if !m.hub {
            toggle_hub(m);
        }
    } else if layout.timeline_inner.contains(pos) {
        m.focus = Focus::Timeline;
        let row = m.offset + (y - layout.timeline_inner.y) as usize;
        if let Some(Row::Hit(i)) = m.row(row) {
            select(m, i);
        }
    } else if layout.detail.contains(pos) {
        m.focus = Focus::Detail;
    }
}

/// Keeps selection, scroll offsets and the help scroll within bounds for the current
/// size, and the selected row in view (with its year heading when there is room).
pub fn fix_view(m: &mut Session) {
    if m.list.hits().is_empty() {
        m.selected = 0;
    } else {
        m.selected = m.selected.min(m.list.hits().len() - 1);
    }
    let layout = ui::layout(m);
    let h = layout.timeline_inner.height as usize;
    let max_offset = m.row_count().saturating_sub(h);
    if let Some(row) = m.selected_row()
        && h > 0
    {
        // Show the heading above the first entry of a year when scrolling up to it.
        let top = if row > 0 && matches!(m.row(row - 1), Some(Row::Year(_))) {
            row - 1
        } else {
            row
        };
        if top < m.offset {
            m.offset = top;
        } else if row >= m.offset + h {
            m.offset = row + 1 - h;
        }
    }
    m.offset = m.offset.min(max_offset);
    m.mark_rows(m.offset, m.offset + h);
    let detail_len = ui::detail_line_count(m, layout.detail_inner.width);
    let dh = layout.detail_inner.height as usize;
    m.detail_scroll = m.detail_scroll.min(detail_len.saturating_sub(dh));
    m.help_scroll = m
        .help_scroll
        .min(ui::help_max_scroll(m.size, &m.settings.keymap));
}
