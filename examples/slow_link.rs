//! Holding `j` over a slow link: does the visitor's screen end on the right row, and how
//! long after the key is let go does it stop moving?
//!
//!   cargo build --release && cargo run --release --example slow_link -- [--rtt-ms 200] [--kbit 1000] [--keys 90]
//!
//! Starts the release binary's `linkj serve` on 127.0.0.1:0 on a generated dataset of
//! 2,000 partners, and puts a proxy on 127.0.0.1:0 in front of it that delays every
//! byte by half the round trip each way and carries at most `--kbit` kilobits a second
//! each way (a bounded queue: the proxy never holds more than the link would). An
//! in-process SSH client opens the browser at 120x40 through it and sends `j` 30 times
//! a second (a held key's auto-repeat) `--keys` times, then lets go.
//!
//! Prints `SLOWLINK rtt_ms=… kbit=… keys=… frames=… bytes=… settle_ms=… row_ok=…`:
//! the frames and bytes that reached the client, the time from letting go of the key
//! to the last byte of output (one round trip is the least possible), and whether the
//! final screen selects the partner that as many `j` presses select without the
//! proxy.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed run says where

#[path = "../tests/ssh/mod.rs"]
mod ssh;

use std::process::Stdio;
use std::time::{Duration, Instant};

use russh::Channel;
use russh::client;
use tokio::io::AsyncWriteExt;

fn arg(args: &[String], name: &str, default: f64) -> f64 {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(default)
}

async fn browser(port: u16) -> (client::Handle<ssh::Visitor>, Channel<client::Msg>) {
    let h = ssh::connect(port).await;
    let ch = ssh::browser(&h, 120, 40).await;
    // A visitor starts in the search bar; Tab gives the keys to the timeline, where j
    // moves.
    ch.data_bytes(&b"\t"[..]).await.expect("Tab");
    (h, ch)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rtt = Duration::from_secs_f64(arg(&args, "--rtt-ms", 200.0) / 1000.0);
    let kbit = arg(&args, "--kbit", 1000.0);
    let keys = arg(&args, "--keys", 90.0) as usize;
    let bin = std::env::current_exe()
        .ok()
        .and_then(|e| Some(e.parent()?.parent()?.join("linkj")))
        .expect("the release binary next to the example");
    let dir = std::env::temp_dir().join(format!("linkj-slow-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let data = dir.join("gen.ron");
    let made = std::process::Command::new(&bin)
        .args(["gen", "--count", "2000", "--seed", "7"])
        .output()
        .expect("linkj gen");
    assert!(made.status.success(), "linkj gen failed");
    std::fs::write(&data, made.stdout).expect("write the dataset");
    let started = ssh::start(
        &bin,
        &dir.join("key"),
        &["--data", data.to_str().expect("utf-8 path")],
        &[],
        Stdio::null(),
    );
    let (mut server, port) = (started.child, started.port);

    // Without the proxy, one key at a time: where `keys` presses of j end.
    let (_h, mut ch) = browser(port).await;
    let mut vt = ssh::screen(40, 120);
    ssh::read_quiet(&mut ch, &mut vt, Duration::from_millis(300)).await;
    for _ in 0..keys {
        ch.data_bytes(&b"j"[..]).await.expect("j");
        ssh::read_quiet(&mut ch, &mut vt, Duration::from_millis(30)).await;
    }
    ssh::read_quiet(&mut ch, &mut vt, Duration::from_millis(300)).await;
    let want = ssh::selected_ordinal(vt.screen());

    // Through the slow link, j held down.
    let slow = ssh::slow_proxy(port, rtt, kbit).await;
    let (_h2, mut ch) = browser(slow).await;
    let mut vt = ssh::screen(40, 120);
    ssh::read_quiet(&mut ch, &mut vt, rtt * 3).await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let typist = {
        let ch_keys = ch.make_writer();
        tokio::spawn(async move {
            let mut w = ch_keys;
            let mut tick = tokio::time::interval(Duration::from_millis(33));
            for _ in 0..keys {
                tick.tick().await;
                w.write_all(b"j").await.expect("j");
                w.flush().await.expect("flush");
            }
            let _ = tx.send(Instant::now());
        })
    };
    let (mut bytes, mut packets) = (0, 0);
    let mut released = None;
    let mut last = Instant::now();
    loop {
        let (b, p, l) = ssh::read_quiet(&mut ch, &mut vt, Duration::from_millis(50)).await;
        bytes += b;
        packets += p;
        if b > 0 {
            last = l;
        }
        if let Ok(t) = rx.try_recv() {
            released = Some(t);
        }
        if let Some(t) = released {
            // Quiet for two round trips after letting go: it has settled.
            if Instant::now().duration_since(last.max(t)) > rtt * 2 + Duration::from_secs(1) {
                break;
            }
        }
    }
    typist.await.expect("typist");
    let released = released.expect("released");
    let settle = last.saturating_duration_since(released);
    let got = ssh::selected_ordinal(vt.screen());
    println!(
        "SLOWLINK rtt_ms={} kbit={kbit} keys={keys} packets={packets} bytes={bytes} settle_ms={} row_ok={} (want {want:?}, got {got:?})",
        rtt.as_millis(),
        settle.as_millis(),
        want.is_some() && want == got,
    );
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
}
