//! Regions and areas of interest: where areas are measured.

use crate::error::{Error, Result};
use crate::geometry::layer::{Dissolve, EdgeSplit};
use crate::input::read::{document_features, parse_document, read_bytes, file_name, snapshot_files};
use geo::{BoundingRect, MultiPolygon, Polygon, Rect};
use std::path::{Path, PathBuf};

/// A named area: an oblast, a town, a country.
#[derive(Debug, Clone)]
pub struct Region {
    /// Its name, as printed in reports.
    pub name: String,
    /// Its repaired, dissolved geometry.
    pub geometry: MultiPolygon<f64>,
    /// Its area in km² on the WGS84 ellipsoid, its edges as its [`EdgeSplit`] says.
    pub area_km2: f64,
    /// Its bounding box (`None` only for an empty region).
    pub bbox: Option<Rect<f64>>,
}

impl Region {
    /// A region from any polygons (repaired and dissolved; edges are straight lines in
    /// longitude/latitude, as on the map: see [`crate::geometry::layer::EdgeSplit`]).
    ///
    /// ```
    /// use frontline::Region;
    /// use geo::polygon;
    /// let cell = polygon![(x: 37., y: 48.), (x: 38., y: 48.), (x: 38., y: 49.), (x: 37., y: 49.)];
    /// let region = Region::new("cell", vec![cell]);
    /// // The cell between the parallels 48° and 49°N: 1/360 of the band, 8217.732 km²
    /// // (with four geodesic edges, as pyproj measures the four corners: 8217.590 km²).
    /// assert!((region.area_km2 - 8217.732).abs() < 0.001);
    /// ```
    pub fn new(name: impl Into<String>, polygons: Vec<Polygon<f64>>) -> Region {
        Region::new_with(name, polygons, EdgeSplit::default())
    }

    /// A region from any polygons, with a choice of edge model: `EdgeSplit::Geodesic`
    /// (or `EdgeSplit::None`, which adds no points) measures every edge as a geodesic, as
    /// pyproj measures a polygon.
    ///
    /// ```
    /// use frontline::{layer::EdgeSplit, Region};
    /// use geo::polygon;
    /// let cell = polygon![(x: 37., y: 48.), (x: 38., y: 48.), (x: 38., y: 49.), (x: 37., y: 49.)];
    /// // The four corners joined by geodesics, as pyproj's `Geod.geometry_area_perimeter`
    /// // measures them: 8217.590 km² (see `Region::new` for the straight edges).
    /// let region = Region::new_with("cell", vec![cell], EdgeSplit::None);
    /// assert!((region.area_km2 - 8217.590).abs() < 0.001);
    /// ```
    pub fn new_with(name: impl Into<String>, polygons: Vec<Polygon<f64>>, edges: EdgeSplit) -> Region {
        let geometry = polygons.as_slice().dissolve_with(edges);
        let area_km2 = edges.area_km2(&geometry);
        let bbox = geometry.bounding_rect();
        Region { name: name.into(), geometry, area_km2, bbox }
    }
}

/// Reads the regions of one or more files or directories.
///
/// Every feature with a polygonal geometry is one region named by its `name_field` property,
/// else by the file stem (with `#N` appended when the file holds several features). A bare
/// geometry is one region named by the file stem.
pub fn read_regions(inputs: &[PathBuf], name_field: &str) -> Result<Vec<Region>> {
    read_regions_with(inputs, name_field, EdgeSplit::default())
}

/// [`read_regions`] with a choice of edge treatment (see [`Region::new_with`]).
pub fn read_regions_with(inputs: &[PathBuf], name_field: &str, edges: EdgeSplit) -> Result<Vec<Region>> {
    use rayon::prelude::*;
    // Repairing a detailed boundary is the costly part: files, and features within a
    // file, are built on all cores (in their order).
    let files = snapshot_files(inputs)?;
    let per_file: Vec<Result<Vec<Region>>> = files.par_iter().map(|path| read_region_file(path, name_field, edges)).collect();
    // (the first bad file in order is the one reported, whichever thread met it first)
    let mut regions: Vec<Region> = Vec::new();
    for file in per_file {
        regions.extend(file?);
    }
    let mut names = std::collections::HashSet::new();
    for region in &regions {
        if !names.insert(region.name.as_str()) {
            return Err(Error::Usage(format!("two regions are named `{}`: choose another --name-field", region.name)));
        }
        if region.name == "total" {
            return Err(Error::Usage("a region is named `total`, the name of the whole-area row".into()));
        }
    }
    Ok(regions)
}

/// Reads every polygon of one file as a single area of interest (the `--clip` option).
pub fn read_area_of_interest(path: &Path) -> Result<Region> {
    read_area_of_interest_with(path, EdgeSplit::default())
}

/// [`read_area_of_interest`] with a choice of edge treatment (see [`Region::new_with`]).
pub fn read_area_of_interest_with(path: &Path, edges: EdgeSplit) -> Result<Region> {
    let mut parts = read_region_file(path, "\u{0}", edges)?;
    if parts.len() == 1 {
        // One feature (a country's outline, usually): already repaired and dissolved.
        if let Some(mut only) = parts.pop() {
            only.name = stem(path);
            return Ok(only);
        }
    }
    let polygons: Vec<Polygon<f64>> = parts.into_iter().flat_map(|r| r.geometry.0).collect();
    Ok(Region::new_with(stem(path), polygons, edges))
}

fn stem(path: &Path) -> String {
    let name = file_name(path);
    name.split('.').next().unwrap_or(&name).to_string()
}

fn read_region_file(path: &Path, name_field: &str, edges: EdgeSplit) -> Result<Vec<Region>> {
    let bytes = read_bytes(path)?;
    let doc = parse_document(path, &bytes)?;
    let reprojection = crate::input::read::reprojection(path, &doc, None)?;
    let mut features = document_features(path, &doc)?;
    let bare;
    if features.is_empty() && doc.coordinates.is_some() {
        bare = crate::input::geojson::RawGeometry {
            kind: doc.kind.as_deref().unwrap_or_default().to_string(),
            coordinates: doc.coordinates.clone(),
            geometries: None,
        };
        features.push((Some(&bare), None));
    }
    let several = features.len() > 1;
    let mut named = Vec::new();
    for (index, (geometry, properties)) in features.into_iter().enumerate() {
        let Some(geometry) = geometry else { continue };
        let mut polygons = Vec::new();
        let polygonal = crate::input::read::region_polygons(geometry, &mut polygons, reprojection.as_ref())
            .map_err(|message| Error::feature(path, index, message))?;
        if !polygonal || polygons.is_empty() {
            continue;
        }
        let name = properties
            .and_then(|p| p.text(name_field))
            .unwrap_or_else(|| if several { format!("{}#{index}", stem(path)) } else { stem(path) });
        named.push((name, polygons));
    }
    let regions: Vec<Region> = {
        use rayon::prelude::*;
        named.into_par_iter().map(|(name, polygons)| Region::new_with(name, polygons, edges)).collect()
    };
    if regions.is_empty() {
        return Err(Error::format(path, "no polygon in this file to use as a region"));
    }
    Ok(regions)
}
