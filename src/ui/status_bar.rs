//! The status line: key hints for the current mode on the left, counts and filters on
//! the right. Hints come from the keymap's reverse lookup.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use crate::action::Action;
use crate::data::Lang;
use crate::i18n::tr;
use crate::mode::Mode;
use crate::mode::View;
use crate::session::Session;
use crate::text::width;

fn hints(m: &Session) -> Vec<(String, &'static str)> {
    let mode = m.mode();
    let lang = m.lang();
    let list: Vec<(Action, &'static str)> = match mode {
        Mode::Timeline => vec![
            (Action::FocusSearch, tr(lang, "search", "検索")),
            (Action::CycleRegion, tr(lang, "region", "地域")),
            (Action::CycleKind, tr(lang, "kind", "種別")),
            (Action::CycleStatus, tr(lang, "status", "状態")),
            (Action::ToggleHelp, tr(lang, "help", "ヘルプ")),
            (Action::Quit, tr(lang, "quit", "終了")),
            (Action::OpenPalette, tr(lang, "commands", "コマンド")),
            (Action::ToggleMark, tr(lang, "mark", "印")),
            (Action::CopySummary, tr(lang, "copy", "コピー")),
            (Action::ToggleView(View::Stats), tr(lang, "stats", "統計")),
            (Action::ToggleView(View::Map), tr(lang, "map", "地図")),
            (Action::ClearAll, tr(lang, "clear", "解除")),
            (Action::ToggleFocus, tr(lang, "detail", "詳細")),
            (Action::ToggleLang, tr(lang, "日本語", "English")),
        ],
        Mode::Detail => vec![
            (Action::Down, tr(lang, "scroll", "スクロール")),
            (Action::ToggleFocus, tr(lang, "timeline", "年表")),
            (Action::ToggleHelp, tr(lang, "help", "ヘルプ")),
            (Action::OpenPalette, tr(lang, "commands", "コマンド")),
            (Action::Quit, tr(lang, "quit", "終了")),
            (Action::FocusSearch, tr(lang, "search", "検索")),
            (Action::ToggleLang, tr(lang, "日本語", "English")),
        ],
        Mode::Search => search_hints(m),
        Mode::View => vec![
            (Action::CloseView, tr(lang, "back", "戻る")),
            (Action::Down, tr(lang, "next", "次")),
            (
                Action::Drill,
                if m.view() == View::Stats {
                    tr(lang, "show these", "この行を表示")
                } else {
                    tr(lang, "browser", "一覧")
                },
            ),
            (Action::ToggleHelp, tr(lang, "help", "ヘルプ")),
            (Action::ToggleView(View::Stats), tr(lang, "stats", "統計")),
            (Action::ToggleView(View::Map), tr(lang, "map", "地図")),
            (
                Action::ToggleView(View::Present),
                tr(lang, "present", "発表"),
            ),
            (Action::CopySummary, tr(lang, "copy", "コピー")),
            (Action::OpenPalette, tr(lang, "commands", "コマンド")),
        ],
        Mode::Help => vec![
            (Action::CloseHelp, tr(lang, "close", "閉じる")),
            (Action::Down, tr(lang, "scroll", "スクロール")),
        ],
        Mode::Palette => vec![
            (Action::RunPalette, tr(lang, "run", "実行")),
            (Action::ClosePalette, tr(lang, "close", "閉じる")),
            (Action::Down, tr(lang, "next", "次")),
            (Action::Up, tr(lang, "previous", "前")),
            (Action::Quit, tr(lang, "quit", "終了")),
        ],
    };
    list.into_iter()
        .filter_map(|(a, d)| {
            m.keymap()
                .keys_for(mode, &a)
                .into_iter()
                .next()
                .map(|k| (k, d))
        })
        .collect()
}

/// The search bar's hints: typed keys go into the query, so quitting is Ctrl-C, and
/// Esc clears a query or, on an empty one, goes to the timeline.
fn search_hints(m: &Session) -> Vec<(Action, &'static str)> {
    let lang = m.lang();
    let empty = m.query().text().is_empty();
    vec![
        (Action::AcceptSearch, tr(lang, "list", "一覧へ")),
        (
            Action::CancelSearch,
            if empty {
                tr(lang, "timeline", "年表へ")
            } else {
                tr(lang, "clear", "クリア")
            },
        ),
        (Action::Down, tr(lang, "next", "次")),
        (Action::Quit, tr(lang, "quit", "終了")),
        (Action::ToggleHelp, tr(lang, "help", "ヘルプ")),
        (Action::Up, tr(lang, "previous", "前")),
        (
            Action::HistoryPrev,
            tr(lang, "earlier query", "以前の検索語"),
        ),
        (Action::DeleteWord, tr(lang, "delete word", "単語削除")),
    ]
}

/// The marks and the year filter, after the counts.
fn extras(m: &Session) -> String {
    let mut s = String::new();
    if let Some(y) = m.filter().year {
        s.push_str(&match m.lang() {
            Lang::En => format!(" | year: {y}"),
            Lang::Ja => format!(" | 年: {y}"),
        });
    }
    let n = m.marks().len();
    if n > 0 {
        s.push_str(&match m.lang() {
            Lang::En => format!(" | {n} marked"),
            Lang::Ja => format!(" | 印{n}件"),
        });
    }
    s
}

/// The counts and filters, for a status line `width` cells wide.
fn summary(m: &Session, width: u16) -> String {
    counts(m, width) + &extras(m)
}

fn counts(m: &Session, width: u16) -> String {
    let ds = m.dataset();
    let all = tr(m.lang(), "all", "すべて");
    let region = m
        .filter()
        .region
        .and_then(|i| ds.regions.get(i))
        .map_or(all, |r| r.label(m.lang()));
    let kind = m
        .filter()
        .kind
        .and_then(|i| ds.kinds.get(i))
        .map_or(all, |k| k.label(m.lang()));
    let status = m.filter().status.map_or(all, |s| s.label(m.lang()));
    let (n, total) = (m.hits().len(), ds.partners.len());
    if width < 100 || m.filter().status.is_some() {
        // Narrow (or many filters): only the filters that are on.
        let mut s = match m.lang() {
            Lang::En => format!("{n} of {total} shown"),
            Lang::Ja => format!("{total}件中{n}件"),
        };
        for (on, label) in [
            (m.filter().region.is_some(), region),
            (m.filter().kind.is_some(), kind),
            (m.filter().status.is_some(), status),
        ] {
            if on {
                s.push_str(" | ");
                s.push_str(label);
            }
        }
        return s;
    }
    match m.lang() {
        Lang::En => format!("{n} of {total} shown | region: {region} | kind: {kind}"),
        Lang::Ja => format!("{total}件中{n}件 | 地域: {region} | 種別: {kind}"),
    }
}

/// Draws the status line.
pub fn render(m: &Session, t: &Theme, area: Rect, f: &mut Frame) {
    if let Some(msg) = m.flash() {
        let msg =
            crate::text::truncate_with(msg, (area.width as usize).saturating_sub(2), t.ellipsis);
        f.render_widget(
            Paragraph::new(Line::from(vec![Span::raw(" "), Span::styled(msg, t.title)])),
            area,
        );
        return;
    }
    let right = format!("{} ", summary(m, area.width));
    let avail = (area.width as usize).saturating_sub(width(&right) + 1);
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (key, desc) in hints(m) {
        let w = width(&key) + 1 + width(desc) + 2;
        if used + w > avail {
            break;
        }
        spans.push(Span::styled(key, t.key));
        spans.push(Span::styled(format!(" {desc}  "), t.dim));
        used += w;
    }
    let right = crate::text::truncate_with(
        &right,
        (area.width as usize).saturating_sub(used),
        t.ellipsis,
    );
    spans.push(Span::raw(" ".repeat(
        (area.width as usize).saturating_sub(used + width(&right)),
    )));
    spans.push(Span::styled(right, t.base));
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
