//! Geography on its own, apart from any drawing: the map's bounds, great-circle
//! distances, the short way round between two points and where a point falls on a grid
//! of cells. The map view draws with it; tests check the dataset's places against it.

use crate::data::Location;

/// A rectangle of the earth in degrees: (west, east), (south, north).
pub type Bounds = ([f64; 2], [f64; 2]);

/// The Japan panel's bounds: (west, east), (south, north).
pub const JAPAN: Bounds = ([128.5, 146.5], [30.0, 46.0]);
/// The world map's bounds (Antarctica left out).
pub const WORLD: Bounds = ([-180.0, 180.0], [-58.0, 84.0]);

/// Japan's coastline (Natural Earth 1:50m, public domain; `tools/japan-coast.py` makes
/// the file): rings of (lon, lat), the largest first. Parsed once; a line that does not
/// read is left out.
pub fn japan_coast() -> &'static [Vec<(f64, f64)>] {
    static COAST: std::sync::OnceLock<Vec<Vec<(f64, f64)>>> = std::sync::OnceLock::new();
    COAST.get_or_init(|| parse_rings(include_str!("../assets/japan-coast.txt")))
}

/// Rings written one a line as `lon,lat` pairs; `#` starts a comment line.
fn parse_rings(text: &str) -> Vec<Vec<(f64, f64)>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            l.split_whitespace()
                .map(|pair| {
                    let (lon, lat) = pair.split_once(',')?;
                    Some((lon.parse().ok()?, lat.parse().ok()?))
                })
                .collect::<Option<Vec<(f64, f64)>>>()
        })
        .collect()
}

/// Great-circle distance in km.
pub fn distance_km(a: &Location, b: &Location) -> f64 {
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = la2 - la1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

/// Whether `at` lies within `bounds` (edges included).
pub fn contains(bounds: &Bounds, at: &Location) -> bool {
    (bounds.0[0]..=bounds.0[1]).contains(&at.lon) && (bounds.1[0]..=bounds.1[1]).contains(&at.lat)
}

/// The straight line from `from` to `to` on a flat world map that goes the short way
/// round: one segment, or two when crossing the date line is shorter (cut at the map's
/// edge). Each segment is (lon, lat, lon, lat).
pub fn short_way(from: &Location, to: &Location) -> Vec<[f64; 4]> {
    let (x1, y1, x2, y2) = (from.lon, from.lat, to.lon, to.lat);
    if (x2 - x1).abs() <= 180.0 {
        return vec![[x1, y1, x2, y2]];
    }
    // Unwrap the far end, cut at the edge, keep both halves.
    let x2u = if x2 < x1 { x2 + 360.0 } else { x2 - 360.0 };
    let edge = if x2u > x1 { 180.0 } else { -180.0 };
    let t = (edge - x1) / (x2u - x1);
    let y_edge = y1 + t * (y2 - y1);
    vec![[x1, y1, edge, y_edge], [-edge, y_edge, x2, y2]]
}

/// The cell (column, row) that `at` falls in when `bounds` is laid over a grid of
/// `cols` by `rows` cells, north at the top; outside the bounds it is off the grid.
pub fn cell(bounds: &Bounds, cols: u16, rows: u16, at: &Location) -> (i64, i64) {
    let x = (at.lon - bounds.0[0]) / (bounds.0[1] - bounds.0[0]) * f64::from(cols);
    let y = (bounds.1[1] - at.lat) / (bounds.1[1] - bounds.1[0]) * f64::from(rows);
    (x as i64, y as i64)
}

/// `bounds` widened in one direction so that a panel of `cols` x `rows` cells (a cell
/// about twice as tall as wide) shows it without stretching: a degree of longitude
/// is cos(latitude) of a degree of latitude.
pub fn fit(bounds: &Bounds, cols: u16, rows: u16) -> Bounds {
    let ([west, east], [south, north]) = *bounds;
    let (cols, rows) = (f64::from(cols.max(1)), f64::from(rows.max(1)));
    let squeeze = ((south + north) / 2.0).to_radians().cos();
    // Width over height of the panel and of the bounds, in the same units.
    let panel = cols / 2.0 / rows;
    let shown = (east - west) * squeeze / (north - south);
    if shown < panel {
        let half = (north - south) * panel / squeeze / 2.0;
        let mid = (west + east) / 2.0;
        ([mid - half, mid + half], [south, north])
    } else {
        let half = (east - west) * squeeze / panel / 2.0;
        let mid = (south + north) / 2.0;
        ([west, east], [mid - half, mid + half])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(lat: f64, lon: f64) -> Location {
        Location {
            lat,
            lon,
            basis: String::new(),
        }
    }

    #[test]
    fn distances_are_great_circle() {
        let tokyo = at(35.68, 139.77);
        let osaka = at(34.69, 135.50);
        let km = distance_km(&tokyo, &osaka);
        assert!((390.0..420.0).contains(&km), "{km}");
        assert_eq!(distance_km(&tokyo, &tokyo), 0.0);
    }

    #[test]
    fn the_short_way_crosses_the_date_line_when_shorter() {
        let tokyo = at(35.68, 139.77);
        assert_eq!(short_way(&tokyo, &at(34.0, 135.0)).len(), 1);
        let la = at(34.05, -118.24);
        let legs = short_way(&tokyo, &la);
        assert_eq!(legs.len(), 2);
        assert_eq!(legs[0][2], 180.0);
        assert_eq!(legs[1][0], -180.0);
        assert_eq!(legs[0][3], legs[1][1]);
    }

    #[test]
    fn cells_put_north_west_at_the_origin() {
        assert!(contains(&JAPAN, &at(35.68, 139.77)));
        // The coastline: Honshu, Hokkaido, Kyushu and Shikoku are the four largest
        // rings, in that order, each around a point of its own.
        let coast = japan_coast();
        let inside = |ring: &[(f64, f64)], (x, y): (f64, f64)| {
            let mut c = false;
            for (i, &(x1, y1)) in ring.iter().enumerate() {
                let (x2, y2) = ring[(i + 1) % ring.len()];
                if (y1 > y) != (y2 > y) && x < (x2 - x1) * (y - y1) / (y2 - y1) + x1 {
                    c = !c;
                }
            }
            c
        };
        let islands = [
            (139.0, 36.0), // Honshu, near Maebashi
            (142.5, 43.5), // Hokkaido, near Asahikawa
            (130.7, 32.8), // Kyushu, near Kumamoto
            (133.5, 33.7), // Shikoku, near Kochi
        ];
        for (i, point) in islands.into_iter().enumerate() {
            assert!(inside(&coast[i], point), "ring {i} does not hold {point:?}");
        }
        assert!(
            !coast.iter().any(|r| inside(r, (137.0, 38.5))),
            "the Sea of Japan is sea"
        );
        // A tall panel shows more latitude, a wide one more longitude; the middle stays.
        let tall = fit(&JAPAN, 40, 33);
        assert_eq!(tall.0, JAPAN.0);
        assert!(tall.1[0] < 30.0 && tall.1[1] > 46.0, "{tall:?}");
        let wide = fit(&JAPAN, 160, 20);
        assert_eq!(wide.1, JAPAN.1);
        assert!(wide.0[0] < 128.5 && wide.0[1] > 146.5, "{wide:?}");
        assert!(((wide.0[0] + wide.0[1]) / 2.0 - 137.5).abs() < 1e-9);
        assert!(parse_rings("# c\n1,2 3,4\nbad\n").len() == 1);
        assert!(!contains(&JAPAN, &at(34.05, -118.24)));
        assert_eq!(cell(&WORLD, 360, 142, &at(84.0, -180.0)), (0, 0));
        assert_eq!(cell(&WORLD, 360, 142, &at(-58.0, 180.0)), (360, 142));
    }
}
