//! Counts for the statistics view: partnerships per year, region and kind.

use chrono::Datelike;

use chrono::NaiveDate;

use crate::data::{Brief, Dataset};
use crate::status::{Status, status_of_brief};

/// How many partnerships fall in each year, region and kind.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Counts {
    /// Every year from the first to the last signing, with its count (zero included,
    /// so gaps show): at most 10,000 years, as dates have four-digit years.
    pub years: Vec<(i32, usize)>,
    /// Per declared region (index into `regions`), in declared order.
    pub regions: Vec<(usize, usize)>,
    /// Per declared kind (index into `kinds`), in declared order.
    pub kinds: Vec<(usize, usize)>,
    /// Per agreement status on the day asked about, in [`Status::ALL`] order.
    pub statuses: Vec<(Status, usize)>,
    /// Partnerships counted.
    pub total: usize,
}

/// What one count row of the statistics view counts: the filter it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    /// Signed in this year.
    Year(i32),
    /// In this region (index into `regions`).
    Region(usize),
    /// Of this kind (index into `kinds`).
    Kind(usize),
    /// With this agreement status.
    Status(Status),
}

impl Counts {
    /// Every count row, in the view's order (years, regions, kinds, statuses): what
    /// its selection moves over and what Enter applies.
    pub fn rows(&self) -> Vec<(Facet, usize)> {
        let years = self.years.iter().map(|&(y, n)| (Facet::Year(y), n));
        let regions = self.regions.iter().map(|&(i, n)| (Facet::Region(i), n));
        let kinds = self.kinds.iter().map(|&(i, n)| (Facet::Kind(i), n));
        let statuses = self.statuses.iter().map(|&(s, n)| (Facet::Status(s), n));
        years.chain(regions).chain(kinds).chain(statuses).collect()
    }
}

/// Counts `partners` (those shown: filters and query applied), with statuses as of
/// `today`.
pub fn counts<'a>(
    ds: &Dataset,
    partners: impl IntoIterator<Item = Brief<'a>>,
    today: NaiveDate,
) -> Counts {
    let mut by_year = std::collections::BTreeMap::<i32, usize>::new();
    let mut regions: Vec<(usize, usize)> = (0..ds.regions.len()).map(|i| (i, 0)).collect();
    let mut kinds: Vec<(usize, usize)> = (0..ds.kinds.len()).map(|i| (i, 0)).collect();
    let mut statuses: Vec<(Status, usize)> = Status::ALL.iter().map(|s| (*s, 0)).collect();
    let mut total = 0;
    for p in partners {
        total += 1;
        *by_year.entry(p.signed.start.year()).or_default() += 1;
        if let Some(i) = ds.regions.iter().position(|r| r.id == p.region) {
            regions[i].1 += 1;
        }
        if let Some(i) = ds.kinds.iter().position(|k| k.id == p.kind) {
            kinds[i].1 += 1;
        }
        let s = status_of_brief(&p, today);
        if let Some(e) = statuses.iter_mut().find(|(x, _)| *x == s) {
            e.1 += 1;
        }
    }
    let years = match (by_year.keys().next(), by_year.keys().next_back()) {
        (Some(&a), Some(&b)) => (a..=b)
            .map(|y| (y, by_year.get(&y).copied().unwrap_or(0)))
            .collect(),
        _ => Vec::new(),
    };
    Counts {
        years,
        regions,
        kinds,
        statuses,
        total,
    }
}
