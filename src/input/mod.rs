//! Input: snapshot files and GeoJSON, times, classification, coordinate systems, regions.

pub mod classify;
pub mod crs;
pub(crate) mod geojson;
pub mod read;
pub mod region;
pub mod time;
