//! The catalog cache: the first open of a dataset file stores what loading it built
//! (the cleaned, validated, ordered dataset, its warnings and the search index) in the
//! user's cache directory, and later opens read that back instead of parsing and
//! indexing the file again.
//!
//! An entry is named after the file's path and says which file content it was built
//! from: the file's size, times, device and inode, and a hash of its bytes. The stamp
//! is trusted when it matches and the file's mtime is a few seconds older than the
//! entry (git's "racily clean" rule); otherwise the file's bytes are hashed and the
//! hash decides. An entry also names the build of linkj that wrote it (version and the
//! executable's size and mtime), and carries a hash of its body: an entry from
//! another build, a truncated, corrupted or half-written one is never used, only
//! rebuilt. Entries are written to a temporary file in the same directory and renamed
//! over (a reader that has an entry mapped keeps its pages), private to the user
//! (0600, the directory 0700). When the cache cannot be written (read-only, full, not
//! a directory), linkj runs without it and says so in one line.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use xxhash_rust::xxh3::xxh3_128;

use crate::catalog::Catalog;
use crate::data::{self, Dataset, LoadError, Loaded, Warning};
use crate::search::{self, Index};

mod stream;

/// What an entry starts with.
const MAGIC: &[u8; 8] = b"LINKJCAT";
/// The layout of an entry; part of the build id.
const FORMAT: &str = "catalog-cache 5 (records rmp-serde 1 named, texts in blocks, one-letter ranks, rows and index in place, 24-byte haystacks, xxh3)";
/// The header's size: magic, build id, stamp, source hash, records' length, checked
/// part's hash and length.
const HEADER: usize = 8 + 16 + 56 + 16 + 8 + 16 + 8;
/// An entry whose file changed less than this before the entry was written has its
/// content hashed (the stamp cannot tell a change within the same tick).
const RACY: Duration = Duration::from_secs(3);
/// An entry's file name ends so.
const EXT: &str = "cat";

/// A dataset file opened, with the one line to tell about the cache, if any.
pub struct Opened {
    /// The catalog, its index built.
    pub catalog: Catalog,
    /// Why the cache could not be used or written (at most one line).
    pub note: Option<String>,
    /// Whether the catalog came from the cache.
    pub cached: bool,
}

/// The cache directory: `$XDG_CACHE_HOME/linkj`, or `~/.cache/linkj`.
pub fn dir() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    let base = xdg.or_else(|| {
        std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(|h| PathBuf::from(h).join(".cache"))
    })?;
    Some(base.join("linkj"))
}

/// Opens the dataset file `path` through the cache (or without it, `use_cache` false),
/// its index built either way.
pub fn open(path: &Path, use_cache: bool) -> Result<Opened, LoadError> {
    match dir().filter(|_| use_cache) {
        Some(dir) => open_in(&dir, path),
        None => Ok(Opened {
            catalog: Catalog::new(data::load_file(path)?),
            note: None,
            cached: false,
        }),
    }
}

/// [`open`] with the cache in `dir`.
pub fn open_in(dir: &Path, path: &Path) -> Result<Opened, LoadError> {
    let plain = |note| -> Result<Opened, LoadError> {
        Ok(Opened {
            catalog: Catalog::new(data::load_file(path)?),
            note,
            cached: false,
        })
    };
    // Pipes and special files are read as they come; errors are the loader's to word.
    let Ok(meta) = std::fs::metadata(path) else {
        return plain(None);
    };
    if !meta.is_file() {
        return plain(None);
    }
    let Some(build) = build_id() else {
        return plain(None);
    };
    let Ok(full) = std::fs::canonicalize(path) else {
        return plain(None);
    };
    let entry = dir.join(entry_name(&full));
    let stamp = Stamp::of(&meta);
    let name = path.display().to_string();
    let source = match read_entry(&entry, build, stamp, path, &name) {
        Lookup::Hit(catalog) => {
            return Ok(Opened {
                catalog: *catalog,
                note: None,
                cached: true,
            });
        }
        Lookup::Miss(source) => source,
    };
    let bytes = match source {
        Some(b) => b,
        None => data::read_file(path)?,
    };
    let mut made = Made {
        build,
        stamp,
        source: content_hash(&bytes),
    };
    // Streamed into the entry where it can be; otherwise loaded, then stored.
    let (bytes, unwritable) = match stream::store(dir, &entry, made, bytes, path, &name) {
        stream::Outcome::Stored(catalog) => {
            return Ok(Opened {
                catalog: *catalog,
                note: None,
                cached: false,
            });
        }
        stream::Outcome::NotStreamed(bytes) => (bytes, None),
        stream::Outcome::Unwritable(why, bytes) => (bytes, Some(why)),
    };
    let bytes = match bytes {
        Some(b) => b,
        None => {
            // Read again: what is stored is what this read gives.
            let b = data::read_file(path)?;
            made.source = content_hash(&b);
            b
        }
    };
    let loaded = data::load_bytes(&bytes, &name)?;
    drop(bytes);
    let catalog = Catalog::new(loaded);
    let written = match unwritable {
        Some(why) => Err(why),
        None => write_entry(dir, &entry, made, &catalog),
    };
    let note = written.err().map(|why| {
        format!(
            "cannot write the catalog cache in {}: {why}; opened without it",
            dir.display()
        )
    });
    Ok(Opened {
        catalog,
        note,
        cached: false,
    })
}

/// Removes every entry from the cache directory; how many there were.
pub fn clear() -> Result<(PathBuf, usize), String> {
    let dir = dir().ok_or("no cache directory (set XDG_CACHE_HOME or HOME)")?;
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((dir, 0)),
        Err(e) => {
            return Err(format!(
                "cannot read the cache directory {}: {}",
                dir.display(),
                data::describe_io_error(&e)
            ));
        }
    };
    let mut removed = 0;
    for e in entries.flatten() {
        let p = e.path();
        let ours = p.extension().is_some_and(|x| x == EXT || x == "tmp");
        if ours && e.file_type().is_ok_and(|t| t.is_file()) {
            std::fs::remove_file(&p).map_err(|e| {
                format!(
                    "cannot remove {}: {}",
                    p.display(),
                    data::describe_io_error(&e)
                )
            })?;
            removed += 1;
        }
    }
    Ok((dir, removed))
}

/// An entry's file name: a hash of the dataset file's full path.
fn entry_name(full: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    format!("{:032x}.{EXT}", xxh3_128(full.as_os_str().as_bytes()))
}

/// Which build of linkj this is: its version, the cache's format, and the executable's
/// size and mtime (a rebuilt binary may read a dataset differently).
fn build_id() -> Option<u128> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(exe).ok()?;
    let mtime = nanos(meta.modified().ok()?);
    let id = format!(
        "{} {FORMAT} {} {mtime}",
        env!("CARGO_PKG_VERSION"),
        meta.len()
    );
    Some(xxh3_128(id.as_bytes()))
}

fn nanos(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

/// What the file system says of a dataset file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    size: u64,
    mtime: u64,
    ctime: u64,
    mtime_s: i64,
    ctime_s: i64,
    dev: u64,
    ino: u64,
}

impl Stamp {
    fn of(meta: &std::fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        Stamp {
            size: meta.len(),
            mtime: meta.mtime_nsec() as u64,
            ctime: meta.ctime_nsec() as u64,
            mtime_s: meta.mtime(),
            ctime_s: meta.ctime(),
            dev: meta.dev(),
            ino: meta.ino(),
        }
    }

    fn put(&self, out: &mut Vec<u8>) {
        for v in [
            self.size,
            self.mtime,
            self.ctime,
            self.mtime_s as u64,
            self.ctime_s as u64,
            self.dev,
            self.ino,
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }

    fn get(r: &mut Reader<'_>) -> Option<Stamp> {
        Some(Stamp {
            size: r.u64()?,
            mtime: r.u64()?,
            ctime: r.u64()?,
            mtime_s: r.u64()? as i64,
            ctime_s: r.u64()? as i64,
            dev: r.u64()?,
            ino: r.u64()?,
        })
    }

    /// The file's mtime.
    fn modified(&self) -> SystemTime {
        let secs = Duration::from_secs(self.mtime_s.max(0) as u64);
        SystemTime::UNIX_EPOCH + secs + Duration::from_nanos(self.mtime)
    }
}

/// Little-endian fields off the front of a slice.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, rest) = self.0.split_first_chunk::<N>()?;
        self.0 = rest;
        Some(*head)
    }
    fn u64(&mut self) -> Option<u64> {
        self.take::<8>().map(u64::from_le_bytes)
    }
    fn u128(&mut self) -> Option<u128> {
        self.take::<16>().map(u128::from_le_bytes)
    }
}

/// What looking for an entry found.
enum Lookup {
    Hit(Box<Catalog>),
    /// None usable; the dataset file's bytes if they were read to decide.
    Miss(Option<Vec<u8>>),
}

/// The header of an entry.
#[derive(Clone, Copy)]
struct Header {
    build: u128,
    stamp: Stamp,
    source: u128,
    /// The records' length (they follow the header, padded to 8 bytes).
    records_len: u64,
    /// The hash of the rest of the body: the table and the sections after the records.
    checked_hash: u128,
    /// The length of that rest.
    checked_len: u64,
}

impl Header {
    fn parse(bytes: &[u8]) -> Option<Header> {
        let mut r = Reader(bytes);
        (r.take::<8>()? == *MAGIC).then_some(())?;
        Some(Header {
            build: r.u128()?,
            stamp: Stamp::get(&mut r)?,
            source: r.u128()?,
            records_len: r.u64()?,
            checked_hash: r.u128()?,
            checked_len: r.u64()?,
        })
    }

    fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.build.to_le_bytes());
        self.stamp.put(&mut out);
        out.extend_from_slice(&self.source.to_le_bytes());
        out.extend_from_slice(&self.records_len.to_le_bytes());
        out.extend_from_slice(&self.checked_hash.to_le_bytes());
        out.extend_from_slice(&self.checked_len.to_le_bytes());
        out
    }
}

/// The catalog in entry `entry`, if it is one this build wrote from the file as it is.
fn read_entry(entry: &Path, build: u128, stamp: Stamp, path: &Path, name: &str) -> Lookup {
    let Ok(file) = std::fs::File::open(entry) else {
        return Lookup::Miss(None);
    };
    let Ok(meta) = file.metadata() else {
        return Lookup::Miss(None);
    };
    if !meta.is_file() || meta.len() < HEADER as u64 {
        return Lookup::Miss(None);
    }
    // SAFETY: linkj never changes an entry in place (it writes a new file and renames
    // it over), so the mapped pages stay as they were read; the bytes are checked
    // (magic, build, lengths, hash) before anything is read from them, and the
    // records one by one when they are read.
    let Ok(map) = (unsafe { memmap2::Mmap::map(&file) }) else {
        return Lookup::Miss(None);
    };
    let Some(head) = Header::parse(&map) else {
        return Lookup::Miss(None);
    };
    if head.build != build {
        return Lookup::Miss(None);
    }
    let written = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
    let trusted = head.stamp == stamp
        && stamp
            .modified()
            .checked_add(RACY)
            .is_some_and(|t| t < written);
    let mut source = None;
    if !trusted {
        // The stamp cannot tell: the content decides.
        let Ok(bytes) = data::read_file(path) else {
            return Lookup::Miss(None);
        };
        let same = content_hash(&bytes) == head.source;
        if !same {
            return Lookup::Miss(Some(bytes));
        }
        source = Some(bytes);
    }
    let Some(layout) = Layout::check(&map, &head) else {
        return Lookup::Miss(source);
    };
    // The catalog reads the entry in place for as long as the process runs.
    let map: &'static [u8] = Box::leak(Box::new(map));
    let damage = Damage {
        entry: entry.to_path_buf(),
        path: path.to_path_buf(),
        name: name.to_string(),
    };
    let restamp = source.is_some().then_some(Header { stamp, ..head });
    let copy = restamp.and_then(|_| file.try_clone().ok());
    match decode(map, &layout, file, name, damage) {
        Some(catalog) => {
            if let (Some(head), Some(from)) = (restamp, copy) {
                // Touched, not changed: stamped afresh, the next open need not hash
                // the file again (if it cannot be, the next open hashes it again).
                let _ = restamp_entry(entry, from, &head);
            }
            Lookup::Hit(Box::new(catalog))
        }
        None => Lookup::Miss(source),
    }
}

/// Writes a copy of entry `entry` (open as `from`) with header `head`, and renames it
/// over. Not when the dataset file changed in the last [`RACY`] seconds: its stamp
/// could not be trusted yet.
fn restamp_entry(entry: &Path, mut from: std::fs::File, head: &Header) -> Result<(), String> {
    use std::io::{Seek, SeekFrom};
    let fresh = head.stamp.modified().checked_add(RACY);
    if fresh.is_none_or(|t| t >= SystemTime::now()) {
        return Ok(());
    }
    let tmp = temp_path(entry);
    let written = write_private(&tmp, |f| {
        // The body copied by the kernel (not through the mapped pages).
        f.write_all(&head.bytes())
            .and_then(|()| from.seek(SeekFrom::Start(HEADER as u64)))
            .and_then(|_| std::io::copy(&mut from, f))
            .map(drop)
            .map_err(|e| data::describe_io_error(&e))
    })
    .and_then(|()| std::fs::rename(&tmp, entry).map_err(|e| data::describe_io_error(&e)));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Where an entry's parts lie, once its lengths and hash are checked.
struct Layout {
    /// The records' bytes.
    records: std::ops::Range<usize>,
    /// The sections after them, in order: the head (dataset without its partners,
    /// warnings, ids, the index's shape), the rows, the texts' blocks, the ends and
    /// hashes of the one-letter tables, then the index's sections.
    sections: Vec<std::ops::Range<usize>>,
}

impl Layout {
    fn check(map: &[u8], head: &Header) -> Option<Layout> {
        let records_len = usize::try_from(head.records_len).ok()?;
        let checked_at = HEADER.checked_add(padded(records_len)?)?;
        let checked_len = usize::try_from(head.checked_len).ok()?;
        if checked_at.checked_add(checked_len)? != map.len() {
            return None;
        }
        let checked = map.get(checked_at..)?;
        if content_hash(checked) != head.checked_hash {
            return None;
        }
        let mut r = Reader(checked);
        let n = usize::try_from(r.u64()?).ok()?;
        let mut sections = Vec::with_capacity(n.min(1 << 16));
        for _ in 0..n {
            let at = usize::try_from(r.u64()?).ok()?;
            let len = usize::try_from(r.u64()?).ok()?;
            let from = checked_at.checked_add(at)?;
            let to = from.checked_add(len)?;
            map.get(from..to)?;
            sections.push(from..to);
        }
        Some(Layout {
            records: HEADER..HEADER + records_len,
            sections,
        })
    }
}

/// `n` rounded up to a multiple of 8 (sections start 8-aligned).
fn padded(n: usize) -> Option<usize> {
    n.checked_add(7).map(|n| n & !7)
}

/// What the head section holds.
type Head = (
    Dataset,
    Vec<Warning>,
    Vec<String>,
    (u64, u64),
    (Vec<data::Missing>, u32),
);

/// Where a catalog read in place came from, should one of its records not read back.
struct Damage {
    entry: PathBuf,
    path: PathBuf,
    name: String,
}

impl Damage {
    /// The partners as a fresh parse of the dataset file gives them, the entry
    /// removed (the next open builds it again): what a damaged record is read from.
    fn recover(&self) -> Option<Vec<data::Partner>> {
        let _ = std::fs::remove_file(&self.entry);
        let bytes = data::read_file(&self.path).ok()?;
        let loaded = data::load_bytes(&bytes, &self.name).ok()?;
        Some(loaded.dataset.partners.into_vec())
    }
}

/// The catalog of a checked entry, read in place.
fn decode(
    map: &'static [u8],
    layout: &Layout,
    file: std::fs::File,
    name: &str,
    damage: Damage,
) -> Option<Catalog> {
    let section = |i: usize| layout.sections.get(i).and_then(|r| map.get(r.clone()));
    let (mut dataset, warnings, ids, shape, (gaps, max_ordinal)): Head =
        rmp_serde::from_slice(section(0)?).ok()?;
    let rows: &'static [data::Row] = bytemuck::try_cast_slice(section(1)?).ok()?;
    let blocks: &'static [data::TextBlock] = bytemuck::try_cast_slice(section(2)?).ok()?;
    let letters: &'static [data::TextBlock] = bytemuck::try_cast_slice(section(3)?).ok()?;
    let index_sections: Vec<&'static [u8]> = (4..layout.sections.len())
        .map(section)
        .collect::<Option<_>>()?;
    let mut index = Index::from_sections(&index_sections, shape)?;
    if letters.len() == search::LETTERS.len() {
        let start = blocks
            .last()
            .map_or(rows.last().map_or(0, |r| r.end), |b| b.end);
        let at = layout.records.start as u64;
        if let Ok(f) = file.try_clone() {
            index.read_letters_with(letters_reader(f, at, start, letters));
        }
    }
    dataset.partners = data::Partners::stored(data::Stored {
        rows,
        file,
        records_at: layout.records.start as u64,
        ids,
        blocks,
        recover: Box::new(move || damage.recover()),
        recovered: std::sync::OnceLock::new(),
    });
    let loaded = Loaded {
        dataset,
        origin: name.to_string(),
        warnings,
    };
    Some(Catalog::stored(loaded, index, gaps, max_ordinal))
}

/// What an entry was made by and from: the build of linkj, the dataset file's stamp
/// and the hash of its bytes.
#[derive(Clone, Copy)]
struct Made {
    build: u128,
    stamp: Stamp,
    source: u128,
}

/// Stores `catalog` as entry `entry` of `dir`, `made` as it says; why not, if it
/// cannot.
fn write_entry(dir: &Path, entry: &Path, made: Made, catalog: &Catalog) -> Result<(), String> {
    let io = |e: std::io::Error| data::describe_io_error(&e);
    make_dir(dir)?;
    let tmp = temp_path(entry);
    let written = write_private(&tmp, |f| write_body(f, made, catalog))
        .and_then(|()| std::fs::rename(&tmp, entry).map_err(io));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Creates the cache directory `dir` (private to the user) if it is not there.
fn make_dir(dir: &Path) -> Result<(), String> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| data::describe_io_error(&e))
}

/// A temporary file beside `entry`, for this process, now.
fn temp_path(entry: &Path) -> PathBuf {
    entry.with_file_name(format!(
        "{}.{}.{}.tmp",
        entry
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id(),
        nanos(SystemTime::now())
    ))
}

/// Writes an entry of `catalog` to `f`: a blank header, the records, the checked
/// sections, then the header over the blank one (a reader of a half-written entry
/// finds no magic).
fn write_body(f: &mut std::fs::File, made: Made, catalog: &Catalog) -> Result<(), String> {
    let io = |e: std::io::Error| data::describe_io_error(&e);
    let loaded = catalog.loaded();
    let ds = &loaded.dataset;
    let partners = ds
        .partners
        .as_slice()
        .ok_or("the catalog was read from the cache")?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, &mut *f);
    out.write_all(&[0; HEADER]).map_err(io)?;
    // The records, and a row for each.
    let mut rows = Vec::with_capacity(partners.len());
    let mut ids = Vec::new();
    let mut end = 0u64;
    let mut record = Vec::new();
    for p in partners {
        record.clear();
        rmp_serde::encode::write_named(&mut record, p).map_err(|e| e.to_string())?;
        out.write_all(&record).map_err(io)?;
        end += record.len() as u64;
        let hash = xxhash_rust::xxh3::xxh3_64(&record);
        rows.push(data::Row::of(p, end, hash, &mut ids));
    }
    // Then the partners' texts, a block at a time (what a search's lines show).
    let mut blocks = Vec::with_capacity(partners.len().div_ceil(data::TEXTS_PER_BLOCK));
    for run in partners.chunks(data::TEXTS_PER_BLOCK) {
        record.clear();
        data::texts::encode_block(run, &mut record)?;
        out.write_all(&record).map_err(io)?;
        end += record.len() as u64;
        let hash = xxhash_rust::xxh3::xxh3_64(&record);
        blocks.push(data::TextBlock { end, hash });
    }
    let (letters, end) = write_letters(&mut out, catalog.index(), end)?;
    out.flush().map_err(io)?;
    drop(out);
    let head_ds = ds.without_partners();
    let numbers = (catalog.gaps(), catalog.max_ordinal());
    let head = (&head_ds, &loaded.warnings[..], &ids[..], numbers);
    let parts = (&rows[..], &blocks[..], &letters[..], catalog.index());
    finish_entry(f, made, end, head, parts)
}

/// Writes to `out` the index's tables of one-letter ranks ([`Index::letter_tables`]),
/// after the records and texts, which end at `end`: the tables' ends and hashes (none
/// when the index has no tables), and where the last ends.
fn write_letters<W: Write>(
    out: &mut W,
    index: &Index,
    mut end: u64,
) -> Result<(Vec<data::TextBlock>, u64), String> {
    let mut ends = Vec::new();
    for table in index.letter_tables().unwrap_or_default() {
        let bytes: &[u8] = bytemuck::cast_slice(&table);
        out.write_all(bytes)
            .map_err(|e| data::describe_io_error(&e))?;
        end += bytes.len() as u64;
        let hash = xxhash_rust::xxh3::xxh3_64(bytes);
        ends.push(data::TextBlock { end, hash });
    }
    Ok((ends, end))
}

/// How the index of an entry reads its tables of one-letter ranks, which lie in
/// `file` from `start` to the `tables`' ends (offsets in the records, which start at
/// `records_at`): each read when first wanted, with one `pread`, and checked against its
/// hash (a damaged table is not used: its queries are matched instead).
fn letters_reader(
    file: std::fs::File,
    records_at: u64,
    start: u64,
    tables: &'static [data::TextBlock],
) -> search::LoadTable {
    Box::new(move |l| {
        use std::os::unix::fs::FileExt;
        let from = match l.checked_sub(1) {
            Some(k) => tables.get(k)?.end,
            None => start,
        };
        let table = tables.get(l)?;
        let len = usize::try_from(table.end.checked_sub(from)?).ok()?;
        if len % 2 != 0 {
            return None;
        }
        let mut ranks = vec![0u16; len / 2];
        let bytes: &mut [u8] = bytemuck::cast_slice_mut(&mut ranks);
        file.read_exact_at(bytes, records_at.checked_add(from)?)
            .ok()?;
        (xxhash_rust::xxh3::xxh3_64(bytes) == table.hash).then_some(ranks)
    })
}

/// What an entry's head section holds, as written: the dataset without its partners,
/// its warnings, the rows' ids, the missing ordinals and the widest ordinal (the
/// index's shape goes between the ids and those).
type HeadOut<'a> = (
    &'a Dataset,
    &'a [Warning],
    &'a [String],
    (&'a [data::Missing], u32),
);

/// Ends an entry whose records (`records_len` bytes after the blank header) `f` holds:
/// their padding, the checked part (the head, the rows, the texts' blocks, the
/// one-letter tables' ends, the index),
/// then the header over the blank one (a reader of a half-written entry finds no
/// magic).
fn finish_entry(
    f: &std::fs::File,
    made: Made,
    records_len: u64,
    (ds, warnings, ids, numbers): HeadOut<'_>,
    (rows, blocks, letters, index): (&[data::Row], &[data::TextBlock], &[data::TextBlock], &Index),
) -> Result<(), String> {
    use std::io::{Seek, SeekFrom};
    let io = |e: std::io::Error| data::describe_io_error(&e);
    let mut f = f;
    f.seek(SeekFrom::Start(HEADER as u64 + records_len))
        .map_err(io)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, f);
    let pad = (8 - records_len % 8) % 8;
    out.write_all(&vec![0; pad as usize]).map_err(io)?;
    let (index_sections, shape) = index.sections();
    let head =
        rmp_serde::to_vec_named(&(ds, warnings, ids, shape, numbers)).map_err(|e| e.to_string())?;
    let mut sections: Vec<&[u8]> = vec![
        &head,
        bytemuck::cast_slice(rows),
        bytemuck::cast_slice(blocks),
        bytemuck::cast_slice(letters),
    ];
    sections.extend(index_sections);
    let (checked_hash, checked_len) = write_checked(&mut out, &sections)?;
    out.flush().map_err(io)?;
    drop(out);
    let header = Header {
        build: made.build,
        stamp: made.stamp,
        source: made.source,
        records_len,
        checked_hash,
        checked_len,
    };
    f.seek(SeekFrom::Start(0)).map_err(io)?;
    f.write_all(&header.bytes()).map_err(io)?;
    // No fsync: an entry cut short by a crash fails its lengths or hash and is rebuilt.
    f.flush().map_err(io)
}

/// Writes the checked part of an entry to `out`: a table of `sections`, then the
/// sections, each starting 8-aligned. Its hash and its length.
fn write_checked<W: Write>(out: &mut W, sections: &[&[u8]]) -> Result<(u128, u64), String> {
    let io = |e: std::io::Error| data::describe_io_error(&e);
    let pad = |n: u64| (8 - n % 8) % 8;
    let mut table = Vec::with_capacity(8 + 16 * sections.len());
    table.extend_from_slice(&(sections.len() as u64).to_le_bytes());
    let mut at = padded(8 + 16 * sections.len()).ok_or("too large")? as u64;
    for s in sections {
        table.extend_from_slice(&at.to_le_bytes());
        table.extend_from_slice(&(s.len() as u64).to_le_bytes());
        at += s.len() as u64 + pad(s.len() as u64);
    }
    let mut hasher = BlockHasher::default();
    let mut put = |bytes: &[u8], out: &mut W| {
        hasher.update(bytes);
        out.write_all(bytes)
    };
    put(&table, out).map_err(io)?;
    put(&vec![0; pad(table.len() as u64) as usize], out).map_err(io)?;
    for s in sections {
        put(s, out).map_err(io)?;
        put(&vec![0; pad(s.len() as u64) as usize], out).map_err(io)?;
    }
    Ok((hasher.finish(), at))
}

/// The hash of large byte strings (a dataset file, an entry's checked part): the
/// xxh3 hashes of its blocks of [`BLOCK`] bytes, hashed in turn. The blocks are hashed
/// on every core, which makes checking an entry at every open cost a few
/// milliseconds per hundred megabytes. [`BlockHasher`] gives the same hash of bytes
/// that come a piece at a time.
fn content_hash(bytes: &[u8]) -> u128 {
    let blocks: Vec<&[u8]> = bytes.chunks(BLOCK).collect();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per = blocks.len().div_ceil(cores.max(1)).max(1);
    let digests: Vec<u128> = if blocks.len() < 2 {
        blocks.iter().map(|b| xxh3_128(b)).collect()
    } else {
        std::thread::scope(|s| {
            let runs: Vec<_> = blocks
                .chunks(per)
                .map(|run| s.spawn(move || run.iter().map(|b| xxh3_128(b)).collect::<Vec<_>>()))
                .collect();
            runs.into_iter()
                .flat_map(|r| r.join().unwrap_or_default())
                .collect()
        })
    };
    combine(&digests, bytes.len())
}

/// The hash of the blocks' `digests` of `len` bytes.
fn combine(digests: &[u128], len: usize) -> u128 {
    let mut all = Vec::with_capacity(16 * digests.len() + 8);
    for d in digests {
        all.extend_from_slice(&d.to_le_bytes());
    }
    all.extend_from_slice(&(len as u64).to_le_bytes());
    xxh3_128(&all)
}

/// The block size of [`content_hash`].
const BLOCK: usize = 4 << 20;

/// [`content_hash`] of bytes given a piece at a time.
#[derive(Default)]
struct BlockHasher {
    block: xxhash_rust::xxh3::Xxh3Default,
    filled: usize,
    len: usize,
    digests: Vec<u128>,
}

impl BlockHasher {
    fn update(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let take = (BLOCK - self.filled).min(bytes.len());
            self.block.update(&bytes[..take]);
            self.filled += take;
            self.len += take;
            bytes = &bytes[take..];
            if self.filled == BLOCK {
                self.digests.push(self.block.digest128());
                self.block = xxhash_rust::xxh3::Xxh3Default::new();
                self.filled = 0;
            }
        }
    }

    fn finish(mut self) -> u128 {
        if self.filled > 0 {
            self.digests.push(self.block.digest128());
        }
        combine(&self.digests, self.len)
    }
}

/// Creates a new file readable by its owner only, and has `write` fill it.
fn write_private(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> Result<(), String>,
) -> Result<(), String> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| data::describe_io_error(&e))?;
    write(&mut f)
}
