//! Loading a large dataset file without holding all its partners at once, for the
//! first open of a file the catalog cache stores ([`crate::cache`]): the partner list
//! is skimmed first (each partner's ordinal and date, where it lies in the file and a
//! hash of its text), and the file's text let go; then each partner is read again
//! from the file when its turn comes in timeline order (its text checked against the
//! hash, so a file changed meanwhile is noticed), in full, cleaned and checked,
//! handed over and dropped.
//!
//! It gives exactly what [`super::load_bytes`] gives (the same partners in the same
//! order, the same head, the same warnings), or nothing: at anything the fast reader
//! does not take and at any broken rule it gives up, and the caller loads the file as
//! before, which says what is wrong in the same located sentence as ever. So it is
//! never the one that words an error, and every rule it checks it checks with
//! [`super::validate`]'s own functions.

use foldhash::HashSet;
use serde::Deserialize;

use crate::data::clean;
use crate::data::date::SignedDate;
use crate::data::error::Locator;
use crate::data::fast_ron::{self, Span};
use crate::data::load::SPLIT_FROM;
use crate::data::missing::{Missing, missing_among};
use crate::data::schema::{Dataset, Partner};
use crate::data::validate::{check_head, ordinals_ok, partner_ok, source_keys};
use crate::data::warnings::{Warning, head_warnings, partner_warnings};

/// What the skim reads of a partner.
#[derive(Deserialize)]
struct Key {
    ordinal: u32,
    signed: SignedDate,
}

/// A partner of the list, skimmed.
#[derive(Clone, Copy)]
struct Item {
    signed: SignedDate,
    ordinal: u32,
    /// Its place in the file's list.
    nth: u32,
    /// Where its text lies in the body.
    span: Span,
    /// The hash (xxh3, 64 bits) of that text.
    hash: u64,
}

/// A dataset file skimmed: its head read and checked, its partners found and put in
/// timeline order, each still to be read ([`Streamed::reading`]).
pub struct Streamed {
    /// The dataset without its partners, cleaned and checked.
    head: Dataset,
    /// Where the body (the text after a byte-order mark) starts in the file.
    base: u64,
    /// Whether the partners' strings need cleaning.
    clean: bool,
    /// The partners in timeline order.
    order: Vec<Item>,
}

/// The partners of a [`Streamed`] being read, in any runs: what it saw that holds
/// between partners, for [`Streamed::finish`].
pub struct Reading<'s> {
    of: &'s Streamed,
    sources: HashSet<&'s str>,
    /// The file, and the piece of it last read.
    file: &'s std::fs::File,
    window: Window,
    /// A hash of each partner's id, to find one used twice.
    ids: Vec<u64>,
    /// The warnings of the partners' notes, each with the partner's place in the file.
    notes: Vec<(u32, Warning)>,
}

/// What a [`Reading`] saw.
pub struct Read {
    ids: Vec<u64>,
    notes: Vec<(u32, Warning)>,
}

/// The rest of a dataset read through [`Streamed`]: what a stored catalog keeps
/// besides its partners.
pub struct Finished {
    /// The dataset without its partners, as [`super::load_bytes`] would give it
    /// without them.
    pub dataset: Dataset,
    /// Its warnings, in the order loading gives them.
    pub warnings: Vec<Warning>,
    /// The runs of missing ordinals.
    pub missing: Vec<Missing>,
    /// The highest ordinal (1 with no partners).
    pub max_ordinal: u32,
}

/// Skims the dataset in `bytes` (named `name` in messages); `None` when it is not one
/// this way can read, or breaks a rule: then [`super::load_bytes`] must.
pub fn stream(bytes: &[u8], name: &str) -> Option<Streamed> {
    let text = simdutf8::basic::from_utf8(bytes).ok()?;
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (mut head, keys) = fast_ron::spans::<Dataset, Key>(body, "partners", SPLIT_FROM)?;
    // As `load_str` decides.
    let clean = body.contains('\\') || crate::text::may_need_cleaning(body.as_bytes(), false);
    if clean {
        clean::clean_dataset(&mut head);
    }
    let at = Locator { text: body, name };
    check_head(&head, &at).ok()?;
    let mut by_ordinal: Vec<(u32, SignedDate)> =
        keys.iter().map(|(k, _)| (k.ordinal, k.signed)).collect();
    by_ordinal.sort_by_key(|&(o, _)| o);
    if !ordinals_ok(&head, &by_ordinal, &at) {
        return None;
    }
    drop(by_ordinal);
    let mut order = keys
        .into_iter()
        .enumerate()
        .map(|(nth, (k, span))| {
            let text = body
                .as_bytes()
                .get(span.start as usize..span.end as usize)?;
            Some(Item {
                signed: k.signed,
                ordinal: k.ordinal,
                nth: u32::try_from(nth).ok()?,
                span,
                hash: xxhash_rust::xxh3::xxh3_64(text),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    // As `load_str` sorts (ordinals are unique).
    order.sort_unstable_by(|a, b| a.signed.cmp(&b.signed).then(a.ordinal.cmp(&b.ordinal)));
    Some(Streamed {
        head,
        base: (text.len() - body.len()) as u64,
        clean,
        order,
    })
}

impl Streamed {
    /// How many partners.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The dataset without its partners.
    pub fn head(&self) -> &Dataset {
        &self.head
    }

    /// A reader of the partners (one per thread) from `file`, the file the bytes
    /// were read from.
    pub fn reading<'s>(&'s self, file: &'s std::fs::File) -> Reading<'s> {
        Reading {
            of: self,
            sources: source_keys(&self.head),
            file,
            window: Window::default(),
            ids: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The rest, once every partner has been read by the `reads`; `None` when two
    /// partners share an id (then loading the file says which).
    pub fn finish(self, reads: Vec<Read>) -> Option<Finished> {
        let mut ids: Vec<u64> = Vec::with_capacity(self.order.len());
        let mut notes = Vec::new();
        for r in reads {
            ids.extend(r.ids);
            notes.extend(r.notes);
        }
        if ids.len() != self.order.len() {
            return None;
        }
        ids.sort_unstable();
        if ids.windows(2).any(|w| w[0] == w[1]) {
            return None;
        }
        drop(ids);
        let ordinals: Vec<u32> = self.order.iter().map(|i| i.ordinal).collect();
        let max_ordinal = ordinals.iter().copied().max().unwrap_or(1);
        let missing = missing_among(ordinals, &self.head.gaps);
        let mut warnings = head_warnings(&self.head, missing.clone());
        // In file order, as loading gives them (a stable sort keeps each partner's own
        // in order).
        notes.sort_by_key(|&(nth, _)| nth);
        warnings.extend(notes.into_iter().map(|(_, w)| w));
        Some(Finished {
            dataset: self.head,
            warnings,
            missing,
            max_ordinal,
        })
    }
}

impl Reading<'_> {
    /// Partner `i` in timeline order, read in full, cleaned and checked; `None` when
    /// it breaks a rule, is not in the plain subset after all, or the file no longer
    /// holds what was skimmed.
    pub fn partner(&mut self, i: usize) -> Option<Partner> {
        let of = self.of;
        let item = of.order.get(i)?;
        let at = of.base.checked_add(u64::from(item.span.start))?;
        let len = item.span.end.checked_sub(item.span.start)?;
        let bytes = self.window.get(self.file, at, len as usize)?;
        if xxhash_rust::xxh3::xxh3_64(bytes) != item.hash {
            return None;
        }
        let text = simdutf8::basic::from_utf8(bytes).ok()?;
        let p: Option<Partner> = fast_ron::from_span(text, Span { start: 0, end: len });
        // A partner far larger than a window is not kept in one.
        self.window.shrink();
        let mut p = p?;
        if p.ordinal != item.ordinal || p.signed != item.signed {
            return None;
        }
        if of.clean {
            clean::partner(&mut p);
        }
        // Only whether it keeps the rules counts here (loading words any error).
        let at = Locator { text: "", name: "" };
        if !partner_ok(&of.head, &self.sources, &p, &at) {
            return None;
        }
        self.ids.push(xxhash_rust::xxh3::xxh3_64(p.id.as_bytes()));
        if !p.notes.is_empty() {
            let mut w = Vec::new();
            partner_warnings(&p, &mut w);
            self.notes.extend(w.into_iter().map(|w| (item.nth, w)));
        }
        Some(p)
    }

    /// What it saw, for [`Streamed::finish`].
    pub fn done(self) -> Read {
        Read {
            ids: self.ids,
            notes: self.notes,
        }
    }
}

/// The piece of a file last read: partners in timeline order mostly lie one after
/// another in the file, so one read serves many.
#[derive(Default)]
struct Window {
    bytes: Vec<u8>,
    /// Where `bytes` start in the file.
    at: u64,
}

impl Window {
    /// How much is read at a time.
    const SIZE: usize = 1 << 20;

    /// Lets go of the bytes if they are more than a window holds.
    fn shrink(&mut self) {
        if self.bytes.capacity() > Self::SIZE {
            *self = Window::default();
        }
    }

    /// The `len` bytes of `file` at `at`; `None` when the file has fewer.
    fn get(&mut self, file: &std::fs::File, at: u64, len: usize) -> Option<&[u8]> {
        use std::os::unix::fs::FileExt;
        let inside = at >= self.at && at + len as u64 <= self.at + self.bytes.len() as u64;
        if !inside {
            self.bytes.clear();
            self.bytes.resize(len.max(Self::SIZE), 0);
            let mut filled = 0;
            while filled < self.bytes.len() {
                match file.read_at(&mut self.bytes[filled..], at + filled as u64) {
                    Ok(0) => break,
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(_) => return None,
                }
            }
            self.bytes.truncate(filled);
            self.at = at;
        }
        let from = usize::try_from(at - self.at).ok()?;
        self.bytes.get(from..from.checked_add(len)?)
    }
}
