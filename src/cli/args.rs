//! Arguments shared by the verbs: inputs, reading, places measured, engine, output.

use clap::Args;
use frontline::output::{write_file_atomically, Format, RecordWriter};
use frontline::{read_area_of_interest_with, Analysis, Classifier, EdgeModel, Engine, Error, ReadOptions, RegionOptions};
use std::io::Write;
use std::path::PathBuf;

/// Snapshot files or directories, and how they are read.
#[derive(Args)]
pub struct InputArgs {
    /// Snapshot files (.geojson, .json, .geojson.gz) or directories of them.
    #[arg(required = true)]
    pub snapshots: Vec<PathBuf>,
    #[command(flatten)]
    pub read: ReadArgs,
}

/// How snapshots are read.
#[derive(Args, Clone)]
pub struct ReadArgs {
    /// Classification: deepstate, all:<STATUS> or property:<KEY>.
    #[arg(long, default_value = "deepstate")]
    pub classify: String,
    /// With --classify property:<KEY>: VALUE=STATUS, repeatable.
    #[arg(long = "map", value_name = "VALUE=STATUS")]
    pub map: Vec<String>,
    /// Read the snapshot time from this property instead of the file name.
    #[arg(long, value_name = "KEY")]
    pub time_field: Option<String>,
    /// Turn warnings (unclassified polygons, repaired rings) into errors.
    #[arg(long)]
    pub strict: bool,
    /// The coordinate system of the snapshots (e.g. EPSG:3857), overriding their `crs`
    /// member; other than WGS84 it needs the `proj` feature.
    #[arg(long, value_name = "EPSG:NNNN")]
    pub crs: Option<String>,
    /// Refuse a file holding more than N MiB of text (once decompressed), whatever its gzip
    /// trailer claims.
    #[arg(long, value_name = "N", default_value_t = ReadOptions::DEFAULT_MAX_TEXT_BYTES >> 20)]
    pub max_text_mb: u64,
}

impl ReadArgs {
    pub fn read_options(&self) -> Result<ReadOptions, Error> {
        let mut classifier: Classifier = self.classify.parse().map_err(|e: String| Error::Usage(format!("--classify: {e}")))?;
        for pair in &self.map {
            classifier.add_mapping(pair).map_err(Error::Usage)?;
        }
        let max_text_bytes = self.max_text_mb.saturating_mul(1 << 20);
        Ok(ReadOptions { classifier, time_field: self.time_field.clone(), crs: self.crs.clone(), max_text_bytes })
    }
}

/// Where areas are measured.
#[derive(Args)]
pub struct PlaceArgs {
    /// Clip every layer to the polygons of this GeoJSON file (the area of interest).
    #[arg(long, value_name = "FILE")]
    pub clip: Option<PathBuf>,
    /// Regions to measure: a GeoJSON file or a directory of them; repeated, one set of
    /// regions each (rows say which in `region_set`), the snapshots read once.
    #[arg(long, value_name = "FILE|DIR")]
    pub regions: Vec<PathBuf>,
    /// The properties that name a region, tried in order (e.g. name:en,name); without any,
    /// the file stem.
    #[arg(long, default_value = "name", value_name = "KEY[,KEY...]", value_delimiter = ',')]
    pub name_field: Vec<String>,
    /// A property that identifies a region (e.g. @id): regions that share a name stay apart,
    /// and rows carry it as region_id.
    #[arg(long, value_name = "KEY")]
    pub id_field: Option<String>,
    /// Keep only the features of the regions (and places) files whose property KEY is VALUE;
    /// repeatable: values of one key are alternatives, different keys must all match, and a
    /// condition no feature meets is an error.
    #[arg(long = "where", value_name = "KEY=VALUE")]
    pub filters: Vec<String>,
    /// Keep only the regions of this name (repeatable).
    #[arg(long = "region", value_name = "NAME")]
    pub names: Vec<String>,
}

impl PlaceArgs {
    /// How the regions files are read, edges as `edges` says.
    pub fn region_options(&self, edges: EdgeModel) -> Result<RegionOptions, Error> {
        let mut options = RegionOptions::default().name_fields(self.name_field.iter().map(|f| f.trim())).edges(edges);
        options.id_field = self.id_field.clone();
        options.names = self.names.clone();
        for pair in &self.filters {
            let (key, value) = pair
                .split_once('=')
                .filter(|(key, _)| !key.trim().is_empty())
                .ok_or_else(|| Error::Usage(format!("--where `{pair}`: expected KEY=VALUE (e.g. admin_level=10)")))?;
            options = options.keep_where(key.trim(), value.trim());
        }
        Ok(options)
    }

    /// An analysis reading as `read` says, clipped and with regions as these options say:
    /// one set of regions per `--regions`, named after its file when there are several.
    /// Region and outline edges are treated as `edges` says, like the snapshots' own.
    pub fn analysis(&self, read: &ReadArgs, edges: EdgeModel) -> Result<Analysis, Error> {
        let options = self.region_options(edges)?;
        let analysis = Analysis::new().with_read(read.read_options()?).with_edges(edges);
        // The outline and the regions are read and repaired side by side.
        let (clip, analysis) = rayon::join(
            || self.clip.as_ref().map(|clip| read_area_of_interest_with(clip, edges)).transpose(),
            || analysis.with_region_files(&self.regions, &options),
        );
        let analysis = analysis?;
        Ok(match clip? {
            Some(clip) => analysis.with_clip(clip),
            None => analysis,
        })
    }
}

/// How areas are computed.
#[derive(Args)]
pub struct EngineArgs {
    /// indexed (layers in grid cells, unchanged cells reused) or plain (whole-layer
    /// boolean operations, the reference).
    #[arg(long, default_value = "indexed")]
    pub engine: Engine,
    /// Side of the indexed engine's grid cells, in degrees.
    #[arg(long, default_value_t = 0.25, value_name = "DEG")]
    pub cell_deg: f64,
    /// Measure edges as geodesics: split those longer than this along their straight line
    /// (1 gives the figures from before straight edges were measured exactly), or 0 to
    /// keep every edge a geodesic (as pyproj measures a polygon). By default every edge is
    /// the straight line in longitude/latitude that the map draws, measured exactly.
    #[arg(long, value_name = "KM")]
    pub max_edge_km: Option<f64>,
    /// ellipsoid (WGS84, the default; `geodesic` is the same), sphere: the sphere of radius
    /// 6,378,137 m on which the map (turf.js) measures its own published figures, for
    /// comparison with them (0.09 % below the ellipsoid over Ukraine; edges stay straight in
    /// longitude/latitude, so both engines agree; see `frontline reconcile` for the map's
    /// figures exactly), or equal-area: planar in the projection of --equal-area-crs, a
    /// cross-check (areas only, the plain engine, the `proj` feature).
    #[arg(long, default_value = "ellipsoid", value_name = "METHOD", value_parser = ["ellipsoid", "geodesic", "sphere", "equal-area"])]
    pub area_method: String,
    /// The equal-area projection of --area-method equal-area.
    #[arg(long, default_value = "EPSG:3035", value_name = "EPSG:NNNN")]
    pub equal_area_crs: String,
}

impl EngineArgs {
    /// The analysis of `places` read as `read` says, with this engine; regions, outline and
    /// snapshots all treat their edges as `--max-edge-km` says.
    pub fn analysis(&self, places: &PlaceArgs, read: &ReadArgs) -> Result<Analysis, Error> {
        let edges = self.edges()?;
        if !(self.cell_deg.is_finite() && (1e-4..=90.0).contains(&self.cell_deg)) {
            return Err(Error::Usage(format!("--cell-deg {}: expected degrees between 0.0001 and 90", self.cell_deg)));
        }
        let analysis = places.analysis(read, edges)?.with_engine(self.engine).with_cell_deg(self.cell_deg);
        match self.area_method.as_str() {
            "equal-area" => equal_area(analysis, &self.equal_area_crs),
            _ => Ok(analysis),
        }
    }

    fn edges(&self) -> Result<EdgeModel, Error> {
        if self.area_method == "sphere" {
            return match self.max_edge_km {
                None => Ok(EdgeModel::Sphere),
                Some(_) => Err(Error::Usage("--area-method sphere measures straight edges exactly on the sphere: it does not take --max-edge-km".into())),
            };
        }
        EdgeModel::from_max_edge_km(self.max_edge_km).map_err(|e| Error::Usage(format!("--max-edge-km {e}")))
    }
}

#[cfg(feature = "proj")]
fn equal_area(analysis: Analysis, projection: &str) -> Result<Analysis, Error> {
    Ok(analysis.with_equal_area(projection))
}

#[cfg(not(feature = "proj"))]
fn equal_area(_: Analysis, _: &str) -> Result<Analysis, Error> {
    Err(Error::Usage("--area-method equal-area needs frontline built with `--features proj`".into()))
}

/// Where and how rows are written.
#[derive(Args)]
pub struct OutputArgs {
    /// Output format: table, csv, json or parquet (a file: needs -o).
    #[arg(long, default_value = "table")]
    pub format: Format,
    /// Write to this file (complete or not at all) instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

impl OutputArgs {
    /// Refuses what cannot be written before anything is read: Parquet, a binary file, to
    /// standard output.
    pub fn check(&self) -> Result<(), Error> {
        match (self.format, &self.output) {
            (Format::Parquet, None) => Err(Error::Usage("--format parquet writes a file, not standard output: add -o FILE.parquet".into())),
            _ => Ok(()),
        }
    }

    /// Runs `write` with a record writer on the output: a file is written to a temporary
    /// name and renamed once complete (nothing is left of a failed run); standard output
    /// closed early (`| head`) is not an error.
    pub fn with_writer<T: serde::Serialize + Sync + Clone>(
        &self,
        write: impl FnOnce(&mut RecordWriter<'_, T>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.check()?;
        let mut failure = None;
        let run = |out: &mut dyn Write| -> std::io::Result<()> {
            let mut writer = RecordWriter::new(self.format, out);
            match write(&mut writer) {
                Ok(()) => writer.finish(),
                Err(e) => {
                    failure = Some(e);
                    Err(std::io::Error::other("stopped"))
                }
            }
        };
        let written = match &self.output {
            Some(path) => write_file_atomically(path, run).map_err(|source| Error::Write { path: path.clone(), source }),
            None => {
                let stdout = std::io::stdout();
                let mut out = std::io::BufWriter::new(stdout.lock());
                match run(&mut out).and_then(|_| out.flush()) {
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                    other => other.map_err(|source| Error::Write { path: "<stdout>".into(), source }),
                }
            }
        };
        let shown: PathBuf = self.output.clone().unwrap_or_else(|| "<stdout>".into());
        match failure {
            // (the reader of standard output went away, as `| head` does: not an error)
            Some(Error::Write { source, .. }) if self.output.is_none() && source.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Some(Error::Write { source, .. }) => Err(Error::Write { path: shown, source }),
            Some(e) => Err(e),
            None => written,
        }
    }
}

/// Maps a write error of the record writer into the crate's error, naming the output.
pub fn written(result: std::io::Result<()>) -> Result<(), Error> {
    result.map_err(|source| Error::Write { path: "<output>".into(), source })
}
