//! The browser's screens, drawn into a TestBackend after real key sequences, at 120x40
//! and 80x24. Snapshots are in tests/snapshots; review changes before accepting them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

mod common;

use common::*;
use crossterm::event::KeyCode;

fn snap(name: &str, m: &linkj::session::Session) {
    insta::assert_snapshot!(name, screen(m));
}

#[test]
fn start_120x40() {
    // As the browser starts: the search bar has the keyboard, and says what to type.
    let m = fresh(120, 40);
    assert!(screen(&m).contains("│/ type a name, a person or a number"));
    snap("start_120x40", &m);
}

#[test]
fn start_80x24_is_the_narrow_layout() {
    let m = fresh(80, 24);
    let s = screen(&m);
    // Timeline above detail: the detail's border starts below the timeline's.
    let lines: Vec<&str> = s.lines().collect();
    let timeline_top = lines
        .iter()
        .position(|l| l.contains("Timeline"))
        .expect("timeline");
    let detail_top = lines
        .iter()
        .position(|l| l.starts_with("┌ UCSD"))
        .expect("detail");
    assert!(detail_top > timeline_top + 3);
    snap("start_80x24", &m);
}

#[test]
fn search_osaka_120x40() {
    let mut m = app(120, 40);
    typ(&mut m, "/osaka");
    assert!(
        selected_line(&m).contains("Osaka Prefecture"),
        "{}",
        screen(&m)
    );
    snap("search_osaka_120x40", &m);
}

#[test]
fn search_ucla_80x24() {
    let mut m = app(80, 24);
    typ(&mut m, "/ucla");
    key(&mut m, KeyCode::Enter);
    assert!(selected_line(&m).contains("(UCLA)"), "{}", screen(&m));
    snap("search_ucla_80x24", &m);
}

#[test]
fn filter_region_120x40() {
    let mut m = app(120, 40);
    typ(&mut m, "rrr");
    let s = screen(&m);
    assert!(
        s.contains("5 of 15 shown | region: Europe | kind: all"),
        "{s}"
    );
    snap("filter_europe_120x40", &m);
}

#[test]
fn filter_kind_80x24() {
    let mut m = app(80, 24);
    typ(&mut m, "tttt");
    let s = screen(&m);
    assert!(s.contains("4 of 15 shown | Local government"), "{s}");
    snap("filter_local_government_80x24", &m);
}

#[test]
fn no_match_says_how_to_clear_120x40() {
    let mut m = app(120, 40);
    typ(&mut m, "/zzzzq");
    key(&mut m, KeyCode::Enter);
    let s = screen(&m);
    assert!(s.contains("No partner matches"), "{s}");
    assert!(
        s.contains("Press c or Esc to clear the query and filters."),
        "{s}"
    );
    snap("no_match_120x40", &m);
}

#[test]
fn no_match_80x24() {
    let mut m = app(80, 24);
    typ(&mut m, "rrtt");
    snap("no_match_80x24", &m);
}

#[test]
fn help_120x40() {
    let mut m = app(120, 40);
    typ(&mut m, "?");
    snap("help_120x40", &m);
}

#[test]
fn help_80x24() {
    let mut m = app(80, 24);
    typ(&mut m, "?");
    snap("help_80x24", &m);
}

#[test]
fn japanese_120x40() {
    let mut m = app(120, 40);
    typ(&mut m, "L");
    snap("japanese_120x40", &m);
}

#[test]
fn detail_of_a_conflict_is_marked() {
    let mut m = app(200, 50);
    typ(&mut m, "/kobe");
    key(&mut m, KeyCode::Enter);
    key(&mut m, KeyCode::Tab);
    let s = screen(&m);
    assert!(
        s.contains("Signed   2018-01 (month only) [sources disagree]"),
        "{s}"
    );
    // Scroll to the notes: both readings are there.
    typ(&mut m, "G");
    let s = screen(&m);
    assert!(s.contains("\"2018年1月\""), "{s}");
    assert!(s.contains("\"2018年2月\""), "{s}");
}
