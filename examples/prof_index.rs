//! Where the indexed engine spends its time on a folder of snapshots (a development aid).
use frontline::index::Timeline;
use frontline::read::{read_snapshot, snapshot_files};
use frontline::region::{read_area_of_interest, read_regions};
use std::time::{Duration, Instant};

fn main() -> Result<(), frontline::Error> {
    let d = std::env::args().nth(1).unwrap_or_else(|| "../shared/data".into());
    let d = std::path::Path::new(&d);
    let analysis = frontline::Analysis::new()
        .with_clip(read_area_of_interest(&d.join("boundaries/ukraine.geojson"))?)
        .with_regions(read_regions(&[d.join("boundaries/ukraine-oblasts")], "name:en")?);
    let index = analysis.region_index();
    let files = snapshot_files(&[d.join("deepstate/snapshots")])?;
    let (mut read, mut measure) = (Duration::ZERO, Duration::ZERO);
    let mut timeline = Timeline::new();
    for f in &files {
        let t = Instant::now();
        let s = read_snapshot(f, &analysis.read)?;
        read += t.elapsed();
        let t = Instant::now();
        timeline.advance(&index, &s);
        measure += t.elapsed();
    }
    println!("read {read:?} measure {measure:?} {:?}", timeline.stats);
    Ok(())
}
