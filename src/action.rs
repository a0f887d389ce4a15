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
    /// A digit typed in the timeline: part of a count, as in `7G` (jump to No. 7).
    Count(u8),
    /// Select partnership No. n (`7G`, `:7`, the palette's first row for a number).
    JumpTo(u32),
    /// Open the command palette: every action, fuzzy-searched, run with Enter.
    OpenPalette,
    /// Close the command palette without running anything.
    ClosePalette,
    /// Run the action selected in the command palette.
    RunPalette,
    /// Mark or unmark the selected partner (for a brief of several).
    ToggleMark,
    /// Unmark every partner.
    ClearMarks,
    /// Back to the partner selected before (a stack, as Ctrl-O in vim).
    Back,
    /// The query typed before this one (the search history).
    HistoryPrev,
    /// The query typed after this one, then the query being written.
    HistoryNext,
    /// In the statistics view: show the partners of the selected count row (its
    /// region, kind, status or year as the filter), in the timeline.
    Drill,
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
            Action::AcceptSearch => "to the list, keeping the query",
            Action::CancelSearch => "clear the query; on an empty one, to the timeline",
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
            Action::CopySummary => {
                "copy a Markdown brief: the marked partners, else this one (OSC 52)"
            }
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
            Action::Count(_) => "a number, then G: jump to that No.",
            Action::JumpTo(_) => "jump to a partnership by its number",
            Action::OpenPalette => "command palette: every action, by name",
            Action::ClosePalette => "close the palette",
            Action::RunPalette => "run the action selected",
            Action::ToggleMark => "mark / unmark the partner (y copies a brief of the marked)",
            Action::ClearMarks => "unmark every partner",
            Action::Back => "back to the partner selected before",
            Action::HistoryPrev => "the query typed before",
            Action::HistoryNext => "the query typed after",
            Action::Drill => "statistics: show the partners of the selected row",
        }
    }

    /// One line in Japanese, for the command palette (the help overlay is in English).
    pub fn describe_ja(&self) -> &'static str {
        match self {
            Action::Quit => "終了",
            Action::Suspend => "シェルに一時中断（fg で再開）",
            Action::Down => "次の項目 / 下へスクロール",
            Action::Up => "前の項目 / 上へスクロール",
            Action::First => "最初の項目 / 先頭へ",
            Action::Last => "最後の項目 / 末尾へ",
            Action::PageDown => "次のページ",
            Action::PageUp => "前のページ",
            Action::ToggleFocus => "フォーカス切替: 年表 / 詳細",
            Action::FocusDetail => "詳細を読む",
            Action::FocusTimeline => "年表に戻る",
            Action::FocusSearch => "検索",
            Action::AcceptSearch => "検索語を残して一覧へ",
            Action::CancelSearch => "検索語を消す（空なら年表へ）",
            Action::Insert(_) => "検索語を入力",
            Action::Paste(_) => "検索語に貼り付け",
            Action::Backspace => "カーソルの前の文字を削除",
            Action::Delete => "カーソル位置の文字を削除",
            Action::DeleteToStart => "行頭まで削除",
            Action::DeleteWord => "前の単語を削除",
            Action::CaretLeft => "カーソルを左へ",
            Action::CaretRight => "カーソルを右へ",
            Action::CaretStart => "カーソルを行頭へ",
            Action::CaretEnd => "カーソルを行末へ",
            Action::CycleRegion => "地域フィルタを切替",
            Action::CycleKind => "種別フィルタを切替",
            Action::CycleStatus => "状態フィルタを切替（有効、期間満了間近、期間経過、期間不明）",
            Action::ClearAll => "検索とフィルタを解除",
            Action::CopySummary => {
                "Markdown の資料をコピー: 印の付いた提携先、なければこの提携先（OSC 52）"
            }
            Action::CopySources => "提携先が出典とするページのURLをコピー（OSC 52）",
            Action::ToggleHub => "ハブ: LINK-J 自身のカード",
            Action::ToggleView(View::Stats) => "統計: 年・地域・種別・状態ごと",
            Action::ToggleView(View::Map) => "地図: ハブを中心に提携先を表示",
            Action::ToggleView(View::Present) => "発表: 提携先を全画面で",
            Action::ToggleView(View::Browse) => "一覧",
            Action::CloseView => "一覧に戻る",
            Action::ToggleLang => "言語切替: 日本語 / English",
            Action::ToggleHelp => "ヘルプ",
            Action::CloseHelp => "ヘルプを閉じる",
            Action::Resize(..) => "サイズ変更",
            Action::Scroll { .. } => "スクロール",
            Action::Click { .. } => "クリック",
            Action::SearchStep => "検索を続ける",
            Action::Count(_) => "番号のあと G: その番号へ移動",
            Action::JumpTo(_) => "番号で提携へ移動",
            Action::OpenPalette => "コマンドパレット: すべての操作を名前で",
            Action::ClosePalette => "パレットを閉じる",
            Action::RunPalette => "選んだ操作を実行",
            Action::ToggleMark => "提携先に印を付ける / 外す（y で印の付いた提携先の資料をコピー）",
            Action::ClearMarks => "すべての印を外す",
            Action::Back => "前に選んでいた提携先に戻る",
            Action::HistoryPrev => "前に入力した検索語",
            Action::HistoryNext => "後に入力した検索語",
            Action::Drill => "統計: 選んだ行の提携先を表示",
        }
    }

    /// One line in `lang`.
    pub fn describe_in(&self, lang: crate::data::Lang) -> &'static str {
        match lang {
            crate::data::Lang::En => self.describe(),
            crate::data::Lang::Ja => self.describe_ja(),
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
    ("palette", Action::OpenPalette),
    ("close-palette", Action::ClosePalette),
    ("run-palette", Action::RunPalette),
    ("mark", Action::ToggleMark),
    ("unmark-all", Action::ClearMarks),
    ("back", Action::Back),
    ("history-previous", Action::HistoryPrev),
    ("history-next", Action::HistoryNext),
    ("drill", Action::Drill),
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
