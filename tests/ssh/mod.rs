//! Shared by the `linkj serve` tests and the load example: starting the server and
//! reading its ready line, an in-process SSH client that logs in without a key, and a
//! slow link to put between them.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use russh::client::{self, Handle};
use russh::{Channel, ChannelMsg};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A started `linkj serve`, with what its ready line said.
pub struct Started {
    /// The server process.
    pub child: Child,
    /// The port it bound on 127.0.0.1.
    pub port: u16,
    /// Its host key's fingerprint (`SHA256:…`).
    pub fingerprint: String,
}

/// Starts `bin serve --listen 127.0.0.1:0 --host-key KEY ARGS…`, its stderr going to
/// `stderr`, and waits for the line `linkj serve: listening on 127.0.0.1:PORT, host key
/// SHA256:…`.
pub fn start(
    bin: &Path,
    key: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    stderr: Stdio,
) -> Started {
    let mut child = Command::new(bin)
        .envs(env.iter().copied())
        .args(["serve", "--listen", "127.0.0.1:0", "--host-key"])
        .arg(key)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("linkj serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("ready line");
    let port = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));
    let fingerprint = line
        .split("host key ")
        .nth(1)
        .unwrap_or_default()
        .trim()
        .to_string();
    Started {
        child,
        port,
        fingerprint,
    }
}

/// The in-process client's handler: any host key will do on loopback.
pub struct Visitor;

impl client::Handler for Visitor {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        _key: &russh::keys::PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

/// Connects to 127.0.0.1:`port` and logs in without a key.
pub async fn connect(port: u16) -> Handle<Visitor> {
    let config = Arc::new(client::Config::default());
    let mut h = client::connect(config, ("127.0.0.1", port), Visitor)
        .await
        .expect("connect");
    let auth = h.authenticate_none("visitor").await.expect("auth");
    assert!(auth.success(), "open login");
    h
}

/// A session channel with a terminal of the claimed size and the browser in it.
pub async fn browser(h: &Handle<Visitor>, cols: u32, rows: u32) -> Channel<client::Msg> {
    browser_on(h, "xterm-256color", cols, rows).await
}

/// A session channel with a terminal of type `term` and the browser in it.
pub async fn browser_on(
    h: &Handle<Visitor>,
    term: &str,
    cols: u32,
    rows: u32,
) -> Channel<client::Msg> {
    let ch = h.channel_open_session().await.expect("session");
    ch.request_pty(true, term, cols, rows, 0, 0, &[])
        .await
        .expect("pty");
    ch.request_shell(true).await.expect("shell");
    ch
}

/// Whether output arrived within a second.
pub async fn next_frame(ch: &mut Channel<client::Msg>) -> bool {
    loop {
        match tokio::time::timeout(std::time::Duration::from_secs(1), ch.wait()).await {
            Ok(Some(ChannelMsg::Data { .. })) => return true,
            Ok(Some(_)) => {}
            _ => return false,
        }
    }
}

// A slow link, for the tests and the example that hold a key over one.

/// One direction of the link: what is read is released after `delay`, no faster than
/// `bytes_per_s`.
async fn carry(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    delay: Duration,
    bytes_per_s: f64,
    stalled: Arc<AtomicBool>,
) {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<(Instant, Vec<u8>)>(64);
    let writer = tokio::spawn(async move {
        while let Some((at, bytes)) = rx.recv().await {
            tokio::time::sleep_until(at.into()).await;
            if to.write_all(&bytes).await.is_err() {
                break;
            }
        }
    });
    // Packets of at most 1,400 bytes, each taking its time on the wire.
    let mut buf = vec![0u8; 1400];
    let mut wire_free = Instant::now();
    loop {
        // A stalled link reads nothing: the sender's buffers fill.
        while stalled.load(Ordering::Relaxed) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let Ok(n) = from.read(&mut buf).await else {
            break;
        };
        if n == 0 {
            break;
        }
        let start = wire_free.max(Instant::now());
        wire_free = start + Duration::from_secs_f64(n as f64 / bytes_per_s);
        tokio::time::sleep_until(wire_free.into()).await;
        if tx
            .send((wire_free + delay, buf[..n].to_vec()))
            .await
            .is_err()
        {
            break;
        }
    }
    drop(tx);
    let _ = writer.await;
}

/// A proxy on 127.0.0.1:0 to `target` with the given link; returns its port.
pub async fn slow_proxy(target: u16, rtt: Duration, kbit: f64) -> u16 {
    stalling_proxy(target, rtt, kbit, Arc::new(AtomicBool::new(false))).await
}

/// As [`slow_proxy`], and while `stalled` is set nothing goes from the server to the
/// visitor: a visitor who stopped reading.
pub async fn stalling_proxy(
    target: u16,
    rtt: Duration,
    kbit: f64,
    stalled: Arc<AtomicBool>,
) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        while let Ok((visitor, _)) = listener.accept().await {
            // The link's own buffer is small: what the link cannot carry yet waits at
            // the sender, as on a real slow link, not in a buffer of this proxy.
            let socket = tokio::net::TcpSocket::new_v4().expect("socket");
            socket.set_recv_buffer_size(4 * 1024).expect("SO_RCVBUF");
            let server = socket
                .connect(([127, 0, 0, 1], target).into())
                .await
                .expect("server");
            let (vr, vw) = visitor.into_split();
            let (sr, sw) = server.into_split();
            let rate = kbit * 1000.0 / 8.0;
            let flowing = Arc::new(AtomicBool::new(false));
            tokio::spawn(carry(vr, sw, rtt / 2, rate, flowing));
            tokio::spawn(carry(sr, vw, rtt / 2, rate, Arc::clone(&stalled)));
        }
    });
    port
}

/// The ordinal on the selected row of the timeline (the row marked `>`).
pub fn selected_ordinal(screen: &vt100::Screen) -> Option<u32> {
    let text = screen.contents();
    text.lines().find_map(|l| {
        let rest = l.trim_start_matches(['│', '|', ' ']).strip_prefix('>')?;
        rest.split_whitespace().next()?.parse().ok()
    })
}

/// A terminal screen of `rows` x `cols` to feed output to.
pub fn screen(rows: u16, cols: u16) -> vt100::Parser {
    let nz = |n: u16| std::num::NonZeroU16::new(n.max(1)).unwrap_or(std::num::NonZeroU16::MIN);
    vt100::Parser::new(nz(rows), nz(cols), 0)
}

/// Feeds output to `vt` until nothing has arrived for `quiet`; returns the bytes seen
/// and when the last of them arrived.
pub async fn read_quiet(
    ch: &mut Channel<client::Msg>,
    vt: &mut vt100::Parser,
    quiet: Duration,
) -> (usize, usize, Instant) {
    let (mut bytes, mut packets, mut last) = (0, 0, Instant::now());
    while let Ok(Some(msg)) = tokio::time::timeout(quiet, ch.wait()).await {
        if let ChannelMsg::Data { data } = msg {
            vt.process(&data);
            bytes += data.len();
            packets += 1;
            last = Instant::now();
        }
    }
    (bytes, packets, last)
}
