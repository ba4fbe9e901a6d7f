//! Output: rows as tables, CSV, JSON and Parquet, change polygons as GeoJSON and
//! GeoParquet, the report.

pub mod geojson;
#[cfg(feature = "parquet")]
pub mod geoparquet;
#[cfg(feature = "parquet")]
mod parquet;
pub mod records;
#[cfg(feature = "report")]
pub mod report;

pub use geojson::{change_features, line_features, write_feature_collection};
#[cfg(feature = "parquet")]
pub use geoparquet::GeoParquetWriter;
pub use records::{write_file_atomically, write_records, Format, RecordWriter};
