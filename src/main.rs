//! The `linkj` command line: parse arguments, load data, run a command.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use linkj::cli::{self, Filter};
use linkj::data::{self, Lang, Loaded};

/// Browse LINK-J's partnership network (or any dataset in the same schema) in the terminal.
#[derive(Parser)]
#[command(name = "linkj", version, about)]
struct Args {
    /// Dataset file (RON) to open instead of the embedded LINK-J dataset.
    #[arg(long, global = true, value_name = "FILE")]
    data: Option<PathBuf>,
    /// Language for names and labels.
    #[arg(long, global = true, value_enum, default_value_t = Lang::En)]
    lang: Lang,
    /// Leave mouse capture off, so the terminal's own text selection works (e.g. over SSH).
    #[arg(long, global = true)]
    no_mouse: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Load and validate the dataset; print a summary and every warning.
    Check,
    /// Print the partnerships in date order.
    List {
        /// Only this region (id or label, either language).
        #[arg(long, value_name = "REGION")]
        region: Option<String>,
        /// Only this kind (id or label, either language).
        #[arg(long, value_name = "KIND")]
        kind: Option<String>,
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

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("linkj: {msg}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<(), String> {
    let loaded = load(args).map_err(|e| e.to_string())?;
    let ds = &loaded.dataset;
    match &args.command {
        Some(Command::Check) => {
            print!("{}", cli::check_report(&loaded));
            Ok(())
        }
        Some(Command::List { region, kind, json }) => {
            let f = Filter::resolve(ds, region.as_deref(), kind.as_deref())?;
            if *json {
                print!("{}", cli::list_json(ds, &f));
            } else {
                print!("{}", cli::list_table(ds, &f, args.lang));
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
                color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
                query: None,
            };
            linkj::app::run(loaded, opts).map_err(|e| format!("terminal error: {e}"))
        }
    }
}
