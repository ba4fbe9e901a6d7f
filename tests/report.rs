//! `frontline report`: report.md and the charts, on a synthetic timeline and the real archive.

mod common;

use frontline::output::report::{format_km2, format_share, synthetic_inputs, write_report, ReportOptions, CHARTS};
use frontline::snapshot_files;
use frontline::synth::SynthConfig;
use frontline::{read_area_of_interest, read_places, read_regions, RegionOptions};
use frontline::{Analysis, Every, LineOptions, Resampling, Status};
use chrono::{DateTime, Duration, Utc};
use std::path::{Path, PathBuf};
use std::process::Command;

fn fresh(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// The part of the report from a heading to the next.
fn section<'a>(markdown: &'a str, heading: &str) -> &'a str {
    let start = markdown.find(&format!("{heading}\n")).unwrap_or_else(|| panic!("no `{heading}` in the report"));
    let rest = &markdown[start + heading.len()..];
    &rest[..rest.find("\n## ").unwrap_or(rest.len())]
}

/// The row of a table that starts with a name.
fn table_row<'a>(text: &'a str, name: &str) -> &'a str {
    text.lines().find(|l| l.starts_with(&format!("| {name} |"))).unwrap_or_else(|| panic!("no row for {name} in\n{text}"))
}

/// The label of the last period that is over by `last` (give or take a day), as the headline
/// picks it.
fn last_complete(periods: &[(String, DateTime<Utc>)], last: DateTime<Utc>) -> String {
    periods.iter().rev().find(|p| p.1 <= last + Duration::days(1)).or(periods.last()).unwrap().0.clone()
}

/// A share change in percentage points, as the report prints it.
fn points(x: f64) -> String {
    let text = format!("{:+.2} pp", x * 100.0);
    if text == "+0.00 pp" || text == "-0.00 pp" { "0.00 pp".into() } else { text }
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

    // The cities (the towns): their shares at the latest snapshot as `Analysis::areas`
    // measures them, and their change over the headline's week and month as
    // `Analysis::changes` measures it (the net change of a status over the town's area).
    let cities = section(&markdown, "## Cities");
    let week = analysis.changes(&files, &Resampling::new(Every::Week)).unwrap().rows;
    let month = analysis.changes(&files, &Resampling::new(Every::Month)).unwrap().rows;
    let last = files.len() - 1;
    let last_time = areas[0].time;
    let ends = |rows: &[frontline::ChangeRow]| -> Vec<(String, DateTime<Utc>)> {
        rows.iter().filter(|r| &*r.region == "total").map(|r| (r.period.clone(), period_end(&r.period))).collect()
    };
    let (week_label, month_label) = (last_complete(&ends(&week), last_time), last_complete(&ends(&month), last_time));
    assert!(cities.contains(&format!("| occupied, week {week_label} |")), "{cities}");
    assert!(cities.contains(&format!("| contested, month {month_label} |")), "{cities}");
    let mut moved = 0;
    for town in &areas[0].rows[1..] {
        let row = table_row(cities, &town.region);
        let change = |rows: &[frontline::ChangeRow], label: &str, status: Status| {
            let r = rows.iter().find(|r| r.period == label && r.region == town.region).unwrap();
            points(r.net_km2(status) / town.region_km2.unwrap())
        };
        let expected = format!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            town.region,
            format_share(town.occupied_share.unwrap()),
            format_share(town.contested_share.unwrap()),
            change(&week, &week_label, Status::Occupied),
            change(&week, &week_label, Status::Contested),
            change(&month, &month_label, Status::Occupied),
            change(&month, &month_label, Status::Contested),
        );
        assert_eq!(row, expected);
        moved += usize::from(expected.matches(" 0.00 pp").count() < 4);
    }
    assert!(moved > 0, "no town changed in {week_label} or {month_label}:\n{cities}");

    // The places (the towns again): their distance at the latest snapshot as
    // `Analysis::distance` measures it, and the approach over the headline's month as the
    // monthly distances give it (the state as of the month's end against its start).
    let places = read_places(&[out.join("synthetic/towns.geojson")], &RegionOptions::default()).unwrap();
    let now = analysis.distance(&files[last..], &places, &Resampling::new(Every::Snapshot)).unwrap().rows;
    let monthly = analysis.distance(&files, &places, &Resampling::new(Every::Month)).unwrap().rows;
    let distances = section(&markdown, "## Distance to the front");
    assert!(distances.contains(&format!("| approach in {month_label} (km/day) |")), "{distances}");
    let km = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.1}"));
    let mut away = 0;
    for place in &now {
        let row = table_row(distances, &place.place);
        assert!(row.starts_with(&format!("| {} | {} | {} |", place.place, km(place.front_km), km(place.occupied_km))), "{row}");
        let month_end = period_end(&month_label);
        let approach = monthly.iter().find(|r| r.place == place.place && r.time == month_end).and_then(|r| r.approach_km_per_day);
        assert!(row.ends_with(&format!(" {} |", approach.map_or("-".to_string(), |a| format!("{a:+.3}")))), "{row} vs {approach:?}");
        away += usize::from(place.front_km.unwrap() > 0.0);
    }
    assert!(away > 0 && away < now.len(), "{distances}");

    // The line of contact's chart ends with the latest snapshot's lengths.
    let line = analysis.line(&files[last..], &Resampling::new(Every::Snapshot), &LineOptions::default()).unwrap().rows;
    let svg = std::fs::read_to_string(out.join("line-of-contact.svg")).unwrap();
    let caption = format!("occupied area&apos;s edge {:.0} km, occupied ∪ contested {:.0} km", line[0].line_km, line[0].line_with_contested_km);
    assert!(svg.contains(&caption), "the chart lacks `{caption}`");
    assert!(line[0].line_km > 100.0);
    // Run again into the same folder: the synthetic timeline is replaced, not mixed.
    let again = synthetic_inputs(&SynthConfig::new().days(10).towns(3), &out.join("synthetic")).unwrap();
    assert_eq!(again.files.len(), 10);
}

/// The end of a week (`2024-W05`) or month (`2024-01`) by its label.
fn period_end(label: &str) -> DateTime<Utc> {
    let midnight = |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).unwrap().and_utc();
    match label.split_once("-W") {
        Some((year, week)) => midnight(chrono::NaiveDate::from_isoywd_opt(year.parse().unwrap(), week.parse().unwrap(), chrono::Weekday::Mon).unwrap()) + Duration::days(7),
        None => midnight(chrono::NaiveDate::parse_from_str(&format!("{label}-01"), "%Y-%m-%d").unwrap().checked_add_months(chrono::Months::new(1)).unwrap()),
    }
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
    // The synthetic towns are the cities and the places.
    for heading in ["## Cities", "## Distance to the front"] {
        assert!(section(&markdown, heading).contains("| town-020 |"), "{heading}");
    }
}

/// The cities and places of the command line, picked by `--where` (values of one key are
/// alternatives): the cities' shares are those `Analysis::areas` measures with them as
/// regions, and both towns are in the distances.
#[test]
fn the_binary_reports_on_cities_and_places() {
    let out = fresh("report-cities");
    let run = Command::new(env!("CARGO_BIN_EXE_frontline"))
        .args(["report", "--clip", "examples/data/aoi.geojson", "--cities", "examples/data/towns.geojson", "--places", "examples/data/towns.geojson"])
        .args(["--where", "name=Westtown", "--where", "name=Easttown", "examples/data/snapshots", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let markdown = std::fs::read_to_string(out.join("report.md")).unwrap();
    check_charts(&out, &markdown);
    let towns = read_regions(&["examples/data/towns.geojson".into()], &RegionOptions::default()).unwrap();
    let analysis = Analysis::new().with_clip(read_area_of_interest("examples/data/aoi.geojson".as_ref()).unwrap()).with_regions(towns);
    let files = snapshot_files(&["examples/data/snapshots".into()]).unwrap();
    let latest = analysis.areas(&files[2..]).unwrap();
    let cities = section(&markdown, "## Cities");
    for town in &latest[0].rows[1..] {
        let row = table_row(cities, &town.region);
        assert!(row.starts_with(&format!("| {} | {} | {} |", town.region, format_share(town.occupied_share.unwrap()), format_share(town.contested_share.unwrap()))), "{row}");
    }
    let distances = section(&markdown, "## Distance to the front");
    assert_eq!(distances.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| place") && !l.starts_with("| ---")).count(), 2, "{distances}");
    // A condition no city or place meets is an error naming it, exit 2.
    let run = Command::new(env!("CARGO_BIN_EXE_frontline"))
        .args(["report", "--cities", "examples/data/towns.geojson", "--where", "name=Northtown", "examples/data/snapshots", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("name=Northtown"), "{stderr}");
}

#[test]
fn the_real_archive_report() {
    let Some(data) = common::data_dir() else { return };
    let out = fresh("report-real");
    let analysis = Analysis::new()
        .with_clip(read_area_of_interest(&data.join("boundaries/ukraine.geojson")).unwrap())
        .with_regions(read_regions(&[data.join("boundaries/ukraine-oblasts")], &RegionOptions::default().name_fields(["name:en"])).unwrap());
    let files = snapshot_files(&[data.join("deepstate/snapshots")]).unwrap();
    // Pokrovsk and Myrnohrad, picked out of the settlements by their ids.
    let settlements = [data.join("boundaries/ukraine-settlements-osm.geojson.gz")];
    let picking = RegionOptions::default().name_fields(["name:en"]).keep_where("@id", "relation/2506125").keep_where("@id", "relation/2910227");
    let cities = read_regions(&settlements, &picking).unwrap();
    let places = read_places(&settlements, &picking).unwrap();
    let options = ReportOptions::new("DeepState").cities(cities.clone()).places(places.clone());
    let began = std::time::Instant::now();
    let summary = write_report(&analysis, &files, &out, &options).unwrap();
    eprintln!("real report in {:.1} s", began.elapsed().as_secs_f64());
    assert_eq!(summary.snapshots, files.len());
    let markdown = std::fs::read_to_string(&summary.markdown).unwrap();
    check_charts(&out, &markdown);
    assert!(markdown.contains("Donetsk Oblast"));
    let share = summary.latest.occupied_share.unwrap();
    assert!((0.15..0.25).contains(&share), "occupied share {share}");
    assert!(markdown.contains(&format_share(share)));
    // How much of Pokrovsk is occupied and contested at the archive's last snapshot, as
    // `Analysis::areas` measures it with the towns as regions; and how far the front is.
    let clip = read_area_of_interest(&data.join("boundaries/ukraine.geojson")).unwrap();
    let last = &files[files.len() - 1..];
    let towns = Analysis::new().with_clip(clip.clone()).with_regions(cities).areas(last).unwrap();
    let distances = Analysis::new().with_clip(clip).distance(last, &places, &Resampling::new(Every::Snapshot)).unwrap().rows;
    for (town, distance) in towns[0].rows[1..].iter().zip(&distances) {
        let row = table_row(section(&markdown, "## Cities"), &town.region);
        assert!(row.starts_with(&format!("| {} | {} | {} |", town.region, format_share(town.occupied_share.unwrap()), format_share(town.contested_share.unwrap()))), "{row}");
        let row = table_row(section(&markdown, "## Distance to the front"), &distance.place);
        assert!(row.starts_with(&format!("| {} | {:.1} | {:.1} |", distance.place, distance.front_km.unwrap(), distance.occupied_km.unwrap())), "{row}");
        eprintln!("{} at {}: {row}", town.region, town.snapshot);
    }
}
