//! The contested share of a few towns, week by week, on the built-in synthetic timeline.
//!
//! `cargo run --release --example city_watch [TOWNS]` (default 5: town-001 to town-005)

use frontline::synth::{Synth, SynthConfig};
use frontline::{Every, Resampling};
use frontline::{Analysis, Error, ReadOptions, Snapshot};
use std::io::Write;

fn main() -> Result<(), Error> {
    let watched: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(5);
    // 120 days of the synthetic war, in memory: no files needed.
    let synth = Synth::new(SynthConfig::new().days(120))?;
    let towns: Vec<_> = synth.town_regions().into_iter().take(watched).collect();
    let analysis = Analysis::new().with_clip(synth.aoi_region()).with_regions(towns.clone());
    // Every day's state, made in memory as the DeepState export would write it, and read as
    // the map's files are.
    let states = synth.snapshots().map(|day| Snapshot::from_geojson(&day.file_name(), day.time, &day.to_geojson(), &ReadOptions::default()));
    let rows = analysis.areas(states)?;
    let times: Vec<_> = rows.iter().map(|r| r.time).collect();
    let weeks = Resampling::new(Every::Week).timeline(&times);
    let mut out = std::io::stdout().lock();
    let header: Vec<String> = towns.iter().map(|t| format!("{:>9}", t.name)).collect();
    let _ = writeln!(out, "week      as of       {}", header.join(" "));
    for week in &weeks.periods {
        let areas = &rows[week.to];
        let shares: Vec<String> = areas.rows[1..]
            .iter()
            .map(|r| format!("{:>8.1}%", r.contested_share.unwrap_or(0.0) * 100.0))
            .collect();
        let _ = writeln!(out, "{}  {}  {}", week.label, areas.time.format("%Y-%m-%d"), shares.join(" "));
    }
    Ok(())
}
