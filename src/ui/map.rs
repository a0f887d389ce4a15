//! The map view: every partner shown (query and filters applied) on a world map, with
//! lines from the hub's seat in Nihonbashi; the selected partner stands out; a zoomed
//! panel for Japan, where the domestic partners cluster. Too small for a picture, it is
//! a table of places and distances from the hub.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::widgets::canvas::{Canvas, Context, Line as Segment, Map, MapResolution, Points};

use super::Theme;
use crate::data::{Lang, Location, Partner};
use crate::geo::{self, Bounds, JAPAN, WORLD};
use crate::i18n::tr;
use crate::session::Session;
use crate::text::{pad, truncate_with, width};

/// Smallest area in which a map is drawn (columns, rows).
const MIN_MAP: (u16, u16) = (50, 14);

struct Pin<'a> {
    p: std::borrow::Cow<'a, Partner>,
    at: Location,
    selected: bool,
}

fn pins(m: &Session) -> (Vec<Pin<'_>>, usize) {
    let ds = m.dataset();
    let sel = m.selected_partner().map(|p| p.id.clone());
    let mut missing = 0;
    let mut out = Vec::new();
    for h in m.hits() {
        let Some(p) = ds.partners.get(h.partner) else {
            continue;
        };
        match p.location.clone() {
            Some(at) => out.push(Pin {
                selected: sel.as_ref() == Some(&p.id),
                p,
                at,
            }),
            None => missing += 1,
        }
    }
    // The selected pin last, so it is drawn on top.
    out.sort_by_key(|p| p.selected);
    (out, missing)
}

fn label(p: &Partner, lang: Lang, ellipsis: char) -> String {
    p.short
        .clone()
        .unwrap_or_else(|| truncate_with(p.name.get(lang), 18, ellipsis))
}

/// A line from the hub to `to` that goes the short way round (across the date line
/// when that is shorter), as one or two segments.
fn route(ctx: &mut Context, from: &Location, to: &Location, color: Color) {
    for [x1, y1, x2, y2] in geo::short_way(from, to) {
        ctx.draw(&Segment::new(x1, y1, x2, y2, color));
    }
}

struct Colors {
    map: Color,
    route: Color,
    pin: Color,
    selected: Color,
    hub: Color,
}

fn colors(m: &Session) -> Colors {
    if !m.settings().color {
        return Colors {
            map: Color::Reset,
            route: Color::Reset,
            pin: Color::Reset,
            selected: Color::Reset,
            hub: Color::Reset,
        };
    }
    Colors {
        map: if m.settings().light {
            Color::Gray
        } else {
            Color::DarkGray
        },
        route: if m.settings().light {
            Color::Blue
        } else {
            Color::Cyan
        },
        pin: Color::Green,
        selected: Color::Magenta,
        hub: Color::Red,
    }
}

/// One map panel: its title, bounds ((west, east), (south, north)) and whether every
/// partner in it is labelled (else only the selected one).
struct Panel {
    title: String,
    bounds: Bounds,
    labels: bool,
}

/// What a panel's painter needs, taken from the session beforehand: the canvas widget
/// runs the painter when it is drawn.
struct Paint<'a> {
    pins: &'a [Pin<'a>],
    hub: Option<Location>,
    hub_name: String,
    c: Colors,
    bold: Style,
    bounds: Bounds,
    /// The canvas's size in cells (inside the border).
    cols: u16,
    rows: u16,
    labels: bool,
    lang: Lang,
    ell: char,
}

impl Paint<'_> {
    /// Lines from the hub to every pin, the selected one in its own colour.
    fn routes(&self, ctx: &mut Context) {
        let c = &self.c;
        if let Some(h) = &self.hub {
            // In the Japan panel only the domestic routes: the others would cross the
            // coastline on their way out of it.
            let shown = self
                .pins
                .iter()
                .filter(|p| !self.labels || geo::contains(&self.bounds, &p.at));
            for pin in shown {
                let color = if pin.selected { c.selected } else { c.route };
                route(ctx, h, &pin.at, color);
            }
        }
    }

    /// The pins, then the hub on top.
    fn points(&self, ctx: &mut Context) {
        let c = &self.c;
        for pin in self.pins {
            let color = if pin.selected { c.selected } else { c.pin };
            ctx.draw(&Points {
                coords: &[(pin.at.lon, pin.at.lat)],
                color,
            });
        }
        if let Some(h) = &self.hub {
            ctx.draw(&Points {
                coords: &[(h.lon, h.lat)],
                color: c.hub,
            });
        }
    }

    /// Labels that do not overlap one another or cover a point: the hub's, the
    /// selected partner's, then (with `labels`) the others in order. Each goes right of
    /// its point, else left, else a row above or below; those that fit nowhere are
    /// named in the panel's last rows instead ("+ KRP, Kobe"), as many rows as they
    /// take.
    fn labels(&self, ctx: &mut Context) {
        let mut reserved = 0;
        let (placed, unplaced) = loop {
            let grid = Grid::new(self.bounds, self.cols, self.rows, reserved);
            let (placed, unplaced) = self.layout(&grid);
            let rows = wrap_names(&unplaced, self.cols as usize);
            if rows.len() <= reserved || reserved >= 3 {
                break (placed, rows);
            }
            reserved = rows.len();
        };
        let grid = Grid::new(self.bounds, self.cols, self.rows, reserved);
        for (x, y, text, style) in placed {
            let (lon, lat) = grid.at(x, y);
            ctx.print(lon, lat, Span::styled(text, style));
        }
        let first = i64::from(self.rows) - reserved as i64;
        for (i, row) in unplaced.into_iter().take(reserved).enumerate() {
            let (lon, lat) = grid.at(0, first + i as i64);
            ctx.print(lon, lat, Span::styled(row, Style::default().fg(self.c.pin)));
        }
    }

    /// Where each label goes on `grid` (cell, text, style), and the names of those
    /// that fit nowhere.
    fn layout(&self, grid: &Grid) -> (Vec<Placed>, Vec<String>) {
        let (c, bold) = (&self.c, self.bold);
        let mut taken: Vec<(i64, i64, i64)> = Vec::new();
        let points = self.pins.iter().map(|p| &p.at).chain(self.hub.as_ref());
        for at in points.filter(|at| geo::contains(&self.bounds, at)) {
            let (x, y) = grid.cell(at);
            taken.push((y, x, x + 1));
        }
        let mut placed = Vec::new();
        let mut unplaced = Vec::new();
        if let Some(h) = &self.hub
            && let Some((x, y)) = grid.spot(&mut taken, h, &self.hub_name)
        {
            placed.push((x, y, self.hub_name.clone(), bold.fg(c.hub)));
        }
        let mut order: Vec<&Pin> = self
            .pins
            .iter()
            .filter(|p| geo::contains(&self.bounds, &p.at))
            .filter(|p| self.labels || p.selected)
            .collect();
        order.sort_by_key(|p| (!p.selected, p.p.ordinal));
        for pin in order {
            let text = label(&pin.p, self.lang, self.ell);
            let style = if pin.selected {
                bold.fg(c.selected)
            } else {
                Style::default().fg(c.pin)
            };
            match grid.spot(&mut taken, &pin.at, &text) {
                Some((x, y)) => placed.push((x, y, text, style)),
                None => unplaced.push(text),
            }
        }
        (placed, unplaced)
    }
}

/// A label put on the grid: its cell (column, row), text and style.
type Placed = (i64, i64, String, Style);

/// Names as rows of at most `cols` cells: "+ KRP, Kobe, …".
fn wrap_names(names: &[String], cols: usize) -> Vec<String> {
    let mut rows: Vec<String> = Vec::new();
    let mut row = String::from("+");
    for (i, name) in names.iter().enumerate() {
        let piece = if i + 1 < names.len() {
            format!(" {name},")
        } else {
            format!(" {name}")
        };
        if width(&row) + width(&piece) > cols && row != "+" {
            rows.push(std::mem::replace(&mut row, String::from(" ")));
        }
        row.push_str(&piece);
    }
    if !names.is_empty() {
        rows.push(row);
    }
    rows
}

/// Where the canvas puts text: ratatui's rounding for labels, cell by cell; the last
/// `reserved` rows are kept for the names that fit nowhere.
struct Grid {
    bounds: Bounds,
    cols: i64,
    rows: i64,
    reserved: i64,
}

impl Grid {
    fn new(bounds: Bounds, cols: u16, rows: u16, reserved: usize) -> Grid {
        Grid {
            bounds,
            cols: i64::from(cols),
            rows: i64::from(rows),
            reserved: reserved as i64,
        }
    }

    /// The cell a label printed at `at` starts in.
    fn cell(&self, at: &Location) -> (i64, i64) {
        let ([west, east], [south, north]) = self.bounds;
        let x = (at.lon - west) * (self.cols - 1).max(1) as f64 / (east - west);
        let y = (north - at.lat) * (self.rows - 1).max(1) as f64 / (north - south);
        (x as i64, y as i64)
    }

    /// Coordinates that print in cell (x, y).
    fn at(&self, x: i64, y: i64) -> (f64, f64) {
        let ([west, east], [south, north]) = self.bounds;
        let (cx, cy) = ((self.cols - 1).max(1) as f64, (self.rows - 1).max(1) as f64);
        let lon = west + (x as f64 + 0.5).min(cx) * (east - west) / cx;
        let lat = north - (y as f64 + 0.5).min(cy) * (north - south) / cy;
        (lon, lat)
    }

    /// A cell next to the point `at` where `text` overlaps nothing taken (keeping a
    /// blank between labels on a row), taken for it; `None` when there is none.
    fn spot(
        &self,
        taken: &mut Vec<(i64, i64, i64)>,
        at: &Location,
        text: &str,
    ) -> Option<(i64, i64)> {
        let (x, y) = self.cell(at);
        let w = width(text) as i64;
        let spots = [
            (x + 1, y),
            (x - w, y),
            (x + 1, y - 1),
            (x + 1, y + 1),
            (x - w, y - 1),
            (x - w, y + 1),
        ];
        let free = |&(sx, sy): &(i64, i64)| {
            sx >= 0
                && sx + w <= self.cols
                && sy >= 0
                && sy < self.rows - self.reserved
                && !taken
                    .iter()
                    .any(|&(ty, t0, t1)| ty == sy && t0 <= sx + w && sx <= t1)
        };
        let &(sx, sy) = spots.iter().find(|s| free(s))?;
        taken.push((sy, sx, sx + w));
        Some((sx, sy))
    }
}

fn canvas(m: &Session, t: &Theme, pins: &[Pin], panel: Panel, area: Rect, f: &mut Frame) {
    let Panel {
        title,
        bounds,
        labels,
    } = panel;
    let c = colors(m);
    let hub = m.dataset().hub.location.clone();
    let hub_name = m.dataset().hub.short.clone();
    let lang = m.lang();
    let ell = t.ellipsis;
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let block = t.pane(title, false);
    let (cols, rows) = (area.width.saturating_sub(2), area.height.saturating_sub(2));
    let paint = Paint {
        pins,
        hub,
        hub_name,
        c,
        bold,
        bounds,
        cols,
        rows,
        labels,
        lang,
        ell,
    };
    let widget = Canvas::default()
        .block(block)
        .marker(Marker::Braille)
        .x_bounds(bounds.0)
        .y_bounds(bounds.1)
        .paint(move |ctx| {
            if paint.labels {
                // The Japan panel: ratatui's world map is too coarse at this scale;
                // Natural Earth's coastline shows the islands.
                for ring in geo::japan_coast() {
                    for (i, &(x1, y1)) in ring.iter().enumerate() {
                        let (x2, y2) = ring[(i + 1) % ring.len()];
                        ctx.draw(&Segment::new(x1, y1, x2, y2, paint.c.map));
                    }
                }
            } else {
                ctx.draw(&Map {
                    color: paint.c.map,
                    resolution: MapResolution::High,
                });
            }
            ctx.layer();
            paint.routes(ctx);
            ctx.layer();
            paint.points(ctx);
            paint.labels(ctx);
        });
    f.render_widget(widget, area);
}

fn table(m: &Session, t: &Theme, pins: &[Pin], missing: usize, area: Rect, f: &mut Frame) {
    let hub = m.dataset().hub.location.as_ref();
    let w = area.width as usize;
    let mut lines = vec![Line::styled(
        tr(
            m.lang(),
            "Too small for the map: places and distance from the hub",
            "地図には狭すぎます: 所在地とハブからの距離",
        ),
        t.title,
    )];
    let mut sorted: Vec<&Pin> = pins.iter().collect();
    sorted.sort_by_key(|p| p.p.ordinal);
    for pin in sorted {
        let km = hub.map_or(String::new(), |h| {
            format!("{:>6.0} km", geo::distance_km(h, &pin.at))
        });
        let name_w = w.saturating_sub(width(&km) + 2).min(24);
        let name = pad(
            &truncate_with(&label(&pin.p, m.lang(), t.ellipsis), name_w, t.ellipsis),
            name_w,
        );
        let style = if pin.selected { t.selected } else { t.base };
        let place = pin.p.place.get(m.lang()).to_string();
        let rest = w.saturating_sub(name_w + width(&km) + 2);
        lines.push(Line::from(vec![
            Span::styled(name, style),
            Span::raw(" "),
            Span::styled(km, t.base),
            Span::raw(" "),
            Span::styled(truncate_with(&place, rest, t.ellipsis), t.dim),
        ]));
    }
    if missing > 0 {
        lines.push(Line::styled(
            format!("({missing} without a location)"),
            t.dim,
        ));
    }
    f.render_widget(Paragraph::new(lines), area);
}

/// Draws the map into `area`.
pub fn render(m: &Session, t: &Theme, area: Rect, f: &mut Frame) {
    let (pins, missing) = pins(m);
    if area.width < MIN_MAP.0 || area.height < MIN_MAP.1 {
        table(m, t, &pins, missing, area, f);
        return;
    }
    let missing = match (missing, m.lang()) {
        (0, _) => String::new(),
        (n, Lang::En) => format!("| {n} without a location "),
        (n, Lang::Ja) => format!("| 位置なし {n}件 "),
    };
    let long = format!(
        " {} {missing}",
        tr(
            m.lang(),
            "Map | city coordinates, public (not from the sources)",
            "地図 | 都市の公開座標（資料外）"
        )
    );
    let short = format!(
        " {} {missing}",
        tr(
            m.lang(),
            "Map: public city coordinates",
            "地図: 都市の公開座標"
        )
    );
    let fit = |w: u16| {
        if width(&long) + 2 <= w as usize {
            long.clone()
        } else {
            short.clone()
        }
    };
    let world = WORLD;
    if area.width >= 70 {
        let [a, b] = Layout::horizontal([Constraint::Percentage(64), Constraint::Percentage(36)])
            .areas(area);
        let world_panel = Panel {
            title: fit(a.width),
            bounds: world,
            labels: false,
        };
        canvas(m, t, &pins, world_panel, a, f);
        let japan = Panel {
            title: format!(" {} ", tr(m.lang(), "Japan", "日本")),
            bounds: geo::fit(
                &JAPAN,
                b.width.saturating_sub(2),
                b.height.saturating_sub(2),
            ),
            labels: true,
        };
        canvas(m, t, &pins, japan, b, f);
    } else {
        let world_panel = Panel {
            title: fit(area.width),
            bounds: world,
            labels: false,
        };
        canvas(m, t, &pins, world_panel, area, f);
    }
}
