//! The view: draws a [`Session`] into any ratatui frame, at any size. It only reads.

mod detail;
mod help;
mod links;
mod map;
mod palette;
mod present;
mod search_bar;
mod stats;
mod status_bar;
mod theme;
mod timeline;
mod wrap;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::catalog::Catalog;
use crate::mode::View;
use crate::session::Session;

pub use theme::Theme;

/// Smallest size at which the full UI is drawn.
pub const MIN_SIZE: (u16, u16) = (60, 15);
/// From this width on, the timeline and the detail sit side by side.
pub const SIDE_BY_SIDE_WIDTH: u16 = 100;

/// Where everything goes for the session's terminal size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Areas {
    /// The terminal is below [`MIN_SIZE`]; nothing else is drawn.
    pub too_small: bool,
    /// The search bar (with its border, if any).
    pub search: Rect,
    /// The timeline block.
    pub timeline: Rect,
    /// The hub's row: the first line inside the timeline's border, above the partners.
    pub hub_row: Rect,
    /// Inside the timeline's border, below the hub's row: the partners' rows.
    pub timeline_inner: Rect,
    /// The detail block.
    pub detail: Rect,
    /// Inside the detail's border.
    pub detail_inner: Rect,
    /// The status line.
    pub status: Rect,
}

fn inner(r: Rect) -> Rect {
    Rect {
        x: r.x.saturating_add(1),
        y: r.y.saturating_add(1),
        width: r.width.saturating_sub(2),
        height: r.height.saturating_sub(2),
    }
}

/// The layout for the session's size. `update` uses it too (paging, clicks), so the session
/// and the screen agree on what is visible.
pub fn layout(m: &Session) -> Areas {
    layout_in(Rect::new(0, 0, m.size().0, m.size().1))
}

/// The layout of `area`. Drawing uses it on the frame's area, not on the session's size:
/// the terminal can be resized after the session last heard of its size, and every area
/// must stay inside the frame.
pub fn layout_in(area: Rect) -> Areas {
    let (w, h) = (area.width, area.height);
    if w < MIN_SIZE.0 || h < MIN_SIZE.1 {
        return Areas {
            too_small: true,
            ..Areas::default()
        };
    }
    let search_h = if h >= 24 { 3 } else { 1 };
    let [search, body, status] = Layout::vertical([
        Constraint::Length(search_h),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    let (timeline, detail) = if w >= SIDE_BY_SIDE_WIDTH {
        let tw = (w as u32 * 62 / 100).clamp(60, 100) as u16;
        let [a, b] = Layout::horizontal([Constraint::Length(tw), Constraint::Min(0)]).areas(body);
        (a, b)
    } else {
        let [a, b] = Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Percentage(55), Constraint::Percentage(45)])
            .areas(body);
        (a, b)
    };
    let [hub_row, timeline_inner] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner(timeline));
    Areas {
        too_small: false,
        search,
        timeline,
        hub_row,
        timeline_inner,
        detail,
        detail_inner: inner(detail),
        status,
    }
}

/// Draws the whole UI.
pub fn render(m: &Session, frame: &mut Frame) {
    let theme = Theme::build(m.settings().color, m.settings().light, m.settings().plain);
    let full = frame.area();
    let areas = layout_in(full);
    if areas.too_small {
        let (w, h) = (full.width, full.height);
        let msg = vec![
            Line::styled("Terminal too small", theme.title),
            Line::raw(format!(
                "{w}x{h}; linkj needs {}x{}. Enlarge it, or Ctrl-C to quit.",
                MIN_SIZE.0, MIN_SIZE.1
            )),
        ];
        wrapped(frame, msg, true, full);
        return;
    }
    let mut shown = Vec::new();
    match m.view() {
        View::Present => present::render(m, &theme, full, frame),
        View::Browse => {
            search_bar::render(m, &theme, areas.search, frame);
            timeline::render(m, &theme, areas.timeline, frame);
            shown = detail::render(m, &theme, areas.detail, frame);
            status_bar::render(m, &theme, areas.status, frame);
        }
        View::Stats | View::Map => {
            search_bar::render(m, &theme, areas.search, frame);
            let body = areas.timeline.union(areas.detail);
            if m.view() == View::Stats {
                stats::render(m, &theme, body, frame);
            } else {
                map::render(m, &theme, body, frame);
            }
            status_bar::render(m, &theme, areas.status, frame);
        }
    }
    palette::render(m, &theme, full, frame);
    if m.help() {
        help::render(m, &theme, full, frame);
    }
    // Last, over whatever was drawn: a link is laid only where its text still shows.
    if m.settings().hyperlinks {
        links::apply(frame.buffer_mut(), &shown);
    }
}

/// Draws `text` wrapped at word boundaries into `area` (within the frame), and nothing
/// outside it.
///
/// ratatui's word wrapper can return a line a little wider than its area (wide
/// characters after a short word in a narrow area): drawn straight into the frame, the
/// line spills over the area's right edge, and at the frame's edge it panics. So the
/// paragraph is drawn into a scratch buffer with room to spare on the right (a wrapped
/// line is never wider than the line it comes from, and the wrapper overshoots by at
/// most two graphemes, each no wider than the area), and only the area is copied back.
pub(crate) fn wrapped(frame: &mut Frame, text: Vec<Line<'_>>, trim: bool, area: Rect) {
    let widest = text.iter().map(Line::width).max().unwrap_or(0);
    // A line n cells wide wraps to at most n + 1 rows: the scratch needs no more.
    let most_rows: usize = text.iter().map(|l| l.width() + 1).sum();
    let mut area = area.intersection(frame.area());
    area.height = area.height.min(most_rows.try_into().unwrap_or(u16::MAX));
    if area.is_empty() {
        return;
    }
    let room = widest.min(2 * usize::from(area.width));
    let width = (usize::from(area.width) + room).min(usize::from(u16::MAX - area.x));
    let mut scratch = Buffer::empty(Rect {
        width: width as u16,
        ..area
    });
    let buf = frame.buffer_mut();
    for pos in area.positions() {
        scratch[pos] = buf[pos].clone();
    }
    Paragraph::new(text)
        .wrap(Wrap { trim })
        .render(area, &mut scratch);
    for pos in area.positions() {
        buf[pos] = scratch[pos].clone();
        // A wide character in the last column would cover a cell outside the area.
        if pos.x + 1 == area.right() && crate::text::width(buf[pos].symbol()) > 1 {
            buf[pos].set_symbol(" ");
        }
    }
}

/// How many lines the detail of the selected partner takes at `width`.
pub fn detail_line_count(m: &Session, width: u16) -> usize {
    detail::lines(m, &Theme::new(false, false), width)
        .lines
        .len()
}

/// The detail card of a partner as plain text lines, `width` cells wide at most (the
/// same facts as the detail pane; `linkj show` prints it).
pub fn detail_card(
    ds: &crate::data::Dataset,
    p: &crate::data::Partner,
    lang: crate::data::Lang,
    width: u16,
    today: chrono::NaiveDate,
) -> Vec<String> {
    detail_card_linked(ds, p, lang, (width, today), false)
}

/// [`detail_card`], with each address that may be a link wrapped in OSC 8 when
/// `links` (for `show` on a terminal that takes them).
pub fn detail_card_linked(
    ds: &crate::data::Dataset,
    p: &crate::data::Partner,
    lang: crate::data::Lang,
    (width, today): (u16, chrono::NaiveDate),
    links: bool,
) -> Vec<String> {
    let card = detail::partner_lines(ds, p, lang, &Theme::new(false, false), width, today);
    links::card_text(&card, links)
}

/// The hub's card as plain text lines, `width` cells wide at most (what the detail
/// pane shows on the hub's row; `linkj show LINK-J` prints it).
pub fn hub_card(catalog: &Catalog, lang: crate::data::Lang, width: u16) -> Vec<String> {
    hub_card_linked(catalog, lang, width, false)
}

/// [`hub_card`], with each address that may be a link wrapped in OSC 8 when `links`.
pub fn hub_card_linked(
    catalog: &Catalog,
    lang: crate::data::Lang,
    width: u16,
    links: bool,
) -> Vec<String> {
    let theme = Theme::new(false, false);
    let card = detail::hub_lines(catalog.dataset(), catalog.gaps(), lang, &theme, width);
    links::card_text(&card, links)
}

/// Lines the help overlay shows at once.
pub fn help_page(size: (u16, u16), keys: &crate::keymap::Keymap) -> usize {
    help::area(Rect::new(0, 0, size.0, size.1), keys)
        .height
        .saturating_sub(2) as usize
}

/// The furthest the help overlay scrolls.
pub fn help_max_scroll(size: (u16, u16), keys: &crate::keymap::Keymap) -> usize {
    help::line_count(keys).saturating_sub(help_page(size, keys))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    /// ratatui's wrapper makes "a横横横" at width 2 into "a" and "横横", a line of four
    /// cells: drawn as is, it runs into the next two columns, or panics at the frame's
    /// edge.
    #[test]
    fn wrapped_text_stays_inside_its_area() {
        let mut t = Terminal::new(TestBackend::new(6, 4)).expect("terminal");
        t.draw(|f| {
            wrapped(f, vec![Line::raw("a横横横")], false, Rect::new(0, 0, 2, 4));
            // At the frame's right edge.
            wrapped(f, vec![Line::raw("a横横横")], true, Rect::new(4, 0, 2, 4));
        })
        .expect("draw");
        let buf = t.backend().buffer();
        assert_eq!(buf[(0, 0)].symbol(), "a");
        assert_eq!(buf[(0, 1)].symbol(), "横");
        assert_eq!(buf[(4, 0)].symbol(), "a");
        for (x, y) in (2..4).flat_map(|x| (0..4).map(move |y| (x, y))) {
            assert_eq!(
                buf[(x, y)].symbol(),
                " ",
                "({x}, {y}): spilled over the edge"
            );
        }
    }
}
