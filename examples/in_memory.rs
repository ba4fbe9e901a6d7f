//! A tool that holds its map states itself (from a database, an HTTP response, its own
//! model) and links `frontline`: a short timeline built in memory, no file read or written,
//! measured in two towns, then compared week by week.
//!
//! `cargo run --release --example in_memory`

use chrono::{DateTime, Duration, Utc};
use frontline::{Analysis, Every, PerStatus, Region, Resampling, Snapshot};
use geo::{polygon, Polygon};

/// A box between two longitudes and two latitudes.
fn lon_lat_box(west: f64, east: f64, south: f64, north: f64) -> Polygon<f64> {
    polygon![(x: west, y: south), (x: east, y: south), (x: east, y: north), (x: west, y: north)]
}

fn main() -> Result<(), frontline::Error> {
    // Twenty-one days of a front running north-south, moving 300 m west a day, with a grey
    // zone 2 km wide in front of it; the states are made one at a time as the analysis asks.
    let start: DateTime<Utc> = "2025-10-06T00:00:00Z".parse().expect("a valid time");
    let states = (0..21).map(|day| {
        let front = 37.20 - 0.004 * day as f64; // about 300 m of longitude at 48°N
        let occupied = lon_lat_box(front, 37.60, 47.90, 48.40);
        let grey = lon_lat_box(front - 0.027, front, 47.90, 48.40);
        let polygons = PerStatus { occupied: vec![occupied], contested: vec![grey], ..PerStatus::default() };
        Snapshot::new(format!("day-{day:02}"), start + Duration::days(day), polygons)
    });
    // Two towns: one the front reaches, one it does not.
    let towns = vec![
        Region::new("Eastbrook", vec![lon_lat_box(37.10, 37.16, 48.10, 48.14)]),
        Region::new("Westfield", vec![lon_lat_box(36.90, 36.96, 48.10, 48.14)]),
    ];
    let analysis = Analysis::new().with_clip(Region::new("sector", vec![lon_lat_box(36.80, 37.60, 47.90, 48.40)])).with_regions(towns);

    println!("day     town        occupied   contested");
    analysis.areas_each(states.clone(), |snapshot| {
        for row in snapshot.rows.iter().skip(1) {
            println!(
                "{}  {:<10} {:>8.1} %  {:>8.1} %",
                row.time.format("%Y-%m-%d"),
                row.region,
                100.0 * row.occupied_share.unwrap_or(0.0),
                100.0 * row.contested_share.unwrap_or(0.0)
            );
        }
        Ok(())
    })?;

    println!("\nweek      region      occupied gained (km²)  from the grey zone  from held land");
    let weekly = analysis.changes(states, &Resampling::new(Every::Week))?;
    for row in &weekly.rows {
        println!(
            "{}  {:<10} {:>21.2}  {:>18.2}  {:>14.2}",
            row.period, row.region, row.occupied_gained_km2, row.transitions.contested_to_occupied, row.transitions.held_to_occupied
        );
    }
    for skipped in &weekly.skipped {
        println!("({skipped})");
    }
    Ok(())
}
