//! Query matching: one engine for the browser's search bar and the `search` / `show`
//! commands.
//!
//! Query and haystacks are normalised the same way (Unicode NFKC, case folding, hiragana
//! folded to katakana, Latin diacritics and variation selectors dropped), keeping a map
//! back to the original characters so highlights land on the right cells. A query is
//! space-separated terms that must all match (`!term` excludes, `'term` needs an exact
//! substring, `^term` a prefix). Ranking, per term: whole-word or prefix matches beat
//! contiguous substrings, which beat scattered fuzzy matches, which beat one-typo
//! matches; then names beat aliases, which beat places and countries, which beat region
//! and kind words; then an exact field match; then fuzzy-matcher's score; ties keep
//! date order.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use unicode_normalization::UnicodeNormalization;

use crate::data::{Dataset, Lang, Partner};

/// A searchable field of a partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The name in one language.
    Name(Lang),
    /// The short name.
    Short,
    /// The n-th alias.
    Alias(usize),
    /// The place in one language.
    Place(Lang),
    /// The country: 0 Japanese name, 1 English name, 2 code, 3.. aliases.
    Country(usize),
    /// The region label in one language.
    Region(Lang),
    /// The kind label in one language.
    Kind(Lang),
}

impl Field {
    /// Whether many partners share this field's text (place, country, region, kind):
    /// such haystacks are normalised once and shared.
    fn shared(self) -> bool {
        matches!(
            self,
            Field::Place(_) | Field::Country(_) | Field::Region(_) | Field::Kind(_)
        )
    }

    /// How much a match on this field says about the partner.
    fn class(self) -> i64 {
        match self {
            Field::Name(_) | Field::Short => 3,
            Field::Alias(_) => 2,
            Field::Place(_) | Field::Country(_) => 1,
            Field::Region(_) | Field::Kind(_) => 0,
        }
    }
}

/// The text of `field` for partner `p`.
pub fn field_text<'a>(ds: &'a Dataset, p: &'a Partner, field: Field) -> Option<&'a str> {
    Some(match field {
        Field::Name(l) => p.name.get(l),
        Field::Short => p.short.as_deref()?,
        Field::Alias(i) => p.aliases.get(i)?.as_str(),
        Field::Place(l) => p.place.get(l),
        Field::Country(i) => {
            let c = ds.country(&p.country);
            match i {
                0 => c?.ja.as_str(),
                1 => c?.en.as_str(),
                2 => p.country.as_str(),
                n => c?.aliases.get(n - 3)?.as_str(),
            }
        }
        Field::Region(l) => ds.region(&p.region)?.label(l),
        Field::Kind(l) => ds.kind(&p.kind)?.label(l),
    })
}

/// A partner's searchable fields, best class first (`hit_filtered` relies on that order).
fn fields<'a>(ds: &'a Dataset, p: &'a Partner) -> impl Iterator<Item = Field> + 'a {
    let n_country = ds.country(&p.country).map_or(0, |c| 3 + c.aliases.len());
    let country = if n_country == 0 { 2..3 } else { 0..n_country };
    [Field::Name(Lang::Ja), Field::Name(Lang::En)]
        .into_iter()
        .chain(p.short.is_some().then_some(Field::Short))
        .chain((0..p.aliases.len()).map(Field::Alias))
        .chain([Field::Place(Lang::Ja), Field::Place(Lang::En)])
        .chain(country.map(Field::Country))
        .chain([
            Field::Region(Lang::Ja),
            Field::Region(Lang::En),
            Field::Kind(Lang::Ja),
            Field::Kind(Lang::En),
        ])
}

/// Which of the `n` haystacks `text(0..n)` (of one class, in order) the index keeps,
/// ascending: not an empty one (it matches no term), and not one whose text comes
/// again later. Of haystacks with equal keys the ranking picks the last (see
/// `hit_filtered`), and equal texts of one class have equal keys for every term, so
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

/// Normalises text for matching; returns it with, per output character, the index of
/// the input character it came from.
pub fn normalize(s: &str) -> (String, Vec<usize>) {
    let (text, origin) = normalize_parts(s);
    let origin = match origin {
        Some(o) => o.into_iter().map(|i| i as usize).collect(),
        None => (0..text.chars().count()).collect(),
    };
    (text, origin)
}

/// Characters that normalise to themselves apart from ASCII case: ASCII, kana and the
/// common CJK ideographs (the bulk of both languages' text), which skip the Unicode
/// tables (checked against them in the tests below).
fn is_plain(c: char) -> bool {
    c.is_ascii()
        || matches!(c, '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | '\u{30FC}' | '\u{4E00}'..='\u{9FFF}')
}

/// A character whose normal form is longer than this many characters stays as it is:
/// only a few ligatures are (U+FDFA is 18 characters, U+FDFB 8), and a haystack of
/// them would otherwise take 18 characters and 18 positions per 3 bytes of the file.
const MAX_EXPANSION: usize = 6;

/// [`normalize`], with the position map left out (`None`) when every character of the
/// result stands where it stood in `s`.
fn normalize_parts(s: &str) -> (String, Option<Vec<u32>>) {
    let mut text = String::new();
    let origin = normalize_onto(s, &mut text);
    (text, origin)
}

/// [`normalize_parts`], the text written onto the end of `text` (an index's arena:
/// no copy of it in between); the map.
fn normalize_onto(s: &str, text: &mut String) -> Option<Vec<u32>> {
    if s.is_ascii() {
        let at = text.len();
        text.push_str(s);
        text[at..].make_ascii_lowercase();
        return None;
    }
    // Written straight into the text and its map (4 bytes a character): no list of
    // characters with their positions (16 bytes each) in between.
    let mut origin: Vec<u32> = Vec::new();
    let mut identity = true;
    // The last character written, before kana folding.
    let mut last: Option<char> = None;
    let mut push = |text: &mut String, c: char, i: u32| {
        identity &= origin.len() == i as usize;
        origin.push(i);
        text.push(fold_kana(c));
    };
    for (i, c) in s.chars().enumerate() {
        let i = i as u32;
        if is_plain(c) {
            let c = c.to_ascii_lowercase();
            push(text, c, i);
            last = Some(c);
            continue;
        }
        // A variation selector (kept after an ideograph) picks a glyph, not a
        // character: 葛 finds 葛󠄀.
        if crate::text::is_variation_selector(c) {
            continue;
        }
        let mut out = ['\0'; MAX_EXPANSION];
        let mut n = 0;
        for l in std::iter::once(c).nfkc().flat_map(char::to_lowercase) {
            if n == MAX_EXPANSION {
                (out[0], n) = (c, 1);
                break;
            }
            out[n] = strip_latin_diacritic(l);
            n += 1;
        }
        for &l in &out[..n] {
            // Half-width kana decompose into a base and a combining (semi-)voiced
            // mark; put them back together.
            if matches!(l, '\u{3099}' | '\u{309A}')
                && let Some(prev) = last
            {
                let mut composed = [prev, l].into_iter().nfc();
                if let (Some(one), None) = (composed.next(), composed.next()) {
                    text.pop();
                    text.push(fold_kana(one));
                    last = Some(one);
                    continue;
                }
            }
            push(text, l, i);
            last = Some(l);
        }
    }
    (!identity).then_some(origin)
}

fn fold_kana(c: char) -> char {
    match c {
        '\u{3041}'..='\u{3096}' | '\u{309D}'..='\u{309E}' => {
            char::from_u32(c as u32 + 0x60).unwrap_or(c)
        }
        _ => c,
    }
}

fn strip_latin_diacritic(c: char) -> char {
    if c.is_ascii() || !('\u{00C0}'..='\u{024F}').contains(&c) {
        return c;
    }
    match std::iter::once(c).nfd().next() {
        Some(base) if base.is_ascii_alphabetic() => base,
        _ => c,
    }
}

/// One normalised haystack, as stored: its text lies in its part's arena, its
/// position map (if it has one) in the part's `origins`. 32 bytes: an index holds one
/// per distinct text of every partner.
#[derive(Debug, Clone)]
struct Stored {
    /// Where the text starts in the arena.
    at: usize,
    /// Which characters occur (see [`char_mask`]): a cheap "cannot match" test.
    mask: u64,
    /// The text's length in bytes, with [`ASCII`] set when it is ASCII (bytes are
    /// characters).
    len: u32,
    /// Per character of the text, the character of the field it came from, as an
    /// index into the part's `origins`; [`NO_ORIGIN`] when that is the same position
    /// (most text), which keeps the index small.
    origin: u32,
    /// The field, as [`Field::code`] gives it.
    index: u32,
    tag: u8,
}

/// In [`Stored::len`]: the text is ASCII.
const ASCII: u32 = 1 << 31;
/// In [`Stored::origin`]: no map.
const NO_ORIGIN: u32 = u32::MAX;

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
        }
    }

    /// The field of a [`Field::code`].
    fn from_code(tag: u8, index: u32) -> Field {
        let lang = |t: u8| if t == 0 { Lang::Ja } else { Lang::En };
        match tag {
            0 | 1 => Field::Name(lang(tag)),
            2 => Field::Short,
            3 => Field::Alias(index as usize),
            4 | 5 => Field::Place(lang(tag - 4)),
            6 => Field::Country(index as usize),
            7 | 8 => Field::Region(lang(tag - 7)),
            _ => Field::Kind(lang(tag - 9)),
        }
    }
}

/// One normalised haystack, as matched.
#[derive(Debug, Clone, Copy)]
struct Hay<'a> {
    field: Field,
    text: &'a str,
    origin: Option<&'a [u32]>,
    mask: u64,
    ascii: bool,
}

/// A 64-bit set of the characters in `text`: one bit per ASCII letter and digit, the
/// others hashed onto the remaining bits. A term can only match a haystack (fuzzy,
/// exact or prefix) if its mask is a subset of the haystack's.
pub fn char_mask(text: &str) -> u64 {
    let mut m = 0u64;
    for c in text.chars() {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            '0'..='9' => 26 + c as u32 - '0' as u32,
            c if c.is_whitespace() => continue,
            c => 36 + (c as u32).wrapping_mul(2_654_435_761) % 28,
        };
        m |= 1 << bit;
    }
    m
}

/// How a term is to be matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    /// Fuzzy (the default).
    Fuzzy,
    /// `'term`: an exact substring.
    Exact,
    /// `^term`: a prefix of a field.
    Prefix,
    /// `!term`: no field may contain it.
    Exclude,
}

/// One parsed, normalised query term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// How to match it.
    pub kind: TermKind,
    /// Normalised text.
    pub text: String,
    /// Its characters, as in [`char_mask`].
    pub mask: u64,
    /// Only letters and digits: it can be the start of a word.
    pub word: bool,
}

impl Term {
    /// The term's only character, when it has one (the first keystroke of a query).
    fn one_char(&self) -> Option<char> {
        let mut chars = self.text.chars();
        chars.next().filter(|_| chars.next().is_none())
    }
}

/// Splits a query into terms (`!`, `'`, `^` prefixes understood). The query is cleaned
/// as dataset text is (the search bar's already is; a command line's may not be), so
/// an invisible character in it cannot keep it from matching what it shows.
pub fn parse_query(query: &str) -> Vec<Term> {
    crate::text::clean(query)
        .split_whitespace()
        .filter_map(|raw| {
            let (kind, rest) = if let Some(r) = raw.strip_prefix('!') {
                (TermKind::Exclude, r)
            } else if let Some(r) = raw.strip_prefix('\'') {
                (TermKind::Exact, r)
            } else if let Some(r) = raw.strip_prefix('^') {
                (TermKind::Prefix, r)
            } else {
                (TermKind::Fuzzy, raw)
            };
            let text = normalize(rest).0;
            let mask = char_mask(&text);
            let word = text.chars().all(char::is_alphanumeric);
            (!text.is_empty()).then_some(Term {
                kind,
                text,
                mask,
                word,
            })
        })
        .collect()
}

/// Rank key of one term's match: compared lexicographically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
struct Key {
    tier: i64,
    class: i64,
    exact: i64,
    score: i64,
}

const TIER_WORD: i64 = 3;
const TIER_SUBSTRING: i64 = 2;
const TIER_FUZZY: i64 = 1;
const TIER_TYPO: i64 = 0;
/// A score not computed yet (see `match_term`).
const DEFERRED: i64 = i64::MIN;

/// A hit's rank key, summed over the query's terms and stored small: a large search
/// holds, sorts and copies hundreds of thousands of hits. Compared lexicographically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
struct Rank {
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
    rank: Rank,
    /// Whether `marks` has been filled.
    marked: bool,
    /// Whether the fuzzy tie-break in `rank` is computed: a large search leaves it for
    /// later ([`Index::score_all`], [`Index::resolve`]).
    scored: bool,
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
    fn group(&self) -> (i16, i16, i16) {
        (self.rank.tier, self.rank.class, self.rank.exact)
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

/// Optimal string alignment distance, capped: `None` when above `max`.
fn typo_distance(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    (d[n][m] <= max).then_some(d[n][m])
}

/// Where the words of a normalised text start: (char index, byte index).
fn word_starts(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut prev = false;
    text.char_indices()
        .enumerate()
        .filter_map(move |(i, (b, c))| {
            let alnum = c.is_alphanumeric();
            let start = alnum && !prev;
            prev = alnum;
            start.then_some((i, b))
        })
}

/// Whether the characters of `needle` occur in `hay` in order.
fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut h = hay.chars();
    needle.chars().all(|n| h.any(|c| c == n))
}

/// Words of a normalised text: (start char, chars).
fn words(text: &str) -> Vec<(usize, Vec<char>)> {
    let mut out = Vec::new();
    let mut cur: Vec<char> = Vec::new();
    let mut start = 0;
    for (i, c) in text.chars().enumerate() {
        if c.is_alphanumeric() {
            if cur.is_empty() {
                start = i;
            }
            cur.push(c);
        } else if !cur.is_empty() {
            out.push((start, std::mem::take(&mut cur)));
        }
    }
    if !cur.is_empty() {
        out.push((start, cur));
    }
    out
}

/// What `SkimMatcherV2::default().ignore_case()` scores for the one-character pattern
/// `p` in `text`: the best over the positions where `p` occurs of the match score (16,
/// less 2 when only ASCII case makes them equal) plus the position's bonus (8 at a
/// word's head, doubled at the very start; 7 after punctuation; 6 at a camel hump;
/// 0 inside a word), less 1 for the gap before it. The tests check it against the
/// matcher itself on every haystack of generated datasets and on random strings.
fn one_char_score(text: &str, p: char) -> Option<i64> {
    #[derive(Clone, Copy, PartialEq)]
    enum Kind {
        Empty,
        Upper,
        Lower,
        Number,
        HardSep,
        SoftSep,
    }
    let kind = |c: char| match c {
        '\0' => Kind::Empty,
        ' ' | '/' | '\\' | '|' | '(' | ')' | '[' | ']' | '{' | '}' => Kind::HardSep,
        '!'..='\'' | '*'..='.' | ':'..='@' | '^'..='`' | '~' => Kind::SoftSep,
        '0'..='9' => Kind::Number,
        'A'..='Z' => Kind::Upper,
        _ => Kind::Lower,
    };
    let bonus = |prev: Kind, cur: Kind| -> i64 {
        match (prev, cur) {
            (Kind::Empty | Kind::HardSep, _) => 8,
            (Kind::SoftSep, _) => 7,
            (Kind::Lower | Kind::Number, Kind::Upper) => 6,
            _ => 0,
        }
    };
    let mut best: Option<i64> = None;
    let mut prev = '\0';
    for (i, c) in text.chars().enumerate() {
        if c.eq_ignore_ascii_case(&p) {
            let mut b = bonus(kind(prev), kind(c));
            if i == 0 {
                b *= 2;
            }
            let matched = if c == p { 16 } else { 14 };
            let score = matched + b - 1;
            best = Some(best.map_or(score, |s| s.max(score)));
        }
        prev = c;
    }
    best
}

fn threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// How many of `n` items each core takes: all of them below [`PARALLEL_FROM`].
fn run_len(n: usize) -> usize {
    if n >= PARALLEL_FROM {
        n.div_ceil(threads())
    } else {
        n
    }
    .max(1)
}

/// `f` over `items` in runs of [`run_len`], one thread a run when there are several;
/// the results in order. A run whose thread panicked gives `R::default()`.
fn per_core<T: Sync, R: Send + Default>(items: &[T], f: impl Fn(&[T]) -> R + Sync) -> Vec<R> {
    let len = run_len(items.len());
    if len >= items.len() {
        return vec![f(items)];
    }
    let f = &f;
    std::thread::scope(|s| {
        let runs: Vec<_> = items.chunks(len).map(|c| s.spawn(move || f(c))).collect();
        runs.into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// The search index of a dataset: normalised haystacks per partner.
pub struct Index {
    /// The index in runs of `per_part` consecutive partners, each built on its own
    /// thread and kept as built (merging them would copy everything once more).
    parts: Vec<Chunk>,
    per_part: usize,
    partners: usize,
    matcher: SkimMatcherV2,
}

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

/// Candidates below this are scored on one thread (spawning costs more than it saves).
const PARALLEL_FROM: usize = 4096;

/// A ref with this bit set is a group's index (see [`Chunk::groups`]), not a haystack's.
const GROUP: u32 = 1 << 31;

/// The index of a run of partners, built on one thread.
#[derive(Default)]
struct Chunk {
    /// Every distinct haystack (place, country, region and kind texts appear once).
    pool: Vec<Stored>,
    /// The haystacks' texts, one after another: a partner's are next to each other
    /// in memory, which keeps a scan over a million partners out of the cache misses
    /// of as many separate allocations.
    arena: String,
    /// Partner `i`'s haystacks are `pool[refs[start[i]..start[i + 1]]]`, where a ref
    /// with [`GROUP`] set stands for the haystacks of a group.
    refs: Vec<u32>,
    /// One more entry than partners: where each partner's refs start, and the end.
    start: Vec<u32>,
    /// Per partner, the union of its haystacks' masks.
    union: Vec<u64>,
    /// The position maps of the haystacks that have one (see [`Stored::origin`]).
    origins: Vec<Box<[u32]>>,
    /// A declared country's haystacks (names, code, aliases), consecutive in `pool`:
    /// every partner in the country refers to them with one ref, however many aliases
    /// the country has (one ref each would make the index partners × aliases).
    groups: Vec<Group>,
}

/// Consecutive haystacks in a chunk's pool, referred to as one.
#[derive(Debug, Clone, Copy)]
struct Group {
    from: u32,
    len: u32,
    /// The union of their masks.
    mask: u64,
}

impl Chunk {
    fn build(ds: &Dataset, partners: &[Partner]) -> Chunk {
        let mut c = Chunk::default();
        let mut shared: foldhash::HashMap<(Field, &str), u32> = Default::default();
        let mut countries: foldhash::HashMap<&str, u32> = Default::default();
        for p in partners {
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
                    let g = match countries.get(country.id.as_str()) {
                        Some(&g) => g,
                        None => {
                            let g = c.add_group(ds, p, 3 + country.aliases.len());
                            countries.insert(&country.id, g);
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
                let at = match f.shared().then(|| shared.get(&(f, text))).flatten() {
                    Some(&at) => at,
                    None => {
                        let at = c.pool.len() as u32;
                        c.pool
                            .push(Stored::new(f, text, &mut c.arena, &mut c.origins));
                        if f.shared() {
                            shared.insert((f, text), at);
                        }
                        at
                    }
                };
                union |= c.pool[at as usize].mask;
                c.refs.push(at);
            }
            c.union.push(union);
        }
        c.start.push(c.refs.len() as u32);
        // Grown by doubling: give back the slack, which would otherwise stay for the
        // whole session.
        c.pool.shrink_to_fit();
        c.arena.shrink_to_fit();
        c.refs.shrink_to_fit();
        c.origins.shrink_to_fit();
        c
    }

    /// Adds the group of `p`'s country, whose fields are `Country(0..n)`; its index.
    fn add_group(&mut self, ds: &Dataset, p: &Partner, n: usize) -> u32 {
        let text = |i| field_text(ds, p, Field::Country(i)).unwrap_or("");
        let from = self.pool.len() as u32;
        let mut mask = 0;
        for i in kept(n, text) {
            let f = Field::Country(i as usize);
            let s = Stored::new(f, text(i as usize), &mut self.arena, &mut self.origins);
            mask |= s.mask;
            self.pool.push(s);
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
struct Hays<'a> {
    part: &'a Chunk,
    refs: std::slice::Iter<'a, u32>,
    /// The rest of the group being read.
    group: std::ops::Range<u32>,
}

impl<'a> Iterator for Hays<'a> {
    type Item = Hay<'a>;

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
                        self.group = g.from..g.from + g.len;
                        continue;
                    }
                }
            };
            if let Some(h) = self
                .part
                .pool
                .get(at as usize)
                .and_then(|s| Index::hay(self.part, s))
            {
                return Some(h);
            }
        }
    }
}

impl Stored {
    /// Normalises `raw` onto the end of the part's arena (its map onto `origins`).
    fn new(field: Field, raw: &str, arena: &mut String, origins: &mut Vec<Box<[u32]>>) -> Stored {
        let at = arena.len();
        let origin = normalize_onto(raw, arena);
        let text = &arena[at..];
        let (tag, index) = field.code();
        let origin = match origin {
            Some(o) => {
                origins.push(o.into_boxed_slice());
                u32::try_from(origins.len() - 1).unwrap_or(NO_ORIGIN)
            }
            None => NO_ORIGIN,
        };
        let len = u32::try_from(text.len()).unwrap_or(u32::MAX).min(!ASCII);
        Stored {
            at,
            mask: char_mask(text),
            len: if text.is_ascii() { len | ASCII } else { len },
            origin,
            index,
            tag,
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
        Index {
            parts: per_core(&ds.partners, |run| Chunk::build(ds, run)),
            per_part: run_len(ds.partners.len()),
            partners: ds.partners.len(),
            matcher: SkimMatcherV2::default().ignore_case(),
        }
    }

    /// Partner `partner`'s haystacks.
    fn hays(&self, partner: usize) -> Option<Hays<'_>> {
        let (part, local) = self.locate(partner)?;
        let from = *part.start.get(local)? as usize;
        let to = *part.start.get(local + 1)? as usize;
        Some(Hays {
            part,
            refs: part.refs.get(from..to)?.iter(),
            group: 0..0,
        })
    }

    /// The part holding `partner`, and its place there.
    fn locate(&self, partner: usize) -> Option<(&Chunk, usize)> {
        let part = self.parts.get(partner / self.per_part)?;
        Some((part, partner % self.per_part))
    }

    fn hay<'a>(part: &'a Chunk, s: &'a Stored) -> Option<Hay<'a>> {
        let len = (s.len & !ASCII) as usize;
        Some(Hay {
            field: Field::from_code(s.tag, s.index),
            text: part.arena.get(s.at..s.at + len)?,
            origin: part.origins.get(s.origin as usize).map(|o| &o[..]),
            mask: s.mask,
            ascii: s.len & ASCII != 0,
        })
    }

    /// fuzzy-matcher's score of `term` in `text` (0 when it does not match), the last
    /// part of a rank key. For a one-character term the score has a closed form (the
    /// best position bonus of the character; see [`one_char_score`]), which spares
    /// running the matcher on nearly every partner for the first keystroke of a query.
    fn tie_score(&self, text: &str, term: &Term) -> i64 {
        match term.one_char() {
            Some(c) => one_char_score(text, c).unwrap_or(0),
            None => self.matcher.fuzzy_match(text, &term.text).unwrap_or(0),
        }
    }

    /// Matches one fuzzy/exact/prefix term against one haystack.
    fn match_term(
        &self,
        hay: &Hay<'_>,
        term: &Term,
        typo: bool,
        want_idx: bool,
        quick: bool,
    ) -> Option<(Key, Vec<usize>)> {
        let t = &term.text;
        let tlen = t.chars().count();
        let span = |byte_at: usize| -> Vec<usize> {
            if !want_idx {
                return Vec::new();
            }
            let start = hay.text[..byte_at].chars().count();
            (start..start + tlen).collect()
        };
        let class = hay.field.class();
        let exact = i64::from(hay.text == t.as_str());
        // Word and substring matches use the fuzzy score only to break ties; with
        // `quick` it is left for the caller to compute for the haystacks still in the
        // running (see `hit_filtered`).
        let fuzzy_score = || {
            if quick {
                DEFERRED
            } else {
                self.matcher.fuzzy_match(hay.text, t).unwrap_or(0)
            }
        };
        let key = |tier, score| Key {
            tier,
            class,
            exact,
            score,
        };
        // One character in ASCII text (the first keystroke, matching nearly
        // everyone): one memchr pass finds what the three searches below would, the
        // field's start or a word's (see `word_starts`), else any occurrence.
        if quick
            && !want_idx
            && term.kind == TermKind::Fuzzy
            && hay.ascii
            && let Some(c) = term.one_char()
        {
            let Ok(c) = u8::try_from(c) else {
                return None;
            };
            let b = hay.text.as_bytes();
            let mut seen = false;
            for i in memchr::memchr_iter(c, b) {
                if i == 0 || (term.word && !b[i - 1].is_ascii_alphanumeric()) {
                    return Some((key(TIER_WORD, DEFERRED), Vec::new()));
                }
                seen = true;
            }
            return seen.then(|| (key(TIER_SUBSTRING, DEFERRED), Vec::new()));
        }
        match term.kind {
            TermKind::Prefix => {
                return hay
                    .text
                    .starts_with(t.as_str())
                    .then(|| (key(TIER_WORD, fuzzy_score()), span(0)));
            }
            TermKind::Exact => {
                if t.len() > hay.text.len() {
                    return None;
                }
                let at = hay.text.find(t.as_str())?;
                let tier = if word_starts(hay.text).any(|(_, b)| b == at) {
                    TIER_WORD
                } else {
                    TIER_SUBSTRING
                };
                return Some((key(tier, fuzzy_score()), span(at)));
            }
            TermKind::Exclude => return None,
            TermKind::Fuzzy => {}
        }
        // Prefix of the field or of one of its words.
        if hay.text.starts_with(t.as_str()) {
            return Some((key(TIER_WORD, fuzzy_score()), span(0)));
        }
        // A word's prefix: only a term of letters and digits can be one.
        if term.word {
            for (start, b) in word_starts(hay.text) {
                if hay.text[b..].starts_with(t.as_str()) {
                    let idx = if want_idx {
                        (start..start + tlen).collect()
                    } else {
                        Vec::new()
                    };
                    return Some((key(TIER_WORD, fuzzy_score()), idx));
                }
            }
        }
        // A term longer than the text can only match it with a typo; `find` would
        // build its searcher for the term first, for every haystack.
        let fits = t.len() <= hay.text.len();
        if fits && let Some(at) = hay.text.find(t.as_str()) {
            return Some((key(TIER_SUBSTRING, fuzzy_score()), span(at)));
        }
        // The fuzzy matcher matches exactly when the term's characters occur in order
        // (its score is then only needed to break ties, like the ones above): checking
        // that is much cheaper than running it.
        let in_order = fits && is_subsequence(t, hay.text);
        if quick && !typo {
            if !in_order {
                return None;
            }
            if !want_idx {
                return Some((key(TIER_FUZZY, DEFERRED), Vec::new()));
            }
        }
        // Out of order, the matcher cannot match: only a typo can (a long term's
        // matrix against every haystack would otherwise make the typo pass crawl).
        if in_order {
            if want_idx {
                if let Some((score, idx)) = self.matcher.fuzzy_indices(hay.text, t) {
                    return Some((key(TIER_FUZZY, score), idx));
                }
            } else if let Some(score) = self.matcher.fuzzy_match(hay.text, t) {
                return Some((key(TIER_FUZZY, score), Vec::new()));
            }
        }
        // One typo (transposition, insertion, deletion, substitution) in a word, for
        // terms long enough that one typo still says something.
        // A word within one typo has at least tlen - 1 characters, so at least as many
        // bytes: shorter texts are passed over without splitting them into words.
        if typo && tlen >= 5 && hay.text.len() + 1 >= tlen {
            let tc: Vec<char> = t.chars().collect();
            for (start, w) in words(hay.text) {
                // Compare with the whole word and with its prefix of similar length, so
                // a partly typed word with a typo still matches.
                for len in [w.len(), tlen.min(w.len()), (tlen + 1).min(w.len())] {
                    if let Some(d) = typo_distance(&tc, &w[..len], 1) {
                        let score = 10 - d as i64;
                        return Some((key(TIER_TYPO, score), (start..start + len).collect()));
                    }
                }
            }
        }
        None
    }

    /// Matches one partner against parsed terms; every non-excluding term must match.
    /// Strict (`typo` false): the character masks rule out haystacks cheaply. With
    /// `want_idx`, the highlight marks are filled too.
    fn hit_with(&self, partner: usize, terms: &[Term], typo: bool, want_idx: bool) -> Option<Hit> {
        self.hit_filtered(partner, terms, typo, want_idx, true, false)
    }

    /// With `defer`, a fuzzy tie-break that decides nothing but the order inside the
    /// hit's group is left uncomputed (`scored` false).
    fn hit_filtered(
        &self,
        partner: usize,
        terms: &[Term],
        typo: bool,
        want_idx: bool,
        prefilter: bool,
        defer: bool,
    ) -> Option<Hit> {
        let prefilter = prefilter && !typo;
        let hays = self.hays(partner)?;
        if prefilter {
            let union = self
                .locate(partner)
                .and_then(|(part, local)| part.union.get(local).copied())
                .unwrap_or(0);
            if terms
                .iter()
                .any(|t| t.kind != TermKind::Exclude && t.mask & !union != 0)
            {
                return None;
            }
        }
        let mut total = Key::default();
        let mut scored = true;
        let mut marks: Vec<(Field, Vec<usize>)> = Vec::new();
        for term in terms {
            if term.kind == TermKind::Exclude {
                if hays.clone().any(|h| h.text.contains(term.text.as_str())) {
                    return None;
                }
                continue;
            }
            // The best haystack so far; of equal keys the last, as `max_by` picks. Keys
            // compare tier, class and exactness before the score, so a (deferred) fuzzy
            // score is computed only where those tie.
            let mut best: Option<(Key, Hay<'_>, Vec<usize>)> = None;
            for h in hays.clone() {
                // Haystacks come in order of class, best first (see `fields`): once a
                // word match (the best tier) is found, a haystack of a lower class
                // cannot outrank it.
                if prefilter
                    && best
                        .as_ref()
                        .is_some_and(|(k, ..)| k.tier == TIER_WORD && k.class > h.field.class())
                {
                    break;
                }
                if prefilter && term.mask & !h.mask != 0 {
                    continue;
                }
                let Some((mut k, idx)) = self.match_term(&h, term, typo, want_idx, prefilter)
                else {
                    continue;
                };
                if let Some((bk, bh, _)) = &mut best {
                    let (was, now) = ((bk.tier, bk.class, bk.exact), (k.tier, k.class, k.exact));
                    if now < was {
                        continue;
                    }
                    if now == was {
                        if bk.score == DEFERRED {
                            bk.score = self.tie_score(bh.text, term);
                        }
                        if k.score == DEFERRED {
                            k.score = self.tie_score(h.text, term);
                        }
                        if k.score < bk.score {
                            continue;
                        }
                    }
                }
                best = Some((k, h, idx));
            }
            let (mut key, hay, idx) = best?;
            if key.score == DEFERRED {
                // A one-character term's score is cheaper to compute now than to
                // come back for.
                if defer && term.one_char().is_none() {
                    scored = false;
                    key.score = 0;
                } else {
                    key.score = self.tie_score(hay.text, term);
                }
            }
            total.tier += key.tier;
            total.class += key.class;
            total.exact += key.exact;
            total.score += key.score;
            if !want_idx {
                // Ranking only: no marks, so a hit holds no allocation (cheap to copy
                // and to drop by the hundred thousand).
                continue;
            }
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
        for (_, v) in &mut marks {
            v.sort_unstable();
            v.dedup();
        }
        Some(Hit {
            partner,
            marks: (!marks.is_empty()).then(|| Box::new(marks)),
            rank: total.into(),
            marked: want_idx,
            scored,
        })
    }

    /// Matches one partner, marks included (strict first, then allowing one typo).
    pub fn hit(&self, partner: usize, terms: &[Term]) -> Option<Hit> {
        self.hit_with(partner, terms, false, true)
            .or_else(|| self.hit_with(partner, terms, true, true))
    }

    /// Fills a hit's highlight marks for `terms` (what it was ranked with).
    pub fn fill_marks(&self, hit: &mut Hit, terms: &[Term]) {
        if hit.marked {
            return;
        }
        if let Some(h) = self.hit(hit.partner, terms) {
            hit.marks = h.marks;
        }
        hit.marked = true;
    }

    /// Scores `candidates` (strict, or allowing one typo) without sorting; marks not
    /// filled, and fuzzy tie-breaks left for [`Index::resolve`]. Used for slices of a
    /// large search.
    pub fn score_all(&self, candidates: &[usize], terms: &[Term], typo: bool) -> Vec<Hit> {
        self.score_with(candidates, terms, typo, true)
    }

    fn score_with(
        &self,
        candidates: &[usize],
        terms: &[Term],
        typo: bool,
        defer: bool,
    ) -> Vec<Hit> {
        let runs = per_core(candidates, |run| -> Vec<Hit> {
            run.iter()
                .filter_map(|&i| self.hit_filtered(i, terms, typo, false, true, defer))
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
        let mut hits = self.score_with(candidates, terms, false, false);
        let mut relaxed = false;
        if hits.is_empty() {
            hits = self.score_with(candidates, terms, true, false);
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
                .filter_map(|&i| self.hit_filtered(i, terms, typo, false, false, false))
                .collect()
        };
        let mut hits = pass(false);
        if hits.is_empty() {
            hits = pass(true);
        }
        Index::sort_hits(&mut hits);
        hits.into_iter().map(|h| h.partner).collect()
    }

    /// Sorts hits by group (tier, class, exactness; see [`Index::score_all`]), best
    /// first, ties in candidate order (stable). Each group's inner order is left to
    /// [`Index::resolve`].
    pub fn sort_groups(hits: &mut [Hit]) {
        hits.sort_by_key(|h| std::cmp::Reverse(h.group()));
    }

    /// Keeps the best `n` hits by group, ties by partner index (date order), sorted
    /// that way: how a search still running lists what it has found so far.
    pub fn best_by_group_then_partner(hits: &mut Vec<Hit>, n: usize) {
        let order = |a: &Hit, b: &Hit| b.group().cmp(&a.group()).then(a.partner.cmp(&b.partner));
        if hits.len() > n && n > 0 {
            hits.select_nth_unstable_by(n - 1, order);
            hits.truncate(n);
        }
        hits.sort_unstable_by(order);
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
                run.iter()
                    .map(|h| {
                        if h.scored {
                            return h.rank;
                        }
                        self.hit_with(h.partner, terms, false, false)
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
        hits.sort_by_key(|h| std::cmp::Reverse(h.rank));
    }

    /// Ranks `candidates` (indices into the partners, in date order) for `query`: best
    /// first, ties in date order. An empty query keeps every candidate, in order.
    /// Marks are filled for every hit (for the commands; the browser fills only what
    /// it shows).
    pub fn rank(&self, candidates: &[usize], query: &str) -> Vec<Hit> {
        let terms = parse_query(query);
        let mut hits = self.rank_terms(candidates, &terms).hits;
        for h in &mut hits {
            self.fill_marks(h, &terms);
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_folds_width_case_and_kana() {
        assert_eq!(normalize("ＵＣＬＡ").0, "ucla");
        assert_eq!(normalize("よこはま").0, "ヨコハマ");
        assert_eq!(normalize("ﾒﾃﾞｨｾﾝ").0, "メディセン");
        assert_eq!(normalize("Île-de-France").0, "ile-de-france");
        // The map points back at the input characters.
        let (t, o) = normalize("ｶﾞｲﾄﾞ");
        assert_eq!(t, "ガイド");
        assert_eq!(o, [0, 2, 3]);
    }

    #[test]
    fn a_variation_selector_is_no_part_of_a_match() {
        // 葛飾 finds 葛󠄀飾 (the selector the cleaner keeps after an ideograph), and the
        // map still points at the ideographs for the highlight.
        let (t, o) = normalize("葛\u{E0100}飾区");
        assert_eq!(t, "葛飾区");
        assert_eq!(o, [0, 2, 3]);
        assert_eq!(normalize("辻\u{FE00}").0, "辻");
    }

    #[test]
    fn a_query_is_cleaned_as_the_text_it_searches() {
        // Invisible characters go; a line separator parts terms as a space does.
        let texts =
            |q: &str| -> Vec<String> { parse_query(q).into_iter().map(|t| t.text).collect() };
        assert_eq!(
            texts("o\u{AD}sa\u{2061}ka\u{2028}^ky\u{E0041}oto"),
            ["osaka", "kyoto"]
        );
        assert!(parse_query("\u{3164}\u{115F} \u{2029}").is_empty());
    }

    #[test]
    fn plain_characters_normalise_to_themselves() {
        // The fast path in `normalize_parts` must agree with the full one.
        for c in (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|&c| is_plain(c))
        {
            let full: String = std::iter::once(c)
                .nfkc()
                .flat_map(char::to_lowercase)
                .map(strip_latin_diacritic)
                .collect();
            assert_eq!(
                full,
                c.to_ascii_lowercase().to_string(),
                "U+{:04X}",
                c as u32
            );
        }
        assert_eq!(
            normalize("Ｋobe 神戸 こうべ"),
            normalize("kobe 神戸 コウベ")
        );
        assert_eq!(normalize_parts("横浜 Yokohama").1, None);
        assert_eq!(normalize_parts("ﾖｺﾊﾏ!").1, None);
        assert_eq!(normalize_parts("ｶﾞｲﾄﾞ").1, Some(vec![0, 2, 3]));
    }

    #[test]
    fn one_char_scores_are_fuzzy_matchers() {
        let matcher = SkimMatcherV2::default().ignore_case();
        let check = |text: &str, p: char| {
            assert_eq!(
                one_char_score(text, p),
                matcher.fuzzy_match(text, &p.to_string()),
                "{p:?} in {text:?}"
            );
        };
        // Every haystack of a generated dataset, with every character it holds and a
        // few it may not.
        let mut ron = Vec::new();
        crate::synth::write_dataset(&mut ron, 300, 3).expect("generate");
        let ds = crate::data::load_bytes(&ron, "gen.ron")
            .expect("valid")
            .dataset;
        let index = Index::new(&ds);
        let hays = index
            .parts
            .iter()
            .flat_map(|part| part.pool.iter().filter_map(move |s| Index::hay(part, s)));
        for hay in hays {
            for p in hay.text.chars().chain("ao1-'z東".chars()) {
                check(hay.text, p);
            }
        }
        // Random strings over separators, punctuation, digits, both cases and CJK.
        let alphabet: Vec<char> = "aAbBoO01 -._/()'!~@[]{}|\\東京ｱ".chars().collect();
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(seed % 12) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            for p in ['a', 'A', 'o', '0', '-', '東', ' '] {
                check(&text, p);
            }
        }
    }

    #[test]
    fn haystacks_come_best_class_first() {
        // `hit_filtered` stops early relying on this order.
        let loaded = crate::data::load_embedded().expect("embedded");
        for p in &loaded.dataset.partners {
            let classes: Vec<i64> = fields(&loaded.dataset, p).map(|f| f.class()).collect();
            assert!(classes.windows(2).all(|w| w[0] >= w[1]), "{classes:?}");
        }
    }

    #[test]
    fn a_haystack_is_small_and_keeps_its_field() {
        // An index holds one per distinct text of every partner.
        assert!(size_of::<Stored>() <= 32, "{}", size_of::<Stored>());
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
        ];
        for f in fields {
            let (tag, index) = f.code();
            assert_eq!(Field::from_code(tag, index), f);
        }
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

    #[test]
    fn query_syntax_parses() {
        let t = parse_query("!uk 'paris ^MED x");
        let kinds: Vec<TermKind> = t.iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            [
                TermKind::Exclude,
                TermKind::Exact,
                TermKind::Prefix,
                TermKind::Fuzzy
            ]
        );
        assert_eq!(t[2].text, "med");
        assert!(parse_query("! ' ^").is_empty());
    }

    #[test]
    fn typo_distance_counts_transpositions_once() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(typo_distance(&c("oxfrod"), &c("oxford"), 1), Some(1));
        assert_eq!(typo_distance(&c("yokohma"), &c("yokohama"), 1), Some(1));
        assert_eq!(typo_distance(&c("abcd"), &c("dcba"), 1), None);
    }
}
