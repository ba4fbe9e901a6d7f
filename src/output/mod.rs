//! Output: rows as tables, CSV and JSON, change polygons as GeoJSON, the report.

pub mod geojson;
pub mod records;
#[cfg(feature = "report")]
pub mod report;

pub use geojson::{change_features, line_features, write_feature_collection};
pub use records::{write_file_atomically, write_records, Format, RecordWriter};
