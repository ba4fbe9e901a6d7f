//! Input: snapshot files and GeoJSON, times, classification, coordinate systems, regions.

pub(crate) mod classify;
pub(crate) mod crs;
#[cfg(feature = "fetch")]
pub mod fetch;
pub(crate) mod geojson;
pub(crate) mod place;
pub(crate) mod published;
pub(crate) mod read;
pub(crate) mod region;
pub(crate) mod snapshot;
pub(crate) mod time;
