//! Loading a dataset from a file, bytes or text: the size limit and the encoding first,
//! then the fast reader or ron, cleaning, validation, and the partners in timeline order.

use std::path::Path;

use crate::data::clean::clean_dataset;
use crate::data::error::{LoadError, describe_io_error, line_col_at, ron_error};
use crate::data::fast_ron;
use crate::data::schema::{Dataset, Partner};
use crate::data::validate::validate;
use crate::data::warnings::{Warning, warnings};

/// The dataset compiled into the binary.
pub const EMBEDDED_RON: &str = include_str!("../../assets/partners.ron");
/// The name the embedded dataset goes by in messages.
pub const EMBEDDED_NAME: &str = "assets/partners.ron (embedded)";
/// Files larger than this are refused before they are read (a dataset of a million
/// partners in our schema is well under it).
pub const MAX_FILE_BYTES: u64 = 1 << 30;

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
    let bytes = read_file(path)?;
    load_bytes(&bytes, &path.display().to_string())
}

/// The bytes of a dataset file, refusing directories and oversized files before
/// reading.
pub fn read_file(path: &Path) -> Result<Vec<u8>, LoadError> {
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
    Ok(bytes)
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
    validate(&dataset, body, name)?;
    // Before the sort: a partner's notes are reported in file order.
    let warnings = warnings(&dataset);
    // Ordinals are unique (validated), so an unstable sort gives the same order and
    // needs no scratch copy of every partner.
    let partners = dataset.partners.make_mut();
    partners.sort_unstable_by(|a, b| a.signed.cmp(&b.signed).then(a.ordinal.cmp(&b.ordinal)));
    partners.shrink_to_fit();
    Ok(Loaded {
        dataset,
        origin: name.to_string(),
        warnings,
    })
}

/// Files larger than this have their partner list read on two threads.
pub(super) const SPLIT_FROM: usize = 4 << 20;

/// Reads a dataset in the plain subset of RON ([`fast_ron`]), a large one's partners on
/// two threads; `None` when ron has to read it.
pub fn read_fast(body: &str) -> Option<Dataset> {
    read_fast_split_from(body, SPLIT_FROM)
}

/// [`read_fast`], splitting lists of at least `min_len` bytes (tests split small ones).
#[doc(hidden)]
pub fn read_fast_split_from(body: &str, min_len: usize) -> Option<Dataset> {
    let split = fast_ron::from_str_split::<Dataset, Partner>(body, "partners", min_len);
    match split {
        Some((mut d, partners)) => {
            d.partners = partners.into();
            Some(d)
        }
        None => fast_ron::from_str(body),
    }
}

/// Parses a dataset with ron (the reference reader), with its errors located.
pub fn parse_with_ron(body: &str, name: &str) -> Result<Dataset, LoadError> {
    ron::Options::default()
        .with_recursion_limit(64)
        .from_str(body)
        .map_err(|e| ron_error(&e, body, name))
}
