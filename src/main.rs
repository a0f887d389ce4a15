//! The `linkj` command line: parse arguments, load data, run a command.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use linkj::catalog::Catalog;
use linkj::command::{self, ReadOnly};
use linkj::config::{Config, Start, ThemeName};
use linkj::data::{self, Lang};
use linkj::report;

/// Browse LINK-J's partnership network (or any dataset in the same schema) in the terminal.
#[derive(Parser)]
#[command(name = "linkj", version, args_conflicts_with_subcommands = true)]
struct Args {
    /// Open the browser with this query typed and the best match selected.
    #[arg(value_name = "QUERY")]
    words: Vec<String>,
    /// Same as a bare QUERY.
    #[arg(long, value_name = "QUERY")]
    query: Option<String>,
    /// Dataset file (RON) to open instead of the embedded LINK-J dataset.
    #[arg(long, global = true, value_name = "FILE")]
    data: Option<PathBuf>,
    /// Language for names and labels [default: en, or the config file's]
    #[arg(long, global = true, value_enum)]
    lang: Option<Lang>,
    /// ASCII-only borders, ellipsis and scrollbar, for terminals that draw
    /// East-Asian-ambiguous characters two cells wide (also: LINKJ_PLAIN=1).
    #[arg(long, global = true, overrides_with = "no_plain")]
    plain: bool,
    /// The usual borders, even when the config file or LINKJ_PLAIN asks for plain ones.
    #[arg(long, global = true)]
    no_plain: bool,
    /// Leave mouse capture off, so the terminal's own text selection works (e.g. over SSH).
    #[arg(long, global = true, overrides_with = "mouse")]
    no_mouse: bool,
    /// Capture the mouse, even when the config file turns it off.
    #[arg(long, global = true)]
    mouse: bool,
    /// Colours: dark (for dark backgrounds, the default), light, or mono (no colour;
    /// also when NO_COLOR is set).
    #[arg(long, global = true, value_enum)]
    theme: Option<ThemeName>,
    /// Where the keyboard is at start: search (keys type the query at once, the
    /// default) or timeline (single-letter keys act at once) [default: the config file's]
    #[arg(long, value_enum, value_name = "WHERE")]
    start: Option<Start>,
    /// Ignore the config file (start on the defaults even when it has an error).
    #[arg(long, global = true)]
    no_config: bool,
    /// Compute agreement statuses (active, ending, past term) as of this day
    /// (YYYY-MM-DD) instead of today.
    #[arg(long, global = true, value_name = "DATE")]
    as_of: Option<chrono::NaiveDate>,
    /// Read the --data file afresh, neither using nor writing the catalog cache.
    #[arg(long, global = true)]
    no_cache: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    #[command(flatten)]
    Read(ReadOnly),
    /// Serve the browser over SSH to every visitor (`ssh -p 2222 HOST`), read-only.
    Serve {
        /// Address and port to listen on (port 0: a free one); other machines only
        /// with a deliberate `--listen 0.0.0.0:2222`.
        #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:2222")]
        listen: std::net::SocketAddr,
        /// The ed25519 host key, made on first start [default: the state directory]
        #[arg(long, value_name = "FILE")]
        host_key: Option<PathBuf>,
        /// Admit only these public keys (OpenSSH authorized_keys format).
        #[arg(long, value_name = "FILE")]
        authorized_keys: Option<PathBuf>,
        /// Visitors at once, in all.
        #[arg(long, value_name = "N", default_value_t = 64)]
        max_sessions: usize,
        /// Visitors at once from one address.
        #[arg(long, value_name = "N", default_value_t = 8)]
        max_per_ip: usize,
        /// Close a session after this long without input (e.g. 90s, 15m, 1h).
        #[arg(long, value_name = "DUR", default_value = "15m", value_parser = duration)]
        idle_timeout: std::time::Duration,
        /// Time allowed to log in.
        #[arg(long, value_name = "DUR", default_value = "10s", value_parser = duration)]
        auth_timeout: std::time::Duration,
    },
    /// Print a shell completion script (e.g. `linkj completions bash > ~/.local/share/bash-completion/completions/linkj`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `linkj man | man -l -`.
    Man,
    /// Where the config file is looked for, or a commented default one.
    #[command(group = clap::ArgGroup::new("what").required(true))]
    Config {
        /// Print the config file's path ($LINKJ_CONFIG, else the platform's config directory).
        #[arg(long, group = "what")]
        path: bool,
        /// Print a default config file, every setting commented out.
        #[arg(long, group = "what")]
        default: bool,
    },
    /// The catalog cache of --data files ($XDG_CACHE_HOME/linkj or ~/.cache/linkj).
    Cache {
        #[command(subcommand)]
        action: CacheAction,
    },
    /// Write a synthetic dataset of N partners to stdout (deterministic for a seed).
    Gen {
        /// How many partners.
        #[arg(long, value_name = "N")]
        count: usize,
        /// Random seed.
        #[arg(long, value_name = "S", default_value_t = 1)]
        seed: u64,
    },
}

/// What the catalog cache can do.
#[derive(Subcommand)]
enum CacheAction {
    /// Remove every cached catalog.
    Clear,
}

/// The catalog, its index built now (not on the first keystroke).
fn indexed(catalog: Catalog) -> Catalog {
    catalog.index();
    catalog
}

/// The dataset: a file through the catalog cache (its index built), or the embedded
/// dataset, which needs no cache (its index is built when something searches).
fn load(args: &Args) -> Result<Catalog, data::LoadError> {
    match &args.data {
        Some(path) => {
            let opened = linkj::cache::open(path, !args.no_cache)?;
            if let Some(note) = &opened.note {
                use std::io::Write;
                let _ = writeln!(std::io::stderr(), "linkj: {}", linkj::text::clean(note));
            }
            Ok(opened.catalog)
        }
        None => data::load_embedded().map(Catalog::without_index),
    }
}

/// `linkj cache clear`.
fn clear_cache() -> Result<(), Fail> {
    let (dir, n) = linkj::cache::clear()?;
    emit(&format!(
        "removed {n} cached catalog{} from {}\n",
        if n == 1 { "" } else { "s" },
        dir.display()
    ))
}

/// `NO_COLOR` set to anything non-empty turns colour off (no-color.org).
fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        // Help and version go to stdout, usage errors to stderr; a closed or full
        // stdout is handled as for any command.
        Err(e) => {
            let fail = match e.print() {
                Ok(()) => return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2)),
                Err(io) => write_failed(&io),
            };
            return finish(Err(fail));
        }
    };
    finish(run(&args))
}

/// The exit status for how a command ended, with its one line on stderr.
fn finish(result: Result<(), Fail>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`| head`): what it wanted it has; stop quietly, as
        // ripgrep and friends do.
        Err(Fail::Closed) => ExitCode::SUCCESS,
        Err(Fail::Msg(msg)) => {
            // Paths and RON messages can carry text from outside; never let it reach the
            // terminal raw.
            // Not eprintln!: it panics when stderr is gone (a closed terminal).
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "linkj: {}", linkj::text::clean(&msg));
            ExitCode::FAILURE
        }
    }
}

/// Why a command stopped early.
enum Fail {
    /// One sentence for the user; exit status 1.
    Msg(String),
    /// Standard output was closed by its reader.
    Closed,
}

impl From<String> for Fail {
    fn from(msg: String) -> Fail {
        Fail::Msg(msg)
    }
}

impl From<&str> for Fail {
    fn from(msg: &str) -> Fail {
        Fail::Msg(msg.to_string())
    }
}

/// A failed write to standard output: quiet when the reader left, a sentence otherwise
/// (a full disk, an I/O error).
fn write_failed(e: &std::io::Error) -> Fail {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Fail::Closed
    } else {
        Fail::Msg(format!(
            "cannot write to standard output: {}",
            data::describe_io_error(e)
        ))
    }
}

/// Writes a command's output. Not print!: it panics when the reader has gone.
fn emit(text: &str) -> Result<(), Fail> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| write_failed(&e))
}

/// Completions and the man page, from the clap definition itself (never written by
/// hand, so they cannot drift from the options).
fn describe(command: &Command) -> Option<Result<(), Fail>> {
    use clap::CommandFactory;
    let mut cli = Args::command();
    let mut out = Vec::new();
    match command {
        Command::Completions { shell } => {
            clap_complete::generate(*shell, &mut cli, "linkj", &mut out);
        }
        Command::Man => {
            if let Err(e) = clap_mangen::Man::new(cli).render(&mut out) {
                return Some(Err(write_failed(&e)));
            }
        }
        Command::Config { path: true, .. } => match linkj::config::path() {
            Some(p) => out.extend(format!("{}\n", p.display()).into_bytes()),
            None => return Some(Err("no config directory (set HOME or LINKJ_CONFIG)".into())),
        },
        Command::Config { .. } => out.extend(linkj::config::default_file().into_bytes()),
        _ => return None,
    }
    Some(emit(&String::from_utf8_lossy(&out)))
}

fn run(args: &Args) -> Result<(), Fail> {
    if let Some(done) = args.command.as_ref().and_then(describe) {
        return done;
    }
    if let Some(Command::Gen { count, seed }) = &args.command {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        return linkj::synth::write_dataset(&mut out, *count, *seed)
            .and_then(|()| std::io::Write::flush(&mut out))
            .map_err(|e| write_failed(&e));
    }
    if let Some(Command::Cache {
        action: CacheAction::Clear,
    }) = &args.command
    {
        return clear_cache();
    }
    // The config file is the local user's: the browser and the read-only commands
    // read it, a server for visitors does not.
    let config = if args.no_config || matches!(args.command, Some(Command::Serve { .. })) {
        Config::default()
    } else {
        linkj::config::load()?
    };
    let loaded = load(args).map_err(|e| e.to_string())?;
    let today = args
        .as_of
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    match &args.command {
        Some(
            Command::Gen { .. }
            | Command::Completions { .. }
            | Command::Man
            | Command::Config { .. }
            | Command::Cache { .. },
        ) => Ok(()),
        Some(Command::Serve {
            listen,
            host_key,
            authorized_keys,
            max_sessions,
            max_per_ip,
            idle_timeout,
            auth_timeout,
        }) => {
            let host_key = host_key
                .clone()
                .or_else(linkj::serve::host_key::default_path)
                .ok_or("no state directory for the host key (set HOME or pass --host-key)")?;
            let options = linkj::serve::ServeOptions {
                listen: *listen,
                host_key,
                authorized_keys: authorized_keys.clone(),
                max_sessions: *max_sessions,
                max_per_ip: *max_per_ip,
                idle_timeout: *idle_timeout,
                auth_timeout: *auth_timeout,
                max_size: (500, 200),
                as_of: args.as_of,
            };
            Ok(linkj::serve::run(
                std::sync::Arc::new(indexed(loaded)),
                options,
            )?)
        }
        Some(Command::Read(cmd)) => {
            let shape = command::Shape {
                lang: lang(args, &config),
                today,
                highlight: highlight(),
                links: show_links(args, &config),
            };
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
            match cmd.run_to(&loaded, shape, &mut out) {
                Ok(()) => std::io::Write::flush(&mut out).map_err(|e| write_failed(&e)),
                Err(command::Failed::Says(msg)) => Err(Fail::Msg(msg)),
                Err(command::Failed::Write(e)) => Err(write_failed(&e)),
            }
        }
        None => browse(args, &config, loaded),
    }
}

/// A duration as people write it: `90s`, `15m`, `1h` (a bare number is seconds).
fn duration(s: &str) -> Result<std::time::Duration, String> {
    let (n, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = n
        .parse()
        .map_err(|_| format!("{s:?} is not a duration like 90s, 15m or 1h"))?;
    let secs = match unit {
        "" | "s" => n,
        "m" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        _ => return Err(format!("{s:?} is not a duration like 90s, 15m or 1h")),
    };
    Ok(std::time::Duration::from_secs(secs))
}

/// How `search` marks matches: not at all into a pipe, without colour under NO_COLOR.
fn highlight() -> report::Highlight {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        report::Highlight::None
    } else if no_color() {
        report::Highlight::Mono
    } else {
        report::Highlight::Color
    }
}

/// Whether `show`'s addresses are OSC 8 hyperlinks: only on a terminal that takes
/// them, and not when plain output is asked for (`--plain`, `LINKJ_PLAIN`, the config
/// file).
fn show_links(args: &Args, config: &Config) -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal()
        && !plain(args, config)
        && linkj::hyperlink::term_supports(&std::env::var("TERM").unwrap_or_default())
}

/// Plain output: the flag pair, else `LINKJ_PLAIN`, else the config file.
fn plain(args: &Args, config: &Config) -> bool {
    let env_plain = std::env::var_os("LINKJ_PLAIN").is_some_and(|v| !v.is_empty());
    switch(
        args.plain,
        args.no_plain,
        env_plain.then_some(true).or(config.plain),
        false,
    )
}

/// The language: the flag, else the config file, else English.
fn lang(args: &Args, config: &Config) -> Lang {
    args.lang.or(config.lang).unwrap_or_default()
}

/// A switch given as a flag pair (`--plain`/`--no-plain`): the flag, else what the
/// environment or the config file says, else the default.
fn switch(on: bool, off: bool, file: Option<bool>, default: bool) -> bool {
    if on || off {
        on
    } else {
        file.unwrap_or(default)
    }
}

/// The browser's options: flags beat the config file, which beats the defaults.
fn browser_options(args: &Args, config: &Config) -> linkj::app::Options {
    let theme = args.theme.or(config.theme).unwrap_or(ThemeName::Dark);
    linkj::app::Options {
        lang: lang(args, config),
        mouse: switch(args.mouse, args.no_mouse, config.mouse, true),
        color: !no_color() && theme != ThemeName::Mono,
        light: theme == ThemeName::Light,
        plain: plain(args, config),
        as_of: args.as_of,
        query: args
            .query
            .clone()
            .or_else(|| (!args.words.is_empty()).then(|| args.words.join(" "))),
        keymap: config.keymap.clone(),
        start_in_timeline: args.start.or(config.start) == Some(Start::Timeline),
        hyperlinks: linkj::hyperlink::term_supports(&std::env::var("TERM").unwrap_or_default()),
        ..linkj::app::Options::default()
    }
}

/// No command: the full-screen browser.
fn browse(args: &Args, config: &Config, loaded: Catalog) -> Result<(), Fail> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(Fail::from(
            "the browser needs a terminal on stdin and stdout; for pipes and scripts use `linkj list`, `linkj list --json` or `linkj check`",
        ));
    }
    let opts = browser_options(args, config);
    match linkj::app::run(std::sync::Arc::new(indexed(loaded)), opts) {
        Ok(None) => Ok(()),
        // Killed by a signal: the terminal is restored; exit as a shell expects.
        Ok(Some(sig)) => std::process::exit(128 + sig),
        Err(e) => Err(format!("terminal error: {e}").into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(argv: &[&str], config: &Config) -> linkj::app::Options {
        let args = Args::try_parse_from(argv).expect("valid arguments");
        browser_options(&args, config)
    }

    #[test]
    fn the_theme_and_language_flags_beat_the_file_which_beats_the_defaults() {
        let none = Config::default();
        let file = Config {
            theme: Some(ThemeName::Mono),
            lang: Some(Lang::Ja),
            ..Config::default()
        };
        let o = options(&["linkj"], &none);
        assert!(!o.light && o.lang == Lang::En);
        let o = options(&["linkj"], &file);
        assert!(!o.color && !o.light && o.lang == Lang::Ja);
        let o = options(&["linkj", "--theme", "light", "--lang", "en"], &file);
        assert!(o.light && o.lang == Lang::En);
    }

    #[test]
    fn the_search_bar_has_the_keyboard_unless_the_flag_or_the_file_says_timeline() {
        let none = Config::default();
        let file = Config {
            start: Some(Start::Timeline),
            ..Config::default()
        };
        assert!(!options(&["linkj"], &none).start_in_timeline);
        assert!(options(&["linkj", "--start", "timeline"], &none).start_in_timeline);
        assert!(options(&["linkj"], &file).start_in_timeline);
        assert!(!options(&["linkj", "--start", "search"], &file).start_in_timeline);
    }
}
