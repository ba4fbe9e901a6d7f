//! `frontline scan`, `frontline areas` and `frontline changes`.

use crate::cli::args::{EngineArgs, InputArgs, OutputArgs, PlaceArgs};
use crate::cli::warnings::{summarize, Warnings};
use chrono::{FixedOffset, NaiveDate};
use clap::Args;
use frontline::output::{change_features, write_file_atomically, write_feature_collection, GeoParquetWriter};
use frontline::{parse_offset, snapshot_files, Analysis, Error, Every, Resampling};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct ScanArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn scan(args: &ScanArgs) -> Result<(), Error> {
    args.output.check()?;
    let analysis = Analysis::new().with_read(args.input.read.read_options()?);
    let files = snapshot_files(&args.input.snapshots)?;
    let reports = analysis.scan(&files)?;
    args.output.with_writer(|w| crate::cli::args::written(w.write(&reports)))?;
    summarize(&reports, args.input.read.strict)
}

#[derive(Args)]
pub struct AreasArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    places: PlaceArgs,
    #[command(flatten)]
    engine: EngineArgs,
    /// Rows only for the regions whose figures changed since their previous row (the first
    /// snapshot gives every row): a region's figures on any day are its latest row's.
    #[arg(long)]
    changed_only: bool,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn areas(args: &AreasArgs) -> Result<(), Error> {
    args.output.check()?;
    let analysis = args.engine.analysis(&args.places, &args.input.read)?.changed_only(args.changed_only);
    let files = snapshot_files(&args.input.snapshots)?;
    let strict = args.input.read.strict;
    if strict {
        // (in strict mode a warning is an error, and nothing is written)
        summarize(&analysis.scan(&files)?, true)?;
    }
    let mut warnings = Warnings::default();
    args.output.with_writer(|writer| {
        analysis.areas_each(&files, |snapshot| {
            warnings.add(&snapshot.report, strict)?;
            crate::cli::args::written(writer.write_areas(&snapshot.rows))
        })
    })?;
    warnings.print();
    Ok(())
}

#[derive(Args)]
pub struct ChangesArgs {
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
    /// Also write the gained and lost areas of every period: a GeoJSON FeatureCollection, or
    /// GeoParquet 1.1 when FILE ends in .parquet.
    #[arg(long, value_name = "FILE.geojson|FILE.parquet")]
    polygons: Option<PathBuf>,
    /// Rows only for the regions that changed in the period (the first period gives every
    /// row): a missing row is a change of zero.
    #[arg(long)]
    changed_only: bool,
    #[command(flatten)]
    engine: EngineArgs,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn changes(args: &ChangesArgs) -> Result<(), Error> {
    args.output.check()?;
    let parquet_polygons = args.polygons.as_deref().filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("parquet")));
    let analysis = args.engine.analysis(&args.places, &args.input.read)?.changed_only(args.changed_only);
    let files = snapshot_files(&args.input.snapshots)?;
    let strict = args.input.read.strict;
    if strict {
        summarize(&analysis.scan(&files)?, true)?;
    }
    let resampling = Resampling { every: args.every, offset: args.tz, from: args.from, to: args.to };
    let mut features = Vec::new();
    let mut summary = None;
    let geojson = args.polygons.is_some() && parquet_polygons.is_none();
    let mut run = |mut polygons: Option<&mut GeoParquetWriter>| {
        args.output.with_writer(|writer| {
            summary = Some(analysis.changes_each(&files, &resampling, |period| {
                if geojson {
                    features.extend(change_features(&period));
                }
                if let (Some(polygons), Some(path)) = (polygons.as_mut(), parquet_polygons) {
                    polygons.write(&period).map_err(|source| Error::Write { path: path.to_path_buf(), source })?;
                }
                crate::cli::args::written(writer.write(&period.rows))
            })?);
            Ok(())
        })
    };
    match parquet_polygons {
        Some(path) => with_geoparquet(path, run)?,
        None => run(None)?,
    }
    let summary = summary.unwrap_or_default();
    // Warnings of every input file: those the periods compared were read already.
    let read: HashSet<&str> = summary.read.iter().map(|r| r.snapshot.as_str()).collect();
    let unread: Vec<PathBuf> =
        files.iter().filter(|f| !read.contains(f.file_name().and_then(|n| n.to_str()).unwrap_or(""))).cloned().collect();
    let others = if unread.is_empty() { Vec::new() } else { analysis.scan(&unread)? };
    summarize(summary.read.iter().chain(&others), strict)?;
    for skipped in &summary.skipped {
        eprintln!("note: {skipped}");
    }
    if let Some(path) = args.polygons.as_ref().filter(|_| geojson) {
        write_file_atomically(path, |out| write_feature_collection(&features, out))
            .map_err(|source| Error::Write { path: path.clone(), source })?;
    }
    Ok(())
}

/// Runs `run` with a GeoParquet writer on `path`, written to a temporary name and renamed
/// once complete (nothing is left of a failed run).
fn with_geoparquet(path: &Path, run: impl FnOnce(Option<&mut GeoParquetWriter>) -> Result<(), Error>) -> Result<(), Error> {
    let mut failure = None;
    let written = write_file_atomically(path, |out| {
        let mut writer = GeoParquetWriter::new(out);
        match run(Some(&mut writer)) {
            Ok(()) => writer.finish(),
            Err(e) => {
                failure = Some(e);
                Err(std::io::Error::other("stopped"))
            }
        }
    });
    match failure {
        Some(e) => Err(e),
        None => written.map_err(|source| Error::Write { path: path.to_path_buf(), source }),
    }
}
