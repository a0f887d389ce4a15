//! The map's Japan panel: Natural Earth's coastline, and every domestic partner named
//! once, on the map or in the list below it, with no label over another.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

mod common;

use common::{app, screen, typ};
use linkj::data::Lang;

/// The Japan panel's rows: the text between its borders, right of the world map
/// (by display column: wide characters take two).
fn japan_panel(s: &str) -> Vec<String> {
    let lines: Vec<&str> = s.lines().collect();
    let top = lines
        .iter()
        .position(|l| l.contains("┌ Japan") || l.contains("┌ 日本"))
        .expect("a Japan panel");
    let from = |l: &str, col: usize| -> String {
        let mut at = 0;
        l.chars()
            .filter(|c| {
                let here = at;
                at += unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
                here >= col
            })
            .collect()
    };
    let col = lines[top]
        .rsplit_once('┌')
        .map(|(before, _)| unicode_width::UnicodeWidthStr::width(before))
        .expect("a border");
    lines[top + 1..]
        .iter()
        .map(|l| from(l, col))
        .take_while(|r| !r.starts_with('└'))
        .map(|r| r.trim_start_matches('│').trim_end_matches('│').to_string())
        .collect()
}

/// The labels of the partners in Japan, as the map writes them.
fn domestic_labels(m: &linkj::session::Session) -> Vec<String> {
    let ds = m.dataset();
    ds.partners
        .as_slice()
        .unwrap()
        .iter()
        .filter(|p| {
            p.location
                .as_ref()
                .is_some_and(|at| linkj::geo::contains(&linkj::geo::JAPAN, at))
        })
        .map(|p| {
            p.short
                .clone()
                .unwrap_or_else(|| linkj::text::truncate_with(p.name.get(m.lang()), 18, '…'))
        })
        .collect()
}

#[test]
fn the_japan_panel_names_every_domestic_partner_once_without_overlap() {
    for lang in ["en", "ja"] {
        let mut m = app(120, 40);
        if lang == "ja" {
            typ(&mut m, "L");
            assert_eq!(m.lang(), Lang::Ja);
        }
        typ(&mut m, "m");
        let s = screen(&m);
        let panel = japan_panel(&s).join("\n");
        let labels = domestic_labels(&m);
        assert_eq!(labels.len(), 7, "{labels:?}");
        for l in &labels {
            // Whole, so nothing was drawn over it; once, on the map or in the list.
            assert_eq!(
                panel.matches(l.as_str()).count(),
                1,
                "{lang}: {l} in\n{panel}"
            );
        }
        assert_eq!(panel.matches("LINK-J").count(), 1, "{panel}");
    }
}

#[test]
fn the_japan_panel_draws_the_coastline() {
    let mut m = app(120, 40);
    typ(&mut m, "m");
    let rows: Vec<Vec<char>> = japan_panel(&screen(&m))
        .iter()
        .map(|r| r.chars().collect())
        .collect();
    let (cols, height) = (rows[0].len(), rows.len());
    let ([west, east], [south, north]) =
        linkj::geo::fit(&linkj::geo::JAPAN, cols as u16, height as u16);
    let dot = |x: i64, y: i64| {
        usize::try_from(y)
            .ok()
            .and_then(|y| rows.get(y))
            .and_then(|r| usize::try_from(x).ok().and_then(|x| r.get(x)))
            .is_some_and(|c| ('\u{2801}'..='\u{28FF}').contains(c))
    };
    // Three points of the coastline in four at least have a dot of the line in their
    // cell (labels cover some; rounding moves a few): 85 % here, where ratatui's world
    // map alone, as before, hit 39 %.
    let coast = linkj::geo::japan_coast();
    let points: Vec<&(f64, f64)> = coast.iter().flatten().collect();
    let hit = points
        .iter()
        .filter(|(lon, lat)| {
            let x = ((lon - west) / (east - west) * cols as f64) as i64;
            let y = ((north - lat) / (north - south) * height as f64) as i64;
            dot(x, y)
        })
        .count();
    assert!(
        hit * 4 >= points.len() * 3,
        "{hit} of {} coast points drawn:\n{}",
        points.len(),
        rows.iter()
            .map(|r| r.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_japan_panel_at_120x40() {
    let mut m = app(120, 40);
    typ(&mut m, "m");
    insta::assert_snapshot!("map_japan_120x40", screen(&m));
}
