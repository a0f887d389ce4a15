//! The list a session shows and how it is kept up to date while the user types:
//! narrowing a grown query to the last matches, putting back the list with no query,
//! taking a listing another session (or this one, a moment ago) already built off the
//! catalog's shelf, and scoring large searches a slice at a time.

use std::sync::Arc;

use crate::filter::Filter;
use crate::listing::{Asked, Listing};
use crate::search::{Hit, Index, Ranking, Scan, Term, parse_query};

use super::Session;

/// Searches over more candidates than this run in slices between keystrokes, so
/// typing is never held up; smaller ones finish at once.
pub const SYNC_LIMIT: usize = 4_096;
/// Candidates scored per slice.
pub const SLICE: usize = 8_192;
/// How many partners a slice ranks by lookup for one it ranks by matching.
const LOOKUPS_PER_MATCH: usize = 16;
/// While a sliced search runs, the best this many matches so far are listed.
const PARTIAL_SHOWN: usize = 256;

/// What is shown: a listing (shared, never written while shared), the query it was
/// ranked with, and the highlight marks of the hits on screen, which are this
/// session's own.
#[derive(Debug, Default)]
pub(super) struct List {
    pub(super) shown: Arc<Listing>,
    /// The parsed query the hits were ranked with (highlights are filled from it).
    terms: Vec<Term>,
    /// Copies of the hits on screen with their marks filled, by index.
    marked: Vec<(usize, Hit)>,
}

impl List {
    pub(super) fn hits(&self) -> &[Hit] {
        &self.shown.hits
    }

    /// The `i`-th hit, with its marks when it is on screen.
    pub(super) fn hit(&self, i: usize) -> Option<&Hit> {
        self.marked
            .iter()
            .find(|(j, _)| *j == i)
            .map(|(_, h)| h)
            .or_else(|| self.shown.hits.get(i))
    }
}

/// A search too large to finish between two keystrokes, done a slice at a time.
#[derive(Debug)]
struct Pending {
    terms: Vec<Term>,
    query: String,
    candidates: Vec<usize>,
    next: usize,
    hits: Vec<Hit>,
    /// What the slices so far found that the next ones use.
    scan: Scan,
    /// How many matches the slices so far found (a looked-up search keeps none of
    /// them in `hits`: its last slice ranks everyone at once).
    found: usize,
    /// The best of `hits`, best first (what is listed until the search is done).
    top: Vec<Hit>,
    narrowed: bool,
    /// Whether a partial list of it has been shown (until then, the last query's is).
    listed: bool,
    /// The second pass, allowing one typo, after the strict one found nothing: as
    /// long as the first, so sliced the same way.
    relaxed: bool,
}

/// The last ranked listing, for narrowing: when the query only grew, the new matches
/// are among its hits, so only those need scoring.
#[derive(Debug, Clone)]
struct Previous {
    asked: Asked,
    listing: Arc<Listing>,
}

/// Everything kept between keystrokes to answer the next one quickly.
#[derive(Debug, Default)]
pub(super) struct Search {
    previous: Option<Previous>,
    pending: Option<Pending>,
    /// The list with no query for a filter, kept while a query is typed: clearing the
    /// query puts it back at once, even when the shelf has let it go.
    base: Option<(Filter, Arc<Listing>)>,
}

impl Session {
    /// Whether a sliced search is still running.
    pub fn search_pending(&self) -> bool {
        self.search.pending.is_some()
    }

    /// How far a sliced search has got: (scored, total, matches so far).
    pub fn search_progress(&self) -> Option<(usize, usize, usize)> {
        self.search
            .pending
            .as_ref()
            .map(|p| (p.next.min(p.candidates.len()), p.candidates.len(), p.found))
    }

    /// How many hits, from the top, are in their final order (the rest are ordered
    /// as they come into view).
    pub fn resolved_len(&self) -> usize {
        self.list.shown.resolved.min(self.list.shown.hits.len())
    }

    /// Fills the highlight marks of the hits on rows `from..to` (and the selection),
    /// in copies of this session's own: the listing may be shared.
    pub(super) fn mark_rows(&mut self, from: usize, to: usize) {
        let shown = &self.list.shown;
        let wanted: Vec<usize> = (from..to.min(shown.row_count()))
            .filter_map(|r| match shown.row(r) {
                Some(crate::listing::Row::Hit(i)) => Some(i),
                _ => None,
            })
            .chain(std::iter::once(self.selected))
            .collect();
        // What is shown must be in its final order first.
        let last = wanted.iter().copied().max().unwrap_or(0);
        self.resolve_upto(last + 1);
        let index = self.catalog.index();
        let mut marked = Vec::new();
        for i in wanted {
            let Some(h) = self.list.shown.hits.get(i) else {
                continue;
            };
            if h.is_marked() || marked.iter().any(|(j, _)| *j == i) {
                continue;
            }
            let copy = match self.list.marked.iter().position(|(j, _)| *j == i) {
                Some(at) => self.list.marked.swap_remove(at).1,
                None => {
                    let mut c = h.clone();
                    index.fill_marks(&mut c, &self.list.terms);
                    c
                }
            };
            marked.push((i, copy));
        }
        self.list.marked = marked;
    }

    /// Puts `hits[..upto]` in their final order (see [`Index::resolve`]). A shared
    /// listing is copied first: scrolling far into a large ranking is this session's.
    fn resolve_upto(&mut self, upto: usize) {
        if upto > self.list.shown.resolved {
            let index = self.catalog.index();
            let l = Arc::make_mut(&mut self.list.shown);
            l.resolved = index.resolve(&mut l.hits, &self.list.terms, l.resolved, upto);
            // The order of the hits on screen may have changed.
            self.list.marked.clear();
        }
    }

    fn asked(&self, query: &str) -> Asked {
        Asked {
            query: query.to_string(),
            filter: self.filter,
            today: self.settings.today,
        }
    }

    /// Recomputes hits and rows after the query or a filter changed, keeping the
    /// selected partner selected when it is still shown.
    pub(super) fn refresh(&mut self) {
        let keep = self.list.hits().get(self.selected).map(|h| h.partner);
        let query = self.query.text().to_string();
        let terms = parse_query(&query);
        // A new query makes any unfinished search stale.
        self.search.pending = None;
        if terms.is_empty() {
            self.search.previous = None;
            let base = self.base_listing();
            self.show(base, Vec::new());
            // In date order, so by partner index.
            self.selected = keep
                .and_then(|k| {
                    self.list
                        .hits()
                        .binary_search_by_key(&k, |h| h.partner)
                        .ok()
                })
                .unwrap_or(0);
            return;
        }
        let asked = self.asked(&query);
        if let Some(l) = self.catalog.shelf().get(&asked) {
            self.show_ranked(asked, terms, l);
            return;
        }
        let narrowed = self.narrowed_candidates(&query, &terms);
        let is_narrowed = narrowed.is_some();
        let candidates = narrowed.unwrap_or_else(|| self.everyone());
        if candidates.len() > self.settings.sync_limit {
            self.search.pending = Some(self.pending(terms, query, candidates, is_narrowed));
            return;
        }
        let catalog = Arc::clone(&self.catalog);
        let mut ranking = catalog.index().rank_terms(&candidates, &terms);
        let nothing_strict = ranking.hits.is_empty() || ranking.relaxed;
        if is_narrowed && nothing_strict && terms.iter().any(Term::may_typo) {
            // Nothing strict among the old matches, so nothing strict at all: the
            // one-typo pass, over everyone (in slices when they are many), not over
            // the old matches only (a word one typo away need not be among them).
            let everyone = self.everyone();
            if everyone.len() > self.settings.sync_limit {
                let mut p = self.pending(terms, query, everyone, false);
                p.relaxed = true;
                self.search.pending = Some(p);
                return;
            }
            ranking = catalog.index().rank_terms(&everyone, &terms);
        }
        self.publish(query, terms, ranking);
    }

    /// A search of `candidates` to be done in slices (see [`Session::step_search`]).
    fn pending(
        &self,
        terms: Vec<Term>,
        query: String,
        candidates: Vec<usize>,
        narrowed: bool,
    ) -> Pending {
        // Room for every candidate's hit, unless they are looked up (see
        // `step_search`): a million hits are not copied as they grow.
        let room = match self.catalog.index().ranks_at_once(&terms) {
            true => 0,
            false => candidates.len(),
        };
        Pending {
            terms,
            query,
            candidates,
            next: 0,
            hits: Vec::with_capacity(room),
            found: 0,
            scan: Scan::default(),
            top: Vec::new(),
            narrowed,
            listed: false,
            relaxed: false,
        }
    }

    /// The partners the filter keeps, in date order.
    fn everyone(&self) -> Vec<usize> {
        self.filter.matching(self.dataset(), self.settings.today)
    }

    /// The list with no query for the filter: this session's, the shelf's, or built
    /// (and shelved for the next session).
    fn base_listing(&mut self) -> Arc<Listing> {
        let filter = self.filter;
        if let Some((f, l)) = &self.search.base
            && *f == filter
        {
            return Arc::clone(l);
        }
        let asked = self.asked("");
        let shelf = self.catalog.shelf();
        let listing = shelf.get(&asked).unwrap_or_else(|| {
            let hits = self.everyone().into_iter().map(Hit::plain).collect();
            let l = Arc::new(Listing::new(
                self.dataset(),
                hits,
                self.catalog.gaps(),
                true,
            ));
            shelf.put(asked, &l);
            l
        });
        self.search.base = Some((filter, Arc::clone(&listing)));
        listing
    }

    /// When the query only grew from the last one (same filter, strict pass), its
    /// matches are among the last ones: those, in date order.
    fn narrowed_candidates(&self, query: &str, terms: &[Term]) -> Option<Vec<usize>> {
        let prev = self.search.previous.as_ref()?;
        let grew = prev.asked.filter == self.filter
            && !prev.listing.relaxed
            && crate::search::narrows(&prev.asked.query, query, terms);
        if !grew {
            return None;
        }
        let hits = &prev.listing.hits;
        // Partner indices ascend in date order, which ties rely on.
        if hits.len() > 50_000 {
            // Marking beats sorting for large sets.
            let mut mark = vec![false; self.dataset().partners.len()];
            for h in hits {
                mark[h.partner] = true;
            }
            Some((0..mark.len()).filter(|&i| mark[i]).collect())
        } else {
            let mut c: Vec<usize> = hits.iter().map(|h| h.partner).collect();
            c.sort_unstable();
            Some(c)
        }
    }

    /// Scores the next slice of a pending search and shows what has been found so far;
    /// the last slice publishes the final, fully ranked list.
    pub(super) fn step_search(&mut self) {
        let Some(mut p) = self.search.pending.take() else {
            return;
        };
        let catalog = Arc::clone(&self.catalog);
        let index = catalog.index();
        // A slice of lookups (see `Index::ranks_at_once`) is far quicker than one of
        // matches: fewer, larger slices.
        let looked_up = !p.relaxed && index.ranks_at_once(&p.terms);
        let slice = match looked_up {
            true => self.settings.slice.max(1).saturating_mul(LOOKUPS_PER_MATCH),
            false => self.settings.slice.max(1),
        };
        let end = p.next.saturating_add(slice).min(p.candidates.len());
        let slice = &p.candidates[p.next..end];
        let mut found = index.score_slice(&mut p.scan, slice, &p.terms, p.relaxed);
        p.found += found.len();
        p.next = end;
        let done = p.next >= p.candidates.len();
        if !done {
            self.show_partial(&mut p, &found);
        }
        if !looked_up {
            p.hits.append(&mut found);
        }
        if !done {
            self.search.pending = Some(p);
        } else if looked_up {
            // The whole ranking at once, in its order from the tables (the slices
            // only listed the best so far). A letter has no typo pass, so none is
            // left to run over everyone when the old matches hold none.
            let ranking = index.rank_terms(&p.candidates, &p.terms);
            self.publish(p.query, p.terms, ranking);
        } else if p.hits.is_empty() && !p.relaxed && p.terms.iter().any(Term::may_typo) {
            // Nothing strict: the one-typo pass, in slices too. Nothing strict among
            // the old matches is nothing strict at all, but the typo pass needs
            // everyone.
            if p.narrowed {
                p.candidates = self.everyone();
                p.narrowed = false;
            }
            p.relaxed = true;
            p.next = 0;
            self.search.pending = Some(p);
        } else {
            self.finish(p);
        }
    }

    /// Lists the best matches so far, with `new` merged in (a few screenfuls, not
    /// everything re-sorted).
    fn show_partial(&mut self, p: &mut Pending, new: &[Hit]) {
        let mut partial = std::mem::take(&mut p.top);
        // Within a group, date order until the search is done and the fuzzy scores
        // order the part that is shown.
        let changed = Index::merge_best(&mut partial, new, PARTIAL_SHOWN);
        if !changed && p.listed {
            // The same list as after the last slice, its marks already filled: only
            // the progress moved.
            p.top = partial;
            return;
        }
        p.listed = true;
        let (_, gap) = self.number_first(&p.query, &mut partial, false);
        p.top = partial.clone();
        let mut listing = Listing::new(self.dataset(), partial, self.catalog.gaps(), false);
        listing.lead_gap = gap;
        self.show(Arc::new(listing), p.terms.clone());
        self.selected = 0;
        self.offset = 0;
    }

    /// Publishes the ranking of a search whose last slice is scored.
    fn finish(&mut self, p: Pending) {
        let relaxed = p.relaxed && !p.hits.is_empty();
        let mut hits = p.hits;
        // Sorted by group; the fuzzy scores order only what is shown (the first
        // screens now, the rest as it is scrolled to).
        Index::sort_groups(&mut hits);
        let resolved = self
            .catalog
            .index()
            .resolve(&mut hits, &p.terms, 0, PARTIAL_SHOWN);
        let ranking = Ranking {
            hits,
            relaxed,
            resolved,
        };
        self.publish(p.query, p.terms, ranking);
    }

    /// Shows `listing`, ranked with `terms`.
    fn show(&mut self, listing: Arc<Listing>, terms: Vec<Term>) {
        self.list = List {
            shown: listing,
            terms,
            marked: Vec::new(),
        };
        self.detail_scroll = 0;
    }

    /// Shows a finished ranking for a query, best match selected (while typing, it is
    /// what the user wants), and keeps it for narrowing.
    fn show_ranked(&mut self, asked: Asked, terms: Vec<Term>, listing: Arc<Listing>) {
        self.search.previous = Some(Previous {
            asked,
            listing: Arc::clone(&listing),
        });
        self.show(listing, terms);
        self.selected = 0;
    }

    /// When `query` is a partnership's number (`7`, `No. 7`, `7例目`): that partner
    /// first in `hits` (alone, when the rest are only one-typo matches), and whether
    /// the order of the first hit changed (so `resolved` counts one more); or, when no
    /// partner shown has the number, the gap it falls in.
    fn number_first(
        &self,
        query: &str,
        hits: &mut Vec<Hit>,
        relaxed: bool,
    ) -> (Option<Option<usize>>, Option<crate::data::Missing>) {
        let Some(n) = crate::search::ordinal_query(query) else {
            return (None, None);
        };
        match self.filter.numbered(self.dataset(), self.settings.today, n) {
            Some(i) => {
                if relaxed {
                    hits.clear();
                }
                (Some(crate::search::put_first(hits, i)), None)
            }
            None => {
                let gap = self
                    .catalog
                    .gaps()
                    .iter()
                    .find(|g| g.first <= n && n <= g.last)
                    .copied();
                (None, gap)
            }
        }
    }

    /// Shelves a finished ranking for every session and shows it.
    fn publish(&mut self, query: String, terms: Vec<Term>, ranking: Ranking) {
        let asked = self.asked(&query);
        let mut hits = ranking.hits;
        let mut resolved = ranking.resolved;
        let mut relaxed = ranking.relaxed;
        let (moved, gap) = self.number_first(&query, &mut hits, relaxed);
        if let Some(was) = moved {
            if relaxed {
                (resolved, relaxed) = (1, false);
            } else if was.is_none_or(|j| j >= resolved) {
                resolved += 1;
            }
        }
        let mut listing = Listing::new(self.dataset(), hits, self.catalog.gaps(), false);
        listing.resolved = resolved;
        listing.relaxed = relaxed;
        listing.lead_gap = gap;
        let listing = Arc::new(listing);
        self.catalog.shelf().put(asked.clone(), &listing);
        self.show_ranked(asked, terms, listing);
    }
}
