//! The first open of a dataset file, streamed into its entry: the partners are
//! skimmed ([`data::stream`]), then read one at a time in timeline order, on every
//! core (a run of partners per core, as the index's parts are), each written as its
//! record and row and added to its part of the index, then dropped. The entry is
//! then read in place as a later open reads it. So the first open never holds the
//! partners as parsed (a Partner's thirty-odd strings, a million times over): only the
//! file's text, the index being built and a row per partner.
//!
//! The entry is the one [`super::write_entry`] writes of the same file, byte for byte
//! (`tests/cache.rs` compares them). A file this way cannot read (outside the plain
//! subset of RON, or breaking a rule) is loaded and stored as before, which is also
//! what words its errors.

use std::io::{Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::catalog::Catalog;
use crate::data::stream::{Read, Streamed};
use crate::data::{self, Row};
use crate::search::{BuiltPart, Index, IndexPart};

use super::{Damage, HEADER, Header, Layout, Made, decode, nanos};

/// The size of the buffers that write (and read back) an entry's parts.
const BUFFER: usize = 256 << 10;

/// What streaming a dataset file into its entry came to.
pub(super) enum Outcome {
    /// The entry is written, and the catalog read from it.
    Stored(Box<Catalog>),
    /// The file is not one to stream: load it as before (its bytes given back; `None`
    /// when they were already dropped: read the file again).
    NotStreamed(Option<Vec<u8>>),
    /// The entry could not be written: why, and the file's bytes given back (`None`
    /// when they were already dropped: read the file again).
    Unwritable(String, Option<Vec<u8>>),
}

/// Streams the dataset file `path` (named `name`; its bytes `bytes`) into entry
/// `entry` of `dir`, `made` as it says.
pub(super) fn store(
    dir: &Path,
    entry: &Path,
    made: Made,
    bytes: Vec<u8>,
    path: &Path,
    name: &str,
) -> Outcome {
    let Some(streamed) = data::stream::stream(&bytes, name) else {
        return Outcome::NotStreamed(Some(bytes));
    };
    let source = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(_) => return Outcome::NotStreamed(Some(bytes)),
    };
    let mut tmp = match Temp::create(dir, entry, "") {
        Ok(t) => t,
        Err(why) => return Outcome::Unwritable(why, Some(bytes)),
    };
    // The partners are read from the file again, one at a time: its text is let go.
    drop(bytes);
    let why = match write(&mut tmp, dir, entry, made, streamed, &source) {
        Ok(true) => {
            let why = match std::fs::rename(&tmp.path, entry) {
                Ok(()) => {
                    tmp.keep = true;
                    match open_written(&tmp.file, entry, path, name) {
                        Some(c) => return Outcome::Stored(Box::new(c)),
                        None => "the entry just written does not read back".to_string(),
                    }
                }
                Err(e) => data::describe_io_error(&e),
            };
            return Outcome::Unwritable(why, None);
        }
        Ok(false) => return Outcome::NotStreamed(None),
        Err(why) => why,
    };
    Outcome::Unwritable(why, None)
}

/// A file in the cache directory being written, removed when dropped unless kept.
struct Temp {
    path: PathBuf,
    file: std::fs::File,
    keep: bool,
}

impl Temp {
    /// A new private file beside `entry` (its name ends `.tmp`, so `cache clear`
    /// removes it should linkj stop before removing it).
    fn create(dir: &Path, entry: &Path, part: &str) -> Result<Temp, String> {
        use std::os::unix::fs::OpenOptionsExt;
        let io = |e: std::io::Error| data::describe_io_error(&e);
        super::make_dir(dir)?;
        let stem = entry
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let path = dir.join(format!(
            "{stem}.{}.{}{part}.tmp",
            std::process::id(),
            nanos(std::time::SystemTime::now())
        ));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .map_err(io)?;
        Ok(Temp {
            path,
            file,
            keep: false,
        })
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// What a run of partners came to: its part of the index, its rows (region and kind
/// as indices into its own `ids`, ends counted from the run's first record), its
/// records' length, the length of each partner's encoded texts (the texts written
/// apart, to be put in blocks), and what reading them saw.
struct Run {
    index: BuiltPart,
    rows: Vec<Row>,
    ids: Vec<String>,
    len: u64,
    texts: Vec<u32>,
    read: Read,
}

/// Writes the entry of `streamed` to `tmp`: `Ok(false)` when a partner turned out not
/// to be streamable after all.
fn write(
    tmp: &mut Temp,
    dir: &Path,
    entry: &Path,
    made: Made,
    streamed: Streamed,
    source: &std::fs::File,
) -> Result<bool, String> {
    let io = |e: std::io::Error| data::describe_io_error(&e);
    let n = streamed.len();
    let per = Index::part_len(n);
    let mut runs: Vec<Range<usize>> = (0..n).step_by(per).map(|a| a..n.min(a + per)).collect();
    if runs.is_empty() {
        runs.push(0..0);
    }
    // The first run's records go straight into the entry, the others' into files of
    // their own, appended to it after; every run's texts into files of their own,
    // put in blocks after all the records.
    let mut parts = Vec::with_capacity(runs.len() - 1);
    for i in 1..runs.len() {
        parts.push(Temp::create(dir, entry, &format!(".{i}"))?);
    }
    let mut texts = Vec::with_capacity(runs.len());
    for i in 0..runs.len() {
        texts.push(Temp::create(dir, entry, &format!(".{i}t"))?);
    }
    tmp.file.write_all(&[0; HEADER]).map_err(io)?;
    let stop = AtomicBool::new(false);
    let results: Vec<Result<Option<Run>, String>> = std::thread::scope(|s| {
        let (streamed, stop) = (&streamed, &stop);
        let handles: Vec<_> = runs[1..]
            .iter()
            .zip(&parts)
            .zip(&texts[1..])
            .map(|((r, t), x)| {
                let (r, f, x) = (r.clone(), &t.file, &x.file);
                s.spawn(move || run(streamed, source, r, (f, x), stop))
            })
            .collect();
        let first = run(
            streamed,
            source,
            runs[0].clone(),
            (&tmp.file, &texts[0].file),
            stop,
        );
        std::iter::once(first)
            .chain(handles.into_iter().map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("a thread writing the entry stopped".into()))
            }))
            .collect()
    });
    let mut done = Vec::with_capacity(results.len());
    for r in results {
        match r? {
            Some(run) => done.push(run),
            None => return Ok(false),
        }
    }
    // The other runs' records after the first's.
    for t in &mut parts {
        t.file.seek(SeekFrom::Start(0)).map_err(io)?;
        std::io::copy(&mut t.file, &mut tmp.file).map_err(io)?;
    }
    drop(parts);
    let lens: Vec<u32> = done.iter().flat_map(|r| r.texts.iter().copied()).collect();
    let (rows, ids, records_len, index, reads) = join(done);
    let (blocks, records_len) = write_blocks(&tmp.file, &mut texts, &lens, records_len)?;
    drop(texts);
    let Some(index) = Index::from_parts(index, n) else {
        return Ok(false);
    };
    let (letters, records_len) = {
        let mut out = std::io::BufWriter::with_capacity(BUFFER, &tmp.file);
        let written = super::write_letters(&mut out, &index, records_len)?;
        out.flush().map_err(io)?;
        written
    };
    let Some(rest) = streamed.finish(reads) else {
        return Ok(false);
    };
    let numbers = (&rest.missing[..], rest.max_ordinal);
    let head = (&rest.dataset, &rest.warnings[..], &ids[..], numbers);
    super::finish_entry(
        &tmp.file,
        made,
        records_len,
        head,
        (&rows, &blocks, &letters, &index),
    )?;
    Ok(true)
}

/// Writes to `out` the blocks of the partners' texts, [`data::TEXTS_PER_BLOCK`]
/// partners a block as [`data::texts::encode_block`] lays them out, from the runs'
/// files of texts (`texts`, in order) and each partner's texts' length (`lens`); the
/// records end at `end` before them. The blocks' ends and hashes, and where the last
/// ends.
fn write_blocks(
    out: &std::fs::File,
    texts: &mut [Temp],
    lens: &[u32],
    mut end: u64,
) -> Result<(Vec<data::TextBlock>, u64), String> {
    use std::io::Read as _;
    let io = |e: std::io::Error| data::describe_io_error(&e);
    let mut input: Box<dyn std::io::Read + '_> = Box::new(std::io::empty());
    for t in texts.iter_mut() {
        t.file.seek(SeekFrom::Start(0)).map_err(io)?;
        input = Box::new(input.chain(&t.file));
    }
    let mut input = std::io::BufReader::with_capacity(BUFFER, input);
    let mut out = std::io::BufWriter::with_capacity(BUFFER, out);
    let mut blocks = Vec::with_capacity(lens.len().div_ceil(data::TEXTS_PER_BLOCK));
    let mut block = Vec::new();
    for run in lens.chunks(data::TEXTS_PER_BLOCK) {
        block.clear();
        let mut at = 0u32;
        block.extend_from_slice(&at.to_le_bytes());
        for &len in run {
            at = at.checked_add(len).ok_or("a block of texts is too large")?;
            block.extend_from_slice(&at.to_le_bytes());
        }
        let from = block.len();
        block.resize(from + at as usize, 0);
        input.read_exact(&mut block[from..]).map_err(io)?;
        out.write_all(&block).map_err(io)?;
        end += block.len() as u64;
        let hash = xxhash_rust::xxh3::xxh3_64(&block);
        blocks.push(data::TextBlock { end, hash });
    }
    out.flush().map_err(io)?;
    Ok((blocks, end))
}

/// The runs put together: the rows (regions and kinds as indices into the ids of all
/// runs, ends counted from the first record), the ids, the records' length, the
/// index's parts and what reading saw.
fn join(runs: Vec<Run>) -> (Vec<Row>, Vec<String>, u64, Vec<BuiltPart>, Vec<Read>) {
    let mut rows = Vec::with_capacity(runs.iter().map(|r| r.rows.len()).sum());
    let mut ids: Vec<String> = Vec::new();
    let (mut at, mut index, mut reads) = (0u64, Vec::new(), Vec::new());
    for run in runs {
        // An id first seen in this run comes after those of the runs before, in the
        // order this run saw them: as one pass over every partner numbers them.
        let global: Vec<u16> = run
            .ids
            .iter()
            .map(|id| match ids.iter().position(|x| x == id) {
                Some(i) => i as u16,
                None => {
                    ids.push(id.clone());
                    (ids.len() - 1) as u16
                }
            })
            .collect();
        let to = |i: u16| global.get(usize::from(i)).copied().unwrap_or(i);
        rows.extend(run.rows.into_iter().map(|r| Row {
            region: to(r.region),
            kind: to(r.kind),
            end: r.end + at,
            ..r
        }));
        at += run.len;
        index.push(run.index);
        reads.push(run.read);
    }
    (rows, ids, at, index, reads)
}

/// Partners `range` of `streamed`: records written to `out`, rows, index part; `None`
/// when one is not streamable (and `stop` set, so the other runs stop too).
fn run(
    streamed: &Streamed,
    source: &std::fs::File,
    range: Range<usize>,
    (out, texts_out): (&std::fs::File, &std::fs::File),
    stop: &AtomicBool,
) -> Result<Option<Run>, String> {
    let io = |e: std::io::Error| data::describe_io_error(&e);
    let mut out = std::io::BufWriter::with_capacity(BUFFER, out);
    let mut texts_out = std::io::BufWriter::with_capacity(BUFFER, texts_out);
    let mut texts = Vec::with_capacity(range.len());
    let mut reading = streamed.reading(source);
    let mut index = IndexPart::new(streamed.head());
    let mut rows = Vec::with_capacity(range.len());
    let mut ids = Vec::new();
    let (mut end, mut record) = (0u64, Vec::new());
    for i in range {
        let p = match reading.partner(i) {
            Some(p) if !stop.load(Ordering::Relaxed) => p,
            _ => {
                stop.store(true, Ordering::Relaxed);
                return Ok(None);
            }
        };
        record.clear();
        rmp_serde::encode::write_named(&mut record, &p).map_err(|e| e.to_string())?;
        out.write_all(&record).map_err(io)?;
        end += record.len() as u64;
        let hash = xxhash_rust::xxh3::xxh3_64(&record);
        rows.push(Row::of(&p, end, hash, &mut ids));
        record.clear();
        data::Texts::encode_partner(&p, &mut record)?;
        texts_out.write_all(&record).map_err(io)?;
        texts.push(u32::try_from(record.len()).map_err(|_| "a block of texts is too large")?);
        if record.capacity() > BUFFER {
            // A partner far larger than most: its buffer is not kept.
            record = Vec::new();
        }
        index.push(&p);
    }
    out.flush().map_err(io)?;
    texts_out.flush().map_err(io)?;
    Ok(Some(Run {
        index: index.finish(),
        rows,
        ids,
        len: end,
        texts,
        read: reading.done(),
    }))
}

/// The catalog in the entry just written to `file` (and renamed to `entry`), read in
/// place as [`super::read_entry`] reads it.
fn open_written(file: &std::fs::File, entry: &Path, path: &Path, name: &str) -> Option<Catalog> {
    let file = file.try_clone().ok()?;
    // SAFETY: as in `read_entry`: linkj never changes an entry in place, and the bytes
    // are checked (magic, lengths, hash) before anything is read from them.
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    let head = Header::parse(&map)?;
    let layout = Layout::check(&map, &head)?;
    let map: &'static [u8] = Box::leak(Box::new(map));
    let damage = Damage {
        entry: entry.to_path_buf(),
        path: path.to_path_buf(),
        name: name.to_string(),
    };
    decode(map, &layout, file, name, damage)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::{Stamp, build_id, content_hash};

    /// Streams `text` (written to a file in `dir`) into an entry there.
    fn stream_text(dir: &Path, text: &str) -> Outcome {
        let path = dir.join("d.ron");
        std::fs::write(&path, text).expect("write");
        let bytes = std::fs::read(&path).expect("read");
        let made = Made {
            build: build_id().expect("build id"),
            stamp: Stamp::of(&std::fs::metadata(&path).expect("meta")),
            source: content_hash(&bytes),
        };
        store(dir, &dir.join("e.cat"), made, bytes, &path, "d.ron")
    }

    fn generated(n: usize) -> String {
        let mut out = Vec::new();
        crate::synth::write_dataset(&mut out, n, 5).expect("generate");
        String::from_utf8(out).expect("utf-8")
    }

    fn files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// A plain file is streamed (in several runs where there are cores for them) and
    /// its catalog read from the entry; one left to ron is not; one whose partners
    /// break a rule found only when they are read is not, and nothing is left behind.
    #[test]
    fn plain_files_are_streamed_and_others_given_back() {
        let tmp = tempfile::tempdir().expect("tmp");
        let text = generated(5000);
        match stream_text(tmp.path(), &text) {
            Outcome::Stored(c) => {
                assert!(c.dataset().partners.is_stored());
                assert_eq!(c.dataset().partners.len(), 5000);
            }
            _ => panic!("a plain file is streamed"),
        }
        assert_eq!(files(tmp.path()), ["d.ron", "e.cat"]);
        std::fs::remove_file(tmp.path().join("e.cat")).expect("rm");
        let ron = format!("/* a block comment */\n{text}");
        assert!(matches!(
            stream_text(tmp.path(), &ron),
            Outcome::NotStreamed(Some(_))
        ));
        // The last partner takes the first one's id.
        let last = text.rfind("(id:\"").expect("a partner");
        let id = |at: usize| text[at + 5..].split('"').next().expect("id").to_string();
        let first = text.find("(id:\"").expect("a partner");
        let twice = format!(
            "{}{}",
            &text[..last],
            text[last..].replacen(&id(last), &id(first), 1)
        );
        assert!(matches!(
            stream_text(tmp.path(), &twice),
            Outcome::NotStreamed(None)
        ));
        assert_eq!(files(tmp.path()), ["d.ron"]);
    }
}
