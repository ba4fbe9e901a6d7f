//! Measuring layers within regions.

use crate::engine::layers::Layers;
use crate::geometry::layer::clip_to;
use crate::input::region::Region;
use crate::{PerStatus, Status};
use geo::{BoundingRect, Intersects, MultiPolygon};
use serde::Serialize;

/// The areas of one region in one snapshot: one row of `frontline areas`.
///
/// Its JSON form is the CLI's, key for key.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaRow {
    /// The snapshot time, RFC 3339 UTC.
    pub time: String,
    /// The snapshot's file name.
    pub snapshot: String,
    /// The region name, or `total` for the whole area of interest.
    pub region: String,
    /// The region's area; `None` for the `total` row without an area of interest.
    pub region_km2: Option<f64>,
    /// Occupied area within the region.
    pub occupied_km2: f64,
    /// Contested (grey zone) area within the region.
    pub contested_km2: f64,
    /// Liberated area within the region.
    pub liberated_km2: f64,
    /// Region area less occupied and contested area.
    pub held_km2: Option<f64>,
    /// Occupied area over region area.
    pub occupied_share: Option<f64>,
    /// Contested area over region area.
    pub contested_share: Option<f64>,
}

impl AreaRow {
    /// A row from the region's area (if bounded) and the area of each status in it.
    pub fn new(time: &str, snapshot: &str, region: &str, region_km2: Option<f64>, areas: &PerStatus<f64>) -> AreaRow {
        let held = region_km2.map(|r| (r - areas.occupied - areas.contested).max(0.0));
        let share = |a: f64| region_km2.map(|r| if r > 0.0 { a / r } else { 0.0 });
        AreaRow {
            time: time.to_string(),
            snapshot: snapshot.to_string(),
            region: region.to_string(),
            region_km2,
            occupied_km2: areas.occupied,
            contested_km2: areas.contested,
            liberated_km2: areas.liberated,
            held_km2: held,
            occupied_share: share(areas.occupied),
            contested_share: share(areas.contested),
        }
    }

    /// The area of one status.
    pub fn status_km2(&self, status: Status) -> f64 {
        match status {
            Status::Occupied => self.occupied_km2,
            Status::Contested => self.contested_km2,
            Status::Liberated => self.liberated_km2,
        }
    }
}

/// The areas of one snapshot: the `total` row first, then one row per region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotAreas {
    /// The snapshot time, RFC 3339 UTC.
    pub time: String,
    /// The snapshot's file name.
    pub snapshot: String,
    /// The rows, `total` first.
    pub rows: Vec<AreaRow>,
    /// What reading the snapshot found (warnings, unclassified and repaired polygons); not
    /// part of the serialized rows.
    #[serde(skip)]
    pub report: crate::ScanReport,
}

/// The part of a layer inside a region, by whole-layer boolean operations (the reference
/// path, `--engine plain`).
pub fn clip_layer(layer: &MultiPolygon<f64>, region: &Region) -> MultiPolygon<f64> {
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
pub fn measure_plain(layers: &Layers, regions: &[Region]) -> Vec<PerStatus<f64>> {
    regions
        .iter()
        .map(|region| layers.layers.map(|_, layer| layers.edges.area_km2(&clip_layer(layer, region))))
        .collect()
}
