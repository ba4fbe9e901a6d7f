//! Synthetic control-map timelines: realistic, deterministic, as large as wanted.
//!
//! [`Synth`] draws, from a seed, a country-sized area of interest (about 30–40°E, 45–51°N,
//! with a jagged border), an occupied region east of a long jagged front line running north
//! to south, a grey zone (contested band) of a few km on the occupied side of the front,
//! towns near the front, and then lets the war go on day by day: several active sectors
//! advance westward at their own pace, weeks are slower or faster, occasional
//! counter-attacks push the front back and leave liberated polygons on the map for a while,
//! and towns become contested when the front comes near and fall when it has passed them.
//!
//! Snapshots come out in the DeepState export format (bilingual names with machine tokens,
//! the map's fill colours, a few Point unit markers that are not territory), so that the
//! same loader as for the real map reads them, either in memory ([`Synth::snapshots`], an
//! iterator that keeps only the current state, or [`generate`]) or written to a folder
//! ([`write_timeline`]).
//!
//! ```
//! use frontline::synth::{generate, SynthConfig};
//! use frontline::{ReadOptions, Snapshot};
//!
//! let timeline = generate(&SynthConfig::new().days(3).towns(5).seed(7))?;
//! assert_eq!(timeline.towns[4].name, "town-005");
//! let first = &timeline.snapshots[0];
//! assert_eq!(first.file_name(), "1704067200.geojson"); // 2024-01-01
//! let read = Snapshot::from_geojson(&first.file_name(), first.time, &first.to_geojson(), &ReadOptions::default())?;
//! assert_eq!((read.report().unclassified, read.report().repaired), (0, 0));
//! # Ok::<(), frontline::Error>(())
//! ```
//!
//! ## Determinism
//!
//! The random numbers come from PCG-64 seeded with the seed (one stream for the border,
//! one for the towns, one for the evolution), and every coordinate is rounded to 1e-6° before
//! it is used or written, with Rust's own shortest float formatting. The same seed and
//! knobs give byte-identical files, and a timeline of N days is the first N days of any
//! longer one with the same seed and knobs. (The initial front's meanders and the km↔degree
//! conversions use `sin`/`cos` of the platform's maths library; a platform whose `cos`
//! differs in the last bit could, very rarely, round one coordinate the other way.)
//!
//! ## Geometry, valid by construction
//!
//! The front is `x = f(y)` on a fixed grid of latitudes `y_0 < y_1 < ... < y_n` from 44.6°N
//! to 51.4°N (beyond the area of interest, which the analysis clips to). Every polygon is
//! bounded by such y-monotone chains: the grey zone lies between `f` and `f + w` (the front
//! shifted `w` km east along each parallel), the occupied region between `f + w` and a
//! meridian east of the area of interest, a liberated polygon between the front before and
//! after a counter-attack. Chains that are functions of `y` with the right one strictly east
//! of the left one cannot cross, so no polygon self-intersects, and the grid's distinct
//! latitudes rule out repeated points. A consequence used in the tests: the grey zone's area
//! is `w` times the meridian arc from 44.6°N to 51.4°N, whatever the front's shape.

use crate::error::{Error, Result};
use crate::{PerStatus, Region, Status};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use geo::{Coord, LineString, Polygon};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The DeepState name of occupied territory (2024 on: Ukrainian, English, token).
pub const OCCUPIED_NAME: &str = "Окуповано /// Occupied /// geoJSON.status.occupied";
/// The DeepState name of the grey zone.
pub const CONTESTED_NAME: &str = "Статус невідомий /// Unknown status /// geoJSON.status.unknown";
/// The DeepState name of liberated territory.
pub const LIBERATED_NAME: &str = "Звільнено /// Liberated /// geoJSON.status.dismissed";

/// The southern and northern ends of the front (beyond the area of interest).
const FRONT_SOUTH: f64 = 44.6;
const FRONT_NORTH: f64 = 51.4;
/// The meridian closing the occupied region in the east (beyond the area of interest).
const FRAME_EAST: f64 = 40.6;
/// The front stays between these longitudes.
const FRONT_MIN_X: f64 = 30.6;
const FRONT_MAX_X: f64 = 39.4;
/// Active sectors at any time.
const SECTORS: usize = 5;
/// Days a liberated polygon stays on the map.
const LIBERATED_DAYS: u32 = 45;
/// A town is drawn contested while the front is closer than this to its edge (km).
const TOWN_CONTESTED_KM: f64 = 4.0;
/// Vertices of a town's disc.
const DISC_VERTICES: usize = 32;
/// Unit markers (Point features) per snapshot.
const MARKERS: usize = 6;
/// The most towns a timeline has.
const MAX_TOWNS: usize = 100_000;
/// Towns of the first kind (1.2 to 4 km, ahead of the front); the rest are villages.
const TOWNS_PROPER: usize = 999;

/// The knobs of a synthetic timeline, builder-style.
///
/// ```
/// use frontline::synth::SynthConfig;
/// let config = SynthConfig::new().days(30).towns(8).seed(42).vertices_per_km(1.0);
/// assert_eq!(config.days, 30);
/// assert!(config.validate().is_ok());
/// assert!(SynthConfig::new().vertices_per_km(0.0).validate().is_err());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SynthConfig {
    /// Snapshots to make, one per day (default 365).
    pub days: u32,
    /// The day of the first snapshot, written at midnight UTC (default 2024-01-01).
    pub start: NaiveDate,
    /// Vertices of the front line per km of its north–south extent (default 0.5; the real
    /// map is far denser, which makes files larger and measuring slower).
    pub vertices_per_km: f64,
    /// Towns placed near the front, named `town-001`, `town-002`, ... (default 20, at most
    /// 100,000). The first 999 are towns of 1.2 to 4 km ahead of the front, which the map
    /// draws as contested when the front comes near and as occupied once it has passed them;
    /// the others are villages of 0.3 to 1.5 km from 40 km ahead of the front to 60 km behind
    /// it, regions to measure (the map does not draw them), so that every settlement of a
    /// country can be benchmarked.
    pub towns: usize,
    /// The seed: the same seed and knobs give byte-identical output (default 1).
    pub seed: u64,
    /// Width of the grey zone east of the front, in km (default 3).
    pub grey_zone_km: f64,
}

impl Default for SynthConfig {
    fn default() -> Self {
        SynthConfig {
            days: 365,
            start: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default(),
            vertices_per_km: 0.5,
            towns: 20,
            seed: 1,
            grey_zone_km: 3.0,
        }
    }
}

impl SynthConfig {
    /// The defaults: 365 days from 2024-01-01, 0.5 vertices per km, 20 towns, seed 1, a
    /// 3 km grey zone.
    pub fn new() -> SynthConfig {
        SynthConfig::default()
    }

    /// Sets the number of daily snapshots.
    pub fn days(mut self, days: u32) -> SynthConfig {
        self.days = days;
        self
    }

    /// Sets the day of the first snapshot.
    pub fn start(mut self, start: NaiveDate) -> SynthConfig {
        self.start = start;
        self
    }

    /// Sets the density of the front line's vertices.
    pub fn vertices_per_km(mut self, vertices_per_km: f64) -> SynthConfig {
        self.vertices_per_km = vertices_per_km;
        self
    }

    /// Sets the number of towns.
    pub fn towns(mut self, towns: usize) -> SynthConfig {
        self.towns = towns;
        self
    }

    /// Sets the seed.
    pub fn seed(mut self, seed: u64) -> SynthConfig {
        self.seed = seed;
        self
    }

    /// Sets the width of the grey zone in km.
    pub fn grey_zone_km(mut self, km: f64) -> SynthConfig {
        self.grey_zone_km = km;
        self
    }

    /// Checks the knobs: at least one day, times that make `<unix seconds>.geojson` names of
    /// 9 to 11 digits, 0.01 to 50 vertices per km, at most 100,000 towns, a grey zone of 0.1
    /// to 20 km.
    pub fn validate(&self) -> Result<()> {
        let usage = |m: String| Err(Error::Usage(m));
        if self.days == 0 || self.days > 1_000_000 {
            return usage(format!("days: {} is not between 1 and 1000000", self.days));
        }
        if !(self.vertices_per_km.is_finite() && (0.01..=50.0).contains(&self.vertices_per_km)) {
            return usage(format!("vertices per km: {} is not between 0.01 and 50", self.vertices_per_km));
        }
        if self.towns > MAX_TOWNS {
            return usage(format!("towns: {} is more than {MAX_TOWNS}", self.towns));
        }
        if !(self.grey_zone_km.is_finite() && (0.1..=20.0).contains(&self.grey_zone_km)) {
            return usage(format!("grey zone: {} km is not between 0.1 and 20", self.grey_zone_km));
        }
        let first = day_seconds(self.start, 0);
        let last = day_seconds(self.start, self.days - 1);
        if first < 100_000_000 || last >= 100_000_000_000 {
            return usage(format!(
                "start {} with {} days: snapshot times must lie between 1973-03-03 and 5138-11-16",
                self.start, self.days
            ));
        }
        Ok(())
    }

    fn vertices(&self) -> usize {
        let extent_km = (FRONT_NORTH - FRONT_SOUTH) * km_per_degree_lat(0.5 * (FRONT_NORTH + FRONT_SOUTH));
        ((extent_km * self.vertices_per_km).ceil() as usize).max(8)
    }
}

fn day_seconds(start: NaiveDate, day: u32) -> i64 {
    start.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp()).unwrap_or(0) + i64::from(day) * 86_400
}

/// A town: a small disc near the front, measured as a region.
#[derive(Debug, Clone, PartialEq)]
pub struct Town {
    /// `town-001`, `town-002`, ...
    pub name: String,
    /// Its centre, longitude/latitude.
    pub center: Coord<f64>,
    /// Its radius in km.
    pub radius_km: f64,
    /// Its disc.
    pub polygon: Polygon<f64>,
}

/// A unit marker: a Point feature of the map, not territory.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// Its bilingual name.
    pub name: String,
    /// Where it is.
    pub position: Coord<f64>,
}

/// One day of a synthetic timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthSnapshot {
    /// Days since the start, from 0.
    pub day: u32,
    /// Midnight UTC of that day.
    pub time: DateTime<Utc>,
    /// Its territorial polygons, in the order they are written.
    pub territory: Vec<(Status, Polygon<f64>)>,
    /// Its unit markers.
    pub markers: Vec<Marker>,
}

impl SynthSnapshot {
    /// `<unix seconds>.geojson`, the name the DeepState archive uses.
    pub fn file_name(&self) -> String {
        format!("{}.geojson", self.time.timestamp())
    }

    /// The territorial polygons by status, as reading its GeoJSON would find them ([`Snapshot::from_geojson`](crate::Snapshot::from_geojson)).
    pub fn polygons(&self) -> PerStatus<Vec<Polygon<f64>>> {
        let mut out: PerStatus<Vec<Polygon<f64>>> = PerStatus::default();
        for (status, polygon) in &self.territory {
            out[*status].push(polygon.clone());
        }
        out
    }

    /// The snapshot in the DeepState export format.
    pub fn to_geojson(&self) -> Vec<u8> {
        let mut out = String::new();
        self.write_geojson(&mut out);
        out.into_bytes()
    }

    /// Appends the snapshot in the DeepState export format to `out`.
    pub fn write_geojson(&self, out: &mut String) {
        out.push_str("{\"type\":\"FeatureCollection\",\"features\":[");
        let mut first = true;
        for (status, polygon) in &self.territory {
            let (name, fill) = match status {
                Status::Occupied => (OCCUPIED_NAME, "#a52714"),
                Status::Contested => (CONTESTED_NAME, "#bcaaa4"),
                Status::Liberated => (LIBERATED_NAME, "#0f9d58"),
            };
            feature_start(out, &mut first);
            let _ = write!(out, "{{\"name\":{},\"fill\":\"{fill}\",\"fill-opacity\":0.3}}", json_string(name));
            out.push_str(",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":");
            write_polygon(out, polygon);
            out.push_str("}}");
        }
        for marker in &self.markers {
            feature_start(out, &mut first);
            let _ = write!(out, "{{\"name\":{},\"marker-color\":\"#1565c0\"}}", json_string(&marker.name));
            out.push_str(",\"geometry\":{\"type\":\"Point\",\"coordinates\":");
            write_position(out, marker.position);
            out.push_str("}}");
        }
        out.push_str("\n]}\n");
    }
}

fn feature_start(out: &mut String, first: &mut bool) {
    if !*first {
        out.push(',');
    }
    *first = false;
    out.push_str("\n{\"type\":\"Feature\",\"properties\":");
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

fn write_position(out: &mut String, c: Coord<f64>) {
    let _ = write!(out, "[{},{}]", c.x, c.y);
}

fn write_polygon(out: &mut String, polygon: &Polygon<f64>) {
    out.push('[');
    for (i, ring) in std::iter::once(polygon.exterior()).chain(polygon.interiors()).enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        for (j, c) in ring.0.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            write_position(out, *c);
        }
        out.push(']');
    }
    out.push(']');
}

fn feature_collection(features: &[(String, &Polygon<f64>)]) -> String {
    let mut out = String::from("{\"type\":\"FeatureCollection\",\"features\":[");
    let mut first = true;
    for (name, polygon) in features {
        feature_start(&mut out, &mut first);
        let _ = write!(out, "{{\"name\":{}}}", json_string(name));
        out.push_str(",\"geometry\":{\"type\":\"Polygon\",\"coordinates\":");
        write_polygon(&mut out, polygon);
        out.push_str("}}");
    }
    out.push_str("\n]}\n");
    out
}

/// A whole timeline in memory: see [`generate`]. For long timelines use [`Synth::snapshots`],
/// which keeps one day at a time.
#[derive(Debug, Clone)]
pub struct Timeline {
    /// The area of interest.
    pub aoi: Polygon<f64>,
    /// The towns.
    pub towns: Vec<Town>,
    /// One snapshot per day.
    pub snapshots: Vec<SynthSnapshot>,
}

/// What [`write_timeline`] wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct WriteSummary {
    /// `DIR/snapshots`.
    pub snapshot_dir: PathBuf,
    /// `DIR/aoi.geojson`.
    pub aoi: PathBuf,
    /// `DIR/towns.geojson`.
    pub towns: PathBuf,
    /// Snapshot files written.
    pub snapshots: usize,
    /// Bytes written, all files.
    pub bytes: u64,
}

/// The whole timeline in memory.
pub fn generate(config: &SynthConfig) -> Result<Timeline> {
    let synth = Synth::new(config.clone())?;
    Ok(Timeline { aoi: synth.aoi.clone(), towns: synth.towns.clone(), snapshots: synth.snapshots().collect() })
}

/// Writes a timeline into `dir`: `aoi.geojson`, `towns.geojson` (FeatureCollections whose
/// features are named by the property `name`) and `snapshots/<unix seconds>.geojson`, one
/// day at a time. `dir/snapshots` must be empty or absent, so that timelines never mix.
pub fn write_timeline(config: &SynthConfig, dir: &Path) -> Result<WriteSummary> {
    Synth::new(config.clone())?.write(dir)
}

/// The generator: the area of interest and the towns, drawn from the seed, and the daily
/// evolution on demand.
#[derive(Debug, Clone)]
pub struct Synth {
    config: SynthConfig,
    aoi: Polygon<f64>,
    towns: Vec<Town>,
    /// Latitudes of the front's vertices.
    ys: Vec<f64>,
    /// The front on day 0.
    front: Vec<f64>,
}

impl Synth {
    /// Draws the area of interest, the initial front and the towns.
    pub fn new(config: SynthConfig) -> Result<Synth> {
        config.validate()?;
        let n = config.vertices();
        let ys: Vec<f64> =
            (0..=n).map(|i| round6(FRONT_SOUTH + (FRONT_NORTH - FRONT_SOUTH) * i as f64 / n as f64)).collect();
        let aoi = jagged_aoi(&mut stream(config.seed, 1));
        let mut rng = stream(config.seed, 2);
        let phases: [f64; 3] = [rng.random::<f64>(), rng.random::<f64>(), rng.random::<f64>()];
        let tau = std::f64::consts::TAU;
        let front: Vec<f64> = ys
            .iter()
            .map(|&y| {
                let t = y - 45.0;
                let meander = 0.5 * (tau * (t / 5.3 + phases[0])).sin()
                    + 0.25 * (tau * (t / 1.7 + phases[1])).sin()
                    + 0.08 * (tau * (t / 0.45 + phases[2])).sin();
                let jag_km = rng.random_range(-1.0..1.0);
                36.8 + meander + jag_km / km_per_degree_lon(y)
            })
            .collect();
        let mut rng = stream(config.seed, 3);
        let mut villages = stream(config.seed, 5);
        let digits = config.towns.to_string().len().max(3);
        let towns = (0..config.towns)
            .map(|k| {
                let (gap_km, radius_km, y) = match k < TOWNS_PROPER {
                    true => {
                        let y = rng.random_range(45.6..50.4);
                        (rng.random_range(1.5..40.0), rng.random_range(1.2..4.0), y)
                    }
                    // (a negative gap: behind the front)
                    false => (villages.random_range(-60.0..40.0), villages.random_range(0.3..1.5), villages.random_range(45.6..50.4)),
                };
                let x = front_at(&ys, &front, y) - (gap_km + radius_km) / km_per_degree_lon(y);
                let center = Coord { x: round6(x.clamp(31.0, FRONT_MAX_X)), y: round6(y) };
                Town { name: format!("town-{:0digits$}", k + 1), center, radius_km, polygon: disc(center, radius_km) }
            })
            .collect();
        Ok(Synth { config, aoi, towns, ys, front })
    }

    /// The knobs.
    pub fn config(&self) -> &SynthConfig {
        &self.config
    }

    /// The area of interest.
    pub fn aoi(&self) -> &Polygon<f64> {
        &self.aoi
    }

    /// The towns.
    pub fn towns(&self) -> &[Town] {
        &self.towns
    }

    /// The area of interest as a [`Region`] named `aoi`, to clip to.
    pub fn aoi_region(&self) -> Region {
        Region::new("aoi", vec![self.aoi.clone()])
    }

    /// The towns as [`Region`]s.
    pub fn town_regions(&self) -> Vec<Region> {
        self.towns.iter().map(|t| Region::new(t.name.clone(), vec![t.polygon.clone()])).collect()
    }

    /// The snapshots, one per day, made as they are asked for: the iterator holds the
    /// current front and little else, whatever the number of days.
    pub fn snapshots(&self) -> Snapshots {
        let spacing_km = (FRONT_NORTH - FRONT_SOUTH) * km_per_degree_lat(48.0) / (self.ys.len() - 1) as f64;
        let mut evolution = Snapshots {
            config: self.config.clone(),
            rng: stream(self.config.seed, 4),
            ys: self.ys.clone(),
            kpd: self.ys.iter().map(|&y| km_per_degree_lon(y)).collect(),
            front: self.front.clone(),
            spacing_km,
            // (villages are regions to measure, not drawn on the map: the war is the towns')
            towns: self.towns.iter().take(TOWNS_PROPER).map(|t| (t.clone(), TownState::Held)).collect(),
            sectors: Vec::new(),
            tempo: 1.0,
            liberated: Vec::new(),
            day: 0,
        };
        for _ in 0..SECTORS {
            let sector = evolution.new_sector();
            evolution.sectors.push(sector);
        }
        evolution
    }

    /// Writes the timeline into `dir`: see [`write_timeline`].
    pub fn write(&self, dir: &Path) -> Result<WriteSummary> {
        let snapshot_dir = dir.join("snapshots");
        if let Ok(mut entries) = std::fs::read_dir(&snapshot_dir) {
            if entries.next().is_some() {
                return Err(Error::Usage(format!(
                    "{} is not empty: write a synthetic timeline into a new directory",
                    snapshot_dir.display()
                )));
            }
        }
        std::fs::create_dir_all(&snapshot_dir).map_err(|source| Error::Write { path: snapshot_dir.clone(), source })?;
        let write = |path: &Path, bytes: &[u8]| {
            std::fs::write(path, bytes).map_err(|source| Error::Write { path: path.to_path_buf(), source })
        };
        let aoi = dir.join("aoi.geojson");
        let aoi_text = feature_collection(&[("aoi".to_string(), &self.aoi)]);
        write(&aoi, aoi_text.as_bytes())?;
        let towns = dir.join("towns.geojson");
        let town_features: Vec<(String, &Polygon<f64>)> = self.towns.iter().map(|t| (t.name.clone(), &t.polygon)).collect();
        let towns_text = feature_collection(&town_features);
        write(&towns, towns_text.as_bytes())?;
        let mut bytes = (aoi_text.len() + towns_text.len()) as u64;
        let mut count = 0;
        let mut buffer = String::new();
        for snapshot in self.snapshots() {
            buffer.clear();
            snapshot.write_geojson(&mut buffer);
            write(&snapshot_dir.join(snapshot.file_name()), buffer.as_bytes())?;
            bytes += buffer.len() as u64;
            count += 1;
        }
        Ok(WriteSummary { snapshot_dir, aoi, towns, snapshots: count, bytes })
    }
}

/// A seeded stream of random numbers, one per purpose, so that e.g. the number of towns
/// does not change the border.
fn stream(seed: u64, purpose: u64) -> Pcg64 {
    Pcg64::seed_from_u64(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ purpose.wrapping_mul(0xd1b5_4a32_d192_ed03))
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum TownState {
    Held,
    Contested,
    Fallen,
}

#[derive(Debug, Clone)]
struct Sector {
    /// Centre, as a fractional vertex index.
    center: f64,
    /// Half-width in vertices.
    half: f64,
    /// Advance at the centre on a normal day, km.
    rate_km: f64,
    days_left: u32,
}

/// The daily evolution: an iterator of [`SynthSnapshot`]s from [`Synth::snapshots`].
#[derive(Debug, Clone)]
pub struct Snapshots {
    config: SynthConfig,
    rng: Pcg64,
    ys: Vec<f64>,
    /// km per degree of longitude at each vertex's latitude.
    kpd: Vec<f64>,
    front: Vec<f64>,
    spacing_km: f64,
    towns: Vec<(Town, TownState)>,
    sectors: Vec<Sector>,
    tempo: f64,
    /// Liberated polygons with the day they leave the map.
    liberated: Vec<(Polygon<f64>, u32)>,
    day: u32,
}

impl Snapshots {
    fn n(&self) -> usize {
        self.ys.len() - 1
    }

    /// A new active sector: most aim at a town not yet taken, the others anywhere.
    fn new_sector(&mut self) -> Sector {
        let n = self.n() as f64;
        let targets: Vec<f64> =
            self.towns.iter().filter(|(_, s)| *s != TownState::Fallen).map(|(t, _)| t.center.y).collect();
        let aim: f64 = self.rng.random();
        let center = if aim < 0.6 && !targets.is_empty() {
            let y = targets[self.rng.random_range(0..targets.len())] + self.rng.random_range(-0.1..0.1);
            ((y - FRONT_SOUTH) / (FRONT_NORTH - FRONT_SOUTH) * n).clamp(0.0, n)
        } else {
            self.rng.random_range(0.05..0.95) * n
        };
        let half_km: f64 = self.rng.random_range(12.0..50.0);
        Sector {
            center,
            half: (half_km / self.spacing_km).max(2.0),
            rate_km: self.rng.random_range(0.03..0.25),
            days_left: self.rng.random_range(14..90),
        }
    }

    /// One day of war.
    fn step(&mut self) {
        if self.day.is_multiple_of(7) {
            let r: f64 = self.rng.random();
            self.tempo = if r < 0.25 { 0.3 } else if r < 0.75 { 1.0 } else { 1.8 };
        }
        let n = self.n();
        for s in 0..self.sectors.len() {
            let Sector { center, half, rate_km, .. } = self.sectors[s];
            let lo = (center - half).ceil().max(0.0) as usize;
            let hi = ((center + half).floor() as usize).min(n);
            for i in lo..=hi {
                let u = (i as f64 - center) / half;
                let bump = bump(u);
                if bump > 0.0 {
                    let km = rate_km * self.tempo * bump * self.rng.random_range(0.4..1.6);
                    self.front[i] = (self.front[i] - km / self.kpd[i]).max(FRONT_MIN_X);
                }
            }
            self.sectors[s].days_left -= 1;
            if self.sectors[s].days_left == 0 {
                self.sectors[s] = self.new_sector();
            }
        }
        let chance = if self.tempo < 0.5 { 0.06 } else { 0.03 };
        if self.rng.random::<f64>() < chance {
            self.counter_attack();
        }
        let day = self.day;
        self.liberated.retain(|(_, until)| *until > day);
        for k in 0..self.towns.len() {
            if self.towns[k].1 == TownState::Fallen {
                continue;
            }
            let town = &self.towns[k].0;
            let front = front_at(&self.ys, &self.front, town.center.y);
            let gap_km = (front - town.center.x) * km_per_degree_lon(town.center.y);
            self.towns[k].1 = if gap_km < -town.radius_km {
                TownState::Fallen
            } else if gap_km < town.radius_km + TOWN_CONTESTED_KM {
                TownState::Contested
            } else {
                TownState::Held
            };
        }
    }

    /// Pushes the front back east over a few km and leaves the land taken back on the map
    /// as a liberated polygon.
    fn counter_attack(&mut self) {
        let n = self.n();
        let half_km: f64 = self.rng.random_range(3.0..12.0);
        let depth_km: f64 = self.rng.random_range(1.0..5.0);
        let h = ((half_km / self.spacing_km).round() as usize).max(3);
        if 2 * h >= n {
            return;
        }
        let c = self.rng.random_range(h..=n - h);
        let (a, b) = (c - h, c + h);
        let old: Vec<f64> = self.front[a..=b].to_vec();
        for i in a + 1..b {
            let u = (i as f64 - c as f64) / h as f64;
            let pushed = round6(self.front[i] + depth_km * bump(u) / self.kpd[i]).min(FRONT_MAX_X);
            self.front[i] = pushed.max(self.front[i]);
        }
        // West chain: the old front going north; east chain: the new one going south.
        let taken_back = (a + 1..b).all(|i| round6(self.front[i]) - round6(old[i - a]) > 1e-4);
        if taken_back {
            let mut ring: Vec<Coord<f64>> = (a..=b).map(|i| Coord { x: round6(old[i - a]), y: self.ys[i] }).collect();
            ring.extend((a + 1..b).rev().map(|i| Coord { x: round6(self.front[i]), y: self.ys[i] }));
            self.liberated.push((polygon(ring), self.day + LIBERATED_DAYS));
        }
    }

    fn snapshot(&self) -> SynthSnapshot {
        let n = self.n();
        let west: Vec<Coord<f64>> = (0..=n).map(|i| Coord { x: round6(self.front[i]), y: self.ys[i] }).collect();
        let east: Vec<Coord<f64>> = (0..=n)
            .map(|i| Coord { x: round6(self.front[i] + self.config.grey_zone_km / self.kpd[i]), y: self.ys[i] })
            .collect();
        let mut occupied = east.clone();
        occupied.push(Coord { x: FRAME_EAST, y: self.ys[n] });
        occupied.push(Coord { x: FRAME_EAST, y: self.ys[0] });
        let mut band = west.clone();
        band.extend(east.iter().rev());
        let mut territory = vec![(Status::Occupied, polygon(occupied))];
        for (town, state) in &self.towns {
            if *state == TownState::Fallen {
                territory.push((Status::Occupied, town.polygon.clone()));
            }
        }
        territory.push((Status::Contested, polygon(band)));
        for (town, state) in &self.towns {
            if *state == TownState::Contested {
                territory.push((Status::Contested, town.polygon.clone()));
            }
        }
        for (p, _) in &self.liberated {
            territory.push((Status::Liberated, p.clone()));
        }
        let markers = (0..MARKERS)
            .map(|k| {
                let i = ((2 * k + 1) * n) / (2 * MARKERS);
                let x = if k % 2 == 0 { west[i].x - 0.05 } else { east[i].x + 0.05 };
                Marker {
                    name: format!("Підрозділ {} /// Unit {}", k + 1, k + 1),
                    position: Coord { x: round6(x), y: self.ys[i] },
                }
            })
            .collect();
        let seconds = day_seconds(self.config.start, self.day);
        SynthSnapshot {
            day: self.day,
            time: Utc.timestamp_opt(seconds, 0).single().unwrap_or_default(),
            territory,
            markers,
        }
    }
}

impl Iterator for Snapshots {
    type Item = SynthSnapshot;

    fn next(&mut self) -> Option<SynthSnapshot> {
        if self.day >= self.config.days {
            return None;
        }
        if self.day > 0 {
            self.step();
        }
        let snapshot = self.snapshot();
        self.day += 1;
        Some(snapshot)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (self.config.days - self.day) as usize;
        (left, Some(left))
    }
}

/// A smooth bump, 1 at 0 and 0 from |u| = 1 on.
fn bump(u: f64) -> f64 {
    if u.abs() >= 1.0 {
        0.0
    } else {
        (1.0 - u * u) * (1.0 - u * u)
    }
}

fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

/// The front's longitude at latitude `y`, linear between vertices.
fn front_at(ys: &[f64], front: &[f64], y: f64) -> f64 {
    let n = ys.len() - 1;
    let t = ((y - ys[0]) / (ys[n] - ys[0]) * n as f64).clamp(0.0, n as f64);
    let i = (t.floor() as usize).min(n - 1);
    let f = t - i as f64;
    front[i] * (1.0 - f) + front[i + 1] * f
}

const WGS84_A_KM: f64 = 6378.137;
const WGS84_F: f64 = 1.0 / 298.257_223_563;

/// km per degree of longitude along the parallel at `lat` on the WGS84 ellipsoid.
pub fn km_per_degree_lon(lat: f64) -> f64 {
    let e2 = WGS84_F * (2.0 - WGS84_F);
    let s = lat.to_radians().sin();
    WGS84_A_KM * lat.to_radians().cos() / (1.0 - e2 * s * s).sqrt() * std::f64::consts::PI / 180.0
}

/// km per degree of latitude at `lat` on the WGS84 ellipsoid.
pub fn km_per_degree_lat(lat: f64) -> f64 {
    let e2 = WGS84_F * (2.0 - WGS84_F);
    let s = lat.to_radians().sin();
    WGS84_A_KM * (1.0 - e2) / (1.0 - e2 * s * s).powf(1.5) * std::f64::consts::PI / 180.0
}

/// A polygon from an open ring, closed and wound counter-clockwise (the GeoJSON rule).
fn polygon(mut ring: Vec<Coord<f64>>) -> Polygon<f64> {
    let twice_area: f64 = ring
        .iter()
        .zip(ring.iter().cycle().skip(1))
        .map(|(a, b)| a.x * b.y - b.x * a.y)
        .sum();
    if twice_area < 0.0 {
        ring.reverse();
    }
    if let Some(&first) = ring.first() {
        ring.push(first);
    }
    Polygon::new(LineString::new(ring), vec![])
}

/// A disc of `radius_km` around `center`.
fn disc(center: Coord<f64>, radius_km: f64) -> Polygon<f64> {
    let (kx, ky) = (km_per_degree_lon(center.y), km_per_degree_lat(center.y));
    let ring = (0..DISC_VERTICES)
        .map(|k| {
            let a = std::f64::consts::TAU * k as f64 / DISC_VERTICES as f64;
            Coord { x: round6(center.x + radius_km * a.cos() / kx), y: round6(center.y + radius_km * a.sin() / ky) }
        })
        .collect();
    polygon(ring)
}

/// The area of interest: the box 30–40°E, 45–51°N with a jagged border. Each side is a
/// function of the coordinate along it (so it cannot cross itself), its wobble tapering to
/// nothing at the corners (so sides cannot cross each other).
fn jagged_aoi(rng: &mut Pcg64) -> Polygon<f64> {
    let (w, e, s, n): (f64, f64, f64, f64) = (30.0, 40.0, 45.0, 51.0);
    let corners = [(w, s), (e, s), (e, n), (w, n), (w, s)];
    let mut ring = Vec::new();
    for side in 0..4 {
        let (x0, y0) = corners[side];
        let (x1, y1) = corners[side + 1];
        let steps = 60;
        let (dx, dy) = (x1 - x0, y1 - y0);
        let length = (dx * dx + dy * dy).sqrt();
        // outward normal of a counter-clockwise ring
        let (nx, ny) = (dy / length, -dx / length);
        let mut wobble = 0.0;
        for k in 0..steps {
            let t = k as f64 / steps as f64;
            wobble = 0.8 * wobble + rng.random_range(-0.06..0.06);
            let taper = (std::f64::consts::PI * t).sin();
            let off = (wobble * taper).clamp(-0.25, 0.25);
            ring.push(Coord { x: round6(x0 + dx * t + nx * off), y: round6(y0 + dy * t + ny * off) });
        }
    }
    polygon(ring)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::read::{parse_snapshot, ReadOptions};
    use crate::AreaKm2;
    use geo::Validation;

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let config = SynthConfig::new().days(40).towns(6);
        let a: Vec<Vec<u8>> = Synth::new(config.clone()).unwrap().snapshots().map(|s| s.to_geojson()).collect();
        let b: Vec<Vec<u8>> = Synth::new(config.clone()).unwrap().snapshots().map(|s| s.to_geojson()).collect();
        assert_eq!(a, b);
        let c: Vec<Vec<u8>> = Synth::new(config.seed(2)).unwrap().snapshots().map(|s| s.to_geojson()).collect();
        assert_ne!(a[0], c[0]);
        assert_ne!(a[39], c[39]);
    }

    #[test]
    fn a_short_timeline_is_the_start_of_a_longer_one() {
        let short = generate(&SynthConfig::new().days(10)).unwrap();
        let long: Vec<SynthSnapshot> = Synth::new(SynthConfig::new().days(50)).unwrap().snapshots().take(10).collect();
        assert_eq!(short.snapshots, long);
    }

    #[test]
    fn every_polygon_is_valid_and_reads_back_clean() {
        let synth = Synth::new(SynthConfig::new().days(200).towns(30).seed(5)).unwrap();
        assert!(synth.aoi().is_valid());
        for town in synth.towns() {
            assert!(town.polygon.is_valid(), "{}", town.name);
        }
        let mut liberated = 0;
        for snapshot in synth.snapshots() {
            for (status, p) in &snapshot.territory {
                assert!(p.is_valid(), "day {} {status}", snapshot.day);
            }
            let read = parse_snapshot(snapshot.file_name().as_ref(), &snapshot.to_geojson(), &ReadOptions::default()).unwrap();
            let r = &read.report;
            assert_eq!((r.unclassified, r.repaired, r.foreign), (0, 0, 0), "{:?}", r.warnings);
            assert_eq!(r.not_territory, MARKERS);
            assert_eq!(read.polygons, snapshot.polygons());
            assert_eq!(read.time, snapshot.time);
            liberated += snapshot.polygons().liberated.len();
        }
        assert!(liberated > 0, "no counter-attack in 200 days");
    }

    /// The grey band is the front shifted `w` km east along each parallel: its area is `w`
    /// times the meridian arc it spans, whatever the front's shape. What separates the two:
    /// the band's edges are geodesics between vertices, not parallels and lon/lat lines;
    /// over a vertex spacing of 2 km and a width of 3 km the difference is of the order of
    /// (2 km)² × curvature, far below 0.05 % of the band.
    #[test]
    fn the_grey_zone_is_its_width_times_the_meridian() {
        let geod = geographiclib_rs::Geodesic::wgs84();
        let arc_m: f64 = geographiclib_rs::InverseGeodesic::inverse(&geod, FRONT_SOUTH, 36.0, FRONT_NORTH, 36.0);
        for (seed, width) in [(1, 3.0), (9, 5.0)] {
            let synth = Synth::new(SynthConfig::new().days(120).seed(seed).grey_zone_km(width)).unwrap();
            for snapshot in synth.snapshots().step_by(30) {
                let band = &snapshot.territory.iter().find(|(s, _)| *s == Status::Contested).unwrap().1;
                let expected = width * arc_m / 1000.0;
                let got = band.geodesic_area_km2();
                assert!((got / expected - 1.0).abs() < 5e-4, "day {}: {got} km² vs {expected}", snapshot.day);
            }
        }
    }

    #[test]
    fn towns_are_named_in_order_and_lie_in_the_area_of_interest() {
        use geo::Contains;
        let synth = Synth::new(SynthConfig::new().towns(12)).unwrap();
        let names: Vec<&str> = synth.towns().iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names.len(), 12);
        assert_eq!(names[0], "town-001");
        assert_eq!(names[11], "town-012");
        for town in synth.towns() {
            assert!(synth.aoi().contains(&town.polygon), "{}", town.name);
        }
    }

    #[test]
    fn bad_knobs_are_usage_errors() {
        for config in [
            SynthConfig::new().days(0),
            SynthConfig::new().vertices_per_km(f64::NAN),
            SynthConfig::new().towns(100_001),
            SynthConfig::new().grey_zone_km(-1.0),
            SynthConfig::new().start(NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()),
        ] {
            assert!(matches!(Synth::new(config), Err(Error::Usage(_))));
        }
    }

    /// Past the first 999 towns come villages, named with as many digits as the count needs,
    /// spread from ahead of the front to behind it, and never drawn on the map: the files of a
    /// timeline of 100,000 settlements are those of one of 999 towns.
    #[test]
    fn villages_are_regions_along_and_behind_the_front_not_map_features() {
        let many = Synth::new(SynthConfig::new().days(20).towns(5000).seed(9)).unwrap();
        assert_eq!(many.towns().len(), 5000);
        assert_eq!((many.towns()[0].name.as_str(), many.towns()[4999].name.as_str()), ("town-0001", "town-5000"));
        let villages = &many.towns()[999..];
        let behind = villages.iter().filter(|t| t.center.x > front_at(&many.ys, &many.front, t.center.y)).count();
        assert!(behind > villages.len() / 2 && behind < villages.len(), "{behind} of {} behind the front", villages.len());
        assert!(villages.iter().all(|t| (0.3..1.5).contains(&t.radius_km)));
        let few = Synth::new(SynthConfig::new().days(20).towns(999).seed(9)).unwrap();
        for (a, b) in many.snapshots().zip(few.snapshots()) {
            assert_eq!(a.territory, b.territory);
        }
    }
}
