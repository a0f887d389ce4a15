//! How much of what was sent to a visitor their side has not yet acknowledged. Over a
//! slow link the kernel would otherwise queue seconds of frames for them (its send
//! buffer grows to megabytes), and a held key would keep moving their screen long
//! after they let go. The browser asks before each frame and, while the link is still
//! busy, waits for it or for more keys, so at most about one frame is ever in flight
//! beyond [`BUSY`].

use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// Bytes in flight above which the link counts as busy: two or three frames of a
/// key's changes at 120x40. Over 200 ms of latency this allows some 40 KB a second, a
/// dozen such frames; a slower link is held to what it carries.
pub const BUSY: usize = 8 * 1024;

/// The connection's socket, for the SSH server to read and write, with a [`Probe`] the
/// visitor's browser asks.
pub struct Wire {
    stream: TcpStream,
    probe: Arc<Probe>,
}

/// Asks the socket of a connection that may have ended how much it has not delivered.
#[derive(Debug, Default)]
pub struct Probe {
    /// The socket while the connection holds it (cleared before it is closed, so a
    /// number reused by a later socket is never asked).
    fd: Mutex<Option<RawFd>>,
}

impl Wire {
    /// Wraps `stream`; the probe answers until the wire is dropped.
    pub fn new(stream: TcpStream) -> (Wire, Arc<Probe>) {
        let probe = Arc::new(Probe {
            fd: Mutex::new(Some(stream.as_raw_fd())),
        });
        let wire = Wire {
            stream,
            probe: Arc::clone(&probe),
        };
        (wire, probe)
    }
}

impl Drop for Wire {
    fn drop(&mut self) {
        if let Ok(mut fd) = self.probe.fd.lock() {
            *fd = None;
        }
    }
}

impl Probe {
    /// Bytes written to the socket and not yet acknowledged by the peer; `None` when
    /// the connection is gone or the system cannot say.
    pub fn in_flight(&self) -> Option<usize> {
        let fd = self.fd.lock().ok()?;
        unsent((*fd)?)
    }

    /// Whether the link still carries more than [`BUSY`] bytes of earlier output.
    pub fn busy(&self) -> bool {
        self.in_flight().is_some_and(|n| n > BUSY)
    }
}

#[cfg(target_os = "linux")]
fn unsent(fd: RawFd) -> Option<usize> {
    let mut n: libc::c_int = 0;
    // SAFETY: `fd` is an open socket (the caller holds the lock that keeps it open) and
    // TIOCOUTQ writes one int, which `n` is.
    let r = unsafe { libc::ioctl(fd, libc::TIOCOUTQ, &mut n) };
    (r == 0).then(|| usize::try_from(n).unwrap_or(0))
}

#[cfg(not(target_os = "linux"))]
fn unsent(_fd: RawFd) -> Option<usize> {
    // Elsewhere frames are paced by the SSH window and the socket buffer only.
    None
}

impl AsyncRead for Wire {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Wire {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_probe_sees_bytes_in_flight_and_forgets_a_closed_socket() {
        use tokio::io::AsyncWriteExt;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let client = TcpStream::connect(addr).await.unwrap();
        let (server, _) = listener.accept().await.unwrap();
        let (mut wire, probe) = Wire::new(server);
        assert_eq!(probe.in_flight().unwrap_or(0), 0);
        // The peer reads nothing: once its receive buffer is full, what is written
        // stays in flight.
        let chunk = vec![b'x'; 64 * 1024];
        for _ in 0..256 {
            let write = wire.write(&chunk);
            if tokio::time::timeout(std::time::Duration::from_millis(50), write)
                .await
                .is_err()
            {
                break;
            }
        }
        if cfg!(target_os = "linux") {
            assert!(probe.busy(), "in flight: {:?}", probe.in_flight());
        }
        drop(wire);
        assert_eq!(probe.in_flight(), None, "a closed socket was asked");
        drop(client);
    }
}
