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
        assert!(!contains(&JAPAN, &at(34.05, -118.24)));
        assert_eq!(cell(&WORLD, 360, 142, &at(84.0, -180.0)), (0, 0));
        assert_eq!(cell(&WORLD, 360, 142, &at(-58.0, 180.0)), (360, 142));
    }
}
