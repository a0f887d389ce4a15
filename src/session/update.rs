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
    let action = with_count(m, action);
    let before = m.visit();
    let step = is_step(&action);
    let neutral = matches!(
        action,
        Action::Resize(..) | Action::SearchStep | Action::Back | Action::Count(_)
    );
    let asked = (m.query.text().to_string(), m.filter);
    if !palette_edit(m, &action) {
        apply(m, action);
    }
    if (m.query.text(), m.filter) != (asked.0.as_str(), asked.1) {
        sync_hub(m);
    }
    fix_view(m);
    if !neutral {
        remember(m, before, step);
    }
}

/// Digits typed in the timeline make a count; `G` (or `g`) after one jumps to that
/// number. Any other key drops it.
fn with_count(m: &mut Session, action: Action) -> Action {
    match action {
        Action::Count(d) => {
            let n = m.count.unwrap_or(0);
            m.count = Some(n.saturating_mul(10).saturating_add(u32::from(d)));
            action
        }
        Action::Resize(..) | Action::SearchStep => action,
        Action::Last | Action::First => m.count.take().map_or(action, Action::JumpTo),
        _ => {
            m.count = None;
            action
        }
    }
}

/// Moves that go one line or one keystroke at a time: a run of them is one visit.
fn is_step(action: &Action) -> bool {
    matches!(
        action,
        Action::Down
            | Action::Up
            | Action::Scroll { .. }
            | Action::Insert(_)
            | Action::Paste(_)
            | Action::Backspace
            | Action::Delete
            | Action::DeleteWord
            | Action::DeleteToStart
    )
}

/// After an action: the partner selected before it goes on the back stack when the
/// selection moved to another one (once per run of steps).
fn remember(m: &mut Session, before: Option<super::Visit>, step: bool) {
    let now = m.visit().map(|v| v.partner);
    let moved = before.as_ref().is_some_and(|b| Some(b.partner) != now);
    if let Some(b) = before.filter(|_| moved && !(step && m.stepping)) {
        if m.visits.last().map(|v| v.partner) != Some(b.partner) {
            m.visits.push(b);
        }
        if m.visits.len() > MAX_VISITS {
            m.visits.remove(0);
        }
    }
    m.stepping = step && (moved || m.stepping);
}

/// How many partners Ctrl-O can go back through.
const MAX_VISITS: usize = 100;
/// How many queries the search history holds.
const MAX_HISTORY: usize = 100;

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
            m.palette = None;
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
        Action::AcceptSearch => {
            record_query(m);
            m.focus = Focus::Timeline;
        }
        Action::CancelSearch => cancel_search(m),
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
        other => apply_new(m, other),
    }
}

/// The palette, numbers, marks, going back, the search history, the drill-down.
fn apply_new(m: &mut Session, action: Action) {
    match action {
        Action::Count(_) => count_flash(m),
        Action::JumpTo(n) => jump_to(m, n),
        Action::OpenPalette => {
            m.palette = Some(super::Palette::default());
            m.help = false;
        }
        Action::ClosePalette => m.palette = None,
        Action::RunPalette => run_palette(m),
        Action::ToggleMark => toggle_mark(m),
        Action::ClearMarks => {
            m.marks.clear();
            m.flash = Some(tr(m.lang, "every mark removed", "すべての印を外しました").into());
        }
        Action::Back => back(m),
        Action::HistoryPrev => recall(m, true),
        Action::HistoryNext => recall(m, false),
        Action::Drill => drill(m),
        _ => {}
    }
}

fn tr(lang: crate::data::Lang, en: &'static str, ja: &'static str) -> &'static str {
    crate::i18n::tr(lang, en, ja)
}

/// While the palette is open, typing and moving act on it. Returns whether the action
/// was the palette's.
fn palette_edit(m: &mut Session, action: &Action) -> bool {
    if m.palette.is_none() {
        return false;
    }
    let rows = m.palette_entries().len();
    let Some(p) = m.palette.as_mut() else {
        return false;
    };
    let last = rows.saturating_sub(1);
    let before = p.query.text().to_string();
    match action {
        Action::Insert(c) => drop(p.query.insert(c.encode_utf8(&mut [0; 4]))),
        Action::Paste(s) => drop(p.query.insert(s)),
        Action::Backspace => p.query.backspace(),
        Action::Delete => p.query.delete(),
        Action::DeleteToStart => p.query.delete_to_start(),
        Action::DeleteWord => p.query.delete_word(),
        Action::CaretLeft => p.query.left(),
        Action::CaretRight => p.query.right(),
        Action::Down => p.selected = (p.selected + 1).min(last),
        Action::Up => p.selected = p.selected.saturating_sub(1),
        Action::PageDown => p.selected = (p.selected + 10).min(last),
        Action::PageUp => p.selected = p.selected.saturating_sub(10),
        _ => return false,
    }
    if p.query.text() != before {
        p.selected = 0;
    }
    true
}

/// Closes the palette and runs its selected row, as if its key had been pressed where
/// the palette was opened.
fn run_palette(m: &mut Session) {
    let entries = m.palette_entries();
    let chosen = entries.get(m.palette_selected()).map(|e| e.action.clone());
    m.palette = None;
    match chosen {
        Some(a) => apply(m, a),
        None => {
            m.flash = Some(tr(m.lang, "no action matches", "該当する操作はありません").into());
        }
    }
}

/// The status line while a count is typed: what G will do.
fn count_flash(m: &mut Session) {
    if let Some(n) = m.count {
        m.flash = Some(match m.lang {
            crate::data::Lang::En => format!("{n}: G jumps to No. {n}"),
            crate::data::Lang::Ja => format!("{n}: G で{n}例目へ"),
        });
    }
}

/// Selects partnership No. `n`: in the list shown when it is there, else in the whole
/// timeline (the query and filters cleared); a number no partner has is said so.
fn jump_to(m: &mut Session, n: u32) {
    let ds = m.catalog.dataset();
    let found =
        (0..ds.partners.len()).find(|&i| ds.partners.brief(i).is_some_and(|p| p.ordinal == n));
    let Some(partner) = found else {
        let gap = m.catalog.gaps().iter().any(|g| g.first <= n && n <= g.last);
        m.flash = Some(if gap {
            crate::summary::gap_sentence(ds, n, m.lang)
        } else {
            match m.lang {
                crate::data::Lang::En => format!("no partnership has No. {n}"),
                crate::data::Lang::Ja => format!("{n}例目の提携はありません"),
            }
        });
        return;
    };
    if !select_partner(m, partner) {
        m.query.clear();
        m.filter = crate::filter::Filter::default();
        m.refresh();
        select_partner(m, partner);
    }
    if m.view == View::Stats {
        m.view = View::Browse;
    }
}

/// Selects the hit of `partner` if it is shown; whether it is.
fn select_partner(m: &mut Session, partner: usize) -> bool {
    match m.list.hits().iter().position(|h| h.partner == partner) {
        Some(i) => {
            select(m, i);
            true
        }
        None => false,
    }
}

fn partner_name(m: &Session, partner: usize) -> String {
    m.dataset()
        .partners
        .get(partner)
        .map_or_else(String::new, |p| {
            p.short
                .clone()
                .unwrap_or_else(|| p.name.get(m.lang).to_string())
        })
}

fn toggle_mark(m: &mut Session) {
    let Some(partner) = m.visit().map(|v| v.partner) else {
        m.flash = Some(
            tr(
                m.lang,
                "only a partner can be marked",
                "印を付けられるのは提携先だけです",
            )
            .into(),
        );
        return;
    };
    let on = match m.marks.iter().position(|&p| p == partner) {
        Some(i) => {
            m.marks.remove(i);
            false
        }
        None => {
            m.marks.push(partner);
            true
        }
    };
    let (name, n) = (partner_name(m, partner), m.marks.len());
    m.flash = Some(match (m.lang, on) {
        (crate::data::Lang::En, true) => format!("{name} marked ({n} marked)"),
        (crate::data::Lang::En, false) => format!("{name} unmarked ({n} marked)"),
        (crate::data::Lang::Ja, true) => format!("{name}に印を付けました（{n}件）"),
        (crate::data::Lang::Ja, false) => format!("{name}の印を外しました（{n}件）"),
    });
}

/// Back to the partner selected before the current one, with the query and filter it
/// was shown under when it is not in the list shown now.
fn back(m: &mut Session) {
    let now = m.visit().map(|v| v.partner);
    while let Some(v) = m.visits.pop() {
        if Some(v.partner) == now {
            continue;
        }
        if !select_partner(m, v.partner) {
            m.query.clear();
            m.query.insert(&v.query);
            m.filter = v.filter;
            m.refresh();
            select_partner(m, v.partner);
        }
        return;
    }
    m.flash = Some(
        tr(
            m.lang,
            "no partner to go back to",
            "戻る先の提携先はありません",
        )
        .into(),
    );
}

/// Keeps a query typed for Ctrl-Up (the latest last, each once).
fn record_query(m: &mut Session) {
    let q = m.query.text().trim().to_string();
    m.history.at = None;
    if q.is_empty() {
        return;
    }
    m.history.queries.retain(|x| *x != q);
    m.history.queries.push(q);
    if m.history.queries.len() > MAX_HISTORY {
        m.history.queries.remove(0);
    }
}

/// Esc in the search bar: clears a query (kept in the history), or on an empty one
/// gives the keyboard to the timeline.
fn cancel_search(m: &mut Session) {
    if m.query.text().is_empty() {
        m.focus = Focus::Timeline;
        return;
    }
    record_query(m);
    m.query.clear();
    m.refresh();
}

/// Ctrl-Up (`older`) and Ctrl-Down: the queries typed before, as a shell's history;
/// past the latest, what was being typed.
fn recall(m: &mut Session, older: bool) {
    let h = &mut m.history;
    let len = h.queries.len();
    let next = match (h.at, older) {
        (None, true) if len > 0 => {
            h.draft = m.query.text().to_string();
            Some(len - 1)
        }
        (Some(i), true) => Some(i.saturating_sub(1)),
        (Some(i), false) if i + 1 < len => Some(i + 1),
        (Some(_), false) => None,
        (None, _) => {
            if older {
                m.flash = Some(tr(m.lang, "no earlier query", "以前の検索語はありません").into());
            }
            return;
        }
    };
    h.at = next;
    let text = next.map_or_else(|| h.draft.clone(), |i| h.queries[i].clone());
    m.query.clear();
    m.query.insert(&text);
    m.refresh();
}

/// Enter in the statistics view: the selected count row's region, kind, status or
/// year becomes the filter, and the timeline shows its partners. In the other views,
/// back to the browser.
fn drill(m: &mut Session) {
    use crate::stats::Facet;
    if m.view != View::Stats {
        m.view = View::Browse;
        return;
    }
    let Some((facet, n)) = m.stats_rows().get(m.stats_row).copied() else {
        return;
    };
    match facet {
        Facet::Year(y) => m.filter.year = Some(y),
        Facet::Region(i) => m.filter.region = Some(i),
        Facet::Kind(i) => m.filter.kind = Some(i),
        Facet::Status(s) => m.filter.status = Some(s),
    }
    m.view = View::Browse;
    m.focus = Focus::Timeline;
    m.refresh();
    let what = facet_label(m, facet);
    m.flash = Some(match m.lang {
        crate::data::Lang::En => format!("showing {what}: {n} partnerships"),
        crate::data::Lang::Ja => format!("{what}を表示: {n}件"),
    });
}

/// A count row's label, as the statistics view and the status line write it.
pub fn facet_label(m: &Session, facet: crate::stats::Facet) -> String {
    use crate::stats::Facet;
    let ds = m.dataset();
    match facet {
        Facet::Year(y) => y.to_string(),
        Facet::Region(i) => ds
            .regions
            .get(i)
            .map_or_else(String::new, |r| r.label(m.lang).to_string()),
        Facet::Kind(i) => ds
            .kinds
            .get(i)
            .map_or_else(String::new, |k| k.label(m.lang).to_string()),
        Facet::Status(s) => s.label(m.lang).to_string(),
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
    m.history.at = None;
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

/// The copy key: one Markdown brief of the marked partners, else the summary of the
/// one selected (or of the hub), as `show --markdown` writes them.
fn copy_summary(m: &mut Session) {
    let (ds, lang, today) = (m.catalog.dataset(), m.lang, m.settings.today);
    if !m.marks.is_empty() {
        let mut marked = m.marks.clone();
        // In the timeline's (date) order.
        marked.sort_unstable();
        let owned: Vec<_> = marked.iter().filter_map(|&i| ds.partners.get(i)).collect();
        let partners: Vec<&crate::data::Partner> = owned.iter().map(|p| p.as_ref()).collect();
        let text = crate::summary::brief_markdown(ds, &partners, lang, today);
        let what = match lang {
            crate::data::Lang::En => format!("brief of the {} marked partners", partners.len()),
            crate::data::Lang::Ja => format!("印の付いた{}件の資料", partners.len()),
        };
        send_summary(m, &text, &what);
        return;
    }
    if m.hub {
        let text = crate::summary::hub_markdown(ds, m.catalog().gaps(), lang);
        let name = ds.hub.short.clone();
        send_summary(m, &text, &summary_of(lang, &name));
        return;
    }
    let Some(p) = m.selected_partner() else {
        return nothing_to_copy(m);
    };
    let text = crate::summary::summary_markdown(ds, &p, lang, today);
    let name = p
        .short
        .clone()
        .unwrap_or_else(|| p.name.get(lang).to_string());
    send_summary(m, &text, &summary_of(lang, &name));
}

fn summary_of(lang: crate::data::Lang, name: &str) -> String {
    match lang {
        crate::data::Lang::En => format!("summary of {name}"),
        crate::data::Lang::Ja => format!("{name}の概要"),
    }
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
        return nothing_to_copy(m);
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

/// Queues `text` for the clipboard and says so (`what`: "summary of UCLA").
fn send_summary(m: &mut Session, text: &str, what: &str) {
    m.outbox.push(osc52(text, m.settings.tmux));
    m.flash = Some(match m.lang {
        crate::data::Lang::En => format!(
            "{what} sent to the terminal ({} bytes, OSC 52); the terminal decides whether it reaches the clipboard",
            text.len()
        ),
        crate::data::Lang::Ja => {
            format!("{what}を端末に送信しました（OSC 52）。クリップボードへの反映は端末次第です")
        }
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
    if m.view == View::Stats {
        stats_move(m, action);
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

/// Moves the statistics view's selection over its count rows.
fn stats_move(m: &mut Session, action: &Action) {
    let last = m.stats_rows().len().saturating_sub(1);
    m.stats_row = match action {
        Action::Down => m.stats_row + 1,
        Action::Up => m.stats_row.saturating_sub(1),
        Action::PageDown => m.stats_row + 10,
        Action::PageUp => m.stats_row.saturating_sub(10),
        Action::First => 0,
        _ => last,
    }
    .min(last);
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
    if m.help || m.palette.is_some() {
        m.help = false;
        m.palette = None;
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
    // Laying out the card or the help costs more than the rest of an update (a large
    // search runs an update per slice): only a scrolled one can need clamping.
    if m.detail_scroll > 0 {
        let detail_len = ui::detail_line_count(m, layout.detail_inner.width);
        let dh = layout.detail_inner.height as usize;
        m.detail_scroll = m.detail_scroll.min(detail_len.saturating_sub(dh));
    }
    if m.help_scroll > 0 {
        m.help_scroll = m
            .help_scroll
            .min(ui::help_max_scroll(m.size, &m.settings.keymap));
    }
    if m.view == View::Stats {
        m.stats_row = m.stats_row.min(m.stats_rows().len().saturating_sub(1));
    }
}

/// What the copy keys say when nothing is selected.
fn nothing_to_copy(m: &mut Session) {
    m.flash = Some(
        crate::i18n::tr(
            m.lang,
            "nothing selected to copy",
            "コピーする項目がありません",
        )
        .into(),
    );
}
