//! The data layer: the dataset's schema, loading it from RON, and validating it.
//!
//! A dataset declares its own vocabularies (regions, kinds, countries), so linkj can browse
//! any partnership network, not only LINK-J's. Everything that comes from a file is
//! untrusted: loading never panics, and every failure is one sentence with a location.
//! The layer depends on nothing above it; the rest of linkj uses it through the names
//! re-exported here.

mod clean;
mod date;
mod error;
pub mod fast_ron;
mod lang;
mod load;
mod missing;
mod partners;
mod schema;
pub mod texts;
mod validate;
mod warnings;

pub use date::{Precision, SignedDate};
pub use error::{LoadError, describe_io_error};
pub use lang::{Lang, Text};
pub use load::{
    EMBEDDED_NAME, EMBEDDED_RON, Loaded, MAX_FILE_BYTES, load_bytes, load_embedded, load_file,
    load_str, parse_with_ron, read_fast, read_fast_split_from, read_file,
};
pub use missing::{Missing, missing_ordinals};
pub use partners::{Brief, NO_TERM, Partners, Row, Stored};
pub use schema::{
    Country, Dataset, Fact, Gap, Hub, Label, Location, Marks, Note, NoteKind, Partner, Person,
    Reading, ScopeItem, Side, Source, cited_keys, fields_noted,
};
pub use texts::{Searchable, TEXTS_PER_BLOCK, TextBlock, Texts};
pub use validate::MAX_TERM_YEARS;
pub use warnings::{Warning, WarningKind};

/// The tests that build partners by loading, and their helper for the modules above.
// Here, not in `missing`: loading (for its warnings) uses `missing`, so there these
// tests would make the two modules depend on each other.
#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Copies of the embedded dataset's first partner, numbered `ordinals` (for tests of
    /// gaps and their placement).
    pub(crate) fn numbered(ordinals: &[u32]) -> Partners {
        let template = load_embedded()
            .expect("embedded")
            .dataset
            .partners
            .into_vec()
            .remove(0);
        ordinals
            .iter()
            .map(|&ordinal| Partner {
                ordinal,
                ..template.clone()
            })
            .collect()
    }

    fn runs(ordinals: &[u32], declared: &[u32]) -> Vec<(u32, u32)> {
        let partners = numbered(ordinals);
        let gaps: Vec<Gap> = declared
            .iter()
            .map(|&ordinal| Gap {
                ordinal,
                note: String::new(),
                deduced: None,
                sources: Vec::new(),
            })
            .collect();
        missing_ordinals(&partners, &gaps)
            .iter()
            .map(|m| (m.first, m.last))
            .collect()
    }

    #[test]
    fn missing_ordinals_are_runs_split_at_declared_gaps() {
        assert_eq!(runs(&[], &[]), []);
        assert_eq!(runs(&[1, 2, 3], &[]), []);
        assert_eq!(runs(&[3, 1], &[]), [(2, 2)]);
        assert_eq!(runs(&[4, 1, 9], &[]), [(2, 3), (5, 8)]);
        assert_eq!(runs(&[5], &[]), [(1, 4)]);
        // Declared gaps are runs of their own, wherever they fall in a longer one; those
        // at a used ordinal or past the highest are not missing.
        assert_eq!(runs(&[9], &[1]), [(1, 1), (2, 8)]);
        assert_eq!(runs(&[9], &[8, 4, 4]), [(1, 3), (4, 4), (5, 7), (8, 8)]);
        assert_eq!(runs(&[1, 3, 5], &[2, 3, 7]), [(2, 2), (4, 4)]);
        // The ends of the ordinal range.
        assert_eq!(
            runs(&[1, u32::MAX], &[u32::MAX - 1]),
            [(2, u32::MAX - 2), (u32::MAX - 1, u32::MAX - 1)]
        );
        assert_eq!(runs(&[u32::MAX], &[]), [(1, u32::MAX - 1)]);
    }
}
