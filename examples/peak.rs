//! Peak heap memory of loading and indexing a dataset file, against its size: where
//! the memory of a large or hostile file goes.
//!
//!   cargo run --release --example peak -- FILE
//!
//! Prints one line per phase: `PEAK phase=P bytes=B ratio=R` (the heap's high-water
//! mark during the phase, over the file's size) and `LIVE after=P bytes=B`, then the
//! sizes of the types a dataset is made of. Heap only, counted by a global allocator
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
            let index = phase("index", size, || linkj::search::Index::new(&l.dataset));
            drop(index);
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
