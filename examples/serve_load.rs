//! Many visitors at once on `linkj serve`, over loopback, with an in-process SSH client:
//! what each sees and what the server pays.
//!
//!   cargo build --release && cargo run --release --example serve_load -- [N] [--data FILE] [--warm]
//!
//! Starts the release binary's `linkj serve` on 127.0.0.1:0, opens N sessions (default
//! 10) at 100x30, and has each type queries at 5 keys a second for about 12 seconds.
//! Prints `SERVE n=N … echo_p50_ms=… echo_p99_ms=… kib_per_session=…
//! kib_shared_listings=… cpu_ms_per_key=…`: the time from a key leaving the client to
//! the next frame arriving, the server's resident memory per session beyond the first,
//! and its CPU time per keystroke. With `--warm`, one visitor types every query before
//! the others come, so the listings all sessions share (the catalog's shelf, bounded
//! for the whole server) are built first; `kib_shared_listings` is what they took.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

#[path = "../tests/ssh/mod.rs"]
mod ssh;

use std::process::Stdio;
use std::time::{Duration, Instant};

use russh::Channel;
use russh::client::{self, Handle};
use ssh::{Visitor, next_frame};

fn proc_field(pid: u32, file: &str, f: impl Fn(&str) -> Option<u64>) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/{file}"))
        .ok()
        .and_then(|s| f(&s))
        .unwrap_or(0)
}

fn rss_kib(pid: u32) -> u64 {
    proc_field(pid, "status", |s| {
        s.lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    })
}

/// User + system CPU time of the process, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    proc_field(pid, "stat", |s| {
        let after = &s[s.rfind(')')? + 2..];
        let f: Vec<&str> = after.split(' ').collect();
        Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
    })
}

async fn open(port: u16) -> (Handle<Visitor>, Channel<client::Msg>) {
    let h = ssh::connect(port).await;
    let ch = ssh::browser(&h, 100, 30).await;
    (h, ch)
}

/// Drains what arrives within `d` (the rest of a frame, a second frame).
async fn drain(ch: &mut Channel<client::Msg>, d: Duration) {
    while let Ok(Some(_)) = tokio::time::timeout(d, ch.wait()).await {}
}

/// One visitor typing `query` and deleting it, over and over, at 5 keys a second.
async fn visit(port: u16, query: &'static str, keys: usize) -> Vec<f64> {
    let (_h, mut ch) = open(port).await;
    next_frame(&mut ch).await;
    drain(&mut ch, Duration::from_millis(300)).await;
    // A visitor starts in the search bar: the first key is the query's.
    let mut echo = Vec::with_capacity(keys);
    let chars: Vec<char> = query.chars().collect();
    for i in 0..keys {
        let round = i % (2 * chars.len());
        let key = if round < chars.len() {
            chars[round].to_string()
        } else {
            "\x7f".to_string()
        };
        let t = Instant::now();
        ch.data_bytes(key.into_bytes()).await.expect("key");
        if next_frame(&mut ch).await {
            echo.push(t.elapsed().as_secs_f64() * 1e3);
        }
        let rest = Duration::from_millis(200).saturating_sub(t.elapsed());
        drain(&mut ch, rest).await;
    }
    echo
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(((v.len().max(1) - 1) as f64 * p).round() as usize)
        .copied()
        .unwrap_or(f64::NAN)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(10);
    let data: Vec<&str> = match args.iter().position(|a| a == "--data") {
        Some(i) => vec!["--data", args[i + 1].as_str()],
        None => vec![],
    };
    let bin = std::env::current_exe()
        .ok()
        .and_then(|e| Some(e.parent()?.parent()?.join("linkj")))
        .expect("the release binary next to the example");
    let dir = std::env::temp_dir().join(format!("linkj-load-{}", std::process::id()));
    let started = ssh::start(
        &bin,
        &dir.join("key"),
        &[
            &["--max-sessions", "1000", "--max-per-ip", "1000"][..],
            &data,
        ]
        .concat(),
        &[],
        Stdio::null(),
    );
    let (mut server, port) = (started.child, started.port);
    let pid = server.id();
    let queries = [
        "osaka", "kyoto", "univer", "genome", "boston", "kobe", "medic", "paris",
    ];
    let keys = 60;
    // One session first: the memory of every further one is counted against it. With
    // `--warm` it types every query first, so the listings the sessions share are
    // built before the count starts and what is counted is each session's own.
    let (_h, mut first) = open(port).await;
    next_frame(&mut first).await;
    drain(&mut first, Duration::from_millis(500)).await;
    let warm = args.iter().any(|a| a == "--warm");
    let rss_cold = rss_kib(pid);
    if warm {
        for q in queries {
            visit(port, q, 2 * q.len()).await;
        }
    }
    let (rss_one, cpu_before) = (rss_kib(pid), cpu_ticks(pid));
    let tasks: Vec<_> = (0..n)
        .map(|i| tokio::spawn(visit(port, queries[i % queries.len()], keys)))
        .collect();
    let mut rss_peak = 0;
    let mut echo = Vec::new();
    for t in tasks {
        rss_peak = rss_peak.max(rss_kib(pid));
        echo.extend(t.await.expect("visitor"));
    }
    let cpu = cpu_ticks(pid).saturating_sub(cpu_before);
    let tick_ms = 1000.0 / 100.0;
    let per_session = rss_peak.saturating_sub(rss_one) / n.max(1) as u64;
    println!(
        "SERVE n={n} warm={warm} echo_p50_ms={:.1} echo_p99_ms={:.1} frames={} kib_per_session={per_session} kib_shared_listings={} cpu_ms_per_key={:.2}",
        pct(&mut echo, 0.5),
        pct(&mut echo, 0.99),
        echo.len(),
        rss_one.saturating_sub(rss_cold),
        cpu as f64 * tick_ms / (n * keys).max(1) as f64,
    );
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
}
