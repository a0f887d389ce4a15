//! One SSH connection: who may log in (anyone, or the keys of `--authorized-keys`, never
//! with a password), one session channel with a browser or one read-only command, and
//! a refusal, in the protocol's own terms, of everything else.

use std::sync::mpsc::SyncSender;
use std::sync::{Arc, Mutex};

use clap::Parser;
use russh::keys::HashAlg;
use russh::server::{Auth, ChannelOpenHandle, Msg, PublicKeyOffer, Session, VerifiedPublicKey};
use russh::{Channel, ChannelId, MethodKind, MethodSet, Pty};

use super::link::Probe;
use super::term::Caps;
use super::visitor::{Out, Start, ToVisitor};
use super::{Shared, clamp_size};
use crate::command::{ReadOnly, Shape};
use crate::data::Lang;

/// What the log line of a connection says about it.
#[derive(Debug, Default)]
pub struct Seen {
    /// The key the visitor logged in with, if any.
    pub key: Option<String>,
    /// Whether they are logged in.
    pub authenticated: bool,
    /// Why it ended, when the server decided.
    pub ended: Option<&'static str>,
}

/// A command line sent with `ssh host …`: linkj's own read-only commands.
#[derive(Debug, Parser)]
#[command(
    name = "linkj",
    about = "LINK-J's partnership network over SSH: `ssh HOST` opens the browser; these commands print and exit",
    no_binary_name = true,
    args_conflicts_with_subcommands = true
)]
struct Remote {
    /// A query to open the browser with (needs a terminal: `ssh -t`).
    #[arg(value_name = "QUERY")]
    words: Vec<String>,
    /// Language for names and labels.
    #[arg(long, global = true, value_enum, default_value_t = Lang::En)]
    lang: Lang,
    #[command(subcommand)]
    command: Option<ReadOnly>,
}

/// The per-connection handler.
pub struct Conn {
    shared: Arc<Shared>,
    seen: Arc<Mutex<Seen>>,
    channel: Option<ChannelId>,
    size: Option<(u16, u16)>,
    /// The size the visitor's browser reads, once it runs.
    shown_size: Arc<Mutex<(u16, u16)>>,
    lang: Option<Lang>,
    no_color: bool,
    /// What the visitor's `TERM` says their terminal can show.
    caps: Caps,
    /// How much output the link still carries.
    probe: Arc<Probe>,
    tx: Option<SyncSender<ToVisitor>>,
}

impl Conn {
    /// A handler for one connection.
    pub fn new(shared: Arc<Shared>, seen: Arc<Mutex<Seen>>, probe: Arc<Probe>) -> Conn {
        Conn {
            shared,
            seen,
            channel: None,
            size: None,
            shown_size: Arc::new(Mutex::new((80, 24))),
            lang: None,
            no_color: false,
            caps: Caps::of(""),
            probe,
            tx: None,
        }
    }

    fn admits(&self, key: &russh::keys::PublicKey) -> bool {
        match &self.shared.authorized {
            None => true,
            Some(keys) => keys.iter().any(|k| k.key_data() == key.key_data()),
        }
    }

    fn logged_in(&self, key: Option<&russh::keys::PublicKey>) -> Auth {
        if let Ok(mut s) = self.seen.lock() {
            s.authenticated = true;
            s.key = key.map(|k| k.fingerprint(HashAlg::Sha256).to_string());
        }
        Auth::Accept
    }

    fn out(&self, channel: ChannelId, session: &Session) -> Out {
        Out {
            rt: tokio::runtime::Handle::current(),
            handle: session.handle(),
            channel,
            pty: self.size.is_some(),
        }
    }

    /// Starts the visitor's browser on its own thread.
    fn browse(&mut self, channel: ChannelId, session: &Session, query: Option<String>) {
        if !self.caps.addressable {
            self.refuse(
                channel,
                session,
                "linkj: a dumb terminal cannot show the browser; give a command instead (`ssh HOST show kobe`)".into(),
            );
            return;
        }
        let (tx, rx) = std::sync::mpsc::sync_channel(1024);
        self.tx = Some(tx);
        let options = crate::app::Options {
            lang: self.lang.unwrap_or(Lang::En),
            mouse: true,
            color: !self.no_color && self.caps.color,
            plain: self.caps.plain,
            tmux: self.caps.multiplexer,
            hyperlinks: self.caps.hyperlinks,
            query,
            as_of: self.shared.options.as_of,
            ..crate::app::Options::default()
        };
        let start = Start {
            catalog: Arc::clone(&self.shared.catalog),
            options,
            size: {
                if let Ok(mut s) = self.shown_size.lock() {
                    *s = self.size.unwrap_or((80, 24));
                }
                Arc::clone(&self.shown_size)
            },
            rx,
            out: self.out(channel, session),
            probe: Arc::clone(&self.probe),
            idle: self.shared.options.idle_timeout,
            stopping: Arc::clone(&self.shared.stopping),
        };
        let seen = Arc::clone(&self.seen);
        let spawned = std::thread::Builder::new()
            .name("linkj-visitor".into())
            .spawn(move || {
                super::visitor::run(start, |why| {
                    if let Ok(mut s) = seen.lock() {
                        s.ended.get_or_insert(why);
                    }
                });
            });
        if spawned.is_err() {
            self.tx = None;
        }
    }

    /// Runs one read-only command and ends the channel with its status.
    fn command(&self, channel: ChannelId, session: &Session, cmd: ReadOnly, lang: Lang) {
        let out = self.out(channel, session);
        let catalog = Arc::clone(&self.shared.catalog);
        let shape = Shape {
            lang,
            today: self.shared.options.today(),
            highlight: crate::report::Highlight::None,
            // A command's output over SSH may go anywhere on the visitor's side.
            links: false,
        };
        std::thread::spawn(move || match cmd.run(&catalog, shape) {
            Ok(text) => out.answer(&text, 0),
            Err(msg) => {
                out.say(&format!("linkj: {}", crate::text::clean(&msg)));
                out.answer("", 1);
            }
        });
    }

    /// Refuses a command line: one line on the visitor's stderr, exit status 2.
    fn refuse(&self, channel: ChannelId, session: &Session, line: String) {
        let out = self.out(channel, session);
        std::thread::spawn(move || {
            out.say(&line);
            out.answer("", 2);
        });
    }
}

/// The login methods offered: never a password (a visitor might type theirs by habit).
pub fn methods(open: bool) -> MethodSet {
    let mut m = MethodSet::empty();
    if open {
        m.push(MethodKind::None);
    }
    m.push(MethodKind::PublicKey);
    m
}

impl russh::server::Handler for Conn {
    type Error = russh::Error;

    async fn auth_none(&mut self, _user: &str) -> Result<Auth, Self::Error> {
        if self.shared.authorized.is_none() {
            return Ok(self.logged_in(None));
        }
        Ok(Auth::Reject {
            proceed_with_methods: Some(methods(false)),
            partial_success: false,
        })
    }

    async fn auth_publickey_offered(
        &mut self,
        _user: &str,
        offer: PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        Ok(if self.admits(offer.public_key) {
            Auth::Accept
        } else {
            Auth::reject()
        })
    }

    async fn auth_publickey(
        &mut self,
        _user: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        Ok(if self.admits(key.public_key) {
            self.logged_in(Some(key.public_key))
        } else {
            Auth::reject()
        })
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channel.is_some() {
            // One session channel per connection; dropping the reply refuses it.
            return Ok(());
        }
        self.channel = Some(channel.id());
        // Input comes through `data`; a Channel kept and never read would stall the
        // connection once its queue filled, so it is not kept.
        drop(channel);
        reply.accept().await;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        cols: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.size = Some(clamp_size(cols, rows, self.shared.options.max_size));
        self.caps = Caps::of(term);
        session.channel_success(channel)
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        match name {
            "LANG" | "LC_ALL" => {
                let ja = value.to_ascii_lowercase().starts_with("ja");
                // LC_ALL wins over LANG, as in the C library.
                if name == "LC_ALL" || self.lang.is_none() {
                    self.lang = Some(if ja { Lang::Ja } else { Lang::En });
                }
                session.channel_success(channel)
            }
            "NO_COLOR" => {
                self.no_color = !value.is_empty();
                session.channel_success(channel)
            }
            _ => session.channel_failure(channel),
        }
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.size.is_none() || self.tx.is_some() {
            session.channel_success(channel)?;
            self.refuse(
                channel,
                session,
                "linkj: the browser needs a terminal: connect with `ssh -t`, or give a command (`ssh HOST show kobe`)".into(),
            );
            return Ok(());
        }
        session.channel_success(channel)?;
        self.browse(channel, session, None);
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_success(channel)?;
        let line = String::from_utf8_lossy(data);
        // Split like a shell would into words, but nothing is ever run by a shell.
        let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        match Remote::try_parse_from(&words) {
            Ok(Remote {
                command: Some(cmd),
                lang,
                ..
            }) => self.command(channel, session, cmd, lang),
            Ok(r) if !r.words.is_empty() && self.size.is_some() && self.tx.is_none() => {
                self.lang.get_or_insert(r.lang);
                self.browse(channel, session, Some(r.words.join(" ")));
            }
            Ok(_) => self.refuse(
                channel,
                session,
                "linkj: a query opens the browser only with a terminal (`ssh -t`); commands: list, search, show, check, help".into(),
            ),
            Err(e) => {
                let msg = e.to_string();
                let first = msg.lines().next().unwrap_or("not a linkj command");
                let line = format!(
                    "linkj: {}; commands over SSH: list, search, show, check, help",
                    crate::text::clean(first.trim_start_matches("error: "))
                );
                // `help` and `--help` are answers, not refusals.
                if matches!(e.kind(), clap::error::ErrorKind::DisplayHelp) {
                    let out = self.out(channel, session);
                    std::thread::spawn(move || out.answer(&msg, 0));
                } else {
                    self.refuse(channel, session, line);
                }
            }
        }
        Ok(())
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }

    #[allow(clippy::too_many_arguments)]
    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single_connection: bool,
        _x11_auth_protocol: &str,
        _x11_auth_cookie: &str,
        _x11_screen_number: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }

    async fn window_change_request(
        &mut self,
        _channel: ChannelId,
        cols: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        let (w, h) = clamp_size(cols, rows, self.shared.options.max_size);
        self.size = Some((w, h));
        if let Ok(mut s) = self.shown_size.lock() {
            *s = (w, h);
        }
        if let Some(tx) = &self.tx {
            // Never wait inside the connection's loop: a full queue drops the message,
            // and the browser reads the newest size at the next one.
            let _ = tx.try_send(ToVisitor::Resize);
        }
        Ok(())
    }

    async fn data(
        &mut self,
        _channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(tx) = &self.tx {
            let _ = tx.try_send(ToVisitor::Data(data.to_vec()));
        }
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        _channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(tx) = &self.tx {
            let _ = tx.try_send(ToVisitor::Closed);
        }
        Ok(())
    }

    async fn channel_close(
        &mut self,
        _channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(tx) = self.tx.take() {
            let _ = tx.try_send(ToVisitor::Closed);
        }
        Ok(())
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        // The connection is gone (even abruptly): the browser thread stops.
        if let Some(tx) = self.tx.take() {
            let _ = tx.try_send(ToVisitor::Closed);
        }
    }
}
