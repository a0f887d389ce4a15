//! Agreement status: where a partnership's term is known (several announcements say five
//! years), when it ends and where it stands on a given day. Nothing is guessed: without
//! a stated term the status is unknown, and when a signing date known only to the month
//! or year leaves the answer open, the status says so.

use chrono::{Months, NaiveDate};

use crate::data::{Lang, Partner, Precision};

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
    Ended,
    /// No term is stated, the day is before the signing, or an imprecise signing date
    /// leaves the answer open.
    Unknown,
}

impl Status {
    /// Every status, in filter order.
    pub const ALL: [Status; 4] = [
        Status::Active,
        Status::Ending,
        Status::Ended,
        Status::Unknown,
    ];

    /// The id used on the command line (`--status`).
    pub fn id(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Ending => "ending",
            Status::Ended => "ended",
            Status::Unknown => "unknown",
        }
    }

    /// A short label.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Status::Active, Lang::En) => "active",
            (Status::Ending, Lang::En) => "ending",
            (Status::Ended, Lang::En) => "past term",
            (Status::Unknown, Lang::En) => "term unknown",
            (Status::Active, Lang::Ja) => "有効",
            (Status::Ending, Lang::Ja) => "期間満了間近",
            (Status::Ended, Lang::Ja) => "期間経過",
            (Status::Unknown, Lang::Ja) => "期間不明",
        }
    }

    /// Parses a command-line id (case-insensitive).
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL
            .into_iter()
            .find(|st| st.id().eq_ignore_ascii_case(s.trim()))
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
        Status::Ended
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
    let Some(years) = p.term_years.filter(|&y| y > 0) else {
        return Term {
            years: None,
            ends: None,
            status: Status::Unknown,
            before_signing: false,
        };
    };
    let first = p.signed.start;
    let last = p.signed.end();
    let ends = term_end(first, years).zip(term_end(last, years));
    let status = match ends {
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
    }
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
        (Status::Unknown, Lang::En) => "status open (signing date not exact)",
        (Status::Unknown, Lang::Ja) => "状態は不確定（締結日が不正確）",
        (Status::Ended, Lang::En) => "past its stated term (renewal not recorded)",
        (Status::Ended, Lang::Ja) => "期間経過（更新の記録なし）",
        (s, l) => s.label(l),
    };
    match lang {
        Lang::En => format!(
            "{years} year{}, to {end}: {label}",
            if years == 1 { "" } else { "s" }
        ),
        Lang::Ja => format!("{years}年（{end}まで）: {label}"),
    }
}
