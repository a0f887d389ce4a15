//! Query matching: one engine for the browser's search bar and (later) the commands.
//!
//! A query is space-separated terms; each must match some searchable field of a partner
//! (names in both languages, short name, aliases). A term that starts a field or a word
//! of it beats a scattered fuzzy match; a match on a name beats one on an alias. The
//! result keeps, per field, the character positions that matched, so the view can
//! highlight exactly the cells the user's letters landed on.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::data::{Lang, Partner};

/// A searchable field of a partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The name in one language.
    Name(Lang),
    /// The short name.
    Short,
    /// The n-th alias.
    Alias(usize),
}

/// One partner that matched, with its score and highlight positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index into the dataset's partners.
    pub partner: usize,
    /// Higher is better.
    pub score: i64,
    /// Matched character positions, per field.
    pub marks: Vec<(Field, Vec<usize>)>,
}

impl Hit {
    /// Matched character positions in `field` (empty when none).
    pub fn marks_in(&self, field: Field) -> &[usize] {
        self.marks
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(&[], |(_, v)| v.as_slice())
    }

    /// The alias that matched, if the match was on an alias.
    pub fn alias(&self) -> Option<(usize, &[usize])> {
        self.marks.iter().find_map(|(f, v)| match f {
            Field::Alias(i) => Some((*i, v.as_slice())),
            _ => None,
        })
    }
}

/// The fuzzy matcher, reused across keystrokes.
pub struct Matcher {
    inner: SkimMatcherV2,
}

impl Default for Matcher {
    fn default() -> Self {
        Matcher {
            inner: SkimMatcherV2::default().ignore_case(),
        }
    }
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Matcher")
    }
}

// Bonuses on top of the fuzzy score: a term that is a prefix of a field or of one of its
// words is what a person means when they type the first letters of a name.
const EXACT_BONUS: i64 = 1500;
const PREFIX_BONUS: i64 = 1000;
const WORD_BONUS: i64 = 600;
const SUBSTRING_BONUS: i64 = 300;
// A name match outranks the same match on an alias.
const NAME_BONUS: i64 = 50;

fn fields(p: &Partner) -> Vec<(Field, &str)> {
    let mut v = vec![
        (Field::Name(Lang::Ja), p.name.ja.as_str()),
        (Field::Name(Lang::En), p.name.en.as_str()),
    ];
    if let Some(s) = &p.short {
        v.push((Field::Short, s.as_str()));
    }
    v.extend(
        p.aliases
            .iter()
            .enumerate()
            .map(|(i, a)| (Field::Alias(i), a.as_str())),
    );
    v
}

impl Matcher {
    /// Scores one term against one text; `None` when it does not match.
    fn term(&self, text: &str, term: &str) -> Option<(i64, Vec<usize>)> {
        let (score, indices) = self.inner.fuzzy_indices(text, term)?;
        let lower = text.to_lowercase();
        let t = term.to_lowercase();
        let bonus = if lower == t {
            EXACT_BONUS
        } else if lower.starts_with(&t) {
            PREFIX_BONUS
        } else if lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w.starts_with(&t))
        {
            WORD_BONUS
        } else if lower.contains(&t) {
            SUBSTRING_BONUS
        } else {
            0
        };
        Some((score + bonus, indices))
    }

    /// Matches a partner against all terms; every term must match some field.
    pub fn hit(&self, index: usize, p: &Partner, query: &str) -> Option<Hit> {
        let mut total = 0;
        let mut marks: Vec<(Field, Vec<usize>)> = Vec::new();
        for term in query.split_whitespace() {
            let mut best: Option<(i64, Field, Vec<usize>)> = None;
            // The best match among the fields a row displays, for highlighting: when a
            // name matches well, light it up rather than an alias that scored higher.
            let mut best_name: Option<(i64, Field, Vec<usize>)> = None;
            for (field, text) in fields(p) {
                if let Some((mut s, idx)) = self.term(text, term) {
                    if matches!(field, Field::Name(_) | Field::Short) {
                        s += NAME_BONUS;
                        if s >= WORD_BONUS && best_name.as_ref().is_none_or(|b| s > b.0) {
                            best_name = Some((s, field, idx.clone()));
                        }
                    }
                    if best.as_ref().is_none_or(|b| s > b.0) {
                        best = Some((s, field, idx));
                    }
                }
            }
            let (s, mut field, mut idx) = best?;
            if let Some((_, f, i)) = best_name {
                field = f;
                idx = i;
            }
            total += s;
            match marks.iter_mut().find(|(f, _)| *f == field) {
                Some((_, v)) => {
                    v.extend(idx);
                    v.sort_unstable();
                    v.dedup();
                }
                None => marks.push((field, idx)),
            }
        }
        Some(Hit {
            partner: index,
            score: total,
            marks,
        })
    }

    /// Ranks `candidates` (indices into `partners`, in date order) for `query`: best
    /// score first, ties in date order. An empty query keeps every candidate in order.
    pub fn rank(&self, partners: &[Partner], candidates: &[usize], query: &str) -> Vec<Hit> {
        if query.trim().is_empty() {
            return candidates
                .iter()
                .map(|&i| Hit {
                    partner: i,
                    score: 0,
                    marks: Vec::new(),
                })
                .collect();
        }
        let mut hits: Vec<Hit> = candidates
            .iter()
            .filter_map(|&i| self.hit(i, &partners[i], query))
            .collect();
        // Stable sort: equal scores stay in date order.
        hits.sort_by_key(|h| std::cmp::Reverse(h.score));
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::load_embedded;

    fn top(query: &str) -> Vec<String> {
        let ds = load_embedded().expect("data").dataset;
        let all: Vec<usize> = (0..ds.partners.len()).collect();
        Matcher::default()
            .rank(&ds.partners, &all, query)
            .iter()
            .map(|h| ds.partners[h.partner].id.clone())
            .collect()
    }

    #[test]
    fn short_name_ranks_first() {
        assert_eq!(top("ucla")[0], "ucla");
        assert_eq!(top("osaka")[0], "osaka");
        assert_eq!(top("横浜")[0], "yokohama");
    }

    #[test]
    fn all_terms_must_match() {
        assert_eq!(top("california los")[0], "ucla");
        assert!(top("zzzz").is_empty());
    }

    #[test]
    fn marks_point_at_the_matched_characters() {
        let ds = load_embedded().expect("data").dataset;
        let i = ds
            .partners
            .iter()
            .position(|p| p.id == "yokohama")
            .expect("y");
        let h = Matcher::default()
            .hit(i, &ds.partners[i], "横浜")
            .expect("hit");
        assert_eq!(h.marks_in(Field::Name(Lang::Ja)), &[0, 1]);
    }
}
