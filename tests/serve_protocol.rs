//! `linkj serve` against an in-process SSH client (russh), over loopback: the protocol
//! cases a stock client cannot produce: a forged terminal size, a second session
//! channel, a flood of window changes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

mod ssh;

use std::process::{Child, Stdio};
use std::time::Duration;

use russh::client;
use russh::{Channel, ChannelMsg};
use ssh::connect;

/// The browser with the keyboard in the timeline, where these tests' keys act: a
/// visitor starts in the search bar, and Tab leaves it.
async fn browser(h: &client::Handle<ssh::Visitor>, cols: u32, rows: u32) -> Channel<client::Msg> {
    browser_on(h, "xterm-256color", cols, rows).await
}

/// As [`browser`], for a terminal of type `term`.
async fn browser_on(
    h: &client::Handle<ssh::Visitor>,
    term: &str,
    cols: u32,
    rows: u32,
) -> Channel<client::Msg> {
    let ch = ssh::browser_on(h, term, cols, rows).await;
    // A refused terminal (dumb) may have closed the channel already.
    let _ = ch.data_bytes(&b"\t"[..]).await;
    ch
}

struct Server {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start() -> Server {
        Server::start_with(&[])
    }

    fn start_with(args: &[&str]) -> Server {
        let dir = tempfile::tempdir().expect("tempdir");
        let started = ssh::start(
            std::path::Path::new(env!("CARGO_BIN_EXE_linkj")),
            &dir.path().join("key"),
            args,
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

/// Output (stdout and stderr) until `want` has been seen (or the channel ends).
async fn read_until(ch: &mut Channel<client::Msg>, want: &str) -> String {
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !String::from_utf8_lossy(&seen).contains(want) {
        match tokio::time::timeout_at(deadline, ch.wait()).await {
            Ok(Some(ChannelMsg::Data { data } | ChannelMsg::ExtendedData { data, .. })) => {
                seen.extend_from_slice(&data);
            }
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

/// Whether `out` sets a foreground or background colour (SGR 30-38, 40-48, 90-107; 39
/// and 49 put the default back).
fn sets_colour(out: &str) -> bool {
    out.split("\x1b[").skip(1).any(|seq| {
        let params = seq
            .split(|c: char| c.is_ascii_alphabetic())
            .next()
            .unwrap_or("");
        let is_sgr = seq[params.len()..].starts_with('m');
        is_sgr
            && params.split(';').any(|p| {
                p.parse::<u16>()
                    .is_ok_and(|n| matches!(n, 30..=38 | 40..=48 | 90..=107))
            })
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_visitors_term_decides_colour_glyphs_and_passthrough() {
    let server = Server::start();
    // An xterm gets colour and box drawing.
    let h = connect(server.port).await;
    let mut ch = browser_on(&h, "xterm-256color", 100, 30).await;
    let xterm = read_until(&mut ch, "15/15").await;
    assert!(sets_colour(&xterm), "no colour on an xterm");
    assert!(xterm.contains('─'), "no box drawing on an xterm");
    // A VT220 has neither: no colour, ASCII borders.
    let h = connect(server.port).await;
    let mut ch = browser_on(&h, "vt220", 100, 30).await;
    let vt = read_until(&mut ch, "15/15").await;
    assert!(vt.contains("Timeline 15/15"), "no frame on a vt220");
    assert!(!sets_colour(&vt), "colour sent to a vt220");
    assert!(
        !vt.contains('─') && vt.contains("+-"),
        "box drawing sent to a vt220"
    );
    // Under tmux, a copy is also wrapped for passthrough to the outer terminal.
    let h = connect(server.port).await;
    let mut ch = browser_on(&h, "tmux-256color", 100, 30).await;
    read_until(&mut ch, "15/15").await;
    ch.data_bytes(&b"y"[..]).await.expect("y");
    let copied = read_until(&mut ch, "\x1bPtmux;").await;
    assert!(copied.contains("\x1b]52;c;"), "no OSC 52");
    assert!(
        copied.contains("\x1bPtmux;\x1b\x1b]52;c;"),
        "not wrapped for tmux"
    );
    // A dumb terminal cannot be drawn on: one line, and the commands are offered.
    let h = connect(server.port).await;
    let mut ch = browser_on(&h, "dumb", 80, 24).await;
    let said = read_until(&mut ch, "show kobe").await;
    assert!(
        said.contains("dumb terminal cannot show the browser"),
        "{said:?}"
    );
    assert!(
        !said.contains("\x1b["),
        "escape sequences sent to a dumb terminal"
    );
    assert_eq!(exit_status(&mut ch).await, Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_address_is_a_link_for_an_xterm_and_text_for_a_vt220_or_plain_terminal() {
    let server = Server::start();
    let link = "\x1b]8;;https://www.link-j.org/\x1b\\https://www.link-j.org/\x1b]8;;\x1b\\";
    for (term, linked) in [
        ("xterm-256color", true),
        ("tmux-256color", true),
        ("vt220", false),
        ("vt100", false),
        ("linux", false),
    ] {
        let h = connect(server.port).await;
        let mut ch = browser_on(&h, term, 120, 40).await;
        read_until(&mut ch, "15/15").await;
        // The hub's card has its web address near the top.
        ch.data_bytes(&b"h"[..]).await.expect("h");
        let out = read_until(&mut ch, "www.link-j.org/").await;
        assert!(
            out.contains("https://www.link-j.org/"),
            "{term}: no address"
        );
        assert_eq!(out.contains(link), linked, "{term}");
        if !linked {
            assert!(!out.contains("\x1b]8;"), "{term}: an OSC 8 was sent");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn holding_j_over_a_slow_link_ends_on_the_right_row_without_every_frame() {
    use tokio::io::AsyncWriteExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("gen.ron");
    let made = std::process::Command::new(env!("CARGO_BIN_EXE_linkj"))
        .args(["gen", "--count", "300", "--seed", "3"])
        .output()
        .expect("linkj gen");
    std::fs::write(&data, made.stdout).expect("dataset");
    let server = Server::start_with(&["--data", data.to_str().expect("utf-8")]);
    let quiet = Duration::from_millis(300);
    // Straight to the server, a key at a time: the bytes of forty moves, one frame
    // each, and the row they end on.
    let h = connect(server.port).await;
    let mut ch = browser(&h, 120, 40).await;
    let mut vt = ssh::screen(40, 120);
    ssh::read_quiet(&mut ch, &mut vt, quiet).await;
    let mut every = 0;
    for _ in 0..40 {
        ch.data_bytes(&b"j"[..]).await.expect("j");
        every += ssh::read_quiet(&mut ch, &mut vt, Duration::from_millis(40))
            .await
            .0;
    }
    ssh::read_quiet(&mut ch, &mut vt, quiet).await;
    let want = ssh::selected_ordinal(vt.screen()).expect("a selected row");
    // Over 200 ms of latency and 256 kbit/s, j held down: forty presses, 30 a second.
    let slow = ssh::slow_proxy(server.port, Duration::from_millis(200), 256.0).await;
    let h = connect(slow).await;
    let mut ch = browser(&h, 120, 40).await;
    let mut vt = ssh::screen(40, 120);
    ssh::read_quiet(&mut ch, &mut vt, Duration::from_millis(800)).await;
    let mut keys = ch.make_writer();
    let typist = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(33));
        for _ in 0..40 {
            tick.tick().await;
            keys.write_all(b"j").await.expect("j");
            keys.flush().await.expect("flush");
        }
    });
    let mut bytes = 0;
    while !typist.is_finished() {
        bytes += ssh::read_quiet(&mut ch, &mut vt, Duration::from_millis(50))
            .await
            .0;
    }
    bytes += ssh::read_quiet(&mut ch, &mut vt, Duration::from_secs(2))
        .await
        .0;
    assert_eq!(
        ssh::selected_ordinal(vt.screen()),
        Some(want),
        "not on the row forty moves reach"
    );
    // The link carries about ten such frames a second: most of the forty were skipped.
    assert!(
        bytes < every * 3 / 4,
        "{bytes} bytes over the slow link, {every} for a frame per move: frames were not skipped"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_who_stops_reading_costs_the_server_one_frame_not_a_queue() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let server = Server::start();
    let stalled = Arc::new(AtomicBool::new(false));
    let port =
        ssh::stalling_proxy(server.port, Duration::ZERO, 100_000.0, Arc::clone(&stalled)).await;
    let h = connect(port).await;
    let mut ch = browser(&h, 200, 60).await;
    let mut vt = ssh::screen(60, 200);
    ssh::read_quiet(&mut ch, &mut vt, Duration::from_millis(500)).await;
    let before = server.rss_kib();
    // The visitor stops reading and keeps typing: hundreds of moves and searches (as
    // many as the visitor's input queue holds), each of which redraws most of a 200x60
    // screen.
    stalled.store(true, Ordering::Relaxed);
    for i in 0..600 {
        let key: &[u8] = match i % 5 {
            0 => b"j",
            1 => b"/",
            2 => b"o",
            3 => b"\x7f",
            _ => b"\r",
        };
        ch.data_bytes(key).await.expect("key");
    }
    ch.data_bytes(&b"G"[..]).await.expect("G");
    tokio::time::sleep(Duration::from_secs(3)).await;
    let grown = server.rss_kib().saturating_sub(before);
    // A frame of this screen is 5 to 15 KB; six hundred of them would be megabytes.
    assert!(
        grown < 2 * 1024,
        "the server grew by {grown} KiB for a visitor who stopped reading"
    );
    // When they read again, the screen is the latest one: the last partner selected.
    stalled.store(false, Ordering::Relaxed);
    ssh::read_quiet(&mut ch, &mut vt, Duration::from_secs(3)).await;
    assert_eq!(
        ssh::selected_ordinal(vt.screen()),
        Some(16),
        "not the latest frame"
    );
    // And the server went on serving others meanwhile.
    let h2 = connect(server.port).await;
    let mut other = browser(&h2, 80, 24).await;
    assert!(
        read_until(&mut other, "Timeline")
            .await
            .contains("Timeline")
    );
}
