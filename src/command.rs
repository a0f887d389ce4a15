//! The read-only commands (`check`, `list`, `search`, `show`): their arguments, as clap
//! parses them, and their output as text. The binary prints it; `linkj serve` sends it
//! to a visitor who ran `ssh host show kobe`. Both parse with this one definition, so a
//! command means the same locally and over SSH.

use chrono::NaiveDate;
use clap::Subcommand;

use crate::catalog::Catalog;
use crate::data::{Lang, Loaded};
use crate::filter::Filter;
use crate::report;

/// A command that only reads the dataset.
#[derive(Debug, Clone, Subcommand)]
pub enum ReadOnly {
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
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Print CSV (a header row, the columns of --json, then inferred and disputed).
        #[arg(long)]
        csv: bool,
        /// With --csv: a byte-order mark first, so that Excel reads Japanese as UTF-8.
        #[arg(long, requires = "csv")]
        excel: bool,
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
    /// Print the partnerships in date order.
    List {
        /// Only this region (id or label, either language).
        #[arg(long, value_name = "REGION")]
        region: Option<String>,
        /// Only this kind (id or label, either language).
        #[arg(long, value_name = "KIND")]
        kind: Option<String>,
        /// Only agreements with this status as of today (or --as-of): active, ending
        /// (last 6 months of a stated term), past_term (past it; no renewal is
        /// recorded), unknown (no term stated, or the date leaves it open).
        #[arg(long, value_name = "STATUS")]
        status: Option<String>,
        /// Print a JSON array instead of a table.
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Print CSV (a header row, the columns of --json, then inferred and disputed).
        #[arg(long)]
        csv: bool,
        /// With --csv: a byte-order mark first, so that Excel reads Japanese as UTF-8.
        #[arg(long, requires = "csv")]
        excel: bool,
    },
}

/// How a command's output is shaped for where it goes.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Language of names and labels.
    pub lang: Lang,
    /// The day statuses are computed for.
    pub today: NaiveDate,
    /// How `search` marks the matched characters.
    pub highlight: report::Highlight,
    /// `show`'s addresses are OSC 8 hyperlinks (a terminal that takes them, not
    /// `--plain`, never a pipe or a file).
    pub links: bool,
}

impl ReadOnly {
    /// Whether the command needs the search index (a catalog), not only the dataset.
    pub fn searches(&self) -> bool {
        matches!(self, ReadOnly::Search { .. } | ReadOnly::Show { .. })
    }

    /// The command's output, or the one sentence that says why there is none.
    pub fn run(&self, catalog: &Catalog, shape: Shape) -> Result<String, String> {
        let ds = catalog.dataset();
        let today = shape.today;
        match self {
            ReadOnly::Check => Ok(report::check_report(catalog.loaded())),
            ReadOnly::List {
                region,
                kind,
                status,
                json,
                csv,
                excel,
            } => {
                let f = Filter::resolve(ds, region.as_deref(), kind.as_deref(), status.as_deref())?;
                Ok(if *csv {
                    report::list_csv(ds, &f, today, *excel)
                } else if *json {
                    report::list_json(ds, &f, today)
                } else {
                    report::list_table(ds, &f, today, shape.lang)
                })
            }
            ReadOnly::Search {
                query,
                region,
                kind,
                json,
                csv,
                excel,
            } => {
                let (hits, hub, terms) = searched(catalog, shape, query, region, kind, true)?;
                let found = report::Found {
                    hits: &hits,
                    hub: hub.as_ref(),
                    terms: &terms,
                };
                Ok(if *csv {
                    report::search_csv(catalog, &found, today, *excel)
                } else if *json {
                    report::search_json(catalog, &found, today)
                } else {
                    report::search_lines(catalog, &found, shape.lang, shape.highlight)
                })
            }
            ReadOnly::Show {
                query,
                json,
                markdown,
            } => {
                let q = query.join(" ");
                if catalog.hub_first(&Filter::default(), today, &q).is_some() {
                    return Ok(if *json {
                        report::hub_json(ds)
                    } else if *markdown {
                        crate::summary::hub_markdown(ds, catalog.gaps(), shape.lang)
                    } else {
                        report::hub_card(catalog, shape.lang, shape.links)
                    });
                }
                let mut hits = catalog.search(&Filter::default(), today, &q);
                number_first(
                    catalog,
                    &Filter::default(),
                    today,
                    &q,
                    &mut hits,
                    shape.lang,
                )?;
                let Some(p) = hits.first().and_then(|h| ds.partners.get(h.partner)) else {
                    return Err(nothing_matches(&q));
                };
                Ok(if *json {
                    report::show_json(&p)
                } else if *markdown {
                    crate::summary::summary_markdown(ds, &p, shape.lang, today)
                } else {
                    report::show_card(ds, &p, shape.lang, today, shape.links)
                })
            }
        }
    }
}

/// Why a command wrote no output, or not all of it.
#[derive(Debug)]
pub enum Failed {
    /// The one sentence that says why there is none.
    Says(String),
    /// Writing it failed.
    Write(std::io::Error),
}

impl ReadOnly {
    /// [`ReadOnly::run`], written to `out` as it is made: `search`'s lines a batch at a
    /// time, so that a search most partners match never holds all its lines.
    pub fn run_to(
        &self,
        catalog: &Catalog,
        shape: Shape,
        out: &mut dyn std::io::Write,
    ) -> Result<(), Failed> {
        let text = match self {
            ReadOnly::Search {
                query,
                region,
                kind,
                json: false,
                csv: false,
                ..
            } => {
                let found = searched(catalog, shape, query, region, kind, false);
                let (hits, hub, terms) = found.map_err(Failed::Says)?;
                let found = report::Found {
                    hits: &hits,
                    hub: hub.as_ref(),
                    terms: &terms,
                };
                let mut sink = |text: &str| out.write_all(text.as_bytes());
                return report::search_lines_to(
                    catalog,
                    &found,
                    shape.lang,
                    shape.highlight,
                    &mut sink,
                )
                .map_err(Failed::Write);
            }
            _ => self.run(catalog, shape).map_err(Failed::Says)?,
        };
        out.write_all(text.as_bytes()).map_err(Failed::Write)
    }
}

/// What `search` found: the hits, the hub's match, the query's terms.
type Searched = (
    Vec<crate::search::Hit>,
    Option<crate::search::Hit>,
    Vec<crate::search::Term>,
);

/// What `search` found for `query` in `region` and `kind`: the hits, best first
/// (`marked`: with their highlight marks, or for the lines to mark as they print
/// them), the hub's match, the query's terms; or the sentence saying nothing matches.
fn searched(
    catalog: &Catalog,
    shape: Shape,
    query: &[String],
    region: &Option<String>,
    kind: &Option<String>,
    marked: bool,
) -> Result<Searched, String> {
    let (ds, today) = (catalog.dataset(), shape.today);
    let f = Filter::resolve(ds, region.as_deref(), kind.as_deref(), None)?;
    let q = query.join(" ");
    let mut hits = if marked {
        catalog.search(&f, today, &q)
    } else {
        catalog.search_unmarked(&f, today, &q)
    };
    number_first(catalog, &f, today, &q, &mut hits, shape.lang)?;
    // The hub is in no region and of no kind: a filter leaves it out.
    let hub = if f.is_active() {
        None
    } else {
        catalog.hub_hit(&q)
    };
    if hits.is_empty() && hub.is_none() {
        return Err(nothing_matches(&q));
    }
    Ok((hits, hub, crate::search::parse_query(&q)))
}

/// A catalog for running `cmd` on `loaded`: the index is built only for the commands
/// that search.
pub fn catalog_for(cmd: &ReadOnly, loaded: Loaded) -> Catalog {
    if cmd.searches() {
        Catalog::new(loaded)
    } else {
        Catalog::without_index(loaded)
    }
}

/// When `q` is a partnership's number (`7`, `No. 7`, `7例目`): that partner first, or,
/// when no partner has it and it is a gap in the count, the sentence that says so.
fn number_first(
    catalog: &Catalog,
    f: &Filter,
    today: chrono::NaiveDate,
    q: &str,
    hits: &mut Vec<crate::search::Hit>,
    lang: crate::data::Lang,
) -> Result<(), String> {
    let Some(n) = crate::search::ordinal_query(q) else {
        return Ok(());
    };
    let ds = catalog.dataset();
    if let Some(i) = f.numbered(ds, today, n) {
        crate::search::put_first(hits, i);
        return Ok(());
    }
    if catalog.gaps().iter().any(|g| g.first <= n && n <= g.last) && hits.is_empty() {
        return Err(crate::summary::gap_sentence(ds, n, lang));
    }
    Ok(())
}

fn nothing_matches(q: &str) -> String {
    format!("nothing matches {:?}", crate::text::clean(q))
}
