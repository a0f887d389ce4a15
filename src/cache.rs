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
use crate::search::Index;

/// What an entry starts with.
const MAGIC: &[u8; 8] = b"LINKJCAT";
/// The layout of an entry; part of the build id.
const FORMAT: &str = "catalog-cache 1 (rmp-serde 1, xxh3-128)";
/// The header's size: magic, build id, stamp, source hash, body length, body hash,
/// dataset section length.
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
    let hash = xxh3_128(&bytes);
    let loaded = data::load_bytes(&bytes, &name)?;
    drop(bytes);
    let catalog = Catalog::new(loaded);
    let note = write_entry(dir, &entry, build, stamp, hash, &catalog)
        .err()
        .map(|why| {
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
struct Header {
    build: u128,
    stamp: Stamp,
    source: u128,
    body_len: u64,
    body_hash: u128,
    dataset_len: u64,
}

impl Header {
    fn parse(bytes: &[u8]) -> Option<Header> {
        let mut r = Reader(bytes);
        (r.take::<8>()? == *MAGIC).then_some(())?;
        Some(Header {
            build: r.u128()?,
            stamp: Stamp::get(&mut r)?,
            source: r.u128()?,
            body_len: r.u64()?,
            body_hash: r.u128()?,
            dataset_len: r.u64()?,
        })
    }

    fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.build.to_le_bytes());
        self.stamp.put(&mut out);
        out.extend_from_slice(&self.source.to_le_bytes());
        out.extend_from_slice(&self.body_len.to_le_bytes());
        out.extend_from_slice(&self.body_hash.to_le_bytes());
        out.extend_from_slice(&self.dataset_len.to_le_bytes());
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
    // (magic, build, lengths, hash) before anything is read from them.
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
        let same = xxh3_128(&bytes) == head.source;
        if !same {
            return Lookup::Miss(Some(bytes));
        }
        source = Some(bytes);
    }
    match decode(&map, &head, name) {
        Some(catalog) => Lookup::Hit(Box::new(catalog)),
        None => Lookup::Miss(source),
    }
}

/// The catalog in an entry's bytes, if its body is whole and reads back.
fn decode(map: &[u8], head: &Header, name: &str) -> Option<Catalog> {
    let body = map.get(HEADER..)?;
    if body.len() as u64 != head.body_len || xxh3_128(body) != head.body_hash {
        return None;
    }
    let split = usize::try_from(head.dataset_len).ok()?;
    let (dataset, warnings): (Dataset, Vec<Warning>) =
        rmp_serde::from_slice(body.get(..split)?).ok()?;
    let index = Index::from_bytes(body.get(split..)?, dataset.partners.len())?;
    let loaded = Loaded {
        dataset,
        origin: name.to_string(),
        warnings,
    };
    Some(Catalog::with_index(loaded, index))
}

/// Stores `catalog` as entry `entry` of `dir`, built from a file stamped `stamp` whose
/// bytes hash to `source`; why not, if it cannot.
fn write_entry(
    dir: &Path,
    entry: &Path,
    build: u128,
    stamp: Stamp,
    source: u128,
    catalog: &Catalog,
) -> Result<(), String> {
    let loaded = catalog.loaded();
    let mut body =
        rmp_serde::to_vec_named(&(&loaded.dataset, &loaded.warnings)).map_err(|e| e.to_string())?;
    let dataset_len = body.len() as u64;
    body.extend_from_slice(
        &catalog
            .index()
            .to_bytes()
            .ok_or("the index did not encode")?,
    );
    let head = Header {
        build,
        stamp,
        source,
        body_len: body.len() as u64,
        body_hash: xxh3_128(&body),
        dataset_len,
    };
    let io = |e: std::io::Error| data::describe_io_error(&e);
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(io)?;
    }
    let tmp = dir.join(format!(
        "{}.{}.{}.tmp",
        entry
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id(),
        nanos(SystemTime::now())
    ));
    let written =
        write_private(&tmp, &head.bytes(), &body).and_then(|()| std::fs::rename(&tmp, entry));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    Ok(())
}

/// Writes a new file readable by its owner only.
fn write_private(path: &Path, head: &[u8], body: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(head)?;
    f.write_all(body)?;
    // No fsync: an entry cut short by a crash fails its hash and is rebuilt.
    f.flush()
}
