//! The engines on single states and pairs of states, through the public API, on a synthetic
//! timeline (no data needed) and, with `FRONTLINE_DATA` set, on two consecutive weeks of the
//! real archive: a state measured from scratch (indexed and plain), and the change between
//! two consecutive states (indexed: cell by cell; plain: whole layers).
//!
//!     cargo bench --bench kernels

use criterion::{criterion_group, criterion_main, Criterion};
use frontline::synth::{Synth, SynthConfig};
use frontline::{Analysis, AreaKm2, Engine, Every, ReadOptions, Resampling, Snapshot, Status};
use std::hint::black_box;

// (the allocator of the `frontline` binary, so that the kernels cost what they cost there)
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn kernels(c: &mut Criterion) {
    let synth = Synth::new(SynthConfig::new().days(60).towns(50)).expect("a valid configuration");
    let days: Vec<_> = synth.snapshots().collect();
    let state = |day: &frontline::synth::SynthSnapshot| {
        Snapshot::from_geojson(&day.file_name(), day.time, &day.to_geojson(), &ReadOptions::default()).expect("synthetic snapshots read")
    };
    let (a, b) = (state(&days[40]), state(&days[41]));
    let occupied = a.polygons(Status::Occupied).iter().max_by_key(|p| p.exterior().0.len()).expect("an occupied polygon").clone();
    c.bench_function("area of the occupied polygon, straight edges", |bench| bench.iter(|| black_box(&occupied).area_km2()));
    c.bench_function("area of the occupied polygon, geodesic edges", |bench| bench.iter(|| black_box(&occupied).geodesic_area_km2()));
    let analysis = Analysis::new().with_clip(synth.aoi_region()).with_regions(synth.town_regions());
    compare(c, "synthetic, 50 towns", &analysis, &a, &b);
    if let Some(data) = std::env::var_os("FRONTLINE_DATA").map(std::path::PathBuf::from) {
        let ukraine = frontline::read_area_of_interest(&data.join("boundaries/ukraine.geojson")).expect("the outline");
        let oblasts = frontline::read_regions(&[data.join("boundaries/ukraine-oblasts")], &Default::default()).expect("the oblasts");
        let read = |name: &str| Snapshot::read(&data.join("deepstate/snapshots").join(name), &ReadOptions::default()).expect("a snapshot");
        let analysis = Analysis::new().with_clip(ukraine).with_regions(oblasts);
        compare(c, "real, 2024-11-03 to 2024-11-10, oblasts", &analysis, &read("1730669408.geojson.gz"), &read("1731271296.geojson.gz"));
    }
}

/// One state from scratch, and the change between two, on both engines.
fn compare(c: &mut Criterion, what: &str, analysis: &Analysis, a: &Snapshot, b: &Snapshot) {
    for engine in [Engine::Indexed, Engine::Plain] {
        let analysis = analysis.clone().with_engine(engine);
        c.bench_function(&format!("one state ({what}): {engine:?}"), |bench| {
            bench.iter(|| analysis.areas([black_box(a).clone()]).expect("measured"))
        });
        let every = Resampling::new(Every::Snapshot);
        c.bench_function(&format!("two states and their change ({what}): {engine:?}"), |bench| {
            bench.iter(|| analysis.changes([black_box(a).clone(), black_box(b).clone()], &every).expect("compared"))
        });
    }
}

criterion_group!(benches, kernels);
criterion_main!(benches);
