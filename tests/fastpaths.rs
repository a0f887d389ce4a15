//! The fast search paths (character-mask prefilter, narrowing as the query grows,
//! scoring on several threads, slices between keystrokes) give exactly the results of a
//! plain full re-match, on random queries over a generated dataset.

mod common;

use crossterm::event::KeyCode;
use linkj::search::{Index, parse_query};

fn dataset(n: usize) -> linkj::data::Loaded {
    let mut ron = Vec::new();
    linkj::synth::write_dataset(&mut ron, n, 99).expect("gen");
    linkj::data::load_bytes(&ron, "gen.ron").expect("valid")
}

fn model(loaded: linkj::data::Loaded) -> linkj::model::Model {
    let opts = linkj::app::Options {
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 6, 1),
        ..linkj::app::Options::default()
    };
    linkj::app::initial_model(loaded, (120, 40), &opts)
}

const WORDS: &[&str] = &[
    "osaka",
    "大阪",
    "ボストン",
    "cell bio",
    "ｔｏｋｙｏ",
    "^sap",
    "'cluster",
    "neur !kobe",
    "zzzq",
    "immunolgy",
    "しずおか",
    "univ of",
];

fn ids(m: &linkj::model::Model) -> Vec<usize> {
    m.hits.iter().map(|h| h.partner).collect()
}

#[test]
fn typed_queries_match_a_full_rematch() {
    let loaded = dataset(12_000);
    let reference = Index::new(&loaded.dataset);
    let all: Vec<usize> = (0..loaded.dataset.partners.len()).collect();
    let mut want_for = std::collections::HashMap::<String, Vec<usize>>::new();
    let mut want = |q: &str| {
        want_for
            .entry(q.to_string())
            .or_insert_with(|| reference.reference_rank(&all, &parse_query(q)))
            .clone()
    };
    let mut m = model(loaded);
    // Sliced above 4,000 candidates, in slices large enough to be scored on both cores:
    // every fast path is taken on a dataset small enough for a debug build.
    m.set_search_slices(4_000, 5_000);
    let (mut sliced, mut partial) = (0, 0);
    for q in WORDS {
        common::key(&mut m, KeyCode::Char('/'));
        // Type one character at a time: every prefix narrows from the one before.
        for (i, c) in q.char_indices() {
            common::typ(&mut m, &c.to_string());
            if m.search_pending() {
                sliced += 1;
            }
            while m.search_pending() {
                m.step_search();
                if m.search_pending() {
                    partial += 1;
                }
            }
            let typed = &q[..i + c.len_utf8()];
            assert_eq!(ids(&m), want(typed), "query {typed:?}");
        }
        // And back: deleting widens again.
        for _ in 0..q.chars().count() {
            common::key(&mut m, KeyCode::Backspace);
            while m.search_pending() {
                m.step_search();
            }
            let typed = m.query.text().to_string();
            assert_eq!(ids(&m), want(&typed), "query {typed:?} after backspace");
        }
        common::key(&mut m, KeyCode::Esc);
    }
    assert!(sliced > 0, "the sliced path was never taken");
    assert!(partial > 0, "no search ever showed partial results");
}

#[test]
fn filters_with_queries_match_a_full_rematch() {
    let loaded = dataset(6_000);
    let reference = Index::new(&loaded.dataset);
    let ds = loaded.dataset.clone();
    let mut m = model(loaded);
    for (region, q) in [(1usize, "univ"), (2, "bio"), (3, "cluster")] {
        for _ in 0..region {
            common::typ(&mut m, "r");
        }
        common::typ(&mut m, &format!("/{q}"));
        let rid = &ds.regions[region - 1].id;
        let cands: Vec<usize> = (0..ds.partners.len())
            .filter(|&i| &ds.partners[i].region == rid)
            .collect();
        assert_eq!(
            ids(&m),
            reference.reference_rank(&cands, &parse_query(q)),
            "{q} in {rid}"
        );
        common::key(&mut m, KeyCode::Esc);
        common::typ(&mut m, "c");
    }
}

#[test]
fn random_queries_rank_like_the_reference() {
    let loaded = dataset(8_000);
    let index = Index::new(&loaded.dataset);
    let all: Vec<usize> = (0..loaded.dataset.partners.len()).collect();
    let alphabet: Vec<char> = "aeioukstnrbcdgm横大阪ンスー ".chars().collect();
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    for _ in 0..60 {
        let len = 1 + (seed % 6) as usize;
        let q: String = (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                alphabet[(seed % alphabet.len() as u64) as usize]
            })
            .collect();
        let terms = parse_query(&q);
        let fast: Vec<usize> = index
            .rank_terms(&all, &terms)
            .hits
            .iter()
            .map(|h| h.partner)
            .collect();
        assert_eq!(fast, index.reference_rank(&all, &terms), "query {q:?}");
    }
}
