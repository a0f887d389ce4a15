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
        }
    }
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
}

impl Session {
    /// A fresh session on `catalog`, for a terminal of `size`: the whole timeline, the
    /// first partner selected. The first action (or `fix_view`) scrolls it into place.
    pub fn new(catalog: Arc<Catalog>, size: (u16, u16), settings: Settings) -> Session {
        let mut s = Session {
            catalog,
            lang: settings.lang,
            settings,
            focus: Focus::Timeline,
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
        Mode::of(self.help, self.view, self.focus)
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
