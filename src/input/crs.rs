//! Coordinate reference systems.
//!
//! `frontline` measures longitude/latitude on the WGS84 ellipsoid. A GeoJSON file may
//! declare another system in its (2008-era) `crs` member, e.g.
//! `{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}}`, and the CLI's
//! `--crs EPSG:NNNN` says the same for files that do not. Without the `proj` cargo feature
//! such inputs are refused with a hint; with it they are reprojected to WGS84
//! longitude/latitude as they are read, before anything else.

use serde_json::value::RawValue;

/// Names of WGS84 longitude/latitude, as GeoJSON files write them (EPSG:4326 is, strictly,
/// latitude first, but GeoJSON always writes longitude first, and files that name it mean
/// that).
fn is_wgs84(name: &str) -> bool {
    let folded: String = name.trim().to_ascii_uppercase().chars().filter(|c| !c.is_whitespace()).collect();
    matches!(
        folded.as_str(),
        "URN:OGC:DEF:CRS:OGC:1.3:CRS84"
            | "URN:OGC:DEF:CRS:OGC::CRS84"
            | "OGC:CRS84"
            | "CRS84"
            | "EPSG:4326"
            | "URN:OGC:DEF:CRS:EPSG::4326"
            | "URN:OGC:DEF:CRS:EPSG:6.6:4326"
            | "HTTP://WWW.OPENGIS.NET/DEF/CRS/EPSG/0/4326"
            | "HTTP://WWW.OPENGIS.NET/DEF/CRS/OGC/1.3/CRS84"
            | "WGS84"
            | "WGS 84"
    )
}

/// The coordinate system a `crs` member names, `None` for WGS84 longitude/latitude.
pub(crate) fn declared(crs: Option<&RawValue>) -> Result<Option<String>, String> {
    let Some(raw) = crs else { return Ok(None) };
    let value: serde_json::Value = serde_json::from_str(raw.get()).map_err(|e| format!("`crs`: {e}"))?;
    if value.is_null() {
        return Ok(None);
    }
    let properties = value.get("properties");
    let name = match value.get("type").and_then(|t| t.as_str()) {
        Some("name") => properties.and_then(|p| p.get("name")).and_then(|n| n.as_str()).map(str::to_string),
        Some("EPSG") => properties.and_then(|p| p.get("code")).map(|c| match c.as_str() {
            Some(s) => format!("EPSG:{s}"),
            None => format!("EPSG:{c}"),
        }),
        _ => None,
    };
    match name {
        Some(name) if is_wgs84(&name) => Ok(None),
        Some(name) => Ok(Some(name)),
        None => Err(format!("`crs` member not understood: {} (expected {{\"type\":\"name\",\"properties\":{{\"name\":\"EPSG:NNNN\"}}}})", raw.get())),
    }
}

/// A reprojection of positions from a named system to WGS84 longitude/latitude.
pub struct Reprojection {
    /// The source system, as named.
    pub from: String,
    #[cfg(feature = "proj")]
    proj: proj::Proj,
}

impl std::fmt::Debug for Reprojection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reprojection").field("from", &self.from).finish()
    }
}

impl Reprojection {
    /// A reprojection from `from` (e.g. `EPSG:3857`, `urn:ogc:def:crs:EPSG::3857`) to WGS84
    /// longitude/latitude; `Ok(None)` when `from` is WGS84 already. Without the `proj`
    /// feature any other system is an error with a hint.
    pub fn to_wgs84(from: &str) -> Result<Option<Reprojection>, String> {
        if is_wgs84(from) {
            return Ok(None);
        }
        Reprojection::build(from).map(Some)
    }

    #[cfg(not(feature = "proj"))]
    fn build(from: &str) -> Result<Reprojection, String> {
        Err(format!(
            "coordinates are in `{from}`, not WGS84 longitude/latitude: reproject the file (e.g. `ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson`) or build frontline with `--features proj`"
        ))
    }

    #[cfg(feature = "proj")]
    fn build(from: &str) -> Result<Reprojection, String> {
        // new_known_crs normalises axis order for visualisation: longitude first.
        let proj = proj::Proj::new_known_crs(from, "OGC:CRS84", None)
            .map_err(|e| format!("cannot reproject from `{from}`: {e}"))?;
        Ok(Reprojection { from: from.to_string(), proj })
    }

    /// The position in WGS84 longitude/latitude.
    pub fn apply(&self, x: f64, y: f64) -> Result<(f64, f64), String> {
        #[cfg(feature = "proj")]
        {
            if !x.is_finite() || !y.is_finite() {
                return Err(format!("coordinate [{x}, {y}] is not a finite number"));
            }
            self.proj
                .convert((x, y))
                .map_err(|e| format!("coordinate [{x}, {y}] cannot be reprojected from `{}`: {e}", self.from))
        }
        #[cfg(not(feature = "proj"))]
        {
            Err(format!("coordinate [{x}, {y}] cannot be reprojected from `{}` without the proj feature", self.from))
        }
    }
}

/// Area in km² of polygons in longitude/latitude, measured in the plane of a named
/// equal-area projection (e.g. `EPSG:3035`, ETRS89 Lambert azimuthal equal-area, or
/// `EPSG:6933`): a cross-check of the geodesic figure, which it matches when edges are
/// short (the projection keeps areas, straight edges in it differ from geodesics only by
/// lenses of a few m² per km of edge).
#[cfg(feature = "proj")]
pub fn equal_area_km2(polygons: &geo::MultiPolygon<f64>, projection: &str) -> Result<f64, String> {
    let proj = proj::Proj::new_known_crs("OGC:CRS84", projection, None)
        .map_err(|e| format!("cannot project to `{projection}`: {e}"))?;
    let ring_area = |ring: &geo::LineString<f64>| -> Result<f64, String> {
        let mut points = Vec::with_capacity(ring.0.len());
        for c in &ring.0 {
            points.push(proj.convert((c.x, c.y)).map_err(|e| format!("[{}, {}] to `{projection}`: {e}", c.x, c.y))?);
        }
        let mut twice = 0.0;
        for pair in points.windows(2) {
            let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
            twice += x0 * y1 - x1 * y0;
        }
        Ok((twice / 2.0).abs())
    };
    let mut total = 0.0;
    for polygon in &polygons.0 {
        let mut area = ring_area(polygon.exterior())?;
        for hole in polygon.interiors() {
            area -= ring_area(hole)?;
        }
        total += area.max(0.0);
    }
    Ok(total / 1e6)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_string()).unwrap()
    }

    #[test]
    fn wgs84_names_are_wgs84_and_others_are_named() {
        for name in ["urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::4326"] {
            let member = raw(&format!(r#"{{"type":"name","properties":{{"name":"{name}"}}}}"#));
            assert_eq!(declared(Some(&member)), Ok(None), "{name}");
        }
        let mercator = raw(r#"{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}}"#);
        assert_eq!(declared(Some(&mercator)), Ok(Some("urn:ogc:def:crs:EPSG::3857".to_string())));
        let legacy = raw(r#"{"type":"EPSG","properties":{"code":3857}}"#);
        assert_eq!(declared(Some(&legacy)), Ok(Some("EPSG:3857".to_string())));
        assert!(declared(Some(&raw(r#"{"type":"link"}"#))).is_err());
        assert_eq!(declared(Some(&raw("null"))), Ok(None));
    }
}
