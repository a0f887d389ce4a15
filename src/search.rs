//! Query matching: one engine for the browser's search bar and the `search` / `show`
//! commands.
//!
//! Query and haystacks are normalised the same way (Unicode NFKC, case folding, hiragana
//! folded to katakana, variant kanji folded to one form, Latin diacritics and variation
//! selectors dropped), keeping a map
//! back to the original characters so highlights land on the right cells. A query is
//! space-separated terms that must all match (`!term` excludes, `'term` needs an exact
//! substring, `^term` a prefix). Ranking, per term: whole-word or prefix matches beat
//! contiguous substrings, which beat scattered fuzzy matches, which beat one-typo
//! matches; then names beat aliases, which beat places and countries, which beat region
//! and kind words; then an exact field match; then fuzzy-matcher's score; ties keep
//! date order.
//!
//! The layers, each using only those above it: `field` (what is searched),
//! `variants` (異体字), `normalize` (text as matched), `query` (query syntax), `score` (one term in
//! one haystack), `parallel` (work over the cores), `index` (the stored haystacks),
//! `hit` (one partner against a query), `letters` (the one-letter queries ranked ahead
//! of time), `rank` (a ranking of candidates), `ordinal` (a query that is a
//! partnership's number).

mod field;
mod hit;
mod index;
mod letters;
mod normalize;
mod ordinal;
mod parallel;
mod query;
mod rank;
mod score;
mod variants;

pub use field::{Field, field_intro, field_text};
pub use hit::Hit;
pub use index::{BuiltPart, Index, IndexPart};
pub use letters::{LETTERS, LoadTable};
pub use normalize::{char_mask, normalize};
pub use ordinal::{ordinal_query, put_first};
pub(crate) use parallel::per_core;
pub use query::{Term, TermKind, narrows, parse_query};
pub use rank::{Ranking, Scan};
