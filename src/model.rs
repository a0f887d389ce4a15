//! The application state. Only `update` changes it; the view only reads it.

use crate::data::{Dataset, Lang, Loaded, Missing, Partner};
use crate::keymap::Mode;
use crate::search::{Hit, Index, Term, TermKind, parse_query};

/// Searches over more candidates than this run in slices between keystrokes, so
/// typing is never held up; smaller ones finish at once.
pub const SYNC_LIMIT: usize = 4_096;
/// Candidates scored per slice.
pub const SLICE: usize = 8_192;
/// While a sliced search runs, the best this many matches so far are listed.
const PARTIAL_SHOWN: usize = 256;

/// A search too large to finish between two keystrokes, done a slice at a time.
#[derive(Debug)]
struct Pending {
    terms: Vec<Term>,
    query: String,
    candidates: Vec<usize>,
    next: usize,
    hits: Vec<Hit>,
    /// The best of `hits`, best first (what is listed until the search is done).
    top: Vec<Hit>,
    narrowed: bool,
    /// The second pass, allowing one typo, after the strict one found nothing: as
    /// long as the first, so sliced the same way.
    relaxed: bool,
}

/// The filters a list was built for: region, kind and status (indices and values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Scope {
    region: Option<usize>,
    kind: Option<usize>,
    status: Option<crate::status::Status>,
}

/// What a ranking depends on besides the dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Filters {
    query: String,
    scope: Scope,
}

/// The last result set, for narrowing: when the query only grew, the new matches are
/// among the old ones, so only those need scoring.
#[derive(Debug, Clone)]
struct Previous {
    filters: Filters,
    relaxed: bool,
    partners: Vec<usize>,
}

/// The list with no query, for a set of filters, kept aside while a query is typed:
/// clearing the query puts it back without rebuilding a list of every partner.
#[derive(Debug)]
struct Base {
    scope: Scope,
    hits: Vec<Hit>,
    rows: Vec<Row>,
    row_of: Vec<usize>,
}

/// Finished rankings of recent queries, so that deleting back to a query shown a
/// moment ago is instant (as in fzf). Bounded by the number of hits held.
#[derive(Debug, Default)]
struct Recent {
    entries: Vec<(Filters, crate::search::Ranking)>,
}

impl Recent {
    /// Hits held at most, over all entries (32 bytes each: 64 MB). A ranking of up
    /// to half of it is kept, so even deleting back to one letter over a million
    /// partners is instant.
    const BUDGET: usize = 2_000_000;

    /// Takes the ranking for `f` out (it comes back through [`Recent::put`] when it is
    /// shown, which saves copying it twice).
    fn take(&mut self, f: &Filters) -> Option<crate::search::Ranking> {
        let at = self.entries.iter().position(|(k, _)| k == f)?;
        Some(self.entries.remove(at).1)
    }

    fn put(&mut self, f: Filters, r: &crate::search::Ranking) {
        if f.query.trim().is_empty() || r.hits.len() > Self::BUDGET / 2 {
            return;
        }
        self.entries.retain(|(k, _)| *k != f);
        self.entries.push((f, r.clone()));
        let mut held: usize = self.entries.iter().map(|e| e.1.hits.len()).sum();
        while held > Self::BUDGET && self.entries.len() > 1 {
            held -= self.entries.remove(0).1.hits.len();
        }
    }
}

/// What fills the screen between the search bar and the status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// The timeline and the detail pane.
    #[default]
    Browse,
    /// Partnerships per year, region, kind and agreement status.
    Stats,
    /// Partners on a world map around the hub.
    Map,
    /// The selected partner's card, large, for projecting.
    Present,
}

/// Which pane has the keyboard (the help overlay sits above all of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The timeline list.
    Timeline,
    /// The detail pane.
    Detail,
    /// The search bar.
    Search,
}

/// The longest query, in characters. Real queries are a few words; a paste of a whole
/// document would otherwise be matched against every partner on each keystroke.
pub const MAX_QUERY_CHARS: usize = 256;

/// A one-line text editor with a caret, counted in characters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineEdit {
    text: String,
    caret: usize,
}

impl LineEdit {
    /// The text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The caret position in characters.
    pub fn caret(&self) -> usize {
        self.caret
    }

    fn byte_at(&self, char_index: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_index)
            .map_or(self.text.len(), |(i, _)| i)
    }

    fn len(&self) -> usize {
        self.text.chars().count()
    }

    /// Inserts text at the caret; control characters are dropped, newlines become spaces.
    /// The query never grows past [`MAX_QUERY_CHARS`]: what does not fit is dropped, and
    /// the count of dropped characters is returned (0 when everything fitted).
    pub fn insert(&mut self, s: &str) -> usize {
        let room = MAX_QUERY_CHARS.saturating_sub(self.len());
        // Cleaning can only remove characters, so more than a few times the room is
        // never needed: a huge paste costs no more than a small one.
        let head_end = s
            .char_indices()
            .nth(room.saturating_mul(4).max(64))
            .map_or(s.len(), |(i, _)| i);
        let clean = crate::text::clean(&s[..head_end]);
        let fits = clean
            .char_indices()
            .nth(room)
            .map_or(clean.len(), |(i, _)| i);
        let kept = &clean[..fits];
        let at = self.byte_at(self.caret);
        self.text.insert_str(at, kept);
        let kept_chars = kept.chars().count();
        self.caret += kept_chars;
        let offered = clean.chars().count() + s[head_end..].chars().count();
        offered - kept_chars
    }

    /// Deletes the character before the caret.
    pub fn backspace(&mut self) {
        if self.caret > 0 {
            let start = self.byte_at(self.caret - 1);
            let end = self.byte_at(self.caret);
            self.text.replace_range(start..end, "");
            self.caret -= 1;
        }
    }

    /// Deletes the character under the caret.
    pub fn delete(&mut self) {
        if self.caret < self.len() {
            let start = self.byte_at(self.caret);
            let end = self.byte_at(self.caret + 1);
            self.text.replace_range(start..end, "");
        }
    }

    /// Deletes from the start to the caret.
    pub fn delete_to_start(&mut self) {
        let end = self.byte_at(self.caret);
        self.text.replace_range(..end, "");
        self.caret = 0;
    }

    /// Deletes the word before the caret (and the spaces after it), like a shell's Ctrl-W.
    pub fn delete_word(&mut self) {
        let chars: Vec<char> = self.text.chars().collect();
        let mut i = self.caret;
        while i > 0 && chars[i - 1].is_whitespace() {
            i -= 1;
        }
        while i > 0 && !chars[i - 1].is_whitespace() {
            i -= 1;
        }
        let (start, end) = (self.byte_at(i), self.byte_at(self.caret));
        self.text.replace_range(start..end, "");
        self.caret = i;
    }

    /// Moves the caret left.
    pub fn left(&mut self) {
        self.caret = self.caret.saturating_sub(1);
    }

    /// Moves the caret right.
    pub fn right(&mut self) {
        self.caret = (self.caret + 1).min(self.len());
    }

    /// Moves the caret to the start.
    pub fn home(&mut self) {
        self.caret = 0;
    }

    /// Moves the caret to the end.
    pub fn end(&mut self) {
        self.caret = self.len();
    }

    /// Empties the editor.
    pub fn clear(&mut self) {
        self.text.clear();
        self.caret = 0;
    }
}

/// One row of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// A year heading.
    Year(i32),
    /// The n-th hit.
    Hit(usize),
    /// Ordinals that no entry describes: one, or a run of consecutive ones.
    Gap(Missing),
}

/// Everything the app knows.
#[derive(Debug)]
pub struct Model {
    /// The dataset, partners in date order.
    pub data: Loaded,
    /// Display language.
    pub lang: Lang,
    /// Which pane has the keyboard.
    pub focus: Focus,
    /// Whether the help overlay is open.
    pub help: bool,
    /// The full-screen view, or the browser.
    pub view: View,
    /// A message for the status line, until the next key.
    pub flash: Option<String>,
    /// Escape sequences to write to the terminal after the next frame (OSC 52). Built
    /// only from base64 text, never from raw dataset text.
    pub outbox: Vec<String>,
    /// Inside tmux: OSC 52 is wrapped for passthrough.
    pub tmux: bool,
    /// The light theme (for light terminal backgrounds).
    pub light: bool,
    /// First visible line of the help overlay.
    pub help_scroll: usize,
    /// The search query.
    pub query: LineEdit,
    /// Region filter: index into the dataset's regions.
    pub region: Option<usize>,
    /// Kind filter: index into the dataset's kinds.
    pub kind: Option<usize>,
    /// Partners shown, in display order.
    pub hits: Vec<Hit>,
    /// The timeline's rows (headings, hits, gaps).
    pub rows: Vec<Row>,
    /// Selected hit.
    pub selected: usize,
    /// First visible timeline row.
    pub offset: usize,
    /// First visible line of the detail pane.
    pub detail_scroll: usize,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// Colours on (off under `NO_COLOR`).
    pub color: bool,
    /// ASCII-only chrome.
    pub plain: bool,
    /// The day agreement statuses are computed for (`--as-of`, else today).
    pub today: chrono::NaiveDate,
    /// Only partners with this agreement status, or all.
    pub status: Option<crate::status::Status>,
    /// Set when the user asked to quit.
    pub quit: bool,
    /// Set when the user asked to suspend (Ctrl-Z); the front-end clears it once it has
    /// given the terminal back and taken it again.
    pub suspend: bool,
    pub(crate) index: Index,
    /// The parsed query the hits were ranked with (highlights are filled from it).
    pub(crate) terms: Vec<Term>,
    /// `hits[..resolved]` are in final order; a large search orders the rest (within
    /// groups of equal tier, field and exactness) only when they are shown.
    resolved: usize,
    /// Row index of each hit.
    pub(crate) row_of: Vec<usize>,
    /// Runs of ordinals no partner has, computed once.
    gaps: Vec<Missing>,
    /// The highest ordinal, computed once (the timeline's column width).
    max_ordinal: u32,
    previous: Option<Previous>,
    pending: Option<Pending>,
    recent: Recent,
    base: Option<Base>,
    /// The filters the list was built for when it is the list with no query.
    showing_base: Option<Scope>,
    /// Searches over more candidates than this run in slices ([`SYNC_LIMIT`]).
    sync_limit: usize,
    /// Candidates per slice ([`SLICE`]).
    slice: usize,
}

impl Model {
    /// A fresh model on a loaded dataset, for a terminal of `size`.
    pub fn new(data: Loaded, size: (u16, u16)) -> Model {
        let index = Index::new(&data.dataset);
        let gaps = crate::data::missing_ordinals(&data.dataset.partners, &data.dataset.gaps);
        let max_ordinal = data
            .dataset
            .partners
            .iter()
            .map(|p| p.ordinal)
            .max()
            .unwrap_or(1);
        let mut m = Model {
            data,
            lang: Lang::En,
            focus: Focus::Timeline,
            help: false,
            view: View::Browse,
            flash: None,
            outbox: Vec::new(),
            tmux: false,
            light: false,
            help_scroll: 0,
            query: LineEdit::default(),
            region: None,
            kind: None,
            hits: Vec::new(),
            rows: Vec::new(),
            selected: 0,
            offset: 0,
            detail_scroll: 0,
            size,
            color: true,
            plain: false,
            today: chrono::Local::now().date_naive(),
            status: None,
            quit: false,
            suspend: false,
            gaps,
            max_ordinal,
            index,
            terms: Vec::new(),
            resolved: 0,
            row_of: Vec::new(),
            previous: None,
            pending: None,
            recent: Recent::default(),
            base: None,
            showing_base: None,
            sync_limit: SYNC_LIMIT,
            slice: SLICE,
        };
        m.refresh();
        m
    }

    /// The dataset.
    pub fn dataset(&self) -> &Dataset {
        &self.data.dataset
    }

    /// The keyboard mode.
    pub fn mode(&self) -> Mode {
        if self.help {
            return Mode::Help;
        }
        if self.view != View::Browse {
            return Mode::View;
        }
        match self.focus {
            Focus::Timeline => Mode::Timeline,
            Focus::Detail => Mode::Detail,
            Focus::Search => Mode::Search,
        }
    }

    /// The selected partner, if anything is shown.
    pub fn selected_partner(&self) -> Option<&Partner> {
        self.hits
            .get(self.selected)
            .map(|h| &self.data.dataset.partners[h.partner])
    }

    /// The selected hit.
    pub fn selected_hit(&self) -> Option<&Hit> {
        self.hits.get(self.selected)
    }

    /// Whether a query or filter is narrowing the list.
    pub fn is_narrowed(&self) -> bool {
        !self.query.text().trim().is_empty() || self.region.is_some() || self.kind.is_some()
    }

    /// Row index of the selected hit.
    pub fn selected_row(&self) -> Option<usize> {
        self.row_of.get(self.selected).copied()
    }

    /// Fills the highlight marks of the hits on rows `from..to` (and the selection).
    pub fn mark_rows(&mut self, from: usize, to: usize) {
        let wanted: Vec<usize> = self
            .rows
            .get(from..to.min(self.rows.len()))
            .unwrap_or_default()
            .iter()
            .filter_map(|r| match r {
                Row::Hit(i) => Some(*i),
                _ => None,
            })
            .chain(std::iter::once(self.selected))
            .collect();
        // What is shown must be in its final order first.
        let last = wanted.iter().copied().max().unwrap_or(0);
        self.resolve_upto(last + 1);
        for i in wanted {
            if let Some(h) = self.hits.get_mut(i) {
                self.index.fill_marks(h, &self.terms);
            }
        }
    }

    /// Puts `hits[..upto]` in their final order (see [`Index::resolve`]).
    fn resolve_upto(&mut self, upto: usize) {
        if upto > self.resolved {
            self.resolved = self
                .index
                .resolve(&mut self.hits, &self.terms, self.resolved, upto);
        }
    }

    /// How many hits, from the top, are in their final order (the rest are ordered
    /// as they come into view).
    #[doc(hidden)]
    pub fn resolved_len(&self) -> usize {
        self.resolved.min(self.hits.len())
    }

    /// Puts every hit in its final order.
    #[doc(hidden)]
    pub fn resolve_all(&mut self) {
        self.resolve_upto(self.hits.len());
    }

    /// Recomputes hits and rows after the query or a filter changed, keeping the
    /// selected partner selected when it is still shown.
    pub fn refresh(&mut self) {
        let keep = self.hits.get(self.selected).map(|h| h.partner);
        let query = self.query.text().to_string();
        let terms = parse_query(&query);
        let scope = self.scope();
        if terms.is_empty()
            && let Some(b) = self.base.take_if(|b| b.scope == scope)
        {
            self.stash_base();
            self.pending = None;
            self.previous = None;
            self.hits = b.hits;
            self.resolved = self.hits.len();
            self.rows = b.rows;
            self.row_of = b.row_of;
            self.terms = terms;
            self.showing_base = Some(scope);
            // In date order, so by partner index.
            self.selected = keep
                .and_then(|k| self.hits.binary_search_by_key(&k, |h| h.partner).ok())
                .unwrap_or(0);
            self.detail_scroll = 0;
            return;
        }
        let ds = &self.data.dataset;
        let region = self.region.and_then(|i| ds.regions.get(i)).map(|l| &l.id);
        let kind = self.kind.and_then(|i| ds.kinds.get(i)).map(|l| &l.id);
        let (status, today) = (self.status, self.today);
        let all = || -> Vec<usize> {
            ds.partners
                .iter()
                .enumerate()
                .filter(|(_, p)| {
                    region.is_none_or(|r| *r == p.region)
                        && kind.is_none_or(|k| *k == p.kind)
                        && status.is_none_or(|s| crate::status::status_of(p, today) == s)
                })
                .map(|(i, _)| i)
                .collect()
        };
        if let Some(r) = self.recent.take(&self.filters(&query)) {
            self.pending = None;
            self.publish(query, terms, r, keep);
            return;
        }
        let narrowed = self.previous.as_ref().and_then(|prev| {
            let grew = !prev.filters.query.trim().is_empty()
                && query.starts_with(&prev.filters.query)
                && prev.filters.scope == scope
                && !prev.relaxed
                // An exclusion gets weaker as it grows: it could let old misses back in.
                && terms.iter().all(|t| t.kind != TermKind::Exclude);
            // Partner indices ascend in date order, which ties rely on.
            grew.then(|| {
                if prev.partners.len() > 50_000 {
                    // Marking beats sorting for large sets.
                    let mut mark = vec![false; ds.partners.len()];
                    for &i in &prev.partners {
                        mark[i] = true;
                    }
                    (0..mark.len()).filter(|&i| mark[i]).collect()
                } else {
                    let mut c = prev.partners.clone();
                    c.sort_unstable();
                    c
                }
            })
        });
        let is_narrowed = narrowed.is_some();
        let candidates = narrowed.unwrap_or_else(all);
        // A new query makes any unfinished search stale.
        self.pending = None;
        if candidates.len() > self.sync_limit && !terms.is_empty() {
            self.pending = Some(Pending {
                terms,
                query,
                candidates,
                next: 0,
                hits: Vec::new(),
                top: Vec::new(),
                narrowed: is_narrowed,
                relaxed: false,
            });
            return;
        }
        let mut ranking = self.index.rank_terms(&candidates, &terms);
        if is_narrowed && ranking.hits.is_empty() {
            // Nothing strict among the old matches: the one-typo pass needs everyone.
            ranking = self.index.rank_terms(&all(), &terms);
        }
        self.publish(query, terms, ranking, keep);
    }

    /// Changes when searches run in slices and how large the slices are (tests use it
    /// to take the sliced path on a small dataset).
    #[doc(hidden)]
    pub fn set_search_slices(&mut self, sync_limit: usize, slice: usize) {
        self.sync_limit = sync_limit;
        self.slice = slice;
    }

    fn scope(&self) -> Scope {
        Scope {
            region: self.region,
            kind: self.kind,
            status: self.status,
        }
    }

    fn filters(&self, query: &str) -> Filters {
        Filters {
            query: query.to_string(),
            scope: self.scope(),
        }
    }

    /// The highest ordinal in the dataset.
    pub fn max_ordinal(&self) -> u32 {
        self.max_ordinal
    }

    /// Whether a sliced search is still running.
    pub fn search_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// How far a sliced search has got: (scored, total, matches so far).
    pub fn search_progress(&self) -> Option<(usize, usize, usize)> {
        self.pending.as_ref().map(|p| {
            (
                p.next.min(p.candidates.len()),
                p.candidates.len(),
                p.hits.len(),
            )
        })
    }

    /// Scores the next slice of a pending search and shows what has been found so far;
    /// the last slice publishes the final, fully ranked list.
    pub fn step_search(&mut self) {
        let Some(mut p) = self.pending.take() else {
            return;
        };
        let end = (p.next + self.slice.max(1)).min(p.candidates.len());
        let mut found = self
            .index
            .score_all(&p.candidates[p.next..end], &p.terms, p.relaxed);
        let before = p.hits.len();
        p.hits.append(&mut found);
        p.next = end;
        if p.next < p.candidates.len() {
            // The list fills in as results arrive, best first: the best matches so far
            // (a few screenfuls), merged slice by slice, not everything re-sorted.
            let mut partial = std::mem::take(&mut p.top);
            partial.extend_from_slice(&p.hits[before..]);
            // Within a group, date order until the search is done and the fuzzy scores
            // order the part that is shown.
            Index::best_by_group_then_partner(&mut partial, PARTIAL_SHOWN);
            p.top = partial.clone();
            self.terms = p.terms.clone();
            self.show(partial, &p.query);
            self.pending = Some(p);
            return;
        }
        if p.hits.is_empty() && !p.relaxed {
            if p.narrowed {
                // Start over on everyone (the typo pass needs all candidates).
                self.previous = None;
                self.refresh();
                return;
            }
            // Nothing strict: the one-typo pass, in slices too.
            p.relaxed = true;
            p.next = 0;
            self.pending = Some(p);
            return;
        }
        let relaxed = p.relaxed && !p.hits.is_empty();
        let mut hits = p.hits;
        // Sorted by group; the fuzzy scores order only what is shown (the first
        // screens now, the rest as it is scrolled to).
        Index::sort_groups(&mut hits);
        let resolved = self.index.resolve(&mut hits, &p.terms, 0, PARTIAL_SHOWN);
        let ranking = crate::search::Ranking {
            hits,
            relaxed,
            resolved,
        };
        self.publish(p.query, p.terms, ranking, None);
        crate::update::fix_view(self);
    }

    /// Keeps the list with no query aside (moved, not copied) before it is replaced.
    fn stash_base(&mut self) {
        if let Some(scope) = self.showing_base.take() {
            self.base = Some(Base {
                scope,
                hits: std::mem::take(&mut self.hits),
                rows: std::mem::take(&mut self.rows),
                row_of: std::mem::take(&mut self.row_of),
            });
        }
    }

    /// Replaces the list (the one with no query is kept aside first) and its rows.
    fn install(&mut self, hits: Vec<Hit>, query: &str) {
        self.stash_base();
        self.hits = hits;
        // As given (a finished ranking says how far its order is final).
        self.resolved = self.hits.len();
        self.rows = build_rows(
            &self.data.dataset,
            &self.hits,
            &self.gaps,
            query.trim().is_empty(),
        );
        self.row_of = vec![0; self.hits.len()];
        for (r, row) in self.rows.iter().enumerate() {
            if let Row::Hit(i) = row {
                self.row_of[*i] = r;
            }
        }
    }

    /// Shows `hits` (ranked for `query`) without finishing the search.
    fn show(&mut self, hits: Vec<Hit>, query: &str) {
        self.install(hits, query);
        self.selected = 0;
        self.offset = 0;
        crate::update::fix_view(self);
    }

    /// Installs a finished ranking.
    fn publish(
        &mut self,
        query: String,
        terms: Vec<Term>,
        ranking: crate::search::Ranking,
        keep: Option<usize>,
    ) {
        let filters = self.filters(&query);
        self.recent.put(filters.clone(), &ranking);
        self.previous = Some(Previous {
            filters,
            relaxed: ranking.relaxed,
            partners: ranking.hits.iter().map(|h| h.partner).collect(),
        });
        self.install(ranking.hits, &query);
        self.resolved = ranking.resolved;
        let terms_empty = terms.is_empty();
        self.terms = terms;
        let ranked = !query.trim().is_empty();
        // While typing, the best match is what the user wants selected; otherwise stay put.
        self.selected = if ranked {
            0
        } else {
            keep.and_then(|k| self.hits.iter().position(|h| h.partner == k))
                .unwrap_or(0)
        };
        if terms_empty {
            self.showing_base = Some(self.scope());
        }
        self.detail_scroll = 0;
    }
}

/// Timeline rows: in date order with year headings and gaps where they fall; ranked
/// results (a query is active) are one flat list, best first.
fn build_rows(ds: &Dataset, hits: &[Hit], missing: &[Missing], date_order: bool) -> Vec<Row> {
    if !date_order {
        return (0..hits.len()).map(Row::Hit).collect();
    }
    let mut rows = Vec::with_capacity(hits.len() + 16);
    let mut year = None;
    let mut gaps = missing.iter().peekable();
    for (i, h) in hits.iter().enumerate() {
        let p = &ds.partners[h.partner];
        // A gap goes before the first shown partner with a higher ordinal (no partner
        // falls inside a run, so its first ordinal places it).
        while let Some(&&g) = gaps.peek() {
            if g.first < p.ordinal {
                rows.push(Row::Gap(g));
                gaps.next();
            } else {
                break;
            }
        }
        // A gap stays right after its predecessor: its date is unknown, so it is not
        // given a year heading of its own.
        if year != Some(p.signed.year()) {
            year = Some(p.signed.year());
            rows.push(Row::Year(p.signed.year()));
        }
        rows.push(Row::Hit(i));
    }
    // Gaps after the last shown partner are left out: nothing shown follows them, so
    // there is no "where it falls" to show them at.
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_edit_handles_multibyte_text() {
        let mut e = LineEdit::default();
        e.insert("横浜 city");
        assert_eq!(e.caret(), 7);
        e.delete_word();
        assert_eq!(e.text(), "横浜 ");
        e.backspace();
        e.backspace();
        assert_eq!(e.text(), "横");
        e.home();
        e.insert("\u{1b}[2J");
        assert_eq!(e.text(), "[2J横");
        e.right();
        e.delete_to_start();
        assert_eq!(e.text(), "");
    }
}
