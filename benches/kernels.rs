//! Kernels of the pipeline on a synthetic timeline (no data needed): geodesic area, repair,
//! grid cut, a snapshot through the indexed engine, one town asked of a state (its R-tree
//! of layer pieces against whole layers), and the change between two consecutive
//! snapshots, cell by cell against whole layers.
//!
//!     cargo bench --bench kernels

use criterion::{criterion_group, criterion_main, Criterion};
use frontline::change::Change;
use frontline::grid::Grid;
use frontline::index::{change_between, RegionIndex, Timeline};
use frontline::layer::{Layers, Repair};
use frontline::synth::{Synth, SynthConfig};
use frontline::{AreaKm2, Status};
use std::hint::black_box;

// (the allocator of the `frontline` binary, so that the kernels cost what they cost there)
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn kernels(c: &mut Criterion) {
    let synth = Synth::new(SynthConfig::new().days(60).towns(50)).expect("a valid configuration");
    let days: Vec<_> = synth.snapshots().collect();
    let a = days[40].polygons();
    let occupied = a[Status::Occupied].iter().max_by_key(|p| p.exterior().0.len()).expect("an occupied polygon").clone();
    let aoi = synth.aoi_region();
    let towns = synth.town_regions();

    c.bench_function("geodesic area of the occupied polygon", |bench| bench.iter(|| black_box(&occupied).area_km2()));
    c.bench_function("repair of the occupied polygon", |bench| bench.iter(|| black_box(&occupied).repair()));
    c.bench_function("grid cut of the occupied polygon", |bench| bench.iter(|| Grid::default().cut(black_box(&occupied))));

    let index = RegionIndex::new(Grid::default(), Some(&aoi), &towns);
    let snapshot = |day: &frontline::synth::SynthSnapshot| {
        let bytes = day.to_geojson();
        frontline::read::parse_snapshot(day.file_name().as_ref(), &bytes, &frontline::ReadOptions::default()).expect("synthetic snapshots read")
    };
    let (sa, sb) = (snapshot(&days[40]), snapshot(&days[41]));
    c.bench_function("indexed engine: a snapshot from scratch", |bench| {
        bench.iter(|| Timeline::new().advance(&index, black_box(&sa)))
    });

    // One town of a state: the pieces its envelope meets against the whole layers.
    compare_town(c, "synthetic", &aoi, &sa, &towns);
    // Consecutive snapshots: whole-layer symmetric difference against cell by cell, both
    // over the area of interest only.
    compare_changes(c, "synthetic", &aoi, &sa, &sb);
    // And on two consecutive weeks of the real archive, when it is at hand.
    if let Some(data) = std::env::var_os("FRONTLINE_DATA").map(std::path::PathBuf::from) {
        let ukraine = frontline::region::read_area_of_interest(&data.join("boundaries/ukraine.geojson")).expect("the outline");
        let read = |name: &str| {
            frontline::read::read_snapshot(&data.join("deepstate/snapshots").join(name), &frontline::ReadOptions::default()).expect("a snapshot")
        };
        compare_changes(c, "real, 2024-11-03 to 2024-11-10", &ukraine, &read("1730669408.geojson.gz"), &read("1731271296.geojson.gz"));
        let towns = frontline::region::read_regions(&[data.join("regions/front-towns-500.geojson")], "name").expect("the towns");
        compare_town(c, "real, 2024-11-10", &ukraine, &read("1731271296.geojson.gz"), &towns);
    }
}

/// The town with the most grey zone in it (the most work either way), measured on whole
/// layers and from a state's R-tree of layer pieces.
fn compare_town(c: &mut Criterion, what: &str, aoi: &frontline::Region, state: &frontline::Snapshot, towns: &[frontline::Region]) {
    let layers = Layers::build(&state.polygons, Some(&aoi.geometry));
    let contested = frontline::measure::measure_plain(&layers, towns);
    let busiest = (0..towns.len()).max_by(|a, b| contested[*a].contested.total_cmp(&contested[*b].contested)).expect("towns");
    let town = &towns[busiest];
    c.bench_function(&format!("one town ({what}): whole layers"), |bench| {
        bench.iter(|| frontline::measure::measure_plain(black_box(&layers), std::slice::from_ref(town)))
    });
    let index = RegionIndex::new(Grid::default(), Some(aoi), &[]);
    let mut timeline = Timeline::new();
    timeline.advance(&index, state);
    let cells = timeline.cell_map();
    c.bench_function(&format!("one town ({what}): pieces from the R-tree"), |bench| {
        bench.iter(|| cells.areas_within(Grid::default(), black_box(&town.geometry)))
    });
}

fn compare_changes(c: &mut Criterion, what: &str, aoi: &frontline::Region, a: &frontline::Snapshot, b: &frontline::Snapshot) {
    let (la, lb) = (Layers::build(&a.polygons, Some(&aoi.geometry)), Layers::build(&b.polygons, Some(&aoi.geometry)));
    c.bench_function(&format!("change ({what}): whole layers"), |bench| {
        bench.iter(|| Change::between(black_box(&la), black_box(&lb)).areas())
    });
    let index = RegionIndex::new(Grid::default(), Some(aoi), &[]);
    let mut timeline = Timeline::new();
    timeline.advance(&index, a);
    let before = timeline.cell_map();
    timeline.advance(&index, b);
    let after = timeline.cell_map();
    c.bench_function(&format!("change ({what}): cell by cell"), |bench| {
        bench.iter(|| change_between(&index, black_box(&before), black_box(&after)))
    });
}

criterion_group!(benches, kernels);
criterion_main!(benches);
