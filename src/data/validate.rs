//! The rules a parsed dataset must keep beyond its syntax: vocabularies declared once,
//! partners that are unique, named and numbered, refer only to what the dataset
//! declares, and are numbered in signing order. The first broken rule is the error,
//! pointing at the entry that breaks it.

// A fast seeded hash for the tables built over every partner at load time (SipHash
// was a measurable share of loading 100k partners).
use foldhash::{HashMap, HashMapExt, HashSet};

use crate::data::error::{LoadError, Locator};
use crate::data::schema::{Dataset, Label, Location, Partner};

/// The longest term a partnership may state, in years: a longer one means nothing (and
/// its end would lie past the dates the calendar handles).
pub const MAX_TERM_YEARS: u32 = 1000;

/// Checks the rules in the order a reader would fix them: the vocabularies, then each
/// partner in file order, then what holds between partners.
pub(super) fn validate(ds: &Dataset, text: &str, name: &str) -> Result<(), LoadError> {
    let at = Locator { text, name };
    check_head(ds, &at)?;
    let ordinals = check_partners(ds, &at)?;
    check_ordinal_order(ds, &at)?;
    check_gaps(ds, |o| ordinals.get(&o).copied(), &at)
}

/// The rules on what the dataset declares besides its partners.
pub(super) fn check_head(ds: &Dataset, at: &Locator<'_>) -> Result<(), LoadError> {
    check_vocabularies(ds, at)?;
    check_countries(ds, at)?;
    check_source_list(ds, at)?;
    check_hub(ds, at)
}

/// For a dataset whose partners are checked one at a time ([`super::stream`]): the
/// keys of the declared sources, which [`partner_ok`] needs.
pub(super) fn source_keys(ds: &Dataset) -> HashSet<&str> {
    ds.sources.iter().map(|s| s.key()).collect()
}

/// Whether `p` keeps every rule [`validate`] checks of a partner on its own (all but
/// the uniqueness of its id and ordinal, and the order of the ordinals, which
/// [`ordinals_ok`] and the caller check); `source_files` as [`source_keys`] gives.
pub(super) fn partner_ok(
    ds: &Dataset,
    source_files: &HashSet<&str>,
    p: &Partner,
    at: &Locator<'_>,
) -> bool {
    is_slug(&p.id)
        && check_numbers(p, at).is_ok()
        && check_name(p, at).is_ok()
        && check_vocabulary_use(ds, p, at).is_ok()
        && check_country(ds, p, at).is_ok()
        && check_sources(source_files, p, at).is_ok()
        && check_fact_sources(ds, p, at).is_ok()
}

/// Whether partners with these ordinals and dates (`by_ordinal`, sorted by ordinal)
/// keep the rules between partners that [`validate`] checks of them: no ordinal twice,
/// ordinals in signing order, no declared gap at a used ordinal.
pub(super) fn ordinals_ok(
    ds: &Dataset,
    by_ordinal: &[(u32, crate::data::date::SignedDate)],
    at: &Locator<'_>,
) -> bool {
    let unique = by_ordinal.windows(2).all(|w| w[0].0 != w[1].0);
    let has = |o: u32| {
        by_ordinal
            .binary_search_by_key(&o, |&(x, _)| x)
            .ok()
            .map(|_| "")
    };
    unique && ordinal_order_break(by_ordinal).is_none() && check_gaps(ds, has, at).is_ok()
}

/// Regions and kinds: at least one each, every id non-empty and declared once.
fn check_vocabularies(ds: &Dataset, at: &Locator<'_>) -> Result<(), LoadError> {
    for (what, vocab) in [("region", &ds.regions), ("kind", &ds.kinds)] {
        if vocab.is_empty() {
            return Err(at.top(format!("the dataset declares no {what}s")));
        }
        let mut seen = HashSet::default();
        for l in vocab {
            if l.id.trim().is_empty() {
                return Err(at.top(format!("a {what} has an empty id")));
            }
            if !seen.insert(l.id.as_str()) {
                return Err(at.at(
                    &l.id,
                    1,
                    format!("the {what} id {:?} is declared twice", l.id),
                ));
            }
        }
    }
    Ok(())
}

/// Countries: ISO codes, each declared once.
fn check_countries(ds: &Dataset, at: &Locator<'_>) -> Result<(), LoadError> {
    let mut seen = HashSet::default();
    for c in &ds.countries {
        if !is_alpha2(&c.id) {
            return Err(at.at(
                &c.id,
                0,
                format!(
                    "the country id {:?} is not an ISO 3166 alpha-2 code (two capital letters)",
                    c.id
                ),
            ));
        }
        if !seen.insert(c.id.as_str()) {
            return Err(at.at(
                &c.id,
                1,
                format!("the country {:?} is declared twice", c.id),
            ));
        }
    }
    Ok(())
}

/// The declared sources: each a release (a file) or a page (an `http` or `https` URL
/// of printable ASCII), not both, and each key declared once.
fn check_source_list(ds: &Dataset, at: &Locator<'_>) -> Result<(), LoadError> {
    let mut seen = HashSet::default();
    for s in &ds.sources {
        let what = match (s.file.is_empty(), &s.url) {
            (true, None) => Some("has neither a file nor a url".to_string()),
            (false, Some(_)) => {
                Some("has both a file and a url; a source is one or the other".into())
            }
            (true, Some(u)) if !url_ok(u) => Some(format!(
                "has url {u:?}; a url is http:// or https:// followed by printable ASCII"
            )),
            _ => None,
        };
        if let Some(what) = what {
            let message = format!("the source {:?} {what}", s.title.en);
            return Err(match &s.url {
                Some(u) => at.at_value("url", u, 0, message),
                None if !s.file.is_empty() => at.at_value("file", &s.file, 0, message),
                None => at.at_value("en", &s.title.en, 0, message),
            });
        }
        if !seen.insert(s.key()) {
            let field = if s.url.is_some() { "url" } else { "file" };
            return Err(at.at_value(
                field,
                s.key(),
                1,
                format!("the source {:?} is declared twice", s.key()),
            ));
        }
    }
    Ok(())
}

/// Whether `u` is an address a reader can open: `http` or `https`, printable ASCII, no
/// spaces, of a sane length.
fn url_ok(u: &str) -> bool {
    (u.starts_with("https://") || u.starts_with("http://"))
        && u.len() <= 2048
        && u.bytes().all(|b| b.is_ascii_graphic())
}

/// The hub's place on the map, if it has one, and the sources its facts cite.
fn check_hub(ds: &Dataset, at: &Locator<'_>) -> Result<(), LoadError> {
    if let Some(l) = &ds.hub.location
        && !location_ok(l)
    {
        return Err(at.top(format!(
            "the hub has location ({}, {}); latitude must be -90 to 90 and longitude -180 to 180",
            l.lat, l.lon
        )));
    }
    let h = &ds.hub;
    if let Some(u) = &h.url
        && !url_ok(u)
    {
        return Err(at.at_value(
            "url",
            u,
            0,
            format!(
                "the hub has url {u:?}; a url is http:// or https:// followed by printable ASCII"
            ),
        ));
    }
    let cited = h
        .sources
        .iter()
        .chain(h.facts.iter().flat_map(|f| &f.sources))
        .chain(h.people.iter().flat_map(|p| &p.sources));
    match undeclared(ds, cited) {
        Some(s) => Err(at.at_value(
            "sources",
            s,
            0,
            format!("the hub cites source {s:?}, which the dataset does not list"),
        )),
        None => Ok(()),
    }
}

/// The first of `cited` whose key (what comes before a space) the dataset's list of
/// sources lacks, if it has a list.
fn undeclared<'a>(ds: &Dataset, mut cited: impl Iterator<Item = &'a String>) -> Option<&'a str> {
    if ds.sources.is_empty() {
        return None;
    }
    cited.find(|c| ds.source(c).is_none()).map(String::as_str)
}

/// Every partner, in file order, each checked in full before the next; returns which
/// partner has each ordinal.
fn check_partners<'a>(
    ds: &'a Dataset,
    at: &Locator<'_>,
) -> Result<HashMap<u32, &'a str>, LoadError> {
    let source_files: HashSet<&str> = ds.sources.iter().map(|s| s.key()).collect();
    let mut ids: HashMap<&str, usize> = HashMap::with_capacity(ds.partners.len());
    let mut ordinals: HashMap<u32, &str> = HashMap::with_capacity(ds.partners.len());
    for p in ds.partners.parsed() {
        check_id(p, &mut ids, at)?;
        check_numbers(p, at)?;
        if let Some(other) = ordinals.insert(p.ordinal, &p.id) {
            return Err(at.at(
                &p.id,
                0,
                format!(
                    "partner {:?} has ordinal {}, already used by {other:?}",
                    p.id, p.ordinal
                ),
            ));
        }
        check_name(p, at)?;
        check_vocabulary_use(ds, p, at)?;
        check_country(ds, p, at)?;
        check_sources(&source_files, p, at)?;
        check_fact_sources(ds, p, at)?;
    }
    Ok(ordinals)
}

/// The id: a slug no other partner has (`ids` counts those seen so far).
fn check_id<'a>(
    p: &'a Partner,
    ids: &mut HashMap<&'a str, usize>,
    at: &Locator<'_>,
) -> Result<(), LoadError> {
    let id = p.id.as_str();
    if !is_slug(id) {
        return Err(at.at(
            id,
            0,
            format!(
                "the id {id:?} is not a slug (lowercase letters, digits and '-', starting with a letter or digit)"
            ),
        ));
    }
    let n = ids.entry(id).or_insert(0);
    *n += 1;
    if *n > 1 {
        return Err(at.at(id, 1, format!("the id {id:?} is used by two partners")));
    }
    Ok(())
}

/// The numbers a partner states: an ordinal from 1, a term of bounded length, and a
/// point on the globe.
fn check_numbers(p: &Partner, at: &Locator<'_>) -> Result<(), LoadError> {
    let id = p.id.as_str();
    if p.ordinal == 0 {
        return Err(at.at(
            id,
            0,
            format!("partner {id:?} has ordinal 0; ordinals start at 1"),
        ));
    }
    if let Some(years) = p.term_years
        && years > MAX_TERM_YEARS
    {
        return Err(at.at(
            id,
            0,
            format!(
                "partner {id:?} has a term of {years} years; a term is at most {MAX_TERM_YEARS} years"
            ),
        ));
    }
    if let Some(l) = &p.location
        && !location_ok(l)
    {
        return Err(at.at(
            id,
            0,
            format!(
                "partner {id:?} has location ({}, {}); latitude must be -90 to 90 and longitude -180 to 180",
                l.lat, l.lon
            ),
        ));
    }
    if let Some(u) = &p.url
        && !url_ok(u)
    {
        return Err(at.at(
            id,
            0,
            format!(
                "partner {id:?} has url {u:?}; a url is http:// or https:// followed by printable ASCII"
            ),
        ));
    }
    Ok(())
}

/// A name in both languages.
fn check_name(p: &Partner, at: &Locator<'_>) -> Result<(), LoadError> {
    let id = p.id.as_str();
    let (ja, en) = (p.name.ja.trim().is_empty(), p.name.en.trim().is_empty());
    let which = match (ja, en) {
        (true, true) => return Err(at.at(id, 0, format!("partner {id:?} has no name"))),
        (true, false) => "Japanese",
        (false, true) => "English",
        (false, false) => return Ok(()),
    };
    Err(at.at(id, 0, format!("partner {id:?} has an empty {which} name")))
}

/// A region and a kind the dataset declares.
fn check_vocabulary_use(ds: &Dataset, p: &Partner, at: &Locator<'_>) -> Result<(), LoadError> {
    let id = p.id.as_str();
    for (what, value, vocab) in [
        ("region", &p.region, &ds.regions),
        ("kind", &p.kind, &ds.kinds),
    ] {
        if !vocab.iter().any(|l| l.id == *value) {
            return Err(at.at(
                id,
                0,
                format!(
                    "partner {id:?} has {what} {value:?}, which the dataset does not declare (declared: {})",
                    ids_of(vocab)
                ),
            ));
        }
    }
    Ok(())
}

/// An ISO country code, declared by the dataset if it declares countries at all.
fn check_country(ds: &Dataset, p: &Partner, at: &Locator<'_>) -> Result<(), LoadError> {
    let id = p.id.as_str();
    if !is_alpha2(&p.country) {
        return Err(at.at(
            id,
            0,
            format!(
                "partner {id:?} has country {:?}, not an ISO 3166 alpha-2 code (two capital letters)",
                p.country
            ),
        ));
    }
    if !ds.countries.is_empty() && !ds.countries.iter().any(|c| c.id == p.country) {
        return Err(at.at(
            id,
            0,
            format!(
                "partner {id:?} has country {:?}, which the dataset does not declare",
                p.country
            ),
        ));
    }
    Ok(())
}

/// Cited sources the dataset lists, if it lists any.
fn check_sources(
    source_files: &HashSet<&str>,
    p: &Partner,
    at: &Locator<'_>,
) -> Result<(), LoadError> {
    if source_files.is_empty() {
        return Ok(());
    }
    match p
        .sources
        .iter()
        .find(|s| !source_files.contains(s.as_str()))
    {
        Some(s) => Err(at.at(
            &p.id,
            0,
            format!(
                "partner {:?} cites source {s:?}, which the dataset does not list",
                p.id
            ),
        )),
        None => Ok(()),
    }
}

/// The sources a partner's facts and people cite, declared if the dataset declares any.
fn check_fact_sources(ds: &Dataset, p: &Partner, at: &Locator<'_>) -> Result<(), LoadError> {
    if p.facts.is_empty() && p.people.iter().all(|x| x.sources.is_empty()) {
        return Ok(());
    }
    let cited = p
        .facts
        .iter()
        .flat_map(|f| &f.sources)
        .chain(p.people.iter().flat_map(|x| &x.sources));
    match undeclared(ds, cited) {
        Some(s) => Err(at.at(
            &p.id,
            0,
            format!(
                "partner {:?} cites source {s:?}, which the dataset does not list",
                p.id
            ),
        )),
        None => Ok(()),
    }
}

/// Ordinals count partnerships in the order they were signed, so a higher ordinal
/// must not be certainly earlier than a lower one.
fn check_ordinal_order(ds: &Dataset, at: &Locator<'_>) -> Result<(), LoadError> {
    let mut by_ordinal: Vec<&Partner> = ds.partners.parsed().iter().collect();
    by_ordinal.sort_by_key(|p| p.ordinal);
    let keys: Vec<_> = by_ordinal.iter().map(|p| (p.ordinal, p.signed)).collect();
    let Some((prev, p)) = ordinal_order_break(&keys) else {
        return Ok(());
    };
    let (prev, p) = (by_ordinal[prev], by_ordinal[p]);
    Err(at.at(
        &p.id,
        0,
        format!(
            "ordinals must follow signing dates: {:?} (no. {}, signed {}) comes before {:?} (no. {}, signed {})",
            p.id, p.ordinal, p.signed, prev.id, prev.ordinal, prev.signed
        ),
    ))
}

/// The first partner in `by_ordinal` (ordinals and dates, sorted by ordinal) that is
/// certainly signed before one with a lower ordinal: that one's place, then its own.
fn ordinal_order_break(
    by_ordinal: &[(u32, crate::data::date::SignedDate)],
) -> Option<(usize, usize)> {
    let mut latest: Option<usize> = None;
    for (i, (_, signed)) in by_ordinal.iter().enumerate() {
        let Some(prev) = latest else {
            latest = Some(i);
            continue;
        };
        let before = &by_ordinal[prev].1;
        if before.certainly_after(signed) {
            return Some((prev, i));
        }
        if signed.start > before.start {
            latest = Some(i);
        }
    }
    None
}

/// A declared gap is an ordinal no partner has.
fn check_gaps<'a>(
    ds: &Dataset,
    partner_with: impl Fn(u32) -> Option<&'a str>,
    at: &Locator<'_>,
) -> Result<(), LoadError> {
    for g in &ds.gaps {
        if let Some(other) = partner_with(g.ordinal) {
            return Err(at.top(format!(
                "gap {} is listed, but partner {other:?} has that ordinal",
                g.ordinal
            )));
        }
        if let Some(s) = undeclared(ds, g.sources.iter()) {
            return Err(at.top(format!(
                "gap {} cites source {s:?}, which the dataset does not list",
                g.ordinal
            )));
        }
    }
    Ok(())
}

/// Whether a location is a point on the globe.
fn location_ok(l: &Location) -> bool {
    (-90.0..=90.0).contains(&l.lat) && (-180.0..=180.0).contains(&l.lon)
}

/// The ids of a vocabulary, for a message that lists what may be used.
fn ids_of(v: &[Label]) -> String {
    v.iter()
        .map(|l| l.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn is_alpha2(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase())
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}
