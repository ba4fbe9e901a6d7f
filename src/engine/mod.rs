//! The engine: layers, the region index, measuring, changes and periods over a timeline.

pub mod analysis;
pub mod layers;
pub mod changes;
pub mod diff;
pub mod index;
pub mod measure;
pub mod periods;
