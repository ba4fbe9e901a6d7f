//! `frontline report` and `frontline synth`.

use crate::cli::args::{PlaceArgs, ReadArgs};
use crate::cli::warnings::summarize;
use clap::Args;
use frontline::output::report::{synthetic_inputs, write_report_with, Progress, ReportOptions};
use frontline::synth::{write_timeline, SynthConfig};
use frontline::{read_places, read_regions, snapshot_files, EdgeModel, Error};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Args)]
pub struct ReportArgs {
    /// Snapshot files or directories; none: a synthetic timeline (frontline synth's defaults).
    snapshots: Vec<PathBuf>,
    /// The directory to write report.md and the charts into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    #[command(flatten)]
    places: PlaceArgs,
    /// Cities: GeoJSON polygons whose occupied and contested share the report tabulates, now
    /// and their change over the last week and month (repeatable; --name-field, --id-field
    /// and --where apply).
    #[arg(long, value_name = "FILE|DIR")]
    cities: Vec<PathBuf>,
    /// Places: GeoJSON points or polygons whose distance to the front the report tabulates,
    /// with the last month's approach (repeatable; --name-field, --id-field and --where
    /// apply).
    #[arg(long = "places", value_name = "FILE|DIR")]
    place_files: Vec<PathBuf>,
    #[command(flatten)]
    read: ReadArgs,
    /// Regions drawn in the contested-share chart and listed as having moved most.
    #[arg(long, default_value_t = 6, value_name = "N")]
    top: usize,
}

pub fn report(args: &ReportArgs, quiet: bool) -> Result<(), Error> {
    let began = std::time::Instant::now();
    let (analysis, files, options) = if args.snapshots.is_empty() {
        if args.places.clip.is_some() || !args.places.regions.is_empty() || !args.cities.is_empty() || !args.place_files.is_empty() || args.read.time_field.is_some() {
            return Err(Error::Usage(
                "--clip, --regions, --cities, --places and --time-field need snapshots; without any, the report runs on a synthetic timeline with its own".into(),
            ));
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
        let analysis = args.places.analysis(&args.read, EdgeModel::default())?;
        let files = snapshot_files(&args.snapshots)?;
        let shown: Vec<String> = args.snapshots.iter().map(|p| p.display().to_string()).collect();
        println!("frontline report: {} snapshots from {} into {}", files.len(), shown.join(", "), args.out.display());
        if args.read.strict {
            summarize(&analysis.scan(&files)?, true)?;
        }
        let picking = args.places.region_options(EdgeModel::default())?;
        let cities = match args.cities.is_empty() {
            true => Vec::new(),
            false => read_regions(&args.cities, &picking)?,
        };
        let places = match args.place_files.is_empty() {
            true => Vec::new(),
            false => read_places(&args.place_files, &picking)?,
        };
        (analysis, files, ReportOptions::new(format!("the snapshots in {}", shown.join(", "))).cities(cities).places(places))
    };
    let options = options.top_regions(args.top);
    let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
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

#[derive(Args)]
pub struct SynthArgs {
    /// The directory to write into (its `snapshots` folder must be empty or absent).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Daily snapshots to write.
    #[arg(long, default_value_t = 365)]
    days: u32,
    /// Towns near the front (town-001, town-002, ...), at most 100,000: the first 999 towns
    /// of 1.2-4 km ahead of the front, the rest villages of 0.3-1.5 km along and behind it.
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

pub fn synth(args: &SynthArgs) -> Result<(), Error> {
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
