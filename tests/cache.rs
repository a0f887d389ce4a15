//! The catalog cache: a second open of a dataset file reads the catalog back instead of
//! parsing it, and whatever state the cache is in (another build's, truncated,
//! corrupted, written by two processes at once, not writable), linkj gives exactly the
//! results of a fresh parse. Every cache here lives in a temporary directory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::NaiveDate;
use linkj::cache::{self, Opened};
use linkj::catalog::Catalog;
use linkj::filter::Filter;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
}

/// A generated dataset of `n` partners written to `dir/name`.
fn dataset_file(dir: &Path, name: &str, n: usize, seed: u64) -> PathBuf {
    let mut out = Vec::new();
    linkj::synth::write_dataset(&mut out, n, seed).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, out).unwrap();
    path
}

/// The dataset as debug text, the warnings, per query the ranked ids and scores.
type Results = (String, Vec<String>, Vec<Vec<(String, i64)>>);

/// What a user gets from a catalog: the dataset, the warnings, and the ranked
/// partners' ids for each query.
fn results(c: &Catalog, queries: &[&str]) -> Results {
    let ds = format!("{:?}", c.dataset());
    let warnings = c.loaded().warnings.iter().map(|w| w.to_string()).collect();
    let ranked = queries
        .iter()
        .map(|q| {
            c.search(&Filter::default(), today(), q)
                .iter()
                .map(|h| {
                    (
                        c.dataset().partners.get(h.partner).unwrap().id.clone(),
                        h.score(),
                    )
                })
                .collect()
        })
        .collect();
    (ds, warnings, ranked)
}

const QUERIES: &[&str] = &["osaka", "kob", "横浜", "o", "univ", "ky", "zz", "東京 med"];

/// The single entry in the cache directory.
fn entry(dir: &Path) -> PathBuf {
    let mut cats: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "cat"))
        .collect();
    assert_eq!(cats.len(), 1, "{cats:?}");
    cats.pop().unwrap()
}

fn open(dir: &Path, file: &Path) -> Opened {
    cache::open_in(dir, file).unwrap()
}

/// Fresh, cold through the cache, warm from it: the same results, and only the warm
/// open came from the cache.
#[test]
fn a_cached_catalog_gives_what_the_file_gives() {
    let tmp = tempfile::tempdir().unwrap();
    let cache_dir = tmp.path().join("cache");
    let file = dataset_file(tmp.path(), "big.ron", 3000, 7);
    let fresh = Catalog::new(linkj::data::load_file(&file).unwrap());
    let want = results(&fresh, QUERIES);
    let cold = open(&cache_dir, &file);
    assert!(!cold.cached && cold.note.is_none());
    assert_eq!(results(&cold.catalog, QUERIES), want);
    let warm = open(&cache_dir, &file);
    assert!(warm.cached, "the second open reads the cache");
    assert!(warm.note.is_none());
    assert_eq!(results(&warm.catalog, QUERIES), want);
    assert_eq!(warm.catalog.gaps(), fresh.gaps());
    assert_eq!(warm.catalog.max_ordinal(), fresh.max_ordinal());
}

/// Random queries (letters, kana, kanji and spaces drawn from the dataset's own text)
/// rank the same partners in the same order from the cache as from the file.
#[test]
fn random_queries_rank_alike_from_the_cache_and_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let file = dataset_file(tmp.path(), "d.ron", 2500, 11);
    let fresh = Catalog::new(linkj::data::load_file(&file).unwrap());
    open(tmp.path(), &file);
    let warm = open(tmp.path(), &file);
    assert!(warm.cached);
    let text: Vec<char> = std::fs::read_to_string(&file)
        .unwrap()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ')
        .collect();
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let queries: Vec<String> = (0..200)
        .map(|_| {
            let at = (next() as usize) % (text.len() - 8);
            let len = 1 + (next() as usize) % 6;
            text[at..at + len].iter().collect()
        })
        .collect();
    let qs: Vec<&str> = queries.iter().map(String::as_str).collect();
    assert_eq!(results(&warm.catalog, &qs), results(&fresh, &qs));
}

/// Entries are private to the user, in a private directory, and no temporary file
/// is left behind.
#[test]
fn entries_are_private_and_whole() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let cache_dir = tmp.path().join("cache");
    let file = dataset_file(tmp.path(), "d.ron", 200, 1);
    open(&cache_dir, &file);
    let e = entry(&cache_dir);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&e), 0o600);
    assert_eq!(mode(&cache_dir), 0o700);
    assert_eq!(std::fs::read_dir(&cache_dir).unwrap().count(), 1);
}

/// A generated dataset file in a temporary directory, its entry stored there, and
/// what a fresh parse of it gives.
fn stored_entry() -> (tempfile::TempDir, PathBuf, Results) {
    let tmp = tempfile::tempdir().unwrap();
    let file = dataset_file(tmp.path(), "d.ron", 1500, 3);
    let want = results(
        &Catalog::new(linkj::data::load_file(&file).unwrap()),
        QUERIES,
    );
    open(tmp.path(), &file);
    (tmp, file, want)
}

/// Damages the entry with `damage`, then checks the next open rebuilds it silently
/// with the file's results, and the one after reads the rebuilt entry.
fn rebuilds_after(damage: impl Fn(&Path)) {
    let (tmp, file, want) = stored_entry();
    damage(&entry(tmp.path()));
    let after = open(tmp.path(), &file);
    assert!(!after.cached, "a damaged entry is not used");
    assert!(after.note.is_none(), "a rebuild says nothing");
    assert_eq!(results(&after.catalog, QUERIES), want);
    let again = open(tmp.path(), &file);
    assert!(again.cached, "the rebuilt entry is used");
    assert_eq!(results(&again.catalog, QUERIES), want);
}

fn rewrite(p: &Path, f: impl Fn(&mut Vec<u8>)) {
    let mut b = std::fs::read(p).unwrap();
    f(&mut b);
    std::fs::write(p, b).unwrap();
}

#[test]
fn an_entry_from_another_build_is_rebuilt() {
    // The build id follows the magic.
    rebuilds_after(|p| rewrite(p, |b| b[9] ^= 0x40));
}

#[test]
fn a_truncated_entry_is_rebuilt() {
    rebuilds_after(|p| rewrite(p, |b| b.truncate(b.len() / 2)));
    rebuilds_after(|p| rewrite(p, |b| b.truncate(20)));
    rebuilds_after(|p| rewrite(p, Vec::clear));
}

#[test]
fn a_corrupted_entry_is_rebuilt() {
    // A flipped bit in the head (the first section after the records), in the index,
    // in the header's lengths.
    rebuilds_after(|p| {
        rewrite(p, |b| {
            let at = head_section(b);
            b[at] ^= 1;
        })
    });
    rebuilds_after(|p| rewrite(p, |b| *b.last_mut().unwrap() ^= 0x10));
    rebuilds_after(|p| rewrite(p, |b| b[110] ^= 1));
    rebuilds_after(|p| rewrite(p, |b| b.extend_from_slice(b"more")));
    rebuilds_after(|p| {
        rewrite(p, |b| {
            let n = b.len();
            b[..n].fill(0x5a);
        })
    });
}

/// Where an entry's first checked section (the dataset's head) starts: after the
/// header (128 bytes) and the records, whose length is the header's bytes 96 to 103,
/// padded to 8, then the table of sections.
fn head_section(b: &[u8]) -> usize {
    let records = u64::from_le_bytes(b[96..104].try_into().unwrap()) as usize;
    let checked = 128 + records.div_ceil(8) * 8;
    let sections = u64::from_le_bytes(b[checked..checked + 8].try_into().unwrap()) as usize;
    checked + (8 + 16 * sections).div_ceil(8) * 8
}

/// A damaged partner record (the records are checked one by one when read, not at
/// every open): what the user gets is still the file's, read afresh, and the entry
/// is removed, so the next open stores it again.
#[test]
fn a_damaged_record_is_read_from_the_file_and_the_entry_rebuilt() {
    let (tmp, file, want) = stored_entry();
    // Inside the first partner's record.
    rewrite(&entry(tmp.path()), |b| b[200] ^= 1);
    let damaged = open(tmp.path(), &file);
    assert!(damaged.cached, "records are checked when read");
    assert_eq!(results(&damaged.catalog, QUERIES), want);
    let dir_entries = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "cat")
        })
        .count();
    assert_eq!(dir_entries, 0, "the damaged entry is removed");
    let again = open(tmp.path(), &file);
    assert!(!again.cached);
    assert_eq!(results(&again.catalog, QUERIES), want);
    assert!(open(tmp.path(), &file).cached);
}

/// A file changed to the same size and given back its mtime is noticed: its content
/// decides, and the new content's results are what the user gets.
#[test]
fn a_changed_file_with_the_same_size_and_mtime_is_read_again() {
    let tmp = tempfile::tempdir().unwrap();
    let file = dataset_file(tmp.path(), "d.ron", 800, 5);
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let f = std::fs::File::options().write(true).open(&file).unwrap();
    f.set_modified(old).unwrap();
    drop(f);
    open(tmp.path(), &file);
    let text = std::fs::read_to_string(&file).unwrap();
    // The first partner's place, letter for letter as long.
    let changed = text.replacen("Osaka", "Oxaka", 1);
    assert_ne!(changed, text);
    assert_eq!(changed.len(), text.len());
    std::fs::write(&file, &changed).unwrap();
    let f = std::fs::File::options().write(true).open(&file).unwrap();
    f.set_modified(old).unwrap();
    drop(f);
    let want = results(
        &Catalog::new(linkj::data::load_file(&file).unwrap()),
        &["oxaka"],
    );
    let after = open(tmp.path(), &file);
    assert!(!after.cached);
    assert_eq!(results(&after.catalog, &["oxaka"]), want);
    assert!(!want.2[0].is_empty(), "the changed place is found");
}

/// Two processes (here threads) opening the same file at once, each writing the entry:
/// both get the file's results, and what is left is one whole entry.
#[test]
fn concurrent_writers_leave_one_whole_entry() {
    let tmp = tempfile::tempdir().unwrap();
    let file = dataset_file(tmp.path(), "d.ron", 1500, 9);
    let want = results(
        &Catalog::new(linkj::data::load_file(&file).unwrap()),
        QUERIES,
    );
    let got: Vec<_> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..4)
            .map(|_| s.spawn(|| results(&open(tmp.path(), &file).catalog, QUERIES)))
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for g in got {
        assert_eq!(g, want);
    }
    entry(tmp.path());
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        2,
        "the file and one entry"
    );
    let warm = open(tmp.path(), &file);
    assert!(warm.cached);
    assert_eq!(results(&warm.catalog, QUERIES), want);
}

/// A leftover temporary file of a writer that died is not an entry.
#[test]
fn a_dead_writers_temporary_file_is_ignored() {
    let tmp = tempfile::tempdir().unwrap();
    let file = dataset_file(tmp.path(), "d.ron", 300, 2);
    open(tmp.path(), &file);
    let e = entry(tmp.path());
    let half = std::fs::read(&e).unwrap();
    std::fs::remove_file(&e).unwrap();
    std::fs::write(e.with_extension("123.tmp"), &half[..half.len() / 2]).unwrap();
    let after = open(tmp.path(), &file);
    assert!(!after.cached);
    assert!(open(tmp.path(), &file).cached);
}

fn linkj(cache_home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_linkj"))
        .args(args)
        .env("XDG_CACHE_HOME", cache_home)
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// The binary: a search through the cache prints what `--no-cache` prints, quietly;
/// `--no-cache` leaves no entry; `linkj cache clear` removes the entries.
#[test]
fn the_binary_caches_clears_and_can_skip_the_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("xdg");
    let file = dataset_file(tmp.path(), "d.ron", 1200, 4);
    let f = file.to_str().unwrap();
    let fresh = linkj(&home, &["search", "osaka", "--data", f, "--no-cache"]);
    assert!(fresh.status.success(), "{}", stderr(&fresh));
    assert!(!home.exists(), "--no-cache writes nothing");
    for _ in 0..2 {
        let o = linkj(&home, &["search", "osaka", "--data", f]);
        assert!(o.status.success());
        assert_eq!(stdout(&o), stdout(&fresh));
        assert_eq!(stderr(&o), "");
    }
    let dir = home.join("linkj");
    entry(&dir);
    let check = linkj(&home, &["check", "--data", f]);
    let check_fresh = linkj(&home, &["check", "--data", f, "--no-cache"]);
    assert_eq!(stdout(&check), stdout(&check_fresh));
    let clear = linkj(&home, &["cache", "clear"]);
    assert!(clear.status.success());
    assert!(
        stdout(&clear).starts_with("removed 1 cached catalog from "),
        "{}",
        stdout(&clear)
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    let again = linkj(&home, &["cache", "clear"]);
    assert!(stdout(&again).starts_with("removed 0 cached catalogs"));
}

/// A cache directory that cannot be written (here: its place is taken by a regular
/// file, since tests run as root and root ignores permissions) costs one line on
/// stderr, and the results are the file's.
#[test]
fn an_unwritable_cache_costs_one_line_and_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("not-a-dir");
    std::fs::write(&home, "").unwrap();
    let file = dataset_file(tmp.path(), "d.ron", 600, 8);
    let f = file.to_str().unwrap();
    let fresh = linkj(tmp.path(), &["search", "kob", "--data", f, "--no-cache"]);
    let o = linkj(&home, &["search", "kob", "--data", f]);
    assert!(o.status.success());
    assert_eq!(stdout(&o), stdout(&fresh));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("linkj: cannot write the catalog cache in "),
        "{err}"
    );
    // Through the library too: a note, no entry, the file's results.
    let opened = cache::open_in(&home.join("linkj"), &file).unwrap();
    assert!(opened.note.is_some() && !opened.cached);
}

/// A bad file is reported as without the cache, and nothing is cached for it.
#[test]
fn a_bad_file_is_reported_as_ever_and_not_cached() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("xdg");
    let file = tmp.path().join("bad.ron");
    std::fs::write(&file, "(title: \"x\", oops)").unwrap();
    let f = file.to_str().unwrap();
    let a = linkj(&home, &["list", "--data", f]);
    let b = linkj(&home, &["list", "--data", f, "--no-cache"]);
    assert!(!a.status.success());
    assert_eq!(stderr(&a), stderr(&b));
    assert!(
        !home.join("linkj").exists() || std::fs::read_dir(home.join("linkj")).unwrap().count() == 0
    );
}

/// `search`'s lines read each hit's names, places and people from the entry's blocks
/// of texts, not from the partner's record: what they print is what a fresh parse
/// prints, in both languages, for hits on every kind of field (names, places,
/// people, roles, Japanese names). A damaged block costs nothing either: the record
/// gives those lines.
#[test]
fn search_lines_from_the_cache_are_the_files() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("xdg");
    let file = dataset_file(tmp.path(), "d.ron", 1500, 6);
    let f = file.to_str().unwrap();
    let queries = ["o", "kob", "横浜", "watanabe", "director", "tokyo", "ky"];
    let fresh: Vec<String> = queries
        .iter()
        .flat_map(|q| ["en", "ja"].map(|l| (q, l)))
        .map(|(q, l)| {
            let o = linkj(
                &home,
                &["search", q, "--lang", l, "--data", f, "--no-cache"],
            );
            assert!(o.status.success(), "{q}: {}", stderr(&o));
            stdout(&o)
        })
        .collect();
    assert!(
        fresh.iter().any(|s| s.contains("= person: ")),
        "a person hit"
    );
    let cached = |home: &Path| -> Vec<String> {
        let mut out = Vec::new();
        for q in queries {
            for l in ["en", "ja"] {
                let o = linkj(home, &["search", q, "--lang", l, "--data", f]);
                assert_eq!(stderr(&o), "");
                out.push(stdout(&o));
            }
        }
        out
    };
    assert_eq!(cached(&home), fresh, "first open");
    assert_eq!(cached(&home), fresh, "from the entry");
    // The last of the records are the one-letter tables (two bytes a partner, one
    // table per letter and digit), and before them the texts' blocks.
    let tables = 2 * 1500 * linkj::search::LETTERS.len();
    let letter = |c: char| linkj::search::LETTERS.find(c).unwrap();
    let records = |b: &[u8]| 128 + u64::from_le_bytes(b[96..104].try_into().unwrap()) as usize;
    rewrite(&entry(&home.join("linkj")), |b| {
        let end = records(b);
        b[end - tables - 9] ^= 0x21;
    });
    assert_eq!(cached(&home), fresh, "a damaged block");
    // A damaged table: its letter is matched instead.
    rewrite(&entry(&home.join("linkj")), |b| {
        let end = records(b);
        b[end - tables + 2 * 1500 * letter('o') + 1001] ^= 0x40;
    });
    assert_eq!(cached(&home), fresh, "a damaged table");
}

/// A dataset file touched but not changed (a new mtime, the same bytes) is hashed once
/// to tell, and its entry stamped afresh, so the opens after it trust the stamp again.
#[test]
fn a_touched_file_is_hashed_once_and_its_entry_stamped_again() {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().unwrap();
    let file = dataset_file(tmp.path(), "d.ron", 400, 8);
    let touch = |ago: u64| {
        let t = std::time::SystemTime::now() - std::time::Duration::from_secs(ago);
        let f = std::fs::File::options().write(true).open(&file).unwrap();
        f.set_modified(t).unwrap();
    };
    touch(7200);
    open(tmp.path(), &file);
    let inode = |p: &Path| std::fs::metadata(p).unwrap().ino();
    let first = inode(&entry(tmp.path()));
    assert_eq!(
        inode(&entry(tmp.path())),
        first,
        "a trusted stamp: left as it is"
    );
    assert!(open(tmp.path(), &file).cached);
    assert_eq!(inode(&entry(tmp.path())), first);
    touch(3600);
    assert!(open(tmp.path(), &file).cached, "the same bytes");
    let restamped = inode(&entry(tmp.path()));
    assert_ne!(restamped, first, "stamped afresh");
    let warm = open(tmp.path(), &file);
    assert!(warm.cached);
    assert_eq!(inode(&entry(tmp.path())), restamped, "trusted again");
    let want = results(
        &Catalog::new(linkj::data::load_file(&file).unwrap()),
        QUERIES,
    );
    assert_eq!(results(&warm.catalog, QUERIES), want);
}
