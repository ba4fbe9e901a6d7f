//! Geometry: area on the ellipsoid, repair, boolean operations, validity, the grid,
//! convex clipping, boundaries and fingerprints; edges on the ellipsoid, nearest points
//! and the line of contact.

pub(crate) mod area;
pub(crate) mod boundary;
pub(crate) mod convex;
pub(crate) mod distance;
pub(crate) mod edge;
pub(crate) mod fingerprint;
pub(crate) mod grid;
pub(crate) mod layer;
pub(crate) mod line;
pub(crate) mod overlap_area;
pub(crate) mod overlay;
pub(crate) mod sphere;
pub(crate) mod validity;
