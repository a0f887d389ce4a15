//! A dataset's partners: either held as parsed (the embedded dataset, a file read
//! afresh), or read in place from a stored catalog, where each partner is a small
//! encoded record decoded when it is shown and a fixed-size row of what lists,
//! filters and counts need (ordinal, date, term, region, kind) is read without
//! decoding anything.

use std::borrow::Cow;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::texts::{TEXTS_PER_BLOCK, TextBlock, Texts, block_entry};
use super::{Partner, Precision, Searchable, SignedDate};

/// The partners of a dataset, in the dataset's (date) order.
#[derive(Clone, Default)]
pub struct Partners {
    /// The partners as parsed; empty when they are stored.
    owned: Vec<Partner>,
    stored: Option<Arc<Stored>>,
}

/// What lists, filters and counts read of a partner, without its texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Brief<'a> {
    /// Its number in the network.
    pub ordinal: u32,
    /// When it was signed.
    pub signed: SignedDate,
    /// The term in years, if stated.
    pub term_years: Option<u32>,
    /// The date is the earliest possible one.
    pub signed_at_earliest: bool,
    /// The region's id.
    pub region: &'a str,
    /// The kind's id.
    pub kind: &'a str,
}

impl<'a> Brief<'a> {
    /// The brief of a parsed partner.
    pub fn of(p: &'a Partner) -> Brief<'a> {
        Brief {
            ordinal: p.ordinal,
            signed: p.signed,
            term_years: p.term_years,
            signed_at_earliest: p.signed_at_earliest,
            region: &p.region,
            kind: &p.kind,
        }
    }
}

/// A partner's row in a stored catalog (see [`Stored`]): fixed size, no padding, so
/// the rows are read in place.
#[repr(C)]
#[derive(Debug, Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
pub struct Row {
    /// The ordinal.
    pub ordinal: u32,
    /// The first day of the signing period, as days from the common era.
    pub day: i32,
    /// The term in years, [`NO_TERM`] when none is stated.
    pub term_years: u32,
    /// Index of the region's id in [`Stored`]'s ids.
    pub region: u16,
    /// Index of the kind's id.
    pub kind: u16,
    /// [`Precision`] as 0 (year), 1 (month), 2 (day).
    pub precision: u8,
    /// 1 when the date is the earliest possible one.
    pub at_earliest: u8,
    /// The year of `day` (saturated to 16 bits: the timeline's year headings).
    pub year: i16,
    pub _pad: [u8; 4],
    /// The hash (xxh3, 64 bits) of the partner's encoded record.
    pub hash: u64,
    /// Where the partner's encoded record ends in the records (it starts where the
    /// previous one ends).
    pub end: u64,
}

/// [`Row::term_years`] when no term is stated.
pub const NO_TERM: u32 = u32::MAX;

impl Row {
    /// The row of `p`, whose record ends at `end` and hashes to `hash`; `ids` are the
    /// region and kind ids seen so far, which it extends.
    pub fn of(p: &Partner, end: u64, hash: u64, ids: &mut Vec<String>) -> Row {
        let mut id = |s: &str| match ids.iter().position(|x| x == s) {
            Some(i) => i as u16,
            None => {
                ids.push(s.to_string());
                (ids.len() - 1) as u16
            }
        };
        Row {
            ordinal: p.ordinal,
            day: chrono::Datelike::num_days_from_ce(&p.signed.start),
            term_years: p.term_years.unwrap_or(NO_TERM),
            region: id(&p.region),
            kind: id(&p.kind),
            precision: match p.signed.precision {
                Precision::Year => 0,
                Precision::Month => 1,
                Precision::Day => 2,
            },
            at_earliest: u8::from(p.signed_at_earliest),
            year: i16::try_from(chrono::Datelike::year(&p.signed.start))
                .ok()
                .filter(|&y| y != i16::MIN)
                .unwrap_or(i16::MAX),
            _pad: [0; 4],
            hash,
            end,
        }
    }
}

/// Partners read in place: rows, and records encoded with MessagePack (named fields,
/// as serde writes a [`Partner`]).
pub struct Stored {
    /// One per partner.
    pub rows: &'static [Row],
    /// The file the records lie in, one after another from `records_at`: each is
    /// read when it is shown (not mapped, so that the records of the hits of a
    /// search do not stay in memory).
    pub file: std::fs::File,
    /// Where the records start in `file`.
    pub records_at: u64,
    /// The region and kind ids the rows refer to.
    pub ids: Vec<String>,
    /// The blocks of the partners' [`Texts`], [`TEXTS_PER_BLOCK`] partners a block, in
    /// the records after the last partner's record.
    pub blocks: &'static [TextBlock],
    /// Called once if a record does not read back (its hash or its encoding is
    /// wrong): the partners as the dataset's file gives them, read afresh, which the
    /// damaged records are then read from (and whoever stored them should store them
    /// again).
    pub recover: Box<dyn Fn() -> Option<Vec<Partner>> + Send + Sync>,
    /// What `recover` gave.
    pub recovered: std::sync::OnceLock<Option<Vec<Partner>>>,
}

impl Stored {
    fn record(&self, i: usize) -> Option<Partner> {
        let row = self.rows.get(i)?;
        let start = match i.checked_sub(1) {
            Some(j) => self.rows.get(j)?.end,
            None => 0,
        };
        let p = self.read(start, row.end).and_then(|bytes| {
            (xxhash_rust::xxh3::xxh3_64(&bytes) == row.hash)
                .then(|| rmp_serde::from_slice::<Partner>(&bytes).ok())
                .flatten()
        });
        p.or_else(|| {
            let fresh = self.recovered.get_or_init(|| (self.recover)());
            fresh.as_ref()?.get(i).cloned()
        })
    }

    /// The bytes of the records from `start` to `end`.
    fn read(&self, start: u64, end: u64) -> Option<Vec<u8>> {
        use std::os::unix::fs::FileExt;
        let len = usize::try_from(end.checked_sub(start)?).ok()?;
        // A record is a partner's texts: far below this, unless the row is wrong.
        if len > 1 << 26 {
            return None;
        }
        let mut bytes = vec![0; len];
        let at = self.records_at.checked_add(start)?;
        self.file.read_exact_at(&mut bytes, at).ok()?;
        Some(bytes)
    }

    /// Block `b` of texts into `buf`, if it reads back (its hash).
    fn read_block(&self, b: usize, buf: &mut Vec<u8>) -> bool {
        let start = match b.checked_sub(1) {
            Some(a) => self.blocks.get(a).map(|x| x.end),
            None => Some(self.rows.last().map_or(0, |r| r.end)),
        };
        let (Some(start), Some(block)) = (start, self.blocks.get(b)) else {
            return false;
        };
        match self.read(start, block.end) {
            Some(bytes) if xxhash_rust::xxh3::xxh3_64(&bytes) == block.hash => {
                *buf = bytes;
                true
            }
            _ => false,
        }
    }

    fn visit_texts(&self, sorted: &[usize], f: &mut dyn FnMut(usize, &dyn Searchable)) {
        let mut buf = Vec::new();
        let mut held = None;
        for &i in sorted {
            let b = i / TEXTS_PER_BLOCK;
            if held.map(|(h, _)| h) != Some(b) {
                held = Some((b, self.read_block(b, &mut buf)));
            }
            let n = TEXTS_PER_BLOCK.min(self.rows.len().saturating_sub(b * TEXTS_PER_BLOCK));
            let texts = held
                .filter(|&(_, ok)| ok)
                .and_then(|_| block_entry(&buf, n, i % TEXTS_PER_BLOCK))
                .and_then(Texts::decode);
            match texts {
                Some(t) => f(i, &t),
                // A damaged block: the record says (or the dataset file, read afresh).
                None => {
                    if let Some(p) = self.record(i) {
                        f(i, &p);
                    }
                }
            }
        }
    }

    fn brief(&self, i: usize) -> Option<Brief<'_>> {
        let r = self.rows.get(i)?;
        let start = NaiveDate::from_num_days_from_ce_opt(r.day)?;
        let precision = match r.precision {
            0 => Precision::Year,
            1 => Precision::Month,
            _ => Precision::Day,
        };
        Some(Brief {
            ordinal: r.ordinal,
            signed: SignedDate { start, precision },
            term_years: (r.term_years != NO_TERM).then_some(r.term_years),
            signed_at_earliest: r.at_earliest != 0,
            region: self
                .ids
                .get(usize::from(r.region))
                .map_or("", |s| s.as_str()),
            kind: self.ids.get(usize::from(r.kind)).map_or("", |s| s.as_str()),
        })
    }
}

impl Partners {
    /// Partners read in place.
    pub fn stored(s: Stored) -> Partners {
        Partners {
            owned: Vec::new(),
            stored: Some(Arc::new(s)),
        }
    }

    /// How many.
    pub fn len(&self) -> usize {
        match &self.stored {
            None => self.owned.len(),
            Some(s) => s.rows.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Partner `i`: borrowed when held as parsed, decoded when stored.
    pub fn get(&self, i: usize) -> Option<Cow<'_, Partner>> {
        match &self.stored {
            None => self.owned.get(i).map(Cow::Borrowed),
            Some(s) => s.record(i).map(Cow::Owned),
        }
    }

    /// What lists, filters and counts need of partner `i`, read without decoding it.
    pub fn brief(&self, i: usize) -> Option<Brief<'_>> {
        match &self.stored {
            None => self.owned.get(i).map(Brief::of),
            Some(s) => s.brief(i),
        }
    }

    /// Calls `f` with the [`Searchable`] texts of each of the partners `sorted` (indices
    /// in ascending order), in that order: the parsed partner, or its stored texts
    /// (read a block at a time, without decoding the partner's record).
    pub fn visit_texts(&self, sorted: &[usize], mut f: impl FnMut(usize, &dyn Searchable)) {
        match &self.stored {
            None => {
                for &i in sorted {
                    if let Some(p) = self.owned.get(i) {
                        f(i, p);
                    }
                }
            }
            Some(s) => s.visit_texts(sorted, &mut f),
        }
    }

    /// Every partner's ordinal, in order.
    pub fn ordinals(&self) -> impl Iterator<Item = u32> + '_ {
        // One of the two is empty: `owned` when the partners are stored.
        let rows = self.stored.as_deref().map_or(&[][..], |s| s.rows);
        rows.iter()
            .map(|r| r.ordinal)
            .chain(self.owned.iter().map(|p| p.ordinal))
    }

    /// Partner `i`'s ordinal and the year it was signed in (what the timeline's rows
    /// need), read without building its date.
    pub fn ordinal_year(&self, i: usize) -> Option<(u32, i32)> {
        match &self.stored {
            None => self.owned.get(i).map(|p| (p.ordinal, p.signed.year())),
            Some(s) => {
                let r = s.rows.get(i)?;
                let year = match r.year {
                    // Saturated: the day says.
                    i16::MIN | i16::MAX => s.brief(i)?.signed.year(),
                    y => i32::from(y),
                };
                Some((r.ordinal, year))
            }
        }
    }

    /// Every partner's brief, in order.
    pub fn briefs(&self) -> impl Iterator<Item = Brief<'_>> + '_ {
        (0..self.len()).filter_map(|i| self.brief(i))
    }

    /// Every partner, in order (stored ones decoded one at a time).
    pub fn iter(&self) -> Iter<'_> {
        Iter { of: self, next: 0 }
    }

    /// The first partner.
    pub fn first(&self) -> Option<Cow<'_, Partner>> {
        self.get(0)
    }

    /// The last partner.
    pub fn last(&self) -> Option<Cow<'_, Partner>> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// The partners as parsed, when they are held so (not when read in place).
    pub fn as_slice(&self) -> Option<&[Partner]> {
        self.stored.is_none().then_some(&self.owned[..])
    }

    /// The partners as parsed, for the loader's checks (stored partners were checked
    /// when they were parsed, before they were stored: none here).
    pub(super) fn parsed(&self) -> &[Partner] {
        &self.owned
    }

    /// Whether they are read in place.
    pub fn is_stored(&self) -> bool {
        self.stored.is_some()
    }

    /// The partners as parsed, to change them (while a dataset is being loaded); a
    /// stored list is decoded first.
    pub fn make_mut(&mut self) -> &mut Vec<Partner> {
        if self.stored.is_some() {
            self.owned = self.iter().map(Cow::into_owned).collect();
            self.stored = None;
        }
        &mut self.owned
    }

    /// The partners as parsed, decoded if stored.
    pub fn into_vec(mut self) -> Vec<Partner> {
        self.make_mut();
        self.owned
    }
}

/// The partners in order: see [`Partners::iter`].
pub struct Iter<'a> {
    of: &'a Partners,
    next: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = Cow<'a, Partner>;

    fn next(&mut self) -> Option<Cow<'a, Partner>> {
        while self.next < self.of.len() {
            self.next += 1;
            if let Some(p) = self.of.get(self.next - 1) {
                return Some(p);
            }
        }
        None
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.of.len() - self.next))
    }
}

impl<'a> IntoIterator for &'a Partners {
    type Item = Cow<'a, Partner>;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl From<Vec<Partner>> for Partners {
    fn from(owned: Vec<Partner>) -> Partners {
        Partners {
            owned,
            stored: None,
        }
    }
}

impl FromIterator<Partner> for Partners {
    fn from_iter<I: IntoIterator<Item = Partner>>(iter: I) -> Partners {
        Partners::from(iter.into_iter().collect::<Vec<_>>())
    }
}

impl std::fmt::Debug for Partners {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for Partners {
    fn eq(&self, other: &Partners) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl Eq for Partners {}

impl Serialize for Partners {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Partners {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Partners, D::Error> {
        Vec::<Partner>::deserialize(d).map(Partners::from)
    }
}
