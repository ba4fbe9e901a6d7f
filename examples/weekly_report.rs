//! The main job: a full report (report.md and five SVG charts).
//!
//! ```sh
//! # on the built-in synthetic timeline (a year, 20 towns), into ./report
//! cargo run --release --example weekly_report
//! # on a folder of snapshots, into ./report
//! cargo run --release --example weekly_report -- ../shared/data/deepstate/snapshots
//! # ... clipped to an area of interest, with regions (files or folders; `name:en` names
//! # the oblasts of the shared data, `name` anything else)
//! cargo run --release --example weekly_report -- ../shared/data/deepstate/snapshots \
//!     ../shared/data/boundaries/ukraine.geojson ../shared/data/boundaries/ukraine-oblasts
//! ```
//!
//! Arguments: SNAPSHOTS [CLIP [REGIONS]]. The output folder is `./report`, or `$REPORT_DIR`.

use frontline::snapshot_files;
use frontline::{read_area_of_interest, read_regions, RegionOptions};
use frontline::output::report::{synthetic_inputs, write_report, ReportOptions};
use frontline::synth::SynthConfig;
use frontline::Analysis;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("weekly_report: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), frontline::Error> {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let out = std::env::var_os("REPORT_DIR").map_or_else(|| PathBuf::from("report"), PathBuf::from);
    let began = std::time::Instant::now();
    let (analysis, files, options) = match args.as_slice() {
        [] => {
            println!("weekly_report: no snapshots given: a report on SYNTHETIC data (frontline's built-in timeline), into {}", out.display());
            let inputs = synthetic_inputs(&SynthConfig::new(), &out.join("synthetic"))?;
            (inputs.analysis, inputs.files, inputs.options)
        }
        [snapshots, rest @ ..] => {
            println!("weekly_report: a report on {} into {}", snapshots.display(), out.display());
            let mut analysis = Analysis::new();
            if let Some(clip) = rest.first() {
                analysis = analysis.with_clip(read_area_of_interest(clip)?);
            }
            if let Some(regions) = rest.get(1) {
                // The oblasts of the shared data are named by `name:en`; other files by `name`.
                let names = RegionOptions::default().name_fields(["name:en", "name"]);
                analysis = analysis.with_regions(read_regions(std::slice::from_ref(regions), &names)?);
            }
            let files = snapshot_files(std::slice::from_ref(snapshots))?;
            (analysis, files, ReportOptions::new(format!("the snapshots in {}", snapshots.display())))
        }
    };
    let summary = write_report(&analysis, &files, &out, &options)?;
    println!("wrote {} and {} charts ({} snapshots) in {:.1} s", summary.markdown.display(), summary.charts.len(), summary.snapshots, began.elapsed().as_secs_f64());
    Ok(())
}
