//! A list of partners as the browser shows it: the hits in order, the timeline's rows
//! (year headings and gaps where they fall) and the row of each hit. A listing is
//! never written once it is shared: every session with the same query and filter shows
//! the same one, and a [`Shelf`] keeps the recent ones for all of them within a budget,
//! so that a hundred visitors of a large dataset cost the memory of one list each
//! query, not one each.

use std::sync::{Arc, Mutex};

use chrono::NaiveDate;

use crate::data::{Dataset, Missing};
use crate::filter::Filter;
use crate::search::Hit;

/// One row of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// A year heading.
    Year(i32),
    /// The n-th hit.
    Hit(usize),
    /// Ordinals that no entry describes: one, or a run of consecutive ones.
    Gap(Missing),
}

/// Hits, their rows, and how far their order is final.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    /// Matches, best first (or every partner the filter keeps, in date order).
    pub hits: Vec<Hit>,
    /// The rows of a list in date order (headings and gaps among the hits); a ranked
    /// list's rows are its hits, one each, and need no table.
    dated: Option<Dated>,
    /// `hits[..resolved]` are in final order; a large search orders the rest (within
    /// groups of equal tier, field and exactness) only when they are shown.
    pub resolved: usize,
    /// Nothing matched strictly, so one-typo matches were allowed.
    pub relaxed: bool,
    /// A ranked list's first row, above its hits: the gap a query for a number no
    /// partner has falls in (`15`), with what is known of it.
    pub lead_gap: Option<Missing>,
}

/// The rows of a list in date order, and the row of each hit.
#[derive(Debug, Clone, Default)]
struct Dated {
    rows: Vec<Row>,
    row_of: Vec<usize>,
}

impl Listing {
    /// A listing of `hits`: in date order (`date_order`, no query) with year headings
    /// and gaps where they fall; otherwise one flat list, best first.
    pub fn new(ds: &Dataset, hits: Vec<Hit>, missing: &[Missing], date_order: bool) -> Listing {
        let dated = date_order.then(|| {
            let rows = build_rows(ds, &hits, missing);
            let mut row_of = vec![0; hits.len()];
            for (r, row) in rows.iter().enumerate() {
                if let Row::Hit(i) = row {
                    row_of[*i] = r;
                }
            }
            Dated { rows, row_of }
        });
        Listing {
            resolved: hits.len(),
            hits,
            dated,
            relaxed: false,
            lead_gap: None,
        }
    }

    /// Rows before the hits of a ranked list: the lead gap's.
    fn lead(&self) -> usize {
        usize::from(self.dated.is_none() && self.lead_gap.is_some())
    }

    /// How many rows the timeline has.
    pub fn row_count(&self) -> usize {
        self.dated
            .as_ref()
            .map_or(self.hits.len() + self.lead(), |d| d.rows.len())
    }

    /// The `i`-th row.
    pub fn row(&self, i: usize) -> Option<Row> {
        match &self.dated {
            Some(d) => d.rows.get(i).copied(),
            None => match (self.lead_gap, i.checked_sub(self.lead())) {
                (Some(g), None) => Some(Row::Gap(g)),
                (_, Some(h)) => (h < self.hits.len()).then_some(Row::Hit(h)),
                (None, None) => None,
            },
        }
    }

    /// The row of the `hit`-th hit.
    pub fn row_of(&self, hit: usize) -> Option<usize> {
        match &self.dated {
            Some(d) => d.row_of.get(hit).copied(),
            None => (hit < self.hits.len()).then_some(hit + self.lead()),
        }
    }
}

/// What a listing answers: a query (empty for the plain timeline) under a filter, with
/// statuses as of a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    /// The query as typed.
    pub query: String,
    /// The filter.
    pub filter: Filter,
    /// The day statuses are computed for.
    pub today: NaiveDate,
}

/// Recent listings, shared by every session on a catalog. Bounded by the hits held
/// over all of them; the least recently used go first. A session keeps the listing it
/// shows, so one taken off the shelf lives on as long as someone looks at it.
#[derive(Debug, Default)]
pub struct Shelf {
    entries: Mutex<Vec<(Asked, Arc<Listing>)>>,
}

impl Shelf {
    /// Hits held at most (32 bytes each, 56 with the rows of a list in date order: at
    /// most 112 MB, for every session together). A listing of
    /// up to half of it is kept, so even deleting back to one letter over a million
    /// partners is instant.
    pub const BUDGET: usize = 2_000_000;

    /// The listing for `asked`, if one is on the shelf (it becomes the most recent).
    pub fn get(&self, asked: &Asked) -> Option<Arc<Listing>> {
        let mut e = self.entries.lock().ok()?;
        let at = e.iter().position(|(k, _)| k == asked)?;
        let entry = e.remove(at);
        let listing = Arc::clone(&entry.1);
        e.push(entry);
        Some(listing)
    }

    /// Puts `listing` on the shelf as the answer to `asked`, making room for it.
    pub fn put(&self, asked: Asked, listing: &Arc<Listing>) {
        if listing.hits.len() > Self::BUDGET / 2 {
            return;
        }
        let Ok(mut e) = self.entries.lock() else {
            return;
        };
        e.retain(|(k, _)| *k != asked);
        e.push((asked, Arc::clone(listing)));
        let mut held: usize = e.iter().map(|(_, l)| l.hits.len()).sum();
        while held > Self::BUDGET && e.len() > 1 {
            held -= e.remove(0).1.hits.len();
        }
    }

    /// How many listings are on the shelf.
    pub fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.len())
    }

    /// Whether the shelf is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Timeline rows in date order: year headings, and gaps where they fall.
fn build_rows(ds: &Dataset, hits: &[Hit], missing: &[Missing]) -> Vec<Row> {
    let mut rows = Vec::with_capacity(hits.len() + 16);
    let mut year = None;
    let mut gaps = missing.iter().peekable();
    for (i, h) in hits.iter().enumerate() {
        let Some((ordinal, signed)) = ds.partners.ordinal_year(h.partner) else {
            continue;
        };
        // A gap goes before the first shown partner with a higher ordinal (no partner
        // falls inside a run, so its first ordinal places it).
        while let Some(&&g) = gaps.peek() {
            if g.first < ordinal {
                rows.push(Row::Gap(g));
                gaps.next();
            } else {
                break;
            }
        }
        // A gap stays right after its predecessor: its date is unknown, so it is not
        // given a year heading of its own.
        if year != Some(signed) {
            year = Some(signed);
            rows.push(Row::Year(signed));
        }
        rows.push(Row::Hit(i));
    }
    // Gaps after the last shown partner are left out: nothing shown follows them, so
    // there is no "where it falls" to show them at.
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(q: &str) -> Asked {
        Asked {
            query: q.into(),
            filter: Filter::default(),
            today: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
        }
    }

    fn listing(n: usize) -> Arc<Listing> {
        Arc::new(Listing {
            hits: (0..n).map(Hit::plain).collect(),
            ..Listing::default()
        })
    }

    #[test]
    fn the_shelf_gives_back_the_same_listing_and_drops_the_oldest_past_its_budget() {
        let shelf = Shelf::default();
        let a = listing(Shelf::BUDGET / 2);
        shelf.put(asked("a"), &a);
        let got = shelf.get(&asked("a")).unwrap();
        assert!(Arc::ptr_eq(&a, &got), "not the shared listing");
        assert!(shelf.get(&asked("b")).is_none());
        shelf.put(asked("b"), &listing(Shelf::BUDGET / 2));
        shelf.put(asked("c"), &listing(10));
        assert!(
            shelf.get(&asked("a")).is_none(),
            "over budget, the oldest stays"
        );
        assert!(shelf.get(&asked("b")).is_some() && shelf.get(&asked("c")).is_some());
        // Too large to keep at all.
        shelf.put(asked("d"), &listing(Shelf::BUDGET / 2 + 1));
        assert!(shelf.get(&asked("d")).is_none());
        assert_eq!(shelf.len(), 2);
    }
}
