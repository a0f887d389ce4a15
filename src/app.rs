//! The interactive loop: read an event, map it to an action, update, draw. Also owns the
//! terminal: whatever happens (quit, error, panic) the terminal is put back as it was.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crossterm::event::{
    self, EnableBracketedPaste, EnableMouseCapture, Event, MouseButton, MouseEventKind,
};
use crossterm::execute;
use crossterm::terminal::{self, EnterAlternateScreen};
use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend};

use crate::action::Action;
use crate::catalog::Catalog;
use crate::data::Lang;
use crate::keymap;
use crate::mode::Mode;
use crate::session::update::{fix_view, update};
use crate::session::{Session, Settings};

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
    /// Inside tmux (`$TMUX`): copies are wrapped for passthrough.
    pub tmux: bool,
    /// Addresses in the detail pane are OSC 8 hyperlinks (off unless the terminal
    /// takes them: [`crate::hyperlink::term_supports`], and never with `plain`).
    pub hyperlinks: bool,
    /// The keys (the standard keymap by default).
    pub keymap: Arc<keymap::Keymap>,
    /// Start in the timeline (`--start timeline`) instead of the search bar.
    pub start_in_timeline: bool,
    /// When searches run in slices and how large the slices are (sync limit, slice);
    /// tests take the sliced path on small datasets with it.
    #[doc(hidden)]
    pub slices: Option<(usize, usize)>,
}

impl Options {
    /// The session settings these options ask for.
    pub fn settings(&self) -> Settings {
        let default = Settings::default();
        let (sync_limit, slice) = self.slices.unwrap_or((default.sync_limit, default.slice));
        Settings {
            lang: self.lang,
            color: self.color,
            light: self.light,
            plain: self.plain,
            tmux: self.tmux,
            hyperlinks: self.hyperlinks && !self.plain,
            today: self.as_of.unwrap_or(default.today),
            sync_limit,
            slice,
            keymap: self.keymap.clone(),
            start_in_timeline: self.start_in_timeline,
        }
    }
}

/// Lines the mouse wheel moves per notch.
const WHEEL_STEP: i32 = 3;
/// How often the list is redrawn while a large search fills it in.
pub const PARTIAL_FRAME: Duration = Duration::from_millis(40);

/// Maps a terminal event to an action for the current mode, with the standard keymap.
pub fn action_for_event(mode: Mode, ev: Event) -> Option<Action> {
    action_for_event_in(&keymap::Keymap::default(), mode, ev)
}

/// Maps a terminal event to an action for the current mode, with `keys`.
pub fn action_for_event_in(keys: &keymap::Keymap, mode: Mode, ev: Event) -> Option<Action> {
    match ev {
        Event::Key(k) => keys.action_for(mode, &k),
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

/// The session the browser starts with, on a shared catalog: the options' settings,
/// and their query typed in (the search bar keeps the keyboard, unless the timeline is
/// asked to have it).
pub fn initial_session(catalog: Arc<Catalog>, size: (u16, u16), opts: &Options) -> Session {
    let mut s = Session::new(catalog, size, opts.settings());
    if let Some(q) = &opts.query {
        update(&mut s, Action::Paste(q.clone()));
        if opts.start_in_timeline {
            update(&mut s, Action::AcceptSearch);
        }
    }
    fix_view(&mut s);
    s
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
    /// Suspend (SIGTSTP from outside, e.g. `kill -TSTP`): as for Ctrl-Z.
    Suspend,
}

/// What the event loop needs from the terminal it runs on, besides drawing.
pub trait Front {
    /// The next input. When `block`, waits for it; otherwise returns [`Input::Idle`] at
    /// once when there is none.
    fn next_input(&mut self, block: bool) -> io::Result<Input>;
    /// Writes sequences the session queued for the terminal (OSC 52 copies).
    fn send(&mut self, seq: &str) -> io::Result<()>;
    /// Gives the terminal back and stops the process until it is continued (Ctrl-Z), then
    /// takes the terminal again; the loop redraws the whole screen afterwards.
    fn suspend(&mut self) -> io::Result<()>;
    /// Whether to skip drawing the frame now because more input is waiting, which
    /// changes it anyway (over a slow link, holding `j` must not queue a backlog of
    /// frames). A front-end may wait here for its link to drain, taking input meanwhile.
    fn skip_frame(&mut self) -> bool {
        false
    }
}

/// Runs the event loop on any backend until the user quits or the front-end says stop.
/// When no input is waiting, the loop scores the next slice of a large search: typing
/// is never held up by matching. A burst of resizes (a window being dragged) is taken
/// as its last size, drawn once.
pub fn event_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    session: &mut Session,
    front: &mut impl Front,
) -> io::Result<()>
where
    B::Error: Into<io::Error>,
{
    let mut last_frame: Option<std::time::Instant> = None;
    // An event read while coalescing resizes, handled next.
    let mut held: Option<Event> = None;
    loop {
        // While a large search fills the list in, a frame every PARTIAL_FRAME is
        // enough to watch it; every other change is drawn at once.
        let partial_due = last_frame.is_none_or(|t| t.elapsed() >= PARTIAL_FRAME);
        let due = !session.search_pending() || partial_due;
        if session.quit() || (due && !front.skip_frame()) {
            terminal
                .draw(|f| crate::ui::render(session, f))
                .map_err(Into::into)?;
            last_frame = Some(std::time::Instant::now());
        }
        for seq in session.take_outbox() {
            front.send(&seq)?;
        }
        if session.quit() {
            return Ok(());
        }
        if session.take_suspend() {
            front.suspend()?;
            // The screen was the shell's meanwhile: redraw all of it.
            let area = terminal.size().map_err(Into::into)?;
            terminal.resize(area.into()).map_err(Into::into)?;
            last_frame = None;
            continue;
        }
        let input = match held.take() {
            Some(ev) => Input::Event(ev),
            None => front.next_input(!session.search_pending())?,
        };
        let ev = match input {
            Input::Stop => return Ok(()),
            Input::Suspend => {
                update(session, Action::Suspend);
                continue;
            }
            Input::Idle => {
                update(session, Action::SearchStep);
                continue;
            }
            Input::Event(ev) => {
                // Whatever the event does is shown at once.
                last_frame = None;
                ev
            }
        };
        let Some(ev) = last_of_resizes(ev, front, session, &mut held)? else {
            return Ok(());
        };
        // Debug builds only: lets the end-to-end tests prove a panic restores the terminal.
        #[cfg(debug_assertions)]
        #[allow(clippy::panic, reason = "the panic is what the test asks for")]
        if matches!(ev, Event::Key(_)) && std::env::var_os("LINKJ_TEST_PANIC").is_some() {
            panic!("LINKJ_TEST_PANIC is set: panicking on the first key, as asked");
        }
        if let Some(action) = action_for_event_in(session.keymap(), session.mode(), ev) {
            update(session, action);
        }
    }
}

/// Puts the terminal into the browser's modes: raw, alternate screen, bracketed paste,
/// mouse capture when asked, cleared.
fn take_terminal(mouse: bool) -> io::Result<()> {
    save_termios();
    terminal::enable_raw_mode()?;
    let mut out = io::stdout();
    // Clear directly: ratatui's Terminal::clear asks the terminal for the cursor position,
    // a round trip some terminals never answer.
    execute!(
        out,
        EnterAlternateScreen,
        EnableBracketedPaste,
        terminal::Clear(terminal::ClearType::All)
    )?;
    if mouse {
        execute!(out, EnableMouseCapture)?;
    }
    Ok(())
}

fn restore_terminal() {
    let _ = terminal::disable_raw_mode();
    let mut out = io::stdout();
    let _ = out.write_all(RESTORE_BYTES);
    let _ = out.flush();
}

/// The terminal's modes before linkj changed them, for [`emergency_restore`].
static SAVED_TERMIOS: std::sync::OnceLock<libc::termios> = std::sync::OnceLock::new();

fn save_termios() {
    if SAVED_TERMIOS.get().is_some() {
        return;
    }
    // SAFETY: tcgetattr only writes the termios it is given, which is zeroed and ours.
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    if unsafe { libc::tcgetattr(libc::STDIN_FILENO, &mut t) } == 0 {
        let _ = SAVED_TERMIOS.set(t);
    }
}

/// What putting the terminal back writes: mouse modes, bracketed paste and the
/// alternate screen off, the cursor shown (crossterm's DisableMouseCapture,
/// DisableBracketedPaste, LeaveAlternateScreen and cursor::Show, as fixed bytes so
/// that a signal handler can write them too).
pub const RESTORE_BYTES: &[u8] =
    b"\x1b[?1006l\x1b[?1015l\x1b[?1003l\x1b[?1002l\x1b[?1000l\x1b[?2004l\x1b[?1049l\x1b[?25h";

/// Restores the terminal from inside a signal handler, with async-signal-safe calls
/// only (`write`, `tcsetattr`): no lock, no allocation.
fn emergency_restore() {
    // SAFETY: write and tcsetattr are async-signal-safe; the buffer and the saved
    // termios are statics that live for the whole process.
    unsafe {
        let _ = libc::write(
            libc::STDOUT_FILENO,
            RESTORE_BYTES.as_ptr().cast(),
            RESTORE_BYTES.len(),
        );
        if let Some(t) = SAVED_TERMIOS.get() {
            let _ = libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, t);
        }
    }
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

/// Signals whose default action ends the process and that linkj can take in good
/// order: the loop sees the flag, leaves, the terminal is restored, and linkj exits
/// with 128 + the signal.
const ENDING_SIGNALS: &[libc::c_int] = &[
    libc::SIGTERM,
    libc::SIGHUP,
    libc::SIGINT,
    libc::SIGQUIT,
    libc::SIGUSR1,
    libc::SIGUSR2,
    libc::SIGALRM,
    libc::SIGVTALRM,
    libc::SIGPROF,
    libc::SIGXCPU,
    libc::SIGXFSZ,
    libc::SIGIO,
    libc::SIGPWR,
    libc::SIGSYS,
    libc::SIGTRAP,
    #[cfg(target_os = "linux")]
    libc::SIGSTKFLT,
];

/// Signals that end the process at once (faults, abort on a failed allocation): there
/// is no going back to the loop, so the handler restores the terminal itself and then
/// lets the signal take its default course.
const FATAL_SIGNALS: &[libc::c_int] = &[
    libc::SIGABRT,
    libc::SIGSEGV,
    libc::SIGBUS,
    libc::SIGILL,
    libc::SIGFPE,
];

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

/// The local terminal as the loop's front-end: crossterm's events, signals as flags.
struct Local {
    /// The ending signal caught, 0 while none.
    signal: Arc<AtomicUsize>,
    /// Set by SIGTSTP from outside.
    stop: Arc<std::sync::atomic::AtomicBool>,
    mouse: bool,
}

impl Local {
    fn caught(&self) -> Option<i32> {
        match self.signal.load(Ordering::Relaxed) {
            0 => None,
            n => i32::try_from(n).ok(),
        }
    }
}

impl Front for Local {
    fn next_input(&mut self, block: bool) -> io::Result<Input> {
        loop {
            if self.caught().is_some() {
                return Ok(Input::Stop);
            }
            if self.stop.swap(false, Ordering::Relaxed) {
                return Ok(Input::Suspend);
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
    }

    fn send(&mut self, seq: &str) -> io::Result<()> {
        let mut out = io::stdout();
        out.write_all(seq.as_bytes())?;
        out.flush()
    }

    fn suspend(&mut self) -> io::Result<()> {
        restore_terminal();
        // Stops here until continued (`fg`); SIGTSTP's own default is a stop, which
        // this raises as SIGSTOP since SIGTSTP itself is caught.
        signal_hook::low_level::emulate_default_handler(libc::SIGTSTP)?;
        // A SIGTSTP that arrived while stopped is not another request to stop.
        self.stop.store(false, Ordering::Relaxed);
        take_terminal(self.mouse)
    }
}

/// Only the last of a burst of resizes matters; drawing each would hold the keys behind
/// them for as long as the terminal takes to show every frame. Returns the event to
/// handle (the last size, or `ev` itself), keeping the one that ended the burst in
/// `held`; `None` when the front-end said stop.
fn last_of_resizes(
    mut ev: Event,
    front: &mut impl Front,
    session: &mut Session,
    held: &mut Option<Event>,
) -> io::Result<Option<Event>> {
    while matches!(ev, Event::Resize(..)) {
        match front.next_input(false)? {
            Input::Event(next @ Event::Resize(..)) => ev = next,
            Input::Event(other) => {
                *held = Some(other);
                break;
            }
            Input::Idle => break,
            Input::Stop => return Ok(None),
            Input::Suspend => {
                update(session, Action::Suspend);
                break;
            }
        }
    }
    Ok(Some(ev))
}

/// Opens the full-screen browser on the real terminal. Returns the signal number when
/// a signal (SIGTERM, SIGHUP and every other one whose default would end linkj) ended
/// it; the terminal is restored either way, also on a fault or an abort.
pub fn run(catalog: Arc<Catalog>, mut opts: Options) -> io::Result<Option<i32>> {
    opts.tmux = std::env::var_os("TMUX").is_some_and(|v| !v.is_empty());
    let signal = Arc::new(AtomicUsize::new(0));
    for &sig in ENDING_SIGNALS {
        signal_hook::flag::register_usize(sig, signal.clone(), sig as usize)?;
    }
    for &sig in FATAL_SIGNALS {
        // SAFETY: the action only calls async-signal-safe functions (write, tcsetattr,
        // then signal-hook's emulation of the default action: sigaction, raise).
        unsafe {
            signal_hook_registry::register_unchecked(sig, move |_| {
                emergency_restore();
                let _ = signal_hook::low_level::emulate_default_handler(sig);
            })?;
        }
    }
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    signal_hook::flag::register(libc::SIGTSTP, stop.clone())?;
    spawn_watchdog(signal.clone());
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous(info);
    }));
    take_terminal(opts.mouse)?;
    let _guard = TerminalGuard;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let size = terminal.size()?;
    let mut session = initial_session(catalog, (size.width, size.height), &opts);
    let mut front = Local {
        signal,
        stop,
        mouse: opts.mouse,
    };
    let result = event_loop(&mut terminal, &mut session, &mut front);
    // ratatui's Terminal shows the cursor when dropped and reports a failure with
    // eprintln!, which panics when stderr is a terminal that hung up. Show it here; if
    // the terminal is gone, skip that drop (the guard still restores what it can).
    if terminal.show_cursor().is_err() {
        std::mem::forget(terminal);
    }
    match (result, front.caught()) {
        // Writing to a terminal that hung up fails; that is the hangup, not an error.
        (_, Some(sig)) => Ok(Some(sig)),
        (Ok(()), None) => Ok(None),
        (Err(e), None) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_restore_bytes_are_crossterms_own_commands() {
        let mut ansi = Vec::new();
        execute!(
            ansi,
            crossterm::event::DisableMouseCapture,
            crossterm::event::DisableBracketedPaste,
            terminal::LeaveAlternateScreen,
            crossterm::cursor::Show
        )
        .expect("write to a Vec");
        assert_eq!(ansi, RESTORE_BYTES);
    }
}
