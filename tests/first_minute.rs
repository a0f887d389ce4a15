//! The first minute and the meeting, through the real keymap: typing to search from the
//! first key, partnerships by number, the command palette, marks and one brief of
//! them, the statistics' drill-down, going back and recalling queries.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

mod common;

use common::*;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use linkj::mode::{Focus, View};
use linkj::session::Session;

fn ids(m: &Session) -> Vec<String> {
    m.hits()
        .iter()
        .map(|h| m.dataset().partners.get(h.partner).unwrap().id.clone())
        .collect()
}

fn selected_id(m: &Session) -> Option<String> {
    m.selected_partner().map(|p| p.id.clone())
}

fn status_line(m: &Session) -> String {
    screen(m).lines().last().unwrap_or_default().to_string()
}

fn ctrl_key(m: &mut Session, code: KeyCode) {
    event(m, Event::Key(KeyEvent::new(code, KeyModifiers::CONTROL)));
}

#[test]
fn typing_at_start_goes_into_the_query_and_moves_nothing_else() {
    let mut m = fresh(120, 40);
    assert_eq!(m.focus(), Focus::Search);
    // What a new user typed: with the timeline focused, k, y and t moved the selection,
    // copied and changed the kind filter.
    typ(&mut m, "kyoto");
    assert_eq!(m.query().text(), "kyoto");
    assert_eq!(m.filter(), linkj::filter::Filter::default());
    assert!(m.take_outbox().is_empty(), "nothing was copied");
    assert_eq!(selected_id(&m).as_deref(), Some("krp"));
    assert!(screen(&m).contains("│/ kyoto "), "{}", screen(&m));
    // q is typed, not obeyed.
    typ(&mut m, "q");
    assert!(!m.quit());
    assert_eq!(m.query().text(), "kyotoq");
}

#[test]
fn arrows_and_ctrl_n_p_and_pages_move_the_selection_while_typing() {
    let mut m = fresh(120, 40);
    typ(&mut m, "japan");
    let first = selected_id(&m);
    key(&mut m, KeyCode::Down);
    let second = selected_id(&m);
    assert_ne!(first, second);
    ctrl(&mut m, 'n');
    assert_ne!(selected_id(&m), second);
    ctrl(&mut m, 'p');
    assert_eq!(selected_id(&m), second);
    key(&mut m, KeyCode::Up);
    assert_eq!(selected_id(&m), first);
    // The hub's row (the best match for "japan") is left by a page down, as by Down;
    // a second goes a page on.
    key(&mut m, KeyCode::PageDown);
    key(&mut m, KeyCode::PageDown);
    assert_eq!(m.selected(), m.hits().len() - 1);
    key(&mut m, KeyCode::PageUp);
    assert_eq!(selected_id(&m), second);
    // Still typing all along.
    assert_eq!(m.focus(), Focus::Search);
    assert_eq!(m.query().text(), "japan");
}

#[test]
fn enter_goes_to_the_list_esc_clears_then_leaves_and_tab_leaves() {
    let mut m = fresh(120, 40);
    typ(&mut m, "ucla");
    key(&mut m, KeyCode::Enter);
    assert_eq!(m.focus(), Focus::Timeline);
    assert_eq!(m.query().text(), "ucla");
    // In the timeline the letters act again.
    typ(&mut m, "/");
    assert_eq!(m.focus(), Focus::Search);
    key(&mut m, KeyCode::Esc);
    assert_eq!((m.query().text(), m.focus()), ("", Focus::Search));
    assert_eq!(m.hits().len(), 15);
    key(&mut m, KeyCode::Esc);
    assert_eq!(m.focus(), Focus::Timeline);
    typ(&mut m, "/kobe");
    key(&mut m, KeyCode::Tab);
    assert_eq!((m.query().text(), m.focus()), ("kobe", Focus::Timeline));
    typ(&mut m, "q");
    assert!(m.quit(), "q quits in the timeline");
}

#[test]
fn ctrl_c_quits_from_the_search_bar() {
    let mut m = fresh(100, 30);
    typ(&mut m, "qq");
    assert!(!m.quit());
    ctrl(&mut m, 'c');
    assert!(m.quit());
}

#[test]
fn the_hints_follow_the_focus() {
    let mut m = fresh(120, 40);
    let s = status_line(&m);
    assert!(
        s.contains("Enter list") && s.contains("Esc timeline"),
        "{s}"
    );
    assert!(s.contains("Ctrl-C quit") && !s.contains("q quit"), "{s}");
    typ(&mut m, "o");
    assert!(status_line(&m).contains("Esc clear"), "{}", status_line(&m));
    key(&mut m, KeyCode::Esc);
    key(&mut m, KeyCode::Esc);
    let s = status_line(&m);
    assert!(
        s.contains("/ search") && s.contains("q quit") && s.contains(": commands"),
        "{s}"
    );
    typ(&mut m, ":");
    let s = status_line(&m);
    assert!(s.contains("Enter run") && s.contains("Esc close"), "{s}");
}

#[test]
fn the_start_flag_puts_the_keyboard_in_the_timeline() {
    let m = app(120, 40);
    assert_eq!(m.focus(), Focus::Timeline);
}

#[test]
fn every_way_of_writing_a_number_finds_its_partnership() {
    for q in [
        "7",
        "#7",
        "No. 7",
        "no.7",
        "7番目",
        "7例目",
        "7団体目",
        "第7号",
        "７",
    ] {
        let mut m = fresh(120, 40);
        typ(&mut m, q);
        assert_eq!(
            ids(&m).first().map(String::as_str),
            Some("keio-iab"),
            "{q:?}"
        );
        assert_eq!(selected_id(&m).as_deref(), Some("keio-iab"), "{q:?}");
        // On the command line too.
        let found = out(&["search", q]);
        assert!(
            found
                .lines()
                .next()
                .is_some_and(|l| l.trim_start().starts_with("7 ")),
            "search {q:?}: {found}"
        );
        let shown = out(&["show", q, "--json"]);
        assert!(
            shown.contains("\"id\": \"keio-iab\""),
            "show {q:?}: {shown}"
        );
    }
}

#[test]
fn a_bare_number_ranks_the_ordinal_above_text_that_merely_contains_it() {
    let text =
        include_str!("fixtures/minimal.ron").replace("Example University", "Example 2 University");
    let loaded = linkj::data::load_bytes(text.as_bytes(), "digits.ron").expect("valid");
    let mut m = on(loaded, (120, 40), &linkj::app::Options::default());
    typ(&mut m, "2");
    // No. 2 first, then the partner whose name has a 2 in it.
    let ordinals: Vec<u32> = m
        .hits()
        .iter()
        .map(|h| m.dataset().partners.brief(h.partner).unwrap().ordinal)
        .collect();
    assert_eq!(ordinals, [2, 1]);
}

#[test]
fn the_gap_in_the_count_shows_its_row_with_what_is_known() {
    let mut m = fresh(120, 40);
    typ(&mut m, "15");
    let s = screen(&m);
    assert!(
        s.contains("no. 15: not described in the sources; deduced"),
        "{s}"
    );
    assert!(m.hits().is_empty());
    // The detail pane has it in full: the row is cut to the timeline's width.
    assert!(
        squeeze(&s).contains("signedbetween2020-09-18and2021-02-05"),
        "{s}"
    );
    let o = linkj(&["search", "15"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no. 15: not described in the sources"),
        "{err}"
    );
}

#[test]
fn a_count_then_g_and_colon_number_jump_in_the_timeline() {
    let mut m = app(120, 40);
    typ(&mut m, "7G");
    assert_eq!(selected_id(&m).as_deref(), Some("keio-iab"));
    typ(&mut m, "12g");
    assert_eq!(selected_id(&m).as_deref(), Some("oui"));
    // G alone still goes to the last.
    typ(&mut m, "G");
    assert_eq!(selected_id(&m).as_deref(), Some("mpr"));
    typ(&mut m, ":7");
    key(&mut m, KeyCode::Enter);
    assert_eq!(selected_id(&m).as_deref(), Some("keio-iab"));
    assert_eq!(m.mode(), linkj::mode::Mode::Timeline);
    // A number filtered out of the list: the list opens up to show it.
    typ(&mut m, "rr");
    typ(&mut m, "4G");
    assert_eq!(selected_id(&m).as_deref(), Some("krp"));
    typ(&mut m, "15G");
    assert!(
        status_line(&m).contains("no. 15: not described"),
        "{}",
        status_line(&m)
    );
}

#[test]
fn the_palette_lists_every_action_with_its_key_and_runs_the_one_chosen() {
    let mut m = app(120, 40);
    ctrl(&mut m, 'p');
    assert_eq!(m.mode(), linkj::mode::Mode::Palette);
    let rows = m.palette_entries();
    let named = linkj::action::NAMED.len();
    assert!(rows.len() > named / 2, "{} rows", rows.len());
    let s = screen(&m);
    assert!(
        s.contains("statistics: per year, region, kind, status"),
        "{s}"
    );
    assert!(s.contains("q, Ctrl-C"), "{s}");
    // q is typed here, not obeyed.
    typ(&mut m, "statis");
    assert!(!m.quit());
    key(&mut m, KeyCode::Enter);
    assert_eq!(m.view(), View::Stats);
    assert_eq!(m.palette_query(), None);
    // From the statistics view too, and in Japanese.
    typ(&mut m, "L:");
    assert!(
        screen(&m).contains("地図: ハブを中心に提携先を表示"),
        "{}",
        screen(&m)
    );
    typ(&mut m, "地図");
    key(&mut m, KeyCode::Enter);
    assert_eq!(m.view(), View::Map);
    // Esc closes it without running anything.
    typ(&mut m, ":");
    key(&mut m, KeyCode::Esc);
    assert_eq!(m.palette_query(), None);
    assert_eq!(m.view(), View::Map);
}

#[test]
fn f1_opens_the_help_from_the_search_bar_and_the_palette() {
    let mut m = fresh(120, 60);
    key(&mut m, KeyCode::F(1));
    assert!(m.help());
    assert!(screen(&m).contains("┌ Keys"), "{}", screen(&m));
    key(&mut m, KeyCode::F(1));
    assert!(!m.help());
    key(&mut m, KeyCode::Esc);
    typ(&mut m, ":");
    key(&mut m, KeyCode::F(1));
    assert!(m.help());
    assert_eq!(m.palette_query(), None);
}

#[test]
fn three_marked_partners_make_one_brief_with_the_markers_and_sources_of_show() {
    let mut m = app(120, 40);
    for q in ["ucla", "kobe", "mpr"] {
        typ(&mut m, "/");
        ctrl(&mut m, 'u');
        typ(&mut m, q);
        key(&mut m, KeyCode::Enter);
        typ(&mut m, " ");
    }
    assert_eq!(m.marks().len(), 3);
    key(&mut m, KeyCode::Esc);
    let s = screen(&m);
    assert!(s.contains("3 marked"), "{s}");
    // Their rows in the timeline (the left pane), by date of signing.
    let timeline: Vec<&str> = s.lines().filter_map(|l| l.split("││").next()).collect();
    for name in ["2019-06-03", "2018-01", "2021-02-05"] {
        let row = timeline.iter().find(|l| l.contains(name)).unwrap_or(&"");
        assert!(row.contains("✓"), "{name} unmarked: {row}");
    }
    let unmarked = timeline
        .iter()
        .find(|l| l.contains("BIOCOM"))
        .unwrap_or(&"");
    assert!(!unmarked.contains("✓"), "{unmarked}");
    typ(&mut m, "y");
    let brief = decode_osc52(&m.take_outbox()[0]);
    assert!(
        brief.starts_with("# LINK-J: a brief of 3 partners (as of 2026-06-01)\n"),
        "{brief}"
    );
    // Each partner as `show --markdown` writes it, in timeline order.
    let mut at = 0;
    for id in ["kobe", "ucla", "mpr"] {
        let md = out(&["show", id, "--markdown", "--as-of", "2026-06-01"]);
        let found = brief[at..]
            .find(&md)
            .unwrap_or_else(|| panic!("{id} not in order in {brief}"));
        at += found + md.len();
    }
    assert!(brief.contains("(sources disagree)") && brief.contains("### Sources"));
    assert!(status_line(&m).contains("brief of the 3 marked partners sent to the terminal"));
    // Unmarking one leaves two; with none marked, y copies the selected partner's.
    typ(&mut m, "10G ");
    assert_eq!(m.marks().len(), 2);
    typ(&mut m, "M");
    assert!(m.marks().is_empty());
    typ(&mut m, "y");
    let one = decode_osc52(&m.take_outbox()[0]);
    assert_eq!(
        one,
        out(&["show", "ucla", "--markdown", "--as-of", "2026-06-01"])
    );
}

#[test]
fn enter_on_a_count_row_of_the_statistics_shows_its_partners() {
    let mut m = app(120, 40);
    typ(&mut m, "s");
    let rows = m.stats_rows();
    let europe = rows
        .iter()
        .position(|(f, _)| matches!(f, linkj::stats::Facet::Region(i) if m.dataset().regions[*i].id == "europe"))
        .expect("a Europe row");
    for _ in 0..europe {
        typ(&mut m, "j");
    }
    key(&mut m, KeyCode::Enter);
    assert_eq!(m.view(), View::Browse);
    assert_eq!(m.focus(), Focus::Timeline);
    assert_eq!(
        ids(&m),
        ["eurobiomed", "one-nucleus", "medcity", "oui", "mpr"]
    );
    let s = screen(&m);
    assert!(s.contains("showing Europe: 5 partnerships"), "{s}");
    assert!(s.contains("Timeline 5/15 | Europe"), "{s}");
    // And a year, with the region kept: Europe's partners of 2018.
    typ(&mut m, "s");
    let y2018 = m
        .stats_rows()
        .iter()
        .position(|(f, _)| *f == linkj::stats::Facet::Year(2018))
        .expect("2018");
    typ(&mut m, "g");
    for _ in 0..y2018 {
        typ(&mut m, "j");
    }
    key(&mut m, KeyCode::Enter);
    assert_eq!(ids(&m), ["medcity"]);
    assert!(screen(&m).contains("| 2018 "), "{}", screen(&m));
    // c clears it all.
    typ(&mut m, "c");
    assert_eq!(m.hits().len(), 15);
}

#[test]
fn ctrl_o_goes_back_through_the_partners_selected_before() {
    let mut m = app(120, 40);
    typ(&mut m, "/ucla");
    key(&mut m, KeyCode::Enter);
    typ(&mut m, "/");
    ctrl(&mut m, 'u');
    typ(&mut m, "kobe");
    key(&mut m, KeyCode::Enter);
    assert_eq!(selected_id(&m).as_deref(), Some("fbri-kobe"));
    // UCLA is not in the list of "kobe": it comes back with the list it was left in
    // (the whole timeline, once Ctrl-U had cleared its query).
    ctrl(&mut m, 'o');
    assert_eq!(selected_id(&m).as_deref(), Some("ucla"));
    assert_eq!(m.query().text(), "");
    // A walk down the whole timeline is one step back.
    key(&mut m, KeyCode::Esc);
    assert_eq!(m.hits().len(), 15);
    typ(&mut m, "jj");
    assert_eq!(selected_id(&m).as_deref(), Some("oui"));
    ctrl(&mut m, 'o');
    assert_eq!(selected_id(&m).as_deref(), Some("ucla"));
    ctrl(&mut m, 'o');
    assert_eq!(
        selected_id(&m).as_deref(),
        Some("ucsd"),
        "the first partner, at start"
    );
    ctrl(&mut m, 'o');
    assert!(status_line(&m).contains("no partner to go back to"));
}

#[test]
fn ctrl_up_and_ctrl_down_recall_the_queries_typed() {
    let mut m = fresh(120, 40);
    typ(&mut m, "osaka");
    key(&mut m, KeyCode::Enter);
    typ(&mut m, "/");
    key(&mut m, KeyCode::Esc);
    typ(&mut m, "kobe");
    key(&mut m, KeyCode::Esc);
    typ(&mut m, "oxf");
    ctrl_key(&mut m, KeyCode::Up);
    assert_eq!(m.query().text(), "kobe");
    assert_eq!(ids(&m), ["fbri-kobe"]);
    ctrl_key(&mut m, KeyCode::Up);
    assert_eq!(m.query().text(), "osaka");
    ctrl_key(&mut m, KeyCode::Up);
    assert_eq!(m.query().text(), "osaka");
    ctrl_key(&mut m, KeyCode::Down);
    assert_eq!(m.query().text(), "kobe");
    ctrl_key(&mut m, KeyCode::Down);
    assert_eq!(m.query().text(), "oxf", "what was being typed");
    assert_eq!(m.query_history(), ["osaka", "kobe"]);
}

#[test]
fn marks_history_and_back_are_each_sessions_own() {
    let catalog = std::sync::Arc::new(linkj::catalog::Catalog::new(embedded()));
    let opts = linkj::app::Options::default();
    let mut a = linkj::app::initial_session(catalog.clone(), (120, 40), &opts);
    let b = linkj::app::initial_session(catalog, (120, 40), &opts);
    typ(&mut a, "ucla");
    key(&mut a, KeyCode::Enter);
    typ(&mut a, " ");
    assert_eq!(a.marks().len(), 1);
    assert!(b.marks().is_empty() && b.query_history().is_empty() && b.back_depth() == 0);
}
