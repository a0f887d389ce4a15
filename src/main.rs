//! The `linkj` command line: parse arguments, load data, run a command.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use linkj::cli::{self, Filter};
use linkj::data::{self, Lang, Loaded};

/// Browse LINK-J's partnership network (or any dataset in the same schema) in the terminal.
#[derive(Parser)]
#[command(name = "linkj", version, about, args_conflicts_with_subcommands = true)]
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
    /// Language for names and labels.
    #[arg(long, global = true, value_enum, default_value_t = Lang::En)]
    lang: Lang,
    /// ASCII-only borders, ellipsis and scrollbar, for terminals that draw
    /// East-Asian-ambiguous characters two cells wide (also: LINKJ_PLAIN=1).
    #[arg(long, global = true)]
    plain: bool,
    /// Leave mouse capture off, so the terminal's own text selection works (e.g. over SSH).
    #[arg(long, global = true)]
    no_mouse: bool,
    /// Colours: dark (for dark backgrounds, the default), light, or mono (no colour;
    /// also when NO_COLOR is set).
    #[arg(long, global = true, value_enum, default_value_t = ThemeName::Dark)]
    theme: ThemeName,
    /// Compute agreement statuses (active, ending, past term) as of this day
    /// (YYYY-MM-DD) instead of today.
    #[arg(long, global = true, value_name = "DATE")]
    as_of: Option<chrono::NaiveDate>,
    #[command(subcommand)]
    command: Option<Command>,
}

/// The browser's palettes.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ThemeName {
    /// For dark backgrounds.
    Dark,
    /// For light backgrounds.
    Light,
    /// No colour: bold, reverse and underline only.
    Mono,
}

#[derive(Subcommand)]
enum Command {
    /// Load and validate the dataset; print a summary and every warning.
    Check,
    /// Print ranked matches for QUERY, best first (exit 1 when nothing matches).
    Search {
        /// The query: space-separated terms; !term excludes, 'term exact, ^term prefix.
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// Only this region.
        #[arg(long, value_name = "REGION")]
        region: Option<String>,
        /// Only this kind.
        #[arg(long, value_name = "KIND")]
        kind: Option<String>,
        /// Print a JSON array (with scores) instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Print the full detail card of the best match for QUERY.
    Show {
        /// The query, as for `search`.
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// Print the whole entry as JSON.
        #[arg(long, conflicts_with = "markdown")]
        json: bool,
        /// Print a summary as Markdown (names, date, place, term, scope, sources).
        #[arg(long)]
        markdown: bool,
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
    /// Print the partnerships in date order.
    List {
        /// Only this region (id or label, either language).
        #[arg(long, value_name = "REGION")]
        region: Option<String>,
        /// Only this kind (id or label, either language).
        #[arg(long, value_name = "KIND")]
        kind: Option<String>,
        /// Only agreements with this status as of today (or --as-of): active, ending
        /// (last 6 months of a stated term), ended (past it), unknown (no term stated).
        #[arg(long, value_name = "STATUS")]
        status: Option<String>,
        /// Print a JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
}

fn load(args: &Args) -> Result<Loaded, data::LoadError> {
    match &args.data {
        Some(path) => data::load_file(path),
        None => data::load_embedded(),
    }
}

/// `NO_COLOR` set to anything non-empty turns colour off (no-color.org).
fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            // Paths and RON messages can carry text from outside; never let it reach the
            // terminal raw.
            // Not eprintln!: it panics when stderr is gone (a closed terminal).
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "linkj: {}", linkj::text::clean(&msg));
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<(), String> {
    if let Some(Command::Gen { count, seed }) = &args.command {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        return linkj::synth::write_dataset(&mut out, *count, *seed)
            .map_err(|e| format!("cannot write: {e}"));
    }
    let loaded = load(args).map_err(|e| e.to_string())?;
    let ds = &loaded.dataset;
    let today = args
        .as_of
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    match &args.command {
        Some(Command::Gen { .. }) => Ok(()),
        Some(Command::Check) => {
            print!("{}", cli::check_report(&loaded));
            Ok(())
        }
        Some(Command::List {
            region,
            kind,
            status,
            json,
        }) => {
            let f = Filter::resolve(ds, region.as_deref(), kind.as_deref())?
                .with_status(status.as_deref(), today)?;
            if *json {
                print!("{}", cli::list_json(ds, &f));
            } else {
                print!("{}", cli::list_table(ds, &f, args.lang));
            }
            Ok(())
        }
        Some(Command::Search {
            query,
            region,
            kind,
            json,
        }) => {
            let f = Filter::resolve(ds, region.as_deref(), kind.as_deref())?
                .with_status(None, today)?;
            let q = query.join(" ");
            let hits = cli::search(ds, &f, &q);
            if hits.is_empty() {
                return Err(format!("nothing matches {:?}", linkj::text::clean(&q)));
            }
            if *json {
                print!("{}", cli::search_json(ds, &hits, today));
            } else {
                use std::io::IsTerminal;
                let hl = if !std::io::stdout().is_terminal() {
                    cli::Highlight::None
                } else if no_color() {
                    cli::Highlight::Mono
                } else {
                    cli::Highlight::Color
                };
                print!("{}", cli::search_lines(ds, &hits, args.lang, hl));
            }
            Ok(())
        }
        Some(Command::Show {
            query,
            json,
            markdown,
        }) => {
            let q = query.join(" ");
            let hits = cli::search(ds, &Filter::default(), &q);
            let Some(best) = hits.first() else {
                return Err(format!("nothing matches {:?}", linkj::text::clean(&q)));
            };
            let p = &ds.partners[best.partner];
            if *json {
                print!("{}", cli::show_json(p));
            } else if *markdown {
                print!("{}", cli::summary_markdown(ds, p, args.lang, today));
            } else {
                print!("{}", cli::show_card(ds, p, args.lang, today));
            }
            Ok(())
        }
        None => {
            use std::io::IsTerminal;
            if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
                return Err(
                    "the browser needs a terminal on stdin and stdout; for pipes and scripts use `linkj list`, `linkj list --json` or `linkj check`"
                        .into(),
                );
            }
            let opts = linkj::app::Options {
                lang: args.lang,
                mouse: !args.no_mouse,
                color: !no_color() && args.theme != ThemeName::Mono,
                light: args.theme == ThemeName::Light,
                plain: args.plain || std::env::var_os("LINKJ_PLAIN").is_some_and(|v| !v.is_empty()),
                as_of: args.as_of,
                query: args
                    .query
                    .clone()
                    .or_else(|| (!args.words.is_empty()).then(|| args.words.join(" "))),
            };
            match linkj::app::run(loaded, opts) {
                Ok(None) => Ok(()),
                // Killed by a signal: the terminal is restored; exit as a shell expects.
                Ok(Some(sig)) => std::process::exit(128 + sig),
                Err(e) => Err(format!("terminal error: {e}")),
            }
        }
    }
}
