//! `frontline line` and `frontline distance`.

use crate::cli::args::{written, InputArgs, OutputArgs, PlaceArgs};
use crate::cli::warnings::summarize;
use chrono::{FixedOffset, NaiveDate};
use clap::Args;
use frontline::output::{line_features, write_file_atomically, write_feature_collection};
use frontline::{parse_offset, read_area_of_interest, read_places, snapshot_files, Analysis, EdgeModel, Error, Every, LineOptions, Resampling, StatesSummary};
use std::path::PathBuf;

/// Which states are measured: every snapshot, or the state as of each period's start.
#[derive(Args)]
pub struct StateArgs {
    /// snapshot (every snapshot), or day, week (ISO) or month: the state as of the start
    /// of each period (the last snapshot at or before it).
    #[arg(long, default_value = "snapshot")]
    every: Every,
    /// Period boundaries at local midnight of this fixed offset from UTC (+HH:MM).
    #[arg(long, default_value = "+00:00", value_name = "+HH:MM", value_parser = parse_offset, allow_hyphen_values = true)]
    tz: FixedOffset,
    /// First date of the range (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD")]
    from: Option<NaiveDate>,
    /// Last date of the range, inclusive.
    #[arg(long, value_name = "YYYY-MM-DD")]
    to: Option<NaiveDate>,
}

impl StateArgs {
    fn resampling(&self) -> Resampling {
        Resampling { every: self.every, offset: self.tz, from: self.from, to: self.to }
    }
}

#[derive(Args)]
pub struct LineArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    places: PlaceArgs,
    /// Leave out the parts of the boundary within this many km of the area of interest's
    /// outline (international borders and coast are not front).
    #[arg(long, default_value_t = 2.0, value_name = "KM")]
    border_km: f64,
    /// Simplify the line (Douglas-Peucker) at this tolerance in km on the ground before
    /// measuring it; 0 measures it as drawn.
    #[arg(long, default_value_t = 0.0, value_name = "KM")]
    generalize_km: f64,
    /// Fill the holes of a layer narrower on average than this many metres (seams left
    /// between polygons drawn side by side, not front); 0 keeps every hole.
    #[arg(long, default_value_t = 100.0, value_name = "M")]
    seam_m: f64,
    #[command(flatten)]
    states: StateArgs,
    /// Also write the lines as a GeoJSON FeatureCollection of MultiLineStrings.
    #[arg(long, value_name = "FILE.geojson")]
    lines: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn line(args: &LineArgs) -> Result<(), Error> {
    args.output.check()?;
    for (name, value) in [("--border-km", args.border_km), ("--generalize-km", args.generalize_km), ("--seam-m", args.seam_m)] {
        if !value.is_finite() || value < 0.0 {
            return Err(Error::Usage(format!("{name} {value}: expected a distance, 0 or more")));
        }
    }
    let analysis = args.places.analysis(&args.input.read, EdgeModel::default())?;
    let files = snapshot_files(&args.input.snapshots)?;
    let strict = args.input.read.strict;
    if strict {
        // (in strict mode a warning is an error, and nothing is written)
        summarize(&analysis.scan(&files)?, true)?;
    }
    let options = LineOptions { border_km: args.border_km, generalize_km: args.generalize_km, seam_m: args.seam_m };
    let mut features = Vec::new();
    let mut summary = StatesSummary::default();
    args.output.with_writer(|writer| {
        summary = analysis.line_each(&files, &args.states.resampling(), &options, |state| {
            if args.lines.is_some() {
                features.extend(line_features(&state));
            }
            written(writer.write(&state.rows))
        })?;
        Ok(())
    })?;
    finish(&summary, strict)?;
    if let Some(path) = &args.lines {
        write_file_atomically(path, |out| write_feature_collection(&features, out)).map_err(|source| Error::Write { path: path.clone(), source })?;
    }
    Ok(())
}

#[derive(Args)]
pub struct DistanceArgs {
    #[command(flatten)]
    input: InputArgs,
    /// The places: GeoJSON files or directories of points or polygons, repeatable.
    #[arg(long, required = true, value_name = "FILE|DIR")]
    places: Vec<PathBuf>,
    /// The properties that name a place, tried in order (e.g. name:en,name); without any,
    /// the file stem.
    #[arg(long, default_value = "name", value_name = "KEY[,KEY...]", value_delimiter = ',')]
    name_field: Vec<String>,
    /// The property that identifies a place, written as place_id.
    #[arg(long, value_name = "KEY")]
    id_field: Option<String>,
    /// Only the features whose property KEY is VALUE; repeatable: values of one key are
    /// alternatives, different keys must all match; a condition no feature meets is an error.
    #[arg(long = "where", value_name = "KEY=VALUE")]
    filters: Vec<String>,
    /// Clip every layer to the polygons of this GeoJSON file (the area of interest).
    #[arg(long, value_name = "FILE")]
    clip: Option<PathBuf>,
    #[command(flatten)]
    states: StateArgs,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn distance(args: &DistanceArgs) -> Result<(), Error> {
    args.output.check()?;
    // (the places are picked as regions are: the same options, the same `--where`)
    let picking = PlaceArgs {
        clip: None,
        regions: Vec::new(),
        name_field: args.name_field.clone(),
        id_field: args.id_field.clone(),
        filters: args.filters.clone(),
        names: Vec::new(),
    };
    let places = read_places(&args.places, &picking.region_options(EdgeModel::default())?)?;
    let mut analysis = Analysis::new().with_read(args.input.read.read_options()?);
    if let Some(clip) = &args.clip {
        analysis = analysis.with_clip(read_area_of_interest(clip)?);
    }
    let files = snapshot_files(&args.input.snapshots)?;
    let strict = args.input.read.strict;
    if strict {
        summarize(&analysis.scan(&files)?, true)?;
    }
    let mut summary = StatesSummary::default();
    args.output.with_writer(|writer| {
        summary = analysis.distance_each(&files, &places, &args.states.resampling(), |state| written(writer.write(&state.rows)))?;
        Ok(())
    })?;
    finish(&summary, strict)
}

/// The warnings of the snapshots measured, and the periods left out.
fn finish(summary: &StatesSummary, strict: bool) -> Result<(), Error> {
    summarize(&summary.read, strict)?;
    for skipped in &summary.skipped {
        eprintln!("note: {skipped}");
    }
    Ok(())
}
