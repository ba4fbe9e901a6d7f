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

pub mod analysis;
pub mod area;
mod boundary;
mod fingerprint;
pub mod change;
pub mod classify;
pub mod convex;
pub mod crs;
pub mod error;
#[cfg(feature = "fetch")]
pub mod fetch;
mod geojson;
pub mod grid;
pub mod index;
pub mod layer;
pub mod measure;
pub mod output;
pub mod overlay;
pub mod read;
pub mod region;
pub mod report;
mod status;
pub mod synth;
pub mod time;
pub mod validity;
pub mod timeline;

pub use analysis::Analysis;
pub use area::AreaKm2;
pub use change::{Change, ChangeRow};
pub use classify::Classifier;
pub use error::{Error, Result};
pub use layer::Layers;
pub use measure::{AreaRow, SnapshotAreas};
pub use read::{ReadOptions, ScanReport, Snapshot};
pub use region::Region;
pub use status::{PerStatus, Status};
