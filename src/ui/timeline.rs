//! The timeline: one row per partnership, year headings, gaps, scrollbar.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

use super::Theme;
use super::wrap::cells_to_spans;
use crate::action::Action;
use crate::data::{Dataset, Lang, Missing, Partner};
use crate::i18n::tr;
use crate::mode::Focus;
use crate::mode::Mode;
use crate::search::{Field, Hit};
use crate::session::{Row, Session};
use crate::text::{char_width, mark_runs, width};

/// A date and the cell after it for its sign (see [`sign`]).
const DATE_W: usize = 11;
const MIN_NAME_W: usize = 24;

/// Column widths for a given inner width.
struct Columns {
    ordinal: usize,
    name: usize,
    region: usize,
    kind: usize,
}

fn columns(m: &Session, inner: usize) -> Columns {
    let ds = m.dataset();
    let ordinal = m.max_ordinal().to_string().len();
    // The ordinal, its sign, the date with its sign, a space.
    let fixed = 2 + ordinal + 2 + DATE_W + 1;
    let region_max = ds
        .regions
        .iter()
        .map(|r| width(r.tag(m.lang())))
        .max()
        .unwrap_or(0);
    let kind_max = ds
        .kinds
        .iter()
        .map(|k| width(k.tag(m.lang())))
        .max()
        .unwrap_or(0);
    let rest = inner.saturating_sub(fixed);
    let (region, kind) = if rest >= MIN_NAME_W + 1 + region_max + 1 + kind_max {
        (region_max, kind_max)
    } else if rest >= MIN_NAME_W + 1 + region_max {
        (region_max, 0)
    } else {
        (0, 0)
    };
    let tags = if region > 0 { region + 1 } else { 0 } + if kind > 0 { kind + 1 } else { 0 };
    Columns {
        ordinal,
        name: rest.saturating_sub(tags),
        region,
        kind,
    }
}

/// Cells of text with styles, truncated/padded to exactly `w` cells.
fn fit(cells: Vec<(char, Style)>, w: usize, pad_style: Style, ell: char) -> Vec<Span<'static>> {
    let total: usize = cells.iter().map(|(c, _)| char_width(*c)).sum();
    let mut out: Vec<(char, Style)> = Vec::new();
    let mut used = 0;
    if total <= w {
        out = cells;
        used = total;
    } else if w > 0 {
        for (c, s) in cells {
            let cw = char_width(c);
            if used + cw > w - 1 {
                break;
            }
            out.push((c, s));
            used += cw;
        }
        out.push((ell, pad_style));
        used += 1;
    }
    let mut spans = cells_to_spans(out);
    if used < w {
        spans.push(Span::styled(" ".repeat(w - used), pad_style));
    }
    spans
}

/// `text` as styled characters: `base`, patched with `hl` on the marked ones.
fn marked(text: &str, marks: &[usize], base: Style, hl: Style) -> Vec<(char, Style)> {
    mark_runs(text, marks)
        .flat_map(|(run, on)| {
            let style = if on { base.patch(hl) } else { base };
            run.chars().map(move |c| (c, style))
        })
        .collect()
}

fn partner_line(
    m: &Session,
    t: &Theme,
    hit_index: usize,
    cols: &Columns,
    selected: bool,
) -> Line<'static> {
    let Some(hit) = m.hit(hit_index) else {
        return Line::default();
    };
    let ds = m.dataset();
    let Some(p) = ds.partners.get(hit.partner) else {
        return Line::default();
    };
    let p = &*p;
    let row = if selected { t.selected } else { t.base };
    // The selected row is one solid reverse-video bar: colours on it would turn into
    // patchy backgrounds.
    let tint = |s: Style| if selected { row } else { row.patch(s) };
    let lang = m.lang();
    // The selection's marker, then the partner's mark (Space marks it for a brief).
    let lead = format!(
        "{}{}",
        if selected { '>' } else { ' ' },
        if m.is_marked(hit.partner) {
            t.mark
        } else {
            ' '
        }
    );
    let mut spans = vec![Span::styled(lead, tint(t.key))];
    spans.push(Span::styled(
        format!("{:>w$}", p.ordinal, w = cols.ordinal),
        tint(t.dim),
    ));
    spans.push(Span::styled(sign(p, "ordinal"), tint(t.inferred)));
    spans.push(Span::styled(" ", row));
    let date = p.signed.to_string() + sign(p, "signed");
    spans.push(Span::styled(format!("{date:<DATE_W$} "), row));

    let name_focus = hit.marks_in(Field::Name(lang)).last().copied();
    let name = marked(
        p.name.get(lang),
        hit.marks_in(Field::Name(lang)),
        row.patch(t.title),
        t.matched,
    );
    let short_cells = short_cells(p, hit, lang, row, t.matched);
    let extra_cells = extra_cells(ds, p, hit, lang, tint(t.dim), t.matched);
    spans.extend(name_cell(
        name,
        name_focus,
        short_cells,
        extra_cells,
        cols.name,
        row,
        t.ellipsis,
    ));
    if cols.region > 0 {
        let label = ds
            .region(&p.region)
            .map_or(p.region.as_str(), |r| r.tag(lang));
        spans.extend(tag_column(
            label,
            tint(t.region),
            cols.region,
            row,
            t.ellipsis,
        ));
    }
    if cols.kind > 0 {
        let label = ds.kind(&p.kind).map_or(p.kind.as_str(), |k| k.tag(lang));
        spans.extend(tag_column(label, tint(t.kind), cols.kind, row, t.ellipsis));
    }
    Line::from(spans)
}

/// The one-cell sign of the notes on `field`: `!` where the sources disagree, `*` where
/// the value is inferred, else a space (the help's Markers section explains them, as
/// `linkj list`'s legend does).
fn sign(p: &Partner, field: &str) -> &'static str {
    let m = p.marks(field);
    if m.disputed {
        "!"
    } else if m.inferred {
        "*"
    } else {
        " "
    }
}

/// ` (short)` after the name, its matches marked; nothing when the name already
/// contains the short name.
fn short_cells(p: &Partner, hit: &Hit, lang: Lang, row: Style, hl: Style) -> Vec<(char, Style)> {
    let mut short_cells: Vec<(char, Style)> = Vec::new();
    if let Some(short) = &p.short
        && !p.name.get(lang).contains(short.as_str())
    {
        short_cells.extend(" (".chars().map(|c| (c, row)));
        short_cells.extend(marked(short, hit.marks_in(Field::Short), row, hl));
        short_cells.push((')', row));
    }
    short_cells
}

/// `  = field` after the names when the query matched a field the row does not show,
/// so the user sees why the row is here; else nothing.
fn extra_cells(
    ds: &Dataset,
    p: &Partner,
    hit: &Hit,
    lang: Lang,
    style: Style,
    hl: Style,
) -> Vec<(char, Style)> {
    let extra = hit
        .other_field(&[Field::Name(lang), Field::Short])
        .and_then(|(f, marks)| crate::search::field_text(ds, p, f).map(|t| (t, marks)));
    let mut extra_cells: Vec<(char, Style)> = Vec::new();
    if let Some((text, marks)) = extra {
        extra_cells.extend("  = ".chars().map(|c| (c, style)));
        let intro = hit
            .other_field(&[Field::Name(lang), Field::Short])
            .and_then(|(f, _)| crate::search::field_intro(p, f, lang))
            .unwrap_or_default();
        extra_cells.extend(intro.chars().map(|c| (c, style)));
        extra_cells.extend(marked(text, marks, style, hl));
    }
    extra_cells
}

/// A region or kind column: a space, then `label` fitted to `w` cells.
fn tag_column(label: &str, style: Style, w: usize, row: Style, ell: char) -> Vec<Span<'static>> {
    let mut spans = vec![Span::styled(" ", row)];
    spans.extend(fit(
        label.chars().map(|c| (c, style)).collect(),
        w,
        row,
        ell,
    ));
    spans
}

fn cells_width(c: &[(char, Style)]) -> usize {
    c.iter().map(|(ch, _)| char_width(*ch)).sum()
}

/// Lays out name, short name and matched field in `w` cells: the short name stays whole
/// (it is what people say), the matched field gets up to half of what is left, the long
/// name gives way first.
fn name_cell(
    name: Vec<(char, Style)>,
    focus: Option<usize>,
    short: Vec<(char, Style)>,
    extra: Vec<(char, Style)>,
    w: usize,
    pad: Style,
    ell: char,
) -> Vec<Span<'static>> {
    let (nw, sw, ew) = (cells_width(&name), cells_width(&short), cells_width(&extra));
    // A match deep in a long name: show the end of the name, where the match is.
    let name = match focus {
        Some(f) if nw + sw + ew > w => window(
            name,
            f,
            w.saturating_sub(sw + ew.min((w - sw.min(w)) / 2)),
            pad,
            ell,
        ),
        _ => name,
    };
    let nw = cells_width(&name);
    if nw + sw + ew <= w || sw + 8 > w {
        let mut all = name;
        all.extend(short);
        all.extend(extra);
        return fit(all, w, pad, ell);
    }
    let rest = w - sw;
    let extra_w = ew.min(rest / 2);
    let name_w = nw.min(rest - extra_w);
    let extra_w = rest - name_w;
    let mut out = fit(name, name_w, pad, ell);
    out.extend(fit(short, sw, pad, ell));
    if extra_w > 0 {
        out.extend(fit(extra, extra_w, pad, ell));
    }
    out
}

/// When char `focus` would be cut off at width `w`, drops characters from the front
/// (marking the cut with `…`) until it fits with a little context after it.
fn window(
    cells: Vec<(char, Style)>,
    focus: usize,
    w: usize,
    pad: Style,
    ell: char,
) -> Vec<(char, Style)> {
    let upto: usize = cells
        .iter()
        .take(focus + 1)
        .map(|(c, _)| char_width(*c))
        .sum();
    if upto < w || w < 8 {
        return cells;
    }
    let context = cells.len().min(focus + 6);
    let mut start = 0;
    while start < focus
        && 1 + cells[start..context]
            .iter()
            .map(|(c, _)| char_width(*c))
            .sum::<usize>()
            > w
    {
        start += 1;
    }
    let mut out = vec![(ell, pad)];
    out.extend_from_slice(&cells[start..]);
    out
}

fn year_line(t: &Theme, year: i32, w: usize) -> Line<'static> {
    let label = format!("{year} ");
    let rule = "-".repeat(w.saturating_sub(label.len() + 1));
    Line::from(vec![Span::styled(label, t.year), Span::styled(rule, t.dim)])
}

fn gap_line(m: &Session, t: &Theme, gap: Missing, cols: &Columns, w: usize) -> Line<'static> {
    // A run is one row: its first ordinal in the column, the whole run in the text.
    let text = if gap.is_one() {
        tr(
            m.lang(),
            "no. {n}: not described in the sources",
            "{n}例目: 資料に記載なし",
        )
        .replace("{n}", &gap.span(""))
    } else {
        tr(
            m.lang(),
            "nos. {n}: not described in the sources",
            "{n}例目: 資料に記載なし",
        )
        .replace("{n}", &gap.span(tr(m.lang(), "-", "～")))
    };
    // What the counts establish about it, marked as deduced, with its sources.
    let text = match m
        .dataset()
        .gaps
        .iter()
        .find(|d| gap.is_one() && d.ordinal == gap.first)
    {
        Some(d) if d.deduced.is_some() => text + &crate::summary::deduced_words(d, m.lang()),
        _ => text,
    };
    let line = format!(
        "  {:>ow$}  {:<DATE_W$} {}",
        gap.first,
        "?",
        text,
        ow = cols.ordinal
    );
    Line::from(fit(
        line.chars().map(|c| (c, t.gap)).collect(),
        w,
        t.base,
        t.ellipsis,
    ))
}

/// The block's title: counts, the filters in force, and the order.
fn title(m: &Session) -> String {
    let total = m.dataset().partners.len();
    let ds = m.dataset();
    let mut title = format!(
        " {} {}/{} ",
        tr(m.lang(), "Timeline", "年表"),
        m.hits().len(),
        total
    );
    if let Some(r) = m.filter().region.and_then(|i| ds.regions.get(i)) {
        title.push_str(&format!("| {} ", r.label(m.lang())));
    }
    if let Some(k) = m.filter().kind.and_then(|i| ds.kinds.get(i)) {
        title.push_str(&format!("| {} ", k.label(m.lang())));
    }
    if let Some(y) = m.filter().year {
        title.push_str(&format!("| {y} "));
    }
    if !m.query().text().trim().is_empty() {
        title.push_str(tr(m.lang(), "| best match first ", "| 一致順 "));
    }
    title
}

/// Nothing matches: what was asked for, and the key that clears it.
fn no_match(m: &Session, t: &Theme, inner: Rect, f: &mut Frame) {
    let ds = m.dataset();
    let clear = m
        .keymap()
        .keys_for(Mode::Timeline, &Action::ClearAll)
        .join(" or ");
    let mut what = Vec::new();
    if !m.query().text().trim().is_empty() {
        what.push(format!("\"{}\"", m.query().text().trim()));
    }
    if let Some(r) = m.filter().region.and_then(|i| ds.regions.get(i)) {
        what.push(format!(
            "{}: {}",
            tr(m.lang(), "region", "地域"),
            r.label(m.lang())
        ));
    }
    if let Some(k) = m.filter().kind.and_then(|i| ds.kinds.get(i)) {
        what.push(format!(
            "{}: {}",
            tr(m.lang(), "kind", "種別"),
            k.label(m.lang())
        ));
    }
    if let Some(s) = m.filter().status {
        what.push(format!(
            "{}: {}",
            tr(m.lang(), "status", "状態"),
            s.label(m.lang())
        ));
    }
    if let Some(y) = m.filter().year {
        what.push(format!("{}: {y}", tr(m.lang(), "year", "年")));
    }
    let msg = vec![
        Line::styled(
            tr(m.lang(), "No partner matches", "該当する提携先はありません"),
            t.title,
        ),
        Line::raw(what.join(", ")),
        Line::raw(""),
        Line::from(vec![
            Span::raw(tr(m.lang(), "Press ", "")),
            Span::styled(clear, t.key),
            Span::raw(tr(
                m.lang(),
                " to clear the query and filters.",
                " で検索とフィルタを解除",
            )),
        ]),
    ];
    super::wrapped(f, msg, true, inner);
}

/// The scrollbar on the block's right border, when the rows do not fit in `h`.
fn scrollbar(m: &Session, t: &Theme, focused: bool, h: usize, area: Rect, f: &mut Frame) {
    if m.row_count() > h {
        let mut state = ScrollbarState::new(m.row_count().saturating_sub(h)).position(m.offset());
        let bar = Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None)
            .track_symbol(Some(t.scroll.0))
            .thumb_symbol(t.scroll.1)
            .track_style(t.border)
            .thumb_style(if focused { t.border_focus } else { t.dim });
        // Beside the partners' rows: not the border, not the hub's row above them.
        let mut track = area.inner(Margin {
            vertical: 1,
            horizontal: 0,
        });
        track.y = track.y.saturating_add(1);
        track.height = track.height.saturating_sub(1);
        f.render_stateful_widget(bar, track, &mut state);
    }
}

/// The hub's row, above the partners: its short and full name, what matched when a
/// query matched the hub, and the key that selects it. Dim when a query is typed
/// that the hub does not match.
fn hub_line(m: &Session, t: &Theme, cols: &Columns, w: usize) -> Line<'static> {
    let ds = m.dataset();
    let lang = m.lang();
    let selected = m.hub_selected();
    let row = if selected { t.selected } else { t.base };
    let unmatched = !m.query().text().trim().is_empty() && m.hub_hit().is_none();
    let tint = |s: Style| if selected { row } else { row.patch(s) };
    let lead = cols.ordinal + 2 + DATE_W + 1;
    let mut cells: Vec<(char, Style)> = Vec::new();
    let mut push = |s: &str, style: Style| cells.extend(s.chars().map(|c| (c, style)));
    push(if selected { "> " } else { "  " }, row);
    let (dh, ph) = m.catalog().hub_entry();
    let none: Hit = Hit::plain(0);
    let hit = m.hub_hit().unwrap_or(&none);
    // The short name and the key that selects the row, in the number and date columns.
    let keys = m
        .keymap()
        .keys_for(Mode::Timeline, &Action::ToggleHub)
        .join("/");
    let short_marks = hit.marks_in(Field::Short);
    cells.extend(marked(&ds.hub.short, short_marks, tint(t.label), t.matched));
    let key = format!(" [{keys}]");
    let room = lead
        .saturating_sub(width(&ds.hub.short) + width(&key))
        .max(1);
    cells.extend(key.chars().map(|c| (c, tint(t.dim))));
    cells.extend(" ".repeat(room).chars().map(|c| (c, row)));
    let name_style = if unmatched {
        tint(t.dim)
    } else {
        row.patch(t.title)
    };
    cells.extend(marked(
        ds.hub.name.get(lang),
        hit.marks_in(Field::Name(lang)),
        name_style,
        t.matched,
    ));
    cells.extend(extra_cells(dh, ph, hit, lang, tint(t.dim), t.matched));
    let tag = format!("  [{}]", tr(lang, "the hub", "ネットワークの中心"));
    cells.extend(tag.chars().map(|c| (c, tint(t.dim))));
    Line::from(fit(cells, w, row, t.ellipsis))
}

/// Draws the timeline block.
pub fn render(m: &Session, t: &Theme, area: Rect, f: &mut Frame) {
    let focused = m.focus() == Focus::Timeline && !m.help();
    let block = t.pane(title(m), focused);
    let all = block.inner(area);
    f.render_widget(block, area);
    // The first line is the hub's (as `ui::layout` has it), the partners below.
    let [hub_area, inner] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(all);
    let w = inner.width as usize;
    let h = inner.height as usize;
    f.render_widget(Paragraph::new(hub_line(m, t, &columns(m, w), w)), hub_area);
    if m.row_count() == 0 {
        no_match(m, t, inner, f);
        return;
    }
    let cols = columns(m, w);
    let selected_row = m.selected_row();
    let lines: Vec<Line> = (m.offset()..m.offset() + h)
        .filter_map(|i| Some((i, m.row(i)?)))
        .map(|(i, row)| match row {
            Row::Year(y) => year_line(t, y, w),
            Row::Gap(n) => gap_line(m, t, n, &cols, w),
            Row::Hit(hi) => partner_line(m, t, hi, &cols, Some(i) == selected_row),
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
    scrollbar(m, t, focused, h, area, f);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Lang;

    #[test]
    fn fit_truncates_wide_text_by_cells() {
        let cells: Vec<(char, Style)> = "横浜市役所"
            .chars()
            .map(|c| (c, Style::default()))
            .collect();
        let spans = fit(cells, 6, Style::default(), '…');
        let s: String = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(s, "横浜… ");
        assert_eq!(width(&s), 6);
    }

    #[test]
    fn lang_labels_exist() {
        assert_eq!(tr(Lang::Ja, "Timeline", "年表"), "年表");
    }
}
