//! # frontline
//!
//! Territorial change analytics for conflict control maps. From dated polygon snapshots of
//! who holds what (the DeepState map of the war in Ukraine, or any GeoJSON with a status
//! property), `frontline` measures the area each side controls, the contested share of any
//! region, and how both change over time, geodesically on the WGS84 ellipsoid.
//!
//! The pipeline, one module per step:
//!
//! - [`read`]: files, GeoJSON, snapshot times, [`classify`]ing features into [`Status`]es;
//! - [`layer`]: repairing, dissolving, clipping and making the status layers disjoint;
//! - [`area`]: geodesic area in km², ring by ring and orientation-proof;
//! - [`region`]: the regions measured and the area of interest;
//! - [`measure`]: areas per status per region, on whole layers (the plain engine);
//! - [`grid`] and [`index`]: the indexed engine, the performance core: polygons cut into
//!   the cells of an aligned grid, regions' and layers' pieces in `rstar` R-trees, and
//!   from one snapshot to the next, unchanged polygons and cells reused;
//! - [`analysis`]: the whole job over many snapshots, in parallel;
//! - [`synth`]: realistic synthetic timelines from a seed, for examples, tests and benchmarks.
//! - [`timeline`]: resampling snapshots to days, weeks or months;
//! - [`change`]: gained, lost, net and transitions between two states, per region;
//! - [`report`]: `report.md` and SVG charts people read.
//!
//! ```
//! use frontline::{Analysis, Region, AreaKm2};
//! use geo::polygon;
//!
//! // A snapshot in the DeepState export format, in memory: the west half of a town is
//! // occupied, a strip east of it is grey zone.
//! let snapshot = r#"{"type":"FeatureCollection","features":[
//!   {"type":"Feature","properties":{"name":"Окуповано /// Occupied /// geoJSON.status.occupied"},
//!    "geometry":{"type":"Polygon","coordinates":[[[37,48],[37.05,48],[37.05,48.1],[37,48.1],[37,48]]]}},
//!   {"type":"Feature","properties":{"name":"Статус невідомий /// Unknown status"},
//!    "geometry":{"type":"Polygon","coordinates":[[[37.05,48],[37.07,48],[37.07,48.1],[37.05,48.1],[37.05,48]]]}}]}"#;
//! let town = polygon![(x: 37., y: 48.), (x: 37.1, y: 48.), (x: 37.1, y: 48.1), (x: 37., y: 48.1)];
//! let analysis = Analysis::new().with_regions(vec![Region::new("town", vec![town.clone()])]);
//! let areas = analysis.areas_of_bytes("1754251105.geojson".as_ref(), snapshot.as_bytes())?;
//! let row = &areas.rows[1];
//! assert_eq!(row.region, "town");
//! assert!((row.occupied_share.unwrap() - 0.5).abs() < 1e-4);
//! assert!((row.contested_share.unwrap() - 0.2).abs() < 1e-4);
//! # Ok::<(), frontline::Error>(())
//! ```
#![warn(missing_docs)]

pub mod engine;
pub mod error;
pub mod geometry;
pub mod input;
pub mod output;
mod status;
pub mod synth;

pub use engine::analysis::Analysis;
pub use geometry::area::AreaKm2;
pub use engine::changes::ChangeRow;
pub use engine::diff::Change;
pub use input::classify::Classifier;
pub use error::{Error, Result};
pub use engine::layers::Layers;
pub use engine::measure::{AreaRow, SnapshotAreas};
pub use input::read::{ReadOptions, ScanReport, Snapshot};
pub use input::region::Region;
pub use status::{PerStatus, Status};

// (old paths, until the public API is narrowed)
pub use engine::{analysis, index, measure, periods as timeline};
/// (old path)
pub mod change {
    pub use crate::engine::changes::*;
    pub use crate::engine::diff::*;
}
pub use geometry::{area, convex, grid, overlay, validity};
/// (old path)
pub mod layer {
    pub use crate::engine::layers::Layers;
    pub use crate::geometry::layer::*;
}
pub use input::{classify, crs, read, region, time};
pub use output::{records as output_records, report};
pub use engine::layers;
