//! Dates known to a year, a month or a day, as the sources give them.

use std::cmp::Ordering;
use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::data::lang::Lang;

/// How precisely a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// Only the year.
    Year,
    /// Year and month.
    Month,
    /// The exact day.
    Day,
}

/// A date known to year, month or day precision, written `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SignedDate {
    /// The first day of the period (the day itself for day precision).
    pub start: NaiveDate,
    /// How precise it is.
    pub precision: Precision,
}

impl SignedDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<SignedDate, String> {
        // Quoted in part: a date string as long as the file must not be copied, six
        // bytes a control character, into a message that is cut to 60 characters anyway.
        let shown = || s.chars().take(61).collect::<String>();
        let bad = || {
            format!(
                "invalid date {:?}: expected YYYY, YYYY-MM or YYYY-MM-DD",
                shown()
            )
        };
        // YYYY-MM-DD is the longest form; anything longer is not split into pieces.
        if s.len() > "YYYY-MM-DD".len() {
            return Err(bad());
        }
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize| -> Result<u32, String> {
            if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            p.parse::<u32>().map_err(|_| bad())
        };
        let (y, m, d, precision) = match parts.as_slice() {
            [y] => (num(y, 4)?, 1, 1, Precision::Year),
            [y, m] => (num(y, 4)?, num(m, 2)?, 1, Precision::Month),
            [y, m, d] => (num(y, 4)?, num(m, 2)?, num(d, 2)?, Precision::Day),
            _ => return Err(bad()),
        };
        let year = i32::try_from(y).map_err(|_| bad())?;
        let start = NaiveDate::from_ymd_opt(year, m, d)
            .ok_or_else(|| format!("invalid date {s:?}: no such day in the calendar"))?;
        Ok(SignedDate { start, precision })
    }

    /// The last day of the period.
    pub fn end(&self) -> NaiveDate {
        let y = self.start.year();
        match self.precision {
            Precision::Day => self.start,
            Precision::Year => NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or(self.start),
            Precision::Month => {
                let (ny, nm) = if self.start.month() == 12 {
                    (y + 1, 1)
                } else {
                    (y, self.start.month() + 1)
                };
                NaiveDate::from_ymd_opt(ny, nm, 1)
                    .and_then(|d| d.pred_opt())
                    .unwrap_or(self.start)
            }
        }
    }

    /// The year.
    pub fn year(&self) -> i32 {
        self.start.year()
    }

    /// Whether this period certainly lies after `other` (no overlap at all).
    pub fn certainly_after(&self, other: &SignedDate) -> bool {
        self.start > other.end()
    }

    /// Human form in the given language: `2016-05` / `2016年5月`.
    pub fn display(&self, lang: Lang) -> String {
        let (y, m, d) = (self.start.year(), self.start.month(), self.start.day());
        match (lang, self.precision) {
            (Lang::En, _) => self.to_string(),
            (Lang::Ja, Precision::Year) => format!("{y}年"),
            (Lang::Ja, Precision::Month) => format!("{y}年{m}月"),
            (Lang::Ja, Precision::Day) => format!("{y}年{m}月{d}日"),
        }
    }
}

impl fmt::Display for SignedDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = (self.start.year(), self.start.month(), self.start.day());
        match self.precision {
            Precision::Year => write!(f, "{y:04}"),
            Precision::Month => write!(f, "{y:04}-{m:02}"),
            Precision::Day => write!(f, "{y:04}-{m:02}-{d:02}"),
        }
    }
}

impl PartialOrd for SignedDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SignedDate {
    /// Chronological by first day; a vaguer date sorts before a precise one in its period.
    fn cmp(&self, other: &Self) -> Ordering {
        self.start
            .cmp(&other.start)
            .then_with(|| (self.precision as u8).cmp(&(other.precision as u8)))
    }
}

impl<'de> Deserialize<'de> for SignedDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        SignedDate::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl Serialize for SignedDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_in_their_precision() {
        let m = SignedDate::parse("2016-05").expect("month");
        assert_eq!(m.precision, Precision::Month);
        assert_eq!(m.to_string(), "2016-05");
        assert_eq!(m.end(), NaiveDate::from_ymd_opt(2016, 5, 31).expect("date"));
        let d = SignedDate::parse("2019-08-30").expect("day");
        assert_eq!(d.display(Lang::Ja), "2019年8月30日");
        assert!(SignedDate::parse("2019-02-30").is_err());
        assert!(SignedDate::parse("2019-8").is_err());
        assert!(SignedDate::parse("").is_err());
        assert_eq!(
            SignedDate::parse("2020").expect("year").end().to_string(),
            "2020-12-31"
        );
    }

    #[test]
    fn month_and_day_in_same_month_are_not_out_of_order() {
        let m = SignedDate::parse("2020-09").expect("m");
        let d = SignedDate::parse("2020-09-07").expect("d");
        assert!(!m.certainly_after(&d));
        assert!(!d.certainly_after(&m));
        assert!(SignedDate::parse("2020-10").expect("o").certainly_after(&d));
    }
}
