//! Output: rows as tables, CSV and JSON, change polygons as GeoJSON, the report.

pub mod records;
pub mod report;

pub use records::{write_file_atomically, write_records, Format};
