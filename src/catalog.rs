//! The catalog: a loaded dataset and everything derived from it once (the search
//! index, the hub's own small index, the runs of missing ordinals, the widest ordinal). It never changes after it
//! is built, so one catalog, behind an `Arc`, serves every session: the local
//! terminal's, and each visitor's over SSH. Beside it, the shelf of listings recently
//! built for those sessions, which they share.

use chrono::NaiveDate;

use crate::data::{Dataset, Loaded, Missing, Partner};
use crate::filter::Filter;
use crate::listing::Shelf;
use crate::search::{Hit, Index};

/// A dataset with its search index: immutable, `Send + Sync`.
#[derive(Debug)]
pub struct Catalog {
    loaded: Loaded,
    /// Built by [`Catalog::new`]; on first use after [`Catalog::without_index`].
    index: std::sync::OnceLock<Index>,
    /// The hub as a one-entry dataset (names, aliases, seat, chair and officers), so
    /// that it is matched by the same engine as the partners.
    hub: Dataset,
    /// The hub's one partner (as in `hub`).
    hub_partner: Partner,
    hub_index: std::sync::OnceLock<Index>,
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
        let max_ordinal = ds.partners.ordinals().max().unwrap_or(1);
        Catalog::from_parts(loaded, gaps, max_ordinal)
    }

    /// A catalog read back from the cache: its index, its missing ordinals and its
    /// highest ordinal as they were when it was stored.
    pub fn stored(loaded: Loaded, index: Index, gaps: Vec<Missing>, max_ordinal: u32) -> Catalog {
        let catalog = Catalog::from_parts(loaded, gaps, max_ordinal);
        let _ = catalog.index.set(index);
        catalog
    }

    fn from_parts(loaded: Loaded, gaps: Vec<Missing>, max_ordinal: u32) -> Catalog {
        let (hub, hub_partner) = hub_dataset(&loaded.dataset);
        Catalog {
            loaded,
            index: std::sync::OnceLock::new(),
            hub,
            hub_partner,
            hub_index: std::sync::OnceLock::new(),
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

    /// The hub as a one-entry dataset: its only partner is the hub, for matching and
    /// for reading a hub hit's fields ([`crate::search::field_text`]).
    pub fn hub_entry(&self) -> (&Dataset, &Partner) {
        (&self.hub, &self.hub_partner)
    }

    /// The hub's match for `query`, if it matches: ranked as a partner would be, so it
    /// can be placed among the partners' hits by [`crate::search::Hit::score`].
    pub fn hub_hit(&self, query: &str) -> Option<Hit> {
        if query.trim().is_empty() {
            return None;
        }
        let index = self.hub_index.get_or_init(|| Index::new(&self.hub));
        index.rank(&[0], query).into_iter().next()
    }

    /// Whether the hub is the best match for `query`: it matches, and no partner the
    /// filter keeps ranks above it.
    pub fn hub_first(&self, filter: &Filter, today: NaiveDate, query: &str) -> Option<Hit> {
        let hub = self.hub_hit(query)?;
        let best = self.search(filter, today, query);
        best.first()
            .is_none_or(|b| hub.score() >= b.score())
            .then_some(hub)
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

    /// [`Catalog::search`] without the hits' highlight marks, for whoever marks them
    /// as it shows them ([`crate::search::Index::fill_marks`]): a search that most
    /// partners match need not hold every hit's marks at once.
    pub fn search_unmarked(&self, filter: &Filter, today: NaiveDate, query: &str) -> Vec<Hit> {
        let terms = crate::search::parse_query(query);
        self.index()
            .rank_terms(&filter.matching(self.dataset(), today), &terms)
            .hits
    }
}

/// The hub as a dataset of one partner: its names and aliases, its seat as the place,
/// the chair and the officers as its people. It has no region, kind or country, so
/// words like "japan" do not find it.
fn hub_dataset(ds: &Dataset) -> (Dataset, Partner) {
    let h = &ds.hub;
    let mut people = vec![h.chair.clone()];
    people.extend(h.people.iter().cloned());
    let entry = Partner {
        id: "hub".into(),
        ordinal: 0,
        name: h.name.clone(),
        short: Some(h.short.clone()),
        aliases: h.aliases.clone(),
        country: String::new(),
        region: String::new(),
        place: h.seat.clone(),
        kind: String::new(),
        signed: ds.as_of,
        scope: Vec::new(),
        scope_etc: false,
        instrument: None,
        people,
        location: None,
        url: None,
        term_years: None,
        signed_at_earliest: false,
        description: crate::data::Text::default(),
        facts: Vec::new(),
        sources: Vec::new(),
        notes: Vec::new(),
    };
    let hub = Dataset {
        title: ds.title.clone(),
        as_of: ds.as_of,
        hub: crate::data::Hub {
            notes: Vec::new(),
            facts: Vec::new(),
            people: Vec::new(),
            ..h.clone()
        },
        regions: Vec::new(),
        kinds: Vec::new(),
        countries: Vec::new(),
        sources: Vec::new(),
        gaps: Vec::new(),
        notes: Vec::new(),
        partners: vec![entry.clone()].into(),
    };
    (hub, entry)
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
