//! The interactive loop: read an event, map it to an action, update, draw. Also owns the
//! terminal: whatever happens (quit, error, panic) the terminal is put back as it was.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event, MouseButton, MouseEventKind,
};
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend};

use crate::action::Action;
use crate::data::{Lang, Loaded};
use crate::keymap::{self, Mode};
use crate::model::Model;
use crate::update::update;

/// How the browser starts. The default: English, no mouse capture, no colour, no
/// query, the usual chrome and palette, statuses as of today.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Display language.
    pub lang: Lang,
    /// Capture the mouse (off leaves the terminal's own text selection working).
    pub mouse: bool,
    /// Use colours.
    pub color: bool,
    /// A query typed before the first frame.
    pub query: Option<String>,
    /// ASCII-only chrome (borders, ellipsis, scrollbar), for terminals that draw
    /// East-Asian-ambiguous characters two cells wide.
    pub plain: bool,
    /// The light palette, for light terminal backgrounds.
    pub light: bool,
    /// The day statuses are computed for (`--as-of`); today when `None`.
    pub as_of: Option<chrono::NaiveDate>,
}

/// Lines the mouse wheel moves per notch.
const WHEEL_STEP: i32 = 3;
/// How often the list is redrawn while a large search fills it in.
pub const PARTIAL_FRAME: Duration = Duration::from_millis(40);

/// Maps a terminal event to an action for the current mode.
pub fn action_for_event(mode: Mode, ev: Event) -> Option<Action> {
    match ev {
        Event::Key(k) => keymap::action_for(mode, &k),
        Event::Paste(s) if mode != Mode::Help => Some(Action::Paste(s)),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        Event::Mouse(me) => match me.kind {
            MouseEventKind::ScrollDown => Some(Action::Scroll {
                x: me.column,
                y: me.row,
                delta: WHEEL_STEP,
            }),
            MouseEventKind::ScrollUp => Some(Action::Scroll {
                x: me.column,
                y: me.row,
                delta: -WHEEL_STEP,
            }),
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
                x: me.column,
                y: me.row,
            }),
            _ => None,
        },
        _ => None,
    }
}

/// Builds the model the browser starts with.
pub fn initial_model(data: Loaded, size: (u16, u16), opts: &Options) -> Model {
    let mut m = Model::new(data, size);
    m.lang = opts.lang;
    m.color = opts.color;
    m.plain = opts.plain;
    m.light = opts.light;
    if let Some(d) = opts.as_of {
        m.today = d;
    }
    if let Some(q) = &opts.query {
        update(&mut m, Action::Paste(q.clone()));
        update(&mut m, Action::AcceptSearch);
    }
    crate::update::fix_view(&mut m);
    m
}

/// What the loop gets when it asks for input.
#[derive(Debug)]
pub enum Input {
    /// A terminal event.
    Event(Event),
    /// Nothing waiting (only when asked not to block): time for background work.
    Idle,
    /// Stop now (a signal or a hang-up).
    Stop,
}

/// Runs the event loop on any backend until the user quits or `next_input` says stop.
/// `next_input(block)` waits for input when `block`; otherwise it returns
/// [`Input::Idle`] at once when there is none, and the loop scores the next slice of a
/// large search: typing is never held up by matching. After each frame, the sequences
/// the model queued for the terminal (OSC 52 copies) go to `send`.
pub fn event_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    model: &mut Model,
    mut next_input: impl FnMut(bool) -> io::Result<Input>,
    mut send: impl FnMut(&str) -> io::Result<()>,
) -> io::Result<()>
where
    B::Error: Into<io::Error>,
{
    let mut last_frame: Option<std::time::Instant> = None;
    loop {
        // While a large search fills the list in, a frame every PARTIAL_FRAME is
        // enough to watch it; every other change is drawn at once.
        let partial_due = last_frame.is_none_or(|t| t.elapsed() >= PARTIAL_FRAME);
        if !model.search_pending() || partial_due || model.quit {
            terminal
                .draw(|f| crate::ui::render(model, f))
                .map_err(Into::into)?;
            last_frame = Some(std::time::Instant::now());
        }
        for seq in std::mem::take(&mut model.outbox) {
            send(&seq)?;
        }
        if model.quit {
            return Ok(());
        }
        let ev = match next_input(!model.search_pending())? {
            Input::Stop => return Ok(()),
            Input::Idle => {
                model.step_search();
                continue;
            }
            Input::Event(ev) => {
                // Whatever the event does is shown at once.
                last_frame = None;
                ev
            }
        };
        // Debug builds only: lets the end-to-end tests prove a panic restores the terminal.
        #[cfg(debug_assertions)]
        if matches!(ev, Event::Key(_)) && std::env::var_os("LINKJ_TEST_PANIC").is_some() {
            panic!("LINKJ_TEST_PANIC is set: panicking on the first key, as asked");
        }
        if let Some(action) = action_for_event(model.mode(), ev) {
            update(model, action);
        }
    }
}

fn restore_terminal() {
    let _ = terminal::disable_raw_mode();
    let mut out = io::stdout();
    let _ = execute!(
        out,
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = out.flush();
}

/// Restores the terminal when dropped, so early returns and errors leave it clean.
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// How often the loop wakes to check for a termination signal.
const SIGNAL_POLL: Duration = Duration::from_millis(100);
/// How long the watchdog lets the loop take to leave on its own after a signal or hangup.
const GRACE: Duration = Duration::from_millis(500);

/// Watches for a hung-up terminal and for a loop that does not leave after a signal.
///
/// When the terminal goes away (SSH dropped, tmux window killed) crossterm's reader
/// sees end-of-file and spins inside its own loop, never returning to ours; SIGHUP may
/// not even be sent when linkj is not the session leader. So a thread polls stdin for
/// POLLHUP, records it as SIGHUP, and if the loop has not left within [`GRACE`], puts
/// the terminal back as far as it still can and exits.
fn spawn_watchdog(signal: Arc<AtomicUsize>) {
    std::thread::spawn(move || {
        let mut since: Option<std::time::Instant> = None;
        loop {
            let mut pfd = libc::pollfd {
                fd: libc::STDIN_FILENO,
                events: 0,
                revents: 0,
            };
            // SAFETY: one valid pollfd, count 1; poll only writes `revents`.
            let n = unsafe { libc::poll(&mut pfd, 1, SIGNAL_POLL.as_millis() as libc::c_int) };
            if n > 0 && pfd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
                let _ = signal.compare_exchange(
                    0,
                    signal_hook::consts::SIGHUP as usize,
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                );
            }
            let sig = signal.load(Ordering::Relaxed);
            if sig != 0 {
                let t = since.get_or_insert_with(std::time::Instant::now);
                if t.elapsed() >= GRACE {
                    restore_terminal();
                    std::process::exit(128 + i32::try_from(sig).unwrap_or(1));
                }
                if n <= 0 {
                    continue;
                }
                // A hung-up fd reports POLLHUP at once; do not spin on it.
                std::thread::sleep(SIGNAL_POLL);
            }
        }
    });
}

/// Opens the full-screen browser on the real terminal. Returns the signal number when
/// a signal (SIGTERM, SIGHUP, SIGINT, SIGQUIT) ended it; the terminal is restored
/// either way.
pub fn run(data: Loaded, opts: Options) -> io::Result<Option<i32>> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    let signal = Arc::new(AtomicUsize::new(0));
    for sig in [SIGTERM, SIGHUP, SIGINT, SIGQUIT] {
        signal_hook::flag::register_usize(sig, signal.clone(), sig as usize)?;
    }
    spawn_watchdog(signal.clone());
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous(info);
    }));
    terminal::enable_raw_mode()?;
    let _guard = TerminalGuard;
    let mut out = io::stdout();
    // Clear directly: ratatui's Terminal::clear asks the terminal for the cursor position,
    // a round trip some terminals never answer.
    execute!(
        out,
        EnterAlternateScreen,
        EnableBracketedPaste,
        terminal::Clear(terminal::ClearType::All)
    )?;
    if opts.mouse {
        execute!(out, EnableMouseCapture)?;
    }
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let size = terminal.size()?;
    let mut model = initial_model(data, (size.width, size.height), &opts);
    model.tmux = std::env::var_os("TMUX").is_some_and(|v| !v.is_empty());
    let caught = || match signal.load(Ordering::Relaxed) {
        0 => None,
        n => i32::try_from(n).ok(),
    };
    let result = event_loop(
        &mut terminal,
        &mut model,
        |block| {
            loop {
                if caught().is_some() {
                    return Ok(Input::Stop);
                }
                if !block {
                    return Ok(if event::poll(Duration::ZERO)? {
                        Input::Event(event::read()?)
                    } else {
                        Input::Idle
                    });
                }
                if event::poll(SIGNAL_POLL)? {
                    return event::read().map(Input::Event);
                }
            }
        },
        |seq| {
            let mut out = io::stdout();
            out.write_all(seq.as_bytes())?;
            out.flush()
        },
    );
    // ratatui's Terminal shows the cursor when dropped and reports a failure with
    // eprintln!, which panics when stderr is a terminal that hung up. Show it here; if
    // the terminal is gone, skip that drop (the guard still restores what it can).
    if terminal.show_cursor().is_err() {
        std::mem::forget(terminal);
    }
    match (result, caught()) {
        // Writing to a terminal that hung up fails; that is the hangup, not an error.
        (_, Some(sig)) => Ok(Some(sig)),
        (Ok(()), None) => Ok(None),
        (Err(e), None) => Err(e),
    }
}
