//! The library over states held in memory gives what it gives over the files they were
//! read from, byte for byte: the 209 snapshots of the archive, per oblast, areas and weekly
//! changes; and the settings of an analysis are checked before anything runs.

mod common;

use common::data_dir;
use frontline::output::{Format, RecordWriter};
use frontline::{read_area_of_interest, read_regions, snapshot_files, Analysis, Every, ReadOptions, RegionOptions, Resampling, Snapshot};

/// The rows as the CLI writes them in JSON.
fn json<T: serde::Serialize + Sync + Clone>(rows: &[T]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut writer = RecordWriter::new(Format::Json, &mut out);
    writer.write(rows).unwrap();
    writer.finish().unwrap();
    out
}

#[test]
fn states_in_memory_give_the_files_figures_byte_for_byte() {
    let Some(data) = data_dir() else { return };
    let analysis = Analysis::new()
        .with_clip(read_area_of_interest(&data.join("boundaries/ukraine.geojson")).unwrap())
        .with_regions(read_regions(&[data.join("boundaries/ukraine-oblasts")], &RegionOptions::default().name_fields(["name:en"])).unwrap());
    let files = snapshot_files(&[data.join("deepstate/snapshots")]).unwrap();
    assert_eq!(files.len(), 209);
    // The states, read one at a time as the engine asks for them (never all at once).
    let states = || files.iter().map(|f| Snapshot::read(f, &ReadOptions::default()));

    let rows = |areas: Vec<frontline::SnapshotAreas>| areas.into_iter().flat_map(|a| a.rows).collect::<Vec<_>>();
    let from_files = json(&rows(analysis.areas(&files).unwrap()));
    let from_memory = json(&rows(analysis.areas(states()).unwrap()));
    assert_eq!(from_files.len(), from_memory.len());
    assert!(from_files == from_memory, "areas differ");
    assert_eq!(from_files.iter().filter(|b| **b == b'{').count(), 209 * 28);

    let weeks = Resampling::new(Every::Week);
    let from_files = json(&analysis.changes(&files, &weeks).unwrap().rows);
    let from_memory = json(&analysis.changes(states(), &weeks).unwrap().rows);
    assert!(from_files == from_memory, "weekly changes differ");
    eprintln!("areas and weekly changes over 209 snapshots: files and memory byte-identical ({} bytes of weekly changes)", from_files.len());
}

#[test]
fn states_out_of_time_order_or_twice_at_one_time_are_refused() {
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data/snapshots");
    let read = |name: &str| Snapshot::read(&sample.join(name), &ReadOptions::default()).unwrap();
    let (a, b) = (read("1730419200.geojson"), read("1731024000.geojson"));
    let error = Analysis::new().areas([b.clone(), a.clone()]).unwrap_err().to_string();
    assert!(error.contains("states must come in time order"), "{error}");
    let error = Analysis::new().areas([a.clone(), a]).unwrap_err().to_string();
    assert!(error.contains("two snapshots for the same time"), "{error}");
}

#[test]
fn settings_that_cannot_be_honoured_are_refused_before_anything_runs() {
    let files = snapshot_files(&["examples/data/snapshots".into()]).unwrap();
    for cell in [0.0, -1.0, f64::NAN, 91.0] {
        let error = Analysis::new().with_cell_deg(cell).areas(&files).unwrap_err();
        assert!(error.to_string().contains("cell size"), "{error}");
        assert!(error.is_bad_input());
    }
    let error = Analysis::new().with_edges(frontline::EdgeModel::Geodesic(-5.0)).areas(&files).unwrap_err();
    assert!(error.to_string().contains("edge length"), "{error}");
    use geo::polygon;
    let square = polygon![(x: 37., y: 48.), (x: 37.1, y: 48.), (x: 37.1, y: 48.1), (x: 37., y: 48.1)];
    let twice = vec![frontline::Region::new("town", vec![square.clone()]), frontline::Region::new("town", vec![square])];
    let error = Analysis::new().with_regions(twice.clone()).areas(&files).unwrap_err().to_string();
    assert!(error.contains("two regions are named `town`") && error.contains("id"), "{error}");
    // With ids, two regions may share a name.
    let ids: Vec<_> = twice.into_iter().enumerate().map(|(i, r)| r.with_id(format!("relation/{i}"))).collect();
    assert!(Analysis::new().with_regions(ids).areas(&files).is_ok());
}
