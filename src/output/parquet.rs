//! Records as Parquet: the columns of CSV, typed, written a row group at a time.
//!
//! The columns come from the records' own serialization, as CSV's do: the same names in the
//! same order (nested objects as dotted columns, `transitions.held_to_contested`), so a row
//! type that writes CSV writes Parquet without a line of its own. A column's type is its
//! values':
//!
//! | serialized as | column |
//! | --- | --- |
//! | a time (`crate::input::time::serialize`) | timestamp, microseconds, UTC |
//! | `f32`, `f64` | double (a non-finite number is null, as JSON and CSV leave it out) |
//! | an integer | int64 (a sequence: its length, as in CSV) |
//! | a string, a char, an enum's unit variant | string |
//! | bytes | binary |
//! | `bool` | boolean |
//! | `None`, `()` | null |
//!
//! The type of a column is that of its first value that is not null; a column null in every
//! row of the first row group is a double (every column of frontline's rows that can be null
//! throughout a run is a measure: `region_km2`, `held_km2`, the shares, the rate).
//! [`ParquetRows::with_columns`] declares the columns instead, for a file that must have its
//! schema whether or not a row comes.

use crate::input::time::TIME_NEWTYPE;
use arrow_array::builder::{
    BinaryBuilder, BooleanBuilder, Float64Builder, Int64Builder, StringBuilder, TimestampMicrosecondBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::schema::types::ColumnPath;
use serde::ser::{self, Serialize};
use std::io::{self, Write};
use std::sync::Arc;

/// Rows in a row group: 64 Ki rows is about 13 MB of buffered values for the widest row
/// type (`changes`, 27 columns), and a year of daily areas for 170 regions in one group.
pub(crate) const ROW_GROUP_ROWS: usize = 64 * 1024;

/// Bytes of text and binary values after which a row group is written whatever its rows
/// (a change polygon's WKB can be megabytes).
const ROW_GROUP_BYTES: usize = 64 << 20;

/// The type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Bool,
    Int,
    Float,
    Text,
    Bytes,
    Time,
}

impl Kind {
    fn data_type(self) -> DataType {
        match self {
            Kind::Bool => DataType::Boolean,
            Kind::Int => DataType::Int64,
            Kind::Float => DataType::Float64,
            Kind::Text => DataType::Utf8,
            Kind::Bytes => DataType::Binary,
            Kind::Time => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Bool => "a boolean",
            Kind::Int => "an integer",
            Kind::Float => "a number",
            Kind::Text => "text",
            Kind::Bytes => "bytes",
            Kind::Time => "a time",
        }
    }
}

/// One value of one record.
#[derive(Debug, Clone, Copy)]
enum Cell<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(&'a str),
    Bytes(&'a [u8]),
    /// Microseconds since 1970-01-01T00:00:00Z.
    Time(i64),
}

impl Cell<'_> {
    fn kind(&self) -> Option<Kind> {
        match self {
            Cell::Null => None,
            Cell::Bool(_) => Some(Kind::Bool),
            Cell::Int(_) => Some(Kind::Int),
            Cell::Float(_) => Some(Kind::Float),
            Cell::Text(_) => Some(Kind::Text),
            Cell::Bytes(_) => Some(Kind::Bytes),
            Cell::Time(_) => Some(Kind::Time),
        }
    }

    /// Roughly what the value holds in memory, to bound a row group.
    fn bytes(&self) -> usize {
        match self {
            Cell::Text(s) => s.len() + 4,
            Cell::Bytes(b) => b.len() + 4,
            _ => 8,
        }
    }
}

/// The values of a column not yet written.
enum Values {
    /// Nulls only so far: the type comes with the first value.
    Nulls(usize),
    Bool(BooleanBuilder),
    Int(Int64Builder),
    Float(Float64Builder),
    Text(StringBuilder),
    Bytes(BinaryBuilder),
    Time(TimestampMicrosecondBuilder),
}

impl Values {
    fn empty(kind: Kind) -> Values {
        match kind {
            Kind::Bool => Values::Bool(BooleanBuilder::new()),
            Kind::Int => Values::Int(Int64Builder::new()),
            Kind::Float => Values::Float(Float64Builder::new()),
            Kind::Text => Values::Text(StringBuilder::new()),
            Kind::Bytes => Values::Bytes(BinaryBuilder::new()),
            Kind::Time => Values::Time(TimestampMicrosecondBuilder::new().with_timezone("UTC")),
        }
    }

    fn kind(&self) -> Option<Kind> {
        match self {
            Values::Nulls(_) => None,
            Values::Bool(_) => Some(Kind::Bool),
            Values::Int(_) => Some(Kind::Int),
            Values::Float(_) => Some(Kind::Float),
            Values::Text(_) => Some(Kind::Text),
            Values::Bytes(_) => Some(Kind::Bytes),
            Values::Time(_) => Some(Kind::Time),
        }
    }

    /// Appends a value; a value of another type than the column's is refused (the column's
    /// type is returned).
    fn push(&mut self, cell: Cell<'_>) -> Result<(), Kind> {
        if let Values::Nulls(n) = *self {
            let Some(kind) = cell.kind() else {
                *self = Values::Nulls(n + 1);
                return Ok(());
            };
            *self = Values::empty(kind);
            for _ in 0..n {
                self.push(Cell::Null)?;
            }
        }
        match (self, cell) {
            (Values::Nulls(_), _) => {}
            (Values::Bool(b), Cell::Null) => b.append_null(),
            (Values::Int(b), Cell::Null) => b.append_null(),
            (Values::Float(b), Cell::Null) => b.append_null(),
            (Values::Text(b), Cell::Null) => b.append_null(),
            (Values::Bytes(b), Cell::Null) => b.append_null(),
            (Values::Time(b), Cell::Null) => b.append_null(),
            (Values::Bool(b), Cell::Bool(v)) => b.append_value(v),
            (Values::Int(b), Cell::Int(v)) => b.append_value(v),
            (Values::Float(b), Cell::Float(v)) => b.append_value(v),
            (Values::Text(b), Cell::Text(v)) => b.append_value(v),
            (Values::Bytes(b), Cell::Bytes(v)) => b.append_value(v),
            (Values::Time(b), Cell::Time(v)) => b.append_value(v),
            (values, _) => return Err(values.kind().unwrap_or(Kind::Float)),
        }
        Ok(())
    }

    /// The values so far as an array of the column's type (nulls only: of `kind`), and an
    /// empty column of that type in their place.
    fn take(&mut self, kind: Kind) -> ArrayRef {
        match self {
            Values::Nulls(n) => {
                let nulls = arrow_array::new_null_array(&kind.data_type(), *n);
                *self = Values::empty(kind);
                nulls
            }
            Values::Bool(b) => Arc::new(b.finish()),
            Values::Int(b) => Arc::new(b.finish()),
            Values::Float(b) => Arc::new(b.finish()),
            Values::Text(b) => Arc::new(b.finish()),
            Values::Bytes(b) => Arc::new(b.finish()),
            Values::Time(b) => Arc::new(b.finish()),
        }
    }
}

/// A column: its name and the values not yet written.
struct Column {
    name: String,
    values: Values,
}

/// Records written as Parquet a row group at a time: values are buffered in Arrow arrays,
/// a row group is encoded once [`ROW_GROUP_ROWS`] rows (or 64 MB of text and bytes) are in,
/// and its bytes go to the output at once, so that a long timeline is never held in memory.
/// The footer (the schema, the row groups' places, the key-value metadata) is written by
/// [`ParquetRows::finish`].
///
/// After an error the writer is spent: what it wrote is not a Parquet file.
pub(crate) struct ParquetRows {
    /// The columns, from the first record (or declared).
    columns: Option<Vec<Column>>,
    /// The writer, once the schema is known (when the first row group is written).
    writer: Option<ArrowWriter<Vec<u8>>>,
    schema: Option<SchemaRef>,
    rows: usize,
    bytes: usize,
    metadata: Vec<KeyValue>,
}

impl ParquetRows {
    /// A writer whose columns come from the first record.
    pub(crate) fn new() -> ParquetRows {
        ParquetRows { columns: None, writer: None, schema: None, rows: 0, bytes: 0, metadata: Vec::new() }
    }

    /// A writer with these columns, whatever the records: the file has them even without a
    /// row. A record with more or fewer values, or a value of another type, is refused.
    pub(crate) fn with_columns(columns: &[(&str, Kind)]) -> ParquetRows {
        let mut rows = ParquetRows::new();
        rows.columns = Some(columns.iter().map(|&(name, kind)| Column { name: name.into(), values: Values::empty(kind) }).collect());
        rows
    }

    /// Adds a key-value pair to the file's metadata (GeoParquet's `geo`).
    pub(crate) fn add_metadata(&mut self, key: &str, value: String) {
        self.metadata.push(KeyValue::new(key.to_string(), value));
    }

    /// Takes records; writes a row group to `out` when one is full.
    pub(crate) fn write<T: Serialize>(&mut self, records: &[T], out: &mut dyn Write) -> io::Result<()> {
        for record in records {
            self.push(record)?;
            if self.rows >= ROW_GROUP_ROWS || self.bytes >= ROW_GROUP_BYTES {
                self.flush(out)?;
            }
        }
        Ok(())
    }

    /// Writes the last row group and the footer.
    pub(crate) fn finish(mut self, out: &mut dyn Write) -> io::Result<()> {
        self.flush(out)?;
        let mut writer = match self.writer.take() {
            Some(writer) => writer,
            // (no record and no declared column: a file with no column and no row)
            None => start(Arc::new(Schema::empty()))?,
        };
        for pair in self.metadata.drain(..) {
            writer.append_key_value_metadata(pair);
        }
        writer.finish().map_err(io::Error::other)?;
        out.write_all(&std::mem::take(writer.inner_mut()))
    }

    fn push<T: Serialize>(&mut self, record: &T) -> io::Result<()> {
        if self.columns.is_none() {
            // The first record names the columns, as it names CSV's. (Declared columns are
            // not checked by name: a record of WKB would be a JSON array of every byte.)
            let mut cells = Vec::new();
            super::records::flatten("", serde_json::to_value(record).map_err(invalid)?, &mut cells);
            self.columns = Some(cells.into_iter().map(|(name, _)| Column { name, values: Values::Nulls(0) }).collect());
        }
        let columns = self.columns.as_mut().ok_or_else(|| invalid("no columns"))?;
        let mut row = Row { columns, next: 0, time: false, bytes: 0 };
        record.serialize(&mut row).map_err(invalid)?;
        if row.next != row.columns.len() {
            return Err(invalid(format!("a record has {} values for {} columns", row.next, row.columns.len())));
        }
        self.bytes += row.bytes;
        self.rows += 1;
        Ok(())
    }

    /// Writes the rows held as a row group, and its bytes to `out`.
    fn flush(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.columns.is_none() || self.rows == 0 && self.writer.is_some() {
            return Ok(());
        }
        if self.writer.is_none() {
            // The schema, once: a column that has had only nulls so far is a double.
            let columns = self.columns.iter().flatten();
            let fields: Vec<Field> =
                columns.map(|c| Field::new(c.name.clone(), c.values.kind().unwrap_or(Kind::Float).data_type(), true)).collect();
            let schema = Arc::new(Schema::new(fields));
            self.writer = Some(start(Arc::clone(&schema))?);
            self.schema = Some(schema);
        }
        let rows = std::mem::take(&mut self.rows);
        self.bytes = 0;
        let (Some(schema), Some(columns), Some(writer)) = (&self.schema, self.columns.as_mut(), self.writer.as_mut()) else {
            return Ok(());
        };
        if rows == 0 {
            return Ok(());
        }
        let arrays: Vec<ArrayRef> = columns.iter_mut().zip(schema.fields()).map(|(c, f)| c.values.take(kind_of(f.data_type()))).collect();
        let batch = RecordBatch::try_new(Arc::clone(schema), arrays).map_err(invalid)?;
        writer.write(&batch).map_err(io::Error::other)?;
        writer.flush().map_err(io::Error::other)?;
        // (the writer counts the bytes it wrote itself: moving them on is safe)
        out.write_all(&std::mem::take(writer.inner_mut()))
    }
}

/// The writer of a file with this schema: Snappy (read by every Parquet reader, and pure
/// Rust here), binary columns (geometries) without dictionary or statistics.
fn start(schema: SchemaRef) -> io::Result<ArrowWriter<Vec<u8>>> {
    let mut properties = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .set_created_by(format!("frontline {} (parquet-rs)", env!("CARGO_PKG_VERSION")));
    for field in schema.fields() {
        if field.data_type() == &DataType::Binary {
            let path = ColumnPath::from(field.name().as_str());
            properties = properties
                .set_column_dictionary_enabled(path.clone(), false)
                .set_column_statistics_enabled(path, EnabledStatistics::None);
        }
    }
    ArrowWriter::try_new(Vec::new(), schema, Some(properties.build())).map_err(io::Error::other)
}

fn kind_of(data_type: &DataType) -> Kind {
    match data_type {
        DataType::Boolean => Kind::Bool,
        DataType::Int64 => Kind::Int,
        DataType::Utf8 => Kind::Text,
        DataType::Binary => Kind::Bytes,
        DataType::Timestamp(..) => Kind::Time,
        _ => Kind::Float,
    }
}

fn invalid(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("Parquet output: {e}"))
}

/// A value that cannot be a cell.
#[derive(Debug)]
struct CellError(String);

impl std::fmt::Display for CellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CellError {}

impl ser::Error for CellError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        CellError(msg.to_string())
    }
}

/// The cells of one record, appended to their columns straight from its serialization, in
/// the order CSV writes them.
struct Row<'a> {
    columns: &'a mut [Column],
    next: usize,
    /// The next string is a time's RFC 3339 text.
    time: bool,
    bytes: usize,
}

impl Row<'_> {
    fn cell(&mut self, cell: Cell<'_>) -> Result<(), CellError> {
        let Some(column) = self.columns.get_mut(self.next) else {
            return Err(CellError(format!("a record has more values than its {} columns", self.columns.len())));
        };
        column.values.push(cell).map_err(|kind| {
            CellError(format!("column `{}` holds {}, and a record gives it {}", column.name, kind.name(), cell.kind().map_or("null", Kind::name)))
        })?;
        self.bytes += cell.bytes();
        self.next += 1;
        Ok(())
    }

    fn int(&mut self, v: impl TryInto<i64>) -> Result<(), CellError> {
        let v = v.try_into().map_err(|_| CellError("an integer beyond the 64-bit signed range".into()))?;
        self.cell(Cell::Int(v))
    }

    fn float(&mut self, v: f64) -> Result<(), CellError> {
        self.cell(if v.is_finite() { Cell::Float(v) } else { Cell::Null })
    }
}

/// Counts the elements of a sequence, which a cell holds as their number (as in CSV).
struct Count<'a, 'b> {
    row: &'b mut Row<'a>,
    n: usize,
}

macro_rules! count_elements {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for Count<'_, '_> {
            type Ok = ();
            type Error = CellError;
            fn $method<T: Serialize + ?Sized>(&mut self, _: &T) -> Result<(), CellError> {
                self.n += 1;
                Ok(())
            }
            fn end(self) -> Result<(), CellError> {
                self.row.int(self.n)
            }
        }
    )*};
}
count_elements!(SerializeSeq::serialize_element, SerializeTuple::serialize_element, SerializeTupleStruct::serialize_field, SerializeTupleVariant::serialize_field);

impl ser::SerializeMap for &mut Row<'_> {
    type Ok = ();
    type Error = CellError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, _: &T) -> Result<(), CellError> {
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CellError> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), CellError> {
        Ok(())
    }
}

macro_rules! fields_in_order {
    ($($trait:ident),*) => {$(
        impl ser::$trait for &mut Row<'_> {
            type Ok = ();
            type Error = CellError;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, _: &'static str, value: &T) -> Result<(), CellError> {
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), CellError> {
                Ok(())
            }
        }
    )*};
}
fields_in_order!(SerializeStruct, SerializeStructVariant);

impl<'a, 'b> ser::Serializer for &'b mut Row<'a> {
    type Ok = ();
    type Error = CellError;
    type SerializeSeq = Count<'a, 'b>;
    type SerializeTuple = Count<'a, 'b>;
    type SerializeTupleStruct = Count<'a, 'b>;
    type SerializeTupleVariant = Count<'a, 'b>;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result<(), CellError> {
        self.cell(Cell::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<(), CellError> {
        self.int(v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), CellError> {
        self.int(v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), CellError> {
        self.int(v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), CellError> {
        self.int(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), CellError> {
        self.int(v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), CellError> {
        self.int(v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), CellError> {
        self.int(v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), CellError> {
        self.int(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), CellError> {
        self.float(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), CellError> {
        self.float(v)
    }
    fn serialize_char(self, v: char) -> Result<(), CellError> {
        self.cell(Cell::Text(v.encode_utf8(&mut [0; 4])))
    }
    fn serialize_str(self, v: &str) -> Result<(), CellError> {
        if !std::mem::take(&mut self.time) {
            return self.cell(Cell::Text(v));
        }
        let time = chrono::DateTime::parse_from_rfc3339(v).map_err(|e| CellError(format!("time `{v}`: {e}")))?;
        self.cell(Cell::Time(time.timestamp_micros()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), CellError> {
        self.cell(Cell::Bytes(v))
    }
    fn serialize_none(self) -> Result<(), CellError> {
        self.cell(Cell::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), CellError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), CellError> {
        self.cell(Cell::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), CellError> {
        self.cell(Cell::Null)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), CellError> {
        self.cell(Cell::Text(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, name: &'static str, value: &T) -> Result<(), CellError> {
        self.time = name == TIME_NEWTYPE;
        let result = value.serialize(&mut *self);
        self.time = false;
        result
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _: &'static str, _: u32, _: &'static str, value: &T) -> Result<(), CellError> {
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Count<'a, 'b>, CellError> {
        Ok(Count { row: self, n: 0 })
    }
    fn serialize_tuple(self, _: usize) -> Result<Count<'a, 'b>, CellError> {
        Ok(Count { row: self, n: 0 })
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Count<'a, 'b>, CellError> {
        Ok(Count { row: self, n: 0 })
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Count<'a, 'b>, CellError> {
        Ok(Count { row: self, n: 0 })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, CellError> {
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, CellError> {
        Ok(self)
    }
    fn serialize_struct_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self, CellError> {
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Format, RecordWriter};
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float64Type, Int64Type, TimestampMicrosecondType};
    use arrow_array::Array;
    use chrono::{DateTime, Utc};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use serde::Serialize;

    #[derive(Serialize, Clone)]
    enum Kind {
        Polygon,
    }

    #[derive(Serialize, Clone)]
    struct Inner {
        a: f64,
        b: Option<u32>,
    }

    #[derive(Serialize, Clone)]
    struct Row {
        #[serde(serialize_with = "crate::input::time::serialize")]
        time: DateTime<Utc>,
        name: String,
        inner: Inner,
        missing: Option<f64>,
        not_a_number: f64,
        list: Vec<u8>,
        kind: Kind,
        flag: bool,
    }

    fn row(day: u32, missing: Option<f64>) -> Row {
        Row {
            time: format!("2025-01-{day:02}T12:30:00Z").parse().unwrap(),
            name: format!("Kyiv, \"{day}\""),
            inner: Inner { a: 0.1 * f64::from(day), b: day.is_multiple_of(2).then_some(day) },
            missing,
            not_a_number: f64::NAN,
            list: vec![1; day as usize],
            kind: Kind::Polygon,
            flag: !day.is_multiple_of(2),
        }
    }

    /// The batches of a Parquet file written in memory.
    fn read(bytes: Vec<u8>) -> (SchemaRef, Vec<RecordBatch>, usize) {
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&bytes).unwrap();
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
        let groups = builder.metadata().num_row_groups();
        let schema = builder.schema().clone();
        (schema, builder.build().unwrap().collect::<Result<_, _>>().unwrap(), groups)
    }

    fn parquet_of<T: Serialize + Sync + Clone>(rows: &[T]) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        let mut writer = RecordWriter::new(Format::Parquet, &mut out);
        writer.write(rows)?;
        writer.finish()?;
        Ok(out)
    }

    #[test]
    fn columns_are_the_csv_columns_typed() {
        let rows = [row(1, None), row(2, Some(2.5))];
        let (schema, batches, _) = read(parquet_of(&rows).unwrap());
        let mut csv = Vec::new();
        crate::output::write_records(&rows, Format::Csv, &mut csv).unwrap();
        let header = String::from_utf8(csv).unwrap().lines().next().unwrap().to_string();
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(names.join(","), header);
        let types: Vec<DataType> = schema.fields().iter().map(|f| f.data_type().clone()).collect();
        let time = DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
        use DataType::{Boolean, Float64, Int64, Utf8};
        assert_eq!(types, [time, Utf8, Float64, Int64, Float64, Float64, Int64, Utf8, Boolean]);
        let batch = &batches[0];
        let time = batch.column(0).as_primitive::<TimestampMicrosecondType>();
        // 2025-01-01T12:30:00Z: 20089 days and 45,000 s after the epoch
        assert_eq!(time.value(0), (20089 * 86_400 + 45_000) * 1_000_000);
        assert_eq!(batch.column(1).as_string::<i32>().value(0), "Kyiv, \"1\"");
        assert_eq!(batch.column(2).as_primitive::<Float64Type>().value(1), 0.2);
        // None and NaN are nulls, as they are empty cells in CSV
        assert!(batch.column(3).is_null(0));
        assert_eq!(batch.column(3).as_primitive::<Int64Type>().value(1), 2);
        assert!(batch.column(4).is_null(0));
        assert_eq!(batch.column(4).as_primitive::<Float64Type>().value(1), 2.5);
        assert_eq!(batch.column(5).null_count(), 2);
        assert_eq!(batch.column(6).as_primitive::<Int64Type>().value(1), 2);
        assert_eq!(batch.column(7).as_string::<i32>().value(0), "Polygon");
        assert!(batch.column(8).as_boolean().value(0));
    }

    #[test]
    fn a_column_takes_its_type_from_its_first_value_and_is_a_double_without_one() {
        // `missing` is null in the first rows, a double later in the same row group;
        // `not_a_number` is null throughout
        let rows: Vec<Row> = (1..=3).map(|d| row(d, (d == 3).then_some(7.0))).collect();
        let (schema, batches, _) = read(parquet_of(&rows).unwrap());
        let missing = batches[0].column_by_name("missing").unwrap();
        assert_eq!(missing.null_count(), 2);
        assert_eq!(missing.as_primitive::<Float64Type>().value(2), 7.0);
        assert_eq!(schema.field_with_name("not_a_number").unwrap().data_type(), &DataType::Float64);
    }

    #[test]
    fn row_groups_leave_as_they_fill() {
        #[derive(Serialize, Clone)]
        struct Small {
            i: u32,
        }
        struct Counting<'a>(&'a mut Vec<u8>);
        impl Write for Counting<'_> {
            fn write(&mut self, b: &[u8]) -> io::Result<usize> {
                self.0.extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut bytes = Vec::new();
        let mut out = Counting(&mut bytes);
        let mut writer = RecordWriter::new(Format::Parquet, &mut out);
        let rows: Vec<Small> = (0..ROW_GROUP_ROWS as u32 + 10).map(|i| Small { i }).collect();
        writer.write(&rows[..ROW_GROUP_ROWS - 1]).unwrap();
        drop(writer);
        // nothing is written until a row group is full: then all of it is
        assert_eq!(bytes.len(), 0);
        let mut out = Counting(&mut bytes);
        let mut writer = RecordWriter::new(Format::Parquet, &mut out);
        writer.write(&rows[..ROW_GROUP_ROWS]).unwrap();
        drop(writer);
        assert!(bytes.len() > 4, "the first row group is out before the end");
        bytes.clear();
        let whole = parquet_of(&rows).unwrap();
        let (_, batches, groups) = read(whole);
        assert_eq!(groups, 2);
        let values: Vec<i64> = batches.iter().flat_map(|b| b.column(0).as_primitive::<Int64Type>().values().to_vec()).collect();
        assert_eq!(values, (0..ROW_GROUP_ROWS as i64 + 10).collect::<Vec<_>>());
    }

    #[test]
    fn no_record_is_a_file_without_columns_and_a_changing_type_an_error() {
        let (schema, batches, _) = read(parquet_of::<Row>(&[]).unwrap());
        assert_eq!((schema.fields().len(), batches.len()), (0, 0));
        #[derive(Serialize, Clone)]
        #[serde(untagged)]
        enum Either {
            Text(&'static str),
            Number(f64),
        }
        #[derive(Serialize, Clone)]
        struct Bad {
            x: Either,
        }
        let error = parquet_of(&[Bad { x: Either::Text("a") }, Bad { x: Either::Number(1.0) }]).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        assert!(error.to_string().contains("column `x` holds text"), "{error}");
    }
}
