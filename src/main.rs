//! The `frontline` command: a thin layer over the library that parses arguments and prints.

mod cli;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Boolean operations and cuts allocate many small vectors, and glibc's allocator made up
/// about 5 % of the time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its place in `mi_option_e`, the same in mimalloc 2
/// and 3; the bindings name only some of the options).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Freed memory goes back to the system after 200 ms rather than mimalloc's default of a
/// second: reading four boundary files on two threads frees and allocates hundreds of
/// megabytes within a second, and the peak memory of measuring all 7,682 regions of Ukraine
/// over the daily states was 244–276 MiB with the default, 190–207 MiB with this, about 2 %
/// slower there and 3 % on the archive's `areas` (still 5 % faster than 0.1). Transparent
/// huge pages turned off instead gave 183–223 MiB, but the archive's runs 7–10 % slower
/// than 0.1 (docs/performance.md). `MIMALLOC_PURGE_DELAY`, when set, is left to rule.
fn return_freed_memory_sooner() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one integer option; called first thing in `main`, before any thread
        // is started (the setter is not thread-safe).
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 200) };
    }
}

/// Territorial change analytics for conflict control maps.
#[derive(Parser)]
#[command(name = "frontline", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// No progress bar (there is none when standard error is not a terminal either).
    #[arg(long, short, global = true)]
    quiet: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Read and classify snapshots without measuring: feature counts, unclassified and
    /// repaired polygons per file.
    Scan(cli::measure::ScanArgs),
    /// Area per status per region per snapshot, in km² on the WGS84 ellipsoid.
    Areas(cli::measure::AreasArgs),
    /// Change per period and region: area gained, lost and net per status, transitions
    /// between held, contested and occupied, rates and cumulative change.
    Changes(cli::measure::ChangesArgs),
    /// The map's own published figures beside frontline's, per snapshot and status: the
    /// map's figure, the same computed the map's way (turf's sphere, by fill colour, as
    /// drawn), frontline's, and the bridge between them step by step.
    Reconcile(cli::reconcile::ReconcileArgs),
    /// The length of the line of contact per snapshot (or period) and region, in km on the
    /// WGS84 ellipsoid: the boundary of the occupied area, and of occupied ∪ contested,
    /// less the parts near the area of interest's outline.
    Line(cli::front::LineArgs),
    /// How far places are from the front per snapshot (or period): geodesic distance to
    /// occupied land and to occupied ∪ contested, its bearing, and how fast it shrinks.
    Distance(cli::front::DistanceArgs),
    /// Write a synthetic timeline (deterministic from a seed) in the DeepState export format:
    /// DIR/snapshots/<unix seconds>.geojson, DIR/aoi.geojson, DIR/towns.geojson.
    Synth(cli::report::SynthArgs),
    /// Write report.md and SVG charts into DIR: areas by status over time, net change per
    /// week, contested share of the regions, a map of the last week's change, the length of
    /// the line of contact; with --cities and --places, their shares and their distance to
    /// the front. With no snapshots, on a synthetic timeline (written to DIR/synthetic/).
    Report(cli::report::ReportArgs),
    /// Fetch the DeepState map's snapshots missing from DIR (DIR/<id>.geojson.gz, with
    /// --areas DIR/<id>.areas.json): retried on network faults, written complete or not at all.
    #[cfg(feature = "fetch")]
    Fetch(cli::fetch::FetchArgs),
}

fn main() -> ExitCode {
    return_freed_memory_sooner();
    // PROJ logs its own errors to standard error; ours name the file and say it in one line.
    #[cfg(feature = "proj")]
    if std::env::var_os("PROJ_DEBUG").is_none() {
        std::env::set_var("PROJ_DEBUG", "0");
    }
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Scan(args) => cli::measure::scan(args),
        Command::Areas(args) => cli::measure::areas(args),
        Command::Changes(args) => cli::measure::changes(args),
        Command::Reconcile(args) => cli::reconcile::reconcile(args),
        Command::Line(args) => cli::front::line(args),
        Command::Distance(args) => cli::front::distance(args),
        Command::Synth(args) => cli::report::synth(args),
        Command::Report(args) => cli::report::report(args, cli.quiet),
        #[cfg(feature = "fetch")]
        Command::Fetch(args) => cli::fetch::fetch(args, cli.quiet),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("frontline: {error}");
            ExitCode::from(if error.is_bad_input() { 2 } else { 1 })
        }
    }
}
