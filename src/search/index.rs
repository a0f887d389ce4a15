//! The index: every searchable field of every partner normalised once, stored
//! compactly (texts in one arena per run of partners, shared texts once, a country's
//! texts as one group), and read back as haystacks.

use std::borrow::Cow;

use super::field::{Field, field_text, fields};
use super::letters::Letters;
use super::normalize::{char_mask, normalize_onto};
use super::parallel::{per_core, run_len};
use super::query::lacks;
use super::score::{Hay, NOT_SHARED, Scorer};
use crate::data::{Dataset, Lang, Partner};

/// The search index of a dataset: normalised haystacks per partner.
pub struct Index {
    /// The index in runs of `per_part` consecutive partners, each built on its own
    /// thread and kept as built (merging them would copy everything once more).
    parts: Vec<Chunk>,
    per_part: usize,
    pub(super) partners: usize,
    pub(super) scorer: Scorer,
    /// The one-letter queries' ranks, when the index has them (see [`super::letters`]).
    pub(super) letters: Letters,
}

/// A ref with this bit set is a group's index (see [`Chunk::groups`]), not a haystack's.
const GROUP: u32 = 1 << 31;

/// The index of a run of partners, built on one thread. Each part is an array of
/// plain numbers (or the arena's text), held as built, or read in place from a
/// stored catalog ([`Index::sections`], [`Index::from_sections`]).
#[derive(Default)]
struct Chunk {
    /// Every distinct haystack (place, country, region and kind texts appear once).
    pool: Cow<'static, [Stored]>,
    /// The haystacks' texts, one after another: a partner's are next to each other
    /// in memory, which keeps a scan over a million partners out of the cache misses
    /// of as many separate allocations.
    arena: Cow<'static, str>,
    /// Partner `i`'s haystacks are `pool[refs[start[i]..start[i + 1]]]`, where a ref
    /// with [`GROUP`] set stands for the haystacks of a group.
    refs: Cow<'static, [u32]>,
    /// One more entry than partners: where each partner's refs start, and the end.
    start: Cow<'static, [u32]>,
    /// Per partner, the union of its haystacks' masks.
    union: Cow<'static, [u64]>,
    /// The position maps of the haystacks that have one (see [`MAPPED`]), one after
    /// another: map `o` is `origins[origin_at[o]..origin_at[o + 1]]`, and it is the
    /// map of the haystack at `mapped[o]` in the pool (ascending: haystacks and their
    /// maps are pushed in the same order).
    origins: Cow<'static, [u32]>,
    origin_at: Cow<'static, [u32]>,
    mapped: Cow<'static, [u32]>,
    /// A declared country's haystacks (names, code, aliases), consecutive in `pool`:
    /// every partner in the country refers to them with one ref, however many aliases
    /// the country has (one ref each would make the index partners × aliases).
    groups: Cow<'static, [Group]>,
}

/// A [`Chunk`] being built.
#[derive(Default)]
struct Building {
    pool: Vec<Stored>,
    arena: String,
    refs: Vec<u32>,
    start: Vec<u32>,
    union: Vec<u64>,
    origins: Vec<u32>,
    origin_at: Vec<u32>,
    mapped: Vec<u32>,
    groups: Vec<Group>,
}

/// Consecutive haystacks in a chunk's pool, referred to as one.
#[repr(C)]
#[derive(Debug, Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
struct Group {
    from: u32,
    len: u32,
    /// The union of their masks.
    mask: u64,
}

/// One part of an index being built, a partner at a time: what [`Index::new`] builds
/// each of its parts with, and what a catalog stored as its dataset is read
/// ([`crate::cache`]) builds its index with, without holding the partners.
pub struct IndexPart<'d> {
    ds: &'d Dataset,
    c: Building,
    /// The shared haystacks already in the pool, by a hash (xxh3, 128 bits) of the
    /// field and the text: a key that holds no partner's text, so a partner can be
    /// dropped once pushed.
    shared: foldhash::HashMap<u128, u32>,
    countries: foldhash::HashMap<&'d str, u32>,
    /// The bytes hashed for `shared`.
    key: Vec<u8>,
}

/// A part of an index, built ([`IndexPart::finish`]), for [`Index::from_parts`].
pub struct BuiltPart(Chunk);

impl<'d> IndexPart<'d> {
    /// A part of the index of partners of `ds`, empty.
    pub fn new(ds: &'d Dataset) -> IndexPart<'d> {
        IndexPart {
            ds,
            c: Building {
                origin_at: vec![0],
                ..Building::default()
            },
            shared: Default::default(),
            countries: Default::default(),
            key: Vec::new(),
        }
    }

    /// Adds the haystacks of `p`, the part's next partner.
    pub fn push(&mut self, p: &Partner) {
        let ds = self.ds;
        let c = &mut self.c;
        c.start.push(c.refs.len() as u32);
        let mut union = 0;
        let mut keep_alias = kept(p.aliases.len(), |i| &p.aliases[i])
            .into_iter()
            .peekable();
        for f in fields(ds, p) {
            if let Field::Country(i) = f
                && let Some(country) = ds.country(&p.country)
            {
                // The country's haystacks are one group, added at its first field.
                if i > 0 {
                    continue;
                }
                let g = match self.countries.get(country.id.as_str()) {
                    Some(&g) => g,
                    None => {
                        let g = c.add_group(ds, p, 3 + country.aliases.len());
                        self.countries.insert(&country.id, g);
                        g
                    }
                };
                let group = c.groups[g as usize];
                if group.len > 0 {
                    union |= group.mask;
                    c.refs.push(GROUP | g);
                }
                continue;
            }
            if let Field::Alias(i) = f {
                // Aliases come in order, and so do the kept ones.
                if keep_alias.next_if_eq(&(i as u32)).is_none() {
                    continue;
                }
            }
            let Some(text) = field_text(ds, p, f).filter(|t| !t.is_empty()) else {
                continue;
            };
            let key = f.shared().then(|| {
                let (tag, index) = f.code();
                self.key.clear();
                self.key.push(tag);
                self.key.extend_from_slice(&index.to_le_bytes());
                self.key.extend_from_slice(text.as_bytes());
                xxhash_rust::xxh3::xxh3_128(&self.key)
            });
            let at = match key.and_then(|k| self.shared.get(&k)) {
                Some(&at) => at,
                None => {
                    let at = c.add(f, text);
                    if let Some(k) = key {
                        self.shared.insert(k, at);
                    }
                    at
                }
            };
            union |= c.pool[at as usize].mask;
            c.refs.push(at);
        }
        c.union.push(union);
    }

    /// The part, complete.
    pub fn finish(self) -> BuiltPart {
        let mut c = self.c;
        c.start.push(c.refs.len() as u32);
        // Grown by doubling: give back the slack, which would otherwise stay for the
        // whole session.
        c.pool.shrink_to_fit();
        c.arena.shrink_to_fit();
        c.refs.shrink_to_fit();
        c.origins.shrink_to_fit();
        BuiltPart(Chunk {
            pool: c.pool.into(),
            arena: c.arena.into(),
            refs: c.refs.into(),
            start: c.start.into(),
            union: c.union.into(),
            origins: c.origins.into(),
            origin_at: c.origin_at.into(),
            mapped: c.mapped.into(),
            groups: c.groups.into(),
        })
    }
}

impl Chunk {
    fn build(ds: &Dataset, partners: &[Partner]) -> Chunk {
        let mut part = IndexPart::new(ds);
        for p in partners {
            part.push(p);
        }
        part.finish().0
    }
}

/// Where a haystack being added goes: the arena, the position maps, and its place in
/// the pool.
struct Maps<'a> {
    arena: &'a mut String,
    origins: &'a mut Vec<u32>,
    origin_at: &'a mut Vec<u32>,
    mapped: &'a mut Vec<u32>,
    at: u32,
}

impl Building {
    /// Adds the haystack of `field` whose text is `raw` to the pool; its place there.
    fn add(&mut self, field: Field, raw: &str) -> u32 {
        let at = self.pool.len() as u32;
        let maps = Maps {
            at,
            arena: &mut self.arena,
            origins: &mut self.origins,
            origin_at: &mut self.origin_at,
            mapped: &mut self.mapped,
        };
        let s = Stored::new(field, raw, maps);
        self.pool.push(s);
        at
    }

    /// Adds the group of `p`'s country, whose fields are `Country(0..n)`; its index.
    fn add_group(&mut self, ds: &Dataset, p: &Partner, n: usize) -> u32 {
        let text = |i| field_text(ds, p, Field::Country(i)).unwrap_or("");
        let from = self.pool.len() as u32;
        let mut mask = 0;
        for i in kept(n, text) {
            let at = self.add(Field::Country(i as usize), text(i as usize));
            mask |= self.pool[at as usize].mask;
        }
        self.groups.push(Group {
            from,
            len: self.pool.len() as u32 - from,
            mask,
        });
        self.groups.len() as u32 - 1
    }
}

/// A partner's haystacks, in order: its refs, a group's ref read as its haystacks.
#[derive(Clone)]
pub(super) struct Hays<'a> {
    part: &'a Chunk,
    refs: std::slice::Iter<'a, u32>,
    /// The rest of the group being read.
    group: std::ops::Range<u32>,
    /// Character bits a haystack must have to be read, all but `spare` of them (see
    /// [`Hays::having`]).
    need: u64,
    spare: u32,
    /// Which part of the index `part` is (for [`Hay::slot`]).
    chunk: u64,
}

impl Hays<'_> {
    /// Only the haystacks whose masks hold every bit of `need` but `spare` at most:
    /// the others are passed over before their texts are read (a whole group at once
    /// when its union lacks more).
    #[inline]
    pub(super) fn having(mut self, need: u64, spare: u32) -> Self {
        self.need = need;
        self.spare = spare;
        self
    }
}

impl<'a> Iterator for Hays<'a> {
    type Item = Hay<'a>;

    #[inline]
    fn next(&mut self) -> Option<Hay<'a>> {
        loop {
            let at = match self.group.next() {
                Some(at) => at,
                None => {
                    let &r = self.refs.next()?;
                    if r & GROUP == 0 {
                        r
                    } else {
                        let Some(g) = self.part.groups.get((r & !GROUP) as usize) else {
                            continue;
                        };
                        if !lacks(self.need, g.mask, self.spare) {
                            self.group = g.from..g.from + g.len;
                        }
                        continue;
                    }
                }
            };
            let Some(s) = self.part.pool.get(at as usize) else {
                continue;
            };
            if lacks(self.need, s.mask, self.spare) {
                continue;
            }
            if let Some(mut h) = Index::hay(self.part, s, at) {
                if h.field.shared() {
                    h.slot = self.chunk << 32 | u64::from(at);
                }
                return Some(h);
            }
        }
    }
}

impl Stored {
    /// Normalises `raw` onto the end of the part's arena (its position map, if it
    /// needs one, onto `origins`, where it ends onto `origin_at`, and its place in the
    /// pool onto `mapped`).
    fn new(field: Field, raw: &str, m: Maps<'_>) -> Stored {
        let at = m.arena.len();
        let origin = normalize_onto(raw, m.arena);
        let text = &m.arena[at..];
        let len = u32::try_from(text.len()).unwrap_or(u32::MAX).min(LEN);
        let mut flags = if text.is_ascii() { ASCII } else { 0 };
        if let Some(o) = origin {
            m.origins.extend_from_slice(&o);
            m.origin_at
                .push(u32::try_from(m.origins.len()).unwrap_or(u32::MAX));
            m.mapped.push(m.at);
            flags |= MAPPED;
        }
        let (tag, index) = field.code();
        Stored {
            at: at as u64,
            mask: char_mask(text),
            len: len | flags,
            code: u32::from(tag) << INDEX_BITS | index.min(INDEX),
        }
    }
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Index({} partners)", self.partners)
    }
}

impl Index {
    /// Normalises every searchable field of every partner once.
    pub fn new(ds: &Dataset) -> Index {
        // Partners read in place come with their index: this is for those parsed.
        let decoded;
        let partners = match ds.partners.as_slice() {
            Some(p) => p,
            None => {
                decoded = ds.partners.clone().into_vec();
                &decoded
            }
        };
        Index {
            parts: per_core(partners, |run| Chunk::build(ds, run)),
            per_part: run_len(ds.partners.len()),
            partners: ds.partners.len(),
            scorer: Scorer::new(),
            letters: Letters::default(),
        }
    }

    /// How many partners each part of the index of `partners` partners holds (the
    /// last may hold fewer): the runs [`IndexPart`]s are built of.
    pub fn part_len(partners: usize) -> usize {
        run_len(partners)
    }

    /// The index of `partners` partners whose parts, in order, are `parts`, each of
    /// [`Index::part_len`] partners but the last; `None` when they are not.
    pub fn from_parts(parts: Vec<BuiltPart>, partners: usize) -> Option<Index> {
        let parts: Vec<Chunk> = parts.into_iter().map(|b| b.0).collect();
        Index::of_parts(parts, run_len(partners), partners)
    }

    /// The index of `partners` partners in `parts` of `per_part` partners each (the
    /// last may hold fewer); `None` when they are not that.
    fn of_parts(parts: Vec<Chunk>, per_part: usize, partners: usize) -> Option<Index> {
        let counted: usize = parts.iter().map(|c| c.union.len()).sum();
        let fits = parts.iter().enumerate().all(|(i, c)| {
            c.start.len() == c.union.len() + 1
                && (c.union.len() == per_part || i + 1 == parts.len())
        });
        (counted == partners && fits).then(|| Index {
            parts,
            per_part,
            partners,
            scorer: Scorer::new(),
            letters: Letters::default(),
        })
    }

    /// How many byte sections [`Index::sections`] gives per part.
    pub const SECTIONS_PER_PART: usize = 9;

    /// The index as byte sections, for a stored catalog (`crate::cache`): per part,
    /// its arrays as they lie in memory, so that [`Index::from_sections`] reads them
    /// in place. With them, `(per_part, partners)`.
    pub fn sections(&self) -> (Vec<&[u8]>, (u64, u64)) {
        let mut out = Vec::with_capacity(self.parts.len() * Self::SECTIONS_PER_PART);
        for c in &self.parts {
            out.push(bytemuck::cast_slice::<Stored, u8>(&c.pool));
            out.push(c.arena.as_bytes());
            out.push(bytemuck::cast_slice::<u32, u8>(&c.refs));
            out.push(bytemuck::cast_slice::<u32, u8>(&c.start));
            out.push(bytemuck::cast_slice::<u64, u8>(&c.union));
            out.push(bytemuck::cast_slice::<u32, u8>(&c.origins));
            out.push(bytemuck::cast_slice::<u32, u8>(&c.origin_at));
            out.push(bytemuck::cast_slice::<u32, u8>(&c.mapped));
            out.push(bytemuck::cast_slice::<Group, u8>(&c.groups));
        }
        (out, (self.per_part as u64, self.partners as u64))
    }

    /// The index of `partners` partners in `per_part` runs whose [`Index::sections`]
    /// are `sections` (read in place, never copied); `None` when they are not one
    /// (misaligned, the wrong sizes, text that is not UTF-8). Every read of it is
    /// bounds-checked, so even well-formed sections with wrong content cannot crash a
    /// search.
    pub fn from_sections(
        sections: &[&'static [u8]],
        (per_part, partners): (u64, u64),
    ) -> Option<Index> {
        fn cast<T: bytemuck::Pod>(b: &'static [u8]) -> Option<Cow<'static, [T]>> {
            bytemuck::try_cast_slice(b).ok().map(Cow::Borrowed)
        }
        let per_part = usize::try_from(per_part).ok().filter(|&n| n > 0)?;
        let partners = usize::try_from(partners).ok()?;
        let mut parts = Vec::new();
        for s in sections.chunks(Self::SECTIONS_PER_PART) {
            let &[
                pool,
                arena,
                refs,
                start,
                union,
                origins,
                origin_at,
                mapped,
                groups,
            ] = s
            else {
                return None;
            };
            let arena = simdutf8::basic::from_utf8(arena).ok()?;
            parts.push(Chunk {
                pool: cast(pool)?,
                arena: Cow::Borrowed(arena),
                refs: cast(refs)?,
                start: cast(start)?,
                union: cast(union)?,
                origins: cast(origins)?,
                origin_at: cast(origin_at)?,
                mapped: cast(mapped)?,
                groups: cast(groups)?,
            });
        }
        Index::of_parts(parts, per_part, partners)
    }

    /// Partner `partner`'s haystacks.
    #[inline]
    pub(super) fn hays(&self, partner: usize) -> Option<Hays<'_>> {
        let (part, local) = self.locate(partner)?;
        let from = *part.start.get(local)? as usize;
        let to = *part.start.get(local + 1)? as usize;
        Some(Hays {
            part,
            refs: part.refs.get(from..to)?.iter(),
            group: 0..0,
            need: 0,
            spare: 0,
            chunk: (partner / self.per_part) as u64,
        })
    }

    /// The union of partner `partner`'s haystack masks: a term whose mask is not in it
    /// matches none of them.
    #[inline]
    pub(super) fn union_mask(&self, partner: usize) -> u64 {
        self.locate(partner)
            .and_then(|(part, local)| part.union.get(local).copied())
            .unwrap_or(0)
    }

    /// The part holding `partner`, and its place there.
    #[inline]
    fn locate(&self, partner: usize) -> Option<(&Chunk, usize)> {
        let part = self.parts.get(partner / self.per_part)?;
        Some((part, partner % self.per_part))
    }

    /// The haystack `s` of `part`, as matched.
    #[inline]
    fn hay<'a>(part: &'a Chunk, s: &'a Stored, at: u32) -> Option<Hay<'a>> {
        let len = (s.len & LEN) as usize;
        let from = usize::try_from(s.at).ok()?;
        let origin = if s.len & MAPPED == 0 {
            None
        } else {
            let o = part.mapped.binary_search(&at).ok()?;
            let from = *part.origin_at.get(o)? as usize;
            let to = *part.origin_at.get(o + 1)? as usize;
            Some(part.origins.get(from..to)?)
        };
        Some(Hay {
            field: Field::from_code((s.code >> INDEX_BITS) as u8, s.code & INDEX),
            text: part.arena.get(from..from.checked_add(len)?)?,
            origin,
            slot: NOT_SHARED,
            ascii: s.len & ASCII != 0,
        })
    }
}

/// Which of the `n` haystacks `text(0..n)` (of one class, in order) the index keeps,
/// ascending: not an empty one (it matches no term), and not one whose text comes
/// again later. Of haystacks with equal keys the ranking picks the last (see
/// `best_hay` in `hit.rs`), and equal texts of one class have equal keys for every term, so
/// dropping all but the last of them changes no ranking and no mark; it keeps a list
/// of a million equal aliases from costing a million haystacks. Its memory is 4 bytes
/// per non-empty text, while it runs.
fn kept<'a>(n: usize, text: impl Fn(usize) -> &'a str) -> Vec<u32> {
    let mut keep: Vec<u32> = (0..n as u32)
        .filter(|&i| !text(i as usize).is_empty())
        .collect();
    if keep.len() <= 16 {
        let later = |i: u32| (i as usize + 1..n).any(|j| text(j) == text(i as usize));
        keep.retain(|&i| !later(i));
        return keep;
    }
    // Equal texts next to each other, in order: keep each run's last.
    keep.sort_by(|&a, &b| text(a as usize).cmp(text(b as usize)).then(a.cmp(&b)));
    let mut last = Vec::with_capacity(keep.len());
    for (k, &i) in keep.iter().enumerate() {
        if keep
            .get(k + 1)
            .is_none_or(|&j| text(j as usize) != text(i as usize))
        {
            last.push(i);
        }
    }
    drop(keep);
    last.sort_unstable();
    last
}

/// One normalised haystack, as stored: its text lies in its part's arena, its
/// position map (if it has one) in the part's `origins`. 24 bytes: an index holds one
/// per distinct text of every partner (5 million at 1M partners).
#[repr(C)]
#[derive(Debug, Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
struct Stored {
    /// Where the text starts in the arena.
    at: u64,
    /// Which characters occur (see [`char_mask`]): a cheap "cannot match" test.
    mask: u64,
    /// The text's length in bytes ([`LEN`]), with [`ASCII`] set when it is ASCII
    /// (bytes are characters) and [`MAPPED`] when it has a position map (per
    /// character of the text, the character of the field it came from; most text has
    /// none, the positions being the same).
    len: u32,
    /// The field, as [`Field::code`] gives it: the tag in the top 4 bits, the index
    /// in the [`INDEX_BITS`] below (a list of aliases or people long enough to need
    /// more would not fit in a dataset file's largest size).
    code: u32,
}

/// In [`Stored::len`]: the text is ASCII.
const ASCII: u32 = 1 << 31;
/// In [`Stored::len`]: the text has a position map.
const MAPPED: u32 = 1 << 30;
/// In [`Stored::len`]: the length's bits.
const LEN: u32 = MAPPED - 1;
/// In [`Stored::code`]: how many bits the field's index has.
const INDEX_BITS: u32 = 28;
/// In [`Stored::code`]: the index's bits.
const INDEX: u32 = (1 << INDEX_BITS) - 1;

impl Field {
    /// The field as a small tag and an index (of an alias or a country text).
    fn code(self) -> (u8, u32) {
        let lang = |l: Lang| u8::from(l == Lang::En);
        let index = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
        match self {
            Field::Name(l) => (lang(l), 0),
            Field::Short => (2, 0),
            Field::Alias(i) => (3, index(i)),
            Field::Place(l) => (4 + lang(l), 0),
            Field::Country(i) => (6, index(i)),
            Field::Region(l) => (7 + lang(l), 0),
            Field::Kind(l) => (9 + lang(l), 0),
            Field::Person(i, l) => (11 + lang(l), index(i)),
            Field::Role(i, l) => (13 + lang(l), index(i)),
        }
    }

    /// The field of a [`Field::code`].
    #[inline]
    fn from_code(tag: u8, index: u32) -> Field {
        let lang = |t: u8| if t == 0 { Lang::Ja } else { Lang::En };
        match tag {
            0 | 1 => Field::Name(lang(tag)),
            2 => Field::Short,
            3 => Field::Alias(index as usize),
            4 | 5 => Field::Place(lang(tag - 4)),
            6 => Field::Country(index as usize),
            7 | 8 => Field::Region(lang(tag - 7)),
            9 | 10 => Field::Kind(lang(tag - 9)),
            11 | 12 => Field::Person(index as usize, lang(tag - 11)),
            _ => Field::Role(index as usize, lang(tag - 13)),
        }
    }
}

#[cfg(test)]
impl Index {
    /// The normalised text of every haystack the index holds.
    pub(super) fn haystack_texts(&self) -> impl Iterator<Item = &str> {
        self.parts
            .iter()
            .flat_map(|part| {
                (part.pool.iter().enumerate())
                    .filter_map(move |(at, s)| Index::hay(part, s, at as u32))
            })
            .map(|h| h.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_haystack_is_small_and_keeps_its_field() {
        // An index holds one per distinct text of every partner.
        assert!(size_of::<Stored>() <= 24, "{}", size_of::<Stored>());
        let fields = [
            Field::Name(Lang::Ja),
            Field::Name(Lang::En),
            Field::Short,
            Field::Alias(0),
            Field::Alias(123_456),
            Field::Place(Lang::Ja),
            Field::Place(Lang::En),
            Field::Country(7),
            Field::Region(Lang::Ja),
            Field::Region(Lang::En),
            Field::Kind(Lang::Ja),
            Field::Kind(Lang::En),
            Field::Person(0, Lang::Ja),
            Field::Person(7, Lang::En),
            Field::Role(3, Lang::Ja),
            Field::Role(123_456, Lang::En),
        ];
        for f in fields {
            let (tag, index) = f.code();
            assert_eq!(Field::from_code(tag, index), f);
            assert!(
                u32::from(tag) < 1 << (32 - INDEX_BITS) && index <= INDEX,
                "{f:?}"
            );
        }
    }
}
