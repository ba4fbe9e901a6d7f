//! The `frontline` command: a thin layer over the library that parses arguments and prints.

use clap::{Args, Parser, Subcommand};

/// Boolean operations and cuts allocate many small vectors, and glibc's allocator made up
/// about 5 % of the time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use chrono::{FixedOffset, NaiveDate};
use frontline::change::write_feature_collection;
use frontline::timeline::{parse_offset, Every, Resampling};
use frontline::output::{write_file_atomically, write_records, Format};
use frontline::read::{snapshot_files, ReadOptions, WarningKind};
use frontline::region::{read_area_of_interest_with, read_regions_with};
use frontline::analysis::Engine;
use frontline::layer::EdgeSplit;
use frontline::synth::{write_timeline, SynthConfig};
use frontline::{Analysis, Classifier, Error, ScanReport};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Territorial change analytics for conflict control maps.
#[derive(Parser)]
#[command(name = "frontline", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read and classify snapshots without measuring: feature counts, unclassified and
    /// repaired polygons per file.
    Scan(ScanArgs),
    /// Area per status per region per snapshot, in km² on the WGS84 ellipsoid.
    Areas(AreasArgs),
    /// Change per period and region: area gained, lost and net per status, transitions
    /// between held, contested and occupied, rates and cumulative change.
    Changes(ChangesArgs),
    /// Write a synthetic timeline (deterministic from a seed) in the DeepState export format:
    /// DIR/snapshots/<unix seconds>.geojson, DIR/aoi.geojson, DIR/towns.geojson.
    Synth(SynthArgs),
    /// Write report.md and SVG charts into DIR: areas by status over time, net change per
    /// week, contested share of the regions, a map of the last week's change. With no
    /// snapshots, on a synthetic timeline (written to DIR/synthetic/).
    Report(ReportArgs),
}

#[derive(Args)]
struct ReportArgs {
    /// Snapshot files or directories; none: a synthetic timeline (frontline synth's defaults).
    snapshots: Vec<PathBuf>,
    /// The directory to write report.md and the charts into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    #[command(flatten)]
    places: PlaceArgs,
    #[command(flatten)]
    read: ReadArgs,
    /// Regions drawn in the contested-share chart and listed as having moved most.
    #[arg(long, default_value_t = 6, value_name = "N")]
    top: usize,
    /// No progress bar (there is none when standard error is not a terminal either).
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Args)]
struct SynthArgs {
    /// The directory to write into (its `snapshots` folder must be empty or absent).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Daily snapshots to write.
    #[arg(long, default_value_t = 365)]
    days: u32,
    /// Towns near the front (town-001, town-002, ...), at most 999.
    #[arg(long, default_value_t = 20)]
    towns: usize,
    /// The seed: the same seed and options give byte-identical files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Vertices of the front line per km of its north-south extent.
    #[arg(long, default_value_t = 0.5, value_name = "X")]
    vertices_per_km: f64,
    /// The first day, YYYY-MM-DD.
    #[arg(long, default_value = "2024-01-01", value_name = "YYYY-MM-DD")]
    start: String,
    /// Width of the grey zone along the front, in km.
    #[arg(long, default_value_t = 3.0, value_name = "KM")]
    grey_zone_km: f64,
}

#[derive(Args)]
struct InputArgs {
    /// Snapshot files (.geojson, .json, .geojson.gz) or directories of them.
    #[arg(required = true)]
    snapshots: Vec<PathBuf>,
    #[command(flatten)]
    read: ReadArgs,
}

/// How snapshots are read.
#[derive(Args, Clone)]
struct ReadArgs {
    /// Classification: deepstate, all:<STATUS> or property:<KEY>.
    #[arg(long, default_value = "deepstate")]
    classify: String,
    /// With --classify property:<KEY>: VALUE=STATUS, repeatable.
    #[arg(long = "map", value_name = "VALUE=STATUS")]
    map: Vec<String>,
    /// Read the snapshot time from this property instead of the file name.
    #[arg(long, value_name = "KEY")]
    time_field: Option<String>,
    /// Turn warnings (unclassified polygons, repaired rings) into errors.
    #[arg(long)]
    strict: bool,
    /// The coordinate system of the snapshots (e.g. EPSG:3857), overriding their `crs`
    /// member; other than WGS84 it needs the `proj` feature.
    #[arg(long, value_name = "EPSG:NNNN")]
    crs: Option<String>,
    /// Refuse a file holding more than N MiB of text (once decompressed), whatever its gzip
    /// trailer claims.
    #[arg(long, value_name = "N", default_value_t = frontline::read::DEFAULT_MAX_TEXT_BYTES >> 20)]
    max_text_mb: u64,
}

/// Where areas are measured.
#[derive(Args)]
struct PlaceArgs {
    /// Clip every layer to the polygons of this GeoJSON file (the area of interest).
    #[arg(long, value_name = "FILE")]
    clip: Option<PathBuf>,
    /// Regions to measure: GeoJSON files or directories of them, repeatable.
    #[arg(long, value_name = "FILE|DIR")]
    regions: Vec<PathBuf>,
    /// The property that names a region (else the file stem).
    #[arg(long, default_value = "name", value_name = "KEY")]
    name_field: String,
}

impl PlaceArgs {
    /// An analysis reading as `read` says, clipped and with regions as these options say.
    /// Region and outline edges are treated as `edges` says, like the snapshots' own.
    fn analysis(&self, read: &ReadArgs, edges: EdgeSplit) -> Result<Analysis, Error> {
        let mut analysis = Analysis::new();
        analysis.read = read.read_options()?;
        // The outline and the regions are read and repaired side by side.
        let (clip, regions) = rayon::join(
            || self.clip.as_ref().map(|clip| read_area_of_interest_with(clip, edges)).transpose(),
            || match self.regions.is_empty() {
                true => Ok(Vec::new()),
                false => read_regions_with(&self.regions, &self.name_field, edges),
            },
        );
        if let Some(clip) = clip? {
            analysis = analysis.with_clip(clip);
        }
        Ok(analysis.with_regions(regions?))
    }
}

impl ReadArgs {
    fn read_options(&self) -> Result<ReadOptions, Error> {
        let mut classifier: Classifier = self.classify.parse().map_err(|e: String| Error::Usage(format!("--classify: {e}")))?;
        for pair in &self.map {
            classifier.add_mapping(pair).map_err(Error::Usage)?;
        }
        let max_text_bytes = self.max_text_mb.saturating_mul(1 << 20);
        Ok(ReadOptions { classifier, time_field: self.time_field.clone(), crs: self.crs.clone(), max_text_bytes })
    }
}

#[derive(Args)]
struct OutputArgs {
    /// Output format: table, csv or json.
    #[arg(long, default_value = "table")]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

impl OutputArgs {
    fn write<T: serde::Serialize + Sync>(&self, records: &[T]) -> Result<(), Error> {
        match &self.output {
            Some(path) => write_file_atomically(path, |out| write_records(records, self.format, out))
                .map_err(|source| Error::Write { path: path.clone(), source }),
            None => {
                let stdout = std::io::stdout();
                let mut out = std::io::BufWriter::new(stdout.lock());
                let result = write_records(records, self.format, &mut out).and_then(|_| out.flush());
                match result {
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                    other => other.map_err(|source| Error::Write { path: "<stdout>".into(), source }),
                }
            }
        }
    }
}

#[derive(Args)]
struct ScanArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Args)]
struct AreasArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    places: PlaceArgs,
    #[command(flatten)]
    engine: EngineArgs,
    /// geodesic (on the WGS84 ellipsoid), or equal-area: planar area in the projection of
    /// --equal-area-crs, a cross-check (needs the `proj` feature; uses the plain engine).
    #[arg(long, default_value = "geodesic", value_name = "METHOD")]
    area_method: AreaMethod,
    /// The equal-area projection of --area-method equal-area.
    #[arg(long, default_value = "EPSG:3035", value_name = "EPSG:NNNN")]
    equal_area_crs: String,
    #[command(flatten)]
    output: OutputArgs,
}

/// How areas are computed.
#[derive(Args)]
struct EngineArgs {
    /// indexed (layers in grid cells, unchanged cells reused) or plain (whole-layer
    /// boolean operations, the reference).
    #[arg(long, default_value = "indexed")]
    engine: Engine,
    /// Side of the indexed engine's grid cells, in degrees.
    #[arg(long, default_value_t = 0.25, value_name = "DEG")]
    cell_deg: f64,
    /// Measure edges as geodesics: split those longer than this along their straight line
    /// (1 gives the figures from before straight edges were measured exactly), or 0 to
    /// keep every edge a geodesic (as pyproj measures a polygon). By default every edge is
    /// the straight line in longitude/latitude that the map draws, measured exactly.
    #[arg(long, value_name = "KM")]
    max_edge_km: Option<f64>,
}

impl EngineArgs {
    /// The analysis of `places` read as `read` says, with this engine; regions, outline and
    /// snapshots all treat their edges as `--max-edge-km` says.
    fn analysis(&self, places: &PlaceArgs, read: &ReadArgs) -> Result<Analysis, Error> {
        let edges = edge_split(self.max_edge_km)?;
        Ok(places.analysis(read, edges)?.with_engine(self.engine).with_grid(grid(self.cell_deg)?).with_edges(edges))
    }
}

#[derive(Clone, Copy, PartialEq, clap::ValueEnum)]
enum AreaMethod {
    Geodesic,
    EqualArea,
}

#[derive(Args)]
struct ChangesArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    places: PlaceArgs,
    /// Periods: snapshot (every pair of consecutive snapshots), day, week (ISO) or month.
    #[arg(long, default_value = "snapshot")]
    every: Every,
    /// Period boundaries at local midnight of this fixed offset from UTC (+HH:MM).
    #[arg(long, default_value = "+00:00", value_name = "+HH:MM", value_parser = parse_offset, allow_hyphen_values = true)]
    tz: FixedOffset,
    /// First date of the range (YYYY-MM-DD): periods starting earlier are left out.
    #[arg(long, value_name = "YYYY-MM-DD")]
    from: Option<NaiveDate>,
    /// Last date of the range, inclusive: periods starting later are left out.
    #[arg(long, value_name = "YYYY-MM-DD")]
    to: Option<NaiveDate>,
    /// Also write the gained and lost areas of every period as a GeoJSON FeatureCollection.
    #[arg(long, value_name = "FILE.geojson")]
    polygons: Option<PathBuf>,
    #[command(flatten)]
    engine: EngineArgs,
    #[command(flatten)]
    output: OutputArgs,
}

fn main() -> ExitCode {
    // PROJ logs its own errors to standard error; ours name the file and say it in one line.
    #[cfg(feature = "proj")]
    if std::env::var_os("PROJ_DEBUG").is_none() {
        std::env::set_var("PROJ_DEBUG", "0");
    }
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Scan(args) => scan(args),
        Command::Areas(args) => areas(args),
        Command::Synth(args) => synth(args),
        Command::Changes(args) => changes(args),
        Command::Report(args) => report(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("frontline: {error}");
            ExitCode::from(if error.is_bad_input() { 2 } else { 1 })
        }
    }
}

fn scan(args: &ScanArgs) -> Result<(), Error> {
    let analysis = Analysis::new().with_read(args.input.read.read_options()?);
    let files = snapshot_files(&args.input.snapshots)?;
    let reports = analysis.scan(&files)?;
    args.output.write(&reports)?;
    summarize_warnings(&reports, args.input.read.strict)
}

fn areas(args: &AreasArgs) -> Result<(), Error> {
    let analysis = args.engine.analysis(&args.places, &args.input.read)?;
    let files = snapshot_files(&args.input.snapshots)?;
    let snapshots = match args.area_method {
        AreaMethod::Geodesic => analysis.areas(&files)?,
        AreaMethod::EqualArea => equal_area(&analysis, &files, &args.equal_area_crs)?,
    };
    // Warnings of the reading itself, summarized (in strict mode: an error, and nothing
    // is written).
    summarize_warnings(snapshots.iter().map(|s| &s.report), args.input.read.strict)?;
    // (sized first: grown by doubling, tens of thousands of rows are copied again and
    // again into memory fresh from the system)
    let mut rows = Vec::with_capacity(snapshots.iter().map(|s| s.rows.len()).sum());
    for snapshot in snapshots {
        rows.extend(snapshot.rows);
    }
    args.output.write(&rows)
}

fn grid(cell_deg: f64) -> Result<frontline::grid::Grid, Error> {
    if cell_deg.is_finite() && (1e-4..=90.0).contains(&cell_deg) {
        Ok(frontline::grid::Grid::new(cell_deg))
    } else {
        Err(Error::Usage(format!("--cell-deg {cell_deg}: expected degrees between 0.0001 and 90")))
    }
}

#[cfg(feature = "proj")]
fn equal_area(analysis: &Analysis, files: &[PathBuf], projection: &str) -> Result<Vec<frontline::SnapshotAreas>, Error> {
    analysis.equal_areas(files, projection)
}

#[cfg(not(feature = "proj"))]
fn equal_area(_: &Analysis, _: &[PathBuf], _: &str) -> Result<Vec<frontline::SnapshotAreas>, Error> {
    Err(Error::Usage("--area-method equal-area needs frontline built with `--features proj`".into()))
}

fn edge_split(max_edge_km: Option<f64>) -> Result<EdgeSplit, Error> {
    match max_edge_km {
        None => Ok(EdgeSplit::Straight),
        // every edge a geodesic, with points along the long ones so that cuts stay on them
        Some(0.0) => Ok(EdgeSplit::Geodesic(frontline::layer::MAX_EDGE_M)),
        Some(km) if km.is_finite() && km > 0.0 => Ok(EdgeSplit::StraightLonLat(km * 1000.0)),
        Some(km) => Err(Error::Usage(format!("--max-edge-km {km}: expected a positive number of kilometres, or 0"))),
    }
}

fn synth(args: &SynthArgs) -> Result<(), Error> {
    let start = chrono::NaiveDate::parse_from_str(&args.start, "%Y-%m-%d")
        .map_err(|e| Error::Usage(format!("--start `{}`: {e} (expected YYYY-MM-DD)", args.start)))?;
    let config = SynthConfig::new()
        .days(args.days)
        .towns(args.towns)
        .seed(args.seed)
        .vertices_per_km(args.vertices_per_km)
        .start(start)
        .grey_zone_km(args.grey_zone_km);
    let began = std::time::Instant::now();
    let summary = write_timeline(&config, &args.out)?;
    eprintln!(
        "wrote {} snapshots to {} with {} and {} ({:.1} MB) in {:.2} s",
        summary.snapshots,
        summary.snapshot_dir.display(),
        summary.aoi.display(),
        summary.towns.display(),
        summary.bytes as f64 / 1e6,
        began.elapsed().as_secs_f64()
    );
    Ok(())
}

fn changes(args: &ChangesArgs) -> Result<(), Error> {
    let analysis = args.engine.analysis(&args.places, &args.input.read)?;
    let files = snapshot_files(&args.input.snapshots)?;
    let resampling = Resampling { every: args.every, offset: args.tz, from: args.from, to: args.to };
    let mut rows = Vec::new();
    let mut features = Vec::new();
    let timeline = analysis.changes_each(&files, &resampling, |period| {
        if args.polygons.is_some() {
            features.extend(period.polygon_features());
        }
        rows.extend(period.rows);
        Ok(())
    })?;
    // Warnings of every input file: those the periods compared were read already.
    let read: std::collections::HashSet<&str> = timeline.read.iter().map(|r| r.snapshot.as_str()).collect();
    let unread: Vec<PathBuf> =
        files.iter().filter(|f| !read.contains(f.file_name().and_then(|n| n.to_str()).unwrap_or(""))).cloned().collect();
    let others = if unread.is_empty() { Vec::new() } else { analysis.scan(&unread)? };
    summarize_warnings(timeline.read.iter().chain(&others), args.input.read.strict)?;
    for skipped in &timeline.skipped {
        eprintln!("note: {skipped}");
    }
    if let Some(path) = &args.polygons {
        write_file_atomically(path, |out| write_feature_collection(&features, out))
            .map_err(|source| Error::Write { path: path.clone(), source })?;
    }
    args.output.write(&rows)
}

fn report(args: &ReportArgs) -> Result<(), Error> {
    use frontline::report::{synthetic_inputs, write_report_with, Progress, ReportOptions};
    use std::io::IsTerminal;
    let began = std::time::Instant::now();
    let (analysis, files, options) = if args.snapshots.is_empty() {
        if args.places.clip.is_some() || !args.places.regions.is_empty() || args.read.time_field.is_some() {
            return Err(Error::Usage("--clip, --regions and --time-field need snapshots; without any, the report runs on a synthetic timeline with its own".into()));
        }
        let config = SynthConfig::new();
        let dir = args.out.join("synthetic");
        println!(
            "frontline report: no snapshots given, so this runs on SYNTHETIC data: a {}-day timeline (seed {}, {} towns) written to {}",
            config.days,
            config.seed,
            config.towns,
            dir.display()
        );
        let inputs = synthetic_inputs(&config, &dir)?;
        (inputs.analysis, inputs.files, inputs.options)
    } else {
        let analysis = args.places.analysis(&args.read, EdgeSplit::default())?;
        let files = snapshot_files(&args.snapshots)?;
        let shown: Vec<String> = args.snapshots.iter().map(|p| p.display().to_string()).collect();
        println!("frontline report: {} snapshots from {} into {}", files.len(), shown.join(", "), args.out.display());
        if args.read.strict {
            summarize_warnings(&analysis.scan(&files)?, true)?;
        }
        (analysis, files, ReportOptions::new(format!("the snapshots in {}", shown.join(", "))))
    };
    let options = options.top_regions(args.top);
    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(0);
        let style = indicatif::ProgressStyle::with_template("{msg:>16} [{bar:40}] {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar
    });
    let mut on_progress = |p: Progress<'_>| {
        if let Some(bar) = &bar {
            match p {
                Progress::Stage { name, steps } => {
                    bar.set_message(name.to_string());
                    bar.set_length(steps);
                    bar.set_position(0);
                }
                Progress::Advance(n) => bar.inc(n),
            }
        }
    };
    let summary = write_report_with(&analysis, &files, &args.out, &options, &mut on_progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let summary = summary?;
    println!(
        "wrote {} and {} charts in {:.1} s ({} snapshots)",
        summary.markdown.display(),
        summary.charts.len(),
        began.elapsed().as_secs_f64(),
        summary.snapshots
    );
    Ok(())
}

/// Prints one line per kind of warning to standard error; in strict mode the first
/// warning is an error.
fn summarize_warnings<'a>(reports: impl IntoIterator<Item = &'a ScanReport>, strict: bool) -> Result<(), Error> {
    let mut by_kind: BTreeMap<WarningKind, (usize, String)> = BTreeMap::new();
    for report in reports {
        for warning in &report.warnings {
            if strict {
                return Err(Error::Strict {
                    path: report.snapshot.clone().into(),
                    message: format!("feature {}: {}: {}", warning.feature, warning.kind.as_str(), warning.detail),
                });
            }
            let entry = by_kind.entry(warning.kind).or_insert_with(|| (0, format!("{} feature {}: {}", report.snapshot, warning.feature, warning.detail)));
            entry.0 += 1;
        }
    }
    for (kind, (count, example)) in by_kind {
        eprintln!("warning: {count} × {}, e.g. {example}", kind.as_str());
    }
    Ok(())
}
