//! `linkj serve`: the browser for every visitor over SSH. One read-only catalog, a
//! session per connection, and nothing else on the machine reachable: no shell, no
//! command but linkj's read-only ones, no forwarding, no password prompt.
//!
//! The accept loop counts connections (in all and per address) with a guard dropped
//! when the connection ends however it ends; each visitor's browser runs on a thread of
//! its own (`visitor`), fed by the connection's handler (`handler`) through a bounded
//! queue.

mod handler;
pub mod host_key;
pub mod input;
mod link;
mod term;
mod visitor;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use russh::keys::PublicKey;
use russh::server::Config;

use crate::catalog::Catalog;

/// `linkj serve`'s settings, with the defaults its flags show.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Where to listen; port 0 picks a free one.
    pub listen: SocketAddr,
    /// The host key file (made on first start).
    pub host_key: PathBuf,
    /// Only these keys may log in (OpenSSH `authorized_keys` format); anyone when `None`.
    pub authorized_keys: Option<PathBuf>,
    /// Connections at once, in all.
    pub max_sessions: usize,
    /// Connections at once from one address.
    pub max_per_ip: usize,
    /// A session without input for this long is closed.
    pub idle_timeout: Duration,
    /// Time allowed to log in.
    pub auth_timeout: Duration,
    /// The largest terminal a client may claim (columns, rows).
    pub max_size: (u16, u16),
    /// The day statuses are computed for, instead of today.
    pub as_of: Option<chrono::NaiveDate>,
}

impl ServeOptions {
    /// The day statuses are computed for.
    pub fn today(&self) -> chrono::NaiveDate {
        self.as_of
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }
}

/// What every connection shares.
pub struct Shared {
    catalog: Arc<Catalog>,
    options: ServeOptions,
    authorized: Option<Vec<PublicKey>>,
    /// Connections open, per address.
    open: Mutex<HashMap<IpAddr, usize>>,
    stopping: Arc<AtomicBool>,
}

/// Clamps a claimed terminal size: at most `max`, and 80x24 for a 0x0 claim (`ssh -tt`
/// from a pipe), before any narrowing cast.
pub fn clamp_size(cols: u32, rows: u32, max: (u16, u16)) -> (u16, u16) {
    if cols == 0 || rows == 0 {
        return (80.min(max.0), 24.min(max.1));
    }
    let c = cols.min(u32::from(max.0));
    let r = rows.min(u32::from(max.1));
    (
        u16::try_from(c).unwrap_or(max.0),
        u16::try_from(r).unwrap_or(max.1),
    )
}

/// Holds a connection's place in the counts; gives it back when dropped.
struct Slot {
    shared: Arc<Shared>,
    ip: IpAddr,
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut open) = self.shared.open.lock()
            && let Some(n) = open.get_mut(&self.ip)
        {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.remove(&self.ip);
            }
        }
    }
}

impl Shared {
    /// Takes a place for a connection from `ip`, or says which limit it is past.
    fn admit(self: &Arc<Self>, ip: IpAddr) -> Result<Slot, String> {
        let mut open = self
            .open
            .lock()
            .map_err(|_| "linkj: the server is in trouble; try again later".to_string())?;
        let total: usize = open.values().sum();
        if total >= self.options.max_sessions {
            return Err(format!(
                "linkj is full ({} visitors); try again in a while",
                self.options.max_sessions
            ));
        }
        let here = open.entry(ip).or_default();
        if *here >= self.options.max_per_ip {
            return Err(format!(
                "linkj: at most {} sessions from one address",
                self.options.max_per_ip
            ));
        }
        *here += 1;
        Ok(Slot {
            shared: Arc::clone(self),
            ip,
        })
    }

    /// Connections open now.
    fn count(&self) -> usize {
        self.open.lock().map_or(0, |o| o.values().sum())
    }
}

/// Reads an OpenSSH `authorized_keys` file.
fn read_authorized(path: &std::path::Path) -> Result<Vec<PublicKey>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let mut keys = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let key = PublicKey::from_openssh(line)
            .map_err(|e| format!("{}:{}:1: not a public key: {e}", path.display(), n + 1))?;
        keys.push(key);
    }
    Ok(keys)
}

/// Serves until SIGTERM or Ctrl-C. Prints one line when ready: the address bound and
/// the host key's fingerprint.
pub fn run(catalog: Arc<Catalog>, options: ServeOptions) -> Result<(), String> {
    give_back_large_buffers();
    let key = host_key::load_or_create(&options.host_key)?;
    let authorized = options
        .authorized_keys
        .as_deref()
        .map(read_authorized)
        .transpose()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let config = Arc::new(Config {
        methods: handler::methods(authorized.is_none()),
        auth_rejection_time: Duration::from_secs(1),
        auth_rejection_time_initial: Some(Duration::ZERO),
        // Idleness is measured from the visitor's input, by the browser; russh's own
        // timer counts output too, so a redrawing screen would never idle out.
        inactivity_timeout: None,
        keepalive_interval: Some(Duration::from_secs(30)),
        nodelay: true,
        keys: vec![key.clone()],
        ..Config::default()
    });
    let shared = Arc::new(Shared {
        catalog,
        options: options.clone(),
        authorized,
        open: Mutex::new(HashMap::new()),
        stopping: Arc::new(AtomicBool::new(false)),
    });
    runtime.block_on(serve(shared, config, host_key::fingerprint(&key)))
}

async fn serve(
    shared: Arc<Shared>,
    config: Arc<Config>,
    fingerprint: String,
) -> Result<(), String> {
    let listen = shared.options.listen;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let bound = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "linkj serve: listening on {bound}, host key {fingerprint}"
        );
        let _ = out.flush();
    }
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(|e| format!("cannot watch for SIGTERM: {e}"))?;
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((socket, peer)) => connection(&shared, &config, socket, peer),
                Err(e) => log(&format!("accept failed: {e}")),
            },
            _ = term.recv() => break,
            _ = tokio::signal::ctrl_c() => break,
        }
    }
    shared.stopping.store(true, Ordering::Relaxed);
    log("shutting down");
    let deadline = Instant::now() + Duration::from_secs(4);
    while shared.count() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

/// Every visitor's browser runs on a thread of its own, and a search over a large
/// dataset fills buffers of megabytes that are freed when it ends. The C library would
/// keep such freed memory in the thread's own arena (its threshold for giving it back
/// rises with each large free), so every visitor would keep the high-water mark of
/// their searches. A fixed threshold makes buffers above it go back to the system.
fn give_back_large_buffers() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tunable of the allocator; called before any thread
    // of the server starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
    }
}

/// One line on stderr, with the time.
fn log(line: &str) {
    use std::io::Write;
    let now = chrono::Local::now().format("%Y-%m-%dT%H:%M:%S%z");
    let _ = writeln!(std::io::stderr(), "{now} {line}");
}

fn connection(
    shared: &Arc<Shared>,
    config: &Arc<Config>,
    socket: tokio::net::TcpStream,
    peer: SocketAddr,
) {
    let admitted = shared.admit(peer.ip());
    let seen = Arc::new(Mutex::new(handler::Seen::default()));
    let _ = socket.set_nodelay(true);
    let (wire, probe) = link::Wire::new(socket);
    let conn = handler::Conn::new(Arc::clone(shared), Arc::clone(&seen), probe);
    let (config, shared) = (Arc::clone(config), Arc::clone(shared));
    log(&format!("open {peer}"));
    tokio::spawn(async move {
        let started = Instant::now();
        // The key exchange counts against the login time too: a client that connects
        // and says nothing holds no place for long.
        let wait = shared.options.auth_timeout;
        let setup = tokio::time::timeout(wait, russh::server::run_stream(config, wire, conn));
        let why = match setup.await {
            Err(_) => "no login in time".to_string(),
            Ok(Err(e)) => format!("failed: {e}"),
            Ok(Ok(running)) => {
                let handle = running.handle();
                if let Err(reason) = &admitted {
                    let _ = handle
                        .disconnect(
                            russh::Disconnect::TooManyConnections,
                            reason.clone(),
                            "en".into(),
                        )
                        .await;
                } else {
                    watch_login(&shared, handle, Arc::clone(&seen));
                }
                match running.await {
                    Ok(()) => "closed".to_string(),
                    Err(e) => format!("ended: {e}"),
                }
            }
        };
        drop(admitted);
        let (key, ended) = seen
            .lock()
            .map_or((None, None), |s| (s.key.clone(), s.ended));
        log(&format!(
            "close {peer} key {} after {:.1}s: {}",
            key.as_deref().unwrap_or("none"),
            started.elapsed().as_secs_f64(),
            ended.map_or(why, str::to_string)
        ));
    });
}

/// Disconnects a client that has not logged in within the time allowed.
fn watch_login(
    shared: &Arc<Shared>,
    handle: russh::server::Handle,
    seen: Arc<Mutex<handler::Seen>>,
) {
    let wait = shared.options.auth_timeout;
    tokio::spawn(async move {
        tokio::time::sleep(wait).await;
        let logged_in = seen.lock().is_ok_and(|s| s.authenticated);
        if !logged_in {
            if let Ok(mut s) = seen.lock() {
                s.ended = Some("no login in time");
            }
            let _ = handle
                .disconnect(
                    russh::Disconnect::ByApplication,
                    "linkj: no login in time".into(),
                    "en".into(),
                )
                .await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claimed_sizes_are_clamped_before_any_cast() {
        let max = (500, 200);
        assert_eq!(clamp_size(120, 40, max), (120, 40));
        assert_eq!(clamp_size(60_000, 60_000, max), (500, 200));
        assert_eq!(clamp_size(70_000, 30, max), (500, 30));
        assert_eq!(clamp_size(u32::MAX, u32::MAX, max), (500, 200));
        assert_eq!(clamp_size(0, 0, max), (80, 24));
    }
}
