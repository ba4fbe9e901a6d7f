//! The engine: layers, the region index, measuring, changes and periods over a timeline.

pub mod analysis;
pub mod change;
pub mod index;
pub mod measure;
pub mod periods;
