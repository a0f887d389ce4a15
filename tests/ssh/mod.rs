//! Shared by the `linkj serve` tests and the load example: starting the server and
//! reading its ready line, and an in-process SSH client that logs in without a key.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use russh::client::{self, Handle};
use russh::{Channel, ChannelMsg};

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
