//! One visitor's browser: a [`Session`] of their own on the shared catalog, driven by
//! the same event loop as the local terminal, with the SSH channel as its front-end.
//! It runs on a thread of its own (the loop blocks between keys); frames go out one at
//! a time, each awaited, so a visitor who stops reading holds one frame, never a
//! growing queue.

use std::collections::VecDeque;
use std::io;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossterm::event::Event;
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use russh::ChannelId;

use super::input::Decoder;
use super::link::Probe;
use crate::app::{Front, Input, Options, RESTORE_BYTES, event_loop, initial_session};
use crate::catalog::Catalog;

/// What the connection tells a visitor's browser.
#[derive(Debug)]
pub enum ToVisitor {
    /// Bytes the visitor typed.
    Data(Vec<u8>),
    /// Their window changed size: the newest size is in [`Start::size`] (a message
    /// dropped from a full queue never loses the last size).
    Resize,
    /// Their client closed the channel.
    Closed,
}

/// How often a busy link is asked whether it has drained, and how long a frame waits
/// for it at most.
const LINK_POLL: Duration = Duration::from_millis(5);
const LINK_WAIT: Duration = Duration::from_secs(2);

/// How long a lone Esc waits for the rest of a sequence.
const ESC_WAIT: Duration = Duration::from_millis(30);

/// Enter the alternate screen, bracketed paste and SGR mouse reporting, and clear.
const TAKE_BYTES: &[u8] = b"\x1b[?1049h\x1b[?2004h\x1b[?1000h\x1b[?1002h\x1b[?1006h\x1b[2J";

/// Writes to the visitor's channel from their (blocking) thread.
#[derive(Clone)]
pub struct Out {
    /// The runtime the connection runs on.
    pub rt: tokio::runtime::Handle,
    /// The connection.
    pub handle: russh::server::Handle,
    /// The session channel.
    pub channel: ChannelId,
    /// The visitor has a terminal (in raw mode: a line ends in CR LF).
    pub pty: bool,
}

impl Out {
    /// Sends `bytes` and waits until the connection has taken them.
    pub fn send(&self, bytes: Vec<u8>) -> io::Result<()> {
        self.rt
            .block_on(self.handle.data(self.channel, bytes))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the visitor has left"))
    }

    /// Sends a line on the visitor's stderr.
    pub fn say(&self, line: &str) {
        let end = if self.pty { "\r\n" } else { "\n" };
        let bytes = format!("{line}{end}").into_bytes();
        let _ = self
            .rt
            .block_on(self.handle.extended_data(self.channel, 1, bytes));
    }

    /// Answers a command: `text` on the visitor's stdout (CR LF line ends when they
    /// have a terminal, whose tty is raw), then the exit status.
    pub fn answer(&self, text: &str, status: u32) {
        if !text.is_empty() {
            let text = if self.pty {
                text.replace('\n', "\r\n")
            } else {
                text.to_string()
            };
            let _ = self.send(text.into_bytes());
        }
        self.finish(status);
    }

    /// Ends the channel with an exit status, as a command that finished.
    pub fn finish(&self, status: u32) {
        let (h, c) = (&self.handle, self.channel);
        self.rt.block_on(async {
            let _ = h.exit_status_request(c, status).await;
            let _ = h.eof(c).await;
            let _ = h.close(c).await;
        });
    }
}

/// ratatui's crossterm backend writing into a buffer that each flush sends to the
/// visitor. The size is the visitor's (never this server's terminal, which there may
/// not be), and the cursor is never asked for.
struct Screen {
    inner: CrosstermBackend<Sink>,
    size: Arc<Mutex<(u16, u16)>>,
}

/// Collects a frame's bytes; a flush sends them as one write.
struct Sink {
    buf: Vec<u8>,
    out: Out,
}

impl io::Write for Sink {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let frame = std::mem::replace(&mut self.buf, Vec::with_capacity(16 * 1024));
        self.out.send(frame)
    }
}

impl Screen {
    fn size_now(&self) -> Size {
        let (w, h) = self.size.lock().map_or((80, 24), |s| *s);
        Size::new(w, h)
    }
}

impl Backend for Screen {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.inner.draw(content)
    }
    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(Position::ORIGIN)
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> io::Result<Size> {
        Ok(self.size_now())
    }
    fn window_size(&mut self) -> io::Result<WindowSize> {
        Ok(WindowSize {
            columns_rows: self.size_now(),
            pixels: Size::new(0, 0),
        })
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The channel as the event loop's front-end.
struct Channel {
    rx: Receiver<ToVisitor>,
    decoder: Decoder,
    ready: VecDeque<Input>,
    size: Arc<Mutex<(u16, u16)>>,
    out: Out,
    probe: Arc<Probe>,
    idle: Duration,
    last_input: Instant,
    stopping: Arc<std::sync::atomic::AtomicBool>,
    /// Why the loop was told to stop, for the visitor's last line and the log.
    ended: Option<&'static str>,
}

impl Channel {
    /// Takes one message (waiting up to `wait`), turning it into inputs.
    fn pump(&mut self, wait: Duration) -> Result<(), RecvTimeoutError> {
        let msg = if wait.is_zero() {
            self.rx.try_recv().map_err(|e| match e {
                std::sync::mpsc::TryRecvError::Empty => RecvTimeoutError::Timeout,
                std::sync::mpsc::TryRecvError::Disconnected => RecvTimeoutError::Disconnected,
            })?
        } else {
            self.rx.recv_timeout(wait)?
        };
        match msg {
            ToVisitor::Data(bytes) => {
                self.last_input = Instant::now();
                let events = self.decoder.feed(&bytes);
                self.ready.extend(events.into_iter().map(Input::Event));
            }
            ToVisitor::Resize => {
                let (w, h) = self.size.lock().map_or((80, 24), |s| *s);
                self.ready.push_back(Input::Event(Event::Resize(w, h)));
            }
            ToVisitor::Closed => self.stop("client closed"),
        }
        Ok(())
    }

    fn stop(&mut self, why: &'static str) {
        self.ended.get_or_insert(why);
        self.ready.push_back(Input::Stop);
    }
}

impl Front for Channel {
    fn next_input(&mut self, block: bool) -> io::Result<Input> {
        loop {
            if let Some(input) = self.ready.pop_front() {
                return Ok(input);
            }
            if self.stopping.load(std::sync::atomic::Ordering::Relaxed) {
                self.stop("server shutting down");
                continue;
            }
            let wait = if self.decoder.holding() {
                ESC_WAIT
            } else if block {
                // Woken now and then to see whether the server is stopping.
                self.idle
                    .saturating_sub(self.last_input.elapsed())
                    .min(Duration::from_millis(250))
                    .max(Duration::from_millis(1))
            } else {
                Duration::ZERO
            };
            match self.pump(wait) {
                Ok(()) => {}
                Err(RecvTimeoutError::Disconnected) => self.stop("client closed"),
                Err(RecvTimeoutError::Timeout) if self.decoder.holding() => {
                    let events = self.decoder.flush();
                    self.ready.extend(events.into_iter().map(Input::Event));
                }
                Err(RecvTimeoutError::Timeout) if !block => return Ok(Input::Idle),
                Err(RecvTimeoutError::Timeout) => {
                    if self.last_input.elapsed() >= self.idle {
                        self.stop("idle");
                    }
                }
            }
        }
    }

    fn send(&mut self, seq: &str) -> io::Result<()> {
        self.out.send(seq.as_bytes().to_vec())
    }

    fn suspend(&mut self) -> io::Result<()> {
        // There is no shell to go back to over SSH: Ctrl-Z only redraws.
        Ok(())
    }

    fn skip_frame(&mut self) -> bool {
        // While the link still carries earlier frames, a new one would only queue
        // behind them: wait for it to drain, or for keys that change the frame anyway.
        let give_up = Instant::now() + LINK_WAIT;
        loop {
            if self.ready.is_empty() {
                let _ = self.pump(Duration::ZERO);
            }
            if !self.ready.is_empty() {
                return true;
            }
            if !self.probe.busy() || Instant::now() >= give_up {
                return false;
            }
            let _ = self.pump(LINK_POLL);
        }
    }
}

/// What a visitor's browser starts from.
pub struct Start {
    /// The shared catalog.
    pub catalog: Arc<Catalog>,
    /// Language, colour, a query typed in, the day statuses are computed for.
    pub options: Options,
    /// The visitor's terminal size, clamped; the connection updates it.
    pub size: Arc<Mutex<(u16, u16)>>,
    /// Messages from the connection.
    pub rx: Receiver<ToVisitor>,
    /// The channel.
    pub out: Out,
    /// How much output the link still carries.
    pub probe: Arc<Probe>,
    /// Idle time after which the session closes.
    pub idle: Duration,
    /// Set when the server is stopping.
    pub stopping: Arc<std::sync::atomic::AtomicBool>,
}

/// Runs a visitor's browser until they quit, leave, idle out or the server stops, and
/// tells `ended` why before the channel closes (so the connection's log line has it).
/// A panic ends this visitor only.
pub fn run(start: Start, ended_because: impl FnOnce(&'static str)) {
    let out = start.out.clone();
    let ended = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| browse(start)))
        .unwrap_or("internal error");
    // Give the visitor's terminal back whatever happened, then end the channel.
    let _ = out.send(RESTORE_BYTES.to_vec());
    match ended {
        "idle" => out.say("linkj: closed after a while without input"),
        "server shutting down" => out.say("linkj is shutting down"),
        "internal error" => out.say("linkj: an internal error ended this session"),
        _ => {}
    }
    ended_because(ended);
    out.finish(0);
}

fn browse(start: Start) -> &'static str {
    let size = start.size;
    let first = size.lock().map_or((80, 24), |s| *s);
    let screen = Screen {
        inner: CrosstermBackend::new(Sink {
            buf: Vec::with_capacity(16 * 1024),
            out: start.out.clone(),
        }),
        size: Arc::clone(&size),
    };
    if start.out.send(TAKE_BYTES.to_vec()).is_err() {
        return "client closed";
    }
    let Ok(mut terminal) = Terminal::new(screen) else {
        return "internal error";
    };
    let mut session = initial_session(start.catalog, first, &start.options);
    let mut front = Channel {
        rx: start.rx,
        decoder: Decoder::default(),
        ready: VecDeque::new(),
        size,
        out: start.out,
        probe: start.probe,
        idle: start.idle,
        last_input: Instant::now(),
        stopping: start.stopping,
        ended: None,
    };
    match event_loop(&mut terminal, &mut session, &mut front) {
        Ok(()) if session.quit() => "quit",
        Ok(()) => front.ended.unwrap_or("client closed"),
        Err(_) => front.ended.unwrap_or("client closed"),
    }
}
