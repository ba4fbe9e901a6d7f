//! The engine: the analysis over a timeline. Layers, the region index and its cells, areas,
//! what differs between two states, the changes over periods, and the front state by state
//! (the line of contact, distances to places).

pub(crate) mod analysis;
pub(crate) mod areas;
pub(crate) mod changes;
pub(crate) mod diff;
pub(crate) mod front;
pub(crate) mod index;
pub(crate) mod layers;
pub(crate) mod measure;
pub(crate) mod periods;
pub(crate) mod reconcile;
#[cfg(test)]
mod properties;
pub(crate) mod rows;
pub(crate) mod runs;
pub(crate) mod source;
pub(crate) mod states;
