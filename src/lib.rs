//! # frontline
//!
//! Territorial change analytics for conflict control maps. From dated polygon snapshots of
//! who holds what (the DeepState map of the war in Ukraine, or any GeoJSON with a status
//! property), `frontline` measures the area each side controls, the contested share of any
//! region, and how both change over time, on the WGS84 ellipsoid.
//!
//! The pieces a program needs:
//!
//! - a [`Snapshot`] is one state of the map: read from a file, parsed from GeoJSON in
//!   memory, or built from `geo-types` polygons by status;
//! - a [`Region`] is where areas are measured ([`read_regions`] reads them from GeoJSON,
//!   with the [`RegionOptions`] real boundary files need), the area of interest one too;
//! - an [`Analysis`] holds the settings and runs: [`Analysis::areas`] (one [`AreaRow`] per
//!   snapshot and region), [`Analysis::changes`] (one [`ChangeRow`] per period and region,
//!   periods as a [`Resampling`] says), [`Analysis::line`] (the length of the line of
//!   contact, one [`LineRow`] per state and region) and [`Analysis::distance`] (how far each
//!   [`Place`] is from the front, one [`DistanceRow`] per state and place; [`read_places`]
//!   reads places as [`read_regions`] reads regions), each also streaming (`areas_each`,
//!   `changes_each`, `line_each`, `distance_each`); all take files or states in memory, any
//!   iterator of them ([`SnapshotInput`]);
//! - [`output`] writes rows as a table, CSV, JSON or Parquet, change polygons as GeoJSON
//!   or GeoParquet, and the report (`report.md` and SVG charts); [`synth`] makes realistic
//!   synthetic timelines.
//!
//! ```
//! use frontline::{Analysis, PerStatus, Region, Snapshot};
//! use geo::polygon;
//!
//! // A state of the map held in memory: the west half of a town is occupied, a strip east
//! // of it is grey zone.
//! let occupied = polygon![(x: 37., y: 48.), (x: 37.05, y: 48.), (x: 37.05, y: 48.1), (x: 37., y: 48.1)];
//! let grey = polygon![(x: 37.05, y: 48.), (x: 37.07, y: 48.), (x: 37.07, y: 48.1), (x: 37.05, y: 48.1)];
//! let time = "2025-08-03T19:58:25Z".parse().unwrap();
//! let state = Snapshot::new("today", time, PerStatus { occupied: vec![occupied], contested: vec![grey], ..PerStatus::default() })?;
//! let town = polygon![(x: 37., y: 48.), (x: 37.1, y: 48.), (x: 37.1, y: 48.1), (x: 37., y: 48.1)];
//! let analysis = Analysis::new().with_regions(vec![Region::new("town", vec![town])]);
//! let areas = analysis.areas([state])?;
//! let row = &areas[0].rows[1];
//! assert_eq!(&*row.region, "town");
//! assert!((row.occupied_share.unwrap() - 0.5).abs() < 1e-4);
//! assert!((row.contested_share.unwrap() - 0.2).abs() < 1e-4);
//! # Ok::<(), frontline::Error>(())
//! ```
//!
//! ## Features
//!
//! `cli` (the `frontline` command), `report` (`report.md` and its charts), `fetch` (an
//! HTTP client for the map's API, [`fetch`]) and `parquet` (Parquet rows and GeoParquet
//! change polygons, with the Apache Arrow crates) are on by default;
//! `frontline = { version = "0.2", default-features = false }` builds the engine alone. `proj` reads other coordinate systems (it builds PROJ from source).
#![deny(missing_docs)]

mod engine;
mod error;
mod geometry;
mod input;
pub mod output;
mod status;
pub mod synth;
#[cfg(test)]
mod test_data;

pub use engine::analysis::{Analysis, Engine};
pub use engine::changes::{Changes, ChangesSummary};
pub use engine::diff::{Change, ChangeAreas, Transitions};
pub use engine::front::{DistanceRow, Distances, LineOptions, LineRow, Lines, SnapshotDistances, SnapshotLines};
pub use engine::periods::{parse_offset, Every, Period, Periods, Resampling, Skipped};
pub use engine::rows::{AreaRow, ChangeRow, PeriodChange, SnapshotAreas};
pub use engine::source::SnapshotInput;
pub use engine::states::StatesSummary;
pub use error::{Error, Result};
pub use geometry::area::AreaKm2;
pub use geometry::layer::EdgeModel;
pub use geometry::sphere::SphereAreaKm2;
pub use engine::reconcile::{Reconciliation, ReconcileNote, ReconcileRow};
pub use input::classify::{Classification, Classifier, Unclassified};
pub use input::read::{snapshot_files, ReadOptions};
pub use input::snapshot::{ScanReport, Warning, WarningKind};
pub use input::place::{read_places, Place};
pub use input::region::{read_area_of_interest, read_area_of_interest_with, read_regions, Region, RegionOptions};
pub use input::snapshot::Snapshot;
#[cfg(feature = "fetch")]
pub use input::fetch;
pub use status::{PerStatus, Status};
