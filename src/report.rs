//! The commands' reports: `check`, `list`, `search` and `show`, as text, JSON and
//! Markdown. The browser never calls these; both read the catalog below them.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde::Serialize;

use chrono::NaiveDate;

use crate::catalog::Catalog;
use crate::data::{
    Dataset, Label, Lang, Loaded, Marks, Missing, NoteKind, Partner, WarningKind, fields_noted,
    missing_ordinals,
};
use crate::filter::Filter;
use crate::search::Hit;
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
    /// `active`, `ending`, `past_term` or `unknown`, as of the day asked about.
    pub status: &'static str,
    /// The fields whose value is inferred, not stated (`ordinal`, `signed`, `place`...).
    pub inferred: Vec<&'a str>,
    /// The fields on which the sources disagree (the value shown is one reading).
    pub disputed: Vec<&'a str>,
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
            inferred: fields_noted(&p.notes, NoteKind::Inferred),
            disputed: fields_noted(&p.notes, NoteKind::Conflict),
        }
    }
}

/// The partners a filter keeps, in timeline order.
pub fn filtered<'a>(ds: &'a Dataset, f: &Filter, today: NaiveDate) -> Vec<Cow<'a, Partner>> {
    f.matching(ds, today)
        .into_iter()
        .filter_map(|i| ds.partners.get(i))
        .collect()
}

/// A run of missing ordinals as `list --json` prints it, in the place the table gives
/// it: `"gap": true`, the run, and for a declared gap its note and what is deduced
/// about it (marked `"inferred": ["deduced"]`) with the sources the deduction is drawn
/// from.
#[derive(Debug, Serialize)]
pub struct GapEntry<'a> {
    /// Always true: this row is a gap, not a partner.
    pub gap: bool,
    /// The first missing ordinal.
    pub ordinal: u32,
    /// The last missing ordinal of the run (the same for one).
    pub last_ordinal: u32,
    /// What the sources let us say about it, or null.
    pub note: Option<&'a str>,
    /// What is deduced about the missing partnership, in English, or null.
    pub deduced_en: Option<&'a str>,
    /// The same in Japanese, or null.
    pub deduced_ja: Option<&'a str>,
    /// `["deduced"]` when there is a deduction: it is ours, not stated.
    pub inferred: Vec<&'static str>,
    /// The sources the deduction is drawn from.
    pub sources: &'a [String],
}

impl<'a> GapEntry<'a> {
    fn new(ds: &'a Dataset, m: &Missing) -> GapEntry<'a> {
        let declared = ds.gaps.iter().find(|g| m.is_one() && g.ordinal == m.first);
        let deduced = declared.and_then(|g| g.deduced.as_ref());
        GapEntry {
            gap: true,
            ordinal: m.first,
            last_ordinal: m.last,
            note: declared.map(|g| g.note.as_str()),
            deduced_en: deduced.map(|d| d.en.as_str()),
            deduced_ja: deduced.map(|d| d.ja.as_str()),
            inferred: if deduced.is_some() {
                vec!["deduced"]
            } else {
                Vec::new()
            },
            sources: declared.map_or(&[], |g| g.sources.as_slice()),
        }
    }
}

/// A row of `list --json`: a partner, or (unfiltered) a gap in the numbering.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum ListRow<'a> {
    /// A partner.
    Partner(ListEntry<'a>),
    /// Missing ordinals.
    Gap(GapEntry<'a>),
}

/// `list --json`: the partners, and when unfiltered the gaps in their numbering where
/// the table puts them.
pub fn list_json(ds: &Dataset, f: &Filter, today: NaiveDate) -> String {
    let partners = filtered(ds, f, today);
    let entries: Vec<ListRow> = partners
        .iter()
        .map(|p| ListRow::Partner(ListEntry::new(ds, p, today)))
        .collect();
    let entries = if f.is_active() {
        entries
    } else {
        let missing = missing_ordinals(&ds.partners, &ds.gaps);
        place_gaps(entries, &partners, &missing, |m| {
            ListRow::Gap(GapEntry::new(ds, m))
        })
    };
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
    // Each value with its sign (see `Marks::LEGEND`), which the legend below explains.
    let mut signs = false;
    // Numbers right-aligned, a slot for their signs after them.
    let ow = rows
        .iter()
        .map(|p| p.marks("ordinal").sign().len())
        .max()
        .unwrap_or(0);
    signs |= ow > 0;
    let mut table: Vec<[String; 6]> = rows
        .iter()
        .map(|p| {
            let mut cell = |value: String, field: &str| {
                let marks = if field == "name" {
                    p.name_marks(lang)
                } else {
                    p.marks(field)
                };
                let sign = marks.sign();
                signs |= !sign.is_empty() && !value.is_empty();
                if value.is_empty() {
                    value
                } else {
                    value + sign
                }
            };
            [
                format!("{}{:<ow$}", p.ordinal, p.marks("ordinal").sign()),
                cell(p.signed.to_string(), "signed"),
                cell(p.name.get(lang).to_string(), "name"),
                cell(p.short.clone().unwrap_or_default(), "short"),
                cell(
                    ds.region(&p.region)
                        .map_or(p.region.clone(), |r| r.label(lang).to_string()),
                    "region",
                ),
                cell(
                    ds.kind(&p.kind)
                        .map_or(p.kind.clone(), |k| k.label(lang).to_string()),
                    "kind",
                ),
            ]
        })
        .collect();
    // What the dataset deduces about a missing partnership, below the table.
    let mut deductions: Vec<String> = Vec::new();
    if !f.is_active() {
        let missing = missing_ordinals(&ds.partners, &ds.gaps);
        table = with_gaps(table, &rows, &missing, (lang, ow));
        for g in ds.gaps.iter().filter(|g| g.deduced.is_some()) {
            if missing.iter().any(|m| m.is_one() && m.first == g.ordinal) {
                let words = crate::summary::deduced_words(g, lang);
                let words = words.trim_start_matches([';', '、', ' ']);
                deductions.push(format!("No. {}: {words}", g.ordinal));
                signs = true;
                for r in table.iter_mut() {
                    if r[0].trim_end() == g.ordinal.to_string() && r[1] == "?" {
                        r[1] = "?*".into();
                    }
                }
            }
        }
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
    if !deductions.is_empty() {
        out.push('\n');
        for d in &deductions {
            let _ = writeln!(out, "{d}");
        }
    }
    if signs {
        let (en, ja) = Marks::LEGEND;
        let _ = writeln!(out, "\n{}", crate::i18n::tr(lang, en, ja));
    }
    out
}

/// `table` (the rows of `partners`, in that order) with a row for each run of missing
/// ordinals where it falls: after the last partner below it.
fn with_gaps(
    table: Vec<[String; 6]>,
    partners: &[Cow<'_, Partner>],
    missing: &[Missing],
    (lang, ow): (Lang, usize),
) -> Vec<[String; 6]> {
    let what = match lang {
        Lang::En => "(not described in the sources)",
        Lang::Ja => "（資料に記載なし）",
    };
    place_gaps(table, partners, missing, |g| gap_row(g, what, ow))
}

/// `rows` (one for each of `partners`, in order) with a row made by `gap` for each run
/// of `missing` ordinals, after the last partner below it.
fn place_gaps<T>(
    rows: Vec<T>,
    partners: &[Cow<'_, Partner>],
    missing: &[Missing],
    gap: impl Fn(&Missing) -> T,
) -> Vec<T> {
    // low[i] is the lowest ordinal from row i on; it only grows, so the rows before
    // the first with low[i] >= n are those up to the last partner below n.
    let mut low: Vec<u32> = partners.iter().map(|p| p.ordinal).collect();
    for i in (1..low.len()).rev() {
        low[i - 1] = low[i - 1].min(low[i]);
    }
    let mut out = Vec::with_capacity(rows.len() + missing.len());
    let mut gaps = missing.iter().peekable();
    for (i, row) in rows.into_iter().enumerate() {
        while let Some(g) = gaps.next_if(|g| low.partition_point(|&o| o < g.first) <= i) {
            out.push(gap(g));
        }
        out.push(row);
    }
    out.extend(gaps.map(gap));
    out
}

fn gap_row(g: &Missing, what: &str, ow: usize) -> [String; 6] {
    [
        format!("{g}{}", " ".repeat(ow)),
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
    let max = ds.partners.ordinals().max().unwrap_or(0);
    let _ = writeln!(
        out,
        "{} partnerships described, ordinals 1-{max}",
        ds.partners.len()
    );
    if let (Some(first), Some(last)) = (ds.partners.first(), ds.partners.last()) {
        // Whose dates they are, and how they stand with the sources.
        let whose = |p: &Partner| {
            let m = p.marks("signed");
            let mut w = vec![p.id.as_str()];
            w.extend(m.inferred.then_some("inferred"));
            w.extend(m.disputed.then_some("sources disagree"));
            w.join("; ")
        };
        let _ = writeln!(
            out,
            "signed from {} ({}) to {} ({})",
            first.signed,
            whose(&first),
            last.signed,
            whose(&last)
        );
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

/// What a search found: the partners' hits, best first, and the hub's, if it matched.
#[derive(Debug, Clone, Copy)]
pub struct Found<'a> {
    /// The partners that matched, best first.
    pub hits: &'a [Hit],
    /// The hub's match (see [`Catalog::hub_hit`]).
    pub hub: Option<&'a Hit>,
    /// The query's terms, which the hits' marks are filled with where they are not.
    pub terms: &'a [crate::search::Term],
}

/// Where the hub goes among the hits: before the first that ranks no higher (as `show`
/// picks the hub on a tie, see [`Catalog::hub_first`]).
fn hub_at(found: &Found) -> Option<usize> {
    let hub = found.hub?;
    Some(
        found
            .hits
            .iter()
            .position(|h| h.score() <= hub.score())
            .unwrap_or(found.hits.len()),
    )
}

/// What the search matched where the result does not show it (`person: Akihiko
/// Soyama`), or null when it matched the name.
fn matched_text(ds: &Dataset, p: &Partner, h: &Hit, lang: Lang) -> Option<String> {
    use crate::search::{Field, field_intro, field_text};
    let (f, _) = h.other_field(&[Field::Name(lang), Field::Short])?;
    let text = field_text(ds, p, f)?;
    let mut line = field_intro(p, f, lang).unwrap_or_default() + text;
    // A Latin-letter name of ours says so.
    if let Field::Person(i, Lang::En) = f
        && p.people.get(i).is_some_and(|x| x.romanised)
    {
        let (en, ja) = crate::data::Person::ROMANISED;
        line.push_str(crate::i18n::tr(lang, en, ja));
    }
    Some(line)
}

/// One match as `search --json` prints it: the `list --json` fields plus the score and
/// what matched; the hub, when it matches, as `{"hub": true, ...}` with its names.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum SearchEntry<'a> {
    /// A partner.
    Partner {
        /// The list fields.
        #[serde(flatten)]
        entry: Box<ListEntry<'a>>,
        /// Higher is better.
        score: i64,
        /// What matched, when it is not the name (`person: Akihiko Soyama`).
        matched: Option<String>,
    },
    /// The hub.
    Hub {
        /// Always true.
        hub: bool,
        /// The hub's short name.
        id: &'a str,
        /// Japanese name.
        name_ja: &'a str,
        /// English name.
        name_en: &'a str,
        /// Higher is better.
        score: i64,
        /// What matched, when it is not the name.
        matched: Option<String>,
    },
}

/// `search --json`.
pub fn search_json(catalog: &Catalog, found: &Found, today: NaiveDate) -> String {
    let partners = found_partners(catalog, found);
    let entries = search_entries(catalog, found, &partners, today);
    serde_json::to_string_pretty(&entries).unwrap_or_else(|_| "[]".into()) + "\n"
}

/// The partner of each of `found`'s hits.
fn found_partners<'a>(catalog: &'a Catalog, found: &Found) -> Vec<Option<Cow<'a, Partner>>> {
    let ds = catalog.dataset();
    found
        .hits
        .iter()
        .map(|h| ds.partners.get(h.partner))
        .collect()
}

/// The entries of `search --json` and `search --csv`, best first, the hub among them;
/// `partners` are the hits' partners ([`found_partners`]).
fn search_entries<'a>(
    catalog: &'a Catalog,
    found: &Found,
    partners: &'a [Option<Cow<'a, Partner>>],
    today: NaiveDate,
) -> Vec<SearchEntry<'a>> {
    let ds = catalog.dataset();
    let mut entries: Vec<SearchEntry> = found
        .hits
        .iter()
        .zip(partners)
        .filter_map(|(h, p)| {
            let p = p.as_deref()?;
            Some(SearchEntry::Partner {
                entry: Box::new(ListEntry::new(ds, p, today)),
                score: h.score(),
                matched: matched_text(ds, p, h, Lang::En),
            })
        })
        .collect();
    if let (Some(at), Some(h)) = (hub_at(found), found.hub) {
        let (hds, hp) = catalog.hub_entry();
        entries.insert(
            at,
            SearchEntry::Hub {
                hub: true,
                id: &ds.hub.short,
                name_ja: &ds.hub.name.ja,
                name_en: &ds.hub.name.en,
                score: h.score(),
                matched: matched_text(hds, hp, h, Lang::En),
            },
        );
    }
    entries
}

/// A JSON object's fields, in the order they were written.
struct Fields(Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for Fields {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Fields, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Fields;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Fields, A::Error> {
                let mut fields = Vec::new();
                while let Some(pair) = map.next_entry()? {
                    fields.push(pair);
                }
                Ok(Fields(fields))
            }
        }
        d.deserialize_map(V)
    }
}

/// The fields of a row as its JSON has them, in order.
fn fields_of(row: &impl Serialize) -> Vec<(String, serde_json::Value)> {
    serde_json::to_string(row)
        .ok()
        .and_then(|s| serde_json::from_str::<Fields>(&s).ok())
        .map_or_else(Vec::new, |f| f.0)
}

/// A JSON value as a spreadsheet cell: null empty, a list joined with `;`.
fn cell(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(";"),
        other => other.to_string(),
    }
}

/// Rows as CSV with a header row: the columns of their JSON, in its order (a column
/// only some rows have, as the hub's `hub`, comes after; other rows leave it empty). Written with the csv
/// crate, which quotes what needs it. For Excel (`excel`): a UTF-8 byte-order mark
/// first, so that it reads Japanese as UTF-8, and a `'` before any cell it would take
/// for a formula (`=`, `+`, `-`, `@`): dataset text must not run as one.
fn csv_table(rows: &[Vec<(String, serde_json::Value)>], excel: bool) -> String {
    // The fullest row's order first (a partner's, not the hub's).
    let mut by_size: Vec<&Vec<(String, serde_json::Value)>> = rows.iter().collect();
    by_size.sort_by_key(|r| std::cmp::Reverse(r.len()));
    let mut header: Vec<&str> = Vec::new();
    for (name, _) in by_size.into_iter().flatten() {
        if !header.contains(&name.as_str()) {
            header.push(name);
        }
    }
    let guard = |c: String| {
        if excel && c.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{c}")
        } else {
            c
        }
    };
    let start = if excel {
        Vec::from("\u{feff}")
    } else {
        Vec::new()
    };
    let mut w = csv::Writer::from_writer(start);
    // Into memory: cannot fail.
    let _ = w.write_record(&header);
    for row in rows {
        let cells = header.iter().map(|h| {
            let value = row.iter().find(|(n, _)| n == h).map(|(_, v)| cell(v));
            guard(value.unwrap_or_default())
        });
        let _ = w.write_record(cells);
    }
    String::from_utf8_lossy(&w.into_inner().unwrap_or_default()).into_owned()
}

/// `list --csv`: the columns and values of `list --json`, its lists (the inferred and
/// disputed fields) joined with `;`.
pub fn list_csv(ds: &Dataset, f: &Filter, today: NaiveDate, excel: bool) -> String {
    let partners = filtered(ds, f, today);
    let rows: Vec<_> = partners
        .iter()
        .map(|p| fields_of(&ListEntry::new(ds, p, today)))
        .collect();
    csv_table(&rows, excel)
}

/// `search --csv`: the columns and values of `search --json`, as for `list --csv`.
pub fn search_csv(catalog: &Catalog, found: &Found, today: NaiveDate, excel: bool) -> String {
    let partners = found_partners(catalog, found);
    let rows: Vec<_> = search_entries(catalog, found, &partners, today)
        .iter()
        .map(fields_of)
        .collect();
    csv_table(&rows, excel)
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

fn marked(out: &mut String, text: &str, marks: &[usize], hl: Highlight) {
    let (on, off) = match hl {
        Highlight::None => return out.push_str(text),
        Highlight::Mono => ("\x1b[1;4m", "\x1b[0m"),
        Highlight::Color => ("\x1b[1;4;35m", "\x1b[0m"),
    };
    for (run, lit) in crate::text::mark_runs(text, marks) {
        if lit {
            out.push_str(on);
            out.push_str(run);
            out.push_str(off);
        } else {
            out.push_str(run);
        }
    }
}

/// `search`: one ranked match per line, matched characters highlighted when asked; the
/// hub, when it matches, where it ranks, marked `hub`.
pub fn search_lines(catalog: &Catalog, found: &Found, lang: Lang, hl: Highlight) -> String {
    let mut out = String::new();
    let _ = search_lines_to(catalog, found, lang, hl, &mut |text: &str| {
        out.push_str(text);
        Ok(())
    });
    out
}

/// How many of a search's lines [`search_lines_to`] makes at once.
const LINES_AT_ONCE: usize = 32768;

/// [`search_lines`], given to `sink` a batch of lines at a time; the sink's error
/// stops it.
pub fn search_lines_to(
    catalog: &Catalog,
    found: &Found,
    lang: Lang,
    hl: Highlight,
    sink: &mut dyn FnMut(&str) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let ds = catalog.dataset();
    let ow = found
        .hits
        .iter()
        .filter_map(|h| ds.partners.brief(h.partner))
        .map(|b| b.ordinal.to_string().len())
        .max()
        .unwrap_or(1);
    let hub_at = hub_at(found);
    let mut out = String::new();
    for (n, batch) in found.hits.chunks(LINES_AT_ONCE).enumerate() {
        let runs = batch_lines(catalog, found, batch, (ow, lang, hl));
        let mut spans: Vec<Option<(usize, std::ops::Range<usize>)>> = vec![None; batch.len()];
        for (r, (_, at)) in runs.iter().enumerate() {
            for (k, span) in at {
                spans[*k] = Some((r, span.clone()));
            }
        }
        for (i, span) in spans.into_iter().enumerate() {
            if hub_at == Some(n * LINES_AT_ONCE + i) {
                hub_line(catalog, found, ow, lang, hl, &mut out);
            }
            if let Some((r, span)) = span {
                out.push_str(runs[r].0.get(span).unwrap_or_default());
            }
        }
        sink(&out)?;
        out.clear();
    }
    if hub_at == Some(found.hits.len()) {
        hub_line(catalog, found, ow, lang, hl, &mut out);
    }
    sink(&out)
}

/// The lines one core made: their text, and each hit's (by its place in the batch)
/// span of it.
type RunLines = (String, Vec<(usize, std::ops::Range<usize>)>);

/// The lines of `batch` (some of `found`'s hits): made on every core, the partners'
/// texts read in the partners' order (a stored catalog's blocks one after another),
/// each hit marked as its line is made; per core, its lines' text and where each
/// hit's line lies in it.
fn batch_lines(
    catalog: &Catalog,
    found: &Found,
    batch: &[Hit],
    (ow, lang, hl): (usize, Lang, Highlight),
) -> Vec<RunLines> {
    let ds = catalog.dataset();
    let mut order: Vec<(usize, usize)> = (batch.iter().enumerate())
        .map(|(k, h)| (h.partner, k))
        .collect();
    order.sort_unstable();
    crate::search::per_core(&order, |run| {
        let (partners, at): (Vec<usize>, Vec<usize>) = run.iter().copied().unzip();
        let mut text = String::with_capacity(96 * run.len());
        let mut spans = Vec::with_capacity(run.len());
        let mut next = 0;
        ds.partners.visit_texts(&partners, |i, p| {
            // `visit_texts` skips none but a partner that cannot be read at all.
            while partners.get(next).is_some_and(|&j| j != i) {
                next += 1;
            }
            let (Some(&k), Some(b)) = (at.get(next), ds.partners.brief(i)) else {
                return;
            };
            next += 1;
            let mut h = batch[k].clone();
            match hl {
                // Plain lines need only which field matched.
                Highlight::None => catalog.index().fill_fields(&mut h, found.terms),
                _ => catalog.index().fill_marks(&mut h, found.terms),
            }
            let head = Head(ow, b.ordinal, b.signed);
            let region = ds.region(b.region).map_or(b.region, |r| r.label(lang));
            let kind = ds.kind(b.kind).map_or(b.kind, |k| k.label(lang));
            let tail = Tail(region, kind);
            let from = text.len();
            hit_line(&mut text, ds, p, &h, (&head, &tail), (lang, hl));
            spans.push((k, from..text.len()));
        });
        (text, spans)
    })
}

/// The start of a partner's line in `search`: its number right-aligned to `.0`
/// columns, and its date.
struct Head(usize, u32, crate::data::SignedDate);

impl std::fmt::Display for Head {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Head(ow, ordinal, signed) = self;
        write!(f, "{ordinal:>ow$}  {:<10}  ", signed.to_string())
    }
}

/// The end of a partner's line in `search`: its region and kind.
struct Tail<'a>(&'a str, &'a str);

impl std::fmt::Display for Tail<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "  [{}, {}]", self.0, self.1)
    }
}

/// The hub's line in `search`.
fn hub_line(
    catalog: &Catalog,
    found: &Found,
    ow: usize,
    lang: Lang,
    hl: Highlight,
    out: &mut String,
) {
    let Some(h) = found.hub else { return };
    let (ds, p) = catalog.hub_entry();
    let head = format!("{:>ow$}  {:<10}  ", "-", "hub");
    let tail = format!(
        "  [{}]",
        crate::i18n::tr(lang, "the hub", "ネットワークの中心")
    );
    hit_line(out, ds, p, h, (&head, &tail), (lang, hl));
}

/// One result line: `head`, the name and short name, what else matched, `tail`.
fn hit_line(
    out: &mut String,
    ds: &Dataset,
    p: &dyn crate::data::Searchable,
    h: &Hit,
    (head, tail): (&dyn std::fmt::Display, &dyn std::fmt::Display),
    (lang, hl): (Lang, Highlight),
) {
    use crate::search::{Field, field_intro, field_text};
    let _ = write!(out, "{head}");
    marked(out, p.name(lang), h.marks_in(Field::Name(lang)), hl);
    if let Some(s) = p.short() {
        out.push_str(" (");
        marked(out, s, h.marks_in(Field::Short), hl);
        out.push(')');
    }
    if let Some((f, marks)) = h.other_field(&[Field::Name(lang), Field::Short])
        && let Some(text) = field_text(ds, p, f)
    {
        out.push_str("  = ");
        out.push_str(&field_intro(p, f, lang).unwrap_or_default());
        marked(out, text, marks, hl);
    }
    let _ = writeln!(out, "{tail}");
}

/// `show`: the best match's detail card for an 80-column terminal; with `links`, the
/// addresses that may be are OSC 8 hyperlinks.
pub fn show_card(ds: &Dataset, p: &Partner, lang: Lang, today: NaiveDate, links: bool) -> String {
    let mut out = crate::ui::detail_card_linked(ds, p, lang, (80, today), links).join("\n");
    out.push('\n');
    out
}

/// `show --json`: the whole entry.
pub fn show_json(p: &Partner) -> String {
    serde_json::to_string_pretty(p).unwrap_or_else(|_| "{}".into()) + "\n"
}

/// `show LINK-J`: the hub's card for an 80-column terminal (with `links`, as for
/// [`show_card`]).
pub fn hub_card(catalog: &Catalog, lang: Lang, links: bool) -> String {
    let mut out = crate::ui::hub_card_linked(catalog, lang, 80, links).join("\n");
    out.push('\n');
    out
}

/// `show LINK-J --json`: the hub's entry, with the gaps in the partners' numbering and
/// the notes on the dataset as a whole (which the hub's card shows).
pub fn hub_json(ds: &Dataset) -> String {
    #[derive(Serialize)]
    struct HubJson<'a> {
        hub: &'a crate::data::Hub,
        gaps: &'a [crate::data::Gap],
        notes: &'a [crate::data::Note],
    }
    let v = HubJson {
        hub: &ds.hub,
        gaps: &ds.gaps,
        notes: &ds.notes,
    };
    serde_json::to_string_pretty(&v).unwrap_or_else(|_| "{}".into()) + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_search_lines_name_the_fields_highlighted_ones_do() {
        // Into a pipe, a line's field is found without its positions: it must be the
        // field the highlighted line shows, for words, substrings, scattered letters,
        // people, roles, Japanese text and one-typo matches.
        let mut ron = Vec::new();
        crate::synth::write_dataset(&mut ron, 1500, 17).expect("generate");
        let loaded = crate::data::load_bytes(&ron, "gen.ron").expect("valid");
        let catalog = Catalog::new(loaded);
        let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
        let filter = crate::filter::Filter::default();
        let strip = |s: &str| s.replace("\x1b[1;4m", "").replace("\x1b[0m", "");
        let mut other_fields = 0;
        for q in [
            "o",
            "k",
            "osaka",
            "kob",
            "univ sci",
            "ynh",
            "watanabe",
            "director",
            "大阪",
            "横浜",
            "tokyo",
            "immunolgy",
            "watanbe",
            "watnaabe",
            "immuonlogy",
            "'clu",
            "^ky",
            "7",
        ] {
            let terms = crate::search::parse_query(q);
            let hits = catalog.search_unmarked(&filter, today, q);
            let hub = catalog.hub_first(&filter, today, q);
            let found = Found {
                hits: &hits,
                hub: hub.as_ref(),
                terms: &terms,
            };
            for lang in [Lang::En, Lang::Ja] {
                let plain = search_lines(&catalog, &found, lang, Highlight::None);
                let lit = search_lines(&catalog, &found, lang, Highlight::Mono);
                assert_eq!(plain, strip(&lit), "{q:?} in {lang:?}");
                other_fields += plain.matches("  = ").count();
            }
        }
        assert!(
            other_fields > 100,
            "{other_fields} lines showed another field"
        );
    }

    /// The ordinals of `list`'s first column, gaps placed by [`with_gaps`].
    fn placed(ordinals: &[u32], missing: &[(u32, u32)]) -> Vec<String> {
        let partners = crate::data::tests::numbered(ordinals);
        let rows: Vec<Cow<'_, Partner>> = partners.iter().collect();
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
        with_gaps(table, &rows, &missing, (Lang::En, 0))
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
