//! Matching one partner against a query: every term against the partner's haystacks,
//! the best haystack per term, the rank key summed over the terms, and the marks to
//! highlight.

use super::field::Field;
use super::index::{Hays, Index};
use super::query::{Term, TermKind, lacks};
use super::score::{DEFERRED, Hay, Key, NOT_SHARED, TIER_WORD};

/// A hit's rank key, summed over the query's terms and stored small: a large search
/// holds, sorts and copies hundreds of thousands of hits. Compared lexicographically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(super) struct Rank {
    tier: i16,
    class: i16,
    exact: i16,
    score: i32,
}

impl From<Key> for Rank {
    fn from(k: Key) -> Rank {
        let small = |v: i64| v.clamp(i16::MIN.into(), i16::MAX.into()) as i16;
        Rank {
            tier: small(k.tier),
            class: small(k.class),
            exact: small(k.exact),
            score: k.score.clamp(i32::MIN.into(), i32::MAX.into()) as i32,
        }
    }
}

impl Rank {
    /// The rank in 16 bits, ordered as ranks are (a higher rank packs higher): tier 2
    /// bits, class 3, exactness 1, score 10; `None` when a part does not fit, and
    /// never [`NO_RANK`].
    #[inline]
    pub(super) fn pack(self) -> Option<u16> {
        let fits = |v: i64, bits: u32| (0..1 << bits).contains(&v);
        let (t, c, e, s) = (
            i64::from(self.tier),
            i64::from(self.class),
            i64::from(self.exact),
            i64::from(self.score),
        );
        // Class 7 is kept out, so that no rank packs as `NO_RANK`.
        (fits(t, 2) && fits(c, 3) && c < 7 && fits(e, 1) && fits(s, 10))
            .then_some((t << 14 | c << 11 | e << 10 | s) as u16)
    }

    /// The rank [`Rank::pack`] packed as `v`; `None` for [`NO_RANK`].
    #[inline]
    pub(super) fn unpack(v: u16) -> Option<Rank> {
        (v != NO_RANK).then_some(Rank {
            tier: (v >> 14) as i16,
            class: (v >> 11 & 7) as i16,
            exact: (v >> 10 & 1) as i16,
            score: i32::from(v & 0x3ff),
        })
    }

    /// The rank with its score left out: what orders groups.
    #[inline]
    pub(super) fn group_only(self) -> Rank {
        Rank { score: 0, ..self }
    }

    /// Its group as a match's key has it ([`Key::group`]).
    #[inline]
    pub(super) fn group_key(self) -> (i64, i64, i64) {
        (self.tier.into(), self.class.into(), self.exact.into())
    }
}

/// A packed rank that is none: no match.
pub(super) const NO_RANK: u16 = u16::MAX;

/// Matched positions per field.
type Marks = Vec<(Field, Vec<usize>)>;

/// One partner that matched, with its rank and highlight positions (32 bytes, with the
/// marks behind a pointer: only rows on screen have them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index into the dataset's partners.
    pub partner: usize,
    /// Matched positions (characters of the original field text), per field. Filled
    /// on demand ([`Index::fill_marks`]); `None` when there are none.
    marks: Option<Box<Marks>>,
    pub(super) rank: Rank,
    /// Whether `marks` has been filled.
    marked: bool,
    /// Whether the fuzzy tie-break in `rank` is computed: a large search leaves it for
    /// later ([`Index::score_slice`], [`Index::resolve`]).
    pub(super) scored: bool,
}

impl Hit {
    /// A hit for an empty query: no marks.
    pub fn plain(partner: usize) -> Hit {
        Hit {
            partner,
            marks: None,
            rank: Rank::default(),
            marked: true,
            scored: true,
        }
    }

    /// A hit ranked `rank`, its score computed, its marks not filled.
    pub(super) fn ranked(partner: usize, rank: Rank) -> Hit {
        Hit {
            partner,
            marks: None,
            rank,
            marked: false,
            scored: true,
        }
    }

    /// The answer to a query that is a partnership's number (`7`, `No. 7`, `7例目`):
    /// above every match of text. No marks.
    pub fn numbered(partner: usize) -> Hit {
        Hit {
            rank: Rank {
                tier: i16::MAX,
                ..Rank::default()
            },
            ..Hit::plain(partner)
        }
    }

    /// Higher is better: tier, field class, exactness and fuzzy score in one number
    /// (for display and JSON; ranking compares them in turn).
    pub fn score(&self) -> i64 {
        let r = self.rank;
        i64::from(r.tier) * 1_000_000
            + i64::from(r.class) * 10_000
            + i64::from(r.exact) * 1_000
            + i64::from(r.score)
    }

    /// The part of the rank key known without fuzzy scores: tier, field class and
    /// exactness. A ranking sorted by it is in groups whose inner order the scores
    /// decide.
    pub(super) fn group(&self) -> (i16, i16, i16) {
        (self.rank.tier, self.rank.class, self.rank.exact)
    }

    /// Whether its marks are filled (a hit for an empty query has none to fill).
    pub fn is_marked(&self) -> bool {
        self.marked
    }

    fn marks(&self) -> &[(Field, Vec<usize>)] {
        self.marks.as_deref().map_or(&[], Vec::as_slice)
    }

    /// Matched character positions in `field` (empty when none).
    pub fn marks_in(&self, field: Field) -> &[usize] {
        self.marks()
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(&[], |(_, v)| v.as_slice())
    }

    /// The best-ranked matched field that is not among `shown`, with its marks.
    pub fn other_field(&self, shown: &[Field]) -> Option<(Field, &[usize])> {
        self.marks()
            .iter()
            .filter(|(f, _)| !shown.contains(f))
            .max_by_key(|(f, _)| f.class())
            .map(|(f, v)| (*f, v.as_slice()))
    }
}

/// A term's best haystack so far: the key, the haystack and the matched positions.
type Best<'a> = (Key, Hay<'a>, Vec<usize>);

/// How a partner is matched (see [`Index::hit_remembered`], [`Index::hit_plain`]).
#[derive(Clone, Copy)]
struct How {
    typo: bool,
    want_idx: bool,
    /// Each term's best field is kept in the marks, without its positions unless
    /// `want_idx`.
    fields: bool,
    /// Haystacks (and partners) whose character masks rule a term out are passed over
    /// (allowing for a typo when `typo`), and a word match in a better class ends the
    /// search for a term.
    masks: bool,
    /// Strict and with `masks`: scores left for later where they only break ties
    /// (`Scorer::match_term`'s `quick`), and `defer` applies.
    prefilter: bool,
    defer: Defer,
}

/// Which fuzzy tie-breaks a strict scan leaves uncomputed, to be computed when the
/// hit's group is ordered ([`Index::resolve`]): none, or those of matches whose group
/// (tier, class, exactness) is below a bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Defer {
    Nothing,
    Below((i64, i64, i64)),
}

impl Defer {
    /// Every tie-break a scan can leave.
    pub(super) const ALL: Defer = Defer::Below((i64::MAX, i64::MAX, i64::MAX));

    /// Whether the tie-break of a match in `group` is left.
    #[inline]
    fn leaves(self, group: (i64, i64, i64)) -> bool {
        match self {
            Defer::Nothing => false,
            Defer::Below(bound) => group < bound,
        }
    }
}

/// How terms matched shared haystacks (see [`Hay::slot`]), for one run of partners on
/// one core: a small table indexed by a hash of the haystack's place and the term,
/// where a newer entry takes an older one's place. Only matches without positions are
/// kept (what a ranking's scan asks for); a haystack's match depends on nothing else.
pub(super) struct Memo {
    slots: Vec<(u64, Option<Key>)>,
}

/// The memo's size, as a power of two: far more than the places, countries, regions,
/// kinds, people and roles a run of partners shares, in 160 KB.
const MEMO_BITS: u32 = 12;
/// In a memo's slot: nothing kept.
const EMPTY: u64 = u64::MAX;

impl Memo {
    /// A memo for a run of partners.
    pub(super) fn new() -> Memo {
        Memo {
            slots: vec![(EMPTY, None); 1 << MEMO_BITS],
        }
    }

    /// One that keeps nothing (when positions are wanted, or for the reference).
    fn none() -> Memo {
        Memo { slots: Vec::new() }
    }

    /// The match of the `nth` term in the haystack at `slot`: kept, or found by `find`
    /// (and kept, when it has no positions).
    #[inline]
    fn get_or(
        &mut self,
        slot: u64,
        nth: usize,
        find: impl FnOnce() -> Option<(Key, Vec<usize>)>,
    ) -> Option<(Key, Vec<usize>)> {
        if slot == NOT_SHARED || self.slots.is_empty() {
            return find();
        }
        let id = slot ^ (nth as u64) << 56;
        let at = (id.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - MEMO_BITS)) as usize;
        if let Some(&(kept, key)) = self.slots.get(at)
            && kept == id
        {
            return key.map(|k| (k, Vec::new()));
        }
        let found = find();
        if let Some(s) = self.slots.get_mut(at)
            && found.as_ref().is_none_or(|(_, idx)| idx.is_empty())
        {
            *s = (id, found.as_ref().map(|(k, _)| *k));
        }
        found
    }
}

impl Index {
    /// Matches one partner against parsed terms as plainly as can be: every haystack
    /// tried (no character masks), every tie-break computed, no marks; strict, or
    /// allowing one typo. What the fast paths are checked against
    /// ([`Index::reference_rank`]).
    pub(super) fn hit_plain(&self, partner: usize, terms: &[Term], typo: bool) -> Option<Hit> {
        let how = How {
            typo,
            want_idx: false,
            fields: false,
            masks: false,
            prefilter: false,
            defer: Defer::Nothing,
        };
        self.hit_how(partner, terms, how, &mut Memo::none())
    }

    /// Matches one partner against parsed terms (every non-excluding term must
    /// match), without marks: haystacks and partners whose character masks rule a
    /// term out are passed over, and, strict, tie-breaks that `defer` leaves are left
    /// uncomputed (`scored` false). It remembers in `memo` how the terms match
    /// shared haystacks: a run of partners (a slice of a large search on one core)
    /// matches each place, country, person... once per term. A memo serves one kind
    /// of pass: strict, or allowing typos.
    pub(super) fn hit_remembered(
        &self,
        partner: usize,
        terms: &[Term],
        (typo, defer): (bool, Defer),
        memo: &mut Memo,
    ) -> Option<Hit> {
        let how = How {
            typo,
            want_idx: false,
            fields: false,
            masks: true,
            prefilter: !typo,
            defer: if typo { Defer::Nothing } else { defer },
        };
        self.hit_how(partner, terms, how, memo)
    }

    fn hit_how(&self, partner: usize, terms: &[Term], how: How, memo: &mut Memo) -> Option<Hit> {
        let How {
            fields,
            masks,
            defer,
            typo,
            ..
        } = how;
        let hays = self.hays(partner)?;
        if masks && !may_match(self.union_mask(partner), terms, typo) {
            return None;
        }
        let mut total = Key::default();
        let mut scored = true;
        let mut marks: Marks = Vec::new();
        for (nth, term) in terms.iter().enumerate() {
            if term.kind == TermKind::Exclude {
                if hays.clone().any(|h| h.text.contains(term.text.as_str())) {
                    return None;
                }
                continue;
            }
            let (mut key, hay, idx) = self.best_hay(hays.clone(), (nth, term), how, memo)?;
            scored &= self.settle_score(&mut key, &hay, term, defer);
            total.add(key);
            if fields {
                // Ranking only needs no marks, so a hit holds no allocation (cheap to
                // copy and to drop by the hundred thousand).
                add_marks(&mut marks, &hay, &idx);
            }
        }
        for (_, v) in &mut marks {
            v.sort_unstable();
            v.dedup();
        }
        Some(Hit {
            partner,
            marks: (!marks.is_empty()).then(|| Box::new(marks)),
            rank: total.into(),
            marked: fields,
            scored,
        })
    }

    /// The haystack where `term` ranks best; of equal keys the last, as `max_by` picks.
    /// Keys compare tier, class and exactness before the score, so a (deferred) fuzzy
    /// score is computed only where those tie.
    #[inline]
    fn best_hay<'a>(
        &self,
        hays: Hays<'a>,
        (nth, term): (usize, &Term),
        how: How,
        memo: &mut Memo,
    ) -> Option<Best<'a>> {
        let How {
            typo,
            want_idx,
            masks,
            prefilter,
            ..
        } = how;
        let defer = if prefilter { how.defer } else { Defer::Nothing };
        let mut best: Option<Best<'a>> = None;
        // A haystack without the term's characters (all of them, or all but one where a
        // typo may stand for it) cannot match it.
        let hays = if masks {
            hays.having(term.mask, term.spare_bits(typo))
        } else {
            hays
        };
        for h in hays {
            // Haystacks come in order of class, best first (see `fields`): once a
            // word match (the best tier) is found, a haystack of a lower class
            // cannot outrank it.
            if masks
                && best
                    .as_ref()
                    .is_some_and(|(k, ..)| k.tier == TIER_WORD && k.class > h.field.class())
            {
                break;
            }
            let found = memo.get_or(h.slot, nth, || {
                self.scorer.match_term(&h, term, typo, want_idx, prefilter)
            });
            let Some((mut k, idx)) = found else {
                continue;
            };
            if let Some((bk, bh, _)) = &mut best
                && !self.displaces(&mut k, &h, bk, bh, term, defer)
            {
                continue;
            }
            best = Some((k, h, idx));
        }
        best
    }

    /// Whether a match keyed `k` in `h` takes the place of the best so far, keyed `bk`
    /// in `bh` (it does on equal keys). Deferred scores are computed when needed to
    /// decide, and kept; with `defer` (a strict scan's, whose scores are all deferred), a
    /// tie in group is left undecided for a term of more than one character: the hit's
    /// score is then computed when its group is ordered, by matching it again (see
    /// `settle_score` and `Index::resolve`).
    #[inline]
    fn displaces(
        &self,
        k: &mut Key,
        h: &Hay<'_>,
        bk: &mut Key,
        bh: &Hay<'_>,
        term: &Term,
        defer: Defer,
    ) -> bool {
        let (was, now) = (bk.group(), k.group());
        if now != was {
            return now > was;
        }
        if defer.leaves(now) && term.one_char().is_none() {
            k.score = DEFERRED;
            return true;
        }
        if bk.score == DEFERRED {
            bk.score = self.scorer.tie_score(bh.text, term);
        }
        if k.score == DEFERRED {
            k.score = self.scorer.tie_score(h.text, term);
        }
        k.score >= bk.score
    }

    /// Gives the best haystack's key its fuzzy score if it was deferred, unless
    /// `defer` leaves it for later (then the score counts as 0); whether it is
    /// computed. A one-character term's score is cheaper to compute now than to come
    /// back for.
    #[inline]
    fn settle_score(&self, key: &mut Key, hay: &Hay<'_>, term: &Term, defer: Defer) -> bool {
        if key.score != DEFERRED {
            return true;
        }
        if defer.leaves(key.group()) && term.one_char().is_none() {
            key.score = 0;
            return false;
        }
        key.score = self.scorer.tie_score(hay.text, term);
        true
    }

    /// Fills a hit's marks for `terms` (what it was ranked with) with each term's best
    /// field but no positions: what says which field matched, when nothing is to be
    /// highlighted (a `search` line written to a pipe). The fields are those
    /// [`Index::fill_marks`] gives: the same matches, only their positions not found.
    pub fn fill_fields(&self, hit: &mut Hit, terms: &[Term]) {
        self.fill(hit, terms, false);
    }

    /// Fills a hit's highlight marks for `terms` (what it was ranked with).
    pub fn fill_marks(&self, hit: &mut Hit, terms: &[Term]) {
        self.fill(hit, terms, true);
    }

    /// Fills a hit's marks, each term's best field with its positions when
    /// `want_idx`: matched strictly, else allowing one typo (as it was ranked).
    fn fill(&self, hit: &mut Hit, terms: &[Term], want_idx: bool) {
        if hit.marked {
            return;
        }
        let how = |typo| How {
            typo,
            want_idx,
            fields: true,
            masks: true,
            prefilter: !typo,
            defer: Defer::Nothing,
        };
        let found = self
            .hit_how(hit.partner, terms, how(false), &mut Memo::none())
            .or_else(|| self.hit_how(hit.partner, terms, how(true), &mut Memo::none()));
        if let Some(h) = found {
            hit.marks = h.marks;
        }
        hit.marked = true;
    }
}

/// Whether a partner whose haystacks' masks add up to `union` can match every term
/// that must match (an exclusion need not), allowing for a typo with `typo`.
#[inline]
fn may_match(union: u64, terms: &[Term], typo: bool) -> bool {
    !terms
        .iter()
        .any(|t| t.kind != TermKind::Exclude && lacks(t.mask, union, t.spare_bits(typo)))
}

/// Adds a term's matched positions `idx` in `hay` to the marks, as characters of the
/// original field text.
fn add_marks(marks: &mut Marks, hay: &Hay<'_>, idx: &[usize]) {
    let mut orig: Vec<usize> = idx
        .iter()
        .filter_map(|&i| match &hay.origin {
            None => (i < hay.text.chars().count()).then_some(i),
            Some(o) => o.get(i).map(|&x| x as usize),
        })
        .collect();
    match marks.iter_mut().find(|(f, _)| *f == hay.field) {
        Some((_, v)) => v.append(&mut orig),
        None => marks.push((hay.field, orig)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_ranks_order_as_ranks_and_unpack() {
        let mut ranks = Vec::new();
        for tier in 0..4 {
            for class in 0..7 {
                for exact in 0..2 {
                    for score in [0, 1, 13, 31, 500, 1023] {
                        ranks.push(Rank {
                            tier,
                            class,
                            exact,
                            score,
                        });
                    }
                }
            }
        }
        for a in &ranks {
            let pa = a.pack().expect("fits");
            assert_ne!(pa, NO_RANK);
            assert_eq!(Rank::unpack(pa), Some(*a));
            for b in &ranks {
                assert_eq!(pa.cmp(&b.pack().expect("fits")), a.cmp(b), "{a:?} {b:?}");
            }
        }
        let wide = |tier, class, exact, score| Rank {
            tier,
            class,
            exact,
            score,
        };
        for r in [
            wide(4, 0, 0, 0),
            wide(0, 7, 0, 0),
            wide(0, 0, 2, 0),
            wide(0, 0, 0, 1024),
            wide(-1, 0, 0, 0),
            wide(0, 0, 0, -1),
        ] {
            assert_eq!(r.pack(), None, "{r:?}");
        }
        assert_eq!(Rank::unpack(NO_RANK), None);
    }

    #[test]
    fn a_hit_is_small() {
        // Large searches hold, sort and copy hundreds of thousands of them.
        assert!(
            std::mem::size_of::<Hit>() <= 32,
            "{}",
            std::mem::size_of::<Hit>()
        );
    }
}
