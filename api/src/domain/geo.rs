//! Distances on the earth's surface, for mystery-shopper check-ins.

const EARTH_RADIUS_M: f64 = 6_371_000.0;

/// Great-circle distance in metres between two WGS-84 points (haversine).
pub fn distance_m(lat1: f64, lng1: f64, lat2: f64, lng2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lng2 - lng1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().asin()
}

/// A latitude and a longitude in range.
pub fn valid(lat: f64, lng: f64) -> bool {
    lat.is_finite() && lng.is_finite() && (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lng)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_distances() {
        assert!(distance_m(36.0, 120.0, 36.0, 120.0).abs() < 1e-6);
        // One degree of latitude is about 111.2 km.
        assert!((distance_m(36.0, 120.0, 37.0, 120.0) - 111_195.0).abs() < 100.0);
        // Two points about 150 m apart in Qingdao's free trade zone.
        let d = distance_m(35.9640, 120.1800, 35.9650, 120.1812);
        assert!((140.0..170.0).contains(&d), "{d}");
    }

    #[test]
    fn ranges_are_checked() {
        assert!(valid(35.96, 120.18));
        assert!(!valid(91.0, 0.0));
        assert!(!valid(0.0, 181.0));
        assert!(!valid(f64::NAN, 0.0));
    }
}
