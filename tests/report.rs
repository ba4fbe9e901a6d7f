//! `frontline report`: report.md and the charts, on a synthetic timeline and the real archive.

mod common;

use frontline::output::report::{format_km2, format_share, synthetic_inputs, write_report, ReportOptions, CHARTS};
use frontline::snapshot_files;
use frontline::{read_area_of_interest, read_regions, RegionOptions};
use frontline::synth::SynthConfig;
use frontline::{Analysis, Status};
use std::path::{Path, PathBuf};
use std::process::Command;

fn fresh(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn check_charts(dir: &Path, markdown: &str) {
    for chart in CHARTS {
        let svg = std::fs::read_to_string(dir.join(chart)).unwrap();
        assert!(svg.trim_start().starts_with("<svg"), "{chart} does not start with <svg");
        assert!(svg.trim_end().ends_with("</svg>"), "{chart} is not closed");
        assert!(svg.contains("<text"), "{chart} has no text");
        assert!(markdown.contains(&format!("]({chart})")), "report.md does not embed {chart}");
    }
}

#[test]
fn a_synthetic_report_has_its_charts_and_the_library_s_figures() {
    let out = fresh("report-synthetic");
    let inputs = synthetic_inputs(&SynthConfig::new().days(45).towns(8).seed(3), &out.join("synthetic")).unwrap();
    let summary = write_report(&inputs.analysis, &inputs.files, &out, &inputs.options).unwrap();
    assert_eq!(summary.snapshots, 45);
    let markdown = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(markdown.lines().next().unwrap().contains("synthetic"));
    assert_eq!(markdown.lines().next().unwrap(), summary.first_line);
    check_charts(&out, &markdown);
    // The headline: the latest areas as Analysis::areas computes them, measured apart.
    let analysis = Analysis::new()
        .with_clip(read_area_of_interest(&out.join("synthetic/aoi.geojson")).unwrap())
        .with_regions(read_regions(&[out.join("synthetic/towns.geojson")], &RegionOptions::default()).unwrap());
    let files = snapshot_files(&[out.join("synthetic/snapshots")]).unwrap();
    let areas = analysis.areas(&files[files.len() - 1..]).unwrap();
    let total = &areas[0].rows[0];
    for status in Status::ALL {
        let line = markdown.lines().find(|l| l.starts_with(&format!("| {} |", status.as_str()))).unwrap();
        let km2 = format_km2(total.status_km2(status));
        let share = format_share(total.status_km2(status) / total.region_km2.unwrap());
        assert!(line.contains(&format!("| {km2} | {share} |")), "{line} lacks {km2} and {share}");
    }
    assert!(total.occupied_km2 > 100_000.0);
    // Run again into the same folder: the synthetic timeline is replaced, not mixed.
    let again = synthetic_inputs(&SynthConfig::new().days(10).towns(3), &out.join("synthetic")).unwrap();
    assert_eq!(again.files.len(), 10);
}

#[test]
fn a_report_without_regions_or_clip_on_the_sample() {
    let out = fresh("report-sample");
    let files = snapshot_files(&["examples/data/snapshots".into()]).unwrap();
    let summary = write_report(&Analysis::new(), &files, &out, &ReportOptions::new("the sample")).unwrap();
    assert_eq!(summary.snapshots, 3);
    let markdown = std::fs::read_to_string(&summary.markdown).unwrap();
    assert!(markdown.starts_with("# Report on the sample: 3 snapshots from 2024-11-01 to 2024-11-15"), "{markdown}");
    check_charts(&out, &markdown);
    assert!(write_report(&Analysis::new(), Vec::<std::path::PathBuf>::new(), &out, &ReportOptions::new("nothing")).is_err());
}

#[test]
fn the_binary_reports_on_synthetic_data_without_snapshots() {
    let out = fresh("report-cli");
    let run = Command::new(env!("CARGO_BIN_EXE_frontline")).args(["report", "--out"]).arg(&out).output().unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&run.stderr));
    assert!(stdout.lines().next().unwrap().contains("SYNTHETIC"), "{stdout}");
    // Piped: no progress bar on standard error.
    assert!(run.stderr.is_empty(), "{}", String::from_utf8_lossy(&run.stderr));
    let markdown = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(markdown.lines().next().unwrap().contains("synthetic"));
    check_charts(&out, &markdown);
}

#[test]
fn the_real_archive_report() {
    let Some(data) = common::data_dir() else { return };
    let out = fresh("report-real");
    let analysis = Analysis::new()
        .with_clip(read_area_of_interest(&data.join("boundaries/ukraine.geojson")).unwrap())
        .with_regions(read_regions(&[data.join("boundaries/ukraine-oblasts")], &RegionOptions::default().name_fields(["name:en"])).unwrap());
    let files = snapshot_files(&[data.join("deepstate/snapshots")]).unwrap();
    let began = std::time::Instant::now();
    let summary = write_report(&analysis, &files, &out, &ReportOptions::new("DeepState")).unwrap();
    eprintln!("real report in {:.1} s", began.elapsed().as_secs_f64());
    assert_eq!(summary.snapshots, files.len());
    let markdown = std::fs::read_to_string(&summary.markdown).unwrap();
    check_charts(&out, &markdown);
    assert!(markdown.contains("Donetsk Oblast"));
    let share = summary.latest.occupied_share.unwrap();
    assert!((0.15..0.25).contains(&share), "occupied share {share}");
    assert!(markdown.contains(&format_share(share)));
}
