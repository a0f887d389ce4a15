//! Matching one term against one haystack, and the rank key of the match. Per term,
//! whole-word or prefix matches beat contiguous substrings, which beat scattered fuzzy
//! matches, which beat one-typo matches (the tier); then names beat aliases, which beat
//! places and countries, which beat region and kind words (the field's class); then
//! an exact field match; then fuzzy-matcher's score.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use super::field::Field;
use super::query::{TYPO_FROM, Term, TermKind};

/// Rank key of one term's match: compared lexicographically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(super) struct Key {
    pub(super) tier: i64,
    pub(super) class: i64,
    pub(super) exact: i64,
    pub(super) score: i64,
}

pub(super) const TIER_WORD: i64 = 3;
const TIER_SUBSTRING: i64 = 2;
const TIER_FUZZY: i64 = 1;
const TIER_TYPO: i64 = 0;
/// A score not computed yet (see `match_term`).
pub(super) const DEFERRED: i64 = i64::MIN;
/// In [`Hay::slot`]: a haystack of one partner's own.
pub(super) const NOT_SHARED: u64 = u64::MAX;

impl Key {
    /// Adds `k` to a hit's total over its terms.
    pub(super) fn add(&mut self, k: Key) {
        self.tier += k.tier;
        self.class += k.class;
        self.exact += k.exact;
        self.score += k.score;
    }

    /// The part of the key known without the fuzzy score.
    pub(super) fn group(&self) -> (i64, i64, i64) {
        (self.tier, self.class, self.exact)
    }
}

/// One normalised haystack, as matched.
#[derive(Debug, Clone, Copy)]
pub(super) struct Hay<'a> {
    pub(super) field: Field,
    pub(super) text: &'a str,
    /// Per character of `text`, the character of the field it came from; `None` when
    /// that is the same position.
    pub(super) origin: Option<&'a [u32]>,
    /// Where a shared haystack (one many partners refer to: a place, a country, a
    /// person...) lies in the index, for a search to match it once per term (see
    /// `Memo` in `hit`); [`NOT_SHARED`] for a partner's own.
    pub(super) slot: u64,
    /// The text is ASCII: bytes are characters.
    pub(super) ascii: bool,
}

/// A term's match in one haystack: its key, and the matched character positions of
/// the normalised text (empty unless asked for).
pub(super) type Found = (Key, Vec<usize>);

/// Scores terms against haystacks with fuzzy-matcher's matcher.
pub(super) struct Scorer {
    /// A fresh matcher for each score (see [`Fresh`]).
    matcher: Fresh,
}

/// Skim's matcher, ignoring case, scoring every text as a matcher made anew would.
/// fuzzy-matcher 0.3.7 keeps a score matrix per thread and does not reset every cell
/// of it before reusing it (a matched cell's `bonus` is read before this score wrote
/// it), so a score could depend on the texts scored before it on the same thread: the
/// ranking of a search then depended on how its candidates were split between the
/// cores (`tests/fastpaths.rs` found it). Its option to drop the matrix after each
/// score (`use_cache(false)`) panics in that version, and a new matcher per score
/// costs a dozen allocations (its three per-thread caches, their vectors), which was
/// most of the time of ranking a large group by its scores.
///
/// So each thread keeps one matcher, and before each score has it score `"a"` in
/// `"a"`: that leaves its matrix 4 cells long, and the next score extends it with
/// fresh cells. Those first 4 cells are in the first row of any matrix the next score
/// can build (its text has 3 characters or more, or it has 2 and the fourth cell is
/// reset before it is read, or it does not match before the matrix is made), and that
/// row is reset at the start of every score. `reused_matcher_scores_as_a_new_one`
/// checks it against a matcher made anew.
struct Fresh;

thread_local! {
    static MATCHER: SkimMatcherV2 = SkimMatcherV2::default().ignore_case();
}

impl Fresh {
    /// `f` with this thread's matcher, its matrix as a new matcher's.
    #[inline]
    fn with<R>(f: impl FnOnce(&SkimMatcherV2) -> R) -> R {
        MATCHER.with(|m| {
            let _ = m.fuzzy_match("a", "a");
            f(m)
        })
    }

    /// What the matcher scores `term` in `text` (see [`skim_score`]).
    fn fuzzy_match(&self, text: &str, term: &str) -> Option<i64> {
        SCRATCH.with(|s| skim_score(text, term, &mut s.borrow_mut()))
    }

    fn fuzzy_indices(&self, text: &str, term: &str) -> Option<(i64, Vec<usize>)> {
        Fresh::with(|m| m.fuzzy_indices(text, term))
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// The buffers [`skim_score`] works in, kept between scores.
#[derive(Default)]
struct Scratch {
    text: Vec<char>,
    term: Vec<char>,
    first: Vec<usize>,
    bonus: Vec<i32>,
    /// Two rows of cells, one after the other: `M` scores, `P` scores, bonuses.
    m: Vec<i32>,
    p: Vec<i32>,
    b: Vec<i32>,
}

/// The kinds of character fuzzy-matcher's matcher tells apart for its position
/// bonuses.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Empty,
    Upper,
    Lower,
    Number,
    HardSep,
    SoftSep,
}

impl Kind {
    fn of(c: char) -> Kind {
        match c {
            '\0' => Kind::Empty,
            ' ' | '/' | '\\' | '|' | '(' | ')' | '[' | ']' | '{' | '}' => Kind::HardSep,
            '!'..='\'' | '*'..='.' | ':'..='@' | '^'..='`' | '~' => Kind::SoftSep,
            '0'..='9' => Kind::Number,
            'A'..='Z' => Kind::Upper,
            _ => Kind::Lower,
        }
    }

    /// The matcher's bonus for a character of kind `cur` after one of kind `prev`: 8
    /// at a word's head (half a match), 7 after punctuation, 6 at a camel hump, 0
    /// inside a word.
    fn bonus(prev: Kind, cur: Kind) -> i32 {
        match (prev, cur) {
            (Kind::Empty | Kind::HardSep, _) => 8,
            (Kind::SoftSep, _) => 7,
            (Kind::Lower | Kind::Number, Kind::Upper) => 6,
            _ => 0,
        }
    }
}

/// What `SkimMatcherV2::default().ignore_case().fuzzy_match(text, term)` gives, as
/// that matcher made anew computes it (its score matrix in two rows, every cell fresh),
/// without its allocations: it is the tie-break of every word and substring match
/// within a group, and ordering a large group (143,000 names with a word starting
/// "un" at 1M) was mostly the matcher's set-up. The same steps in the same order, so
/// the same score, cells read before this score writes them included;
/// `reused_matcher_scores_as_a_new_one` checks it against the matcher on random texts
/// and on every haystack of a generated dataset. Positions (marks) still come from the
/// matcher itself.
fn skim_score(text: &str, term: &str, s: &mut Scratch) -> Option<i64> {
    // The matcher's defaults: a match 16, a gap -3 to start and -1 a character, a head
    // 8 (doubled at the start), a break 7, a camel hump 6, consecutive 4, a case
    // mismatch -2.
    const MATCH: i32 = 16;
    const GAP_START: i32 = -3;
    const GAP_EXTEND: i32 = -1;
    const CONSECUTIVE: i32 = 4;
    const CASE_MISMATCH: i32 = -2;
    const NEG: i32 = i16::MIN as i32;
    if term.is_empty() {
        return Some(0);
    }
    let Scratch {
        text: c,
        term: p,
        first,
        bonus,
        m,
        p: skip,
        b,
    } = s;
    c.clear();
    c.extend(text.chars());
    p.clear();
    p.extend(term.chars());
    // The first place each term character can match, in order; none: no match.
    first.clear();
    let mut want = p.iter().peekable();
    for (j, ch) in c.iter().enumerate() {
        match want.peek() {
            Some(t) if ch.eq_ignore_ascii_case(t) => {
                first.push(j);
                want.next();
            }
            Some(_) => {}
            None => break,
        }
    }
    if want.peek().is_some() {
        return None;
    }
    let cols = c.len() + 1;
    // The bonus of each position of the text, by the kinds of it and the one before.
    bonus.clear();
    bonus.push(0);
    let mut prev = Kind::Empty;
    for &ch in c.iter() {
        let cur = Kind::of(ch);
        bonus.push(Kind::bonus(prev, cur));
        prev = cur;
    }
    if let Some(b1) = bonus.get_mut(1) {
        *b1 *= 2;
    }
    // Two rows of fresh cells; row 0 set as the matcher sets it.
    for v in [&mut *m, &mut *skip] {
        v.clear();
        v.resize(2 * cols, NEG);
    }
    b.clear();
    b.resize(2 * cols, 0);
    let at = |row: usize, col: usize| row * cols + col;
    // The matcher resets row 0 (its gap scores then -1) and, in row 1, the cell of the
    // first character's first match: both as fresh cells already but the gap scores.
    for cell in skip.iter_mut().take(cols) {
        *cell = GAP_EXTEND;
    }
    for (i, &pc) in p.iter().enumerate() {
        let (row, row_prev) = ((i + 1) & 1, i & 1);
        for col in first[i] + 1..cols {
            let (cur, last, diag) = (at(row, col), at(row, col - 1), at(row_prev, col - 1));
            let ch = c[col - 1];
            if ch.eq_ignore_ascii_case(&pc) {
                let score = (MATCH + if ch == pc { 0 } else { CASE_MISMATCH }).max(0);
                let here = bonus[col];
                let consecutive = b[last].max(here.max(CONSECUTIVE));
                b[last] = consecutive;
                m[cur] = (m[diag] + consecutive).max(skip[diag] + here) + score;
            } else {
                m[cur] = NEG;
                b[cur] = 0;
            }
            skip[cur] = (GAP_START + GAP_EXTEND + m[last]).max(GAP_EXTEND + skip[last]);
        }
    }
    let last_row = p.len() & 1;
    let from = *first.last()?;
    m[at(last_row, from)..at(last_row, cols)]
        .iter()
        .max()
        .map(|&v| i64::from(v))
}

impl Scorer {
    /// The scorer the rankings are made with.
    pub(super) fn new() -> Scorer {
        Scorer { matcher: Fresh }
    }

    /// fuzzy-matcher's score of `term` in `text` (0 when it does not match), the last
    /// part of a rank key. For a one-character term the score has a closed form (the
    /// best position bonus of the character; see [`one_char_score`]), which spares
    /// running the matcher on nearly every partner for the first keystroke of a query.
    #[inline]
    pub(super) fn tie_score(&self, text: &str, term: &Term) -> i64 {
        match term.one_char() {
            Some(c) => one_char_score(text, c).unwrap_or(0),
            None => self.matcher.fuzzy_match(text, &term.text).unwrap_or(0),
        }
    }

    /// Matches one fuzzy/exact/prefix term against one haystack. With `typo`, a word
    /// one typo away matches too; with `want_idx`, the positions are filled; with
    /// `quick`, word and substring matches leave their fuzzy tie-break [`DEFERRED`] for
    /// the caller to compute for the haystacks still in the running (see
    /// `best_hay` in `hit.rs`).
    #[inline]
    pub(super) fn match_term(
        &self,
        hay: &Hay<'_>,
        term: &Term,
        typo: bool,
        want_idx: bool,
        quick: bool,
    ) -> Option<Found> {
        let m = Attempt {
            scorer: self,
            hay,
            term,
            tlen: term.text.chars().count(),
            class: hay.field.class(),
            exact: i64::from(hay.text == term.text.as_str()),
            want_idx,
            quick,
        };
        // One character in ASCII text (the first keystroke, matching nearly
        // everyone): one memchr pass finds what the three searches of `fuzzy` would.
        if quick
            && !want_idx
            && term.kind == TermKind::Fuzzy
            && hay.ascii
            && let Some(c) = term.one_char()
        {
            return m.one_ascii_char(c);
        }
        match term.kind {
            TermKind::Prefix => m.prefix(),
            TermKind::Exact => m.exact(),
            TermKind::Exclude => None,
            TermKind::Fuzzy => m.fuzzy(typo),
        }
    }
}

/// One term tried against one haystack: what every way of matching it needs.
struct Attempt<'s, 'h> {
    scorer: &'s Scorer,
    hay: &'s Hay<'h>,
    term: &'s Term,
    /// The term's length in characters.
    tlen: usize,
    class: i64,
    exact: i64,
    want_idx: bool,
    quick: bool,
}

impl Attempt<'_, '_> {
    #[inline]
    fn key(&self, tier: i64, score: i64) -> Key {
        Key {
            tier,
            class: self.class,
            exact: self.exact,
            score,
        }
    }

    /// The term's positions when it stands at `byte_at` of the text.
    #[inline]
    fn span(&self, byte_at: usize) -> Vec<usize> {
        if !self.want_idx {
            return Vec::new();
        }
        let start = self.hay.text[..byte_at].chars().count();
        (start..start + self.tlen).collect()
    }

    /// Word and substring matches use the fuzzy score only to break ties: with `quick`
    /// it is left for later.
    #[inline]
    fn fuzzy_score(&self) -> i64 {
        if self.quick {
            DEFERRED
        } else {
            self.scorer
                .matcher
                .fuzzy_match(self.hay.text, &self.term.text)
                .unwrap_or(0)
        }
    }

    /// A one-character term `c` in ASCII text: the field's start or a word's (see
    /// [`word_starts`]), else any occurrence; with its score, found in the same pass
    /// (see [`one_ascii_char_score`]).
    #[inline]
    fn one_ascii_char(&self, c: char) -> Option<Found> {
        let Ok(c) = u8::try_from(c) else {
            return None;
        };
        let b = self.hay.text.as_bytes();
        let (mut seen, mut word) = (false, false);
        let score = one_ascii_char_score(b, c, |i| {
            seen = true;
            word |= i == 0 || (self.term.word && !b[i - 1].is_ascii_alphanumeric());
        });
        let tier = if word { TIER_WORD } else { TIER_SUBSTRING };
        seen.then(|| (self.key(tier, score.unwrap_or(0)), Vec::new()))
    }

    /// `^term`: a prefix of the field.
    #[inline]
    fn prefix(&self) -> Option<Found> {
        self.hay
            .text
            .starts_with(self.term.text.as_str())
            .then(|| (self.key(TIER_WORD, self.fuzzy_score()), self.span(0)))
    }

    /// `'term`: a substring, ranked as a word match where a word starts with it.
    #[inline]
    fn exact(&self) -> Option<Found> {
        let (t, text) = (self.term.text.as_str(), self.hay.text);
        if t.len() > text.len() {
            return None;
        }
        let at = text.find(t)?;
        let tier = if word_starts(text).any(|(_, b)| b == at) {
            TIER_WORD
        } else {
            TIER_SUBSTRING
        };
        Some((self.key(tier, self.fuzzy_score()), self.span(at)))
    }

    /// A fuzzy term: a word's prefix, then a substring, then in order, then (with
    /// `typo`) one typo in a word.
    #[inline]
    fn fuzzy(&self, typo: bool) -> Option<Found> {
        let (t, text) = (self.term.text.as_str(), self.hay.text);
        // A term longer than the text can only match it with a typo; `find` would
        // build its searcher for the term first, for every haystack.
        let fits = t.len() <= text.len();
        if self.quick && !self.want_idx {
            // Neither positions nor a score wanted: one pass finds both kinds of match.
            if fits && let Some(word) = locate(text, t, self.term.word) {
                let tier = if word { TIER_WORD } else { TIER_SUBSTRING };
                return Some((self.key(tier, DEFERRED), Vec::new()));
            }
        } else {
            if let Some(found) = self.word_prefix() {
                return Some(found);
            }
            if fits && let Some(at) = text.find(t) {
                return Some((self.key(TIER_SUBSTRING, self.fuzzy_score()), self.span(at)));
            }
        }
        if !self.hay.field.scatters() {
            return None;
        }
        // The fuzzy matcher matches exactly when the term's characters occur in order
        // (its score is then only needed to break ties, like the ones above): checking
        // that is much cheaper than running it.
        let in_order = fits
            && if self.hay.ascii && t.is_ascii() {
                is_subsequence_ascii(t.as_bytes(), text.as_bytes())
            } else {
                is_subsequence(t, text)
            };
        if self.quick && !typo {
            if !in_order {
                return None;
            }
            if !self.want_idx {
                return Some((self.key(TIER_FUZZY, DEFERRED), Vec::new()));
            }
        }
        // Out of order, the matcher cannot match: only a typo can (a long term's
        // matrix against every haystack would otherwise make the typo pass crawl).
        if in_order && let Some(found) = self.scattered() {
            return Some(found);
        }
        if typo { self.one_typo() } else { None }
    }

    /// The prefix of the field or of one of its words.
    #[inline]
    fn word_prefix(&self) -> Option<Found> {
        let (t, text) = (self.term.text.as_str(), self.hay.text);
        if text.starts_with(t) {
            return Some((self.key(TIER_WORD, self.fuzzy_score()), self.span(0)));
        }
        // A word's prefix: only a term of letters and digits can be one.
        if self.term.word {
            for (start, b) in word_starts(text) {
                if text[b..].starts_with(t) {
                    let idx = if self.want_idx {
                        (start..start + self.tlen).collect()
                    } else {
                        Vec::new()
                    };
                    return Some((self.key(TIER_WORD, self.fuzzy_score()), idx));
                }
            }
        }
        None
    }

    /// The term's characters scattered in order, as fuzzy-matcher scores them.
    #[inline]
    fn scattered(&self) -> Option<Found> {
        let (t, text) = (self.term.text.as_str(), self.hay.text);
        let matcher = &self.scorer.matcher;
        if self.want_idx {
            let (score, idx) = matcher.fuzzy_indices(text, t)?;
            Some((self.key(TIER_FUZZY, score), idx))
        } else {
            let score = matcher.fuzzy_match(text, t)?;
            Some((self.key(TIER_FUZZY, score), Vec::new()))
        }
    }

    /// One typo (transposition, insertion, deletion, substitution) in a word, for
    /// terms long enough that one typo still says something.
    fn one_typo(&self) -> Option<Found> {
        let (t, text, tlen) = (self.term.text.as_str(), self.hay.text, self.tlen);
        // A word within one typo has at least tlen - 1 characters, so at least as many
        // bytes: shorter texts are passed over without splitting them into words.
        if tlen < TYPO_FROM || text.len() + 1 < tlen {
            return None;
        }
        let tc: Vec<char> = t.chars().collect();
        let chars: Vec<char> = text.chars().collect();
        for (start, end) in word_spans(&chars) {
            let w = &chars[start..end];
            // Compare with the whole word and with its prefix of similar length, so
            // a partly typed word with a typo still matches.
            for len in [w.len(), tlen.min(w.len()), (tlen + 1).min(w.len())] {
                if let Some(d) = one_edit_apart(&tc, &w[..len]) {
                    let score = 10 - d as i64;
                    let idx = match self.want_idx {
                        true => (start..start + len).collect(),
                        false => Vec::new(),
                    };
                    return Some((self.key(TIER_TYPO, score), idx));
                }
            }
        }
        None
    }
}

/// The optimal string alignment distance of `a` and `b` when it is 0 or 1 (equal, or
/// one character substituted, inserted, deleted, or two neighbours swapped), else
/// `None`: what the capped distance says, found by comparing the two from either end
/// instead of filling its matrix.
fn one_edit_apart(a: &[char], b: &[char]) -> Option<usize> {
    let Some(i) = a.iter().zip(b).position(|(x, y)| x != y) else {
        // One is the other, or the other with one character more at its end.
        return match a.len().abs_diff(b.len()) {
            0 => Some(0),
            1 => Some(1),
            _ => None,
        };
    };
    let one = match a.len() as isize - b.len() as isize {
        0 => {
            a[i + 1..] == b[i + 1..]
                || (a.get(i + 1) == b.get(i)
                    && a.get(i) == b.get(i + 1)
                    && a.get(i + 2..) == b.get(i + 2..))
        }
        1 => a[i + 1..] == b[i..],
        -1 => a[i..] == b[i + 1..],
        _ => false,
    };
    one.then_some(1)
}

/// Where the words of a normalised text start: (char index, byte index).
#[inline]
fn word_starts(text: &str) -> WordStarts<'_> {
    WordStarts {
        chars: text.char_indices().enumerate(),
        prev: false,
    }
}

/// The iterator of [`word_starts`]: a type of its own rather than a closure, so that
/// the scan inlines into the matching loop of another module (a closure's body stays
/// in the module that defines it).
struct WordStarts<'a> {
    chars: std::iter::Enumerate<std::str::CharIndices<'a>>,
    /// Whether the character before was a letter or digit.
    prev: bool,
}

impl Iterator for WordStarts<'_> {
    type Item = (usize, usize);

    #[inline]
    fn next(&mut self) -> Option<(usize, usize)> {
        for (i, (b, c)) in self.chars.by_ref() {
            let alnum = c.is_alphanumeric();
            let start = alnum && !self.prev;
            self.prev = alnum;
            if start {
                return Some((i, b));
            }
        }
        None
    }
}

/// What [`Attempt::word_prefix`] and then `find` say of the non-empty term `t` in
/// `text`, in one pass over the places where `t`'s first byte occurs: `Some(true)` when
/// `text` starts with `t` or (`word`: `t` is letters and digits) one of its words does,
/// `Some(false)` when `t` is only a substring, `None` when it is not in `text`. A
/// match of one string's UTF-8 in another's always starts on a character.
#[inline]
fn locate(text: &str, t: &str, word: bool) -> Option<bool> {
    let (b, tb) = (text.as_bytes(), t.as_bytes());
    let &first = tb.first()?;
    let mut inside = false;
    for i in memchr::memchr_iter(first, b) {
        if !b[i..].starts_with(tb) {
            continue;
        }
        // The character before is not a letter or digit: a word starts at `i` (`t`'s
        // first character is one).
        let after_word = |i: usize| match b[i - 1] {
            c if c.is_ascii() => c.is_ascii_alphanumeric(),
            _ => text[..i]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric),
        };
        if i == 0 || (word && !after_word(i)) {
            return Some(true);
        }
        inside = true;
    }
    inside.then_some(false)
}

/// Whether the characters of `needle` occur in `hay` in order.
#[inline]
fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut h = hay.chars();
    needle.chars().all(|n| h.any(|c| c == n))
}

/// [`is_subsequence`] of ASCII text by bytes, a `memchr` per character.
#[inline]
fn is_subsequence_ascii(needle: &[u8], hay: &[u8]) -> bool {
    let mut at = 0;
    for &n in needle {
        match hay.get(at..).and_then(|rest| memchr::memchr(n, rest)) {
            Some(i) => at += i + 1,
            None => return false,
        }
    }
    true
}

/// Where the words of a normalised text's characters are: runs of letters and
/// digits, as ranges of character indices.
fn word_spans(chars: &[char]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = at + chars.get(at..)?.iter().position(|c| c.is_alphanumeric())?;
        let len = chars[start..]
            .iter()
            .position(|c| !c.is_alphanumeric())
            .unwrap_or(chars.len() - start);
        at = start + len;
        Some((start, at))
    })
}

/// [`one_char_score`] for ASCII text `b` and an ASCII character `p`, by bytes: `at` is
/// told every position where `p` occurs (as it is, not in the other case). The tests
/// check it against `one_char_score`.
#[inline]
fn one_ascii_char_score(b: &[u8], p: u8, mut at: impl FnMut(usize)) -> Option<i64> {
    // Bonuses as in `one_char_score`: a hard separator or the start 8 (doubled at the
    // very start), punctuation 7, a camel hump 6, inside a word 0.
    let bonus = |prev: u8, cur: u8| -> i64 {
        match prev {
            0 | b' ' | b'/' | b'\\' | b'|' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => 8,
            b'!'..=b'\'' | b'*'..=b'.' | b':'..=b'@' | b'^'..=b'`' | b'~' => 7,
            b'A'..=b'Z' => 0,
            _ if cur.is_ascii_uppercase() => 6,
            _ => 0,
        }
    };
    let other = if p.is_ascii_alphabetic() { p ^ 0x20 } else { p };
    let mut best: Option<i64> = None;
    for i in memchr::memchr2_iter(p, other, b) {
        let cur = b[i];
        let b_at = match i {
            0 => 16,
            _ => bonus(b[i - 1], cur),
        };
        let matched = if cur == p {
            at(i);
            16
        } else {
            14
        };
        let score = matched + b_at - 1;
        best = Some(best.map_or(score, |s| s.max(score)));
    }
    best
}

/// What `SkimMatcherV2::default().ignore_case()` scores for the one-character pattern
/// `p` in `text`: the best over the positions where `p` occurs of the match score (16,
/// less 2 when only ASCII case makes them equal) plus the position's bonus (8 at a
/// word's head, doubled at the very start; 7 after punctuation; 6 at a camel hump;
/// 0 inside a word), less 1 for the gap before it. The tests check it against the
/// matcher itself on every haystack of generated datasets and on random strings.
fn one_char_score(text: &str, p: char) -> Option<i64> {
    let mut best: Option<i64> = None;
    let mut prev = '\0';
    for (i, c) in text.chars().enumerate() {
        if c.eq_ignore_ascii_case(&p) {
            let mut b = i64::from(Kind::bonus(Kind::of(prev), Kind::of(c)));
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let index = crate::search::Index::new(&ds);
        for text in index.haystack_texts() {
            for p in text.chars().chain("ao1-'z東".chars()) {
                check(text, p);
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
    fn one_char_scores_by_bytes_are_one_char_scores() {
        // Every pair of ASCII characters around every ASCII character, and random
        // ASCII strings: the score, and the positions told are those of `p` as it is.
        let ascii: Vec<u8> = (0u8..128).collect();
        let check = |text: &[u8], p: u8| {
            let s = std::str::from_utf8(text).expect("ascii");
            let mut told = Vec::new();
            let got = one_ascii_char_score(text, p, |i| told.push(i));
            assert_eq!(got, one_char_score(s, char::from(p)), "{p:?} in {s:?}");
            let want: Vec<usize> = s.match_indices(char::from(p)).map(|(i, _)| i).collect();
            assert_eq!(told, want, "{p:?} in {s:?}");
        };
        for &p in b"aAz0-~ /" {
            for &a in &ascii {
                for &b in &ascii {
                    check(&[a, b], p);
                    check(&[a, p, b], p);
                }
            }
        }
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..20_000 {
            let mut text = Vec::new();
            for _ in 0..(seed % 10) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push(ascii[(seed % 128) as usize]);
            }
            for p in [b'a', b'A', b'q', b'0', b'.'] {
                check(&text, p);
            }
        }
    }

    #[test]
    fn reused_matcher_scores_as_a_new_one() {
        // Texts of every length from 0 to 40 (long ones leave a large matrix behind,
        // short ones then reuse it), with separators, both cases, digits and CJK;
        // patterns of 1 to 8 characters, scored with and without positions, in an
        // order that mixes them.
        let alphabet: Vec<char> = "aAbBnNuU01 -._/()'東京ｱ".chars().collect();
        let mut seed = 0x51_7CC1_B727_220Au64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let fresh = || SkimMatcherV2::default().ignore_case();
        let reused = Fresh;
        for _ in 0..30_000 {
            let len = next(41);
            let text: String = (0..len)
                .map(|_| alphabet[next(alphabet.len() as u64) as usize])
                .collect();
            let plen = 1 + next(8);
            let pattern: String = (0..plen)
                .map(|_| alphabet[next(alphabet.len() as u64) as usize])
                .collect();
            if next(2) == 0 {
                assert_eq!(
                    reused.fuzzy_match(&text, &pattern),
                    fresh().fuzzy_match(&text, &pattern),
                    "{pattern:?} in {text:?}"
                );
            } else {
                assert_eq!(
                    reused.fuzzy_indices(&text, &pattern),
                    fresh().fuzzy_indices(&text, &pattern),
                    "{pattern:?} in {text:?}"
                );
            }
        }
        // Every haystack of a generated dataset, against pieces of itself and of
        // others (words, their starts, letters taken apart).
        let mut ron = Vec::new();
        crate::synth::write_dataset(&mut ron, 200, 5).expect("generate");
        let ds = crate::data::load_bytes(&ron, "gen.ron")
            .expect("valid")
            .dataset;
        let index = crate::search::Index::new(&ds);
        let texts: Vec<&str> = index.haystack_texts().collect();
        let mut checked = 0;
        for (k, text) in texts.iter().enumerate() {
            let other = texts[(k * 7 + 3) % texts.len()];
            let chars: Vec<char> = other.chars().collect();
            let mut patterns: Vec<String> = text.split(' ').map(String::from).collect();
            patterns.extend(
                text.split(' ')
                    .map(|w| w.chars().take(3).collect::<String>()),
            );
            patterns.push(chars.iter().step_by(3).take(5).collect());
            patterns.push(chars.iter().take(2).collect());
            for pattern in patterns.iter().filter(|p| !p.is_empty()) {
                assert_eq!(
                    reused.fuzzy_match(text, pattern),
                    fresh().fuzzy_match(text, pattern),
                    "{pattern:?} in {text:?}"
                );
                checked += 1;
            }
        }
        assert!(checked > 2000, "{checked}");
    }

    #[test]
    fn ascii_subsequences_by_bytes_are_subsequences() {
        let words = [
            "", "a", "os", "osaka", "kobe", "univ sci", "a-b", "zz", "oo",
        ];
        for hay in [
            "",
            "o",
            "osaka university",
            "kobe bio",
            "a-b-c",
            "zoo",
            "sao",
        ] {
            for needle in words {
                assert_eq!(
                    is_subsequence_ascii(needle.as_bytes(), hay.as_bytes()),
                    is_subsequence(needle, hay),
                    "{needle:?} in {hay:?}"
                );
            }
        }
    }

    #[test]
    fn typo_distance_counts_transpositions_once() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(typo_distance(&c("oxfrod"), &c("oxford"), 1), Some(1));
        assert_eq!(typo_distance(&c("yokohma"), &c("yokohama"), 1), Some(1));
        assert_eq!(typo_distance(&c("abcd"), &c("dcba"), 1), None);
    }

    #[test]
    fn one_edit_apart_is_the_capped_distance() {
        // Every pair of words of up to 5 characters over 3 letters (and one kanji),
        // and random longer ones: the comparison from either end against the matrix.
        let letters = ['a', 'b', 'c', '大'];
        let mut words: Vec<Vec<char>> = vec![Vec::new()];
        for len in 1..=5 {
            let mut n: usize = 1;
            for _ in 0..len {
                n *= letters.len();
            }
            for mut k in 0..n {
                let mut w = Vec::new();
                for _ in 0..len {
                    w.push(letters[k % letters.len()]);
                    k /= letters.len();
                }
                words.push(w);
            }
        }
        let short: Vec<&Vec<char>> = words.iter().filter(|w| w.len() <= 4).collect();
        for a in &short {
            for b in &words {
                assert_eq!(one_edit_apart(a, b), typo_distance(a, b, 1), "{a:?} {b:?}");
                assert_eq!(one_edit_apart(b, a), typo_distance(b, a, 1), "{b:?} {a:?}");
            }
        }
    }

    /// The optimal string alignment distance of `a` and `b`, capped: `None` when above
    /// `max` (the matrix [`one_edit_apart`] is checked against).
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
}
