//! The catalog: a loaded dataset and everything derived from it once (the search
//! index, the runs of missing ordinals, the widest ordinal). It never changes after it
//! is built, so one catalog, behind an `Arc`, serves every session: the local
//! terminal's, and each visitor's over SSH. Beside it, the shelf of listings recently
//! built for those sessions, which they share.

use chrono::NaiveDate;

use crate::data::{Dataset, Loaded, Missing};
use crate::filter::Filter;
use crate::listing::Shelf;
use crate::search::{Hit, Index};

/// A dataset with its search index: immutable, `Send + Sync`.
#[derive(Debug)]
pub struct Catalog {
    loaded: Loaded,
    /// Built by [`Catalog::new`]; on first use after [`Catalog::without_index`].
    index: std::sync::OnceLock<Index>,
    gaps: Vec<Missing>,
    max_ordinal: u32,
    /// Listings recently shown by any session: a second visitor typing the same query,
    /// or anyone deleting back to one, takes the listing already built.
    shelf: Shelf,
}

impl Catalog {
    /// Builds the index and the derived tables of a loaded dataset.
    pub fn new(loaded: Loaded) -> Catalog {
        let catalog = Catalog::without_index(loaded);
        // Now, not on the first keystroke.
        catalog.index();
        catalog
    }

    /// A catalog whose index is built only if something searches it: for the commands
    /// that only list or check.
    pub fn without_index(loaded: Loaded) -> Catalog {
        let ds = &loaded.dataset;
        let gaps = crate::data::missing_ordinals(&ds.partners, &ds.gaps);
        let max_ordinal = ds.partners.iter().map(|p| p.ordinal).max().unwrap_or(1);
        Catalog {
            loaded,
            index: std::sync::OnceLock::new(),
            gaps,
            max_ordinal,
            shelf: Shelf::default(),
        }
    }

    /// The listings shared by the sessions on this catalog.
    pub fn shelf(&self) -> &Shelf {
        &self.shelf
    }

    /// The dataset, partners in date order.
    pub fn dataset(&self) -> &Dataset {
        &self.loaded.dataset
    }

    /// The dataset with where it came from and what loading it warned about.
    pub fn loaded(&self) -> &Loaded {
        &self.loaded
    }

    /// The search index.
    pub fn index(&self) -> &Index {
        self.index.get_or_init(|| Index::new(self.dataset()))
    }

    /// Runs of ordinals no partner has, in order.
    pub fn gaps(&self) -> &[Missing] {
        &self.gaps
    }

    /// The highest ordinal (the timeline's ordinal column is as wide as it).
    pub fn max_ordinal(&self) -> u32 {
        self.max_ordinal
    }

    /// The partners `filter` keeps (statuses as of `today`) ranked for `query`, best
    /// first: what `linkj search` prints and what `show` picks from.
    pub fn search(&self, filter: &Filter, today: NaiveDate, query: &str) -> Vec<Hit> {
        self.index()
            .rank(&filter.matching(self.dataset(), today), query)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_catalog_can_be_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Catalog>();
        shared::<std::sync::Arc<Catalog>>();
    }
}
