//! The region, kind, agreement-status and year restriction, one type and one predicate for
//! the browser's filter keys and the commands' `--region`, `--kind` and `--status`.

use chrono::NaiveDate;

use crate::data::{Brief, Dataset, Label};
use crate::status::Status;

/// Which partners are shown: region and kind as indices into the dataset's
/// vocabularies, status as computed for a day. `None` is "all".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Filter {
    /// Index into [`Dataset::regions`], or all.
    pub region: Option<usize>,
    /// Index into [`Dataset::kinds`], or all.
    pub kind: Option<usize>,
    /// Agreement status, or all.
    pub status: Option<Status>,
    /// The year of signing, or all (the statistics view's drill-down sets it).
    pub year: Option<i32>,
}

impl Filter {
    /// Resolves user-typed values (an id or a label in either language, any case; a
    /// status name) against the dataset, or says which values are valid.
    pub fn resolve(
        ds: &Dataset,
        region: Option<&str>,
        kind: Option<&str>,
        status: Option<&str>,
    ) -> Result<Filter, String> {
        let status = match status {
            None => None,
            Some(s) => Some(Status::parse(s).ok_or_else(|| {
                format!(
                    "unknown status {:?}; valid statuses are: active, ending, past_term, unknown",
                    crate::text::clean(s)
                )
            })?),
        };
        Ok(Filter {
            region: pick("region", region, &ds.regions)?,
            kind: pick("kind", kind, &ds.kinds)?,
            status,
            year: None,
        })
    }

    /// Whether anything is restricted.
    pub fn is_active(&self) -> bool {
        self.region.is_some() || self.kind.is_some() || self.status.is_some() || self.year.is_some()
    }

    /// The test a partner must pass, with statuses as of `today`.
    pub fn predicate<'a>(
        &self,
        ds: &'a Dataset,
        today: NaiveDate,
    ) -> impl Fn(&Brief<'_>) -> bool + 'a {
        let region = self
            .region
            .and_then(|i| ds.regions.get(i))
            .map(|l| l.id.as_str());
        let kind = self
            .kind
            .and_then(|i| ds.kinds.get(i))
            .map(|l| l.id.as_str());
        let status = self.status;
        let year = self.year;
        move |p: &Brief<'_>| {
            region.is_none_or(|r| r == p.region)
                && kind.is_none_or(|k| k == p.kind)
                && year.is_none_or(|y| chrono::Datelike::year(&p.signed.start) == y)
                && status.is_none_or(|s| crate::status::status_of_brief(p, today) == s)
        }
    }

    /// The partner numbered `n` (its ordinal), if it passes.
    pub fn numbered(&self, ds: &Dataset, today: NaiveDate, n: u32) -> Option<usize> {
        let pass = self.predicate(ds, today);
        (0..ds.partners.len())
            .find(|&i| ds.partners.brief(i).is_some_and(|p| p.ordinal == n))
            .filter(|&i| ds.partners.brief(i).is_some_and(|p| pass(&p)))
    }

    /// The next region filter: all, then each declared region in turn, then all.
    pub fn cycle_region(&mut self, ds: &Dataset) {
        self.region = cycle(self.region, ds.regions.len());
    }

    /// The next kind filter: all, then each declared kind in turn, then all.
    pub fn cycle_kind(&mut self, ds: &Dataset) {
        self.kind = cycle(self.kind, ds.kinds.len());
    }

    /// The next status filter: all, then active, ending, past term, unknown, then all.
    pub fn cycle_status(&mut self) {
        let all = Status::ALL;
        let next = self.status.map_or(0, |s| {
            all.iter()
                .position(|x| *x == s)
                .map_or(all.len(), |i| i + 1)
        });
        self.status = all.get(next).copied();
    }

    /// Indices of the partners that pass, in the dataset's (date) order.
    pub fn matching(&self, ds: &Dataset, today: NaiveDate) -> Vec<usize> {
        if !self.is_active() {
            return (0..ds.partners.len()).collect();
        }
        let pass = self.predicate(ds, today);
        (0..ds.partners.len())
            .filter(|&i| ds.partners.brief(i).is_some_and(|p| pass(&p)))
            .collect()
    }
}

/// all -> first -> … -> last -> all.
fn cycle(current: Option<usize>, len: usize) -> Option<usize> {
    match current {
        None if len > 0 => Some(0),
        Some(i) if i + 1 < len => Some(i + 1),
        _ => None,
    }
}

/// The index of the label `value` names, or an error listing the valid ones.
fn pick(what: &str, value: Option<&str>, vocab: &[Label]) -> Result<Option<usize>, String> {
    let Some(v) = value else { return Ok(None) };
    if let Some(i) = vocab.iter().position(|l| l.matches(v)) {
        return Ok(Some(i));
    }
    let valid: Vec<String> = vocab
        .iter()
        .map(|l| format!("{} ({} / {})", l.id, l.en, l.ja))
        .collect();
    Err(format!(
        "unknown {what} {:?}; valid {what}s are: {}",
        crate::text::clean(v),
        valid.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycling_visits_each_then_all() {
        let seq: Vec<Option<usize>> = std::iter::successors(Some(None), |c| Some(cycle(*c, 3)))
            .take(5)
            .collect();
        assert_eq!(seq, [None, Some(0), Some(1), Some(2), None]);
        assert_eq!(cycle(None, 0), None);
        let mut f = Filter::default();
        let mut seen = Vec::new();
        for _ in 0..=Status::ALL.len() {
            f.cycle_status();
            seen.push(f.status);
        }
        let mut want: Vec<Option<Status>> = Status::ALL.iter().copied().map(Some).collect();
        want.push(None);
        assert_eq!(seen, want);
    }

    #[test]
    fn names_resolve_to_indices_and_unknown_ones_list_the_valid() {
        let ds = crate::data::load_embedded().expect("embedded").dataset;
        let f = Filter::resolve(&ds, Some("japan"), None, Some("active")).expect("valid");
        assert_eq!(f.region.map(|i| ds.regions[i].id.as_str()), Some("japan"));
        assert_eq!(f.status, Some(Status::Active));
        let err = Filter::resolve(&ds, Some("atlantis"), None, None).expect_err("unknown");
        assert!(err.contains("unknown region \"atlantis\""), "{err}");
        assert!(err.contains("japan"), "{err}");
        let err = Filter::resolve(&ds, None, None, Some("soon")).expect_err("unknown");
        assert!(err.starts_with("unknown status"), "{err}");
    }

    #[test]
    fn the_predicate_keeps_only_partners_of_the_chosen_region() {
        let ds = crate::data::load_embedded().expect("embedded").dataset;
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
        let all = Filter::default().matching(&ds, today);
        assert_eq!(all.len(), ds.partners.len());
        let f = Filter::resolve(&ds, Some("japan"), None, None).expect("valid");
        let some = f.matching(&ds, today);
        assert!(!some.is_empty() && some.len() < all.len());
        assert!(
            some.iter()
                .all(|&i| ds.partners.brief(i).expect("partner").region == "japan")
        );
    }
}
