//! The one-letter queries, ranked ahead of time. The first keystroke of a search (one
//! letter or digit) matches nearly every partner, so it is the slowest to rank over a
//! large dataset. A stored catalog keeps, for each letter and digit, every partner's
//! rank for that query alone, made from the index when the catalog is stored; ranking
//! it is then a lookup per partner. The ranks are the index's own (each is what
//! matching the partner gives), so the ranking is the same; `tests/fastpaths.rs` and
//! `tests/cache.rs` check it against matching.

use std::sync::{Arc, OnceLock};

use super::hit::{Defer, Memo, NO_RANK, Rank};
use super::index::Index;
use super::parallel::per_core;
use super::query::{Term, TermKind, parse_query};

/// The characters whose queries are ranked ahead of time, as normalised (letters are
/// folded to lower case).
pub const LETTERS: &str = "abcdefghijklmnopqrstuvwxyz0123456789";

/// How a table of ranks is read back from where it was stored: its number (the
/// letter's place in [`LETTERS`]) to its ranks, one per partner, or `None` when it
/// cannot be read or is damaged.
pub type LoadTable = Box<dyn Fn(usize) -> Option<Vec<u16>> + Send + Sync>;

/// The tables of an index: none, built, or read from a stored catalog when first
/// wanted.
#[derive(Default)]
pub(super) struct Letters {
    /// Per letter, its table once read (`None` inside when it could not be).
    tables: Vec<OnceLock<Option<Arc<[u16]>>>>,
    load: Option<LoadTable>,
}

impl Letters {
    /// Tables read with `load` when first wanted.
    pub(super) fn stored(load: LoadTable) -> Letters {
        Letters {
            tables: (0..LETTERS.len()).map(|_| OnceLock::new()).collect(),
            load: Some(load),
        }
    }

    /// The table of letter `l`, one packed rank ([`Rank::pack`]) per partner.
    fn table(&self, l: usize) -> Option<&[u16]> {
        let load = self.load.as_ref()?;
        self.tables
            .get(l)?
            .get_or_init(|| load(l).map(Arc::from))
            .as_deref()
    }
}

/// The place in [`LETTERS`] of the letter that `terms` are, when they are one fuzzy
/// term of one letter or digit.
fn letter_of(terms: &[Term]) -> Option<usize> {
    let [t] = terms else {
        return None;
    };
    if t.kind != TermKind::Fuzzy {
        return None;
    }
    let c = t.one_char()?;
    LETTERS.chars().position(|l| l == c)
}

impl Index {
    /// The packed ranks of every partner for the query of `terms`, when it is a letter
    /// whose table the index has, of the right length.
    pub(super) fn letter_table(&self, terms: &[Term]) -> Option<&[u16]> {
        let table = self.letters.table(letter_of(terms)?)?;
        (table.len() == self.partners).then_some(table)
    }

    /// Whether ranking `terms` is a lookup per partner (see [`LETTERS`]): a search
    /// whose slices can be far larger than those of one that matches.
    pub fn ranks_at_once(&self, terms: &[Term]) -> bool {
        self.letter_table(terms).is_some()
    }

    /// Reads the tables of [`Index::letter_tables`] with `load` when they are first
    /// wanted (a stored catalog's index).
    pub fn read_letters_with(&mut self, load: LoadTable) {
        self.letters = Letters::stored(load);
    }

    /// For each letter of [`LETTERS`] in turn, every partner's rank for the query of
    /// that letter alone, packed ([`Rank::pack`]; [`NO_RANK`] where it does not match),
    /// made on every core; `None` when a rank does not pack (none does not). What a
    /// stored catalog keeps, [`Index::read_letters_with`] reads.
    pub fn letter_tables(&self) -> Option<Vec<Vec<u16>>> {
        let terms: Vec<Vec<Term>> = LETTERS
            .chars()
            .map(|c| parse_query(&c.to_string()))
            .collect();
        if terms.iter().any(|t| letter_of(t).is_none()) {
            return None;
        }
        let partners: Vec<usize> = (0..self.partners).collect();
        // Per run of partners, per letter, the run's ranks: a partner's haystacks are
        // read for every letter while they are in the processor's cache.
        let runs = per_core(&partners, |run| -> Option<Vec<Vec<u16>>> {
            let mut memos: Vec<Memo> = terms.iter().map(|_| Memo::new()).collect();
            let mut out: Vec<Vec<u16>> = terms
                .iter()
                .map(|_| Vec::with_capacity(run.len()))
                .collect();
            for &i in run {
                for ((t, memo), table) in terms.iter().zip(&mut memos).zip(&mut out) {
                    let packed = match self.hit_remembered(i, t, (false, Defer::Nothing), memo) {
                        Some(h) => h.rank.pack()?,
                        None => NO_RANK,
                    };
                    table.push(packed);
                }
            }
            Some(out)
        });
        let mut tables: Vec<Vec<u16>> = terms
            .iter()
            .map(|_| Vec::with_capacity(self.partners))
            .collect();
        for run in runs {
            for (table, part) in tables.iter_mut().zip(run?) {
                table.extend_from_slice(&part);
            }
        }
        tables
            .iter()
            .all(|t| t.len() == self.partners)
            .then_some(tables)
    }

    /// With tables built in memory (for tests: a stored catalog reads its own).
    #[doc(hidden)]
    pub fn with_letter_tables(mut self) -> Index {
        if let Some(tables) = self.letter_tables() {
            let tables: Vec<Arc<[u16]>> = tables.into_iter().map(Arc::from).collect();
            self.letters = Letters::stored(Box::new(move |l| tables.get(l).map(|t| t.to_vec())));
        }
        self
    }

    /// The hits among `candidates` for a letter with a table, best first, ties in
    /// candidate order: [`Index::letter_hits`] sorted, made in that order at once
    /// (counted, then placed), so a million hits are not held twice.
    pub(super) fn letter_ranked(
        &self,
        candidates: &[usize],
        terms: &[Term],
    ) -> Option<Vec<super::Hit>> {
        let table = self.letter_table(terms)?;
        let rank = |i: usize| table.get(i).copied().filter(|&v| v != NO_RANK);
        let (mut at, n) = super::rank::counted_starts(candidates.iter().filter_map(|&i| rank(i)));
        let mut out = vec![super::Hit::plain(0); n];
        for &i in candidates {
            let Some((v, r)) = rank(i).and_then(|v| Some((v, Rank::unpack(v)?))) else {
                continue;
            };
            let to = &mut at[usize::from(v)];
            if let Some(o) = out.get_mut(*to) {
                *o = super::Hit::ranked(i, r);
            }
            *to += 1;
        }
        Some(out)
    }

    /// The hits among `candidates` for a letter with a table (see [`LETTERS`]), in
    /// candidate order; `None` when there is no table for `terms`.
    pub(super) fn letter_hits(
        &self,
        candidates: &[usize],
        terms: &[Term],
    ) -> Option<Vec<super::Hit>> {
        let table = self.letter_table(terms)?;
        Some(
            candidates
                .iter()
                .filter_map(|&i| {
                    let rank = Rank::unpack(*table.get(i)?)?;
                    Some(super::Hit::ranked(i, rank))
                })
                .collect(),
        )
    }
}
