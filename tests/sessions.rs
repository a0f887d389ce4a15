//! Many terminals on one catalog: each session has its own query, filters, selection
//! and view, and a new session copies none of the dataset, its index or the lists
//! others already built.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use crossterm::event::KeyCode;
use linkj::catalog::Catalog;
use linkj::session::Session;

/// Counts the bytes the heap holds, to see what a session costs. This file has one
/// test, so no other test allocates meanwhile.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size(), Relaxed);
        unsafe { System.alloc(l) }
    }

    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Relaxed);
        unsafe { System.dealloc(p, l) };
    }
}

#[global_allocator]
static A: Counting = Counting;

/// Heap bytes `f` leaves allocated, with what it returns.
fn held<R>(f: impl FnOnce() -> R) -> (usize, R) {
    let before = LIVE.load(Relaxed);
    let r = f();
    (LIVE.load(Relaxed).saturating_sub(before), r)
}

#[test]
fn sessions_on_one_catalog_are_independent_and_share_the_data() {
    let n = 100_000;
    let mut ron = Vec::new();
    linkj::synth::write_dataset(&mut ron, n, 5).expect("gen");
    let (catalog_bytes, catalog) = held(|| {
        let loaded = linkj::data::load_bytes(&ron, "gen.ron").expect("valid");
        Arc::new(Catalog::new(loaded))
    });
    let opts = linkj::app::Options {
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 6, 1),
        ..linkj::app::Options::default()
    };
    let start = |c: &Arc<Catalog>| linkj::app::initial_session(Arc::clone(c), (100, 30), &opts);
    let mut a = start(&catalog);
    let (b_bytes, mut b) = held(|| start(&catalog));

    // A session holds its own state only: the dataset, the index and the list of
    // every partner are shared, not copied.
    assert!(
        b_bytes < 2_000_000,
        "a second session holds {b_bytes} bytes on {n} partners"
    );
    assert_eq!(
        a.hits().as_ptr(),
        b.hits().as_ptr(),
        "the list with no query is not shared"
    );
    assert!(
        catalog_bytes > 5 * b_bytes,
        "the catalog ({catalog_bytes} bytes) should dwarf a session ({b_bytes})"
    );
    assert!(Arc::ptr_eq(a.catalog(), b.catalog()));

    drive_apart(&mut a, &mut b, n);
    // A third visitor typing what A typed takes A's ranking, not a copy of it.
    let (c_bytes, c) = held(|| {
        let mut c = start(&catalog);
        // A session starts in the search bar: the first key is the query's.
        common::typ(&mut c, "osaka");
        common::finish_search(&mut c);
        c
    });
    assert_eq!(c.hits().len(), a.hits().len());
    assert_eq!(
        c.hits().as_ptr(),
        a.hits().as_ptr(),
        "the ranking is not shared"
    );
    assert!(
        c_bytes < 2_000_000,
        "a session that typed a query others typed holds {c_bytes} bytes"
    );
}

/// Different keys in each: a search in one, a filter and the other language in the
/// other. Neither screen shows the other's state, and driving one leaves the other's
/// screen as it was.
fn drive_apart(a: &mut Session, b: &mut Session, n: usize) {
    let b_before = common::screen(b);
    common::typ(a, "osaka");
    common::finish_search(a);
    common::key(a, KeyCode::Enter);
    assert_eq!(
        common::screen(b),
        b_before,
        "typing in A changed B's screen"
    );
    let a_now = common::screen(a);
    // Esc on the empty query: B's keys go to its timeline.
    common::key(b, KeyCode::Esc);
    common::typ(b, "rL");
    common::key(b, KeyCode::Down);
    assert_eq!(common::screen(a), a_now, "keys in B changed A's screen");

    let (sa, sb) = (common::screen(a), common::screen(b));
    assert!(sa.contains("osaka"), "A shows its query:\n{sa}");
    assert!(!sb.contains("osaka"), "B shows no query:\n{sb}");
    assert_eq!(a.query().text(), "osaka");
    assert_eq!(b.query().text(), "");
    assert_eq!(a.filter().region, None);
    assert_eq!(b.filter().region, Some(0));
    assert_eq!(a.lang(), linkj::data::Lang::En);
    assert_eq!(b.lang(), linkj::data::Lang::Ja);
    assert_eq!(b.selected(), 1);
    assert!(a.hits().len() < n && b.hits().len() < n);
    // Each view its own: statistics in A, the browser stays in B.
    common::typ(a, "s");
    assert_eq!(a.view(), linkj::mode::View::Stats);
    assert_eq!(b.view(), linkj::mode::View::Browse);
}
