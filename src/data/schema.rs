//! The dataset's schema: what a file declares (vocabularies, hub, partners) and the
//! lookups the browser makes in it.

use serde::{Deserialize, Serialize};

use crate::data::date::SignedDate;
use crate::data::lang::{Lang, Text};

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

/// A source the dataset was compiled from: a release (a file, as received) or a public
/// page (a URL, with its publisher and the page's own date). Facts cite a source by its
/// [`Source::key`]: the file name of a release, the URL of a page.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// A release: its file name, as facts cite it (empty for a page).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub file: String,
    /// A public page: its address (`http` or `https`), as facts cite it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Who published the page (or the release).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<Text>,
    /// The source's own date, where it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<SignedDate>,
    /// What the source is.
    pub title: Text,
}

impl Source {
    /// How facts cite this source: the release's file name, or the page's URL.
    pub fn key(&self) -> &str {
        match &self.url {
            Some(u) if self.file.is_empty() => u,
            _ => &self.file,
        }
    }

    /// The title, then who published it and when, where known: `LINK-J signs … —
    /// Mitsui Fudosan, 2018-08-31`.
    pub fn describe(&self, lang: Lang) -> String {
        let mut by: Vec<String> = Vec::new();
        if let Some(p) = &self.publisher {
            by.push(p.get(lang).to_string());
        }
        if let Some(d) = &self.date {
            by.push(d.to_string());
        }
        if by.is_empty() {
            self.title.get(lang).to_string()
        } else {
            format!("{} — {}", self.title.get(lang), by.join(", "))
        }
    }
}

/// The keys of the sources `cited` (each a key, optionally followed by where in the
/// source), each once, in order.
pub fn cited_keys<'a>(cited: impl IntoIterator<Item = &'a String>) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for c in cited {
        let k = c.split(' ').next().unwrap_or(c);
        if !k.is_empty() && !keys.iter().any(|x| x == k) {
            keys.push(k.to_string());
        }
    }
    keys
}

/// Every source an entry's values, facts, people and notes cite.
fn all_cited<'a>(
    sources: &'a [String],
    facts: &'a [Fact],
    people: impl Iterator<Item = &'a Person>,
    notes: &'a [Note],
) -> Vec<String> {
    cited_keys(
        sources
            .iter()
            .chain(facts.iter().flat_map(|f| &f.sources))
            .chain(people.flat_map(|x| &x.sources))
            .chain(
                notes
                    .iter()
                    .flat_map(|n| &n.readings)
                    .flat_map(|r| &r.sources),
            ),
    )
}

/// A fact the sources state that has no field of its own (an event, a figure, a
/// statement of aims), with the sources that state it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// The fact, in both languages (the Japanese as the source words it where it can).
    pub text: Text,
    /// The sources that state it (keys, optionally followed by where in the source).
    pub sources: Vec<String>,
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
    /// Named in the caption of the release's photograph. A caption says who is
    /// pictured, not who signed.
    #[serde(default)]
    pub pictured: bool,
    /// The person's quoted statement, as the source gives it.
    #[serde(default)]
    pub quote: Option<String>,
    /// The sources naming the person, when they are not simply those of the entry the
    /// person is listed under.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// The Latin-letter form of the name is ours: no source gives it.
    #[serde(default)]
    pub romanised: bool,
}

impl Person {
    /// What every output puts after a name in Latin letters that no source gives.
    pub const ROMANISED: (&'static str, &'static str) =
        (" (our romanisation)", "（ローマ字は当方による）");

    /// The name in `which`, followed in `lang` by [`Person::ROMANISED`] when it is the
    /// Latin-letter form and that form is ours.
    pub fn name_marked(&self, which: Lang, lang: Lang) -> String {
        let names = (self.name.ja.as_str(), self.name.en.as_str());
        Person::marked_name(names, self.romanised, which, lang)
    }

    /// [`Person::name_marked`] of a person named `(ja, en)`, `romanised` as
    /// [`Person::romanised`].
    pub fn marked_name((ja, en): (&str, &str), romanised: bool, which: Lang, lang: Lang) -> String {
        let n = match which {
            Lang::Ja => ja,
            Lang::En => en,
        };
        if which == Lang::En && romanised && n != ja {
            let (en, ja) = Person::ROMANISED;
            let mark = match lang {
                Lang::En => en,
                Lang::Ja => ja,
            };
            format!("{n}{mark}")
        } else {
            n.to_string()
        }
    }
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
    /// Other names and readings a user might type (search aids, not claims).
    #[serde(default)]
    pub aliases: Vec<String>,
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
    /// Other officers and people named for the hub (the chair is [`Hub::chair`]).
    #[serde(default)]
    pub people: Vec<Person>,
    /// What the sources state about the hub beyond its fields (partner counts, ...).
    #[serde(default)]
    pub facts: Vec<Fact>,
    /// The sources the hub's facts come from.
    #[serde(default)]
    pub sources: Vec<String>,
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

/// How a field's value stands with the sources: inferred by us, disputed between
/// sources, both, or neither. Every output that shows the value shows these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Marks {
    /// A note of kind [`NoteKind::Inferred`] concerns the field.
    pub inferred: bool,
    /// A note of kind [`NoteKind::Conflict`] concerns the field.
    pub disputed: bool,
}

impl Marks {
    /// The marks the notes `notes` put on `field`.
    pub fn of(notes: &[Note], field: &str) -> Marks {
        let mut m = Marks::default();
        for n in notes.iter().filter(|n| n.field == field) {
            match n.kind {
                NoteKind::Inferred => m.inferred = true,
                NoteKind::Conflict => m.disputed = true,
            }
        }
        m
    }

    /// Whether there is any mark.
    pub fn any(self) -> bool {
        self.inferred || self.disputed
    }

    /// The compact sign tables use: `*` inferred, `!` sources disagree (see
    /// [`Marks::LEGEND`]).
    pub fn sign(self) -> &'static str {
        match (self.inferred, self.disputed) {
            (true, true) => "*!",
            (true, false) => "*",
            (false, true) => "!",
            (false, false) => "",
        }
    }

    /// What the signs of [`Marks::sign`] mean, in English and Japanese.
    pub const LEGEND: (&'static str, &'static str) = (
        "* inferred, ! sources disagree (linkj show ID gives the notes)",
        "* 推定、! 資料間で相違（詳細は linkj show ID）",
    );

    /// The marks in words, e.g. ` (inferred; sources disagree)`, or nothing.
    pub fn words(self, lang: Lang) -> String {
        let mut w: Vec<&str> = Vec::new();
        if self.inferred {
            w.push(match lang {
                Lang::En => "inferred",
                Lang::Ja => "推定",
            });
        }
        if self.disputed {
            w.push(match lang {
                Lang::En => "sources disagree",
                Lang::Ja => "資料間で相違",
            });
        }
        if w.is_empty() {
            return String::new();
        }
        match lang {
            Lang::En => format!(" ({})", w.join("; ")),
            Lang::Ja => format!("（{}）", w.join("・")),
        }
    }
}

/// The fields that notes of kind `kind` concern, each once, in note order.
pub fn fields_noted(notes: &[Note], kind: NoteKind) -> Vec<&str> {
    let mut v: Vec<&str> = Vec::new();
    for n in notes.iter().filter(|n| n.kind == kind) {
        if !v.contains(&n.field.as_str()) {
            v.push(&n.field);
        }
    }
    v
}

/// An ordinal that no document describes, with what can be said about it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Gap {
    /// The missing ordinal.
    pub ordinal: u32,
    /// What the sources let us say about it.
    pub note: String,
    /// What can be deduced about the missing partnership, in a phrase for its row (a
    /// deduction: the sources do not state it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deduced: Option<Text>,
    /// The sources the deduction is drawn from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
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
    /// The agreement as the sources name it (`提携に関する覚書`, `相互提携の覚書`...).
    #[serde(default)]
    pub instrument: Option<Text>,
    /// People the sources name for the partnership: pictured, quoted or mentioned.
    #[serde(default)]
    pub people: Vec<Person>,
    /// Where to plot the partner on the map: public coordinates of its city.
    #[serde(default)]
    pub location: Option<Location>,
    /// The partner's web address, as a source gives it.
    #[serde(default)]
    pub url: Option<String>,
    /// Term of the MOU in years, where stated.
    #[serde(default)]
    pub term_years: Option<u32>,
    /// `signed` is only the earliest possible date (a later one cannot be ruled out),
    /// so a term's end is only the earliest possible end.
    #[serde(default)]
    pub signed_at_earliest: bool,
    /// A short description.
    pub description: Text,
    /// What the sources state beyond the fields above (events, figures, aims).
    #[serde(default)]
    pub facts: Vec<Fact>,
    /// Sources the entry comes from (their keys).
    pub sources: Vec<String>,
    /// Conflicting or inferred facts.
    #[serde(default)]
    pub notes: Vec<Note>,
}

impl Partner {
    /// How the value of `field` stands with the sources.
    pub fn marks(&self, field: &str) -> Marks {
        Marks::of(&self.notes, field)
    }

    /// Every source the entry cites: its own, then those of its facts, people and
    /// readings, each once.
    pub fn cited(&self) -> Vec<String> {
        all_cited(&self.sources, &self.facts, self.people.iter(), &self.notes)
    }

    /// How the name in `lang` stands with the sources: the notes on `name` (both
    /// languages) and on `name.en` or `name.ja` (that language's form only, e.g. an
    /// English rendering of ours).
    pub fn name_marks(&self, lang: Lang) -> Marks {
        let (both, one) = (self.marks("name"), self.marks(Partner::name_field(lang)));
        Marks {
            inferred: both.inferred || one.inferred,
            disputed: both.disputed || one.disputed,
        }
    }

    /// The field a note on the name in `lang` alone concerns: `name.en`, `name.ja`.
    pub fn name_field(lang: Lang) -> &'static str {
        match lang {
            Lang::En => "name.en",
            Lang::Ja => "name.ja",
        }
    }
}

impl Hub {
    /// Every source the hub's card cites, each once.
    pub fn cited(&self) -> Vec<String> {
        let people = std::iter::once(&self.chair).chain(&self.people);
        all_cited(&self.sources, &self.facts, people, &self.notes)
    }
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
    pub partners: super::Partners,
}

impl Dataset {
    /// The dataset without its partners (everything else cloned).
    pub fn without_partners(&self) -> Dataset {
        Dataset {
            title: self.title.clone(),
            as_of: self.as_of,
            hub: self.hub.clone(),
            regions: self.regions.clone(),
            kinds: self.kinds.clone(),
            countries: self.countries.clone(),
            sources: self.sources.clone(),
            gaps: self.gaps.clone(),
            notes: self.notes.clone(),
            partners: super::Partners::default(),
        }
    }

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

    /// The source a fact cites (its key, or its key followed by a space and where in
    /// the source), if the dataset declares it.
    pub fn source(&self, cited: &str) -> Option<&Source> {
        let key = cited.split(' ').next().unwrap_or(cited);
        self.sources.iter().find(|d| d.key() == key)
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
        count_by(&self.regions, &self.partners, |p| p.region)
    }

    /// Partner counts per kind id, in declared order.
    pub fn count_by_kind(&self) -> Vec<(&Label, usize)> {
        count_by(&self.kinds, &self.partners, |p| p.kind)
    }
}

fn count_by<'a>(
    vocab: &'a [Label],
    partners: &super::Partners,
    key: impl for<'b> Fn(&super::Brief<'b>) -> &'b str,
) -> Vec<(&'a Label, usize)> {
    let mut counts = vec![0; vocab.len()];
    for p in partners.briefs() {
        let id = key(&p);
        if let Some(i) = vocab.iter().position(|l| l.id == id) {
            counts[i] += 1;
        }
    }
    vocab.iter().zip(counts).collect()
}
