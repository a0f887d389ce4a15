//! The first open of a dataset file through the cache streams the partners into the
//! entry instead of loading them all (see `src/cache/stream.rs`): what the user gets
//! must be what loading the file gives, errors included, and the entry must be the
//! one the ordinary load stores.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use linkj::cache;
use linkj::catalog::Catalog;
use linkj::filter::Filter;

const QUERIES: &[&str] = &[
    "osaka",
    "kob",
    "横浜",
    "o",
    "univ",
    "ky",
    "東京 med",
    "basel",
];

/// The dataset as debug text, the warnings, the gaps, per query the ranked ids and
/// scores.
type Results = (String, Vec<String>, String, Vec<Vec<(String, i64)>>);

fn results(c: &Catalog) -> Results {
    let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let ranked = QUERIES
        .iter()
        .map(|q| {
            c.search(&Filter::default(), today, q)
                .iter()
                .map(|h| {
                    let p = c.dataset().partners.get(h.partner).unwrap();
                    (p.id.clone(), h.score())
                })
                .collect()
        })
        .collect();
    (
        format!("{:?}", c.dataset()),
        c.loaded().warnings.iter().map(|w| w.to_string()).collect(),
        format!("{:?} {}", c.gaps(), c.max_ordinal()),
        ranked,
    )
}

/// A generated dataset's text.
fn generated(n: usize, seed: u64) -> String {
    let mut out = Vec::new();
    linkj::synth::write_dataset(&mut out, n, seed).unwrap();
    String::from_utf8(out).unwrap()
}

/// The text with its partner lines (one partner a line) changed by `f`.
fn with_partners(text: &str, f: impl FnOnce(&mut Vec<String>)) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let first = lines.iter().position(|l| l.starts_with("(id:")).unwrap();
    let last = lines.iter().rposition(|l| l.starts_with("(id:")).unwrap();
    let mut partners: Vec<String> = lines[first..=last].iter().map(|l| l.to_string()).collect();
    f(&mut partners);
    let mut out: Vec<String> = lines[..first].iter().map(|l| l.to_string()).collect();
    out.extend(partners);
    out.extend(lines[last + 1..].iter().map(|l| l.to_string()));
    out.join("\n") + "\n"
}

/// Opens `text` (written to a file in `dir`) through a cache in `dir`, and loads it
/// without: the two agree, errors word for word; and a file that does not load
/// leaves nothing in the cache. The outcome, for more checks.
fn agree(dir: &Path, name: &str, text: &str) -> Result<Results, String> {
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap();
    let cache_dir = dir.join(format!("{name}.cache"));
    let loaded = linkj::data::load_file(&file)
        .map(|l| results(&Catalog::new(l)))
        .map_err(|e| e.to_string());
    let opened = cache::open_in(&cache_dir, &file)
        .map(|o| {
            assert!(o.note.is_none() && !o.cached, "{:?}", o.note);
            results(&o.catalog)
        })
        .map_err(|e| e.to_string());
    assert_eq!(opened, loaded, "{name}");
    let left: Vec<PathBuf> = std::fs::read_dir(&cache_dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    match &loaded {
        Ok(_) => {
            assert_eq!(
                left.len(),
                1,
                "{name}: one entry, no temporary file: {left:?}"
            );
            let warm = cache::open_in(&cache_dir, &file).unwrap();
            assert!(warm.cached, "{name}");
            assert_eq!(Ok(results(&warm.catalog)), loaded, "{name}");
        }
        Err(_) => assert!(left.is_empty(), "{name}: {left:?}"),
    }
    loaded
}

/// Large enough for the index in two parts and the list skimmed in two halves (on
/// a machine of two cores or more), with notes in both halves, a missing ordinal
/// and the partners out of date order in the file.
fn big() -> String {
    with_partners(&generated(7000, 21), |ps| {
        for i in [5, 3000, 6500] {
            ps[i] = ps[i].replacen(
                "sources:[",
                &format!("notes:[(kind:Inferred,field:\"signed\",text:\"note {i}\")],sources:["),
                1,
            );
        }
        ps[6000] = ps[6000].replacen(
            "sources:[",
            "notes:[(kind:Conflict,field:\"place\",text:\"two\",readings:[(value:\"a\",sources:[\"synthetic\"])]),(kind:Inferred,field:\"kind\",text:\"second\")],sources:[",
            1,
        );
        ps.remove(100);
        ps.swap(10, 4000);
        ps.swap(2, 6999 - 1);
    })
}

#[test]
fn a_streamed_first_open_gives_what_loading_gives() {
    let tmp = tempfile::tempdir().unwrap();
    let got = agree(tmp.path(), "big.ron", &big()).unwrap();
    assert_eq!(got.1.len(), 6, "a gap and five notes: {:?}", got.1);
    // With a byte-order mark, escapes and characters cleaning removes.
    let small = with_partners(&generated(300, 4), |ps| {
        ps[7] = ps[7].replacen("name:(ja:\"", "name:(ja:\"\u{1b}[31m\\\"", 1);
        ps[9] = ps[9].replacen("description:(ja:\"", "description:(ja:\"\\t\u{200b}", 1);
    });
    agree(tmp.path(), "small.ron", &format!("\u{feff}{small}")).unwrap();
    let none = agree(
        tmp.path(),
        "none.ron",
        &with_partners(&generated(3, 1), Vec::clear),
    );
    assert!(none.is_ok_and(|r| r.3.iter().all(Vec::is_empty)));
}

/// Every way a partner can break a rule or leave the plain subset, alone in a large
/// file or a small one: the error is the located sentence loading gives.
#[test]
fn a_bad_file_fails_as_loading_it_fails() {
    let tmp = tempfile::tempdir().unwrap();
    type Mangle = fn(&mut Vec<String>);
    let mangles: [(&str, Mangle); 11] = [
        ("unknown field", |ps| {
            let last = ps.len() - 1;
            ps[last] = ps[last].replacen("sources:[", "colour:\"red\",sources:[", 1);
        }),
        ("field twice", |ps| {
            ps[2] = ps[2].replacen("sources:[", "ordinal:3,sources:[", 1);
        }),
        ("id twice", |ps| {
            let id = ps[1].split('"').nth(1).unwrap().to_string();
            let last = ps.len() - 1;
            let other = ps[last].split('"').nth(1).unwrap().to_string();
            ps[last] = ps[last].replacen(&other, &id, 1);
        }),
        ("ids equal once cleaned", |ps| {
            let id = ps[1].split('"').nth(1).unwrap().to_string();
            let last = ps.len() - 2;
            let other = ps[last].split('"').nth(1).unwrap().to_string();
            ps[last] = ps[last].replacen(&other, &format!("{id}\u{200b}"), 1);
        }),
        ("ordinal twice", |ps| {
            let last = ps.len() - 1;
            let n = ps.len();
            ps[last] = ps[last].replacen(&format!(",ordinal:{n},"), ",ordinal:2,", 1);
        }),
        ("ordinal 0", |ps| {
            ps[3] = ps[3].replacen(",ordinal:4,", ",ordinal:0,", 1)
        }),
        ("out of date order", |ps| {
            let date = ps[0].split("signed:\"").nth(1).unwrap();
            let date = format!("signed:\"{}\"", date.split('"').next().unwrap());
            ps[0] = ps[0].replacen(&date, "signed:\"2100-01-01\"", 1);
        }),
        ("undeclared region", |ps| {
            let last = ps.len() - 1;
            let region = ps[last].split("region:\"").nth(1).unwrap();
            let region = region.split('"').next().unwrap().to_string();
            ps[last] = ps[last].replacen(&format!("region:\"{region}\""), "region:\"mars\"", 1);
        }),
        ("undeclared source", |ps| {
            let last = ps.len() - 1;
            ps[last] = ps[last].replacen("sources:[\"synthetic\"]", "sources:[\"nowhere\"]", 1);
        }),
        ("empty name", |ps| {
            let last = ps.len() - 1;
            let en = ps[last].split("name:(ja:\"").nth(1).unwrap();
            let en = en.split("en:\"").nth(1).unwrap().split('"').next().unwrap();
            let en = format!("en:\"{en}\"");
            ps[last] = ps[last].replacen(&en, "en:\" \"", 1);
        }),
        ("cut short", |ps| {
            let last = ps.len() - 1;
            let half = ps[last].char_indices().nth(200).unwrap().0;
            ps[last].truncate(half);
        }),
    ];
    // The large file (two parts, two halves) with the rules that hold between
    // partners and the ways out of the plain subset.
    for (n, seed, some) in [(200, 6, 11), (6000, 8, 7)] {
        let text = generated(n, seed);
        for (what, mangle) in mangles.into_iter().take(some) {
            let bad = with_partners(&text, mangle);
            assert!(bad != text, "{what}: the mangle changed nothing");
            let got = agree(tmp.path(), &format!("{n} {what}.ron"), &bad);
            assert!(got.is_err(), "{what} at {n}: loads");
        }
    }
}

/// A file the fast reader leaves to ron (a block comment) is loaded and stored the
/// ordinary way: its entry holds, after the header that names the file's content,
/// the same bytes as the streamed entry of the same dataset written plainly.
#[test]
fn the_streamed_entry_is_the_stored_one_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let text = big();
    let plain = agree(tmp.path(), "plain.ron", &text).unwrap();
    let ron = agree(tmp.path(), "ron.ron", &format!("/* for ron */\n{text}")).unwrap();
    assert_eq!(plain, ron);
    let entry = |name: &str| {
        let dir = tmp.path().join(format!("{name}.cache"));
        let e = std::fs::read_dir(dir).unwrap().next().unwrap().unwrap();
        std::fs::read(e.path()).unwrap()
    };
    let (a, b) = (entry("plain.ron"), entry("ron.ron"));
    // The header: magic, build, the file's stamp and hash (96 bytes), then the lengths
    // and the hash of the rest.
    assert!(a.len() > 1 << 20);
    assert_eq!(a.len(), b.len());
    assert!(a[96..] == b[96..], "the entries differ after their headers");
}
