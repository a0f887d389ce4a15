//! What the keys do: selection, filters with queries, focus, language, sizes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

mod common;

use common::*;
use crossterm::event::{Event, KeyCode, KeyModifiers, MouseEvent, MouseEventKind};
use linkj::mode::Focus;

fn ids(m: &linkj::session::Session) -> Vec<String> {
    m.hits()
        .iter()
        .map(|h| m.dataset().partners.get(h.partner).unwrap().id.clone())
        .collect()
}

#[test]
fn selection_moves_and_clamps() {
    let mut m = app(120, 40);
    // Up from the first partner is the hub's row; down again, the first partner.
    typ(&mut m, "k");
    assert!(m.hub_selected());
    assert_eq!(m.selected_partner(), None);
    typ(&mut m, "k");
    assert!(m.hub_selected());
    typ(&mut m, "j");
    assert!(!m.hub_selected());
    assert_eq!(m.selected(), 0);
    typ(&mut m, "jj");
    assert_eq!(
        m.selected_partner().map(|p| p.id.clone()).as_deref(),
        Some("eurobiomed")
    );
    typ(&mut m, "G");
    assert_eq!(
        m.selected_partner().map(|p| p.id.clone()).as_deref(),
        Some("mpr")
    );
    typ(&mut m, "j");
    assert_eq!(m.selected(), 14);
    key(&mut m, KeyCode::Home);
    assert_eq!(m.selected(), 0);
    key(&mut m, KeyCode::PageDown);
    assert!(m.selected() > 5);
    // Narrowing the list keeps the selection on a shown entry.
    typ(&mut m, "G");
    typ(&mut m, "r"); // Japan: MPR is gone
    assert!(m.selected() < m.hits().len());
    assert!(selected_line(&m).contains("Japan"));
}

#[test]
fn region_cycles_in_declared_order_then_all() {
    let mut m = app(120, 40);
    let mut seen = Vec::new();
    for _ in 0..4 {
        typ(&mut m, "r");
        seen.push(m.filter().region.map(|i| m.dataset().regions[i].en.clone()));
    }
    assert_eq!(
        seen,
        [
            Some("Japan".into()),
            Some("North America".into()),
            Some("Europe".into()),
            None
        ]
    );
    let mut kinds = Vec::new();
    for _ in 0..8 {
        typ(&mut m, "t");
        kinds.push(m.filter().kind.map(|i| m.dataset().kinds[i].id.clone()));
    }
    assert_eq!(kinds[0].as_deref(), Some("university"));
    assert_eq!(kinds[6].as_deref(), Some("tech-transfer"));
    assert_eq!(kinds[7], None);
}

#[test]
fn filters_combine_with_the_query() {
    let mut m = app(120, 40);
    typ(&mut m, "/california");
    key(&mut m, KeyCode::Enter);
    assert_eq!(ids(&m)[..2], ["ucsd", "ucla"]);
    typ(&mut m, "ttttt"); // research-park: nothing Californian
    assert!(ids(&m).is_empty());
    assert!(screen(&m).contains("No partner matches"));
    typ(&mut m, "c");
    assert_eq!(ids(&m).len(), 15);
    assert_eq!(m.query().text(), "");
    typ(&mut m, "rr/univ");
    assert_eq!(ids(&m), ["ucsd", "ucla"]);
}

#[test]
fn search_editing_keys() {
    let mut m = app(120, 40);
    typ(&mut m, "/paris region");
    ctrl(&mut m, 'w');
    assert_eq!(m.query().text(), "paris ");
    key(&mut m, KeyCode::Left);
    key(&mut m, KeyCode::Left);
    typ(&mut m, "X");
    assert_eq!(m.query().text(), "pariXs ");
    key(&mut m, KeyCode::Backspace);
    ctrl(&mut m, 'u');
    assert_eq!(m.query().text(), "s ");
    event(&mut m, Event::Paste("横浜".into()));
    assert_eq!(m.query().text(), "横浜s ");
    // Esc clears the query and keeps the keyboard in the search bar; Esc on the empty
    // query gives it to the timeline.
    key(&mut m, KeyCode::Esc);
    assert_eq!(m.query().text(), "");
    assert_eq!(m.focus(), Focus::Search);
    assert_eq!(ids(&m).len(), 15);
    key(&mut m, KeyCode::Esc);
    assert_eq!(m.focus(), Focus::Timeline);
    // Enter keeps the query and returns to the list, where j/k move again.
    typ(&mut m, "/yokohama");
    key(&mut m, KeyCode::Enter);
    assert_eq!(m.focus(), Focus::Timeline);
    assert_eq!(m.query().text(), "yokohama");
    assert_eq!(ids(&m)[0], "yokohama");
}

#[test]
fn paste_outside_the_search_bar_searches() {
    let mut m = app(120, 40);
    event(&mut m, Event::Paste("ＵＣＬＡ\u{1b}[2J".into()));
    assert_eq!(m.focus(), Focus::Search);
    assert_eq!(m.query().text(), "ＵＣＬＡ[2J");
}

#[test]
fn tab_moves_focus_and_the_focused_pane_scrolls() {
    let mut m = app(80, 24);
    key(&mut m, KeyCode::Tab);
    assert_eq!(m.focus(), Focus::Detail);
    typ(&mut m, "jjj");
    assert_eq!(m.detail_scroll(), 3);
    assert_eq!(
        m.selected(),
        0,
        "the timeline does not move while the detail is focused"
    );
    typ(&mut m, "G");
    let bottom = m.detail_scroll();
    typ(&mut m, "j");
    assert_eq!(m.detail_scroll(), bottom, "scrolling stops at the end");
    key(&mut m, KeyCode::Tab);
    assert_eq!(m.focus(), Focus::Timeline);
    typ(&mut m, "j");
    assert_eq!(m.selected(), 1);
    assert_eq!(
        m.detail_scroll(),
        0,
        "a new selection starts at the top of its detail"
    );
}

#[test]
fn language_switch_changes_names_and_labels() {
    let mut m = app(120, 40);
    assert!(screen(&m).contains("University of California San Diego"));
    typ(&mut m, "L");
    let s = screen(&m);
    assert!(s.contains("カリフォルニア大学サンディエゴ校"), "{s}");
    assert!(s.contains("年表"), "{s}");
    typ(&mut m, "L");
    assert!(screen(&m).contains("Timeline"));
}

#[test]
fn help_lists_every_bound_key_and_closes() {
    let mut m = app(120, 120);
    typ(&mut m, "?");
    let s = screen(&m);
    for b in linkj::keymap::bindings() {
        assert!(
            s.contains(&b.key.label()),
            "help is missing {}",
            b.key.label()
        );
    }
    key(&mut m, KeyCode::Esc);
    assert!(!m.help());
    assert!(!screen(&m).contains(" Keys "));
}

#[test]
fn quit_keys() {
    let mut m = app(80, 24);
    typ(&mut m, "q");
    assert!(m.quit());
    let mut m = app(80, 24);
    typ(&mut m, "/q");
    assert!(!m.quit(), "q types in the search bar");
    ctrl(&mut m, 'c');
    assert!(m.quit());
}

#[test]
fn every_size_draws_without_panic_and_small_ones_say_so() {
    let mut m = app(120, 40);
    typ(&mut m, "G");
    for (w, h) in [
        (1, 1),
        (2, 1),
        (59, 15),
        (60, 14),
        (60, 15),
        (99, 30),
        (100, 30),
        (300, 100),
        (0, 0),
    ] {
        resize(&mut m, w, h);
        let s = screen(&m);
        if w < 60 || h < 15 {
            if w >= 20 && h >= 2 {
                assert!(s.contains("Terminal too small"), "{w}x{h}: {s}");
            }
        } else {
            assert!(
                s.contains("Medicen Paris Region"),
                "{w}x{h} lost the selection: {s}"
            );
        }
    }
}

#[test]
fn smallest_usable_size_shows_everything() {
    let mut m = app(60, 15);
    typ(&mut m, "/kobe");
    let s = screen(&m);
    assert!(s.contains("/ kobe"), "{s}");
    assert!(s.contains("> "), "{s}");
    assert!(s.contains("1 of 15 shown"), "{s}");
}

#[test]
fn mouse_click_selects_and_wheel_scrolls_the_pane_under_it() {
    let mut m = app(120, 40);
    let s = screen(&m);
    let row = s
        .lines()
        .position(|l| l.contains("City of Kawasaki"))
        .expect("row") as u16;
    let click = |x, y| {
        Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(crossterm::event::MouseButton::Left),
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        })
    };
    event(&mut m, click(10, row));
    assert_eq!(
        m.selected_partner().map(|p| p.id.clone()).as_deref(),
        Some("kawasaki")
    );
    let wheel = Event::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 100,
        row: 10,
        modifiers: KeyModifiers::NONE,
    });
    event(&mut m, wheel);
    assert_eq!(m.detail_scroll(), 3);
    assert_eq!(
        m.selected_partner().map(|p| p.id.clone()).as_deref(),
        Some("kawasaki")
    );
}

#[test]
fn japanese_rows_line_up() {
    let mut m = app(120, 40);
    typ(&mut m, "L");
    let s = screen(&m);
    let cols: Vec<usize> = s
        .lines()
        .filter(|l| l.contains("2016-05") || l.contains("2018-") || l.contains("2020-"))
        .map(|l| {
            let at = ["北米", "欧州", "日本"]
                .iter()
                .filter_map(|k| l.find(k))
                .min()
                .expect("tag");
            unicode_width::UnicodeWidthStr::width(&l[..at])
        })
        .collect();
    assert!(cols.len() >= 8, "{s}");
    assert!(cols.windows(2).all(|w| w[0] == w[1]), "{s}");
}

#[test]
fn the_gap_is_shown_where_it_falls() {
    let m = app(120, 40);
    let s = screen(&m);
    let lines: Vec<&str> = s.lines().collect();
    let gap = lines
        .iter()
        .position(|l| l.contains("no. 15: not described"))
        .expect("gap");
    assert!(lines[gap - 1].contains("Kanagawa"));
    assert!(lines[gap + 2].contains("Medicen"));
}

/// Typing on must list what the whole query lists: half-width ｶ then ﾞ is ガ, so the
/// partners that have only ガ must not be lost by narrowing to the matches of ｶ.
#[test]
fn a_voicing_mark_typed_after_a_half_width_kana_finds_what_the_whole_query_finds() {
    let text = include_str!("fixtures/minimal.ron")
        .replace("例大学", "カガ大学")
        .replace("例株式会社", "ガタ株式会社");
    let loaded = linkj::data::load_bytes(text.as_bytes(), "kana.ron").expect("valid");
    // As the browser starts: the search bar has the keyboard.
    let opts = linkj::app::Options::default();
    let mut typed = on(loaded.clone(), (100, 30), &opts);
    typ(&mut typed, "ｶ");
    assert_eq!(ids(&typed), ["example-u"]);
    typ(&mut typed, "ﾞ");
    let mut pasted = on(loaded, (100, 30), &opts);
    event(&mut pasted, Event::Paste("ｶﾞ".into()));
    let mut both = ids(&pasted);
    both.sort();
    assert_eq!(both, ["example-co", "example-u"]);
    assert_eq!(ids(&typed), ids(&pasted));
}
