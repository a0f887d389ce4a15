//! Peak heap memory of loading and indexing a dataset file, against its size: where
//! the memory of a large or hostile file goes.
//!
//!   cargo run --release --example peak -- FILE
//!
//! Prints one line per phase: `PEAK phase=P bytes=B ratio=R` (the heap's high-water
//! mark during the phase, over the file's size) and `LIVE after=P bytes=B`, then the
//! sizes of the types a dataset is made of. `SESSION` lines give what one more
//! terminal's session holds on the open catalog (its list: a hit, a row and a row
//! index per partner shown; the rest: everything else it keeps). Heap only, counted by a global allocator
//! (requested bytes, not malloc's rounding: a 1-byte string costs malloc 32).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let now = LIVE.fetch_add(l.size(), Relaxed) + l.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        LIVE.fetch_sub(l.size(), Relaxed);
    }

    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, l, new) };
        if !q.is_null() {
            if new >= l.size() {
                let now = LIVE.fetch_add(new - l.size(), Relaxed) + new - l.size();
                PEAK.fetch_max(now, Relaxed);
            } else {
                LIVE.fetch_sub(l.size() - new, Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static A: Counting = Counting;

fn phase<R>(name: &str, size: usize, f: impl FnOnce() -> R) -> R {
    PEAK.store(LIVE.load(Relaxed), Relaxed);
    let r = f();
    let peak = PEAK.load(Relaxed);
    println!(
        "PEAK phase={name} bytes={peak} ratio={:.2}",
        peak as f64 / size.max(1) as f64
    );
    println!("LIVE after={name} bytes={}", LIVE.load(Relaxed));
    r
}

/// What one more terminal costs on a catalog already open: a session showing every
/// partner, then the same session after a one-word search.
fn sessions(catalog: &std::sync::Arc<linkj::catalog::Catalog>) {
    use linkj::action::Action;
    let opts = linkj::app::Options::default();
    let start = || linkj::app::initial_session(catalog.clone(), (120, 40), &opts);
    let _first = start();
    let before = LIVE.load(Relaxed);
    let mut s = start();
    let report = |what: &str, s: &linkj::session::Session| {
        let bytes = LIVE.load(Relaxed).saturating_sub(before);
        println!("SESSION {what} bytes={bytes} shown={}", s.hits().len());
    };
    report("all", &s);
    let typ = |s: &mut linkj::session::Session, q: &str| {
        linkj::update::update(s, Action::FocusSearch);
        for c in q.chars() {
            linkj::update::update(s, Action::Insert(c));
            while s.search_pending() {
                linkj::update::update(s, Action::SearchStep);
            }
        }
    };
    typ(&mut s, "osaka");
    report("osaka", &s);
    // Another terminal typing the same takes the listings the first one shelved.
    let before_third = LIVE.load(Relaxed);
    let mut third = start();
    typ(&mut third, "osaka");
    println!(
        "SESSION again=osaka bytes={} shelved={}",
        LIVE.load(Relaxed).saturating_sub(before_third),
        catalog.shelf().len()
    );
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: peak FILE");
        std::process::exit(2);
    };
    let size = std::fs::metadata(&path).map_or(0, |m| m.len() as usize);
    let loaded = phase("load", size, || linkj::data::load_file(path.as_ref()));
    match loaded {
        Err(e) => {
            let msg = e.to_string();
            println!("ERROR chars={} {}", msg.chars().count(), msg);
        }
        Ok(l) => {
            let catalog = phase("index", size, || {
                std::sync::Arc::new(linkj::catalog::Catalog::new(l))
            });
            sessions(&catalog);
        }
    }
    use linkj::data::*;
    println!(
        "SIZES String={} Text={} Partner={} Person={} Note={} Reading={} Label={} Country={} Gap={} Warning={}",
        size_of::<String>(),
        size_of::<Text>(),
        size_of::<Partner>(),
        size_of::<Person>(),
        size_of::<Note>(),
        size_of::<Reading>(),
        size_of::<Label>(),
        size_of::<Country>(),
        size_of::<Gap>(),
        size_of::<Warning>(),
    );
}
