//! Agreement status: where a partnership's term is known (several announcements say five
//! years), when it ends and where it stands on a given day. Nothing is guessed: without
//! a stated term the status is unknown, and when a signing date known only to the month
//! or year leaves the answer open, the status says so.

use chrono::{Months, NaiveDate};

use crate::data::{Brief, Lang, Partner, Precision};

/// Months before the end of a term from which an agreement counts as ending.
pub const ENDING_MONTHS: u32 = 6;

/// Where an agreement stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// Within its stated term, more than six months from its end.
    Active,
    /// Within the last six months of its stated term.
    Ending,
    /// Past its stated term; no renewal is recorded.
    PastTerm,
    /// No term is stated, the day is before the signing, or an imprecise signing date
    /// leaves the answer open.
    Unknown,
}

impl Status {
    /// Every status, in filter order.
    pub const ALL: [Status; 4] = [
        Status::Active,
        Status::Ending,
        Status::PastTerm,
        Status::Unknown,
    ];

    /// The id used on the command line (`--status`).
    pub fn id(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Ending => "ending",
            Status::PastTerm => "past_term",
            Status::Unknown => "unknown",
        }
    }

    /// A short label.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Status::Active, Lang::En) => "active",
            (Status::Ending, Lang::En) => "ending",
            (Status::PastTerm, Lang::En) => "past term",
            (Status::Unknown, Lang::En) => "term unknown",
            (Status::Active, Lang::Ja) => "有効",
            (Status::Ending, Lang::Ja) => "期間満了間近",
            (Status::PastTerm, Lang::Ja) => "期間経過",
            (Status::Unknown, Lang::Ja) => "期間不明",
        }
    }

    /// Parses a command-line id (case-insensitive; `past-term` as well as `past_term`).
    pub fn parse(s: &str) -> Option<Status> {
        let s = s.trim().replace('-', "_");
        Status::ALL
            .into_iter()
            .find(|st| st.id().eq_ignore_ascii_case(&s))
    }
}

/// A partnership's term and its status on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The stated term in years, if any.
    pub years: Option<u32>,
    /// The earliest and latest possible last day of the term (the same day when the
    /// signing day is known).
    pub ends: Option<(NaiveDate, NaiveDate)>,
    /// The status on the day asked about.
    pub status: Status,
    /// The day asked about is before the signing.
    pub before_signing: bool,
    /// The signing date is only the earliest possible one, and so is the end.
    pub inferred: bool,
}

/// The day a term of `years` starting on `start` ends (the day before the anniversary).
fn term_end(start: NaiveDate, years: u32) -> Option<NaiveDate> {
    start
        .checked_add_months(Months::new(years.checked_mul(12)?))?
        .pred_opt()
}

/// The status on `today` of an agreement whose last day is `end`.
fn status_for(end: NaiveDate, today: NaiveDate) -> Status {
    if today > end {
        Status::PastTerm
    } else if end
        .checked_sub_months(Months::new(ENDING_MONTHS))
        .is_none_or(|from| today > from)
    {
        Status::Ending
    } else {
        Status::Active
    }
}

/// The term of `p` and its status on `today`.
pub fn term(p: &Partner, today: NaiveDate) -> Term {
    term_of(&Brief::of(p), today)
}

/// The term of the partner `p` sums up, and its status on `today`.
pub fn term_of(p: &Brief<'_>, today: NaiveDate) -> Term {
    let Some(years) = p.term_years.filter(|&y| y > 0) else {
        return Term {
            years: None,
            ends: None,
            status: Status::Unknown,
            before_signing: false,
            inferred: false,
        };
    };
    let first = p.signed.start;
    let last = p.signed.end();
    let ends = term_end(first, years).zip(term_end(last, years));
    let inferred = p.signed_at_earliest;
    let status = match ends {
        // An inferred signing date is the earliest possible one: the end could be later.
        Some((early, _)) if inferred && status_for(early, today) != Status::Active => {
            Status::Unknown
        }
        // Before the (earliest possible) signing day nothing was in force yet.
        Some(_) if today < first => Status::Unknown,
        // The signing day itself is not known well enough to say.
        Some(_) if today < last => Status::Unknown,
        Some((early, late)) => {
            let (a, b) = (status_for(early, today), status_for(late, today));
            if a == b { a } else { Status::Unknown }
        }
        None => Status::Unknown,
    };
    Term {
        years: Some(years),
        ends,
        status,
        before_signing: today < first,
        inferred,
    }
}

/// The status of `p` on `today` (what the status filters compare).
pub fn status_of(p: &Partner, today: NaiveDate) -> Status {
    term(p, today).status
}

/// The status on `today` of the partner `p` sums up.
pub fn status_of_brief(p: &Brief<'_>, today: NaiveDate) -> Status {
    term_of(p, today).status
}

/// One line about the term for the detail pane and cards, e.g.
/// `5 years, to 2026-03-15: active` or `not stated`.
pub fn describe(t: &Term, precision: Precision, lang: Lang) -> String {
    let Some(years) = t.years else {
        return match lang {
            Lang::En => "not stated in the sources".to_string(),
            Lang::Ja => "資料に記載なし".to_string(),
        };
    };
    let end = match t.ends {
        Some((a, b)) if a == b => a.format("%Y-%m-%d").to_string(),
        Some((a, b)) => match precision {
            Precision::Month => a.format("%Y-%m").to_string(),
            _ => format!("{}..{}", a.format("%Y-%m-%d"), b.format("%Y-%m-%d")),
        },
        None => "?".to_string(),
    };
    let label = match (t.status, lang) {
        (Status::Unknown, Lang::En) if t.before_signing => "not yet signed on that day",
        (Status::Unknown, Lang::Ja) if t.before_signing => "その日には未締結",
        (Status::Unknown, Lang::En) if t.inferred => {
            "status open (signing date inferred, a later end cannot be ruled out)"
        }
        (Status::Unknown, Lang::Ja) if t.inferred => {
            "状態は不確定（締結日は推定、より後の満了もありうる）"
        }
        (Status::Unknown, Lang::En) => "status open (signing date not exact)",
        (Status::Unknown, Lang::Ja) => "状態は不確定（締結日が不正確）",
        (Status::PastTerm, Lang::En) => "past its stated term (renewal not recorded)",
        (Status::PastTerm, Lang::Ja) => "期間経過（更新の記録なし）",
        (s, l) => s.label(l),
    };
    match lang {
        Lang::En if t.inferred => format!(
            "{years} year{}, to {end} at the earliest: {label}",
            if years == 1 { "" } else { "s" }
        ),
        Lang::Ja if t.inferred => format!("{years}年（早くとも{end}まで）: {label}"),
        Lang::En => format!(
            "{years} year{}, to {end}: {label}",
            if years == 1 { "" } else { "s" }
        ),
        Lang::Ja => format!("{years}年（{end}まで）: {label}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::SignedDate;

    fn partner(signed: &str, years: Option<u32>) -> Partner {
        let ds = crate::data::load_embedded().expect("embedded").dataset;
        let mut p = ds.partners.first().expect("a partner").into_owned();
        p.signed = SignedDate::parse(signed).expect("date");
        p.term_years = years;
        p.signed_at_earliest = false;
        p
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day")
    }

    #[test]
    fn a_five_year_term_from_a_known_day() {
        let p = partner("2019-06-03", Some(5));
        let at = |d| term(&p, day(d)).status;
        assert_eq!(
            term(&p, day("2020-01-01")).ends,
            Some((day("2024-06-02"), day("2024-06-02")))
        );
        assert_eq!(at("2019-06-03"), Status::Active, "the signing day");
        // Six months before the last day: still active; the day after: ending.
        assert_eq!(at("2023-12-02"), Status::Active);
        assert_eq!(at("2023-12-03"), Status::Ending);
        assert_eq!(at("2024-06-02"), Status::Ending, "the last day of the term");
        assert_eq!(at("2024-06-03"), Status::PastTerm, "the day after");
        assert_eq!(at("2019-06-02"), Status::Unknown, "before the signing");
    }

    #[test]
    fn leap_day_signings_end_on_the_28th() {
        let p = partner("2020-02-29", Some(1));
        assert_eq!(
            term(&p, day("2020-03-01")).ends.map(|e| e.0),
            Some(day("2021-02-27"))
        );
    }

    #[test]
    fn no_term_is_unknown_never_guessed() {
        let p = partner("2016-05", None);
        let t = term(&p, day("2030-01-01"));
        assert_eq!(t.status, Status::Unknown);
        assert_eq!(t.ends, None);
        assert_eq!(
            describe(&t, p.signed.precision, Lang::En),
            "not stated in the sources"
        );
    }

    #[test]
    fn a_month_only_signing_is_open_only_where_the_month_matters() {
        let p = partner("2018-02", Some(5));
        // The term ends some day from 2023-01-31 to 2023-02-27.
        assert_eq!(term(&p, day("2020-01-01")).status, Status::Active);
        assert_eq!(term(&p, day("2023-01-15")).status, Status::Ending);
        // Between the earliest and the latest possible end: could be either.
        assert_eq!(term(&p, day("2023-02-10")).status, Status::Unknown);
        assert_eq!(term(&p, day("2023-03-01")).status, Status::PastTerm);
        // Six months before: active if the term ends late in February, ending if early.
        assert_eq!(term(&p, day("2022-08-15")).status, Status::Unknown);
        // During the signing month itself, nothing can be said.
        assert_eq!(term(&p, day("2018-02-10")).status, Status::Unknown);
    }

    #[test]
    fn an_earliest_possible_signing_date_only_bounds_the_end() {
        let mut p = partner("2021-02-05", Some(5));
        p.signed_at_earliest = true;
        assert_eq!(term(&p, day("2022-01-01")).status, Status::Active);
        let late = term(&p, day("2026-11-22"));
        assert_eq!(
            late.status,
            Status::Unknown,
            "it may have been signed later"
        );
        assert!(describe(&late, p.signed.precision, Lang::En).contains("at the earliest"));
    }

    #[test]
    fn statuses_parse_from_the_command_line() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.id()), Some(s));
        }
        assert_eq!(Status::parse("PAST-TERM"), Some(Status::PastTerm));
        // The sources state a term, not an end: nothing is called ended.
        assert_eq!(Status::parse("ended"), None);
        assert_eq!(Status::parse("soon"), None);
    }
}
