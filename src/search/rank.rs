//! Ranking candidates: every candidate matched (in runs over the cores), strict
//! first and one-typo only when nothing matches strictly, sorted best first with ties
//! in candidate (date) order; and, for a large search shown while it runs, sorting by
//! group first and settling each group's inner order only when it is shown.

use super::hit::{Defer, Hit, Memo, Rank};
use super::index::Index;
use super::parallel::{per_core, per_core_with, runs_of};
use super::query::{Term, parse_query};

/// What a ranking pass did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranking {
    /// Matches, best first, ties in candidate (date) order. Marks not filled.
    pub hits: Vec<Hit>,
    /// Nothing matched strictly, so one-typo matches were allowed.
    pub relaxed: bool,
    /// `hits[..resolved]` are in final order; the rest are sorted by group only (see
    /// [`Index::resolve`]).
    pub resolved: usize,
}

/// A strict search scored a slice at a time ([`Index::score_slice`]): the best group
/// found so far, and what each core's run remembered of the shared haystacks (see
/// [`Memo`]; the terms are the same from slice to slice). Once the best group is
/// known, a query of one term has the tie-breaks of matches in that group or above
/// computed as they are found (one of them is the first group of the list, whose
/// order the first screen needs), instead of matching them again when the list is
/// ordered.
#[derive(Default)]
pub struct Scan {
    best: Option<Rank>,
    memos: Vec<Memo>,
    /// The kind of pass the memos are of.
    typo: bool,
}

impl std::fmt::Debug for Scan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Scan(best {:?})", self.best)
    }
}

impl Index {
    /// Scores the next slice of a search, `candidates` (strict, or allowing one typo),
    /// without sorting, `scan` carried from one slice to the next: marks not filled,
    /// and fuzzy tie-breaks left for [`Index::resolve`] (see [`Scan`]).
    pub fn score_slice(
        &self,
        scan: &mut Scan,
        candidates: &[usize],
        terms: &[Term],
        typo: bool,
    ) -> Vec<Hit> {
        let defer = match (terms, scan.best) {
            ([_], Some(best)) => Defer::Below(best.group_key()),
            _ => Defer::ALL,
        };
        if scan.typo != typo {
            // A memo serves one kind of pass.
            scan.memos.clear();
            scan.typo = typo;
        }
        let hits = self.score_with(candidates, terms, typo, defer, &mut scan.memos);
        let best = hits.iter().map(|h| h.rank.group_only()).max();
        scan.best = scan.best.max(best);
        hits
    }

    /// Scores `candidates`, a run per core, each with one of `memos` (made when
    /// there are fewer than runs).
    fn score_with(
        &self,
        candidates: &[usize],
        terms: &[Term],
        typo: bool,
        defer: Defer,
        memos: &mut Vec<Memo>,
    ) -> Vec<Hit> {
        if !typo && let Some(hits) = self.letter_hits(candidates, terms) {
            return hits;
        }
        let runs = runs_of(candidates.len());
        if memos.len() < runs {
            memos.resize_with(runs, Memo::new);
        }
        let runs = per_core_with(candidates, memos, |run, memo| -> Vec<Hit> {
            run.iter()
                .filter_map(|&i| self.hit_remembered(i, terms, (typo, defer), memo))
                .collect()
        });
        // Runs come back in order, so ties keep candidate order.
        runs.into_iter().flatten().collect()
    }

    /// Ranks `candidates` (partner indices in date order) for parsed terms: strict
    /// matches first; only when there are none, one-typo matches. Marks are not filled.
    pub fn rank_terms(&self, candidates: &[usize], terms: &[Term]) -> Ranking {
        if terms.is_empty() {
            return Ranking {
                hits: candidates.iter().map(|&i| Hit::plain(i)).collect(),
                relaxed: false,
                resolved: candidates.len(),
            };
        }
        // A letter looked up (see `letters`): no typo pass, as one letter that is in
        // no partner cannot be a typo of one.
        if let Some(hits) = self.letter_ranked(candidates, terms) {
            let resolved = hits.len();
            return Ranking {
                hits,
                relaxed: false,
                resolved,
            };
        }
        let mut hits = self.score_with(candidates, terms, false, Defer::Nothing, &mut Vec::new());
        let mut relaxed = false;
        if hits.is_empty() && terms.iter().any(Term::may_typo) {
            hits = self.score_with(candidates, terms, true, Defer::Nothing, &mut Vec::new());
            relaxed = !hits.is_empty();
        }
        // Stable sort: equal keys stay in date order.
        Index::sort_hits(&mut hits);
        let resolved = hits.len();
        Ranking {
            hits,
            relaxed,
            resolved,
        }
    }

    /// The plain reference ranking: one thread, no prefilter, every candidate scored.
    /// Tests compare the fast paths against it.
    #[doc(hidden)]
    pub fn reference_rank(&self, candidates: &[usize], terms: &[Term]) -> Vec<usize> {
        if terms.is_empty() {
            return candidates.to_vec();
        }
        let pass = |typo| -> Vec<Hit> {
            candidates
                .iter()
                .filter_map(|&i| self.hit_plain(i, terms, typo))
                .collect()
        };
        let mut hits = pass(false);
        if hits.is_empty() {
            hits = pass(true);
        }
        Index::sort_hits(&mut hits);
        hits.into_iter().map(|h| h.partner).collect()
    }

    /// Sorts hits by group (tier, class, exactness; see [`Index::score_slice`]), best
    /// first, ties in candidate order (stable). Each group's inner order is left to
    /// [`Index::resolve`].
    pub fn sort_groups(hits: &mut [Hit]) {
        sort_by_rank(hits, |h| h.rank.group_only());
    }

    /// Merges `new` into `top`, the best `n` hits by group, ties by partner index (date
    /// order), kept sorted that way: how a search still running lists what it has
    /// found so far. Whether `top` changed: once it is full, a hit that does not come
    /// before its last is passed over unsorted, and most slices of a large search
    /// bring none that does.
    pub fn merge_best(top: &mut Vec<Hit>, new: &[Hit], n: usize) -> bool {
        let order = |a: &Hit, b: &Hit| b.group().cmp(&a.group()).then(a.partner.cmp(&b.partner));
        let last = match top.last() {
            Some(l) if top.len() >= n => Some(l.clone()),
            _ => None,
        };
        let before = top.len();
        top.extend(
            new.iter()
                .filter(|h| last.as_ref().is_none_or(|l| order(h, l).is_lt()))
                .cloned(),
        );
        if top.len() == before {
            return false;
        }
        if top.len() > n && n > 0 {
            top.select_nth_unstable_by(n - 1, order);
            top.truncate(n);
        }
        top.sort_unstable_by(order);
        true
    }

    /// Makes the order of `hits[..upto]` final, given that `hits` is sorted by
    /// [`Index::sort_groups`] and `hits[..done]` is final already: the groups reaching
    /// into `done..upto` get their fuzzy tie-breaks computed and are sorted by them
    /// (stable, so ties keep candidate order). Returns how far the order is now final
    /// (the end of the last group resolved). Only what is shown needs this: the first
    /// screen of a large search, then whatever the user scrolls to.
    pub fn resolve(&self, hits: &mut [Hit], terms: &[Term], done: usize, upto: usize) -> usize {
        let mut at = done;
        while at < upto.min(hits.len()) {
            let group = hits[at].group();
            let len = hits[at..].iter().take_while(|h| h.group() == group).count();
            let span = &mut hits[at..at + len];
            let ranks = per_core(span, |run| -> Vec<Rank> {
                let mut memo = Memo::new();
                run.iter()
                    .map(|h| {
                        if h.scored {
                            return h.rank;
                        }
                        self.hit_remembered(h.partner, terms, (false, Defer::Nothing), &mut memo)
                            .map_or(h.rank, |full| full.rank)
                    })
                    .collect()
            });
            for (h, rank) in span.iter_mut().zip(ranks.into_iter().flatten()) {
                h.rank = rank;
                h.scored = true;
            }
            Index::sort_hits(span);
            at += len;
        }
        at.max(done)
    }

    /// Sorts hits best first, ties in candidate order (stable).
    pub fn sort_hits(hits: &mut [Hit]) {
        sort_by_rank(hits, |h| h.rank);
    }

    /// Ranks `candidates` (indices into the partners, in date order) for `query`: best
    /// first, ties in date order. An empty query keeps every candidate, in order.
    /// Marks are filled for every hit (for the commands; the browser fills only what
    /// it shows).
    pub fn rank(&self, candidates: &[usize], query: &str) -> Vec<Hit> {
        let terms = parse_query(query);
        let mut hits = self.rank_terms(candidates, &terms).hits;
        super::parallel::per_core_mut(&mut hits, |run| {
            for h in run {
                self.fill_marks(h, &terms);
            }
        });
        hits
    }
}

/// Lists at least this long are sorted by counting when they can be.
const COUNT_FROM: usize = 4096;

/// Sorts `hits` by `key`, best first, ties in their order (stable): by counting when
/// every key packs in 16 bits ([`Rank::pack`]; a million hits have a few hundred
/// distinct keys, and counting takes a third of the time of comparing them), else by
/// comparing.
fn sort_by_rank(hits: &mut [Hit], key: impl Fn(&Hit) -> Rank) {
    if hits.len() >= COUNT_FROM {
        let packed: Option<Vec<u16>> = hits.iter().map(|h| key(h).pack()).collect();
        if let Some(packed) = packed {
            return counting_sort(hits, &packed);
        }
    }
    hits.sort_by_key(|h| std::cmp::Reverse(key(h)));
}

/// Where each packed key's run starts when `keys` are placed highest first, and how
/// many there are: what a sort by counting places each item with.
pub(super) fn counted_starts(keys: impl Iterator<Item = u16>) -> (Vec<usize>, usize) {
    let mut at = vec![0usize; 1 << 16];
    for k in keys {
        at[usize::from(k)] += 1;
    }
    let mut next = 0;
    for slot in at.iter_mut().rev() {
        let n = *slot;
        *slot = next;
        next += n;
    }
    (at, next)
}

/// Sorts `hits` by their packed keys `keys`, highest first, ties in their order.
fn counting_sort(hits: &mut [Hit], keys: &[u16]) {
    let (mut at, _) = counted_starts(keys.iter().copied());
    let mut out = vec![Hit::plain(0); hits.len()];
    for (h, &k) in hits.iter_mut().zip(keys) {
        let to = &mut at[usize::from(k)];
        if let Some(o) = out.get_mut(*to) {
            *o = std::mem::replace(h, Hit::plain(0));
        }
        *to += 1;
    }
    hits.swap_with_slice(&mut out);
}
