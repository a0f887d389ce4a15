//! `linkj serve` against an in-process SSH client (russh), over loopback: the protocol
//! cases a stock client cannot produce: a forged terminal size, a second session
//! channel, a flood of window changes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

mod ssh;

use std::process::{Child, Stdio};
use std::time::Duration;

use russh::client;
use russh::{Channel, ChannelMsg};
use ssh::{browser, connect};

struct Server {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start() -> Server {
        let dir = tempfile::tempdir().expect("tempdir");
        let started = ssh::start(
            std::path::Path::new(env!("CARGO_BIN_EXE_linkj")),
            &dir.path().join("key"),
            &[],
            &[],
            Stdio::null(),
        );
        Server {
            child: started.child,
            port: started.port,
            _dir: dir,
        }
    }

    /// The server's resident memory, in KiB.
    fn rss_kib(&self) -> u64 {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).expect("status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Output until `want` has been seen (or the channel ends): what arrived.
async fn read_until(ch: &mut Channel<client::Msg>, want: &str) -> String {
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !String::from_utf8_lossy(&seen).contains(want) {
        match tokio::time::timeout_at(deadline, ch.wait()).await {
            Ok(Some(ChannelMsg::Data { data })) => seen.extend_from_slice(&data),
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => break,
        }
    }
    String::from_utf8_lossy(&seen).into_owned()
}

/// Waits for the exit status.
async fn exit_status(ch: &mut Channel<client::Msg>) -> Option<u32> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        match tokio::time::timeout_at(deadline, ch.wait()).await {
            Ok(Some(ChannelMsg::ExitStatus { exit_status })) => return Some(exit_status),
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => return None,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_60000x60000_terminal_is_clamped_and_memory_stays_flat() {
    let server = Server::start();
    let before = server.rss_kib();
    let h = connect(server.port).await;
    let mut ch = browser(&h, 60_000, 60_000).await;
    let frame = read_until(&mut ch, "15/15").await;
    assert!(frame.contains("Timeline 15/15"), "no first frame");
    // A cell beyond column 500 or row 200 is never addressed.
    assert!(
        !frame.contains(";501H") && !frame.contains("[201;"),
        "drawn past 500x200"
    );
    let grown = server.rss_kib().saturating_sub(before);
    // 500x200 takes a few MiB; 60000x60000 cells would take gigabytes.
    assert!(grown < 64 * 1024, "the server grew by {grown} KiB");
    ch.data_bytes(&b"q"[..]).await.expect("q");
    assert_eq!(exit_status(&mut ch).await, Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_session_channel_is_refused_and_the_first_goes_on() {
    let server = Server::start();
    let h = connect(server.port).await;
    let mut first = browser(&h, 80, 24).await;
    read_until(&mut first, "Timeline").await;
    assert!(
        h.channel_open_session().await.is_err(),
        "a second session channel on one connection"
    );
    first.data_bytes(&b"/kobe"[..]).await.expect("type");
    let s = read_until(&mut first, "1/15").await;
    assert!(s.contains("1/15"), "the first channel still answers");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_window_changes_does_not_wedge_the_session() {
    let server = Server::start();
    let h = connect(server.port).await;
    let mut ch = browser(&h, 80, 24).await;
    read_until(&mut ch, "Timeline").await;
    for i in 0..5_000u32 {
        ch.window_change(60 + i % 200, 15 + i % 80, 0, 0)
            .await
            .expect("window-change");
    }
    ch.window_change(100, 30, 0, 0).await.expect("last size");
    ch.data_bytes(&b"q"[..]).await.expect("q");
    assert_eq!(exit_status(&mut ch).await, Some(0), "q still quits");
    // The server still takes visitors.
    let h2 = connect(server.port).await;
    let mut again = browser(&h2, 80, 24).await;
    assert!(
        read_until(&mut again, "Timeline")
            .await
            .contains("Timeline")
    );
}

/// Bytes that arrive until the output has been quiet for `quiet`.
async fn output_until_quiet(ch: &mut Channel<client::Msg>, quiet: Duration) -> Vec<u8> {
    let mut got = Vec::new();
    while let Ok(Some(msg)) = tokio::time::timeout(quiet, ch.wait()).await {
        if let ChannelMsg::Data { data } = msg {
            got.extend_from_slice(&data);
        }
    }
    got
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_that_arrive_together_are_drawn_once_at_the_end() {
    let server = Server::start();
    let h = connect(server.port).await;
    let mut ch = browser(&h, 100, 30).await;
    read_until(&mut ch, "Timeline").await;
    output_until_quiet(&mut ch, Duration::from_millis(300)).await;
    // One move, for scale.
    ch.data_bytes(&b"j"[..]).await.expect("j");
    let one = output_until_quiet(&mut ch, Duration::from_millis(300))
        .await
        .len();
    // Forty moves in one packet, as a held key arrives over a slow link.
    ch.data_bytes(vec![b'j'; 40]).await.expect("j x 40");
    let burst = output_until_quiet(&mut ch, Duration::from_millis(300)).await;
    assert!(
        burst.len() < 4 * one,
        "40 queued moves sent {} bytes, one move {one}: frames were not skipped",
        burst.len()
    );
    // And it ends on the right row: the last of the 15 partners.
    assert!(
        String::from_utf8_lossy(&burst).contains("16  2021-02-05"),
        "not at the last partner"
    );
}
