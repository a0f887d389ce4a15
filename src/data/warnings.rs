//! The softer findings of loading: a valid dataset that a reader should know more about
//! (ordinals no entry describes, sources that disagree, facts we inferred).

use std::fmt;

// A fast seeded hash: the table is built over every declared gap at load time.
use foldhash::{HashMap, HashMapExt};

use crate::data::missing::{Missing, missing_ordinals};
use crate::data::schema::{Dataset, Gap, Note, NoteKind, Partner};

/// What sort of soft finding a warning is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum WarningKind {
    /// An ordinal no entry describes.
    Gap,
    /// Sources disagree.
    Conflict,
    /// A fact is inferred.
    Inferred,
}

/// A softer finding: the dataset is valid but a reader should know.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

/// The warnings for `ds`, gaps first, then the notes of the hub, the dataset and each
/// partner in file order.
pub(super) fn warnings(ds: &Dataset) -> Vec<Warning> {
    let mut warnings = head_warnings(ds, missing_ordinals(&ds.partners, &ds.gaps));
    for p in &ds.partners {
        partner_warnings(&p, &mut warnings);
    }
    warnings
}

/// The warnings before the partners' own: the gaps (`missing`, the runs of missing
/// ordinals), then the notes of the hub and of the dataset.
pub(super) fn head_warnings(ds: &Dataset, missing: Vec<Missing>) -> Vec<Warning> {
    let mut warnings = gap_warnings(ds, missing);
    for note in &ds.hub.notes {
        warnings.push(note_warning(&ds.hub.short, note));
    }
    for note in &ds.notes {
        warnings.push(note_warning("", note));
    }
    warnings
}

/// A partner's notes as warnings, onto `out`.
pub(super) fn partner_warnings(p: &Partner, out: &mut Vec<Warning>) {
    for note in &p.notes {
        out.push(note_warning(&p.id, note));
    }
}

/// One warning per run of missing ordinals (a declared gap is a run of its own), so
/// their number follows the entries, not the highest ordinal.
fn gap_warnings(ds: &Dataset, missing: Vec<Missing>) -> Vec<Warning> {
    // The first note given for each declared gap.
    let mut notes: HashMap<u32, String> = HashMap::with_capacity(ds.gaps.len());
    for g in &ds.gaps {
        notes.entry(g.ordinal).or_insert_with(|| gap_note(g));
    }
    missing
        .into_iter()
        .map(|run| {
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
            Warning {
                kind: WarningKind::Gap,
                partner: None,
                message,
            }
        })
        .collect()
}

/// A declared gap's note, then what is deduced about it and from which sources.
fn gap_note(g: &Gap) -> String {
    let mut n = g.note.clone();
    if let Some(d) = &g.deduced {
        n.push_str(&format!("; deduced (inferred): {}", d.en));
    }
    if !g.sources.is_empty() {
        n.push_str(&format!(" (from {})", g.sources.join(", ")));
    }
    n
}

/// A note as a warning about `who` (the dataset itself when empty).
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
