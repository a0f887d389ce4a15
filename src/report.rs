//! The commands' reports: `check`, `list`, `search` and `show`, as text, JSON and
//! Markdown. The browser never calls these; both read the catalog below them.

use std::fmt::Write as _;

use serde::Serialize;

use chrono::NaiveDate;

use crate::data::{Dataset, Label, Lang, Loaded, Missing, Partner, WarningKind, missing_ordinals};
use crate::filter::Filter;
use crate::text::{pad, width};

/// One partner as `list --json` prints it.
#[derive(Debug, Serialize)]
pub struct ListEntry<'a> {
    /// Stable id.
    pub id: &'a str,
    /// Ordinal.
    pub ordinal: u32,
    /// Japanese name.
    pub name_ja: &'a str,
    /// English name.
    pub name_en: &'a str,
    /// Short name or null.
    pub short: Option<&'a str>,
    /// ISO country code.
    pub country: &'a str,
    /// Region's English label.
    pub region: &'a str,
    /// Region id.
    pub region_id: &'a str,
    /// Kind id.
    pub kind: &'a str,
    /// Kind's English label.
    pub kind_label: &'a str,
    /// Place in Japanese.
    pub place_ja: &'a str,
    /// Place in English.
    pub place_en: &'a str,
    /// `YYYY-MM` or `YYYY-MM-DD`.
    pub signed: String,
    /// `year`, `month` or `day`.
    pub precision: crate::data::Precision,
    /// Stated term in years, or null.
    pub term_years: Option<u32>,
    /// Last day of the term (`YYYY-MM-DD`; the earliest possible one when the signing
    /// day is not known), or null.
    pub term_end: Option<String>,
    /// `active`, `ending`, `ended` or `unknown`, as of the day asked about.
    pub status: &'static str,
}

impl<'a> ListEntry<'a> {
    /// The JSON view of a partner.
    pub fn new(ds: &'a Dataset, p: &'a Partner, today: NaiveDate) -> ListEntry<'a> {
        let term = crate::status::term(p, today);
        let region = ds
            .region(&p.region)
            .map_or(p.region.as_str(), |r| r.en.as_str());
        let kind_label = ds.kind(&p.kind).map_or(p.kind.as_str(), |k| k.en.as_str());
        ListEntry {
            id: &p.id,
            ordinal: p.ordinal,
            name_ja: &p.name.ja,
            name_en: &p.name.en,
            short: p.short.as_deref(),
            country: &p.country,
            region,
            region_id: &p.region,
            kind: &p.kind,
            kind_label,
            place_ja: &p.place.ja,
            place_en: &p.place.en,
            signed: p.signed.to_string(),
            precision: p.signed.precision,
            term_years: term.years,
            term_end: term.ends.map(|(a, _)| a.to_string()),
            status: term.status.id(),
        }
    }
}

/// The partners a filter keeps, in timeline order.
pub fn filtered<'a>(ds: &'a Dataset, f: &Filter, today: NaiveDate) -> Vec<&'a Partner> {
    let pass = f.predicate(ds, today);
    ds.partners.iter().filter(|p| pass(p)).collect()
}

/// `list --json`.
pub fn list_json(ds: &Dataset, f: &Filter, today: NaiveDate) -> String {
    let entries: Vec<ListEntry> = filtered(ds, f, today)
        .into_iter()
        .map(|p| ListEntry::new(ds, p, today))
        .collect();
    // Serialising plain strings and numbers cannot fail.
    serde_json::to_string_pretty(&entries).unwrap_or_else(|_| "[]".into()) + "\n"
}

/// `list`: an aligned table (CJK-aware), with ordinal gaps shown when unfiltered.
pub fn list_table(ds: &Dataset, f: &Filter, today: NaiveDate, lang: Lang) -> String {
    let rows = filtered(ds, f, today);
    let headers = match lang {
        Lang::En => ["No.", "Signed", "Name", "Short", "Region", "Kind"],
        Lang::Ja => ["No.", "締結", "名称", "略称", "地域", "種別"],
    };
    let mut table: Vec<[String; 6]> = rows
        .iter()
        .map(|p| {
            [
                p.ordinal.to_string(),
                p.signed.to_string(),
                p.name.get(lang).to_string(),
                p.short.clone().unwrap_or_default(),
                ds.region(&p.region)
                    .map_or(p.region.clone(), |r| r.label(lang).to_string()),
                ds.kind(&p.kind)
                    .map_or(p.kind.clone(), |k| k.label(lang).to_string()),
            ]
        })
        .collect();
    if !f.is_active() {
        table = with_gaps(
            table,
            &rows,
            &missing_ordinals(&ds.partners, &ds.gaps),
            lang,
        );
    }
    let mut widths = headers.map(width);
    for r in &table {
        for (w, c) in widths.iter_mut().zip(r.iter()) {
            *w = (*w).max(width(c));
        }
    }
    let mut out = String::new();
    let line = |cells: [&str; 6], out: &mut String| {
        let mut l = format!("{:>w$}", cells[0], w = widths[0]);
        for (i, c) in cells.iter().enumerate().skip(1) {
            l.push_str("  ");
            l.push_str(&pad(c, widths[i]));
        }
        let _ = writeln!(out, "{}", l.trim_end());
    };
    line(headers, &mut out);
    for r in &table {
        line([&r[0], &r[1], &r[2], &r[3], &r[4], &r[5]], &mut out);
    }
    out
}

/// `table` (the rows of `partners`, in that order) with a row for each run of missing
/// ordinals where it falls: after the last partner below it.
fn with_gaps(
    table: Vec<[String; 6]>,
    partners: &[&Partner],
    missing: &[Missing],
    lang: Lang,
) -> Vec<[String; 6]> {
    // low[i] is the lowest ordinal from row i on; it only grows, so the rows before
    // the first with low[i] >= n are those up to the last partner below n.
    let mut low: Vec<u32> = partners.iter().map(|p| p.ordinal).collect();
    for i in (1..low.len()).rev() {
        low[i - 1] = low[i - 1].min(low[i]);
    }
    let what = match lang {
        Lang::En => "(not described in the sources)",
        Lang::Ja => "（資料に記載なし）",
    };
    let mut out = Vec::with_capacity(table.len() + missing.len());
    let mut gaps = missing.iter().peekable();
    for (i, row) in table.into_iter().enumerate() {
        while let Some(g) = gaps.next_if(|g| low.partition_point(|&o| o < g.first) <= i) {
            out.push(gap_row(g, what));
        }
        out.push(row);
    }
    out.extend(gaps.map(|g| gap_row(g, what)));
    out
}

fn gap_row(g: &Missing, what: &str) -> [String; 6] {
    [
        g.to_string(),
        "?".into(),
        what.into(),
        String::new(),
        String::new(),
        String::new(),
    ]
}

/// `check`: the summary and every warning.
pub fn check_report(loaded: &Loaded) -> String {
    let ds = &loaded.dataset;
    let mut out = String::new();
    let _ = writeln!(out, "{}: valid", loaded.origin);
    let _ = writeln!(
        out,
        "{} / {} (as of {})",
        ds.title.en, ds.title.ja, ds.as_of
    );
    let max = ds.partners.iter().map(|p| p.ordinal).max().unwrap_or(0);
    let _ = writeln!(
        out,
        "{} partnerships described, ordinals 1-{max}",
        ds.partners.len()
    );
    if let (Some(first), Some(last)) = (ds.partners.first(), ds.partners.last()) {
        let _ = writeln!(out, "signed from {} to {}", first.signed, last.signed);
    }
    let counts = |title: &str, v: Vec<(&Label, usize)>, out: &mut String| {
        let _ = writeln!(out, "{title}:");
        let w = v.iter().map(|(l, _)| width(&l.en)).max().unwrap_or(0);
        for (l, n) in v {
            let _ = writeln!(out, "  {}  {n:>3}  {}", pad(&l.en, w), l.ja);
        }
    };
    counts("by region", ds.count_by_region(), &mut out);
    counts("by kind", ds.count_by_kind(), &mut out);
    if loaded.warnings.is_empty() {
        let _ = writeln!(out, "no warnings");
    }
    for (kind, title) in [
        (WarningKind::Gap, "ordinal gaps"),
        (WarningKind::Conflict, "sources disagree"),
        (WarningKind::Inferred, "inferred facts"),
    ] {
        let ws: Vec<_> = loaded.warnings.iter().filter(|w| w.kind == kind).collect();
        if ws.is_empty() {
            continue;
        }
        let _ = writeln!(out, "warnings, {title} ({}):", ws.len());
        for w in ws {
            let _ = writeln!(out, "  warning: {w}");
        }
    }
    out
}

/// One match as `search --json` prints it: the `list --json` fields plus the score.
#[derive(Debug, Serialize)]
pub struct SearchEntry<'a> {
    /// The list fields.
    #[serde(flatten)]
    pub entry: ListEntry<'a>,
    /// Higher is better.
    pub score: i64,
}

/// `search --json`.
pub fn search_json(ds: &Dataset, hits: &[crate::search::Hit], today: NaiveDate) -> String {
    let entries: Vec<SearchEntry> = hits
        .iter()
        .map(|h| SearchEntry {
            entry: ListEntry::new(ds, &ds.partners[h.partner], today),
            score: h.score(),
        })
        .collect();
    serde_json::to_string_pretty(&entries).unwrap_or_else(|_| "[]".into()) + "\n"
}

/// The columns CSV adds after the JSON's: the fields whose value is inferred and the
/// fields on which the sources disagree (`signed;place`), empty when none.
#[derive(Debug, Serialize)]
struct Markers {
    /// `search --csv` only: the score, as in its JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<i64>,
    inferred: String,
    disputed: String,
}

impl Markers {
    fn of(p: &Partner, score: Option<i64>) -> Markers {
        let fields = |kind: crate::data::NoteKind| {
            let mut v: Vec<&str> = Vec::new();
            for n in p.notes.iter().filter(|n| n.kind == kind) {
                if !v.contains(&n.field.as_str()) {
                    v.push(&n.field);
                }
            }
            v.join(";")
        };
        Markers {
            score,
            inferred: fields(crate::data::NoteKind::Inferred),
            disputed: fields(crate::data::NoteKind::Conflict),
        }
    }
}

/// Rows as CSV (the csv crate quotes what needs it), with a header row. For Excel
/// (`excel`): a UTF-8 byte-order mark first, so that it reads Japanese as UTF-8, and a
/// `'` before any cell that it would take for a formula (`=`, `+`, `-`, `@`): dataset
/// text must not run as one.
fn csv_rows<'a>(rows: impl Iterator<Item = (ListEntry<'a>, Markers)>, excel: bool) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        // Strings and numbers into memory: cannot fail.
        let _ = w.serialize(row);
    }
    let body = w.into_inner().unwrap_or_default();
    if !excel {
        return String::from_utf8_lossy(&body).into_owned();
    }
    let mut guarded = csv::Writer::from_writer(Vec::from("\u{feff}"));
    let mut read = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_slice());
    for record in read.records().flatten() {
        let cells = record.iter().map(|c| {
            if c.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                format!("'{c}")
            } else {
                c.to_string()
            }
        });
        let _ = guarded.write_record(cells);
    }
    String::from_utf8_lossy(&guarded.into_inner().unwrap_or_default()).into_owned()
}

/// `list --csv`: the columns of `list --json`, then `inferred` and `disputed`.
pub fn list_csv(ds: &Dataset, f: &Filter, today: NaiveDate, excel: bool) -> String {
    let rows = filtered(ds, f, today)
        .into_iter()
        .map(|p| (ListEntry::new(ds, p, today), Markers::of(p, None)));
    csv_rows(rows, excel)
}

/// `search --csv`: the columns of `search --json`, then `inferred` and `disputed`.
pub fn search_csv(
    ds: &Dataset,
    hits: &[crate::search::Hit],
    today: NaiveDate,
    excel: bool,
) -> String {
    let rows = hits.iter().filter_map(|h| {
        let p = ds.partners.get(h.partner)?;
        Some((
            ListEntry::new(ds, p, today),
            Markers::of(p, Some(h.score())),
        ))
    });
    csv_rows(rows, excel)
}

/// How `search` marks matched characters: not at all (a pipe), bold/underline
/// (`NO_COLOR`), or in colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Highlight {
    /// Plain text.
    None,
    /// Bold and underlined.
    Mono,
    /// Bold magenta, underlined.
    Color,
}

fn marked(text: &str, marks: &[usize], hl: Highlight) -> String {
    let (on, off) = match hl {
        Highlight::None => return text.to_string(),
        Highlight::Mono => ("\x1b[1;4m", "\x1b[0m"),
        Highlight::Color => ("\x1b[1;4;35m", "\x1b[0m"),
    };
    let mut out = String::with_capacity(text.len());
    for (run, lit) in crate::text::mark_runs(text, marks) {
        if lit {
            out.push_str(on);
            out.push_str(run);
            out.push_str(off);
        } else {
            out.push_str(run);
        }
    }
    out
}

/// `search`: one ranked match per line, matched characters highlighted when asked.
pub fn search_lines(
    ds: &Dataset,
    hits: &[crate::search::Hit],
    lang: Lang,
    hl: Highlight,
) -> String {
    use crate::search::{Field, field_text};
    let mut out = String::new();
    let ow = hits
        .iter()
        .map(|h| ds.partners[h.partner].ordinal.to_string().len())
        .max()
        .unwrap_or(1);
    for h in hits {
        let p = &ds.partners[h.partner];
        let mut line = format!("{:>ow$}  {:<10}  ", p.ordinal, p.signed.to_string());
        line.push_str(&marked(p.name.get(lang), h.marks_in(Field::Name(lang)), hl));
        if let Some(s) = &p.short {
            line.push_str(" (");
            line.push_str(&marked(s, h.marks_in(Field::Short), hl));
            line.push(')');
        }
        if let Some((f, marks)) = h.other_field(&[Field::Name(lang), Field::Short])
            && let Some(text) = field_text(ds, p, f)
        {
            line.push_str("  = ");
            line.push_str(&marked(text, marks, hl));
        }
        let region = ds
            .region(&p.region)
            .map_or(p.region.as_str(), |r| r.label(lang));
        let kind = ds.kind(&p.kind).map_or(p.kind.as_str(), |k| k.label(lang));
        let _ = writeln!(out, "{line}  [{region}, {kind}]");
    }
    out
}

/// `show`: the best match's detail card for an 80-column terminal.
pub fn show_card(ds: &Dataset, p: &Partner, lang: Lang, today: NaiveDate) -> String {
    let mut out = crate::ui::detail_card(ds, p, lang, 80, today).join("\n");
    out.push('\n');
    out
}

/// `show --json`: the whole entry.
pub fn show_json(p: &Partner) -> String {
    serde_json::to_string_pretty(p).unwrap_or_else(|_| "{}".into()) + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ordinals of `list`'s first column, gaps placed by [`with_gaps`].
    fn placed(ordinals: &[u32], missing: &[(u32, u32)]) -> Vec<String> {
        let partners = crate::data::tests::numbered(ordinals);
        let rows: Vec<&Partner> = partners.iter().collect();
        let table = rows
            .iter()
            .map(|p| {
                std::array::from_fn(|i| {
                    if i == 0 {
                        p.ordinal.to_string()
                    } else {
                        String::new()
                    }
                })
            })
            .collect();
        let missing: Vec<Missing> = missing
            .iter()
            .map(|&(first, last)| Missing { first, last })
            .collect();
        with_gaps(table, &rows, &missing, Lang::En)
            .into_iter()
            .map(|r| r[0].clone())
            .collect()
    }

    #[test]
    fn a_gap_goes_after_the_last_partner_below_it() {
        assert_eq!(placed(&[1, 3], &[(2, 2)]), ["1", "2", "3"]);
        assert_eq!(placed(&[4], &[(1, 3)]), ["1-3", "4"]);
        assert_eq!(placed(&[], &[(1, 3)]), ["1-3"]);
        // Imprecise dates can put a higher ordinal first in date order: a gap still
        // follows the last partner below it.
        assert_eq!(
            placed(&[1, 4, 3, 8], &[(2, 2), (5, 6), (7, 7)]),
            ["1", "2", "4", "3", "5-6", "7", "8"]
        );
        assert_eq!(
            placed(&[5, 1, 2, 9], &[(3, 4), (6, 8)]),
            ["5", "1", "2", "3-4", "6-8", "9"]
        );
    }
}
