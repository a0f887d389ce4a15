//! Latency figures at a given dataset size, one line per figure:
//! `FIGURE n=N p50_ms=X p99_ms=Y`.
//!
//!   cargo run --release --example latency -- --count 100000
//!
//! load: parse + validate + index a generated RON dataset.
//! echo / final: one keystroke in the search bar (6-character queries typed one
//!   character at a time, then deleted), until the screen is drawn into a 120x40
//!   TestBackend with the character echoed / with the final result list (large
//!   searches run in slices between frames, so the echo does not wait for them).
//!   `LATENCY_QUERIES=un,o` types those queries instead; `LATENCY_TRACE=1` prints
//!   each keystroke's figures.
//! move_row / move_page: one selection move, update and draw.
//! first_frame: `linkj` (the release binary beside this example; build it first with
//!   `cargo build --release`) started in a 120x40 pseudo-terminal on the embedded
//!   dataset, until its first frame has arrived; printed once, not per N.
//! Add `--no-first-frame` to skip it. With `--data FILE`, the keystroke figures are
//!   measured on that file, opened through the catalog cache as the browser opens it
//!   (no `load` figure).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

use std::io::Write;
use std::time::Instant;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use linkj::app::{Options, action_for_event, initial_session};
use linkj::session::Session;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i.min(v.len() - 1)]
}

fn report(fig: &str, n: usize, mut v: Vec<f64>) {
    println!(
        "{fig} n={n} p50_ms={:.2} p99_ms={:.2}",
        pct(&mut v, 0.5),
        pct(&mut v, 0.99)
    );
}

fn key(m: &mut Session, code: KeyCode) {
    if let Some(a) = action_for_event(
        m.mode(),
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE)),
    ) {
        linkj::update::update(m, a);
    }
}

/// Time from spawning `linkj` in a PTY until the first frame (the timeline title) is
/// on the screen, over 30 starts.
fn first_frame() {
    first_frame_of(&[], 30, "first_frame");
}

/// The release binary beside this example.
fn linkj_bin() -> Option<std::path::PathBuf> {
    std::env::current_exe()
        .ok()
        .and_then(|e| Some(e.parent()?.parent()?.join("linkj")))
        .filter(|b| b.exists())
}

/// [`first_frame`] with `args` (`--data FILE`), `starts` times, reported as `fig`.
fn first_frame_of(args: &[&str], starts: usize, fig: &str) {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use std::io::Read;
    let Some(bin) = linkj_bin().filter(|b| b.exists()) else {
        eprintln!("first_frame: skipped (run `cargo build --release` first)");
        return;
    };
    let mut times = Vec::new();
    for _ in 0..starts {
        let pty = native_pty_system();
        let size = PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        };
        let pair = pty.openpty(size).expect("openpty");
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let mut writer = pair.master.take_writer().expect("writer");
        let mut cmd = CommandBuilder::new(&bin);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        let t = Instant::now();
        let mut child = pair.slave.spawn_command(cmd).expect("spawn");
        let mut seen = Vec::new();
        let mut buf = [0u8; 65536];
        // Wait for the timeline's title: the first frame is on the screen.
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
            if seen.windows(8).any(|w| w == b"Timeline") {
                break;
            }
        }
        times.push(t.elapsed().as_secs_f64() * 1e3);
        // Ctrl-C: the browser starts in the search bar, where `q` is a letter.
        let _ = writer.write_all(b"\x03");
        let _ = child.wait();
    }
    report(fig, 16, times);
}

/// Whole-process figures for a `--data` file, its cache warm: `first_frame` of the
/// browser, and `linkj search Q` beside `fzf --filter Q` over the lines of `linkj
/// list` (when fzf is on the PATH), with each one's peak memory.
fn warm_file(file: &str, queries: &[String]) {
    let Some(bin) = linkj_bin() else {
        eprintln!("warm: skipped (run `cargo build --release` first)");
        return;
    };
    // The first open stores the catalog.
    let _ = std::process::Command::new(&bin)
        .args(["check", "--data", file])
        .output();
    first_frame_of(
        &["--data", file],
        10,
        &format!("first_frame_warm file={file}"),
    );
    let list = std::env::temp_dir().join(format!("linkj-latency-list-{}.txt", std::process::id()));
    let lines = std::process::Command::new(&bin)
        .args(["list", "--data", file])
        .output()
        .map(|o| o.stdout)
        .unwrap_or_default();
    std::fs::write(&list, lines).expect("list lines");
    let fzf = std::process::Command::new("fzf")
        .arg("--version")
        .output()
        .is_ok();
    for q in queries {
        let (t, kb) = timed(&bin.display().to_string(), &["search", q, "--data", file]);
        let mut line = format!("search q={q} linkj_s={t:.3} linkj_mb={:.0}", kb / 1024.0);
        if fzf {
            let script = format!("fzf --filter '{q}' < '{}'", list.display());
            let (t, kb) = timed("sh", &["-c", &script]);
            line += &format!(" fzf_s={t:.3} fzf_mb={:.0}", kb / 1024.0);
        }
        println!("{line}");
    }
    let _ = std::fs::remove_file(&list);
}

/// Best of three runs of `cmd args`: seconds, and peak resident kilobytes (of the
/// children, as the kernel counts them).
fn timed(cmd: &str, args: &[&str]) -> (f64, f64) {
    let mut best = (f64::MAX, 0.0);
    for _ in 0..3 {
        let t = Instant::now();
        let out = std::process::Command::new("/usr/bin/time")
            .arg("-f")
            .arg("%M")
            .arg(cmd)
            .args(args)
            .stdout(std::process::Stdio::null())
            .output()
            .expect("run");
        let s = t.elapsed().as_secs_f64();
        let kb = String::from_utf8_lossy(&out.stderr)
            .lines()
            .last()
            .and_then(|l| l.trim().parse::<f64>().ok())
            .unwrap_or(0.0);
        if s < best.0 {
            best = (s, kb);
        }
    }
    best
}

fn main() {
    let mut count = 1000usize;
    let mut ff = true;
    let mut data: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--count" => count = args.next().and_then(|v| v.parse().ok()).unwrap_or(count),
            "--no-first-frame" => ff = false,
            "--data" => data = args.next(),
            "--warm" => {
                let file = args.next().expect("--warm FILE");
                let queries: Vec<String> = ["osaka", "kob", "横浜", "o"].map(String::from).into();
                warm_file(&file, &queries);
                return;
            }
            _ => {}
        }
    }
    if ff {
        first_frame();
    }
    let catalog = match data {
        Some(file) => {
            // Through the catalog cache, as the browser opens it: no `load` figure.
            let opened = linkj::cache::open(std::path::Path::new(&file), true).expect("open");
            count = opened.catalog.dataset().partners.len();
            opened.catalog
        }
        None => generated(count),
    };
    keystrokes(catalog, count);
}

/// Loads a generated dataset of `count` partners three times (the `load` figure).
fn generated(count: usize) -> linkj::catalog::Catalog {
    let mut ron = Vec::new();
    linkj::synth::write_dataset(&mut ron, count, 42).expect("generate");

    let mut loads = Vec::new();
    let mut loaded = None;
    for _ in 0..3 {
        let t = Instant::now();
        let l = linkj::data::load_bytes(&ron, "gen.ron").expect("valid");
        let idx = linkj::search::Index::new(&l.dataset);
        loads.push(t.elapsed().as_secs_f64() * 1e3);
        drop(idx);
        loaded = Some(l);
    }
    report("load", count, loads);
    drop(ron);
    linkj::catalog::Catalog::new(loaded.expect("loaded"))
}

/// The `echo`, `final`, `move_row` and `move_page` figures.
fn keystrokes(catalog: linkj::catalog::Catalog, count: usize) {
    // In the timeline, where `/` focuses the search bar (as `--start timeline`).
    let opts = Options {
        color: true,
        start_in_timeline: true,
        ..Options::default()
    };
    let mut m = initial_session(std::sync::Arc::new(catalog), (120, 40), &opts);
    let mut term = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    term.draw(|f| linkj::ui::render(&m, f)).expect("draw");

    let (mut echo, mut fin) = (Vec::new(), Vec::new());
    // LATENCY_QUERIES=a,b types only those (to profile one kind of keystroke).
    let chosen = std::env::var("LATENCY_QUERIES").ok();
    let queries: Vec<&str> = match &chosen {
        Some(q) => q.split(',').collect(),
        None => vec!["osaka", "kyoto ", "univer", "genome", "大阪健康", "bosto"],
    };
    for query in queries {
        key(&mut m, KeyCode::Char('/'));
        let steps: Vec<Option<char>> = query
            .chars()
            .map(Some)
            .chain(query.chars().map(|_| None))
            .collect();
        for step in steps {
            let t = Instant::now();
            match step {
                Some(c) => key(&mut m, KeyCode::Char(c)),
                None => key(&mut m, KeyCode::Backspace),
            }
            term.draw(|f| linkj::ui::render(&m, f)).expect("draw");
            echo.push(t.elapsed().as_secs_f64() * 1e3);
            // Large searches run in slices between keystrokes, as the real loop does
            // when no key is waiting; the list fills in until it is final.
            let (mut in_search, mut in_draw, mut slices) = (0.0, 0.0, 0);
            // As the real loop does: a frame for the partial list at most every
            // PARTIAL_FRAME, and one when the search is done.
            let mut last_frame = Instant::now();
            while m.search_pending() {
                let s = Instant::now();
                linkj::update::update(&mut m, linkj::action::Action::SearchStep);
                let d = Instant::now();
                in_search += (d - s).as_secs_f64() * 1e3;
                if !m.search_pending() || last_frame.elapsed() >= linkj::app::PARTIAL_FRAME {
                    term.draw(|f| linkj::ui::render(&m, f)).expect("draw");
                    last_frame = Instant::now();
                    in_draw += d.elapsed().as_secs_f64() * 1e3;
                }
                slices += 1;
            }
            fin.push(t.elapsed().as_secs_f64() * 1e3);
            if std::env::var_os("LATENCY_TRACE").is_some() {
                // Per keystroke, to see which ones are slow.
                let (e, f) = (echo[echo.len() - 1], fin[fin.len() - 1]);
                eprintln!(
                    "{:?} echo={e:.1} final={f:.1} hits={} slices={slices} \
                     (search {in_search:.1} ms, drawing {in_draw:.1} ms)",
                    m.query().text(),
                    m.hits().len()
                );
            }
        }
        key(&mut m, KeyCode::Esc);
    }
    report("echo", count, echo);
    report("final", count, fin);

    let (mut row, mut page) = (Vec::new(), Vec::new());
    for i in 0..200 {
        let t = Instant::now();
        key(
            &mut m,
            if i % 50 < 25 {
                KeyCode::Down
            } else {
                KeyCode::Up
            },
        );
        term.draw(|f| linkj::ui::render(&m, f)).expect("draw");
        row.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        key(
            &mut m,
            if i % 50 < 25 {
                KeyCode::PageDown
            } else {
                KeyCode::PageUp
            },
        );
        term.draw(|f| linkj::ui::render(&m, f)).expect("draw");
        page.push(t.elapsed().as_secs_f64() * 1e3);
    }
    report("move_row", count, row);
    report("move_page", count, page);
}
