//! Presentation mode: the selected partner's card, large and uncluttered, for
//! projecting. No panes, no borders; one dim line of keys at the bottom.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use crate::data::{Lang, Partner};
use crate::i18n::tr;
use crate::session::Session;

/// The footer's keys, from the keymap (remapped keys are the ones named): back,
/// next/previous, copy, language.
fn footer_keys(m: &Session, lang: Lang) -> String {
    use crate::action::Action;
    let key = |a: Action| {
        m.keymap()
            .keys_for(crate::mode::Mode::View, &a)
            .into_iter()
            .next()
            .unwrap_or_else(|| "-".into())
    };
    let (back, down, up) = (key(Action::CloseView), key(Action::Down), key(Action::Up));
    let (copy, other) = (key(Action::CopySummary), key(Action::ToggleLang));
    match lang {
        Lang::En => {
            format!("{back} back   {down}/{up} next/previous   {copy} copy   {other} 日本語")
        }
        Lang::Ja => format!("{back} 戻る   {down}/{up} 次/前   {copy} コピー   {other} English"),
    }
}

/// The one dim line of keys at the bottom (or the flash message, when there is one).
fn footer(m: &Session, t: &Theme, full: Rect, f: &mut Frame) {
    let lang = m.lang();
    let keys = match m.flash() {
        Some(msg) => Line::styled(msg.to_string(), t.title),
        None => Line::styled(footer_keys(m, lang), t.dim),
    };
    let footer = Rect {
        y: full.y + full.height.saturating_sub(1),
        height: full.height.min(1),
        ..full
    };
    f.render_widget(Paragraph::new(keys).alignment(Alignment::Center), footer);
}

/// The short name (or an ASCII name) in big letters at the top of `body`, when it fits:
/// readable from the back of a room. Not in the plain style: the glyphs are block
/// characters. Returns what is left of `body` below it.
fn big_name(p: &Partner, t: &Theme, body: Rect, f: &mut Frame) -> Rect {
    let title = t.title.patch(t.year);
    let big = p
        .short
        .as_deref()
        .or(Some(p.name.en.as_str()))
        .filter(|s| s.is_ascii() && !s.is_empty())
        .filter(|s| s.len() * 4 <= body.width as usize && body.height >= 16)
        .filter(|_| !t.plain);
    match big {
        Some(text) => {
            let big_area = Rect { height: 4, ..body };
            let widget = tui_big_text::BigText::builder()
                .pixel_size(tui_big_text::PixelSize::Quadrant)
                .style(title)
                .lines(vec![Line::raw(text.to_string())])
                .build();
            f.render_widget(widget, big_area);
            Rect {
                y: body.y + 5,
                height: body.height.saturating_sub(5),
                ..body
            }
        }
        None => body,
    }
}

/// The card's text: names, ordinal and date, place, region and kind, the term.
fn card(m: &Session, t: &Theme, p: &Partner) -> Vec<Line<'static>> {
    let lang = m.lang();
    let ds = m.dataset();
    let mut lines = Vec::new();
    let title = t.title.patch(t.year);
    lines.push(Line::styled(p.name.get(lang).to_string(), title));
    let other = p.name.get(lang.toggled());
    if other != p.name.get(lang) {
        lines.push(Line::styled(other.to_string(), t.dim));
    }
    lines.push(Line::raw(""));
    let region = ds
        .region(&p.region)
        .map_or(p.region.as_str(), |r| r.label(lang));
    let kind = ds.kind(&p.kind).map_or(p.kind.as_str(), |k| k.label(lang));
    let no = match lang {
        crate::data::Lang::En => format!("Partnership No. {}", p.ordinal),
        crate::data::Lang::Ja => format!("提携 {}例目", p.ordinal),
    };
    lines.push(Line::from(vec![
        Span::styled(no, t.label),
        Span::styled("   ", t.base),
        Span::styled(p.signed.display(lang), t.base),
    ]));
    lines.push(Line::from(vec![
        Span::styled(p.place.get(lang).to_string(), t.base),
        Span::styled("   ", t.base),
        Span::styled(region.to_string(), t.region),
        Span::styled(if t.plain { " / " } else { " · " }, t.dim),
        Span::styled(kind.to_string(), t.kind),
    ]));
    let term = crate::status::term(p, m.today());
    if term.years.is_some() {
        lines.push(Line::styled(
            crate::status::describe(&term, p.signed.precision, lang),
            t.dim,
        ));
    }
    lines
}

/// The scope, an item a line, and the people the release names, after a blank line each.
fn scope_and_people(lines: &mut Vec<Line<'static>>, t: &Theme, p: &Partner, lang: Lang) {
    if !p.scope.is_empty() {
        lines.push(Line::raw(""));
        for s in &p.scope {
            lines.push(Line::from(vec![
                Span::styled(if t.plain { "  - " } else { "  › " }, t.key),
                Span::styled(s.get(lang).to_string(), t.base),
            ]));
        }
    }
    if !p.people.is_empty() {
        lines.push(Line::raw(""));
        for x in &p.people {
            lines.push(Line::from(vec![
                Span::styled(x.name.get(lang).to_string(), t.label),
                Span::styled(format!("  {}", x.role.get(lang)), t.dim),
            ]));
        }
    }
}

/// Draws the card over the whole screen.
pub fn render(m: &Session, t: &Theme, full: Rect, f: &mut Frame) {
    let lang = m.lang();
    footer(m, t, full, f);
    if m.hub_selected() {
        // The hub's card, as the detail pane has it, with the same margins.
        let mx = full.width / 10;
        let body = Rect {
            x: full.x + mx,
            y: full.y + 1,
            width: full.width.saturating_sub(2 * mx),
            height: full.height.saturating_sub(3),
        };
        let lines =
            super::detail::hub_lines(m.dataset(), m.catalog().gaps(), lang, t, body.width).lines;
        f.render_widget(Paragraph::new(lines), body);
        return;
    }
    let Some(p) = m.selected_partner() else {
        let msg = Line::styled(tr(lang, "Nothing selected.", "選択なし"), t.dim);
        f.render_widget(Paragraph::new(msg).alignment(Alignment::Center), full);
        return;
    };
    // Margins: a tenth of the width each side, a little air at the top.
    let mx = full.width / 10;
    let body = Rect {
        x: full.x + mx,
        y: full.y + (full.height / 8).min(4),
        width: full.width.saturating_sub(2 * mx),
        height: full.height.saturating_sub((full.height / 8).min(4) + 2),
    };
    let body = big_name(&p, t, body, f);
    let mut lines = card(m, t, &p);
    scope_and_people(&mut lines, t, &p, lang);
    super::wrapped(f, lines, false, body);
}
