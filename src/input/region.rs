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
    /// Which features are kept, as `(KEY, VALUE)` conditions: for every key named, the
    /// feature's property must be one of the values given for it. Values of one key are
    /// alternatives, different keys must all match (`@id=relation/1`, `@id=relation/2`,
    /// `place=town`: either relation, and a town). A condition that no feature of the files
    /// meets (with the others) is an error naming it, so that a mistyped identifier does not
    /// drop a region without a word. None: every feature.
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

    /// Keeps only features whose property `key` is `value` (repeatable: values of one key
    /// are alternatives, different keys must all match; see [`RegionOptions::filters`]).
    ///
    /// ```
    /// use frontline::{read_regions, RegionOptions};
    /// // The sample's two towns, Westtown and Easttown, both picked by name.
    /// let two = RegionOptions::default().keep_where("name", "Westtown").keep_where("name", "Easttown");
    /// let towns = read_regions(&["examples/data/towns.geojson".into()], &two)?;
    /// assert_eq!(towns.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["Westtown", "Easttown"]);
    /// // A condition no town meets is an error naming it.
    /// let typo = RegionOptions::default().keep_where("name", "Westown");
    /// let error = read_regions(&["examples/data/towns.geojson".into()], &typo).unwrap_err();
    /// assert!(error.to_string().contains("name=Westown"));
    /// # Ok::<(), frontline::Error>(())
    /// ```
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
    let per_file: Vec<Result<(Vec<Region>, Vec<bool>)>> = files.par_iter().map(|path| read_region_file(path, options)).collect();
    // (the first bad file in order is the one reported, whichever thread met it first)
    let mut regions: Vec<Region> = Vec::new();
    let filters = Filters::new(&options.filters);
    let mut met = vec![false; filters.len()];
    for file in per_file {
        let (found, met_here) = file?;
        regions.extend(found);
        met.iter_mut().zip(met_here).for_each(|(all, here)| *all |= here);
    }
    filters.check(&met, "region")?;
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
    let (mut parts, _) = read_region_file(path, &options)?;
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

/// The regions of one file, and which of the `--where` conditions its kept features met.
fn read_region_file(path: &Path, options: &RegionOptions) -> Result<(Vec<Region>, Vec<bool>)> {
    let filters = Filters::new(&options.filters);
    let mut met = vec![false; filters.len()];
    // The text and its parsed coordinates (several times the polygons' size) are let go
    // before the polygons are dissolved: the peak of reading hromadas and settlements.
    let named = {
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
            if !filters.keeps(&text) {
                continue;
            }
            filters.mark(&text, &mut met);
            let name = options
                .name_fields
                .iter()
                .find_map(|field| text(field).filter(|n| !n.trim().is_empty()))
                .unwrap_or_else(|| if several { format!("{}#{index}", stem(path)) } else { stem(path) });
            let id = options.id_field.as_ref().map(|field| text(field).unwrap_or_else(|| name.clone()));
            named.push((name, id, polygons));
        }
        named
    };
    let regions: Vec<Region> = {
        use rayon::prelude::*;
        named
            .into_par_iter()
            .map(|(name, id, polygons)| Region { id, ..Region::new_with(name, polygons, options.edges) })
            .collect()
    };
    // (with conditions, a file none of whose features meets them is one of several read
    // together: whether each condition is met is checked over them all)
    if regions.is_empty() && options.filters.is_empty() {
        return Err(Error::format(path, "no polygon in this file to use as a region"));
    }
    Ok((regions, met))
}

/// The `--where` conditions of [`RegionOptions::filters`], grouped by key: a feature is kept
/// when, for every key, its property is one of that key's values.
pub(crate) struct Filters<'o> {
    /// Each key with its values, keys in the order first given.
    keys: Vec<(&'o str, Vec<&'o str>)>,
}

impl<'o> Filters<'o> {
    pub(crate) fn new(filters: &'o [(String, String)]) -> Filters<'o> {
        let mut keys: Vec<(&str, Vec<&str>)> = Vec::new();
        for (key, value) in filters {
            match keys.iter_mut().find(|(k, _)| k == key) {
                Some((_, values)) => values.push(value),
                None => keys.push((key, vec![value])),
            }
        }
        Filters { keys }
    }

    /// The number of conditions (`KEY=VALUE` pairs).
    pub(crate) fn len(&self) -> usize {
        self.keys.iter().map(|(_, values)| values.len()).sum()
    }

    /// Whether a feature whose properties `text` gives is kept.
    pub(crate) fn keeps(&self, text: &dyn Fn(&str) -> Option<String>) -> bool {
        self.keys.iter().all(|(key, values)| text(key).is_some_and(|v| values.contains(&v.as_str())))
    }

    /// Marks the conditions a kept feature meets, in the order of [`Filters::len`].
    pub(crate) fn mark(&self, text: &dyn Fn(&str) -> Option<String>, met: &mut [bool]) {
        let conditions = self.keys.iter().flat_map(|(key, values)| values.iter().map(move |value| (*key, *value)));
        for ((key, value), met) in conditions.zip(met) {
            *met |= text(key).as_deref() == Some(value);
        }
    }

    /// An error naming the first condition no kept feature met.
    pub(crate) fn check(&self, met: &[bool], what: &str) -> Result<()> {
        let conditions = self.keys.iter().flat_map(|(key, values)| values.iter().map(move |value| (*key, *value)));
        match conditions.zip(met).find(|(_, met)| !**met) {
            Some(((key, value), _)) => Err(Error::Usage(format!("--where {key}={value}: no feature of the {what} files meets it (and the other conditions)"))),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values of one key are alternatives, different keys must all match, over all the
    /// files read together; a condition that no kept feature meets is an error naming it.
    #[test]
    fn where_conditions_pick_features_across_files() {
        let dir = tempfile::tempdir().unwrap();
        let feature = |name: &str, kind: &str, x: f64| {
            format!(
                r#"{{"type":"Feature","properties":{{"name":"{name}","place":"{kind}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},48],[{x1},48],[{x1},48.1],[{x},48.1],[{x},48]]]}}}}"#,
                x1 = x + 0.1
            )
        };
        let collection = |features: &[String]| format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","));
        std::fs::write(dir.path().join("a.geojson"), collection(&[feature("A", "town", 36.0), feature("B", "village", 36.2)])).unwrap();
        std::fs::write(dir.path().join("b.geojson"), collection(&[feature("C", "town", 36.4)])).unwrap();
        let inputs = [dir.path().to_path_buf()];
        let names = |options: &RegionOptions| -> Result<Vec<String>> { Ok(read_regions(&inputs, options)?.into_iter().map(|r| r.name).collect()) };
        let town_a_or_c = RegionOptions::default().keep_where("name", "A").keep_where("place", "town").keep_where("name", "C");
        assert_eq!(names(&town_a_or_c).unwrap(), ["A", "C"]);
        assert_eq!(names(&RegionOptions::default().keep_where("place", "village")).unwrap(), ["B"]);
        assert_eq!(names(&RegionOptions::default()).unwrap(), ["A", "B", "C"]);
        for (options, named) in [
            (RegionOptions::default().keep_where("name", "D"), "--where name=D"),
            (RegionOptions::default().keep_where("name", "B").keep_where("place", "town"), "--where name=B"),
            (RegionOptions::default().keep_where("name", "A").keep_where("name", "B").keep_where("place", "town"), "--where name=B"),
        ] {
            let error = names(&options).unwrap_err();
            assert!(error.to_string().starts_with(named), "{error}");
            assert!(error.is_bad_input());
        }
        // A file with no polygon at all is still an error of its own.
        std::fs::write(dir.path().join("c.geojson"), r#"{"type":"FeatureCollection","features":[]}"#).unwrap();
        assert!(names(&RegionOptions::default()).unwrap_err().to_string().contains("c.geojson"));
    }
}
