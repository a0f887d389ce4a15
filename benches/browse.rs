//! Criterion benches of what a user waits for: loading a dataset, one keystroke in the
//! search bar, the final result list, selection moves and a full frame.
//!
//!   cargo bench                                   # 1k and 100k partners
//!   LINKJ_BENCH_SIZES=1000,100000,1000000 cargo bench
//!
//! Datasets come from `linkj gen` (seed 42). `cargo run --release --example latency`
//! prints the same figures as p50/p99 per keystroke, the form the README's table uses.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use linkj::app::{Options, action_for_event, initial_session};
use linkj::session::Session;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn sizes() -> Vec<usize> {
    std::env::var("LINKJ_BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .filter(|v: &Vec<usize>| !v.is_empty())
        .unwrap_or_else(|| vec![1_000, 100_000])
}

fn ron(n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    linkj::synth::write_dataset(&mut out, n, 42).expect("generate");
    out
}

fn key(m: &mut Session, code: KeyCode) {
    let ev = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    if let Some(a) = action_for_event(m.mode(), ev) {
        linkj::update::update(m, a);
    }
}

fn browser(bytes: &[u8]) -> (Session, Terminal<TestBackend>) {
    let loaded = linkj::data::load_bytes(bytes, "gen.ron").expect("valid");
    // In the timeline, where `/` focuses the search bar (as `--start timeline`).
    let opts = Options {
        color: true,
        start_in_timeline: true,
        ..Options::default()
    };
    let m = initial_session(
        std::sync::Arc::new(linkj::catalog::Catalog::new(loaded)),
        (120, 40),
        &opts,
    );
    let mut term = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    term.draw(|f| linkj::ui::render(&m, f)).expect("draw");
    (m, term)
}

fn finish(m: &mut Session) {
    while m.search_pending() {
        linkj::update::update(m, linkj::action::Action::SearchStep);
    }
}

fn benches(c: &mut Criterion) {
    for n in sizes() {
        let bytes = ron(n);
        let slow = n >= 50_000;
        let mut g = c.benchmark_group(format!("n={n}"));
        if slow {
            g.sample_size(10).measurement_time(Duration::from_secs(20));
        }

        g.bench_function("load", |b| {
            b.iter(|| {
                let l = linkj::data::load_bytes(black_box(&bytes), "gen.ron").expect("valid");
                let idx = linkj::search::Index::new(&l.dataset);
                black_box((l, idx))
            })
        });

        let (mut m, mut term) = browser(&bytes);
        drop(bytes);

        // One keystroke: the 6th character of "kyoto " typed and deleted again, each
        // followed by a frame (the echo; large searches are left pending).
        key(&mut m, KeyCode::Char('/'));
        for c in "kyoto".chars() {
            key(&mut m, KeyCode::Char(c));
        }
        finish(&mut m);
        g.bench_function(BenchmarkId::new("echo", "type+delete"), |b| {
            b.iter(|| {
                key(&mut m, KeyCode::Char('u'));
                term.draw(|f| linkj::ui::render(&m, f)).expect("draw");
                key(&mut m, KeyCode::Backspace);
                term.draw(|f| linkj::ui::render(&m, f)).expect("draw");
            })
        });
        finish(&mut m);

        // The final list after one more character, narrowing from "kyoto".
        g.bench_function(BenchmarkId::new("final", "type+delete"), |b| {
            b.iter(|| {
                key(&mut m, KeyCode::Char('u'));
                finish(&mut m);
                term.draw(|f| linkj::ui::render(&m, f)).expect("draw");
                key(&mut m, KeyCode::Backspace);
                finish(&mut m);
                term.draw(|f| linkj::ui::render(&m, f)).expect("draw");
            })
        });
        // Esc clears the query, Esc again leaves the search bar.
        key(&mut m, KeyCode::Esc);
        key(&mut m, KeyCode::Esc);

        for (name, down, up) in [
            ("move_row", KeyCode::Down, KeyCode::Up),
            ("move_page", KeyCode::PageDown, KeyCode::PageUp),
        ] {
            g.bench_function(BenchmarkId::new(name, "down+up"), |b| {
                b.iter(|| {
                    key(&mut m, down);
                    term.draw(|f| linkj::ui::render(&m, f)).expect("draw");
                    key(&mut m, up);
                    term.draw(|f| linkj::ui::render(&m, f)).expect("draw");
                })
            });
        }

        g.bench_function("frame", |b| {
            b.iter(|| {
                term.clear().expect("clear");
                term.draw(|f| linkj::ui::render(&m, f)).expect("draw");
            })
        });
        g.finish();
    }
}

criterion_group!(browse, benches);
criterion_main!(browse);
