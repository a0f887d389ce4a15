//! Query syntax. A query is space-separated terms, and a partner matches when every
//! term does. Each term is one atom, whose first character picks its kind
//! ([`TermKind`]):
//!
//! - `foo`: fuzzy. Some field holds `f`, `o`, `o` in that order; when no partner
//!   matches so strictly, a word of a field one typo away from a term of five or more
//!   characters will do.
//! - `'foo`: exact. Some field holds `foo` as a substring.
//! - `^foo`: prefix. Some field starts with `foo`.
//! - `!foo`: exclusion. No field holds `foo` as a substring.
//!
//! Only the first character is syntax: `!'foo` excludes `'foo`, and `foo!` is fuzzy. A
//! term that is a prefix alone (`!`, `'`, `^`) is dropped. What follows the prefix is
//! normalised as haystacks are ([`normalize`]), so case, width and kana do not count,
//! and a query with no terms left matches every partner.

use super::normalize::{char_mask, normalize};

/// How a term is to be matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    /// Fuzzy (the default): the term's characters in order. Ranked by where they
    /// fall: the start of a field or word, then one run, then scattered; a one-typo
    /// match counts only when nothing matches strictly.
    Fuzzy,
    /// `'term`: an exact substring (ranked higher at the start of a word); no typo.
    Exact,
    /// `^term`: a prefix of a whole field, not of a word inside it; no typo.
    Prefix,
    /// `!term`: no field may contain it as a substring. It ranks nothing, and it
    /// weakens as it grows (see [`narrows`]).
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

/// The fewest characters a fuzzy term has for a word one typo away to match it (in
/// a shorter one a typo leaves too little).
pub(super) const TYPO_FROM: usize = 5;

impl Term {
    /// The term's only character, when it has one (the first keystroke of a query).
    #[inline]
    pub(super) fn one_char(&self) -> Option<char> {
        let mut chars = self.text.chars();
        chars.next().filter(|_| chars.next().is_none())
    }

    /// Whether a word one typo away can match it: a fuzzy term of [`TYPO_FROM`]
    /// characters or more. A pass allowing typos finds nothing more than the strict
    /// one unless some term can.
    pub fn may_typo(&self) -> bool {
        self.kind == TermKind::Fuzzy && self.text.chars().nth(TYPO_FROM - 1).is_some()
    }

    /// How many of its characters' bits ([`char_mask`]) a text may lack and still
    /// match it: none strictly; one with `typo` for a term that may have one (a word
    /// one edit away from it has all its characters but one at most, and a bit
    /// missing from a text's mask is a character missing from the text).
    #[inline]
    pub(super) fn spare_bits(&self, typo: bool) -> u32 {
        u32::from(typo && self.may_typo())
    }
}

/// Whether a text whose mask is `mask` lacks more of `need`'s bits than `spare`.
#[inline]
pub(super) fn lacks(need: u64, mask: u64, spare: u32) -> bool {
    let missing = need & !mask;
    missing != 0 && (spare == 0 || missing.count_ones() > spare)
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

/// Whether the matches of `query` are among the matches of `previous` (`terms` are
/// `query`'s, parsed), so that a search for `query` need only look at those: the search
/// bar's narrowing while the user types on.
///
/// That holds when `previous` has something in it and `query` only adds to its end:
/// each kind of atom matches fewer partners as it grows (a fuzzy term's characters in
/// order include the shorter term's, a longer substring or prefix contains the shorter
/// one), and an added term is one more condition. An exclusion is the other way round:
/// `!ab` excludes fewer partners than `!a` and could let old misses back in, so a
/// query with one never narrows.
///
/// Not checked here, left to the caller: the filters must be the same, and the
/// previous ranking must have been strict (a one-typo ranking is not the strict
/// matches).
///
/// Typing on is judged on the terms as they are searched, not only on the typed text:
/// normalisation can join what is typed next to what came before (half-width `ｶ` then
/// `ﾞ` is `ガ`, which does not hold `カ`), so each earlier term must still be the start
/// of its term, of the same kind, after normalisation.
pub fn narrows(previous: &str, query: &str, terms: &[Term]) -> bool {
    if previous.trim().is_empty()
        || !query.starts_with(previous)
        || terms.iter().any(|t| t.kind == TermKind::Exclude)
    {
        return false;
    }
    let before = parse_query(previous);
    before.len() <= terms.len()
        && before
            .iter()
            .zip(terms)
            .all(|(old, new)| old.kind == new.kind && new.text.starts_with(&old.text))
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// `narrows` for a query typed on from `previous`.
    fn narrows_to(previous: &str, query: &str) -> bool {
        narrows(previous, query, &parse_query(query))
    }

    #[test]
    fn a_query_typed_on_narrows() {
        assert!(narrows_to("osa", "osak"));
        assert!(narrows_to("osa", "osa "));
        assert!(narrows_to("osa", "osa ky"));
        assert!(narrows_to("'osa", "'osaka"));
        assert!(narrows_to("^os", "^osa ^k"));
        // A term of only its prefix matched everyone; any term matches fewer.
        assert!(narrows_to("osa '", "osa 'k"));
    }

    #[test]
    fn a_query_changed_elsewhere_does_not_narrow() {
        assert!(!narrows_to("osa", "os"));
        assert!(!narrows_to("osa", "oka"));
        assert!(!narrows_to("osa", " osa"));
        assert!(!narrows_to("osa", "^osa"));
        // An empty previous query is no narrower than all partners.
        assert!(!narrows_to("", "osa"));
        assert!(!narrows_to("  ", "  osa"));
        // Half-width kana: the voicing mark joins the letter before it (ｶﾞ is ガ), so
        // the longer query does not hold the shorter one's term.
        assert!(!narrows_to("ｶ", "ｶﾞ"));
        assert!(narrows_to("ｶﾞ", "ｶﾞｲ"));
    }

    #[test]
    fn an_exclusion_never_narrows() {
        // `!ab` excludes fewer than `!a`: old misses could match again.
        assert!(!narrows_to("osa !k", "osa !ky"));
        assert!(!narrows_to("osa", "osa !k"));
        assert!(!narrows_to("!k osa", "!k osak"));
    }
}
