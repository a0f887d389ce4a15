//! Runs the real `linkj` binary in a pseudo-terminal and reads the screen through a
//! terminal emulator (vt100), the way a user sees it.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// The OSC 52 payloads (base64) in what was written.
pub fn osc52_payloads(raw: &[u8]) -> Vec<String> {
    let s = String::from_utf8_lossy(raw);
    s.match_indices("\x1b]52;c;")
        .map(|(i, intro)| {
            let rest = &s[i + intro.len()..];
            rest[..rest.find('\x07').expect("BEL")].to_string()
        })
        .collect()
}

/// A running linkj in a PTY.
pub struct Term {
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<Box<dyn Write + Send>>,
    child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    stop_reader: Arc<std::sync::atomic::AtomicBool>,
    reader_thread: Option<std::thread::JoinHandle<()>>,
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n.max(1)).unwrap_or(std::num::NonZeroU16::MIN)
}

const TIMEOUT: Duration = Duration::from_secs(15);

impl Term {
    /// Starts linkj with `args` at `cols`x`rows`.
    pub fn start(args: &[&str], cols: u16, rows: u16) -> Term {
        Term::start_env(args, cols, rows, &[])
    }

    /// Starts linkj with extra environment variables.
    pub fn start_env(args: &[&str], cols: u16, rows: u16, env: &[(&str, &str)]) -> Term {
        Term::start_with(None, args, cols, rows, env, None)
    }

    /// Starts another program (the ssh client) in the pseudo-terminal.
    pub fn start_program(program: &str, args: &[&str], cols: u16, rows: u16) -> Term {
        Term::start_with(Some(program), args, cols, rows, &[], None)
    }

    /// Starts linkj with its address space capped at `cap_kib` KiB (`ulimit -v`).
    pub fn start_capped(args: &[&str], cols: u16, rows: u16, cap_kib: u64) -> Term {
        Term::start_with(None, args, cols, rows, &[], Some(cap_kib))
    }

    fn start_with(
        program: Option<&str>,
        args: &[&str],
        cols: u16,
        rows: u16,
        env: &[(&str, &str)],
        cap_kib: Option<u64>,
    ) -> Term {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = match (cap_kib, std::env::var("LINKJ_TEST_STDERR")) {
            _ if program.is_some() => {
                let mut c = CommandBuilder::new(program.unwrap_or_default());
                c.args(args);
                c
            }
            // Through sh, which sets the limit and then becomes linkj.
            (Some(kib), _) => {
                let mut c = CommandBuilder::new("sh");
                c.args([
                    "-c",
                    &format!("ulimit -v {kib} && exec \"$0\" \"$@\""),
                    env!("CARGO_BIN_EXE_linkj"),
                ]);
                c.args(args);
                c
            }
            // Debugging aid: run through sh to send stderr to a file.
            (None, Ok(path)) => {
                let mut c = CommandBuilder::new("sh");
                let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
                c.args([
                    "-c",
                    &format!(
                        "exec '{}' {} 2>'{path}'",
                        env!("CARGO_BIN_EXE_linkj"),
                        quoted.join(" ")
                    ),
                ]);
                c
            }
            (None, Err(_)) => {
                let mut c = CommandBuilder::new(env!("CARGO_BIN_EXE_linkj"));
                c.args(args);
                c
            }
        };
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        // Not the config file of whoever runs the tests.
        cmd.env("LINKJ_CONFIG", "/dev/null");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn linkj");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(rows), nz(cols), 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (parser.clone(), raw.clone());
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stop_reader = stop.clone();
        let fd = pair.master.as_raw_fd().expect("master fd");
        let reader_thread = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                // Poll first so the thread can be told to stop and drop its copy of the
                // master (a hang-up needs every copy closed).
                let mut pfd = libc::pollfd {
                    fd,
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: one valid pollfd on the master, which outlives this thread.
                let n = unsafe { libc::poll(&mut pfd, 1, 20) };
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                if n <= 0 {
                    continue;
                }
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        r.lock().expect("raw").extend_from_slice(&buf[..n]);
                        p.lock().expect("parser").process(&buf[..n]);
                    }
                }
            }
        });
        Term {
            master: Some(pair.master),
            writer: Some(writer),
            child,
            parser,
            raw,
            stop_reader,
            reader_thread: Some(reader_thread),
        }
    }

    /// Sends bytes as if typed.
    pub fn send(&mut self, s: &str) {
        let w = self.writer.as_mut().expect("terminal still open");
        w.write_all(s.as_bytes()).expect("write");
        w.flush().expect("flush");
    }

    /// Types text one key at a time, pausing so no two keys arrive as one sequence.
    pub fn typ(&mut self, s: &str) {
        for c in s.chars() {
            self.send(c.encode_utf8(&mut [0; 4]));
            std::thread::sleep(Duration::from_millis(15));
        }
    }

    /// Pastes text with bracketed paste markers, as a terminal does.
    pub fn paste(&mut self, s: &str) {
        self.send(&format!("\x1b[200~{s}\x1b[201~"));
    }

    /// The screen as text.
    pub fn screen(&self) -> String {
        self.parser.lock().expect("parser").screen().contents()
    }

    /// Runs `f` on the emulated screen.
    pub fn with_screen<T>(&self, f: impl FnOnce(&vt100::Screen) -> T) -> T {
        f(self.parser.lock().expect("parser").screen())
    }

    /// Every byte linkj has written so far.
    pub fn bytes_written(&self) -> usize {
        self.raw.lock().expect("raw").len()
    }

    /// A copy of every byte written so far.
    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().expect("raw").clone()
    }

    /// Waits until the screen satisfies `pred`, or fails with the screen.
    pub fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            if start.elapsed() > TIMEOUT {
                panic!("timed out waiting for {what}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the screen contains `text`.
    pub fn wait_text(&self, text: &str) -> String {
        self.wait_for(text, |s| s.contains(text))
    }

    /// Waits until no output has arrived for a while.
    pub fn settle(&self) {
        let mut last = self.bytes_written();
        let mut quiet = Instant::now();
        let start = Instant::now();
        while quiet.elapsed() < Duration::from_millis(150) && start.elapsed() < TIMEOUT {
            std::thread::sleep(Duration::from_millis(20));
            let now = self.bytes_written();
            if now != last {
                last = now;
                quiet = Instant::now();
            }
        }
    }

    /// Resizes the terminal (the program gets SIGWINCH).
    pub fn resize(&mut self, cols: u16, rows: u16) {
        // The emulator first, so output drawn for the new size lands on a screen of it.
        self.parser
            .lock()
            .expect("parser")
            .set_size(nz(rows), nz(cols));
        self.master
            .as_ref()
            .expect("terminal still open")
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize");
        self.parser
            .lock()
            .expect("parser")
            .set_size(nz(rows), nz(cols));
    }

    /// Closes the terminal under the program, like a dropped SSH connection or a killed
    /// tmux window.
    pub fn hang_up(&mut self) {
        self.stop_reader
            .store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(t) = self.reader_thread.take() {
            let _ = t.join();
        }
        self.writer = None;
        self.master = None;
    }

    /// The child's process id.
    pub fn pid(&self) -> i32 {
        self.child.process_id().expect("pid") as i32
    }

    /// Waits for linkj to exit and returns its exit code.
    pub fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                // Let the reader drain what was written last.
                std::thread::sleep(Duration::from_millis(100));
                return status.exit_code();
            }
            if start.elapsed() > TIMEOUT {
                let _ = self.child.kill();
                panic!("linkj did not exit; screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits up to `limit` for linkj to exit: its exit code, or `None` if still running.
    pub fn exit_within(&mut self, limit: Duration) -> Option<u32> {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                std::thread::sleep(Duration::from_millis(100));
                return Some(status.exit_code());
            }
            if start.elapsed() > limit {
                return None;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// The process state letter from `/proc` (`T` when stopped), where there is one.
    pub fn proc_state(&self) -> Option<char> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid())).ok()?;
        // The state follows the command name, which is in parentheses.
        stat.rsplit_once(") ")?.1.chars().next()
    }

    /// Waits until the process state is `state` (Linux `/proc`); false if it never is.
    pub fn wait_state(&self, state: char) -> bool {
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            match self.proc_state() {
                Some(s) if s == state => return true,
                None => return false,
                _ => std::thread::sleep(Duration::from_millis(10)),
            }
        }
        false
    }

    /// Whether the PTY is in canonical mode with echo (raw mode off).
    pub fn cooked(&self) -> Option<bool> {
        let fd = self.master.as_ref()?.as_raw_fd()?;
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: `fd` is the open master of our PTY; `t` is a valid termios to fill.
        if unsafe { libc::tcgetattr(fd, &mut t) } != 0 {
            return None;
        }
        Some(t.c_lflag & libc::ICANON != 0 && t.c_lflag & libc::ECHO != 0)
    }

    /// Asserts the terminal is back to normal: main screen, cursor visible, no mouse
    /// reporting, no bracketed paste, and (where the PTY tells) raw mode off.
    pub fn assert_restored(&self) {
        self.with_screen(|s| {
            assert!(!s.alternate_screen(), "still on the alternate screen");
            assert!(!s.hide_cursor(), "cursor still hidden");
            assert_eq!(
                s.mouse_protocol_mode(),
                vt100::MouseProtocolMode::None,
                "mouse capture still on"
            );
            assert!(!s.bracketed_paste(), "bracketed paste still on");
        });
        if let Some(cooked) = self.cooked() {
            assert!(cooked, "raw mode still on");
        }
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
