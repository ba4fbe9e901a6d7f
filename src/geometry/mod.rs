//! Geometry: area on the ellipsoid, repair, boolean operations, validity, the grid,
//! convex clipping, boundaries and fingerprints.

pub mod area;
pub(crate) mod boundary;
pub mod convex;
pub(crate) mod fingerprint;
pub mod grid;
pub mod layer;
pub mod overlay;
pub mod validity;
