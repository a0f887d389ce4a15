//! Cleaning every string a dataset holds: a file is untrusted, and an escape sequence or
//! an invisible character in a name would otherwise reach the terminal or the search.

use crate::data::lang::Text;
use crate::data::schema::{Country, Dataset, Fact, Hub, Label, Note, Partner, Person};
use crate::text::clean_address_in_place as cite;
use crate::text::clean_in_place as c;

/// Runs [`crate::text::clean`] over every string a dataset holds.
pub(super) fn clean_dataset(ds: &mut Dataset) {
    text(&mut ds.title);
    hub(&mut ds.hub);
    ds.regions.iter_mut().for_each(label);
    ds.kinds.iter_mut().for_each(label);
    ds.countries.iter_mut().for_each(country);
    for s in &mut ds.sources {
        c(&mut s.file);
        if let Some(u) = &mut s.url {
            cite(u);
        }
        if let Some(p) = &mut s.publisher {
            text(p);
        }
        text(&mut s.title);
    }
    for g in &mut ds.gaps {
        c(&mut g.note);
        if let Some(d) = &mut g.deduced {
            text(d);
        }
        g.sources.iter_mut().for_each(cite);
    }
    ds.notes.iter_mut().for_each(note);
    ds.partners.make_mut().iter_mut().for_each(partner);
}

fn text(x: &mut Text) {
    c(&mut x.ja);
    c(&mut x.en);
}

fn label(x: &mut Label) {
    c(&mut x.id);
    c(&mut x.ja);
    c(&mut x.en);
    if let Some(tag) = &mut x.tag {
        text(tag);
    }
}

fn person(p: &mut Person) {
    text(&mut p.name);
    text(&mut p.role);
    if let Some(q) = &mut p.quote {
        c(q);
    }
    p.sources.iter_mut().for_each(cite);
}

fn fact(f: &mut Fact) {
    text(&mut f.text);
    f.sources.iter_mut().for_each(cite);
}

fn note(n: &mut Note) {
    c(&mut n.field);
    c(&mut n.text);
    for r in &mut n.readings {
        c(&mut r.value);
        r.sources.iter_mut().for_each(cite);
    }
}

fn country(k: &mut Country) {
    c(&mut k.id);
    c(&mut k.ja);
    c(&mut k.en);
    k.aliases.iter_mut().for_each(c);
}

fn hub(h: &mut Hub) {
    text(&mut h.name);
    c(&mut h.short);
    h.aliases.iter_mut().for_each(c);
    text(&mut h.seat);
    person(&mut h.chair);
    h.people.iter_mut().for_each(person);
    h.facts.iter_mut().for_each(fact);
    h.sources.iter_mut().for_each(cite);
    if let Some(u) = &mut h.url {
        cite(u);
    }
    if let Some(d) = &mut h.description {
        text(d);
    }
    h.notes.iter_mut().for_each(note);
    if let Some(l) = &mut h.location {
        c(&mut l.basis);
    }
}

/// Runs [`crate::text::clean`] over every string of one partner.
pub(super) fn partner(p: &mut Partner) {
    c(&mut p.id);
    text(&mut p.name);
    if let Some(s) = &mut p.short {
        c(s);
    }
    p.aliases.iter_mut().for_each(c);
    c(&mut p.country);
    c(&mut p.region);
    text(&mut p.place);
    if let Some(l) = &mut p.location {
        c(&mut l.basis);
    }
    c(&mut p.kind);
    if let Some(u) = &mut p.url {
        cite(u);
    }
    p.scope.iter_mut().for_each(text);
    if let Some(i) = &mut p.instrument {
        text(i);
    }
    p.people.iter_mut().for_each(person);
    text(&mut p.description);
    p.facts.iter_mut().for_each(fact);
    p.sources.iter_mut().for_each(cite);
    p.notes.iter_mut().for_each(note);
}
