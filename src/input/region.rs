//! Regions and areas of interest: where areas are measured.

use crate::error::{Error, Result};
use crate::geometry::layer::{Dissolve, EdgeModel};
use crate::input::geojson::property_text;
use crate::input::read::{document_features, file_name, parse_document, read_bytes, snapshot_files};
use geo::{BoundingRect, MultiPolygon, Polygon, Rect};
use std::path::{Path, PathBuf};

/// A named area: an oblast, a town, a country.
#[derive(Debug, Clone)]
pub struct Region {
    /// Its name, as printed in reports.
    pub name: String,
    /// A key that tells it apart from regions of the same name (e.g. an OpenStreetMap
    /// `@id`), printed as `region_id`.
    pub id: Option<String>,
    /// Its repaired, dissolved geometry.
    pub geometry: MultiPolygon<f64>,
    /// Its area in km² on the WGS84 ellipsoid, its edges as its [`EdgeModel`] says.
    pub area_km2: f64,
    /// Its bounding box (`None` only for an empty region).
    pub bbox: Option<Rect<f64>>,
}

impl Region {
    /// A region from any polygons (repaired and dissolved; edges are straight lines in
    /// longitude/latitude, as on the map: see [`crate::geometry::layer::EdgeModel`]).
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
        Region::new_with(name, polygons, EdgeModel::default())
    }

    /// A region from any polygons, with a choice of edge model: `EdgeModel::Geodesic`
    /// (or `EdgeModel::None`, which adds no points) measures every edge as a geodesic, as
    /// pyproj measures a polygon.
    ///
    /// ```
    /// use frontline::{EdgeModel, Region};
    /// use geo::polygon;
    /// let cell = polygon![(x: 37., y: 48.), (x: 38., y: 48.), (x: 38., y: 49.), (x: 37., y: 49.)];
    /// // The four corners joined by geodesics, as pyproj's `Geod.geometry_area_perimeter`
    /// // measures them: 8217.590 km² (see `Region::new` for the straight edges).
    /// let region = Region::new_with("cell", vec![cell], EdgeModel::None);
    /// assert!((region.area_km2 - 8217.590).abs() < 0.001);
    /// ```
    pub fn new_with(name: impl Into<String>, polygons: Vec<Polygon<f64>>, edges: EdgeModel) -> Region {
        let geometry = polygons.as_slice().dissolve_with(edges);
        let area_km2 = edges.area_km2(&geometry);
        let bbox = geometry.bounding_rect();
        Region { name: name.into(), id: None, geometry, area_km2, bbox }
    }

    /// The same region, identified by `id` (two regions may then share a name).
    ///
    /// ```
    /// use frontline::Region;
    /// use geo::polygon;
    /// let square = polygon![(x: 37., y: 48.), (x: 37.1, y: 48.), (x: 37.1, y: 48.1), (x: 37., y: 48.1)];
    /// let pokrovsk = Region::new("Pokrovsk", vec![square]).with_id("relation/2506125");
    /// assert_eq!(pokrovsk.id.as_deref(), Some("relation/2506125"));
    /// ```
    pub fn with_id(mut self, id: impl Into<String>) -> Region {
        self.id = Some(id.into());
        self
    }
}

/// How regions are read from GeoJSON files: which properties name and identify them, and
/// which features are kept.
///
/// ```
/// use frontline::RegionOptions;
/// let hromadas = RegionOptions::default()
///     .name_fields(["name:en", "name"])
///     .id_field("@id")
///     .keep_where("oblast", "Донецька область");
/// assert_eq!(hromadas.name_fields, ["name:en", "name"]);
/// ```
#[derive(Debug, Clone)]
pub struct RegionOptions {
    /// Properties that name a region, tried in order (default `name`); without any, the
    /// file's stem (with `#N` for the Nth feature of a file of several).
    pub name_fields: Vec<String>,
    /// A property that identifies a region (e.g. `@id`): regions that share a name stay
    /// apart. A feature without it is identified by its name.
    pub id_field: Option<String>,
    /// Only features whose property `KEY` is `VALUE`, for every pair, are kept.
    pub filters: Vec<(String, String)>,
    /// Only regions of these names are kept (none: all).
    pub names: Vec<String>,
    /// What the regions' edges are.
    pub edges: EdgeModel,
}

impl Default for RegionOptions {
    fn default() -> Self {
        RegionOptions { name_fields: vec!["name".into()], id_field: None, filters: Vec::new(), names: Vec::new(), edges: EdgeModel::default() }
    }
}

impl RegionOptions {
    /// Sets the properties that name a region, tried in order.
    pub fn name_fields<S: Into<String>>(mut self, fields: impl IntoIterator<Item = S>) -> RegionOptions {
        self.name_fields = fields.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the property that identifies a region.
    pub fn id_field(mut self, field: impl Into<String>) -> RegionOptions {
        self.id_field = Some(field.into());
        self
    }

    /// Keeps only features whose property `key` is `value` (repeatable: all must match).
    pub fn keep_where(mut self, key: impl Into<String>, value: impl Into<String>) -> RegionOptions {
        self.filters.push((key.into(), value.into()));
        self
    }

    /// Keeps only the region named `name` (repeatable).
    pub fn keep_named(mut self, name: impl Into<String>) -> RegionOptions {
        self.names.push(name.into());
        self
    }

    /// Sets what the regions' edges are.
    pub fn edges(mut self, edges: EdgeModel) -> RegionOptions {
        self.edges = edges;
        self
    }
}

/// Reads the regions of one or more files or directories.
///
/// Every feature with a polygonal geometry is one region, named and identified as `options`
/// say; a bare geometry is one region named by the file stem. Two regions of one name are
/// refused unless an id field tells them apart.
///
/// ```
/// use frontline::{read_regions, RegionOptions};
/// let towns = read_regions(&["examples/data/towns.geojson".into()], &RegionOptions::default())?;
/// assert!(towns.iter().all(|t| t.area_km2 > 0.0));
/// # Ok::<(), frontline::Error>(())
/// ```
pub fn read_regions(inputs: &[PathBuf], options: &RegionOptions) -> Result<Vec<Region>> {
    use rayon::prelude::*;
    // Repairing a detailed boundary is the costly part: files, and features within a
    // file, are built on all cores (in their order).
    let files = snapshot_files(inputs)?;
    let per_file: Vec<Result<Vec<Region>>> = files.par_iter().map(|path| read_region_file(path, options)).collect();
    // (the first bad file in order is the one reported, whichever thread met it first)
    let mut regions: Vec<Region> = Vec::new();
    for file in per_file {
        regions.extend(file?);
    }
    if !options.names.is_empty() {
        for name in &options.names {
            if !regions.iter().any(|r| &r.name == name) {
                let shown: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
                return Err(Error::Usage(format!("--region `{name}`: no region of that name in {}", shown.join(", "))));
            }
        }
        regions.retain(|r| options.names.contains(&r.name));
    }
    let mut names = std::collections::HashSet::new();
    for region in &regions {
        if !names.insert((region.name.as_str(), region.id.as_deref())) {
            let hint = match &options.id_field {
                Some(field) => format!("two share the id field `{field}` too"),
                None => "give --id-field (e.g. `@id`) to tell them apart, or choose another --name-field".into(),
            };
            return Err(Error::Usage(format!("two regions are named `{}`: {hint}", region.name)));
        }
        if region.name == "total" && region.id.is_none() {
            return Err(Error::Usage("a region is named `total`, the name of the whole-area row".into()));
        }
    }
    Ok(regions)
}

/// Reads every polygon of one file as a single area of interest (the `--clip` option).
///
/// ```
/// let aoi = frontline::read_area_of_interest("examples/data/aoi.geojson".as_ref())?;
/// assert!((aoi.area_km2 - 8217.732).abs() < 0.001);
/// # Ok::<(), frontline::Error>(())
/// ```
pub fn read_area_of_interest(path: &Path) -> Result<Region> {
    read_area_of_interest_with(path, EdgeModel::default())
}

/// [`read_area_of_interest`] with a choice of edge treatment (see [`Region::new_with`]).
pub fn read_area_of_interest_with(path: &Path, edges: EdgeModel) -> Result<Region> {
    let options = RegionOptions { name_fields: Vec::new(), ..RegionOptions::default() }.edges(edges);
    let mut parts = read_region_file(path, &options)?;
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

fn read_region_file(path: &Path, options: &RegionOptions) -> Result<Vec<Region>> {
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
        let parsed = properties.map(|p| p.parse());
        let text = |key: &str| parsed.as_ref().and_then(|p| p.get(key)).and_then(|v| property_text(v));
        if !options.filters.iter().all(|(key, value)| text(key).as_deref() == Some(value.as_str())) {
            continue;
        }
        let name = options
            .name_fields
            .iter()
            .find_map(|field| text(field).filter(|n| !n.trim().is_empty()))
            .unwrap_or_else(|| if several { format!("{}#{index}", stem(path)) } else { stem(path) });
        let id = options.id_field.as_ref().map(|field| text(field).unwrap_or_else(|| name.clone()));
        named.push((name, id, polygons));
    }
    let regions: Vec<Region> = {
        use rayon::prelude::*;
        named
            .into_par_iter()
            .map(|(name, id, polygons)| Region { id, ..Region::new_with(name, polygons, options.edges) })
            .collect()
    };
    if regions.is_empty() {
        let what = match options.filters.is_empty() {
            true => "no polygon in this file to use as a region",
            false => "no polygon in this file matches the --where filters",
        };
        return Err(Error::format(path, what));
    }
    Ok(regions)
}
