//! A session: what one terminal's user changes (query, filters, selection, scroll,
//! view, language, search progress), on a catalog shared with every other session.
//! Only [`update`] writes it; the views and the front-ends read it through accessors.

mod line_edit;
mod results;
pub mod update;

use std::sync::Arc;

pub use crate::listing::Row;
pub use line_edit::{LineEdit, MAX_QUERY_CHARS};
pub use results::{SLICE, SYNC_LIMIT};

use crate::catalog::Catalog;
use crate::data::{Dataset, Lang, Partner};
use crate::filter::Filter;
use crate::mode::{Focus, Mode, View};
use crate::search::Hit;

/// How a session looks and counts, fixed when it starts: set from the command line,
/// the environment (`NO_COLOR`, `TMUX`) or, over SSH, what the visitor's client sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The language the session starts in (`L` switches).
    pub lang: Lang,
    /// Colours on (off under `NO_COLOR`).
    pub color: bool,
    /// The light palette, for light terminal backgrounds.
    pub light: bool,
    /// ASCII-only chrome.
    pub plain: bool,
    /// Inside tmux: OSC 52 is wrapped for passthrough.
    pub tmux: bool,
    /// Sources' addresses in the detail pane are OSC 8 hyperlinks (the terminal takes
    /// them, and the chrome is not plain).
    pub hyperlinks: bool,
    /// The day agreement statuses are computed for (`--as-of`, else today).
    pub today: chrono::NaiveDate,
    /// Searches over more candidates than this run in slices between keystrokes.
    pub sync_limit: usize,
    /// Candidates scored per slice.
    pub slice: usize,
    /// The keys: the standard keymap, or the config file's remappings over it. Hints
    /// and help read it too.
    pub keymap: Arc<crate::keymap::Keymap>,
    /// Start with the timeline focused (single-letter keys act at once) rather than
    /// the search bar (keys type the query).
    pub start_in_timeline: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            lang: Lang::En,
            color: true,
            light: false,
            plain: false,
            tmux: false,
            hyperlinks: false,
            today: chrono::Local::now().date_naive(),
            sync_limit: SYNC_LIMIT,
            slice: SLICE,
            keymap: Arc::default(),
            start_in_timeline: false,
        }
    }
}

/// The command palette while it is open: what is typed, the row selected.
#[derive(Debug, Clone, Default)]
struct Palette {
    query: LineEdit,
    selected: usize,
}

/// A partner selected before, with the query and filter it was shown under, for
/// going back to it (Ctrl-O).
#[derive(Debug, Clone)]
struct Visit {
    partner: usize,
    query: String,
    filter: Filter,
}

/// The queries typed in this session, for Ctrl-Up / Ctrl-Down.
#[derive(Debug, Clone, Default)]
struct History {
    queries: Vec<String>,
    /// Which of them is in the search bar, while recalling.
    at: Option<usize>,
    /// What was being typed when recalling started.
    draft: String,
}

/// One terminal's state. Cheap to make: it shares the catalog, and holds only the
/// list it shows and what it needs to search quickly while the user types.
#[derive(Debug)]
pub struct Session {
    catalog: Arc<Catalog>,
    settings: Settings,
    lang: Lang,
    focus: Focus,
    help: bool,
    help_scroll: usize,
    view: View,
    /// A message for the status line, until the next key.
    flash: Option<String>,
    /// Escape sequences for the terminal after the next frame (OSC 52), built only from
    /// base64 text, never from raw dataset text.
    outbox: Vec<String>,
    query: LineEdit,
    filter: Filter,
    selected: usize,
    offset: usize,
    detail_scroll: usize,
    size: (u16, u16),
    quit: bool,
    suspend: bool,
    list: results::List,
    search: results::Search,
    /// The hub's row is selected (its card is in the detail pane), not a partner.
    hub: bool,
    /// The hub's match for the query, when it matches one.
    hub_hit: Option<Hit>,
    /// The command palette, when open.
    palette: Option<Palette>,
    /// Digits typed in the timeline, as the count of `7G`.
    count: Option<u32>,
    /// Marked partners (indices), in the order they were marked.
    marks: Vec<usize>,
    /// Partners selected before, the latest last (bounded).
    visits: Vec<Visit>,
    /// Whether the last change of partner was a step (a line, a keystroke): steps in a
    /// row are one visit.
    stepping: bool,
    history: History,
    /// The selected count row of the statistics view.
    stats_row: usize,
}

impl Session {
    /// A fresh session on `catalog`, for a terminal of `size`: the whole timeline, the
    /// first partner selected. The first action (or `fix_view`) scrolls it into place.
    pub fn new(catalog: Arc<Catalog>, size: (u16, u16), settings: Settings) -> Session {
        let focus = if settings.start_in_timeline {
            Focus::Timeline
        } else {
            Focus::Search
        };
        let mut s = Session {
            catalog,
            lang: settings.lang,
            settings,
            focus,
            help: false,
            help_scroll: 0,
            view: View::Browse,
            flash: None,
            outbox: Vec::new(),
            query: LineEdit::default(),
            filter: Filter::default(),
            selected: 0,
            offset: 0,
            detail_scroll: 0,
            size,
            quit: false,
            suspend: false,
            list: results::List::default(),
            search: results::Search::default(),
            hub: false,
            hub_hit: None,
            palette: None,
            count: None,
            marks: Vec::new(),
            visits: Vec::new(),
            stepping: false,
            history: History::default(),
            stats_row: 0,
        };
        s.refresh();
        s
    }

    /// The catalog this session browses.
    pub fn catalog(&self) -> &Arc<Catalog> {
        &self.catalog
    }

    /// The dataset.
    pub fn dataset(&self) -> &Dataset {
        self.catalog.dataset()
    }

    /// How the session looks and counts.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The keymap in force.
    pub fn keymap(&self) -> &crate::keymap::Keymap {
        &self.settings.keymap
    }

    /// The day statuses are computed for.
    pub fn today(&self) -> chrono::NaiveDate {
        self.settings.today
    }

    /// Display language.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Which pane has the keyboard.
    pub fn focus(&self) -> Focus {
        self.focus
    }

    /// Whether the help overlay is open.
    pub fn help(&self) -> bool {
        self.help
    }

    /// First visible line of the help overlay.
    pub fn help_scroll(&self) -> usize {
        self.help_scroll
    }

    /// The full-screen view, or the browser.
    pub fn view(&self) -> View {
        self.view
    }

    /// The status line's message, if one is up.
    pub fn flash(&self) -> Option<&str> {
        self.flash.as_deref()
    }

    /// The search query.
    pub fn query(&self) -> &LineEdit {
        &self.query
    }

    /// The region, kind and status filters.
    pub fn filter(&self) -> Filter {
        self.filter
    }

    /// Partners shown, in display order.
    pub fn hits(&self) -> &[Hit] {
        self.list.hits()
    }

    /// The `i`-th hit shown, with its highlight marks when it is on screen.
    pub fn hit(&self, i: usize) -> Option<&Hit> {
        self.list.hit(i)
    }

    /// How many rows the timeline has (headings, hits, gaps).
    pub fn row_count(&self) -> usize {
        self.list.shown.row_count()
    }

    /// The `i`-th row of the timeline.
    pub fn row(&self, i: usize) -> Option<Row> {
        self.list.shown.row(i)
    }

    /// The selected hit's position in [`Session::hits`].
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// First visible timeline row.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// First visible line of the detail pane.
    pub fn detail_scroll(&self) -> usize {
        self.detail_scroll
    }

    /// Terminal size (columns, rows).
    pub fn size(&self) -> (u16, u16) {
        self.size
    }

    /// Whether the user asked to quit.
    pub fn quit(&self) -> bool {
        self.quit
    }

    /// The highest ordinal in the dataset.
    pub fn max_ordinal(&self) -> u32 {
        self.catalog.max_ordinal()
    }

    /// The keyboard mode.
    pub fn mode(&self) -> Mode {
        Mode::of(self.help, self.palette.is_some(), self.view, self.focus)
    }

    /// The mode under the help overlay and the palette.
    pub fn base_mode(&self) -> Mode {
        Mode::of(false, false, self.view, self.focus)
    }

    /// The command palette's query, when it is open.
    pub fn palette_query(&self) -> Option<&LineEdit> {
        self.palette.as_ref().map(|p| &p.query)
    }

    /// The palette's rows for what is typed in it (none when closed).
    pub fn palette_entries(&self) -> Vec<crate::palette::Entry> {
        self.palette.as_ref().map_or_else(Vec::new, |p| {
            crate::palette::entries(self.keymap(), self.base_mode(), self.lang, p.query.text())
        })
    }

    /// The palette's selected row.
    pub fn palette_selected(&self) -> usize {
        self.palette.as_ref().map_or(0, |p| p.selected)
    }

    /// The count typed so far in the timeline (`7` of `7G`).
    pub fn count(&self) -> Option<u32> {
        self.count
    }

    /// The marked partners (indices into the dataset's partners), in marking order.
    pub fn marks(&self) -> &[usize] {
        &self.marks
    }

    /// Whether the partner (index) is marked.
    pub fn is_marked(&self, partner: usize) -> bool {
        self.marks.contains(&partner)
    }

    /// How many partners Ctrl-O can go back through.
    pub fn back_depth(&self) -> usize {
        self.visits.len()
    }

    /// The queries typed in this session, oldest first.
    pub fn query_history(&self) -> &[String] {
        &self.history.queries
    }

    /// The count rows of the statistics view for what is shown.
    pub fn stats_rows(&self) -> Vec<(crate::stats::Facet, usize)> {
        let ds = self.dataset();
        crate::stats::counts(
            ds,
            self.hits()
                .iter()
                .filter_map(|h| ds.partners.brief(h.partner)),
            self.today(),
        )
        .rows()
    }

    /// The selected count row of the statistics view.
    pub fn stats_row(&self) -> usize {
        self.stats_row
    }

    /// Whether the hub's row is selected (then no partner is).
    pub fn hub_selected(&self) -> bool {
        self.hub
    }

    /// The hub's match for the query typed, if the query matches the hub.
    pub fn hub_hit(&self) -> Option<&Hit> {
        self.hub_hit.as_ref()
    }

    /// The selected partner, if one is shown and the hub's row is not selected.
    pub fn selected_partner(&self) -> Option<std::borrow::Cow<'_, Partner>> {
        if self.hub {
            return None;
        }
        self.list
            .hits()
            .get(self.selected)
            .and_then(|h| self.dataset().partners.get(h.partner))
    }

    /// The selected partner with the query and filter it is shown under.
    fn visit(&self) -> Option<Visit> {
        if self.hub {
            return None;
        }
        self.list.hits().get(self.selected).map(|h| Visit {
            partner: h.partner,
            query: self.query.text().to_string(),
            filter: self.filter,
        })
    }

    /// The selected hit.
    pub fn selected_hit(&self) -> Option<&Hit> {
        self.list.hit(self.selected)
    }

    /// Row index of the selected hit (none while the hub's row is selected).
    pub fn selected_row(&self) -> Option<usize> {
        if self.hub {
            return None;
        }
        self.list.shown.row_of(self.selected)
    }

    /// Whether a query or filter is narrowing the list.
    pub fn is_narrowed(&self) -> bool {
        !self.query.text().trim().is_empty()
            || self.filter.region.is_some()
            || self.filter.kind.is_some()
            || self.filter.year.is_some()
    }

    /// Takes the sequences queued for the terminal (OSC 52 copies): the front-end
    /// writes them after the next frame.
    pub fn take_outbox(&mut self) -> Vec<String> {
        std::mem::take(&mut self.outbox)
    }

    /// Whether the user asked to suspend (Ctrl-Z), clearing the request: the front-end
    /// gives the terminal back, and takes it again when continued.
    pub fn take_suspend(&mut self) -> bool {
        std::mem::take(&mut self.suspend)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::Action;

    fn session(catalog: &Arc<Catalog>) -> Session {
        Session::new(Arc::clone(catalog), (100, 30), Settings::default())
    }

    #[test]
    fn two_sessions_on_one_catalog_keep_their_own_state() {
        let catalog = Arc::new(Catalog::new(
            crate::data::load_embedded().expect("embedded"),
        ));
        let (mut a, mut b) = (session(&catalog), session(&catalog));
        for c in "kobe".chars() {
            update::update(&mut a, Action::FocusSearch);
            update::update(&mut a, Action::Insert(c));
        }
        update::update(&mut b, Action::CycleRegion);
        update::update(&mut b, Action::ToggleLang);
        assert_eq!(a.query().text(), "kobe");
        assert_eq!(b.query().text(), "");
        assert_eq!(a.filter(), Filter::default());
        assert_eq!(b.filter().region, Some(0));
        assert_eq!((a.lang(), b.lang()), (Lang::En, Lang::Ja));
        assert!(a.hits().len() < catalog.dataset().partners.len());
        assert!(Arc::ptr_eq(a.catalog(), b.catalog()));
    }
}
