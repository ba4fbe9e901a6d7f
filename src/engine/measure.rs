//! Measuring layers within regions.

use crate::engine::layers::Layers;
use crate::geometry::layer::clip_to;
use crate::input::region::Region;
use crate::PerStatus;
use geo::{BoundingRect, Intersects, MultiPolygon};

/// The part of a layer inside a region, by whole-layer boolean operations (the reference
/// path, `--engine plain`).
pub(crate) fn clip_layer(layer: &MultiPolygon<f64>, region: &Region) -> MultiPolygon<f64> {
    let Some(region_box) = region.bbox else {
        return MultiPolygon::new(Vec::new());
    };
    // Only the parts of the layer that can meet the region go through the boolean operation.
    let near: Vec<_> = layer
        .0
        .iter()
        .filter(|p| p.bounding_rect().is_some_and(|b| b.intersects(&region_box)))
        .cloned()
        .collect();
    if near.is_empty() {
        return MultiPolygon::new(Vec::new());
    }
    clip_to(&MultiPolygon::new(near), &region.geometry)
}

/// Areas of every status in every region, by whole-layer boolean operations.
pub(crate) fn measure_plain(layers: &Layers, regions: &[&Region]) -> Vec<PerStatus<f64>> {
    regions
        .iter()
        .map(|region| layers.layers.map(|_, layer| layers.edges.area_km2(&clip_layer(layer, region))))
        .collect()
}
