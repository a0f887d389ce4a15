//! The list a session shows and how it is kept up to date while the user types:
//! narrowing a grown query to the last matches, putting back the list with no query,
//! recalling recent rankings, and scoring large searches a slice at a time.

use crate::data::{Dataset, Missing};
use crate::filter::Filter;
use crate::search::{Hit, Index, Ranking, Term, parse_query};

use super::Session;

/// Searches over more candidates than this run in slices between keystrokes, so
/// typing is never held up; smaller ones finish at once.
pub const SYNC_LIMIT: usize = 4_096;
/// Candidates scored per slice.
pub const SLICE: usize = 8_192;
/// While a sliced search runs, the best this many matches so far are listed.
const PARTIAL_SHOWN: usize = 256;

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

/// What is shown: the hits, their rows, and how far their order is final.
#[derive(Debug, Default)]
pub(super) struct List {
    pub(super) hits: Vec<Hit>,
    pub(super) rows: Vec<Row>,
    /// Row index of each hit.
    pub(super) row_of: Vec<usize>,
    /// The parsed query the hits were ranked with (highlights are filled from it).
    terms: Vec<Term>,
    /// `hits[..resolved]` are in final order; a large search orders the rest (within
    /// groups of equal tier, field and exactness) only when they are shown.
    resolved: usize,
}

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

/// What a ranking depends on besides the dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Asked {
    query: String,
    filter: Filter,
}

/// The last result set, for narrowing: when the query only grew, the new matches are
/// among the old ones, so only those need scoring.
#[derive(Debug, Clone)]
struct Previous {
    asked: Asked,
    relaxed: bool,
    partners: Vec<usize>,
}

/// The list with no query, for a filter, kept aside while a query is typed: clearing
/// the query puts it back without rebuilding a list of every partner.
#[derive(Debug)]
struct Base {
    filter: Filter,
    hits: Vec<Hit>,
    rows: Vec<Row>,
    row_of: Vec<usize>,
}

/// Finished rankings of recent queries, so that deleting back to a query shown a
/// moment ago is instant (as in fzf). Bounded by the number of hits held.
#[derive(Debug, Default)]
struct Recent {
    entries: Vec<(Asked, Ranking)>,
}

impl Recent {
    /// Hits held at most, over all entries (32 bytes each: 64 MB). A ranking of up
    /// to half of it is kept, so even deleting back to one letter over a million
    /// partners is instant.
    const BUDGET: usize = 2_000_000;

    /// Takes the ranking for `a` out (it comes back through [`Recent::put`] when it is
    /// shown, which saves copying it twice).
    fn take(&mut self, a: &Asked) -> Option<Ranking> {
        let at = self.entries.iter().position(|(k, _)| k == a)?;
        Some(self.entries.remove(at).1)
    }

    fn put(&mut self, a: Asked, r: &Ranking) {
        if a.query.trim().is_empty() || r.hits.len() > Self::BUDGET / 2 {
            return;
        }
        self.entries.retain(|(k, _)| *k != a);
        self.entries.push((a, r.clone()));
        let mut held: usize = self.entries.iter().map(|e| e.1.hits.len()).sum();
        while held > Self::BUDGET && self.entries.len() > 1 {
            held -= self.entries.remove(0).1.hits.len();
        }
    }
}

/// Everything kept between keystrokes to answer the next one quickly.
#[derive(Debug, Default)]
pub(super) struct Search {
    previous: Option<Previous>,
    pending: Option<Pending>,
    recent: Recent,
    base: Option<Base>,
    /// The filter the list was built for when it is the list with no query.
    showing_base: Option<Filter>,
}

impl Session {
    /// Whether a sliced search is still running.
    pub fn search_pending(&self) -> bool {
        self.search.pending.is_some()
    }

    /// How far a sliced search has got: (scored, total, matches so far).
    pub fn search_progress(&self) -> Option<(usize, usize, usize)> {
        self.search.pending.as_ref().map(|p| {
            (
                p.next.min(p.candidates.len()),
                p.candidates.len(),
                p.hits.len(),
            )
        })
    }

    /// How many hits, from the top, are in their final order (the rest are ordered
    /// as they come into view).
    pub fn resolved_len(&self) -> usize {
        self.list.resolved.min(self.list.hits.len())
    }

    /// Fills the highlight marks of the hits on rows `from..to` (and the selection).
    pub(super) fn mark_rows(&mut self, from: usize, to: usize) {
        let wanted: Vec<usize> = self
            .list
            .rows
            .get(from..to.min(self.list.rows.len()))
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
        let index = self.catalog.index();
        for i in wanted {
            if let Some(h) = self.list.hits.get_mut(i) {
                index.fill_marks(h, &self.list.terms);
            }
        }
    }

    /// Puts `hits[..upto]` in their final order (see [`Index::resolve`]).
    fn resolve_upto(&mut self, upto: usize) {
        let l = &mut self.list;
        if upto > l.resolved {
            l.resolved = self
                .catalog
                .index()
                .resolve(&mut l.hits, &l.terms, l.resolved, upto);
        }
    }

    fn asked(&self, query: &str) -> Asked {
        Asked {
            query: query.to_string(),
            filter: self.filter,
        }
    }

    /// Recomputes hits and rows after the query or a filter changed, keeping the
    /// selected partner selected when it is still shown.
    pub(super) fn refresh(&mut self) {
        let keep = self.list.hits.get(self.selected).map(|h| h.partner);
        let query = self.query.text().to_string();
        let terms = parse_query(&query);
        if terms.is_empty() && self.put_back_base(keep) {
            return;
        }
        // A new query makes any unfinished search stale.
        self.search.pending = None;
        if let Some(r) = self.search.recent.take(&self.asked(&query)) {
            self.publish(query, terms, r, keep);
            return;
        }
        let narrowed = self.narrowed_candidates(&query, &terms);
        let is_narrowed = narrowed.is_some();
        let candidates = narrowed.unwrap_or_else(|| self.everyone());
        if candidates.len() > self.settings.sync_limit && !terms.is_empty() {
            self.search.pending = Some(Pending {
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
        let index = self.catalog.index();
        let mut ranking = index.rank_terms(&candidates, &terms);
        if is_narrowed && ranking.hits.is_empty() {
            // Nothing strict among the old matches: the one-typo pass needs everyone.
            ranking = index.rank_terms(&self.everyone(), &terms);
        }
        self.publish(query, terms, ranking, keep);
    }

    /// The partners the filter keeps, in date order.
    fn everyone(&self) -> Vec<usize> {
        self.filter.matching(self.dataset(), self.settings.today)
    }

    /// Shows the list with no query kept aside for this filter, if there is one.
    fn put_back_base(&mut self, keep: Option<usize>) -> bool {
        let filter = self.filter;
        let Some(b) = self.search.base.take_if(|b| b.filter == filter) else {
            return false;
        };
        self.stash_base();
        self.search.pending = None;
        self.search.previous = None;
        self.list = List {
            resolved: b.hits.len(),
            hits: b.hits,
            rows: b.rows,
            row_of: b.row_of,
            terms: Vec::new(),
        };
        self.search.showing_base = Some(filter);
        // In date order, so by partner index.
        self.selected = keep
            .and_then(|k| self.list.hits.binary_search_by_key(&k, |h| h.partner).ok())
            .unwrap_or(0);
        self.detail_scroll = 0;
        true
    }

    /// When the query only grew from the last one (same filter, strict pass), its
    /// matches are among the last ones: those, in date order.
    fn narrowed_candidates(&self, query: &str, terms: &[Term]) -> Option<Vec<usize>> {
        let prev = self.search.previous.as_ref()?;
        let grew = prev.asked.filter == self.filter
            && !prev.relaxed
            && crate::search::narrows(&prev.asked.query, query, terms);
        if !grew {
            return None;
        }
        // Partner indices ascend in date order, which ties rely on.
        if prev.partners.len() > 50_000 {
            // Marking beats sorting for large sets.
            let mut mark = vec![false; self.dataset().partners.len()];
            for &i in &prev.partners {
                mark[i] = true;
            }
            Some((0..mark.len()).filter(|&i| mark[i]).collect())
        } else {
            let mut c = prev.partners.clone();
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
        let end = (p.next + self.settings.slice.max(1)).min(p.candidates.len());
        let mut found =
            self.catalog
                .index()
                .score_all(&p.candidates[p.next..end], &p.terms, p.relaxed);
        let before = p.hits.len();
        p.hits.append(&mut found);
        p.next = end;
        if p.next < p.candidates.len() {
            self.show_partial(p, before);
        } else if p.hits.is_empty() && !p.relaxed {
            if p.narrowed {
                // Start over on everyone (the typo pass needs all candidates).
                self.search.previous = None;
                self.refresh();
            } else {
                // Nothing strict: the one-typo pass, in slices too.
                p.relaxed = true;
                p.next = 0;
                self.search.pending = Some(p);
            }
        } else {
            self.finish(p);
        }
    }

    /// Lists the best matches so far, merged slice by slice (a few screenfuls, not
    /// everything re-sorted), and keeps the search going.
    fn show_partial(&mut self, mut p: Pending, new_from: usize) {
        let mut partial = std::mem::take(&mut p.top);
        partial.extend_from_slice(&p.hits[new_from..]);
        // Within a group, date order until the search is done and the fuzzy scores
        // order the part that is shown.
        Index::best_by_group_then_partner(&mut partial, PARTIAL_SHOWN);
        p.top = partial.clone();
        self.list.terms = p.terms.clone();
        self.install(partial, &p.query);
        self.selected = 0;
        self.offset = 0;
        self.search.pending = Some(p);
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
        self.publish(p.query, p.terms, ranking, None);
    }

    /// Keeps the list with no query aside (moved, not copied) before it is replaced.
    fn stash_base(&mut self) {
        if let Some(filter) = self.search.showing_base.take() {
            self.search.base = Some(Base {
                filter,
                hits: std::mem::take(&mut self.list.hits),
                rows: std::mem::take(&mut self.list.rows),
                row_of: std::mem::take(&mut self.list.row_of),
            });
        }
    }

    /// Replaces the list (the one with no query is kept aside first) and its rows.
    fn install(&mut self, hits: Vec<Hit>, query: &str) {
        self.stash_base();
        let rows = build_rows(
            self.catalog.dataset(),
            &hits,
            self.catalog.gaps(),
            query.trim().is_empty(),
        );
        let mut row_of = vec![0; hits.len()];
        for (r, row) in rows.iter().enumerate() {
            if let Row::Hit(i) = row {
                row_of[*i] = r;
            }
        }
        let terms = std::mem::take(&mut self.list.terms);
        // As given (a finished ranking says how far its order is final).
        self.list = List {
            resolved: hits.len(),
            hits,
            rows,
            row_of,
            terms,
        };
    }

    /// Installs a finished ranking.
    fn publish(&mut self, query: String, terms: Vec<Term>, ranking: Ranking, keep: Option<usize>) {
        let asked = self.asked(&query);
        self.search.recent.put(asked.clone(), &ranking);
        // Only a query narrows (a list with no query is every partner the filter
        // keeps): no need to hold its partners twice.
        self.search.previous = (!query.trim().is_empty()).then(|| Previous {
            asked,
            relaxed: ranking.relaxed,
            partners: ranking.hits.iter().map(|h| h.partner).collect(),
        });
        self.install(ranking.hits, &query);
        self.list.resolved = ranking.resolved;
        let terms_empty = terms.is_empty();
        self.list.terms = terms;
        let ranked = !query.trim().is_empty();
        // While typing, the best match is what the user wants selected; otherwise stay put.
        self.selected = if ranked {
            0
        } else {
            keep.and_then(|k| self.list.hits.iter().position(|h| h.partner == k))
                .unwrap_or(0)
        };
        if terms_empty {
            self.search.showing_base = Some(self.filter);
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
