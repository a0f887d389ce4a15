//! The partner summary one shares in a meeting: the same facts for the browser's copy
//! key (`y`, plain text) and for `show --markdown`.

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::data::{Dataset, Lang, Partner};

/// The facts of a partner one shares in a meeting: names, date, place, term, scope,
/// signatories and sources.
struct Summary {
    title: String,
    other_name: Option<String>,
    facts: Vec<(&'static str, String)>,
    scope: Vec<String>,
    sources: Vec<String>,
}

fn summary(ds: &Dataset, p: &Partner, lang: Lang, today: NaiveDate) -> Summary {
    let tr = |en, ja| crate::i18n::tr(lang, en, ja);
    let other = p.name.get(lang.toggled());
    let mut facts = vec![(
        tr("No.", "提携"),
        match &p.short {
            Some(s) => format!("{} ({s})", p.ordinal),
            None => p.ordinal.to_string(),
        },
    )];
    facts.push((tr("Signed", "締結"), p.signed.display(lang)));
    facts.push((tr("Place", "所在地"), ds.place_line(p, lang)));
    if let Some(r) = ds.region(&p.region) {
        facts.push((tr("Region", "地域"), r.label(lang).to_string()));
    }
    if let Some(k) = ds.kind(&p.kind) {
        facts.push((tr("Kind", "種別"), k.label(lang).to_string()));
    }
    let term = crate::status::term(p, today);
    facts.push((
        tr("Term", "期間"),
        format!(
            "{} ({} {today})",
            crate::status::describe(&term, p.signed.precision, lang),
            tr("as of", "基準日")
        ),
    ));
    let signers: Vec<String> = p
        .people
        .iter()
        .filter(|x| x.at_signing)
        .map(|x| format!("{} ({})", x.name.get(lang), x.role.get(lang)))
        .collect();
    if !signers.is_empty() {
        facts.push((tr("Signed by", "署名者"), signers.join("; ")));
    }
    let mut scope: Vec<String> = p.scope.iter().map(|s| s.get(lang).to_string()).collect();
    if p.scope_etc {
        scope.push(tr("and more", "等").to_string());
    }
    Summary {
        title: p.name.get(lang).to_string(),
        other_name: (other != p.name.get(lang)).then(|| other.to_string()),
        facts,
        scope,
        sources: p
            .sources
            .iter()
            .map(|f| match ds.source(f) {
                Some(s) => format!("{} ({f})", s.title.get(lang)),
                None => f.clone(),
            })
            .collect(),
    }
}

/// The selected partner's summary as plain text (what `y` sends to the clipboard).
pub fn summary_text(ds: &Dataset, p: &Partner, lang: Lang, today: NaiveDate) -> String {
    let s = summary(ds, p, lang, today);
    let mut out = s.title.clone();
    if let Some(o) = &s.other_name {
        let _ = write!(out, " / {o}");
    }
    out.push('\n');
    for (k, v) in &s.facts {
        let _ = writeln!(out, "{k}: {v}");
    }
    if !s.scope.is_empty() {
        let scope = crate::i18n::tr(lang, "Scope", "提携内容");
        let _ = writeln!(out, "{scope}: {}", s.scope.join("; "));
    }
    let source = crate::i18n::tr(lang, "Source", "出典");
    for src in &s.sources {
        let _ = writeln!(out, "{source}: {src}");
    }
    out
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

/// `show --markdown`: the same summary as Markdown, for notes and emails.
pub fn summary_markdown(ds: &Dataset, p: &Partner, lang: Lang, today: NaiveDate) -> String {
    let s = summary(ds, p, lang, today);
    let mut out = format!("## {}\n\n", md(&s.title));
    if let Some(o) = &s.other_name {
        let _ = writeln!(out, "*{}*\n", md(o));
    }
    for (k, v) in &s.facts {
        let _ = writeln!(out, "- **{k}:** {}", md(v));
    }
    if !s.scope.is_empty() {
        let _ = writeln!(
            out,
            "\n### {}\n",
            crate::i18n::tr(lang, "Scope", "提携内容")
        );
        for item in &s.scope {
            let _ = writeln!(out, "- {}", md(item));
        }
    }
    if !s.sources.is_empty() {
        let _ = writeln!(out, "\n### {}\n", crate::i18n::tr(lang, "Sources", "出典"));
        for src in &s.sources {
            let _ = writeln!(out, "- {}", md(src));
        }
    }
    out
}
