//! For meetings and demos: agreement status in the browser, copying a summary through
//! OSC 52, the statistics and map views and presentation mode, driven by keys and drawn
//! into a TestBackend. Snapshots are in tests/snapshots.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

mod common;

use std::collections::HashMap;

use base64::Engine as _;
use common::*;
use crossterm::event::KeyCode;
use linkj::data::load_embedded;
use linkj::mode::View;

fn snap(name: &str, m: &linkj::session::Session) {
    insta::assert_snapshot!(name, screen(m));
}

fn shown_ids(m: &linkj::session::Session) -> Vec<String> {
    m.hits()
        .iter()
        .map(|h| m.dataset().partners.get(h.partner).unwrap().id.clone())
        .collect()
}

#[test]
fn the_status_key_filters_by_agreement_status() {
    // The common app is as of 2026-06-01: UCLA, Yokohama and Kanagawa are past their
    // five-year terms; MPR's end (2026-02-04 at the earliest) cannot be called.
    let mut m = app(120, 40);
    typ(&mut m, "a");
    assert!(
        shown_ids(&m).is_empty(),
        "nothing active: {:?}",
        shown_ids(&m)
    );
    assert!(
        screen(&m).contains("0 of 15 shown | active"),
        "{}",
        screen(&m)
    );
    typ(&mut m, "a");
    assert!(shown_ids(&m).is_empty(), "nothing ending");
    typ(&mut m, "a");
    assert_eq!(shown_ids(&m), ["ucla", "yokohama", "kanagawa"]);
    assert!(screen(&m).contains("3 of 15 shown | past term"));
    typ(&mut m, "a");
    assert_eq!(shown_ids(&m).len(), 12, "unknown: no term stated, or MPR");
    assert!(shown_ids(&m).contains(&"mpr".to_string()));
    typ(&mut m, "a");
    assert_eq!(shown_ids(&m).len(), 15, "and back to all");
    // `c` clears it with the rest.
    typ(&mut m, "aaa");
    typ(&mut m, "c");
    assert_eq!(shown_ids(&m).len(), 15);
}

#[test]
fn the_detail_shows_the_term_and_its_status() {
    let mut m = app(120, 40);
    typ(&mut m, "/yokohama");
    key(&mut m, KeyCode::Enter);
    let s = screen(&m);
    assert!(
        s.contains("Term     5 years, to 2024-08-29: past its"),
        "{s}"
    );
    assert!(s.contains("stated term (renewal not recorded)"), "{s}");
}

#[test]
fn y_sends_the_summary_through_osc52_and_says_so_honestly() {
    let mut m = app(120, 40);
    typ(&mut m, "/ucla");
    key(&mut m, KeyCode::Enter);
    typ(&mut m, "y");
    let outbox = m.take_outbox();
    assert_eq!(outbox.len(), 1);
    let text = decode_osc52(&outbox[0]);
    for want in [
        "## University of California, Los Angeles\n\n*カリフォルニア大学ロサンゼルス校*",
        "- **Signed:** 2019-06-03",
        "- **Place:** Los Angeles, California, United States (US)",
        "### Scope\n\n- Exchange of publications",
        "### Sources\n\n- LINK-J signs an MOU (memorandum on partnership) with UCLA (003\\_b05a6d7050e9df95.txt)",
    ] {
        assert!(text.contains(want), "missing {want:?} in {text}");
    }
    // Only base64 between the introducer and BEL: no dataset text reaches the terminal.
    assert!(!outbox[0].contains("UCLA"));
    let s = screen(&m);
    assert!(s.contains("summary of UCLA sent to the terminal"), "{s}");
    assert!(!s.to_lowercase().contains("copied"), "{s}");
    // The message goes with the next key.
    typ(&mut m, "j");
    assert!(!screen(&m).contains("sent to the terminal"));
}

#[test]
fn osc52_plain_and_wrapped_for_tmux() {
    let b64 = base64::engine::general_purpose::STANDARD.encode("日本 ok");
    assert_eq!(
        linkj::update::osc52("日本 ok", false),
        format!("\x1b]52;c;{b64}\x07")
    );
    // Inside tmux: the plain form (for set-clipboard on), then the passthrough form:
    // ESC P tmux; with every ESC of the inner sequence doubled, closed by ESC \.
    assert_eq!(
        linkj::update::osc52("日本 ok", true),
        format!("\x1b]52;c;{b64}\x07\x1bPtmux;\x1b\x1b]52;c;{b64}\x07\x1b\\")
    );
}

#[test]
fn statistics_match_the_datasets_counts() {
    let ds = load_embedded().expect("embedded").dataset;
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("day");
    let c = linkj::stats::counts(&ds, ds.partners.briefs(), as_of);
    assert_eq!(c.total, ds.partners.len());
    // Independently: count by hand.
    let mut years: HashMap<i32, usize> = HashMap::new();
    for p in ds.partners.as_slice().unwrap() {
        *years
            .entry(p.signed.to_string()[..4].parse().expect("year"))
            .or_default() += 1;
    }
    for (y, n) in &c.years {
        assert_eq!(years.get(y).copied().unwrap_or(0), *n, "year {y}");
    }
    assert_eq!(
        c.years.iter().map(|(_, n)| n).sum::<usize>(),
        ds.partners.len()
    );
    for (i, n) in &c.regions {
        let id = &ds.regions[*i].id;
        assert_eq!(
            ds.partners
                .as_slice()
                .unwrap()
                .iter()
                .filter(|p| &p.region == id)
                .count(),
            *n,
            "{id}"
        );
    }
    for (i, n) in &c.kinds {
        let id = &ds.kinds[*i].id;
        assert_eq!(
            ds.partners
                .as_slice()
                .unwrap()
                .iter()
                .filter(|p| &p.kind == id)
                .count(),
            *n,
            "{id}"
        );
    }
}

#[test]
fn the_statistics_view_counts_what_the_filters_keep() {
    let mut m = app(120, 40);
    typ(&mut m, "s");
    assert_eq!(m.view(), View::Stats);
    let s = screen(&m);
    assert!(s.contains("Statistics: 15 partnerships shown"), "{s}");
    assert!(s.contains("Japan         ██████████████████████ 7"), "{s}");
    // As of 2026-06-01: three partnerships past their terms, twelve unknown.
    assert!(s.contains("Per agreement status"), "{s}");
    assert!(s.contains("past term    ██████  3"), "{s}");
    assert!(s.contains("term unknown ██████████████████████ 12"), "{s}");
    typ(&mut m, "rr"); // North America
    let s = screen(&m);
    assert!(s.contains("Statistics: 3 partnerships shown"), "{s}");
    assert!(s.contains("Europe") && s.contains("University"), "{s}");
    snap("stats_north_america_120x40", &m);
    key(&mut m, KeyCode::Esc);
    assert_eq!(m.view(), View::Browse);
}

#[test]
fn statistics_at_80x24_and_at_the_smallest_size() {
    let mut m = app(80, 24);
    typ(&mut m, "s");
    snap("stats_80x24", &m);
    resize(&mut m, 60, 15);
    let s = screen(&m);
    assert!(s.contains("Per region"), "{s}");
}

/// Rough bounding boxes (lon west, lon east, lat south, lat north), mainland and islands.
fn bounds(country: &str) -> (f64, f64, f64, f64) {
    match country {
        "JP" => (122.9, 153.99, 24.0, 45.6),
        "US" => (-125.0, -66.9, 24.4, 49.4),
        "GB" => (-8.7, 1.8, 49.9, 60.9),
        "FR" => (-5.2, 9.6, 41.3, 51.1),
        other => panic!("no bounds for {other}"),
    }
}

#[test]
fn every_partner_and_the_hub_sit_inside_their_country() {
    let ds = load_embedded().expect("embedded").dataset;
    for p in ds.partners.as_slice().unwrap() {
        let l = p
            .location
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no location", p.id));
        let (w, e, s, n) = bounds(&p.country);
        assert!(
            (w..=e).contains(&l.lon) && (s..=n).contains(&l.lat),
            "{} at ({}, {}) is outside {}",
            p.id,
            l.lat,
            l.lon,
            p.country
        );
        assert!(
            l.basis.contains("public coordinates, not from the sources"),
            "{}",
            p.id
        );
    }
    let hub = ds.hub.location.as_ref().expect("hub location");
    let (lon0, lon1) = (139.6, 139.9);
    assert!(
        (lon0..=lon1).contains(&hub.lon) && (35.6..=35.75).contains(&hub.lat),
        "Nihonbashi"
    );
    // Every Japanese partner falls inside the zoomed Japan panel.
    let (x, y) = linkj::geo::JAPAN;
    for p in ds
        .partners
        .as_slice()
        .unwrap()
        .iter()
        .filter(|p| p.country == "JP")
    {
        let l = p.location.as_ref().expect("location");
        assert!(
            (x[0]..=x[1]).contains(&l.lon) && (y[0]..=y[1]).contains(&l.lat),
            "{}",
            p.id
        );
    }
    // Distances are great-circle: Nihonbashi to UCLA is about 8,800 km.
    let ucla = ds
        .partners
        .as_slice()
        .unwrap()
        .iter()
        .find(|p| p.id == "ucla")
        .expect("ucla");
    let km = linkj::geo::distance_km(hub, ucla.location.as_ref().expect("loc"));
    assert!((8700.0..8900.0).contains(&km), "{km}");
}

#[test]
fn the_map_marks_the_hub_and_the_selected_partner() {
    let mut m = app(120, 40);
    typ(&mut m, "/ucla");
    key(&mut m, KeyCode::Enter);
    typ(&mut m, "m");
    let s = screen(&m);
    assert!(s.contains("Map | city coordinates, public"), "{s}");
    assert!(s.contains("LINK-J"), "the hub is labelled: {s}");
    assert!(s.contains(" UCLA"), "the selected partner is labelled: {s}");
    assert!(s.contains("┌ Japan"), "{s}");
    snap("map_ucla_120x40", &m);
    // j moves the selection here too; the label follows it.
    typ(&mut m, "j");
    let s = screen(&m);
    assert!(!s.contains(" UCLA"), "{s}");
}

#[test]
fn the_map_works_at_80x24_and_is_a_table_when_tiny() {
    let mut m = app(80, 24);
    typ(&mut m, "m");
    snap("map_80x24", &m);
    resize(&mut m, 60, 15);
    let s = screen(&m);
    assert!(s.contains("Too small for the map"), "{s}");
    assert!(s.contains("UCLA") && s.contains(" km"), "{s}");
}

#[test]
fn presentation_mode_is_the_card_alone() {
    let mut m = app(120, 40);
    typ(&mut m, "/kobe");
    key(&mut m, KeyCode::Enter);
    typ(&mut m, "p");
    let s = screen(&m);
    assert!(!s.contains("Timeline"), "{s}");
    assert!(s.contains("Partnership No. 6"), "{s}");
    assert!(s.contains("Esc back"), "{s}");
    snap("present_kobe_120x40", &m);
    typ(&mut m, "p");
    assert_eq!(m.view(), View::Browse);
}

#[test]
fn the_views_are_in_the_help() {
    let mut m = app(120, 120);
    typ(&mut m, "?");
    let s = screen(&m);
    for want in [
        "statistics: per year",
        "map: partners around the hub",
        "presentation",
        "copy a Markdown brief",
        "cycle the status filter",
    ] {
        assert!(s.contains(want), "help lacks {want:?}: {s}");
    }
}
