//! The fast search paths (character-mask prefilter, narrowing as the query grows,
//! scoring on several threads, slices between keystrokes) give exactly the results of a
//! plain full re-match, on random queries over a generated dataset.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

mod common;

use crossterm::event::KeyCode;
use linkj::search::{Index, Scan, parse_query};

fn dataset(n: usize) -> linkj::data::Loaded {
    let mut ron = Vec::new();
    linkj::synth::write_dataset(&mut ron, n, 99).expect("gen");
    linkj::data::load_bytes(&ron, "gen.ron").expect("valid")
}

/// A browser whose searches run in slices once there are more than `sync_limit`
/// candidates.
fn model(loaded: linkj::data::Loaded, sync_limit: usize, slice: usize) -> linkj::session::Session {
    let opts = linkj::app::Options {
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 6, 1),
        slices: Some((sync_limit, slice)),
        start_in_timeline: true,
        ..linkj::app::Options::default()
    };
    common::on(loaded, (120, 40), &opts)
}

/// Scores one more slice of the search, as the loop does when no key waits.
fn step(m: &mut linkj::session::Session) {
    linkj::update::update(m, linkj::action::Action::SearchStep);
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

fn ids(m: &linkj::session::Session) -> Vec<usize> {
    m.hits().iter().map(|h| h.partner).collect()
}

/// Checks the list against the reference ranking the way a user meets it: the part
/// in final order (what has been shown) must agree at once; the rest holds the right
/// partners and, with `scroll_all` (as if scrolled to the end), their right order.
/// Returns whether part of the list was still waiting for its order.
fn check(m: &mut linkj::session::Session, want: &[usize], scroll_all: bool, what: &str) -> bool {
    let done = m.resolved_len();
    let got = ids(m);
    assert_eq!(
        &got[..done],
        &want[..done.min(want.len())],
        "{what}: the final part"
    );
    let (mut a, mut b) = (got.clone(), want.to_vec());
    a.sort_unstable();
    b.sort_unstable();
    assert_eq!(a, b, "{what}: the partners listed");
    if scroll_all {
        // Going to the last entry puts the whole list in its final order.
        linkj::update::update(m, linkj::action::Action::Last);
        assert_eq!(ids(m), want, "{what}: the whole list");
    }
    done < got.len()
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
    // Sliced above 4,000 candidates, in slices large enough to be scored on both cores:
    // every fast path is taken on a dataset small enough for a debug build.
    let mut m = model(loaded, 4_000, 5_000);
    let (mut sliced, mut partial, mut lazy) = (0, 0, 0);
    let mut turn = 0;
    for q in WORDS {
        common::key(&mut m, KeyCode::Char('/'));
        // Type one character at a time: every prefix narrows from the one before.
        for (i, c) in q.char_indices() {
            common::typ(&mut m, &c.to_string());
            if m.search_pending() {
                sliced += 1;
            }
            while m.search_pending() {
                step(&mut m);
                if m.search_pending() {
                    partial += 1;
                }
            }
            let typed = &q[..i + c.len_utf8()];
            turn += 1;
            lazy += usize::from(check(&mut m, &want(typed), turn % 2 == 0, typed));
        }
        // And back: deleting widens again.
        for _ in 0..q.chars().count() {
            common::key(&mut m, KeyCode::Backspace);
            common::finish_search(&mut m);
            let typed = m.query().text().to_string();
            turn += 1;
            let what = format!("{typed:?} after backspace");
            lazy += usize::from(check(&mut m, &want(&typed), turn % 2 == 0, &what));
        }
        common::key(&mut m, KeyCode::Esc);
    }
    assert!(sliced > 0, "the sliced path was never taken");
    assert!(partial > 0, "no search ever showed partial results");
    assert!(lazy > 0, "no list ever left its order for later");
}

#[test]
fn filters_with_queries_match_a_full_rematch() {
    let loaded = dataset(6_000);
    let reference = Index::new(&loaded.dataset);
    let ds = loaded.dataset.clone();
    let mut m = model(loaded, linkj::session::SYNC_LIMIT, linkj::session::SLICE);
    for (region, q) in [(1usize, "univ"), (2, "bio"), (3, "cluster")] {
        for _ in 0..region {
            common::typ(&mut m, "r");
        }
        common::typ(&mut m, &format!("/{q}"));
        let rid = &ds.regions[region - 1].id;
        let cands: Vec<usize> = (0..ds.partners.len())
            .filter(|&i| &ds.partners.get(i).unwrap().region == rid)
            .collect();
        let want = reference.reference_rank(&cands, &parse_query(q));
        check(&mut m, &want, true, &format!("{q} in {rid}"));
        // Esc clears the query, Esc again leaves the search bar.
        common::key(&mut m, KeyCode::Esc);
        common::key(&mut m, KeyCode::Esc);
        common::typ(&mut m, "c");
    }
}

/// The partners the fast paths rank for `terms`, best first.
fn fast_rank(index: &Index, all: &[usize], terms: &[linkj::search::Term]) -> Vec<usize> {
    index
        .rank_terms(all, terms)
        .hits
        .iter()
        .map(|h| h.partner)
        .collect()
}

#[test]
fn random_queries_rank_like_the_reference() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};
    let loaded = dataset(8_000);
    let index = Index::new(&loaded.dataset);
    let all: Vec<usize> = (0..loaded.dataset.partners.len()).collect();
    let alphabet: Vec<char> = "aeioukstnrbcdgm横大阪ンスー ".chars().collect();
    // Queries of 1 to 6 characters; a failure shrinks to the shortest query that ranks
    // differently and is kept in proptest-regressions/.
    let query = prop::collection::vec(prop::sample::select(alphabet), 1..=6)
        .prop_map(|cs| cs.into_iter().collect::<String>());
    let mut runner = TestRunner::new(Config {
        cases: 60,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/fastpaths.txt",
        ))),
        ..Config::default()
    });
    let result = runner.run(&query, |q| {
        let terms = parse_query(&q);
        prop_assert_eq!(
            fast_rank(&index, &all, &terms),
            index.reference_rank(&all, &terms),
            "query {:?}",
            q
        );
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn ordering_a_ranking_piece_by_piece_ranks_like_the_reference() {
    // How the browser finishes a large search: scored a slice at a time with
    // tie-breaks left out (all of them, or, once the best group so far is known, those
    // of matches below it), sorted by group, then put in final order a screenful at a
    // time as it is scrolled.
    let loaded = dataset(8_000);
    let index = Index::new(&loaded.dataset);
    let all: Vec<usize> = (0..loaded.dataset.partners.len()).collect();
    let mut left_for_later = 0;
    for q in [
        "o", "os", "osa", "un", "univ", "g", "ge", "大", "ン", "bio cell", "k t",
    ] {
        let terms = parse_query(q);
        let want = index.reference_rank(&all, &terms);
        let mut hits = Vec::new();
        let mut scan = Scan::default();
        for slice in all.chunks(600) {
            hits.extend(index.score_slice(&mut scan, slice, &terms, false));
        }
        Index::sort_groups(&mut hits);
        let mut done = 0;
        let mut step = 1;
        while done < hits.len() {
            done = index.resolve(&mut hits, &terms, done, done + step);
            let got: Vec<usize> = hits[..done].iter().map(|h| h.partner).collect();
            assert_eq!(got, want[..done], "{q:?}, first {done}");
            left_for_later += usize::from(done < hits.len());
            step *= 7;
        }
        let got: Vec<usize> = hits.iter().map(|h| h.partner).collect();
        assert_eq!(got, want, "{q:?}");
    }
    assert!(left_for_later > 0);
}

#[test]
fn the_one_typo_pass_runs_in_slices_too_and_ranks_like_the_reference() {
    let loaded = dataset(12_000);
    let reference = Index::new(&loaded.dataset);
    let all: Vec<usize> = (0..loaded.dataset.partners.len()).collect();
    let mut m = model(loaded, 4_000, 2_000);
    // A misspelt word (the last letter wrong: no strict match, found with one typo), and
    // the longest query there can be, which matches nothing either way.
    let long = "q".repeat(linkj::session::MAX_QUERY_CHARS);
    for q in ["osakq", long.as_str()] {
        common::key(&mut m, KeyCode::Char('/'));
        common::event(&mut m, crossterm::event::Event::Paste(q.to_string()));
        let (mut steps, mut passes, mut last) = (0, 1, 0);
        while let Some((scored, total, _)) = m.search_progress() {
            assert!(scored <= total);
            if scored < last {
                passes += 1;
            }
            last = scored;
            step(&mut m);
            steps += 1;
        }
        assert_eq!(passes, 2, "{q:.20}: a strict pass, then a typo pass");
        // Each keystroke waits for one slice at most: 12,000 candidates in slices of
        // 2,000, twice.
        assert!(steps >= 12, "{q:.20}: {steps} slices");
        let want = reference.reference_rank(&all, &parse_query(q));
        assert_eq!(
            want.is_empty(),
            q == long,
            "{q:.20}: found only with a typo"
        );
        check(&mut m, &want, true, q);
        common::key(&mut m, KeyCode::Esc);
    }
    // A term of four characters or fewer cannot be a typo of a word: when nothing
    // matches it strictly, there is no second pass, and nothing is listed.
    for q in ["zzqx", "qq zzqx", "zq xj"] {
        // Esc left the query empty and the search bar focused.
        common::event(&mut m, crossterm::event::Event::Paste(q.to_string()));
        assert_eq!(m.query().text(), q);
        let (mut passes, mut last) = (1, 0);
        while let Some((scored, _, _)) = m.search_progress() {
            passes += usize::from(scored < last);
            last = scored;
            step(&mut m);
        }
        assert_eq!(passes, 1, "{q}: the strict pass only");
        assert_eq!(
            reference.reference_rank(&all, &parse_query(q)),
            Vec::<usize>::new()
        );
        assert!(m.hits().is_empty(), "{q}: {} listed", m.hits().len());
        common::key(&mut m, KeyCode::Esc);
    }
}

#[test]
fn a_typo_typed_after_a_narrowed_search_is_looked_for_in_everyone() {
    // Partners with a word "bqzyw" match "bqzy" strictly; those with "bazyx" do not,
    // but are one typo from "bqzyx", which nothing matches strictly. Typed a letter
    // at a time, "bqzyx" narrows from "bqzy": its typo pass must still look at
    // everyone, in a search small enough to run at once and in one run in slices.
    let mut ron = Vec::new();
    linkj::synth::write_dataset(&mut ron, 3_000, 5).expect("generate");
    let ron = String::from_utf8(ron)
        .expect("utf-8")
        .replace("Basel", "Bqzyw")
        .replace("Toronto", "Bazyx");
    let loaded = linkj::data::load_bytes(ron.as_bytes(), "gen.ron").expect("valid");
    let reference = Index::new(&loaded.dataset);
    let all: Vec<usize> = (0..loaded.dataset.partners.len()).collect();
    let strict = reference.reference_rank(&all, &parse_query("bqzy"));
    let want = reference.reference_rank(&all, &parse_query("bqzyx"));
    assert!(!strict.is_empty());
    assert!(
        want.iter().any(|i| !strict.contains(i)),
        "a typo match outside the strict ones"
    );
    for (sync_limit, slice) in [(100_000, 1_000), (10, 100)] {
        let mut m = model(loaded.clone(), sync_limit, slice);
        common::key(&mut m, KeyCode::Char('/'));
        for c in "bqzyx".chars() {
            common::typ(&mut m, &c.to_string());
            common::finish_search(&mut m);
        }
        check(&mut m, &want, true, "bqzyx");
    }
}

#[test]
fn the_query_een_ranks_like_the_reference() {
    // A query a random run once found ranked differently.
    let loaded = dataset(8_000);
    let index = Index::new(&loaded.dataset);
    let all: Vec<usize> = (0..loaded.dataset.partners.len()).collect();
    for q in ["een", "ee", "en", "e e n", "nee"] {
        let terms = parse_query(q);
        assert_eq!(
            fast_rank(&index, &all, &terms),
            index.reference_rank(&all, &terms),
            "query {q:?}"
        );
    }
}

#[test]
fn every_one_and_two_letter_query_ranks_like_the_reference() {
    // The first keystrokes of a query match most partners, where the fast paths
    // (one pass per haystack for word and substring matches, a one-character score
    // by bytes, shared haystacks matched once per run) do nearly all the work.
    let loaded = dataset(6_000);
    let index = Index::new(&loaded.dataset);
    let all: Vec<usize> = (0..loaded.dataset.partners.len()).collect();
    let singles: Vec<String> = ('a'..='z')
        .chain('0'..='9')
        .chain("-.&'大阪東京ンス".chars())
        .map(String::from)
        .collect();
    let pairs = [
        "os", "ky", "un", "ge", "bo", "to", "in", "er", "of", "e ", "k t", "大阪", "東京", "ンス",
        "^o", "'o", "'os", "^un", "o!k",
    ];
    let queries = singles.iter().map(String::as_str).chain(pairs);
    let mut matched = 0;
    for q in queries {
        let terms = parse_query(q);
        let want = index.reference_rank(&all, &terms);
        matched += usize::from(!want.is_empty());
        assert_eq!(fast_rank(&index, &all, &terms), want, "query {q:?}");
    }
    assert!(matched > 40, "only {matched} queries matched anything");
}

#[test]
fn one_letter_queries_ranked_ahead_rank_like_the_reference() {
    // A stored catalog ranks a query of one letter or digit by looking each partner's
    // rank up in a table made from its index: the ranking must be matching's, for
    // everyone, under a filter, and in the browser's slices as the query grows.
    let loaded = dataset(6_000);
    let n = loaded.dataset.partners.len();
    let plain = Index::new(&loaded.dataset);
    let index = Index::new(&loaded.dataset).with_letter_tables();
    let all: Vec<usize> = (0..n).collect();
    let some: Vec<usize> = all.iter().copied().filter(|i| i % 3 != 1).collect();
    for c in linkj::search::LETTERS.chars().chain("OKＡ７Ö".chars()) {
        let terms = parse_query(&c.to_string());
        assert!(index.ranks_at_once(&terms), "{c:?} has a table");
        for cands in [&all, &some] {
            let want = plain.reference_rank(cands, &terms);
            assert_eq!(fast_rank(&index, cands, &terms), want, "query {c:?}");
        }
    }
    for q in ["大", "^o", "'o", "!o", "os", "o k", "-"] {
        assert!(!index.ranks_at_once(&parse_query(q)), "{q:?} is matched");
    }
    assert!(
        !plain.ranks_at_once(&parse_query("o")),
        "no tables: matched"
    );

    let reference = plain;
    let gaps = linkj::catalog::Catalog::new(loaded.clone());
    let catalog =
        linkj::catalog::Catalog::stored(loaded, index, gaps.gaps().to_vec(), gaps.max_ordinal());
    let opts = linkj::app::Options {
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 6, 1),
        slices: Some((1_000, 200)),
        start_in_timeline: true,
        ..linkj::app::Options::default()
    };
    let mut m = linkj::app::initial_session(std::sync::Arc::new(catalog), (120, 40), &opts);
    for q in ["o", "k", "u"] {
        common::key(&mut m, KeyCode::Char('/'));
        common::typ(&mut m, q);
        assert!(m.search_pending(), "{q}: in slices");
        let mut steps = 0;
        while m.search_pending() {
            step(&mut m);
            steps += 1;
        }
        assert!(steps > 1, "{q}: {steps} slices");
        check(
            &mut m,
            &reference.reference_rank(&all, &parse_query(q)),
            true,
            q,
        );
        // Narrowed from the looked-up hits.
        common::typ(&mut m, "s");
        common::finish_search(&mut m);
        let grown = format!("{q}s");
        check(
            &mut m,
            &reference.reference_rank(&all, &parse_query(&grown)),
            true,
            &grown,
        );
        common::key(&mut m, KeyCode::Esc);
        common::key(&mut m, KeyCode::Esc);
    }
}
