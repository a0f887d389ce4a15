//! The detail pane: everything the dataset holds on the selected partner, wrapped.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use super::wrap::{Part, wrap};
use crate::data::{Dataset, Fact, Lang, Missing, Note, NoteKind, Partner, Person, Precision, Side};
use crate::i18n::tr;
use crate::mode::Focus;
use crate::session::Session;
use crate::text::width;

/// A hyperlink on a card: span `span` of line `line` shows (part of) the address `url`,
/// which [`crate::hyperlink::Target::of`] accepted. A long address wrapped over several
/// lines is a link on each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkAt {
    /// The line of the card.
    pub line: usize,
    /// The span of that line.
    pub span: usize,
    /// The address.
    pub url: String,
}

/// A card's lines and the links on them.
#[derive(Debug, Default)]
pub struct Card {
    /// The lines, wrapped to the card's width.
    pub lines: Vec<Line<'static>>,
    /// Where addresses that may be links are.
    pub links: Vec<LinkAt>,
}

/// The style an address is wrapped in, to find its pieces after wrapping: no other
/// text has it, and it is replaced before anything is drawn.
fn link_mark() -> Style {
    Style::new().add_modifier(Modifier::HIDDEN | Modifier::RAPID_BLINK)
}

struct Builder<'a> {
    t: &'a Theme,
    lang: Lang,
    width: usize,
    label_w: usize,
    lines: Vec<Line<'static>>,
    links: Vec<LinkAt>,
}

impl Builder<'_> {
    fn new(t: &Theme, lang: Lang, width: u16) -> Builder<'_> {
        Builder {
            t,
            lang,
            width: width as usize,
            label_w: match lang {
                Lang::En => 8,
                Lang::Ja => 6,
            },
            lines: Vec::new(),
            links: Vec::new(),
        }
    }

    fn card(self) -> Card {
        Card {
            lines: self.lines,
            links: self.links,
        }
    }

    /// `url` as a part: marked as a link when it may be one, else plain text.
    fn url_part(&self, url: &str) -> Part {
        let style = if crate::hyperlink::Target::of(url).is_some() {
            link_mark()
        } else {
            self.t.base
        };
        (url.to_string(), style)
    }

    /// Appends wrapped lines, recording the pieces of `url` (marked by
    /// [`Builder::url_part`]) as links and giving them the base style.
    fn extend(&mut self, lines: Vec<Line<'static>>, url: Option<&str>) {
        for mut line in lines {
            if let Some(u) = url {
                for (i, span) in line.spans.iter_mut().enumerate() {
                    if span.style == link_mark() {
                        span.style = self.t.base;
                        self.links.push(LinkAt {
                            line: self.lines.len(),
                            span: i,
                            url: u.to_string(),
                        });
                    }
                }
            }
            self.lines.push(line);
        }
    }

    fn blank(&mut self) {
        self.lines.push(Line::raw(""));
    }

    fn para(&mut self, parts: Vec<Part>, indent: usize) {
        let first = vec![Span::raw(" ".repeat(indent))];
        self.lines.extend(wrap(&parts, self.width, first, indent));
    }

    /// A labelled field whose value is an address.
    fn url_field(&mut self, en: &'static str, ja: &'static str, url: &str) {
        let value = vec![self.url_part(url)];
        let label = tr(self.lang, en, ja);
        let pad = self.label_w.saturating_sub(width(label));
        let first = vec![
            Span::styled(label.to_string(), self.t.label),
            Span::raw(" ".repeat(pad + 1)),
        ];
        let lines = wrap(&value, self.width, first, self.label_w + 1);
        self.extend(lines, Some(url));
    }

    fn heading(&mut self, en: &'static str, ja: &'static str) {
        self.blank();
        self.lines.push(Line::styled(
            tr(self.lang, en, ja).to_string(),
            self.t.title,
        ));
    }

    /// `Label    value [marker]`, the value wrapped under itself.
    fn field(&mut self, en: &'static str, ja: &'static str, value: Vec<Part>) {
        let label = tr(self.lang, en, ja);
        let pad = self.label_w.saturating_sub(width(label));
        let first = vec![
            Span::styled(label.to_string(), self.t.label),
            Span::raw(" ".repeat(pad + 1)),
        ];
        self.lines
            .extend(wrap(&value, self.width, first, self.label_w + 1));
    }

    fn bullet(&mut self, parts: Vec<Part>) {
        let first = vec![Span::raw(" - ")];
        self.lines.extend(wrap(&parts, self.width, first, 3));
    }

    /// A bullet whose first part is `url`, then `rest`.
    fn url_bullet(&mut self, url: &str, rest: Vec<Part>) {
        let mut parts = vec![self.url_part(url)];
        parts.extend(rest);
        let lines = wrap(&parts, self.width, vec![Span::raw(" - ")], 3);
        self.extend(lines, Some(url));
    }
}

fn markers(p: &Partner, field: &str, t: &Theme, lang: Lang) -> Vec<Part> {
    note_markers(&p.notes, field, t, lang)
}

/// A `[sources disagree]` or `[inferred]` tag for each note on `field`.
fn note_markers(notes: &[Note], field: &str, t: &Theme, lang: Lang) -> Vec<Part> {
    let mut v = Vec::new();
    for n in notes.iter().filter(|n| n.field == field) {
        v.push((" ".into(), Style::default()));
        v.push(match n.kind {
            NoteKind::Conflict => (
                tr(lang, "[sources disagree]", "[資料間で相違]").into(),
                t.conflict,
            ),
            NoteKind::Inferred => (tr(lang, "[inferred]", "[推定]").into(), t.inferred),
        });
    }
    v
}

fn note_lines(b: &mut Builder, notes: &[Note]) {
    for n in notes {
        let (tag, style) = match n.kind {
            NoteKind::Conflict => (tr(b.lang, "sources disagree", "資料間で相違"), b.t.conflict),
            NoteKind::Inferred => (tr(b.lang, "inferred", "推定"), b.t.inferred),
        };
        b.bullet(vec![
            (format!("[{tag}] "), style),
            (format!("{}: ", n.field), b.t.label),
            (n.text.clone(), b.t.base),
        ]);
        for r in &n.readings {
            b.para(
                vec![
                    (format!("\"{}\"", r.value), b.t.base),
                    (format!(" ({})", r.sources.join(", ")), b.t.dim),
                ],
                5,
            );
        }
    }
}

/// The detail card for the selected partner at `width` cells.
pub fn lines(m: &Session, t: &Theme, width: u16) -> Card {
    if m.hub_selected() {
        return hub_lines(m.dataset(), m.catalog().gaps(), m.lang(), t, width);
    }
    match m.selected_partner() {
        Some(p) => partner_lines(m.dataset(), &p, m.lang(), t, width, m.today()),
        None => Card {
            lines: gap_lines(m, t, width).unwrap_or_else(|| {
                vec![Line::styled(
                    tr(m.lang(), "Nothing selected.", "選択なし").to_string(),
                    t.dim,
                )]
            }),
            links: Vec::new(),
        },
    }
}

/// A query for a number the count skips (`15`): what is known of it, in full (its row
/// in the timeline is cut to the pane's width).
fn gap_lines(m: &Session, t: &Theme, width: u16) -> Option<Vec<Line<'static>>> {
    let n = crate::search::ordinal_query(m.query().text())?;
    let crate::session::Row::Gap(_) = m.row(0)? else {
        return None;
    };
    let text = crate::summary::gap_sentence(m.dataset(), n, m.lang());
    Some(super::wrap::wrap(
        &[(text, t.gap)],
        width as usize,
        Vec::new(),
        0,
    ))
}

/// Everything the dataset holds on `p`, as lines wrapped to `width` cells.
pub fn partner_lines(
    ds: &crate::data::Dataset,
    p: &Partner,
    lang: Lang,
    t: &Theme,
    width: u16,
    today: chrono::NaiveDate,
) -> Card {
    let mut b = Builder::new(t, lang, width);
    names(&mut b, p);
    facts(&mut b, ds, p);
    term(&mut b, p, today);
    scope(&mut b, p);
    people(&mut b, ds, p);

    b.heading("About", "概要");
    let mut about = vec![(p.description.get(lang).to_string(), t.base)];
    about.extend(markers(p, "description", t, lang));
    b.para(about, 0);

    fact_lines(&mut b, &p.facts);
    if !p.notes.is_empty() {
        b.heading("Conflicting and inferred facts", "資料間の相違・推定");
        note_lines(&mut b, &p.notes);
    }
    sources(&mut b, ds, &p.cited());
    b.card()
}

/// What the sources state beyond the fields, a bullet each with its sources.
fn fact_lines(b: &mut Builder, facts: &[Fact]) {
    if facts.is_empty() {
        return;
    }
    b.heading("More from the sources", "資料より");
    for f in facts {
        b.bullet(vec![
            (f.text.get(b.lang).to_string(), b.t.base),
            (format!(" ({})", f.sources.join(", ")), b.t.dim),
        ]);
    }
}

/// Everything the dataset holds on the hub, as lines wrapped to `width` cells: its
/// names, seat, chair and officers, what the releases state of it, the gaps in the
/// partners' numbering (`missing`, as the catalog holds them), and every note on the
/// hub or the dataset as a whole.
pub fn hub_lines(ds: &Dataset, missing: &[Missing], lang: Lang, t: &Theme, width: u16) -> Card {
    let h = &ds.hub;
    let mut b = Builder::new(t, lang, width);
    b.para(vec![(h.name.get(lang).to_string(), t.title)], 0);
    if h.name.get(lang.toggled()) != h.name.get(lang) {
        b.para(vec![(h.name.get(lang.toggled()).to_string(), t.dim)], 0);
    }
    b.para(
        vec![
            (h.short.clone(), t.label),
            (
                tr(lang, "  the hub of the network", "  ネットワークの中心").into(),
                t.base,
            ),
        ],
        0,
    );
    b.blank();
    let mut seat = vec![(h.seat.get(lang).to_string(), t.base)];
    seat.extend(note_markers(&h.notes, "seat", t, lang));
    b.field("Seat", "所在地", seat);
    let mut chair = h.chair.name_marked(lang, lang);
    if h.chair.name.get(lang.toggled()) != h.chair.name.get(lang) {
        chair = format!("{chair} ({})", h.chair.name_marked(lang.toggled(), lang));
    }
    let chair = format!("{chair}, {}", h.chair.role.get(lang));
    b.field("Chair", "理事長", vec![(chair, t.base)]);
    if let Some(u) = &h.url {
        b.url_field("Web", "ウェブ", u);
    }
    let counted = match lang {
        Lang::En => format!("{} described in this dataset", ds.partners.len()),
        Lang::Ja => format!("{}件（このデータセットに記載）", ds.partners.len()),
    };
    b.field("Partners", "提携先", vec![(counted, t.base)]);
    if !h.aliases.is_empty() {
        b.field("Also", "別名", vec![(h.aliases.join(", "), t.dim)]);
    }
    if !h.people.is_empty() {
        b.heading("People", "関係者");
        for person in &h.people {
            b.bullet(person_parts(t, lang, person, h.short.clone()));
        }
        let marks = note_markers(&h.notes, "people", t, lang);
        if !marks.is_empty() {
            b.para(marks, 2);
        }
    }
    if let Some(d) = &h.description {
        b.heading("About", "概要");
        let mut about = vec![(d.get(lang).to_string(), t.base)];
        about.extend(note_markers(&h.notes, "description", t, lang));
        b.para(about, 0);
    }
    fact_lines(&mut b, &h.facts);
    let gaps = crate::summary::gap_lines(ds, missing, lang);
    if !gaps.is_empty() {
        b.heading("Gaps in the numbering", "番号の欠け");
        for g in gaps {
            b.bullet(vec![(g, t.gap)]);
        }
    }
    let notes: Vec<Note> = h.notes.iter().chain(&ds.notes).cloned().collect();
    if !notes.is_empty() {
        b.heading("Conflicting and inferred facts", "資料間の相違・推定");
        note_lines(&mut b, &notes);
    }
    sources(&mut b, ds, &crate::summary::hub_cited(ds));
    b.card()
}

/// The name in both languages (the other only when it differs), the ordinal and the
/// short name.
fn names(b: &mut Builder, p: &Partner) {
    let (t, lang) = (b.t, b.lang);
    let other = lang.toggled();
    // A name the sources do not give as shown (an English rendering of ours...) is
    // marked as every other value is.
    let mut title = vec![(p.name.get(lang).to_string(), t.title)];
    title.extend(markers(p, "name", t, lang));
    title.extend(markers(p, Partner::name_field(lang), t, lang));
    b.para(title, 0);
    if p.name.get(other) != p.name.get(lang) {
        let mut second = vec![(p.name.get(other).to_string(), t.dim)];
        second.extend(markers(p, Partner::name_field(other), t, lang));
        b.para(second, 0);
    }
    let mut head: Vec<Part> = vec![(
        format!("{} {}", tr(lang, "No.", "提携"), p.ordinal) + tr(lang, "", "例目"),
        t.base,
    )];
    if let Some(s) = &p.short {
        head.push(("  ".into(), t.base));
        head.push((s.clone(), t.label));
    }
    head.extend(markers(p, "ordinal", t, lang));
    b.para(head, 0);
    b.blank();
}

/// How precisely the signing date is known, in words.
fn precision_label(precision: Precision, lang: Lang) -> &'static str {
    match (precision, lang) {
        (Precision::Day, Lang::En) => "exact day",
        (Precision::Month, Lang::En) => "month only",
        (Precision::Year, Lang::En) => "year only",
        (Precision::Day, Lang::Ja) => "日付まで判明",
        (Precision::Month, Lang::Ja) => "月まで",
        (Precision::Year, Lang::Ja) => "年のみ",
    }
}

/// The labelled facts: signing date, place, region and kind.
fn facts(b: &mut Builder, ds: &crate::data::Dataset, p: &Partner) {
    let (t, lang) = (b.t, b.lang);
    let precision = precision_label(p.signed.precision, lang);
    let mut signed = vec![
        (p.signed.display(lang), t.base),
        (format!(" ({precision})"), t.dim),
    ];
    signed.extend(markers(p, "signed", t, lang));
    b.field("Signed", "締結", signed);

    if let Some(i) = &p.instrument {
        let mut doc = vec![(i.get(lang).to_string(), t.base)];
        doc.extend(markers(p, "instrument", t, lang));
        b.field("Document", "文書", doc);
    }
    let mut place = vec![(ds.place_line(p, lang), t.base)];
    place.extend(markers(p, "place", t, lang));
    b.field("Place", "所在地", place);
    let region = ds
        .region(&p.region)
        .map_or(p.region.as_str(), |r| r.label(lang));
    let mut region = vec![(region.to_string(), t.region)];
    region.extend(markers(p, "region", t, lang));
    b.field("Region", "地域", region);
    let kind = ds.kind(&p.kind).map_or(p.kind.as_str(), |k| k.label(lang));
    let mut kind = vec![(kind.to_string(), t.kind)];
    kind.extend(markers(p, "kind", t, lang));
    b.field("Kind", "種別", kind);
    if let Some(u) = &p.url {
        b.url_field("Web", "ウェブ", u);
    }
}

/// The term as of `today`, coloured by where it stands, and the aliases.
fn term(b: &mut Builder, p: &Partner, today: chrono::NaiveDate) {
    let (t, lang) = (b.t, b.lang);
    let term = crate::status::term(p, today);
    let style = match term.status {
        crate::status::Status::Active => t.region,
        crate::status::Status::Ending => t.inferred,
        crate::status::Status::PastTerm => t.conflict,
        crate::status::Status::Unknown => t.dim,
    };
    let mut line = vec![(
        crate::status::describe(&term, p.signed.precision, lang),
        style,
    )];
    line.extend(markers(p, "term_years", t, lang));
    b.field("Term", "期間", line);
    if !p.aliases.is_empty() {
        b.field("Also", "別名", vec![(p.aliases.join(", "), t.dim)]);
    }
}

/// The scope of the partnership, a bullet an item; its markers go on the last bullet.
fn scope(b: &mut Builder, p: &Partner) {
    let (t, lang) = (b.t, b.lang);
    if !p.scope.is_empty() {
        b.heading("Scope", "提携内容");
        let mut scope_marks = markers(p, "scope", t, lang);
        for (i, s) in p.scope.iter().enumerate() {
            let mut parts = vec![(s.get(lang).to_string(), t.base)];
            if i + 1 == p.scope.len() && !p.scope_etc {
                parts.append(&mut scope_marks);
            }
            b.bullet(parts);
        }
        if p.scope_etc {
            let mut parts = vec![(tr(lang, "and more (等)", "等").to_string(), t.dim)];
            parts.append(&mut scope_marks);
            b.bullet(parts);
        }
    }
}

/// The people named, a bullet each with their side and role, and their quotes.
fn people(b: &mut Builder, ds: &crate::data::Dataset, p: &Partner) {
    let (t, lang) = (b.t, b.lang);
    if !p.people.is_empty() {
        b.heading("People", "関係者");
        for person in &p.people {
            let side = match person.side {
                Side::Hub => ds.hub.short.clone(),
                Side::Partner => p
                    .short
                    .clone()
                    .unwrap_or_else(|| p.name.get(lang).to_string()),
            };
            b.bullet(person_parts(t, lang, person, side));
            if let Some(q) = &person.quote {
                b.para(vec![(format!("「{q}」"), t.dim)], 5);
            }
        }
        let people_notes: Vec<Part> = markers(p, "people", t, lang);
        if !people_notes.is_empty() {
            b.para(people_notes, 2);
        }
    }
}

/// One person's bullet: the name (and in the other language when it differs), the
/// role, and tags for the side, the signing and a quote.
fn person_parts(t: &Theme, lang: Lang, person: &Person, side: String) -> Vec<Part> {
    let other = lang.toggled();
    let mut parts = vec![(person.name_marked(lang, lang), t.label)];
    if person.name.get(other) != person.name.get(lang) {
        parts.push((format!(" ({})", person.name_marked(other, lang)), t.dim));
    }
    parts.push((format!(", {}", person.role.get(lang)), t.base));
    let mut tags = vec![side];
    if person.pictured {
        tags.push(tr(lang, "pictured", "写真").to_string());
    }
    if person.quote.is_some() {
        tags.push(tr(lang, "quoted", "コメント").to_string());
    }
    parts.push((format!(" [{}]", tags.join(", ")), t.dim));
    parts
}

/// The sources cited, a bullet each with its title.
fn sources(b: &mut Builder, ds: &Dataset, cited: &[String]) {
    let (t, lang) = (b.t, b.lang);
    if cited.is_empty() {
        return;
    }
    b.heading("Sources", "出典");
    for s in cited {
        let title = ds
            .source(s)
            .map(|d| format!(": {}", d.describe(lang)))
            .unwrap_or_default();
        match ds.source(s).and_then(|d| d.url.as_deref()) {
            // A page cited by its address: the address is the link.
            Some(url) if url == s => b.url_bullet(url, vec![(title, t.dim)]),
            _ => b.bullet(vec![(s.clone(), t.base), (title, t.dim)]),
        }
    }
}

/// Draws the detail block; returns where on the screen its links are.
pub fn render(m: &Session, t: &Theme, area: Rect, f: &mut Frame) -> Vec<super::links::OnScreen> {
    let focused = m.focus() == Focus::Detail && !m.help();
    let name = match m.selected_partner() {
        None if m.hub_selected() => m.dataset().hub.short.clone(),
        Some(p) => p
            .short
            .clone()
            .unwrap_or_else(|| p.name.get(m.lang()).to_string()),
        None => tr(m.lang(), "Detail", "詳細").to_string(),
    };
    let title = format!(
        " {} ",
        crate::text::truncate_with(&name, area.width.saturating_sub(16) as usize, t.ellipsis)
    );
    let block = t.pane(title, focused);
    let inner = block.inner(area);
    let card = lines(m, t, inner.width);
    let total = card.lines.len();
    let h = inner.height as usize;
    if total > h && area.width > 14 {
        let pos = format!(
            " {}-{}/{} ",
            m.detail_scroll() + 1,
            (m.detail_scroll() + h).min(total),
            total
        );
        let block = block.title_bottom(Line::styled(pos, t.dim).right_aligned());
        f.render_widget(block, area);
    } else {
        f.render_widget(block, area);
    }
    let shown = super::links::on_screen(&card, m.detail_scroll(), inner);
    let visible: Vec<Line> = card
        .lines
        .into_iter()
        .skip(m.detail_scroll())
        .take(h)
        .collect();
    f.render_widget(Paragraph::new(visible), inner);
    shown
}
