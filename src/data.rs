//! The dataset model, RON loading and validation.
//!
//! A dataset declares its own vocabularies (regions, kinds, countries), so linkj can browse
//! any partnership network, not only LINK-J's. Everything that comes from a file is
//! untrusted: loading never panics, and every failure is one sentence with a location.

use std::cmp::Ordering;
use std::collections::BTreeMap;

// A fast seeded hash for the tables built over every partner at load time (SipHash
// was a measurable share of loading 100k partners).
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::fmt;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The dataset compiled into the binary.
pub const EMBEDDED_RON: &str = include_str!("../assets/partners.ron");
/// The name the embedded dataset goes by in messages.
pub const EMBEDDED_NAME: &str = "assets/partners.ron (embedded)";
/// Files larger than this are refused before they are read (a dataset of a million
/// partners in our schema is well under it).
pub const MAX_FILE_BYTES: u64 = 1 << 30;
/// The longest term a partnership may state, in years: a longer one means nothing (and
/// its end would lie past the dates the calendar handles).
pub const MAX_TERM_YEARS: u32 = 1000;

/// A piece of text in both display languages.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Japanese.
    pub ja: String,
    /// English.
    pub en: String,
}

/// A display language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, clap::ValueEnum)]
pub enum Lang {
    /// Japanese.
    Ja,
    /// English.
    #[default]
    En,
}

impl Lang {
    /// The other language.
    pub fn toggled(self) -> Lang {
        match self {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        }
    }
}

impl Text {
    /// The text in `lang`, falling back to the other language when empty.
    pub fn get(&self, lang: Lang) -> &str {
        let (first, second) = match lang {
            Lang::Ja => (&self.ja, &self.en),
            Lang::En => (&self.en, &self.ja),
        };
        if first.is_empty() { second } else { first }
    }
}

/// An entry of a vocabulary (a region or a kind): an id and its labels.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// Stable id used by partners, e.g. `north-america`.
    pub id: String,
    /// Japanese label.
    pub ja: String,
    /// English label.
    pub en: String,
    /// A compact form for narrow columns (the timeline's tags), if the label is long.
    #[serde(default)]
    pub tag: Option<Text>,
}

impl Label {
    /// The label in `lang`.
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }

    /// The compact form in `lang`, or the label.
    pub fn tag(&self, lang: Lang) -> &str {
        self.tag.as_ref().map_or(self.label(lang), |t| t.get(lang))
    }

    /// Whether `value` names this entry: its id or a label, case-insensitively.
    pub fn matches(&self, value: &str) -> bool {
        let v = value.trim().to_lowercase();
        [&self.id, &self.ja, &self.en]
            .iter()
            .any(|s| s.to_lowercase() == v)
    }
}

/// A country: ISO 3166 alpha-2 code, names and the short forms people use.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code, e.g. `FR`.
    pub id: String,
    /// Japanese name.
    pub ja: String,
    /// English name.
    pub en: String,
    /// Other names and abbreviations (`仏`, `UK`…).
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// A source document the dataset was compiled from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// File name, as partners cite it.
    pub file: String,
    /// What the document is.
    pub title: Text,
}

/// A person named in a source.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// The name; the English form of a Japanese name is our reading unless a source gives it.
    pub name: Text,
    /// Title or role at the time.
    pub role: Text,
    /// Which side of the partnership the person speaks for.
    #[serde(default)]
    pub side: Side,
    /// Named at the signing (e.g. in the signing photo's caption).
    #[serde(default)]
    pub at_signing: bool,
    /// The person's quoted statement, as the source gives it.
    #[serde(default)]
    pub quote: Option<String>,
}

/// Which organisation a person represents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
pub enum Side {
    /// The hub (LINK-J).
    Hub,
    /// The partner organisation.
    #[default]
    Partner,
}

/// The network's hub organisation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Hub {
    /// Full name.
    pub name: Text,
    /// Short name, e.g. `LINK-J`.
    pub short: String,
    /// Registered seat.
    pub seat: Text,
    /// Chair of the board.
    pub chair: Person,
    /// Where the hub's seat is on the map.
    #[serde(default)]
    pub location: Option<Location>,
    /// Web address.
    #[serde(default)]
    pub url: Option<String>,
    /// What the hub is.
    #[serde(default)]
    pub description: Option<Text>,
    /// Conflicting or inferred facts about the hub.
    #[serde(default)]
    pub notes: Vec<Note>,
}

/// A point on the map: the public coordinates of a city, with what they are of.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Latitude in degrees, north positive (-90 to 90).
    pub lat: f64,
    /// Longitude in degrees, east positive (-180 to 180).
    pub lon: f64,
    /// What the point is and where it comes from, e.g. `Kobe city centre; public
    /// coordinates, not from the sources`.
    pub basis: String,
}

// Validation rejects NaN, so equality is total.
impl Eq for Location {}

/// Whether a note records a disagreement between sources or an inference of ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum NoteKind {
    /// Sources disagree; every reading is recorded.
    Conflict,
    /// The fact is inferred, not stated; the note gives the reasoning.
    Inferred,
}

/// One reading of a fact and the sources that give it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Reading {
    /// The value as a source gives it.
    pub value: String,
    /// The sources giving it (file names, optionally with where in the file).
    pub sources: Vec<String>,
}

/// A conflicting or inferred fact.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// Conflict or inference.
    pub kind: NoteKind,
    /// The field it concerns (`signed`, `ordinal`, `place`…).
    pub field: String,
    /// The explanation.
    pub text: String,
    /// For a conflict: every reading, with its sources.
    #[serde(default)]
    pub readings: Vec<Reading>,
}

/// An ordinal that no document describes, with what can be said about it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Gap {
    /// The missing ordinal.
    pub ordinal: u32,
    /// What the sources let us say about it.
    pub note: String,
}

/// Consecutive ordinals that no partner has, `first` to `last` (the same for one).
///
/// Gaps are kept as runs so that what they take follows the size of the file, not the
/// numbers in it: one partner numbered 4,000,000,000 is one run, not four billion gaps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Missing {
    /// The lowest missing ordinal of the run.
    pub first: u32,
    /// The highest.
    pub last: u32,
}

impl Missing {
    /// How many ordinals the run holds.
    pub fn count(&self) -> u64 {
        u64::from(self.last.saturating_sub(self.first)) + 1
    }

    /// Whether the run is a single ordinal.
    pub fn is_one(&self) -> bool {
        self.first == self.last
    }

    /// `15`, or `17` and `3999999999` joined by `sep`.
    pub fn span(&self, sep: &str) -> String {
        if self.is_one() {
            self.first.to_string()
        } else {
            format!("{}{sep}{}", self.first, self.last)
        }
    }
}

impl fmt::Display for Missing {
    /// `15`, or `17-3999999999`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.span("-"))
    }
}

/// One scope item of a partnership (提携内容).
pub type ScopeItem = Text;

/// One partnership.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    /// Stable slug, e.g. `ucla`.
    pub id: String,
    /// The partnership's number in the hub's count ("N例目").
    pub ordinal: u32,
    /// Name in both languages.
    pub name: Text,
    /// Short name (UCSD, KRP…), if there is one.
    #[serde(default)]
    pub short: Option<String>,
    /// Other names a user might type: readings, English forms, former names.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// Region id, declared by the dataset.
    pub region: String,
    /// City / prefecture / state.
    pub place: Text,
    /// Kind id, declared by the dataset.
    pub kind: String,
    /// Signing date, in the precision the sources give.
    pub signed: SignedDate,
    /// Cooperation scope items (提携内容).
    #[serde(default)]
    pub scope: Vec<ScopeItem>,
    /// The source's list ends in "等" (and more).
    #[serde(default)]
    pub scope_etc: bool,
    /// Signatories and people quoted.
    #[serde(default)]
    pub people: Vec<Person>,
    /// Where to plot the partner on the map: public coordinates of its city.
    #[serde(default)]
    pub location: Option<Location>,
    /// Term of the MOU in years, where stated.
    #[serde(default)]
    pub term_years: Option<u32>,
    /// `signed` is only the earliest possible date (a later one cannot be ruled out),
    /// so a term's end is only the earliest possible end.
    #[serde(default)]
    pub signed_at_earliest: bool,
    /// A short description.
    pub description: Text,
    /// Source files the entry comes from.
    pub sources: Vec<String>,
    /// Conflicting or inferred facts.
    #[serde(default)]
    pub notes: Vec<Note>,
}

/// A whole dataset.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    /// What the dataset is.
    pub title: Text,
    /// The date the dataset describes the network as of.
    pub as_of: SignedDate,
    /// The hub organisation.
    pub hub: Hub,
    /// Regions, in display and filter order.
    pub regions: Vec<Label>,
    /// Kinds of partner, in display and filter order.
    pub kinds: Vec<Label>,
    /// Countries the partners are in.
    #[serde(default)]
    pub countries: Vec<Country>,
    /// The documents the dataset was compiled from.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// Explanations for ordinals no document describes.
    #[serde(default)]
    pub gaps: Vec<Gap>,
    /// Dataset-level conflicting or inferred facts.
    #[serde(default)]
    pub notes: Vec<Note>,
    /// The partnerships.
    pub partners: Vec<Partner>,
}

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

/// Why a dataset could not be loaded. Each displays as one sentence with a location.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be opened or read.
    #[error("{path}: cannot read the dataset: {reason}")]
    Io {
        /// The file.
        path: String,
        /// What the operating system said.
        reason: String,
    },
    /// The path names a directory or another non-file.
    #[error("{path}: is a directory, not a dataset file")]
    NotAFile {
        /// The path.
        path: String,
    },
    /// The file is over the size limit.
    #[error("{path}: the file is {size} bytes, over the {limit}-byte limit for a dataset")]
    TooLarge {
        /// The file.
        path: String,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The file holds nothing but whitespace.
    #[error("{path}: the file is empty; a dataset starts with `Dataset(`")]
    Empty {
        /// The file.
        path: String,
    },
    /// The file is not UTF-8 text.
    #[error("{path}:{line}:{col}: the file is not UTF-8 text (invalid byte here)")]
    NotUtf8 {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        col: usize,
    },
    /// RON syntax or schema error.
    #[error("{path}:{line}:{col}: {message}")]
    Parse {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        col: usize,
        /// What is wrong.
        message: String,
    },
    /// The dataset parsed but breaks a rule.
    #[error("{path}:{line}:{col}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// 1-based line of the offending entry.
        line: usize,
        /// 1-based column.
        col: usize,
        /// What is wrong.
        message: String,
    },
}

/// What sort of soft finding a warning is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WarningKind {
    /// An ordinal no entry describes.
    Gap,
    /// Sources disagree.
    Conflict,
    /// A fact is inferred.
    Inferred,
}

/// A softer finding: the dataset is valid but a reader should know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Gap, conflict or inference.
    pub kind: WarningKind,
    /// The partner it concerns, if any.
    pub partner: Option<String>,
    /// One sentence.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.partner {
            Some(id) => write!(f, "{id}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// A loaded, validated dataset with its partners in timeline order.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The dataset; `partners` sorted by signing date, then ordinal.
    pub dataset: Dataset,
    /// Where it came from, for messages.
    pub origin: String,
    /// Softer findings.
    pub warnings: Vec<Warning>,
}

/// Loads the embedded dataset.
pub fn load_embedded() -> Result<Loaded, LoadError> {
    load_str(EMBEDDED_RON, EMBEDDED_NAME)
}

/// Loads a dataset file, refusing directories and oversized files before reading.
pub fn load_file(path: &Path) -> Result<Loaded, LoadError> {
    let name = path.display().to_string();
    let io = |e: std::io::Error| LoadError::Io {
        path: name.clone(),
        reason: describe_io_error(&e),
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(LoadError::NotAFile { path: name });
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: name,
            size: meta.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    // Pipes (`--data <(...)`) have no size up front: read at most one byte past the limit.
    // A file's size is known: allocate it once (growing by doubling would hold up to
    // twice the file while it is parsed).
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0) + 1);
    std::fs::File::open(path)
        .and_then(|f| {
            std::io::Read::read_to_end(&mut std::io::Read::take(f, MAX_FILE_BYTES + 1), &mut bytes)
        })
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: name,
            size: bytes.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    load_bytes(&bytes, &name)
}

/// An I/O error as the end of a sentence: "no such file", "permission denied".
pub fn describe_io_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            // Drop the "(os error N)" suffix: it means nothing to a reader.
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_lowercase(),
                None => s.to_lowercase(),
            }
        }
    }
}

/// Loads a dataset from raw bytes, checking the encoding first.
pub fn load_bytes(bytes: &[u8], name: &str) -> Result<Loaded, LoadError> {
    // Vectorised (several times faster than std's on Japanese text), and it says
    // where invalid text starts as std's does.
    match simdutf8::compat::from_utf8(bytes) {
        Ok(s) => load_str(s, name),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            // The valid prefix is UTF-8 by construction.
            let prefix = std::str::from_utf8(good).unwrap_or_default();
            let (line, col) = line_col_at(prefix, prefix.len());
            Err(LoadError::NotUtf8 {
                path: name.to_string(),
                line,
                col,
            })
        }
    }
}

/// Loads a dataset from text.
pub fn load_str(text: &str, name: &str) -> Result<Loaded, LoadError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if body.trim().is_empty() {
        return Err(LoadError::Empty {
            path: name.to_string(),
        });
    }
    // The plain subset most files are written in is read quickly; anything else, and
    // every error, is ron's to read and to word.
    let (mut dataset, plain): (Dataset, bool) = match read_fast(body) {
        Some(d) => (d, true),
        None => (parse_with_ron(body, name)?, false),
    };
    // The fast reader refuses raw control characters inside strings; so when it read
    // the file, and the file has no escape and no other byte of a character cleaning
    // removes (its whitespace between tokens aside), no string needs cleaning.
    let clean_already =
        plain && !body.contains('\\') && !crate::text::may_need_cleaning(body.as_bytes(), false);
    if !clean_already {
        clean_dataset(&mut dataset);
    }
    validate(dataset, body, name).map_err(|e| match e {
        LoadError::Invalid {
            path,
            line,
            col,
            message,
        } => LoadError::Invalid {
            path,
            line,
            col,
            message: bound_message(&message),
        },
        e => e,
    })
}

/// Files larger than this have their partner list read on two threads.
const SPLIT_FROM: usize = 4 << 20;

/// Reads a dataset in the plain subset of RON ([`crate::fast_ron`]), a large one's
/// partners on two threads; `None` when ron has to read it.
pub fn read_fast(body: &str) -> Option<Dataset> {
    read_fast_split_from(body, SPLIT_FROM)
}

/// [`read_fast`], splitting lists of at least `min_len` bytes (tests split small ones).
#[doc(hidden)]
pub fn read_fast_split_from(body: &str, min_len: usize) -> Option<Dataset> {
    let split = crate::fast_ron::from_str_split::<Dataset, Partner>(body, "partners", min_len);
    match split {
        Some((mut d, partners)) => {
            d.partners = partners;
            Some(d)
        }
        None => crate::fast_ron::from_str(body),
    }
}

/// Parses a dataset with ron (the reference reader), with its errors located.
pub fn parse_with_ron(body: &str, name: &str) -> Result<Dataset, LoadError> {
    ron::Options::default()
        .with_recursion_limit(64)
        .from_str(body)
        .map_err(|e| {
            let (line, col) = skip_blank(body, e.span.start.line.max(1), e.span.start.col.max(1));
            LoadError::Parse {
                path: name.to_string(),
                line,
                col,
                message: parse_message(&e.code),
            }
        })
}

/// Runs [`crate::text::clean`] over every string a dataset holds.
fn clean_dataset(ds: &mut Dataset) {
    use crate::text::clean_in_place as c;
    fn t(x: &mut Text) {
        c(&mut x.ja);
        c(&mut x.en);
    }
    fn l(x: &mut Label) {
        c(&mut x.id);
        c(&mut x.ja);
        c(&mut x.en);
        if let Some(tag) = &mut x.tag {
            t(tag);
        }
    }
    fn person(p: &mut Person) {
        t(&mut p.name);
        t(&mut p.role);
        if let Some(q) = &mut p.quote {
            c(q);
        }
    }
    fn note(n: &mut Note) {
        c(&mut n.field);
        c(&mut n.text);
        for r in &mut n.readings {
            c(&mut r.value);
            r.sources.iter_mut().for_each(c);
        }
    }
    t(&mut ds.title);
    t(&mut ds.hub.name);
    c(&mut ds.hub.short);
    t(&mut ds.hub.seat);
    person(&mut ds.hub.chair);
    if let Some(u) = &mut ds.hub.url {
        c(u);
    }
    if let Some(d) = &mut ds.hub.description {
        t(d);
    }
    ds.hub.notes.iter_mut().for_each(note);
    if let Some(l) = &mut ds.hub.location {
        c(&mut l.basis);
    }
    ds.regions.iter_mut().for_each(l);
    ds.kinds.iter_mut().for_each(l);
    for k in &mut ds.countries {
        c(&mut k.id);
        c(&mut k.ja);
        c(&mut k.en);
        k.aliases.iter_mut().for_each(c);
    }
    for s in &mut ds.sources {
        c(&mut s.file);
        t(&mut s.title);
    }
    for g in &mut ds.gaps {
        c(&mut g.note);
    }
    ds.notes.iter_mut().for_each(note);
    for p in &mut ds.partners {
        c(&mut p.id);
        t(&mut p.name);
        if let Some(s) = &mut p.short {
            c(s);
        }
        p.aliases.iter_mut().for_each(c);
        c(&mut p.country);
        c(&mut p.region);
        t(&mut p.place);
        if let Some(l) = &mut p.location {
            c(&mut l.basis);
        }
        c(&mut p.kind);
        p.scope.iter_mut().for_each(t);
        p.people.iter_mut().for_each(person);
        t(&mut p.description);
        p.sources.iter_mut().for_each(c);
        p.notes.iter_mut().for_each(note);
    }
}

fn parse_message(code: &ron::Error) -> String {
    match code {
        ron::Error::Eof => {
            return "the file ends too early (truncated, or a bracket is not closed)".into();
        }
        ron::Error::ExpectedString => return "expected a string in double quotes".into(),
        ron::Error::ExpectedInteger => return "expected a whole number".into(),
        ron::Error::ExpectedBoolean => return "expected true or false".into(),
        ron::Error::ExceededRecursionLimit => {
            return "the file is nested too deeply to be a dataset".into();
        }
        _ => {}
    }
    // Written through the bound, not `to_string`: ron's message quotes what it found,
    // which may be a name as long as the file.
    let mut b = Bounded::default();
    let _ = fmt::write(&mut b, format_args!("{code}"));
    let mut s = b.out;
    // RON's messages are sentence fragments; make them read as one sentence.
    if let Some(first) = s.get(..1) {
        let lower = first.to_lowercase();
        s.replace_range(..1, &lower);
    }
    s.trim_end_matches('.').to_string()
}

/// How many characters of a quoted piece of the file a message repeats.
const QUOTED_MAX: usize = 60;
/// How many characters a message has at most.
const MESSAGE_MAX: usize = 300;

/// `message` with every piece it quotes (in backticks or double quotes) cut to
/// [`QUOTED_MAX`] characters and an ellipsis, and the whole to [`MESSAGE_MAX`]: a
/// message repeats what it quotes of the file, and a file can hold a name of 200 MB.
fn bound_message(message: &str) -> String {
    let mut b = Bounded::default();
    let _ = fmt::Write::write_str(&mut b, message);
    b.out
}

/// A message being written within the bounds of [`bound_message`].
#[derive(Default)]
struct Bounded {
    out: String,
    /// Characters written so far (kept or not).
    chars: usize,
    /// The quote being written (its opening character), and its characters so far.
    quote: Option<char>,
    quoted: usize,
    /// Inside double quotes, the last character was an escaping backslash.
    escaped: bool,
}

impl Bounded {
    fn push(&mut self, c: char) {
        let keep = match self.quote {
            None => {
                if c == '`' || c == '"' {
                    self.quote = Some(c);
                    self.quoted = 0;
                    self.escaped = false;
                }
                true
            }
            Some(q) if c == q && !self.escaped => {
                self.quote = None;
                true
            }
            Some(q) => {
                self.escaped = q == '"' && c == '\\' && !self.escaped;
                self.quoted += 1;
                if self.quoted == QUOTED_MAX + 1 {
                    self.emit('…');
                }
                self.quoted <= QUOTED_MAX
            }
        };
        if keep {
            self.emit(c);
        }
    }

    fn emit(&mut self, c: char) {
        if self.chars < MESSAGE_MAX {
            self.out.push(c);
        } else if self.chars == MESSAGE_MAX {
            self.out.push('…');
        }
        self.chars += 1;
    }
}

impl fmt::Write for Bounded {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        s.chars().for_each(|c| self.push(c));
        Ok(())
    }
}

/// RON may point at the blank before a value; move to the value itself. (Without
/// collecting the rest of the line: a hostile file's one line can be the whole file.)
fn skip_blank(text: &str, line: usize, col: usize) -> (usize, usize) {
    let Some(l) = text.lines().nth(line - 1) else {
        return (line, col);
    };
    match l.chars().skip(col - 1).position(|c| !c.is_whitespace()) {
        Some(blanks) => (line, col + blanks),
        None => (line, col),
    }
}

/// 1-based line and column (in characters) of byte offset `at` in `text`.
fn line_col_at(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Where an entry with `id` is written: the `n`-th occurrence of `id: "…"`, else the file start.
fn locate_id(text: &str, id: &str, n: usize) -> (usize, usize) {
    let needle = format!("\"{id}\"");
    let mut found = text.match_indices(&needle).filter(|(i, _)| {
        let before = text[..*i].trim_end();
        before.ends_with("id:")
    });
    match found.nth(n) {
        Some((i, _)) => {
            let start = text[..i].rfind("id:").unwrap_or(i);
            line_col_at(text, start)
        }
        None => (1, 1),
    }
}

/// Whether a location is a point on the globe.
fn location_ok(l: &Location) -> bool {
    (-90.0..=90.0).contains(&l.lat) && (-180.0..=180.0).contains(&l.lon)
}

fn validate(mut ds: Dataset, text: &str, name: &str) -> Result<Loaded, LoadError> {
    let invalid_at = |id: &str, n: usize, message: String| {
        let (line, col) = locate_id(text, id, n);
        LoadError::Invalid {
            path: name.to_string(),
            line,
            col,
            message,
        }
    };
    let invalid = |message: String| LoadError::Invalid {
        path: name.to_string(),
        line: 1,
        col: 1,
        message,
    };

    for (what, vocab) in [("region", &ds.regions), ("kind", &ds.kinds)] {
        if vocab.is_empty() {
            return Err(invalid(format!("the dataset declares no {what}s")));
        }
        let mut seen = HashSet::new();
        for l in vocab {
            if l.id.trim().is_empty() {
                return Err(invalid(format!("a {what} has an empty id")));
            }
            if !seen.insert(l.id.as_str()) {
                return Err(invalid_at(
                    &l.id,
                    1,
                    format!("the {what} id {:?} is declared twice", l.id),
                ));
            }
        }
    }
    let mut seen_c = HashSet::new();
    for c in &ds.countries {
        if !is_alpha2(&c.id) {
            return Err(invalid_at(
                &c.id,
                0,
                format!(
                    "the country id {:?} is not an ISO 3166 alpha-2 code (two capital letters)",
                    c.id
                ),
            ));
        }
        if !seen_c.insert(c.id.as_str()) {
            return Err(invalid_at(
                &c.id,
                1,
                format!("the country {:?} is declared twice", c.id),
            ));
        }
    }
    if let Some(l) = &ds.hub.location
        && !location_ok(l)
    {
        return Err(invalid(format!(
            "the hub has location ({}, {}); latitude must be -90 to 90 and longitude -180 to 180",
            l.lat, l.lon
        )));
    }
    let source_files: HashSet<&str> = ds.sources.iter().map(|s| s.file.as_str()).collect();

    let mut ids: HashMap<&str, usize> = HashMap::with_capacity(ds.partners.len());
    let mut ordinals: HashMap<u32, &str> = HashMap::with_capacity(ds.partners.len());
    for p in &ds.partners {
        let id = p.id.as_str();
        if !is_slug(id) {
            return Err(invalid_at(
                id,
                0,
                format!(
                    "the id {id:?} is not a slug (lowercase letters, digits and '-', starting with a letter or digit)"
                ),
            ));
        }
        let n = ids.entry(id).or_insert(0);
        *n += 1;
        if *n > 1 {
            return Err(invalid_at(
                id,
                1,
                format!("the id {id:?} is used by two partners"),
            ));
        }
        if p.ordinal == 0 {
            return Err(invalid_at(
                id,
                0,
                format!("partner {id:?} has ordinal 0; ordinals start at 1"),
            ));
        }
        if let Some(years) = p.term_years
            && years > MAX_TERM_YEARS
        {
            return Err(invalid_at(
                id,
                0,
                format!(
                    "partner {id:?} has a term of {years} years; a term is at most {MAX_TERM_YEARS} years"
                ),
            ));
        }
        if let Some(l) = &p.location
            && !location_ok(l)
        {
            return Err(invalid_at(
                id,
                0,
                format!(
                    "partner {id:?} has location ({}, {}); latitude must be -90 to 90 and longitude -180 to 180",
                    l.lat, l.lon
                ),
            ));
        }
        if let Some(other) = ordinals.insert(p.ordinal, id) {
            return Err(invalid_at(
                id,
                0,
                format!(
                    "partner {id:?} has ordinal {}, already used by {other:?}",
                    p.ordinal
                ),
            ));
        }
        if p.name.ja.trim().is_empty() && p.name.en.trim().is_empty() {
            return Err(invalid_at(id, 0, format!("partner {id:?} has no name")));
        }
        if p.name.ja.trim().is_empty() || p.name.en.trim().is_empty() {
            let which = if p.name.ja.trim().is_empty() {
                "Japanese"
            } else {
                "English"
            };
            return Err(invalid_at(
                id,
                0,
                format!("partner {id:?} has an empty {which} name"),
            ));
        }
        if !ds.regions.iter().any(|r| r.id == p.region) {
            return Err(invalid_at(
                id,
                0,
                format!(
                    "partner {id:?} has region {:?}, which the dataset does not declare (declared: {})",
                    p.region,
                    ids_of(&ds.regions)
                ),
            ));
        }
        if !ds.kinds.iter().any(|k| k.id == p.kind) {
            return Err(invalid_at(
                id,
                0,
                format!(
                    "partner {id:?} has kind {:?}, which the dataset does not declare (declared: {})",
                    p.kind,
                    ids_of(&ds.kinds)
                ),
            ));
        }
        if !is_alpha2(&p.country) {
            return Err(invalid_at(
                id,
                0,
                format!(
                    "partner {id:?} has country {:?}, not an ISO 3166 alpha-2 code (two capital letters)",
                    p.country
                ),
            ));
        }
        if !ds.countries.is_empty() && !ds.countries.iter().any(|c| c.id == p.country) {
            return Err(invalid_at(
                id,
                0,
                format!(
                    "partner {id:?} has country {:?}, which the dataset does not declare",
                    p.country
                ),
            ));
        }
        if !source_files.is_empty() {
            for s in &p.sources {
                if !source_files.contains(s.as_str()) {
                    return Err(invalid_at(
                        id,
                        0,
                        format!(
                            "partner {id:?} cites source {s:?}, which the dataset does not list"
                        ),
                    ));
                }
            }
        }
    }

    // Ordinals count partnerships in the order they were signed, so a higher ordinal
    // must not be certainly earlier than a lower one.
    let mut by_ordinal: Vec<&Partner> = ds.partners.iter().collect();
    by_ordinal.sort_by_key(|p| p.ordinal);
    let mut latest: Option<&Partner> = None;
    for p in &by_ordinal {
        if let Some(prev) = latest {
            if prev.signed.certainly_after(&p.signed) {
                return Err(invalid_at(
                    &p.id,
                    0,
                    format!(
                        "ordinals must follow signing dates: {:?} (no. {}, signed {}) comes before {:?} (no. {}, signed {})",
                        p.id, p.ordinal, p.signed, prev.id, prev.ordinal, prev.signed
                    ),
                ));
            }
            if p.signed.start > prev.signed.start {
                latest = Some(p);
            }
        } else {
            latest = Some(p);
        }
    }

    let mut warnings = Vec::new();
    // The first note given for each declared gap.
    let mut notes: HashMap<u32, &str> = HashMap::with_capacity(ds.gaps.len());
    for g in &ds.gaps {
        if let Some(other) = ordinals.get(&g.ordinal) {
            return Err(invalid(format!(
                "gap {} is listed, but partner {other:?} has that ordinal",
                g.ordinal
            )));
        }
        notes.entry(g.ordinal).or_insert(g.note.as_str());
    }
    // One warning per run of missing ordinals (a declared gap is a run of its own), so
    // their number follows the entries, not the highest ordinal.
    for run in missing_ordinals(&ds.partners, &ds.gaps) {
        let message = if run.is_one() {
            let why = notes
                .get(&run.first)
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            format!(
                "ordinal {} is missing: no entry describes that partnership{why}",
                run.first
            )
        } else {
            format!(
                "ordinals {run} are missing: no entry describes those {} partnerships",
                run.count()
            )
        };
        warnings.push(Warning {
            kind: WarningKind::Gap,
            partner: None,
            message,
        });
    }
    for note in &ds.hub.notes {
        warnings.push(note_warning(&ds.hub.short, note));
    }
    for note in &ds.notes {
        warnings.push(note_warning("", note));
    }
    for p in &ds.partners {
        for note in &p.notes {
            warnings.push(note_warning(&p.id, note));
        }
    }

    // Ordinals are unique (checked above), so an unstable sort gives the same order and
    // needs no scratch copy of every partner.
    ds.partners
        .sort_unstable_by(|a, b| a.signed.cmp(&b.signed).then(a.ordinal.cmp(&b.ordinal)));
    ds.partners.shrink_to_fit();
    Ok(Loaded {
        dataset: ds,
        origin: name.to_string(),
        warnings,
    })
}

fn note_warning(who: &str, note: &Note) -> Warning {
    let kind = match note.kind {
        NoteKind::Conflict => WarningKind::Conflict,
        NoteKind::Inferred => WarningKind::Inferred,
    };
    let mut message = format!("{}: {}", note.field, note.text);
    if !note.readings.is_empty() {
        let r: Vec<String> = note
            .readings
            .iter()
            .map(|r| format!("{:?} in {}", r.value, r.sources.join(", ")))
            .collect();
        message.push_str(&format!(" [readings: {}]", r.join("; ")));
    }
    Warning {
        kind,
        partner: (!who.is_empty()).then(|| who.to_string()),
        message,
    }
}

/// The ordinals between 1 and the highest used that no partner has, in order, as runs
/// of consecutive ones. A declared gap (in `gaps`) is a run of its own, for its note.
/// There are at most partners + declared gaps + 1 runs, whatever the ordinals are.
pub fn missing_ordinals(partners: &[Partner], gaps: &[Gap]) -> Vec<Missing> {
    let mut used: Vec<u32> = partners.iter().map(|p| p.ordinal).collect();
    used.sort_unstable();
    used.dedup();
    let mut declared: Vec<u32> = gaps.iter().map(|g| g.ordinal).collect();
    declared.sort_unstable();
    declared.dedup();
    let mut declared = declared.into_iter().peekable();
    let mut runs = Vec::new();
    // The lowest ordinal neither used nor in a run yet.
    let mut next = 1u32;
    for &u in &used {
        if u > next {
            // `next..u` is missing; split it at the declared gaps inside it.
            let (mut first, last) = (next, u - 1);
            while let Some(&g) = declared.peek()
                && g <= last
            {
                declared.next();
                if g < first {
                    continue;
                }
                if g > first {
                    runs.push(Missing { first, last: g - 1 });
                }
                runs.push(Missing { first: g, last: g });
                // g <= last < u, so this does not overflow.
                first = g + 1;
            }
            if first <= last {
                runs.push(Missing { first, last });
            }
        }
        next = u.saturating_add(1);
    }
    runs
}

fn ids_of(v: &[Label]) -> String {
    v.iter()
        .map(|l| l.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn is_alpha2(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase())
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

impl Dataset {
    /// The region with this id.
    pub fn region(&self, id: &str) -> Option<&Label> {
        self.regions.iter().find(|r| r.id == id)
    }

    /// The kind with this id.
    pub fn kind(&self, id: &str) -> Option<&Label> {
        self.kinds.iter().find(|k| k.id == id)
    }

    /// The country with this code.
    pub fn country(&self, id: &str) -> Option<&Country> {
        self.countries.iter().find(|c| c.id == id)
    }

    /// The source document a partner cites (`file`, or `file` followed by a space and
    /// more), if the dataset declares it.
    pub fn source(&self, cited: &str) -> Option<&Source> {
        let file = cited.split(' ').next().unwrap_or(cited);
        self.sources.iter().find(|d| d.file == file)
    }

    /// Where `p` is, with its country: `Kobe, Hyogo Prefecture, Japan (JP)`, or just the
    /// code when the place already names the country (`Paris, France (FR)`).
    pub fn place_line(&self, p: &Partner, lang: Lang) -> String {
        let place = p.place.get(lang);
        match self.country(&p.country) {
            Some(c) => {
                let (name, sep) = match lang {
                    Lang::En => (&c.en, ", "),
                    Lang::Ja => (&c.ja, "、"),
                };
                if place.contains(name.as_str()) {
                    format!("{place} ({})", c.id)
                } else {
                    format!("{place}{sep}{name} ({})", c.id)
                }
            }
            None => format!("{place} ({})", p.country),
        }
    }

    /// The region a user named by id or label in either language.
    pub fn find_region(&self, value: &str) -> Option<&Label> {
        self.regions.iter().find(|r| r.matches(value))
    }

    /// The kind a user named by id or label in either language.
    pub fn find_kind(&self, value: &str) -> Option<&Label> {
        self.kinds.iter().find(|k| k.matches(value))
    }

    /// Partner counts per region id, in declared order.
    pub fn count_by_region(&self) -> Vec<(&Label, usize)> {
        count_by(&self.regions, &self.partners, |p| &p.region)
    }

    /// Partner counts per kind id, in declared order.
    pub fn count_by_kind(&self) -> Vec<(&Label, usize)> {
        count_by(&self.kinds, &self.partners, |p| &p.kind)
    }
}

fn count_by<'a>(
    vocab: &'a [Label],
    partners: &[Partner],
    key: impl Fn(&Partner) -> &String,
) -> Vec<(&'a Label, usize)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for p in partners {
        *counts.entry(key(p).as_str()).or_default() += 1;
    }
    vocab
        .iter()
        .map(|l| (l, counts.get(l.id.as_str()).copied().unwrap_or(0)))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
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

    /// Copies of the embedded dataset's first partner, numbered `ordinals` (for tests of
    /// gaps and their placement).
    pub(crate) fn numbered(ordinals: &[u32]) -> Vec<Partner> {
        let template = load_embedded().expect("embedded").dataset.partners[0].clone();
        ordinals
            .iter()
            .map(|&ordinal| Partner {
                ordinal,
                ..template.clone()
            })
            .collect()
    }

    fn runs(ordinals: &[u32], declared: &[u32]) -> Vec<(u32, u32)> {
        let partners = numbered(ordinals);
        let gaps: Vec<Gap> = declared
            .iter()
            .map(|&ordinal| Gap {
                ordinal,
                note: String::new(),
            })
            .collect();
        missing_ordinals(&partners, &gaps)
            .iter()
            .map(|m| (m.first, m.last))
            .collect()
    }

    #[test]
    fn missing_ordinals_are_runs_split_at_declared_gaps() {
        assert_eq!(runs(&[], &[]), []);
        assert_eq!(runs(&[1, 2, 3], &[]), []);
        assert_eq!(runs(&[3, 1], &[]), [(2, 2)]);
        assert_eq!(runs(&[4, 1, 9], &[]), [(2, 3), (5, 8)]);
        assert_eq!(runs(&[5], &[]), [(1, 4)]);
        // Declared gaps are runs of their own, wherever they fall in a longer one; those
        // at a used ordinal or past the highest are not missing.
        assert_eq!(runs(&[9], &[1]), [(1, 1), (2, 8)]);
        assert_eq!(runs(&[9], &[8, 4, 4]), [(1, 3), (4, 4), (5, 7), (8, 8)]);
        assert_eq!(runs(&[1, 3, 5], &[2, 3, 7]), [(2, 2), (4, 4)]);
        // The ends of the ordinal range.
        assert_eq!(
            runs(&[1, u32::MAX], &[u32::MAX - 1]),
            [(2, u32::MAX - 2), (u32::MAX - 1, u32::MAX - 1)]
        );
        assert_eq!(runs(&[u32::MAX], &[]), [(1, u32::MAX - 1)]);
    }

    #[test]
    fn a_run_reads_as_one_ordinal_or_a_range() {
        let one = Missing {
            first: 15,
            last: 15,
        };
        assert_eq!((one.to_string(), one.count()), ("15".into(), 1));
        let many = Missing {
            first: 17,
            last: 3_999_999_999,
        };
        assert_eq!(many.to_string(), "17-3999999999");
        assert_eq!(many.span("～"), "17～3999999999");
        assert_eq!(many.count(), 3_999_999_983);
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
