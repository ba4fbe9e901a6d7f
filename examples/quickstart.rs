//! Load the sample snapshots, measure them, print the occupied and contested areas.
//!
//! `cargo run --release --example quickstart`

use frontline::snapshot_files;
use frontline::{read_area_of_interest, read_regions, RegionOptions};
use frontline::Analysis;

fn main() -> Result<(), frontline::Error> {
    let analysis = Analysis::new()
        .with_clip(read_area_of_interest("examples/data/aoi.geojson".as_ref())?)
        .with_regions(read_regions(&["examples/data/towns.geojson".into()], &RegionOptions::default())?);
    let files = snapshot_files(&["examples/data/snapshots".into()])?;
    for snapshot in analysis.areas(&files)? {
        for row in &snapshot.rows {
            let contested = row.contested_share.unwrap_or(0.0) * 100.0;
            println!("{}  {:<8} occupied {:>8.1} km²  contested {:>6.1} km² ({contested:.1} %)", row.time.format("%Y-%m-%d"), row.region, row.occupied_km2, row.contested_km2);
        }
    }
    Ok(())
}
