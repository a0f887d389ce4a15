//! The summary one shares in a meeting, as Markdown: the same for the browser's copy
//! key (`y`) and for `show --markdown`, for a partner or for the hub. Every value
//! carries its markers in words ("inferred", "sources disagree"), and the notes that
//! explain them follow, with their readings and sources.

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::data::{
    Dataset, Fact, Lang, Marks, Missing, Note, NoteKind, Partner, Person, Side, cited_keys,
};

/// The facts one shares in a meeting: names, labelled values, then sections of items.
struct Summary {
    title: String,
    other_name: Option<String>,
    facts: Vec<(&'static str, String)>,
    sections: Vec<(&'static str, Vec<String>)>,
}

impl Summary {
    fn section(&mut self, heading: &'static str, items: Vec<String>) {
        if !items.is_empty() {
            self.sections.push((heading, items));
        }
    }
}

/// `value` with the marks of `field` in words.
fn marked(value: String, notes: &[Note], field: &str, lang: Lang) -> String {
    value + &Marks::of(notes, field).words(lang)
}

/// One person: name, role, and what the source says of them (pictured, quoted).
pub(crate) fn person_line(x: &Person, side: &str, lang: Lang) -> String {
    let tr = |en, ja| crate::i18n::tr(lang, en, ja);
    let mut line = x.name_marked(lang, lang);
    if x.name.get(lang.toggled()) != x.name.get(lang) {
        let _ = write!(line, " ({})", x.name_marked(lang.toggled(), lang));
    }
    let _ = write!(line, ", {}", x.role.get(lang));
    let mut tags = vec![side.to_string()];
    if x.pictured {
        tags.push(tr("pictured in the release's photo", "リリースの写真に写る").into());
    }
    if x.quote.is_some() {
        tags.push(tr("quoted", "コメント").into());
    }
    let _ = write!(line, " [{}]", tags.join(", "));
    line
}

/// A line after the people when a note concerns them: which of them, the notes say.
fn people_marks(people: &mut Vec<String>, notes: &[Note], lang: Lang) {
    let marks = Marks::of(notes, "people");
    if marks.any() && !people.is_empty() {
        let what = crate::i18n::tr(lang, "On the people above", "上記の人物について");
        let see = crate::i18n::tr(lang, ": see the notes below", "：下記の注記を参照");
        people.push(format!("{what}{}{see}", marks.words(lang)));
    }
}

/// A fact with its sources.
fn fact_line(f: &Fact, lang: Lang) -> String {
    format!("{} ({})", f.text.get(lang), f.sources.join(", "))
}

/// A note and its readings, on one line.
fn note_line(n: &Note, lang: Lang) -> String {
    let tag = match n.kind {
        NoteKind::Conflict => crate::i18n::tr(lang, "sources disagree", "資料間で相違"),
        NoteKind::Inferred => crate::i18n::tr(lang, "inferred", "推定"),
    };
    let mut line = format!("[{tag}] {}: {}", n.field, n.text);
    for r in &n.readings {
        let _ = write!(line, " / \"{}\" ({})", r.value, r.sources.join(", "));
    }
    line
}

/// What a list of cited keys are, with the titles the dataset gives them (and, for a
/// page, its publisher and date), each followed by its key: a file name or a URL.
fn source_lines(ds: &Dataset, cited: &[String], lang: Lang) -> Vec<String> {
    cited
        .iter()
        .map(|f| match ds.source(f) {
            Some(s) => format!("{} ({f})", s.describe(lang)),
            None => f.clone(),
        })
        .collect()
}

fn summary(ds: &Dataset, p: &Partner, lang: Lang, today: NaiveDate) -> Summary {
    let tr = |en, ja| crate::i18n::tr(lang, en, ja);
    let n = &p.notes;
    let other = p.name.get(lang.toggled());
    let number = match &p.short {
        Some(s) => format!("{} ({s})", p.ordinal),
        None => p.ordinal.to_string(),
    };
    let mut facts = vec![(tr("No.", "提携"), marked(number, n, "ordinal", lang))];
    facts.push((
        tr("Signed", "締結"),
        marked(p.signed.display(lang), n, "signed", lang),
    ));
    if let Some(i) = &p.instrument {
        facts.push((
            tr("Agreement", "締結文書"),
            marked(i.get(lang).to_string(), n, "instrument", lang),
        ));
    }
    facts.push((
        tr("Place", "所在地"),
        marked(ds.place_line(p, lang), n, "place", lang),
    ));
    if let Some(r) = ds.region(&p.region) {
        let region = r.label(lang).to_string();
        facts.push((tr("Region", "地域"), marked(region, n, "region", lang)));
    }
    if let Some(k) = ds.kind(&p.kind) {
        let kind = k.label(lang).to_string();
        facts.push((tr("Kind", "種別"), marked(kind, n, "kind", lang)));
    }
    let term = crate::status::term(p, today);
    let term = format!(
        "{} ({} {today})",
        crate::status::describe(&term, p.signed.precision, lang),
        tr("as of", "基準日")
    );
    facts.push((tr("Term", "期間"), marked(term, n, "term_years", lang)));
    if let Some(u) = &p.url {
        facts.push((tr("Web", "ウェブ"), u.clone()));
    }
    let partner_side = p
        .short
        .clone()
        .unwrap_or_else(|| p.name.get(lang).to_string());
    let mut s = Summary {
        title: format!("{}{}", p.name.get(lang), p.name_marks(lang).words(lang)),
        other_name: (other != p.name.get(lang)).then(|| {
            let only = p.marks(crate::data::Partner::name_field(lang.toggled()));
            format!("{other}{}", only.words(lang))
        }),
        facts,
        sections: Vec::new(),
    };
    let mut people: Vec<String> = p
        .people
        .iter()
        .map(|x| {
            let side = match x.side {
                Side::Hub => ds.hub.short.as_str(),
                Side::Partner => partner_side.as_str(),
            };
            person_line(x, side, lang)
        })
        .collect();
    people_marks(&mut people, n, lang);
    s.section(tr("People named", "資料に名前のある人"), people);
    let mut scope: Vec<String> = p.scope.iter().map(|x| x.get(lang).to_string()).collect();
    if p.scope_etc {
        scope.push(tr("and more (等)", "等").to_string());
    }
    if let Some(last) = scope.last_mut() {
        last.push_str(&Marks::of(n, "scope").words(lang));
    }
    s.section(tr("Scope", "提携内容"), scope);
    s.section(
        tr("About", "概要"),
        vec![marked(
            p.description.get(lang).to_string(),
            n,
            "description",
            lang,
        )],
    );
    s.section(
        tr("More from the sources", "資料より"),
        p.facts.iter().map(|f| fact_line(f, lang)).collect(),
    );
    s.section(
        tr("Conflicting and inferred facts", "資料間の相違・推定"),
        n.iter().map(|x| note_line(x, lang)).collect(),
    );
    s.section(tr("Sources", "出典"), source_lines(ds, &p.cited(), lang));
    s
}

/// The hub's summary: names, seat, chair, officers, what the releases state of it, the
/// gaps in the partners' numbering, and every note on the hub or the dataset.
fn hub_summary(ds: &Dataset, missing: &[Missing], lang: Lang) -> Summary {
    let tr = |en, ja| crate::i18n::tr(lang, en, ja);
    let h = &ds.hub;
    let n = &h.notes;
    let other = h.name.get(lang.toggled());
    let mut facts = vec![(
        tr("Short name", "略称"),
        format!(
            "{} ({})",
            h.short,
            tr("the hub of the network", "ネットワークの中心")
        ),
    )];
    facts.push((
        tr("Seat", "所在地"),
        marked(h.seat.get(lang).to_string(), n, "seat", lang),
    ));
    facts.push((tr("Chair", "理事長"), {
        let line = person_line(&h.chair, &h.short, lang);
        line.rsplit_once(" [")
            .map_or(line.clone(), |(l, _)| l.to_string())
    }));
    if let Some(u) = &h.url {
        facts.push((tr("Web", "ウェブ"), u.clone()));
    }
    facts.push((
        tr("Partners", "提携先"),
        format!(
            "{} {}",
            ds.partners.len(),
            tr("described in this dataset", "件（このデータセットに記載）")
        ),
    ));
    let mut s = Summary {
        title: h.name.get(lang).to_string(),
        other_name: (other != h.name.get(lang)).then(|| other.to_string()),
        facts,
        sections: Vec::new(),
    };
    let mut people: Vec<String> = h
        .people
        .iter()
        .map(|x| person_line(x, &h.short, lang))
        .collect();
    people_marks(&mut people, n, lang);
    s.section(tr("People named", "資料に名前のある人"), people);
    if let Some(d) = &h.description {
        let about = marked(d.get(lang).to_string(), n, "description", lang);
        s.section(tr("About", "概要"), vec![about]);
    }
    s.section(
        tr("More from the sources", "資料より"),
        h.facts.iter().map(|f| fact_line(f, lang)).collect(),
    );
    s.section(
        tr("Gaps in the numbering", "番号の欠け"),
        gap_lines(ds, missing, lang),
    );
    s.section(
        tr("Conflicting and inferred facts", "資料間の相違・推定"),
        n.iter()
            .chain(&ds.notes)
            .map(|x| note_line(x, lang))
            .collect(),
    );
    s.section(
        tr("Sources", "出典"),
        source_lines(ds, &hub_cited(ds), lang),
    );
    s
}

/// Every source the hub's card cites: the hub's own, its facts', people's and
/// readings', and those the gaps' deductions are drawn from, each once.
pub(crate) fn hub_cited(ds: &Dataset) -> Vec<String> {
    let mut cited = ds.hub.cited();
    for k in cited_keys(ds.gaps.iter().flat_map(|g| &g.sources)) {
        if !cited.contains(&k) {
            cited.push(k);
        }
    }
    cited
}

/// Each run of ordinals no partner has (`missing`, as the catalog holds them), with
/// what the dataset says of it.
pub(crate) fn gap_lines(ds: &Dataset, missing: &[Missing], lang: Lang) -> Vec<String> {
    missing
        .iter()
        .map(|g| {
            let why = ds
                .gaps
                .iter()
                .find(|d| g.is_one() && d.ordinal == g.first)
                .map(|d| format!(": {}{}", d.note, deduced_words(d, lang)))
                .unwrap_or_default();
            match lang {
                Lang::En => format!("No. {}: not described in the sources{why}", g.span("-")),
                Lang::Ja => format!("{}例目: 資料に記載なし{why}", g.span("～")),
            }
        })
        .collect()
}

/// One sentence on a number in the count that no partner has: `no. 15: not described
/// in the sources`, with the deduction when one is declared.
pub fn gap_sentence(ds: &Dataset, n: u32, lang: Lang) -> String {
    let head = match lang {
        Lang::En => format!("no. {n}: not described in the sources"),
        Lang::Ja => format!("{n}例目: 資料に記載なし"),
    };
    match ds.gaps.iter().find(|g| g.ordinal == n) {
        Some(g) => head + &deduced_words(g, lang),
        None => head,
    }
}

/// What a declared gap's deduction says, marked as one, with its sources: `; deduced
/// (inferred): a partner in Japan … (from 000_….txt, …)`, or nothing.
pub(crate) fn deduced_words(g: &crate::data::Gap, lang: Lang) -> String {
    let Some(d) = &g.deduced else {
        return String::new();
    };
    let from = if g.sources.is_empty() {
        String::new()
    } else {
        match lang {
            Lang::En => format!(" (from {})", g.sources.join(", ")),
            Lang::Ja => format!("（出典: {}）", g.sources.join(", ")),
        }
    };
    match lang {
        Lang::En => format!("; deduced (inferred): {}{from}", d.en),
        Lang::Ja => format!("、推定（資料からの推論）: {}{from}", d.ja),
    }
}

/// Escapes the characters Markdown would read as formatting.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn markdown(s: &Summary) -> String {
    let mut out = format!("## {}\n\n", md(&s.title));
    if let Some(o) = &s.other_name {
        let _ = writeln!(out, "*{}*\n", md(o));
    }
    for (k, v) in &s.facts {
        let _ = writeln!(out, "- **{k}:** {}", md(v));
    }
    for (heading, items) in &s.sections {
        let _ = writeln!(out, "\n### {heading}\n");
        for item in items {
            let _ = writeln!(out, "- {}", md(item));
        }
    }
    out
}

/// `show --markdown`: the same summary as Markdown, for notes and emails.
pub fn summary_markdown(ds: &Dataset, p: &Partner, lang: Lang, today: NaiveDate) -> String {
    markdown(&summary(ds, p, lang, today))
}

/// One Markdown brief of several partners, for a meeting: a heading with how many,
/// then each one's `show --markdown` summary, in the order given.
pub fn brief_markdown(ds: &Dataset, partners: &[&Partner], lang: Lang, today: NaiveDate) -> String {
    let n = partners.len();
    let hub = md(&ds.hub.short);
    let mut out = match lang {
        Lang::En => format!("# {hub}: a brief of {n} partners (as of {today})\n\n"),
        Lang::Ja => format!("# {hub}: 提携先{n}件の資料（{today}時点）\n\n"),
    };
    for (i, p) in partners.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&summary_markdown(ds, p, lang, today));
    }
    out
}

/// `show LINK-J --markdown`; `missing` are the runs of missing ordinals.
pub fn hub_markdown(ds: &Dataset, missing: &[Missing], lang: Lang) -> String {
    markdown(&hub_summary(ds, missing, lang))
}
