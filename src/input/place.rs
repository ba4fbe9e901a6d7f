//! Places: the points or polygons whose distance from the front is measured
//! ([`Analysis::distance`](crate::Analysis::distance), the report's `--places`).
//!
//! A place file is often a large gazetteer (all settlements of a country) from which a few
//! features are picked by their properties: [`read_places`] reads it as [`read_regions`]
//! reads regions, with the same [`RegionOptions`] (`name_fields`, `id_field`, `filters`,
//! `names`), but keeps points too and lets names repeat.
//!
//! [`read_regions`]: crate::read_regions

use crate::error::{Error, Result};
use crate::geometry::distance::PlaceShape;
use crate::geometry::layer::{Dissolve, EdgeModel};
use crate::input::crs::Reprojection;
use crate::input::geojson::{property_text, Coords, RawGeometry};
use crate::input::read::{check_position, document_features, file_name, parse_document, read_bytes, region_polygons, reprojection, snapshot_files};
use crate::input::region::{Filters, RegionOptions};
use geo::{Coord, MultiPolygon, Polygon};
use std::path::PathBuf;

/// A place: its name, its identifier and its shape (points, or polygons).
///
/// ```
/// use frontline::Place;
/// use geo::{coord, polygon};
/// let centre = Place::from_points("Pokrovsk", vec![coord! { x: 37.18, y: 48.28 }]).with_id("node/1");
/// assert_eq!(centre.points().map(<[_]>::len), Some(1));
/// let town = Place::from_polygons("Myrnohrad", vec![polygon![(x: 37.2, y: 48.28), (x: 37.3, y: 48.28), (x: 37.3, y: 48.33), (x: 37.2, y: 48.33)]]);
/// assert!(town.polygons().is_some() && town.points().is_none());
/// ```
#[derive(Debug, Clone)]
pub struct Place {
    /// Its name, from the name properties (else the file stem, with `#N` for the Nth
    /// feature of a file holding several).
    pub name: String,
    /// Its identifier, from the id property, when the feature has it.
    pub id: Option<String>,
    /// Its points, or its repaired, dissolved polygons with their edges in a tree.
    pub(crate) shape: PlaceShape,
}

impl Place {
    /// A place of one or more points (a town's centre): its distance is from the nearest of
    /// them.
    pub fn from_points(name: impl Into<String>, points: Vec<Coord<f64>>) -> Place {
        Place { name: name.into(), id: None, shape: PlaceShape::Points(points) }
    }

    /// A place of polygons (a town's outline), repaired and dissolved: its distance is from
    /// its nearest point, 0 where it meets the front.
    pub fn from_polygons(name: impl Into<String>, polygons: Vec<Polygon<f64>>) -> Place {
        let area = polygons.as_slice().dissolve_with(EdgeModel::default());
        Place { name: name.into(), id: None, shape: PlaceShape::area(area) }
    }

    /// The same place, identified by `id` (rows carry it as `place_id`).
    pub fn with_id(mut self, id: impl Into<String>) -> Place {
        self.id = Some(id.into());
        self
    }

    /// Its points, if it is a point place.
    pub fn points(&self) -> Option<&[Coord<f64>]> {
        match &self.shape {
            PlaceShape::Points(points) => Some(points),
            PlaceShape::Area(_) => None,
        }
    }

    /// Its polygons (repaired and dissolved), if it is a polygon place.
    pub fn polygons(&self) -> Option<&MultiPolygon<f64>> {
        match &self.shape {
            PlaceShape::Points(_) => None,
            PlaceShape::Area(tree) => Some(tree.shape()),
        }
    }
}

/// Reads the places of one or more GeoJSON files or directories: every feature with a
/// point or polygonal geometry that the options keep, in file order, named and identified
/// as they say.
///
/// A line geometry is an error naming the file and feature, and so are polygons that
/// enclose no area; features without a geometry are left out. A `--where` condition that no
/// feature meets is an error naming it, as for regions ([`RegionOptions::filters`]).
///
/// ```
/// use frontline::{read_places, RegionOptions};
/// let towns = read_places(&["examples/data/towns.geojson".into()], &RegionOptions::default().keep_where("name", "Easttown"))?;
/// assert_eq!(towns.len(), 1);
/// assert_eq!(towns[0].name, "Easttown");
/// assert!(towns[0].polygons().is_some());
/// # Ok::<(), frontline::Error>(())
/// ```
pub fn read_places(inputs: &[PathBuf], options: &RegionOptions) -> Result<Vec<Place>> {
    let files = snapshot_files(inputs)?;
    let filters = Filters::new(&options.filters);
    let mut met = vec![false; filters.len()];
    let mut places = Vec::new();
    for path in &files {
        let bytes = read_bytes(path)?;
        let doc = parse_document(path, &bytes)?;
        let reproject = reprojection(path, &doc, None)?;
        let features = document_features(path, &doc)?;
        let several = features.len() > 1;
        let stem = {
            let name = file_name(path);
            name.split('.').next().unwrap_or(&name).to_string()
        };
        for (index, (geometry, properties)) in features.into_iter().enumerate() {
            let parsed = properties.map(|p| p.parse()).unwrap_or_default();
            let text = |key: &str| parsed.get(key).and_then(|v| property_text(v));
            if !filters.keeps(&text) {
                continue;
            }
            let Some(geometry) = geometry else { continue };
            let shape = match geometry.kind.as_str() {
                "Point" | "MultiPoint" => PlaceShape::Points(points(geometry, reproject.as_ref()).map_err(|m| Error::feature(path, index, m))?),
                "LineString" | "MultiLineString" => {
                    return Err(Error::feature(path, index, format!("a {} is not a place: give points or polygons", geometry.kind)))
                }
                _ => {
                    let mut polygons = Vec::new();
                    region_polygons(geometry, &mut polygons, reproject.as_ref()).map_err(|m| Error::feature(path, index, m))?;
                    let area = polygons.as_slice().dissolve_with(EdgeModel::default());
                    if area.0.is_empty() {
                        return Err(Error::feature(path, index, "the place's polygons enclose no area"));
                    }
                    PlaceShape::area(area)
                }
            };
            filters.mark(&text, &mut met);
            let name = options
                .name_fields
                .iter()
                .find_map(|field| text(field).filter(|n| !n.trim().is_empty()))
                .unwrap_or_else(|| if several { format!("{stem}#{index}") } else { stem.clone() });
            let id = options.id_field.as_deref().and_then(text);
            places.push(Place { name, id, shape });
        }
    }
    filters.check(&met, "place")?;
    for name in &options.names {
        if !places.iter().any(|p| &p.name == name) {
            return Err(Error::Usage(format!("`{name}`: no place of that name in the place files")));
        }
    }
    if !options.names.is_empty() {
        places.retain(|p| options.names.contains(&p.name));
    }
    if places.is_empty() {
        return Err(Error::Usage("no place in the place files (points or polygons)".into()));
    }
    Ok(places)
}

/// The positions of a Point or MultiPoint.
fn points(geometry: &RawGeometry, reproject: Option<&Reprojection>) -> std::result::Result<Vec<Coord<f64>>, String> {
    let position = |x: f64, y: f64| -> std::result::Result<Coord<f64>, String> {
        let (x, y) = match reproject {
            Some(r) => r.apply(x, y)?,
            None => (x, y),
        };
        check_position(x, y)?;
        Ok(Coord { x, y })
    };
    let points = match (&geometry.coordinates, geometry.kind.as_str()) {
        (Some(Coords::Position(x, y)), "Point") => vec![position(*x, *y)?],
        (Some(Coords::Positions(items)), "MultiPoint") => items.iter().map(|c| position(c.x, c.y)).collect::<std::result::Result<_, _>>()?,
        // (an empty array, or one that holds something other than positions)
        (Some(Coords::List(items)), "MultiPoint") => items
            .iter()
            .map(|c| match *c {
                Coords::Position(x, y) => position(x, y),
                _ => Err(format!("{}: expected [longitude, latitude] positions", geometry.kind)),
            })
            .collect::<std::result::Result<_, _>>()?,
        (None, kind) => return Err(format!("{kind} without `coordinates`")),
        (Some(_), kind) => return Err(format!("{kind}: `coordinates` are not positions")),
    };
    if points.is_empty() {
        return Err("a MultiPoint without points".into());
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_points_and_polygons_picked_by_their_properties() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("towns.geojson");
        std::fs::write(
            &path,
            r#"{"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"name":"A","@id":"node/1","place":"town"},"geometry":{"type":"Point","coordinates":[37.5,48.5]}},
              {"type":"Feature","properties":{"name":"B","@id":"relation/2","place":"town"},"geometry":{"type":"Polygon","coordinates":[[[37,48],[37.1,48],[37.1,48.1],[37,48.1],[37,48]]]}},
              {"type":"Feature","properties":{"name":"C","@id":"relation/3","place":"village"},"geometry":{"type":"Polygon","coordinates":[[[36,48],[36.1,48],[36.1,48.1],[36,48]]]}},
              {"type":"Feature","properties":{"name":"D"},"geometry":null}]}"#,
        )
        .unwrap();
        let files = std::slice::from_ref(&path);
        let all = read_places(files, &RegionOptions::default().id_field("@id")).unwrap();
        assert_eq!(all.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["A", "B", "C"]);
        assert!(matches!(all[0].shape, PlaceShape::Points(ref p) if p.len() == 1));
        assert!(matches!(all[1].shape, PlaceShape::Area(_)));
        assert_eq!(all[1].id.as_deref(), Some("relation/2"));
        let options = RegionOptions::default().keep_where("@id", "relation/2").keep_where("@id", "node/1").keep_where("place", "town");
        let picked = read_places(files, &options).unwrap();
        assert_eq!(picked.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["A", "B"]);
        assert_eq!(picked[0].id, None);
        // A condition nothing meets is an error naming it: a mistyped identifier, or a
        // village where towns are asked for.
        for conditions in [vec![("@id", "relation/9")], vec![("@id", "relation/3"), ("place", "town")]] {
            let options = conditions.iter().fold(RegionOptions::default(), |o, (k, v)| o.keep_where(*k, *v));
            let error = read_places(files, &options).unwrap_err().to_string();
            let (key, value) = conditions[0];
            assert!(error.contains(&format!("{key}={value}")), "{error}");
        }
    }

    /// A MultiPoint's positions are its points; one without any, or holding something
    /// other than positions, is refused with a message saying so.
    #[test]
    fn a_multipoint_is_its_positions() {
        let read = |json: &str| points(&serde_json::from_str::<RawGeometry>(json).unwrap(), None);
        assert_eq!(read(r#"{"type":"MultiPoint","coordinates":[[37,48],[37.5,48.25]]}"#).unwrap(), [Coord { x: 37.0, y: 48.0 }, Coord { x: 37.5, y: 48.25 }]);
        assert_eq!(read(r#"{"type":"Point","coordinates":[37,48]}"#).unwrap(), [Coord { x: 37.0, y: 48.0 }]);
        assert!(read(r#"{"type":"MultiPoint","coordinates":[]}"#).unwrap_err().contains("without points"));
        assert!(read(r#"{"type":"MultiPoint","coordinates":[[37,48],[[37,48]]]}"#).unwrap_err().contains("expected [longitude, latitude] positions"));
        assert!(read(r#"{"type":"MultiPoint","coordinates":[[37,148]]}"#).is_err());
    }
}
