//! The map's own figures beside `frontline`'s, and the bridge from one to the other.
//!
//! The DeepState map publishes, per snapshot, an area per fill colour. It measures with
//! turf.js: the sum of the spherical areas (radius 6,378,137 m) of the polygons of each
//! colour, each polygon as drawn (overlaps counted as often as they are drawn, nothing
//! dissolved, repaired or clipped). `frontline` classifies by name, repairs and dissolves
//! each status, makes the statuses disjoint, clips to the area of interest and measures on
//! the WGS84 ellipsoid. [`Analysis::reconcile`] computes the map's figure the map's way
//! (`reproduced_km2`), then changes one thing at a time until it reaches `frontline`'s own
//! figure, and reports the change each step makes:
//!
//! 1. `sphere_to_ellipsoid_km2`: the same polygons, measured as the analysis measures
//!    (the ellipsoid, edges straight in longitude/latitude, by default);
//! 2. `colour_to_status_km2`: grouped by the status their name tells instead of by colour:
//!    territories outside Ukraine and polygons without a status leave, polygons whose name
//!    and colour disagree move, colours the published statistics leave out come in;
//! 3. `disjoint_km2`: each status repaired and dissolved (overlaps within it counted once)
//!    and the statuses made disjoint (occupied over contested over liberated): the `total`
//!    of `frontline areas` without an area of interest;
//! 4. `clip_km2`: clipped to the area of interest (0 without one): the `total` of
//!    `frontline areas --clip`.
//!
//! The last two are the analysis' own runs over the snapshots (its engine, as `frontline
//! areas` runs), so `frontline_km2` is the figure `frontline areas` gives, to the bit.
//!
//! How the map's colours fall into its published types was found by reproducing its
//! figures: on all 209 snapshots of the archive, every published figure comes out to 1e-12
//! when `#000000` (the 2022 colour of Crimea and ORDLO) counts as `occupied_to_24_02_2022`
//! and `#0288d1` (an older green) as `liberated`, and every other colour as its own entry.

use crate::engine::analysis::Analysis;
use crate::error::{Error, Result};
use crate::geometry::area::straight_polygon_area_km2;
use crate::geometry::layer::EdgeModel;
use crate::geometry::sphere::turf_polygon_area_km2;
use crate::input::published::{published_path, read_coloured, read_published, PublishedArea};
use crate::input::read::read_snapshot;
use crate::{AreaKm2, PerStatus, Status};
use chrono::{DateTime, Utc};
use geo::Polygon;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The rows of one snapshot, in this order: the three statuses, then what the map counts
/// apart (`other_territories`, and any type `frontline` cannot place).
pub(crate) const ROWS: [&str; 4] = ["occupied", "contested", "liberated", "other"];
const OTHER: usize = 3;

/// Colours the map counts under another colour's type (see the module documentation).
const COLOUR_ALIASES: [(&str, &str); 2] = [("#000000", "occupied_to_24_02_2022"), ("#0288d1", "liberated")];

/// The row a published type goes into; `None` for a type `frontline` does not know.
fn row_of_type(kind: &str) -> Option<usize> {
    match kind {
        "occupied_after_24_02_2022" | "occupied_to_24_02_2022" => Some(0),
        "unspecified" => Some(1),
        "liberated" => Some(2),
        "other_territories" => Some(OTHER),
        _ => None,
    }
}

/// One status of one snapshot: the map's figure, the same computed the map's way, and the
/// steps from there to `frontline`'s own figure. One row of `frontline reconcile`.
///
/// `reproduced_km2 + sphere_to_ellipsoid_km2 + colour_to_status_km2 + disjoint_km2 +
/// clip_km2 = frontline_km2`, to rounding. Its JSON form has exactly these keys, in this
/// order, `time` in RFC 3339.
///
/// The statuses are `occupied` (the map's `occupied_after_24_02_2022` and
/// `occupied_to_24_02_2022`), `contested` (`unspecified`), `liberated`, and `other`: what
/// the map publishes apart (`other_territories`: territories outside Ukraine, and since 2025
/// two colours for areas in Russia) and any published type `frontline` cannot place (with a
/// [`ReconcileNote`]), so that the published figures of a snapshot's rows add up to
/// everything the map published. `frontline` measures nothing as `other`: its
/// `frontline_km2` is 0, and its `colour_to_status_km2` takes its polygons away (to the
/// status their name tells, or out of the measure).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReconcileRow {
    /// The snapshot time.
    #[serde(serialize_with = "crate::input::time::serialize")]
    pub time: DateTime<Utc>,
    /// The snapshot's file name.
    pub snapshot: String,
    /// `occupied`, `contested`, `liberated` or `other`.
    pub status: String,
    /// The map's published figure (the sum of its types of this status), km².
    pub published_km2: f64,
    /// The map's figure computed by `frontline` the map's way: turf's spherical area of the
    /// polygons of the colours of this status, each as drawn.
    pub reproduced_km2: f64,
    /// `frontline`'s own figure: what `frontline areas` gives in its `total` row.
    pub frontline_km2: f64,
    /// The change from measuring the same polygons as the analysis measures (the WGS84
    /// ellipsoid by default) instead of on turf's sphere.
    pub sphere_to_ellipsoid_km2: f64,
    /// The change from grouping the polygons by the status their name tells instead of by
    /// colour.
    pub colour_to_status_km2: f64,
    /// The change from repairing and dissolving each status and making the statuses
    /// disjoint.
    pub disjoint_km2: f64,
    /// The change from clipping to the area of interest.
    pub clip_km2: f64,
}

/// Something about a snapshot's published figures worth a line: see
/// [`ReconcileNote::kind`].
#[derive(Debug, Clone, PartialEq)]
pub struct ReconcileNote {
    /// The snapshot's file name.
    pub snapshot: String,
    /// What was found:
    ///
    /// - `unknown-type`: a published type `frontline` cannot place; its figure is counted in
    ///   the `other` row (a warning: the map has changed its statistics);
    /// - `colour-not-drawn`: a published colour that no polygon of the snapshot has (in
    ///   re-exports without fill, the colours that no name stands for), so its figure is
    ///   not reproduced;
    /// - `colour-not-published`: polygons of a colour (or of none) for which the map
    ///   publishes no figure; `frontline` counts them by name.
    pub kind: &'static str,
    /// The published type, or the status the polygons' names tell (`foreign`,
    /// `unclassified` when none).
    pub what: String,
    /// The colour, `#rrggbb`, when there is one.
    pub hash: Option<String>,
    /// The area concerned: the published figure, or the polygons' area on turf's sphere, km².
    pub area_km2: f64,
}

impl std::fmt::Display for ReconcileNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hash = self.hash.as_deref().unwrap_or("no colour");
        let area = self.area_km2;
        match self.kind {
            "unknown-type" => write!(f, "{}: published type `{}` ({hash}, {area:.3} km²) is not one frontline can place: counted in the `other` row", self.snapshot, self.what),
            "colour-not-drawn" => write!(f, "{}: published `{}` {hash} ({area:.3} km²): no polygon of the snapshot has this colour, so the figure is not reproduced", self.snapshot, self.what),
            _ => {
                let frontline = match self.what.as_str() {
                    "unclassified" | "foreign" => "frontline does not measure them either",
                    _ => "frontline counts them by name",
                };
                write!(f, "{}: polygons of {hash} ({} by name, {area:.3} km² on the sphere): the map publishes no figure for them; {frontline}", self.snapshot, self.what)
            }
        }
    }
}

/// The outcome of [`Analysis::reconcile`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reconciliation {
    /// Four rows per snapshot with published figures ([`ReconcileRow`]), in time order.
    pub rows: Vec<ReconcileRow>,
    /// What is worth a line about the published figures, in time order.
    pub notes: Vec<ReconcileNote>,
    /// Snapshots without published figures, and the areas file looked for: left out.
    pub skipped: Vec<(PathBuf, PathBuf)>,
}

impl Analysis {
    /// The map's own figures beside `frontline`'s, with the bridge between them (see
    /// [`ReconcileRow`]): for every snapshot file with an areas file (`{id}.areas.json`,
    /// as the map's API gives them; in `published`, or else beside the snapshot), four
    /// rows. The analysis' reading, area of interest and measure are `frontline`'s side.
    ///
    /// A snapshot without an areas file is left out and listed in
    /// [`Reconciliation::skipped`]; when none has one, it is an error. An areas file that is
    /// not the map's statistics is an error naming it.
    ///
    /// ```
    /// use frontline::Analysis;
    /// let dir = tempfile::tempdir().unwrap();
    /// let snapshot = dir.path().join("1754251105.geojson");
    /// // One occupied square, drawn twice (the map counts it twice), and a grey one.
    /// let square = |x: f64| format!("[[[{x},48],[{},48],[{},48.1],[{x},48.1],[{x},48]]]", x + 0.1, x + 0.1);
    /// let feature = |name: &str, fill: &str, x: f64| format!(
    ///     r#"{{"type":"Feature","properties":{{"name":"{name}","fill":"{fill}"}},"geometry":{{"type":"Polygon","coordinates":{}}}}}"#, square(x));
    /// let features = [feature("Occupied", "#a52714", 37.0), feature("Occupied", "#a52714", 37.0), feature("Unknown status", "#bcaaa4", 37.1)];
    /// std::fs::write(&snapshot, format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","))).unwrap();
    /// std::fs::write(dir.path().join("1754251105.areas.json"),
    ///     r##"[{"hash":"#a52714","area":165.677,"type":"occupied_after_24_02_2022"},{"hash":"#bcaaa4","area":82.838,"type":"unspecified"}]"##).unwrap();
    ///
    /// let reconciled = Analysis::new().reconcile(&[snapshot], None)?;
    /// let occupied = &reconciled.rows[0];
    /// assert_eq!(occupied.status, "occupied");
    /// // The map's way: twice the square on the sphere, 2 × 82.838 km² (R²·Δλ·Δsin φ).
    /// assert!((occupied.reproduced_km2 - occupied.published_km2).abs() < 0.001);
    /// // frontline's: once, on the ellipsoid (0.07 % more at 48°N); the overlap is the bridge's.
    /// assert!((occupied.frontline_km2 - 82.897).abs() < 0.001);
    /// assert!((occupied.disjoint_km2 + 82.897).abs() < 0.001);
    /// let bridge = occupied.reproduced_km2 + occupied.sphere_to_ellipsoid_km2 + occupied.colour_to_status_km2
    ///     + occupied.disjoint_km2 + occupied.clip_km2;
    /// assert!((bridge - occupied.frontline_km2).abs() < 1e-9);
    /// # Ok::<(), frontline::Error>(())
    /// ```
    pub fn reconcile(&self, files: &[PathBuf], published: Option<&Path>) -> Result<Reconciliation> {
        self.check()?;
        let outcomes: Vec<Result<Option<Reconciled>>> = files
            .par_iter()
            .map(|file| {
                let areas = published_path(file, published);
                if !areas.is_file() {
                    return Ok(None);
                }
                reconcile_file(self, file, &areas).map(Some)
            })
            .collect();
        let mut reconciled = Vec::new();
        let mut skipped = Vec::new();
        for (file, outcome) in files.iter().zip(outcomes) {
            match outcome? {
                Some(one) => reconciled.push(one),
                None => skipped.push((file.clone(), published_path(file, published))),
            }
        }
        if reconciled.is_empty() {
            let example = skipped.first().map(|(_, areas)| format!(" (looked for {})", areas.display())).unwrap_or_default();
            return Err(Error::Usage(format!(
                "no published figures: none of the {} snapshot(s) has an areas file{example}; give the folder of the `{{id}}.areas.json` files with --published",
                files.len()
            )));
        }
        reconciled.sort_by(|a, b| (a.time, &a.snapshot).cmp(&(b.time, &b.snapshot)));
        // frontline's side: the `total` rows of `frontline areas`, without and with the
        // area of interest, over the snapshots reconciled (the regions play no part).
        let with: Vec<&PathBuf> = files.iter().filter(|f| !skipped.iter().any(|(s, _)| s == *f)).collect();
        let totals = |analysis: &Analysis| -> Result<HashMap<Arc<str>, PerStatus<f64>>> {
            let mut totals = HashMap::new();
            analysis.areas_each(with.iter().copied(), |areas| {
                if let Some(total) = areas.rows.first() {
                    totals.insert(Arc::clone(&areas.snapshot), PerStatus::from_fn(|s| total.status_km2(s)));
                }
                Ok(())
            })?;
            Ok(totals)
        };
        let whole = Analysis { sets: Vec::new(), changed_only: false, ..self.clone() };
        let unclipped = totals(&Analysis { clip: None, ..whole.clone() })?;
        let clipped = match self.clip.is_some() {
            true => Some(totals(&whole)?),
            false => None,
        };
        let mut out = Reconciliation { skipped, ..Reconciliation::default() };
        for one in reconciled {
            let found = |totals: &HashMap<Arc<str>, PerStatus<f64>>| {
                totals.get(one.snapshot.as_str()).cloned().ok_or_else(|| Error::Usage(format!("{}: not measured", one.snapshot)))
            };
            let disjoint = found(&unclipped)?;
            let frontline = match &clipped {
                Some(clipped) => found(clipped)?,
                None => disjoint.clone(),
            };
            out.rows.extend(one.rows(&disjoint, &frontline));
            out.notes.extend(one.notes);
        }
        Ok(out)
    }
}

/// One snapshot reconciled up to its statuses as `frontline` reads them (steps 0 to 2).
pub(crate) struct Reconciled {
    time: DateTime<Utc>,
    snapshot: String,
    /// Per row of [`ROWS`]: the published figure, the map's way, the same polygons as the
    /// analysis measures them.
    published: [f64; 4],
    reproduced: [f64; 4],
    measured: [f64; 4],
    /// The polygons of each status as drawn, as the analysis measures them.
    by_status: PerStatus<f64>,
    pub notes: Vec<ReconcileNote>,
}

impl Reconciled {
    /// The rows, given the analysis' figures of the snapshot without the area of interest
    /// (`disjoint`) and with it (`frontline`, the same without one).
    pub(crate) fn rows(&self, disjoint: &PerStatus<f64>, frontline: &PerStatus<f64>) -> Vec<ReconcileRow> {
        let status_row = |row: usize, values: &PerStatus<f64>| match row {
            OTHER => 0.0,
            _ => values[Status::ALL[row]],
        };
        (0..ROWS.len())
            .map(|row| {
                let (grouped, made_disjoint, frontline) = (status_row(row, &self.by_status), status_row(row, disjoint), status_row(row, frontline));
                ReconcileRow {
                    time: self.time,
                    snapshot: self.snapshot.clone(),
                    status: ROWS[row].to_string(),
                    published_km2: self.published[row],
                    reproduced_km2: self.reproduced[row],
                    frontline_km2: frontline,
                    // (`+ 0.0`: an empty sum is −0.0, which a table would print as such)
                    sphere_to_ellipsoid_km2: self.measured[row] - self.reproduced[row] + 0.0,
                    colour_to_status_km2: grouped - self.measured[row] + 0.0,
                    disjoint_km2: made_disjoint - grouped + 0.0,
                    clip_km2: frontline - made_disjoint + 0.0,
                }
            })
            .collect()
    }
}

/// The last snapshot of a report reconciled, when its areas file is beside it (`None`
/// otherwise): `frontline` is the report's own `total` of it.
#[cfg(feature = "report")]
pub(crate) fn reconcile_latest(analysis: &Analysis, file: &Path, frontline: &crate::AreaRow) -> Result<Option<(Vec<ReconcileRow>, usize)>> {
    let areas = published_path(file, None);
    if !areas.is_file() {
        return Ok(None);
    }
    let one = reconcile_file(analysis, file, &areas)?;
    let unclipped = Analysis { sets: Vec::new(), changed_only: false, clip: None, ..analysis.clone() };
    let disjoint = match unclipped.areas([file])?.first().and_then(|a| a.rows.first()) {
        Some(total) => PerStatus::from_fn(|s| total.status_km2(s)),
        None => return Ok(None),
    };
    let frontline = PerStatus::from_fn(|s| frontline.status_km2(s));
    Ok(Some((one.rows(&disjoint, &frontline), one.notes.len())))
}

/// The area of one polygon as drawn, as the analysis measures (`EdgeModel::area_km2` of a
/// valid shape; here a polygon as drawn, its shell less its holes).
fn polygon_km2(edges: EdgeModel, polygon: &Polygon<f64>) -> f64 {
    match edges {
        EdgeModel::Straight => straight_polygon_area_km2(polygon),
        EdgeModel::Sphere => crate::geometry::sphere::straight_polygon_area_km2(polygon),
        _ => polygon.geodesic_area_km2(),
    }
}

/// Reconciles one snapshot with its areas file.
fn reconcile_file(analysis: &Analysis, file: &Path, areas: &Path) -> Result<Reconciled> {
    let published = read_published(areas)?;
    let snapshot = read_snapshot(file, &analysis.read)?;
    let coloured = read_coloured(file, &analysis.read)?;
    let name = snapshot.name.to_string();
    let edges = analysis.edges;
    let mut notes = Vec::new();

    // Step 0, the map's way: each polygon under the published entry of its colour.
    let entry_rows: Vec<usize> = published
        .iter()
        .map(|entry| {
            row_of_type(&entry.kind).unwrap_or_else(|| {
                notes.push(note(&name, "unknown-type", &entry.kind, Some(&entry.hash), entry.area_km2));
                OTHER
            })
        })
        .collect();
    let entry_of = |colour: &str| {
        published.iter().position(|e| e.hash == colour).or_else(|| {
            let (_, kind) = COLOUR_ALIASES.iter().find(|(alias, _)| *alias == colour)?;
            published.iter().position(|e| e.kind == *kind)
        })
    };
    let mut sphere = vec![0.0; published.len()];
    let mut measured = vec![0.0; published.len()];
    let mut drawn = vec![false; published.len()];
    let mut left_out: BTreeMap<(Option<String>, String), f64> = BTreeMap::new();
    for polygon in &coloured {
        let area = turf_polygon_area_km2(&polygon.polygon);
        match polygon.colour.as_deref().and_then(entry_of) {
            Some(e) => {
                sphere[e] += area;
                measured[e] += polygon_km2(edges, &polygon.polygon);
                drawn[e] = true;
            }
            None => {
                let by_name = match &polygon.status {
                    Ok(status) => status.as_str().to_string(),
                    Err(why) if why.foreign => "foreign".into(),
                    Err(_) => "unclassified".into(),
                };
                *left_out.entry((polygon.colour.clone(), by_name)).or_default() += area;
            }
        }
    }
    for (e, entry) in published.iter().enumerate() {
        if !drawn[e] && entry.area_km2 > 0.0 {
            notes.push(note(&name, "colour-not-drawn", &entry.kind, Some(&entry.hash), entry.area_km2));
        }
    }
    for ((colour, by_name), area) in left_out {
        if area > 0.0 {
            notes.push(note(&name, "colour-not-published", &by_name, colour.as_deref(), area));
        }
    }
    let per_row = |values: &[f64]| {
        let mut rows = [0.0; 4];
        for (e, value) in values.iter().enumerate() {
            rows[entry_rows[e]] += value;
        }
        rows
    };
    let published_km2 = per_row(&published.iter().map(|p: &PublishedArea| p.area_km2).collect::<Vec<_>>());
    let by_status: PerStatus<f64> = snapshot.polygons.map(|_, polygons| polygons.iter().map(|p| polygon_km2(edges, p)).sum());
    Ok(Reconciled {
        time: snapshot.time,
        snapshot: name,
        published: published_km2,
        reproduced: per_row(&sphere),
        measured: per_row(&measured),
        by_status,
        notes,
    })
}

fn note(snapshot: &str, kind: &'static str, what: &str, hash: Option<&str>, area_km2: f64) -> ReconcileNote {
    ReconcileNote { snapshot: snapshot.to_string(), kind, what: what.to_string(), hash: hash.map(str::to_string), area_km2 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::published::read_coloured;
    use crate::input::read::ReadOptions;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn square(name: &str, fill: Option<&str>, x: f64, size: f64) -> String {
        let fill = fill.map(|f| format!(r#","fill":"{f}""#)).unwrap_or_default();
        let (e, n) = (x + size, 48.0 + size);
        format!(
            r#"{{"type":"Feature","properties":{{"name":"{name}"{fill}}},"geometry":{{"type":"Polygon","coordinates":[[[{x},48],[{e},48],[{e},{n}],[{x},{n}],[{x},48]]]}}}}"#
        )
    }

    fn collection(features: &[String]) -> String {
        format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","))
    }

    fn row<'r>(rows: &'r [ReconcileRow], status: &str) -> &'r ReconcileRow {
        rows.iter().find(|r| r.status == status).unwrap()
    }

    fn bridge(r: &ReconcileRow) -> f64 {
        r.reproduced_km2 + r.sphere_to_ellipsoid_km2 + r.colour_to_status_km2 + r.disjoint_km2 + r.clip_km2
    }

    /// Each step on a state made to exercise it: an occupied square drawn twice and a grey
    /// strip over its edge (overlaps), a liberated square in the old green (an alias), a
    /// grey square painted liberated (colour and name disagree), a territory outside Ukraine
    /// painted occupied (2022), a colour the statistics leave out, an unknown published type.
    #[test]
    fn every_step_of_the_bridge_on_a_made_state() {
        let dir = tempfile::tempdir().unwrap();
        let sq = |x: f64, size: f64| crate::geometry::sphere::turf_polygon_area_km2(&geo::Rect::new(geo::coord! { x: x, y: 48.0 }, geo::coord! { x: x + size, y: 48.0 + size }).to_polygon());
        let snapshot = write(
            dir.path(),
            "1700000000.geojson",
            &collection(&[
                square("Окуповано", Some("#a52714"), 37.0, 0.1),
                square("Окуповано", Some("#a52714"), 37.0, 0.1),
                square("Під питанням", Some("#bcaaa4"), 37.05, 0.1),
                square("Звільнено", Some("#0288d1"), 36.0, 0.1),
                square("Невідомо", Some("#0f9d58"), 35.0, 0.1),
                square("Придністров'я", Some("#880e4f"), 29.0, 0.2),
                square("Звільнено", Some("#123456"), 34.0, 0.05),
            ]),
        );
        let published = [
            ("occupied_after_24_02_2022", "#a52714", 2.0 * sq(37.0, 0.1)),
            ("occupied_to_24_02_2022", "#880e4f", sq(29.0, 0.2)),
            ("unspecified", "#bcaaa4", sq(37.05, 0.1)),
            ("liberated", "#0f9d58", sq(36.0, 0.1) + sq(35.0, 0.1)),
            ("occupied_in_the_moon", "#ffffff", 3.5),
        ];
        let entries: Vec<String> =
            published.iter().map(|(t, h, a)| format!(r#"{{"hash":"{h}","area":{a},"percent":"0","type":"{t}"}}"#)).collect();
        write(dir.path(), "1700000000.areas.json", &format!("[{}]", entries.join(",")));
        let out = Analysis::new().reconcile(std::slice::from_ref(&snapshot), None).unwrap();
        assert_eq!(out.rows.len(), 4);
        for r in &out.rows {
            assert!((bridge(r) - r.frontline_km2).abs() < 1e-9, "{r:?}");
        }
        let (occupied, contested, liberated, other) = (row(&out.rows, "occupied"), row(&out.rows, "contested"), row(&out.rows, "liberated"), row(&out.rows, "other"));
        // The map's way gives the map's figures, the unknown type included (in `other`).
        assert!((occupied.reproduced_km2 - occupied.published_km2).abs() < 1e-9, "{occupied:?}");
        assert!((contested.reproduced_km2 - contested.published_km2).abs() < 1e-9);
        assert!((liberated.reproduced_km2 - liberated.published_km2).abs() < 1e-9);
        assert_eq!(other.published_km2, 3.5);
        assert_eq!(other.reproduced_km2, 0.0);
        // Colour to status: Transnistria leaves the occupied figure, the grey square painted
        // green moves from liberated to contested, the unpublished colour comes into liberated.
        let e = |x: f64, s: f64| crate::AreaKm2::area_km2(&geo::Rect::new(geo::coord! { x: x, y: 48.0 }, geo::coord! { x: x + s, y: 48.0 + s }));
        assert!((occupied.colour_to_status_km2 + e(29.0, 0.2)).abs() < 1e-9, "{occupied:?}");
        assert!((contested.colour_to_status_km2 - e(35.0, 0.1)).abs() < 1e-9, "{contested:?}");
        assert!((liberated.colour_to_status_km2 - (e(34.0, 0.05) - e(35.0, 0.1))).abs() < 1e-9, "{liberated:?}");
        // Disjoint: the square drawn twice counts once; the grey strip loses its half under
        // the occupied square.
        assert!((occupied.disjoint_km2 + e(37.0, 0.1)).abs() < 1e-6, "{occupied:?}");
        assert!(contested.disjoint_km2 < -0.4 * e(37.05, 0.1) && contested.disjoint_km2 > -0.6 * e(37.05, 0.1), "{contested:?}");
        // At 48.05°N the ellipsoid's area element M·N·cos φ is 1.000703 times the sphere's
        // R²·cos φ (M, N its radii of curvature there: 6,370,792 and 6,389,979 m).
        assert!((contested.sphere_to_ellipsoid_km2 / contested.reproduced_km2 - 0.000703).abs() < 0.000002, "{contested:?}");
        assert!(out.rows.iter().all(|r| r.clip_km2 == 0.0));
        let kinds: Vec<(&str, &str)> = out.notes.iter().map(|n| (n.kind, n.what.as_str())).collect();
        assert_eq!(kinds, vec![("unknown-type", "occupied_in_the_moon"), ("colour-not-drawn", "occupied_in_the_moon"), ("colour-not-published", "liberated")]);
        assert!(out.notes[0].to_string().contains("`occupied_in_the_moon` (#ffffff, 3.500 km²)"), "{}", out.notes[0]);
    }

    /// The colour pass finds the reader's polygons, one for one, on every seventh snapshot
    /// of the real archive: what its statuses make is what `frontline` measures.
    #[test]
    fn the_colour_pass_finds_the_reader_s_polygons() {
        let Some(data) = crate::test_data::data_dir() else { return };
        let files = crate::input::read::snapshot_files(&[data.join("deepstate/snapshots")]).unwrap();
        let options = ReadOptions::default();
        for file in files.iter().step_by(7) {
            let snapshot = read_snapshot(file, &options).unwrap();
            let coloured = read_coloured(file, &options).unwrap();
            for status in Status::ALL {
                let mine: Vec<&Polygon<f64>> = coloured.iter().filter(|p| p.status == Ok(status)).map(|p| &p.polygon).collect();
                let read: Vec<&Polygon<f64>> = snapshot.polygons[status].iter().collect();
                assert_eq!(mine, read, "{}: {status:?}", file.display());
            }
            let others = coloured.iter().filter(|p| p.status.is_err()).count();
            assert_eq!(others, snapshot.report.unclassified + snapshot.report.foreign, "{}", file.display());
        }
    }
}
