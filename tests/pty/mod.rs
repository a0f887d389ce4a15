//! Runs the real `linkj` binary in a pseudo-terminal and reads the screen through a
//! terminal emulator (vt100), the way a user sees it.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// A running linkj in a PTY.
pub struct Term {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
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
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_linkj"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
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
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
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
            master: pair.master,
            writer,
            child,
            parser,
            raw,
        }
    }

    /// Sends bytes as if typed.
    pub fn send(&mut self, s: &str) {
        self.writer.write_all(s.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
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

    /// Whether the PTY is in canonical mode with echo (raw mode off).
    pub fn cooked(&self) -> Option<bool> {
        let fd = self.master.as_raw_fd()?;
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
