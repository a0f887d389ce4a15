//! `linkj serve` with the system OpenSSH client, over loopback only: the browser for a
//! visitor, their commands, what is refused, keys and limits.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test says where

mod pty;
mod ssh;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use pty::Term;

/// A running server on 127.0.0.1 with a port of its own.
struct Server {
    child: Child,
    port: u16,
    fingerprint: String,
    dir: PathBuf,
}

impl Server {
    /// Starts `linkj serve` with its host key in `dir`, and waits for its ready line.
    fn start(dir: &Path, extra: &[&str]) -> Server {
        Server::start_env(dir, extra, &[])
    }

    /// As [`Server::start`], with extra environment variables for the server.
    fn start_env(dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let log = std::fs::File::create(dir.join("server.log")).expect("log");
        let mut args = vec!["--as-of", "2026-06-01"];
        args.extend(extra);
        let ssh::Started {
            child,
            port,
            fingerprint,
        } = ssh::start(
            Path::new(env!("CARGO_BIN_EXE_linkj")),
            &dir.join("host_key"),
            &args,
            env,
            log.into(),
        );
        Server {
            child,
            port,
            fingerprint,
            dir: dir.to_path_buf(),
        }
    }

    /// The ssh options for this server: no config, a throwaway known_hosts, no agent,
    /// no key unless `key` is given.
    fn ssh_args(&self, key: Option<&Path>) -> Vec<String> {
        let mut a: Vec<String> = [
            "-F",
            "/dev/null",
            "-o",
            "StrictHostKeyChecking=accept-new",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "IdentityAgent=none",
            "-o",
            "BatchMode=yes",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        a.push("-o".into());
        a.push(format!(
            "UserKnownHostsFile={}",
            self.dir.join("known_hosts").display()
        ));
        match key {
            Some(k) => {
                a.extend(["-o".into(), "IdentitiesOnly=yes".into(), "-i".into()]);
                a.push(k.display().to_string());
            }
            None => a.extend(["-o".into(), "PubkeyAuthentication=no".into()]),
        }
        a.extend(["-p".into(), self.port.to_string()]);
        a
    }

    /// `ssh 127.0.0.1 COMMAND…` without a terminal.
    fn run(&self, key: Option<&Path>, command: &[&str]) -> Output {
        Command::new("ssh")
            .args(self.ssh_args(key))
            .arg("127.0.0.1")
            .args(command)
            .stdin(Stdio::null())
            .output()
            .expect("ssh")
    }

    /// A visitor with a terminal, at `cols`x`rows`.
    fn visit(&self, cols: u16, rows: u16, extra: &[&str]) -> Term {
        self.visit_with(cols, rows, extra, &[])
    }

    /// A visitor with a terminal who also sends a command line (`ssh -t HOST kobe`).
    fn visit_with(&self, cols: u16, rows: u16, extra: &[&str], command: &[&str]) -> Term {
        let mut args = vec!["-tt".to_string()];
        args.extend(self.ssh_args(None));
        args.extend(extra.iter().map(|s| s.to_string()));
        args.push("127.0.0.1".into());
        args.extend(command.iter().map(|s| s.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        Term::start_program("ssh", &args, cols, rows)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
    }

    /// Stops the server with SIGTERM and returns its exit status.
    fn stop(mut self) -> Option<i32> {
        // SAFETY: kill on the child's own pid.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        for _ in 0..100 {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether the OpenSSH client is here; says so loudly when not (CI installs it).
fn have_ssh() -> bool {
    let ok = Command::new("ssh")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("SKIPPED: no OpenSSH client (`ssh`); install openssh-client to run these tests");
    }
    ok
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn a_visitor_browses_searches_filters_reads_help_and_leaves_restored() {
    if !have_ssh() {
        return;
    }
    let dir = tempdir();
    let server = Server::start(dir.path(), &[]);
    let mut t = server.visit(120, 40, &[]);
    t.wait_text("Timeline 15/15");
    // The search bar has the keyboard: `q` is typed, and the session goes on.
    t.typ("q");
    t.wait_text("/ q ");
    assert_eq!(t.exit_within(Duration::ZERO), None, "q ended the session");
    t.send("\x7f");
    t.typ("kobe");
    t.wait_text("Timeline 1/15");
    // Esc clears the query; Esc on the empty one gives the keys to the timeline.
    t.send("\x1b");
    t.wait_text("Timeline 15/15");
    std::thread::sleep(Duration::from_millis(150));
    t.send("\x1b");
    t.wait_text("r region");
    t.typ("r");
    t.wait_text("Timeline 7/15 | Japan");
    t.typ("?");
    t.wait_text("┌ Keys");
    t.typ("?");
    t.typ("q");
    assert_eq!(
        t.exit_within(Duration::from_secs(10)),
        Some(0),
        "ssh's exit status"
    );
    t.assert_restored();
    let log = server.log();
    assert!(log.contains("open 127.0.0.1:"), "{log}");
    assert!(log.contains("key none") && log.contains(": quit"), "{log}");
    // What a visitor typed never reaches the log.
    assert!(!log.contains("kobe"), "{log}");
    assert_eq!(server.stop(), Some(0));
}

#[test]
fn the_layout_follows_the_visitors_window_and_japanese_comes_from_lang() {
    if !have_ssh() {
        return;
    }
    let dir = tempdir();
    let server = Server::start(dir.path(), &[]);
    let mut t = server.visit(120, 40, &["-o", "SetEnv=LANG=ja_JP.UTF-8"]);
    // Side by side at 120 columns: the timeline's and the detail's borders meet.
    let wide = t.wait_text("年表 15/15");
    assert!(wide.lines().any(|l| l.contains("││")), "{wide}");
    t.resize(80, 30);
    let narrow = t.wait_for("stacked at 80 columns", |s| {
        s.lines().any(|l| l.starts_with("┌ 年表")) && !s.lines().any(|l| l.contains("││"))
    });
    assert!(
        narrow
            .lines()
            .next()
            .is_some_and(|l| l.chars().count() <= 80)
    );
    t.resize(120, 40);
    t.wait_for("side by side again", |s| {
        s.lines().any(|l| l.contains("││"))
    });
    // Ctrl-C quits from the search bar, where the visitor starts.
    t.send("\x03");
    assert_eq!(t.exit_within(Duration::from_secs(10)), Some(0));
    t.assert_restored();
}

#[test]
fn read_only_commands_answer_without_a_terminal() {
    if !have_ssh() {
        return;
    }
    let dir = tempdir();
    let server = Server::start(dir.path(), &[]);
    let show = server.run(None, &["show", "kobe"]);
    assert_eq!(show.status.code(), Some(0), "{}", text(&show.stderr));
    assert!(
        text(&show.stdout).contains("Foundation for Biomedical Research and Innovation at Kobe")
    );
    let json = server.run(None, &["search", "横浜", "--json"]);
    assert!(
        text(&json.stdout).contains("\"id\": \"yokohama\""),
        "{}",
        text(&json.stdout)
    );
    let europe = server.run(None, &["list", "--region", "europe"]);
    assert!(text(&europe.stdout).contains("Medicen Paris Region"));
}

#[test]
fn everything_but_the_commands_is_refused_and_the_server_goes_on() {
    if !have_ssh() {
        return;
    }
    let dir = tempdir();
    let server = Server::start(dir.path(), &[]);
    refuse_command_lines(&server);
    refuse_forwarding_and_sftp(&server, dir.path());
    // Still serving.
    let again = server.run(None, &["show", "ucla"]);
    assert_eq!(again.status.code(), Some(0));
    assert!(text(&again.stdout).contains("Los Angeles"));
}

/// Anything but a read-only command: one line on stderr, exit status 2, nothing run.
fn refuse_command_lines(server: &Server) {
    for refused in [
        &["sh"][..],
        &["list; id"],
        &["--", "--data", "/etc/passwd"],
        &["gen", "--count", "3"],
        &["serve"],
    ] {
        let out = server.run(None, refused);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{refused:?}: {}",
            text(&out.stderr)
        );
        let err = text(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{refused:?}: one line, got {err:?}");
        assert!(err.starts_with("linkj: "), "{err}");
        assert!(out.stdout.is_empty(), "{refused:?}");
    }
}

/// Port forwarding of either direction, stdio forwarding and sftp: the protocol's
/// refusal.
fn refuse_forwarding_and_sftp(server: &Server, dir: &Path) {
    let w = Command::new("ssh")
        .args(server.ssh_args(None))
        .args(["-W", "127.0.0.1:9", "127.0.0.1"])
        .stdin(Stdio::null())
        .output()
        .expect("ssh -W");
    assert_ne!(w.status.code(), Some(0), "stdio forwarding must be refused");
    let r = server.run(
        None,
        &[
            "-o",
            "ExitOnForwardFailure=yes",
            "-R",
            "0:127.0.0.1:9",
            "show",
            "kobe",
        ],
    );
    assert_ne!(
        r.status.code(),
        Some(0),
        "remote forwarding must be refused"
    );
    let sftp = Command::new("sftp")
        .args([
            "-F",
            "/dev/null",
            "-b",
            "-",
            "-o",
            "BatchMode=yes",
            "-o",
            "PubkeyAuthentication=no",
        ])
        .arg("-o")
        .arg(format!(
            "UserKnownHostsFile={}",
            dir.join("known_hosts").display()
        ))
        .args(["-P", &server.port.to_string(), "127.0.0.1"])
        .stdin(Stdio::null())
        .output();
    if let Ok(sftp) = sftp {
        assert_ne!(sftp.status.code(), Some(0), "sftp must be refused");
    }
}

/// A fresh key pair for a visitor, made by ssh-keygen.
fn keypair(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let ok = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&path)
        .status()
        .expect("ssh-keygen")
        .success();
    assert!(ok);
    path
}

#[test]
fn only_listed_keys_get_in_and_the_host_key_survives_a_restart() {
    if !have_ssh() {
        return;
    }
    let dir = tempdir();
    let (listed, other) = (keypair(dir.path(), "listed"), keypair(dir.path(), "other"));
    let authorized = dir.path().join("authorized_keys");
    std::fs::copy(listed.with_extension("pub"), &authorized).expect("authorized_keys");
    let server = Server::start(
        dir.path(),
        &["--authorized-keys", authorized.to_str().expect("path")],
    );
    let first = server.fingerprint.clone();
    assert!(first.starts_with("SHA256:"), "{first}");
    let ok = server.run(Some(&listed), &["show", "kobe"]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    let no = server.run(Some(&other), &["show", "kobe"]);
    assert_eq!(no.status.code(), Some(255));
    assert!(no.stdout.is_empty());
    // No password is ever asked: the refusal names only public keys.
    assert!(
        !text(&no.stderr).to_lowercase().contains("password"),
        "{}",
        text(&no.stderr)
    );
    assert!(server.log().contains("key SHA256:"), "{}", server.log());
    drop(server);
    let again = Server::start(dir.path(), &[]);
    assert_eq!(again.fingerprint, first, "the host key is kept");
}

#[test]
fn past_a_limit_a_visitor_gets_one_readable_line_and_idle_sessions_close() {
    if !have_ssh() {
        return;
    }
    let dir = tempdir();
    let server = Server::start(dir.path(), &["--max-per-ip", "2", "--idle-timeout", "2s"]);
    let a = server.visit(80, 24, &[]);
    let b = server.visit(80, 24, &[]);
    a.wait_text("Timeline");
    b.wait_text("Timeline");
    let third = server.run(None, &["show", "kobe"]);
    assert_ne!(third.status.code(), Some(0));
    assert!(
        text(&third.stderr).contains("at most 2 sessions from one address"),
        "{}",
        text(&third.stderr)
    );
    // Two seconds without input: both sessions close, terminals restored.
    let (mut a, mut b) = (a, b);
    assert_eq!(a.exit_within(Duration::from_secs(10)), Some(0));
    assert_eq!(b.exit_within(Duration::from_secs(10)), Some(0));
    a.assert_restored();
    assert!(server.log().contains(": idle"), "{}", server.log());
    // Their places are free again.
    let after = server.run(None, &["show", "kobe"]);
    assert_eq!(after.status.code(), Some(0), "{}", text(&after.stderr));
}

#[test]
fn twenty_visitors_see_only_their_own_results_and_abrupt_exits_free_their_places() {
    if !have_ssh() {
        return;
    }
    let dir = tempdir();
    let server = Server::start(dir.path(), &["--max-per-ip", "64"]);
    let queries = [
        "kobe",
        "ucla",
        "medcity",
        "osaka",
        "kyoto",
        "biocom",
        "krp",
        "ucsd",
        "oxford",
        "medicen",
        "kanagawa",
        "kawasaki",
        "nucleus",
        "eurobiomed",
        "iab",
        "boston",
        "tokyo",
        "yokohama",
        "paris",
        "sandiego",
    ];
    let mut visitors: Vec<Term> = queries.iter().map(|_| server.visit(100, 30, &[])).collect();
    for t in &visitors {
        t.wait_text("Timeline");
    }
    for (t, q) in visitors.iter_mut().zip(queries) {
        t.typ(q);
    }
    for (t, q) in visitors.iter().zip(queries) {
        let s = t.wait_text(&format!("/ {q}"));
        for other in queries.iter().filter(|o| **o != q && !q.contains(**o)) {
            assert!(
                !s.contains(&format!("/ {other} ")),
                "{q}'s screen shows {other}'s query:\n{s}"
            );
        }
    }
    // Killed clients, not a clean quit.
    for t in &mut visitors {
        t.hang_up();
    }
    drop(visitors);
    let freed = (0..100).any(|_| {
        std::thread::sleep(Duration::from_millis(100));
        let log = server.log();
        log.matches("close 127.0.0.1").count() == log.matches("open 127.0.0.1").count()
    });
    assert!(freed, "not every connection closed:\n{}", server.log());
    let after = server.run(None, &["show", "kobe"]);
    assert_eq!(after.status.code(), Some(0));
}

/// `ssh -N` from `source` (a loopback address): a connection that holds a place and
/// opens no channel.
fn hold(server: &Server, source: &str) -> Child {
    Command::new("ssh")
        .args(server.ssh_args(None))
        .args(["-N", "-b", source, "127.0.0.1"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("ssh -N")
}

/// Waits until the server's log shows `n` connections opened.
fn wait_opened(server: &Server, n: usize) {
    let ok = (0..200).any(|_| {
        std::thread::sleep(Duration::from_millis(50));
        server.log().matches("open 127.0.0.").count() >= n
    });
    assert!(ok, "{n} connections not seen:\n{}", server.log());
}

#[test]
fn the_ninth_from_one_address_and_the_sixty_fifth_in_all_are_turned_away() {
    if !have_ssh() {
        return;
    }
    let dir = tempdir();
    let server = Server::start(dir.path(), &[]);
    // Eight from 127.0.0.1 (the default per address), then the ninth.
    let mut held: Vec<Child> = (0..8).map(|_| hold(&server, "127.0.0.1")).collect();
    wait_opened(&server, 8);
    std::thread::sleep(Duration::from_millis(300));
    let ninth = server.run(None, &["show", "kobe"]);
    assert_ne!(ninth.status.code(), Some(0));
    assert!(
        text(&ninth.stderr).contains("at most 8 sessions from one address"),
        "{}",
        text(&ninth.stderr)
    );
    // Up to 64 in all (the default) from seven more loopback addresses, then the 65th.
    for a in 2..=8 {
        held.extend((0..8).map(|_| hold(&server, &format!("127.0.0.{a}"))));
    }
    wait_opened(&server, 64 + 1);
    std::thread::sleep(Duration::from_millis(500));
    let out = Command::new("ssh")
        .args(server.ssh_args(None))
        .args(["-b", "127.0.0.9", "127.0.0.1", "show", "kobe"])
        .stdin(Stdio::null())
        .output()
        .expect("ssh");
    assert_ne!(out.status.code(), Some(0));
    assert!(
        text(&out.stderr).contains("linkj is full (64 visitors)"),
        "{}",
        text(&out.stderr)
    );
    for mut c in held {
        let _ = c.kill();
        let _ = c.wait();
    }
}

#[test]
fn a_silent_client_is_dropped_at_the_login_deadline_and_sigterm_ends_visits_cleanly() {
    if !have_ssh() {
        return;
    }
    let dir = tempdir();
    let server = Server::start(dir.path(), &["--auth-timeout", "1s"]);
    // A TCP connection that never speaks SSH.
    let mut silent = std::net::TcpStream::connect(("127.0.0.1", server.port)).expect("tcp");
    silent
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let started = std::time::Instant::now();
    let mut buf = [0u8; 256];
    // The server's version line, then the end of the connection.
    while std::io::Read::read(&mut silent, &mut buf).is_ok_and(|n| n > 0) {}
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "not dropped in time"
    );
    // The log line follows the close.
    let logged = (0..40).any(|_| {
        std::thread::sleep(Duration::from_millis(50));
        server.log().contains("no login in time")
    });
    assert!(logged, "{}", server.log());

    let t = server.visit(100, 30, &[]);
    t.wait_text("Timeline");
    let status = server.stop();
    assert_eq!(status, Some(0), "the server exits 0 on SIGTERM");
    t.wait_text("linkj is shutting down");
    t.assert_restored();
}

#[test]
fn the_readmes_systemd_unit_verifies() {
    let readme = include_str!("../README.md");
    let start = readme
        .find("```ini\n[Unit]")
        .expect("the unit in README.md")
        + "```ini\n".len();
    let unit = &readme[start..start + readme[start..].find("```").expect("end of unit")];
    assert!(
        unit.contains("ExecStart=/usr/local/bin/linkj serve"),
        "{unit}"
    );
    let Ok(v) = Command::new("systemd-analyze").arg("--version").output() else {
        eprintln!("SKIPPED: no systemd-analyze to verify the README's unit");
        return;
    };
    assert!(v.status.success());
    let dir = tempdir();
    let path = dir.path().join("linkj.service");
    // The installed path is the binary built for this test.
    std::fs::write(
        &path,
        unit.replace("/usr/local/bin/linkj", env!("CARGO_BIN_EXE_linkj")),
    )
    .expect("write unit");
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&path)
        .output()
        .expect("systemd-analyze");
    let err = text(&out.stderr);
    assert!(
        out.status.success() && !err.contains("linkj.service"),
        "systemd-analyze verify: {err}"
    );
}

#[test]
fn a_query_with_a_terminal_opens_the_browser_with_it_typed() {
    if !have_ssh() {
        return;
    }
    let dir = tempdir();
    let server = Server::start(dir.path(), &[]);
    let mut t = server.visit_with(120, 40, &[], &["kobe"]);
    let s = t.wait_text("Timeline 1/15");
    assert!(s.contains("/ kobe"), "{s}");
    // Tab gives the keys to the timeline, where q quits.
    t.send("\t");
    t.wait_text("q quit");
    t.typ("q");
    assert_eq!(t.exit_within(Duration::from_secs(10)), Some(0));
    t.assert_restored();
}

/// The debug build's LINKJ_TEST_PANIC makes the first key of every visitor panic.
#[test]
fn a_panic_ends_that_visitor_only_and_the_server_goes_on() {
    if !have_ssh() {
        return;
    }
    let dir = tempdir();
    let server = Server::start_env(dir.path(), &[], &[("LINKJ_TEST_PANIC", "1")]);
    let mut t = server.visit(100, 30, &[]);
    t.wait_text("Timeline");
    t.typ("j");
    t.wait_text("an internal error ended this session");
    assert!(t.exit_within(Duration::from_secs(10)).is_some());
    t.assert_restored();
    let logged = (0..40).any(|_| {
        std::thread::sleep(Duration::from_millis(50));
        server.log().contains(": internal error")
    });
    assert!(logged, "{}", server.log());
    let after = server.run(None, &["show", "kobe"]);
    assert_eq!(after.status.code(), Some(0), "the server still serves");
}
