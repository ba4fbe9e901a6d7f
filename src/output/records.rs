//! Writing records as a table, CSV, JSON or Parquet.
//!
//! Any serializable record works: nested objects become dotted columns
//! (`transitions.held_to_contested`) in tables, CSV and Parquet, and JSON is the records' own
//! serialization, so scripts see exactly the library's types.

use crate::engine::rows::AreaRow;
use serde::Serialize;
use serde_json::Value;
use std::io::{self, Write};
use std::path::Path;
use std::str::FromStr;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Aligned columns for people.
    #[default]
    Table,
    /// Comma-separated values, full precision, empty cells for missing values.
    Csv,
    /// A JSON array of objects.
    Json,
    /// A Parquet file: the columns of CSV, typed (times as UTC timestamps, missing values as
    /// nulls), Snappy-compressed, a row group per 64 Ki rows. Needs the `parquet` feature
    /// (on by default); without it, writing fails.
    Parquet,
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "table" => Ok(Format::Table),
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            #[cfg(feature = "parquet")]
            "parquet" => Ok(Format::Parquet),
            #[cfg(not(feature = "parquet"))]
            "parquet" => Err("format `parquet` needs frontline built with the `parquet` feature".into()),
            other => Err(format!("unknown format `{other}` (expected table, csv, json or parquet)")),
        }
    }
}

/// Writes records in a format: [`RecordWriter`] over a whole slice.
///
/// ```
/// use frontline::output::{write_records, Format};
/// #[derive(serde::Serialize, Clone)]
/// struct Row { region: &'static str, occupied_km2: f64, held_km2: Option<f64> }
/// let rows = [Row { region: "total", occupied_km2: 1.5, held_km2: None }];
/// let mut csv = Vec::new();
/// write_records(&rows, Format::Csv, &mut csv).unwrap();
/// assert_eq!(String::from_utf8(csv).unwrap(), "region,occupied_km2,held_km2\ntotal,1.5,\n");
/// ```
pub fn write_records<T: Serialize + Sync + Clone>(records: &[T], format: Format, out: &mut dyn Write) -> io::Result<()> {
    let mut writer = RecordWriter::new(format, out);
    writer.write(records)?;
    writer.finish()
}

/// Writes records as they come, in a format: CSV rows and JSON objects (one array, indented
/// as `serde_json` indents a whole array) leave a batch at a time, and Parquet a row group
/// at a time (64 Ki rows), so a long timeline is never held in memory; a table is laid out
/// when the last record is in (its columns are as wide as their widest cell), so it holds
/// them all.
///
/// ```
/// use frontline::output::{Format, RecordWriter};
/// #[derive(serde::Serialize, Clone)]
/// struct Row { day: u32, km2: f64 }
/// let mut out = Vec::new();
/// let mut writer = RecordWriter::new(Format::Json, &mut out);
/// for day in 1..=2 {
///     writer.write(&[Row { day, km2: 0.5 * day as f64 }])?;
/// }
/// writer.finish()?;
/// let whole = serde_json::to_string_pretty(&[Row { day: 1, km2: 0.5 }, Row { day: 2, km2: 1.0 }]).unwrap();
/// assert_eq!(String::from_utf8(out).unwrap(), whole + "\n");
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct RecordWriter<'w, T> {
    format: Format,
    out: &'w mut dyn Write,
    /// A table's records, as cells.
    table: Vec<Vec<(String, Value)>>,
    /// CSV records not yet written.
    csv: Vec<T>,
    /// Records written (or taken) so far.
    written: usize,
    /// Parquet's columns and row groups.
    #[cfg(feature = "parquet")]
    parquet: Option<super::parquet::ParquetRows>,
    /// The CSV text of the last area row at each position, but for its time and snapshot:
    /// a region whose figures did not change writes it again as it is (see
    /// [`RecordWriter::write_areas`]).
    area_tails: Vec<AreaTail>,
}

/// The CSV cells of an area row after its time and snapshot, and what they were made from.
struct AreaTail {
    row: AreaRow,
    text: String,
}

impl AreaTail {
    /// Whether `row` has the cells this tail was made from: the same region (and set and
    /// id) and the same figures, to the bit (the shares and held land follow from them).
    fn fits(&self, row: &AreaRow) -> bool {
        let same = |a: &Option<std::sync::Arc<str>>, b: &Option<std::sync::Arc<str>>| a.as_deref() == b.as_deref();
        let bits = |r: &AreaRow| [r.region_km2.map(f64::to_bits), Some(r.occupied_km2.to_bits()), Some(r.contested_km2.to_bits()), Some(r.liberated_km2.to_bits())];
        self.row.columns == row.columns
            && self.row.region == row.region
            && same(&self.row.region_set, &row.region_set)
            && same(&self.row.region_id, &row.region_id)
            && bits(&self.row) == bits(row)
    }
}

/// CSV rows formatted at a time, on all cores (a float's shortest text is most of the cost).
const CSV_BATCH: usize = 1 << 14;

impl<'w, T: Serialize + Sync + Clone> RecordWriter<'w, T> {
    /// A writer that has written nothing yet.
    pub fn new(format: Format, out: &'w mut dyn Write) -> RecordWriter<'w, T> {
        RecordWriter {
            format,
            out,
            table: Vec::new(),
            csv: Vec::new(),
            written: 0,
            #[cfg(feature = "parquet")]
            parquet: (format == Format::Parquet).then(super::parquet::ParquetRows::new),
            area_tails: Vec::new(),
        }
    }

    /// Writes (or, for a table, takes) some records.
    pub fn write(&mut self, records: &[T]) -> io::Result<()> {
        match self.format {
            Format::Json => {
                for record in records {
                    let text = serde_json::to_string_pretty(record).map_err(io::Error::other)?;
                    self.out.write_all(if self.written == 0 { b"[\n  " } else { b",\n  " })?;
                    self.out.write_all(text.replace('\n', "\n  ").as_bytes())?;
                    self.written += 1;
                }
            }
            Format::Csv => {
                if self.written == 0 {
                    if let Some(first) = records.first() {
                        self.write_csv_header(first)?;
                    }
                }
                self.written += records.len();
                self.csv.extend_from_slice(records);
                if self.csv.len() >= CSV_BATCH {
                    self.flush_csv()?;
                }
            }
            Format::Table => {
                self.table.extend(records.iter().map(|r| {
                    let mut cells = Vec::new();
                    flatten("", serde_json::to_value(r).unwrap_or(Value::Null), &mut cells);
                    cells
                }));
                self.written += records.len();
            }
            #[cfg(feature = "parquet")]
            Format::Parquet => {
                if let Some(parquet) = self.parquet.as_mut() {
                    parquet.write(records, self.out)?;
                }
                self.written += records.len();
            }
            #[cfg(not(feature = "parquet"))]
            Format::Parquet => return Err(no_parquet()),
        }
        Ok(())
    }

    /// The CSV header: the keys of a record's JSON form, nested ones dotted.
    fn write_csv_header(&mut self, record: &T) -> io::Result<()> {
        let mut header = Vec::new();
        flatten("", serde_json::to_value(record).unwrap_or(Value::Null), &mut header);
        writeln!(self.out, "{}", header.iter().map(|(k, _)| csv_cell(k)).collect::<Vec<_>>().join(","))
    }

    /// Formats the CSV rows held on all cores, and writes them in order.
    fn flush_csv(&mut self) -> io::Result<()> {
        use rayon::prelude::*;
        const ROWS: usize = 1024;
        let texts: Vec<String> = self.csv.par_chunks(ROWS).map(csv_rows).collect();
        for text in texts {
            self.out.write_all(text.as_bytes())?;
        }
        self.csv.clear();
        Ok(())
    }

    /// Writes what is left: the end of the JSON array, the last CSV rows, the table, the
    /// last Parquet row group and the file's footer.
    pub fn finish(mut self) -> io::Result<()> {
        match self.format {
            Format::Json => match self.written {
                0 => writeln!(self.out, "[]"),
                _ => writeln!(self.out, "\n]"),
            },
            Format::Csv => self.flush_csv(),
            Format::Table => write_table(&self.table, self.out),
            #[cfg(feature = "parquet")]
            Format::Parquet => match self.parquet.take() {
                Some(parquet) => parquet.finish(self.out),
                None => Ok(()),
            },
            #[cfg(not(feature = "parquet"))]
            Format::Parquet => Err(no_parquet()),
        }
    }
}

#[cfg(not(feature = "parquet"))]
fn no_parquet() -> io::Error {
    io::Error::new(io::ErrorKind::Unsupported, "Parquet output needs frontline built with the `parquet` feature")
}

impl RecordWriter<'_, AreaRow> {
    /// Writes the area rows of a snapshot (or several), as [`RecordWriter::write`] does, byte
    /// for byte. In CSV, a row whose region and figures are those of the row written last at
    /// the same position (a region the front did not touch since the snapshot before) is
    /// not formatted again: its cells after the time and the snapshot are written as they
    /// were. Every settlement of a country, every day, is mostly such rows.
    pub fn write_areas(&mut self, rows: &[AreaRow]) -> io::Result<()> {
        if self.format != Format::Csv {
            return self.write(rows);
        }
        if self.written == 0 {
            if let Some(first) = rows.first() {
                self.write_csv_header(first)?;
            }
        }
        self.write_area_rows(rows)
    }

    /// The CSV lines of `rows` (of one snapshot, or several in turn).
    fn write_area_rows(&mut self, rows: &[AreaRow]) -> io::Result<()> {
        // (rows given to `write` before are written first, in order)
        self.flush_csv()?;
        let mut text = String::with_capacity(rows.len() * 160);
        let mut prefix: Option<(chrono::DateTime<chrono::Utc>, std::sync::Arc<str>, String)> = None;
        for (position, row) in rows.iter().enumerate() {
            let start = match &prefix {
                Some((time, snapshot, cells)) if *time == row.time && std::sync::Arc::ptr_eq(snapshot, &row.snapshot) => cells,
                _ => {
                    let cells = format!("{},{},", csv_cell(&crate::input::time::rfc3339(row.time)), csv_cell(&row.snapshot));
                    &prefix.insert((row.time, std::sync::Arc::clone(&row.snapshot), cells)).2
                }
            };
            match self.area_tails.get(position).filter(|tail| tail.fits(row)) {
                Some(tail) => {
                    text.push_str(start);
                    text.push_str(&tail.text);
                }
                None => {
                    let line = csv_rows(std::slice::from_ref(row));
                    // Only a line that begins with the time and snapshot cells can lend its tail.
                    let tail = line.strip_prefix(start.as_str()).map(|rest| AreaTail { row: row.clone(), text: rest.to_string() });
                    text.push_str(&line);
                    match tail {
                        Some(tail) if position < self.area_tails.len() => self.area_tails[position] = tail,
                        Some(tail) if position == self.area_tails.len() => self.area_tails.push(tail),
                        // Without a tail, the slot must not keep a stale one.
                        _ => self.area_tails.truncate(position),
                    }
                }
            }
        }
        self.written += rows.len();
        self.out.write_all(text.as_bytes())
    }
}

/// A table with a header line and columns as wide as their widest cell, numbers to the right.
fn write_table(flat: &[Vec<(String, Value)>], out: &mut dyn Write) -> io::Result<()> {
    let Some(first) = flat.first() else { return Ok(()) };
    let header: Vec<&str> = first.iter().map(|(k, _)| k.as_str()).collect();
    let text: Vec<Vec<String>> = flat.iter().map(|row| row.iter().map(|(k, v)| human(k, v)).collect()).collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| text.iter().map(|r| r.get(i).map_or(0, |c| c.chars().count())).max().unwrap_or(0).max(header[i].len()))
        .collect();
    let line = |cells: Vec<&str>, numeric: &dyn Fn(usize) -> bool| {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let w = widths.get(i).copied().unwrap_or(0);
                if numeric(i) { format!("{c:>w$}") } else { format!("{c:<w$}") }
            })
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let numeric = |i: usize| first.get(i).is_some_and(|(_, v)| v.is_number() || v.is_null());
    writeln!(out, "{}", line(header.clone(), &numeric))?;
    for row in &text {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect(), &numeric))?;
    }
    Ok(())
}

/// Writes to a file through a temporary file renamed into place, so that a failed run
/// never leaves half an output behind.
///
/// What is not a file is written to as it is: a device or a pipe (`-o /dev/null`,
/// `/dev/stdout`, a FIFO) has no half to leave, and renaming onto it would replace it
/// with a file. Through a symbolic link, the file it names is replaced and the link kept.
pub fn write_file_atomically(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let resolved;
    let path = match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => {
            let mut out = io::BufWriter::new(std::fs::OpenOptions::new().write(true).open(path)?);
            write(&mut out)?;
            return out.flush();
        }
        Ok(_) => {
            resolved = std::fs::canonicalize(path)?;
            resolved.as_path()
        }
        Err(_) => path,
    };
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = io::BufWriter::new(std::fs::File::create(&temp)?);
        write(&mut file)?;
        file.flush()?;
        drop(file);
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// The cells of a record's JSON value, nested objects as dotted names: the columns of
/// tables, CSV and Parquet.
pub(crate) fn flatten(prefix: &str, value: Value, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() { k } else { format!("{prefix}.{k}") };
                flatten(&key, v, out);
            }
        }
        Value::Array(items) => out.push((prefix.to_string(), Value::from(items.len()))),
        other => out.push((prefix.to_string(), other)),
    }
}

/// CSV lines of records, one per record.
fn csv_rows<T: Serialize>(records: &[T]) -> String {
    let mut text = String::with_capacity(records.len() * 128);
    for record in records {
        let start = text.len();
        let mut cells = CsvCells { line: &mut text, first: true };
        if record.serialize(&mut cells).is_err() {
            // (a record that cannot be serialized is an empty row, as its value would be)
            text.truncate(start);
        }
        text.push('\n');
    }
    text
}

/// The cells of one record, as [`flatten`] and [`plain`] make them from its JSON value,
/// appended to a line straight from its serialization (no value is built: tens of
/// thousands of rows for hundreds of regions). Nested structs and maps give their values
/// in order, a sequence its length, a missing or non-finite number an empty cell.
struct CsvCells<'a> {
    line: &'a mut String,
    first: bool,
}

impl CsvCells<'_> {
    /// Ends the cell before, if any.
    fn next_cell(&mut self) {
        if !self.first {
            self.line.push(',');
        }
        self.first = false;
    }

    fn cell(&mut self, text: impl std::fmt::Display) -> Result<(), serde_json::Error> {
        use std::fmt::Write as _;
        self.next_cell();
        // (writing to a String cannot fail)
        let _ = write!(self.line, "{text}");
        Ok(())
    }

    /// A cell already text (no formatting machinery: most cells of a large table).
    fn cell_str(&mut self, text: &str) -> Result<(), serde_json::Error> {
        self.next_cell();
        self.line.push_str(text);
        Ok(())
    }

    /// A number's cell: serde_json's own text for it (its shortest round trip, by `zmij`,
    /// as the JSON value would show it), empty when it is not finite (JSON's `null`).
    fn float(&mut self, v: f64) -> Result<(), serde_json::Error> {
        match v.is_finite() {
            true => self.cell_str(zmij::Buffer::new().format_finite(v)),
            false => self.cell_str(""),
        }
    }

    fn text(&mut self, text: &str) -> Result<(), serde_json::Error> {
        match text.contains([',', '"', '\n', '\r']) {
            true => self.cell_str(&csv_cell(text)),
            false => self.cell_str(text),
        }
    }
}

/// Counts the elements of a sequence, which a CSV cell shows as their number.
struct Count<'a, 'b> {
    cells: &'b mut CsvCells<'a>,
    n: usize,
}

macro_rules! count_elements {
    ($($trait:ident :: $method:ident),*) => {$(
        impl serde::ser::$trait for Count<'_, '_> {
            type Ok = ();
            type Error = serde_json::Error;
            fn $method<T: Serialize + ?Sized>(&mut self, _: &T) -> Result<(), serde_json::Error> {
                self.n += 1;
                Ok(())
            }
            fn end(self) -> Result<(), serde_json::Error> {
                self.cells.cell(self.n)
            }
        }
    )*};
}
count_elements!(SerializeSeq::serialize_element, SerializeTuple::serialize_element, SerializeTupleStruct::serialize_field, SerializeTupleVariant::serialize_field);

impl serde::ser::SerializeMap for &mut CsvCells<'_> {
    type Ok = ();
    type Error = serde_json::Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, _: &T) -> Result<(), serde_json::Error> {
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), serde_json::Error> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), serde_json::Error> {
        Ok(())
    }
}

macro_rules! fields_in_order {
    ($($trait:ident),*) => {$(
        impl serde::ser::$trait for &mut CsvCells<'_> {
            type Ok = ();
            type Error = serde_json::Error;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, _: &'static str, value: &T) -> Result<(), serde_json::Error> {
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), serde_json::Error> {
                Ok(())
            }
        }
    )*};
}
fields_in_order!(SerializeStruct, SerializeStructVariant);

impl<'a, 'b> serde::Serializer for &'b mut CsvCells<'a> {
    type Ok = ();
    type Error = serde_json::Error;
    type SerializeSeq = Count<'a, 'b>;
    type SerializeTuple = Count<'a, 'b>;
    type SerializeTupleStruct = Count<'a, 'b>;
    type SerializeTupleVariant = Count<'a, 'b>;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result<(), serde_json::Error> {
        self.cell(v)
    }
    fn serialize_i8(self, v: i8) -> Result<(), serde_json::Error> {
        self.cell(v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), serde_json::Error> {
        self.cell(v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), serde_json::Error> {
        self.cell(v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), serde_json::Error> {
        self.cell(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), serde_json::Error> {
        self.cell(v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), serde_json::Error> {
        self.cell(v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), serde_json::Error> {
        self.cell(v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), serde_json::Error> {
        self.cell(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), serde_json::Error> {
        self.float(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), serde_json::Error> {
        self.float(v)
    }
    fn serialize_char(self, v: char) -> Result<(), serde_json::Error> {
        self.text(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), serde_json::Error> {
        self.text(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), serde_json::Error> {
        self.cell(v.len())
    }
    fn serialize_none(self) -> Result<(), serde_json::Error> {
        self.cell_str("")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), serde_json::Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), serde_json::Error> {
        self.cell("")
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), serde_json::Error> {
        self.cell("")
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), serde_json::Error> {
        self.text(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), serde_json::Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _: &'static str, _: u32, _: &'static str, value: &T) -> Result<(), serde_json::Error> {
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Count<'a, 'b>, serde_json::Error> {
        Ok(Count { cells: self, n: 0 })
    }
    fn serialize_tuple(self, _: usize) -> Result<Count<'a, 'b>, serde_json::Error> {
        Ok(Count { cells: self, n: 0 })
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Count<'a, 'b>, serde_json::Error> {
        Ok(Count { cells: self, n: 0 })
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Count<'a, 'b>, serde_json::Error> {
        Ok(Count { cells: self, n: 0 })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, serde_json::Error> {
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, serde_json::Error> {
        Ok(self)
    }
    fn serialize_struct_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self, serde_json::Error> {
        Ok(self)
    }
}

fn plain(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn human(key: &str, v: &Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::Number(n) if n.is_f64() => {
            let x = n.as_f64().unwrap_or(0.0);
            if key.ends_with("share") { format!("{:.2}%", x * 100.0) } else { format!("{x:.2}") }
        }
        other => plain(other),
    }
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        name: String,
        inner: Inner,
        missing: Option<f64>,
        not_a_number: f64,
        list: Vec<u8>,
        kind: Kind,
        tiny: f64,
    }

    /// A number's CSV cell is its JSON text, whatever the number (zero of either sign, the
    /// ends of the range, a subnormal, where the shortest text switches to an exponent),
    /// and a non-finite one (JSON's `null`) an empty cell.
    #[test]
    fn a_number_cell_is_its_json_text() {
        let numbers = [0.0, -0.0, 0.1 + 0.2, 1e-7, 1.5e-5, 123456.789, 1e15, 1e16, 1e21, 1e22, -2.5e-300, 5e-324, f64::MAX, f64::MIN_POSITIVE];
        for v in numbers {
            let mut line = String::new();
            serde::Serialize::serialize(&v, &mut CsvCells { line: &mut line, first: true }).unwrap();
            assert_eq!(line, serde_json::to_string(&v).unwrap(), "{v:e}");
        }
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let mut line = String::new();
            serde::Serialize::serialize(&v, &mut CsvCells { line: &mut line, first: true }).unwrap();
            assert_eq!(line, "");
            assert_eq!(serde_json::to_string(&v).unwrap(), "null");
        }
    }

    #[test]
    fn csv_cells_flatten_nested_records_as_their_json_values_would() {
        let rows = [Row {
            name: "Kyiv, \"city\"".into(),
            inner: Inner { a: 0.1 + 0.2, b: None },
            missing: None,
            not_a_number: f64::NAN,
            list: vec![1, 2, 3],
            kind: Kind::Polygon,
            tiny: 1e-7,
        }];
        let mut csv = Vec::new();
        write_records(&rows, Format::Csv, &mut csv).unwrap();
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "name,inner.a,inner.b,missing,not_a_number,list,kind,tiny\n\"Kyiv, \"\"city\"\"\",0.30000000000000004,,,,3,Polygon,1e-7\n"
        );
    }

    /// Three snapshots of three regions: a region that kept its figures, one that changed,
    /// one whose name (and then id) changed at the same position; written by `write_areas`
    /// and by `write`, the bytes must be the same.
    #[test]
    fn area_rows_reusing_their_tails_write_what_formatting_each_row_writes() {
        use crate::engine::rows::{Columns, Label};
        use crate::status::PerStatus;
        let label = |name: &str, id: Option<&str>| Label { set: Some("towns".into()), name: name.into(), id: id.map(Into::into), area_km2: Some(10.0) };
        let areas = |occupied: f64| PerStatus { occupied, contested: 0.5, liberated: 0.0 };
        let columns = Columns { sets: true, ids: true };
        let snapshot = |day: u32, regions: [(&str, Option<&str>, f64); 3]| {
            let time = chrono::DateTime::from_timestamp(1_700_000_000 + i64::from(day) * 86_400, 0).unwrap_or_default();
            let name: std::sync::Arc<str> = format!("day-{day}.geojson, \"quoted\"").into();
            regions.map(|(region, id, occupied)| AreaRow::new(time, &name, &label(region, id), columns, &areas(occupied))).to_vec()
        };
        let days = [
            snapshot(1, [("a", Some("1")), ("b", Some("2")), ("c", None)].map(|(r, i)| (r, i, 1.0))),
            snapshot(2, [("a", Some("1"), 1.0), ("b", Some("2"), 1.0 + 1e-12), ("d", None, 1.0)]),
            snapshot(3, [("a", Some("1"), 1.0), ("b", Some("2"), 1.0 + 1e-12), ("d", Some("4"), 1.0)]),
        ];
        let mut reused = Vec::new();
        let mut formatted = Vec::new();
        {
            let mut writer = RecordWriter::new(Format::Csv, &mut reused);
            for rows in &days {
                writer.write_areas(rows).unwrap();
            }
            writer.finish().unwrap();
        }
        {
            let mut writer = RecordWriter::new(Format::Csv, &mut formatted);
            for rows in &days {
                writer.write(rows).unwrap();
            }
            writer.finish().unwrap();
        }
        let text = String::from_utf8(formatted).unwrap();
        assert_eq!(String::from_utf8(reused).unwrap(), text);
        assert_eq!(text.lines().count(), 1 + 9);
        assert!(text.lines().nth(6).unwrap().contains(",d,,"), "{text}");
        assert!(text.lines().nth(9).unwrap().contains(",d,4,"), "{text}");
    }

    /// A FIFO stays a FIFO and gets the bytes (as /dev/null would stay a device); a
    /// symbolic link stays a link, the file it names replaced; a new file is written.
    #[cfg(unix)]
    #[test]
    fn devices_pipes_and_links_are_written_through_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        write_file_atomically(&fifo, |out| out.write_all(b"rows\n")).unwrap();
        assert_eq!(reader.join().unwrap(), b"rows\n");
        assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
        let target = dir.path().join("table.csv");
        std::fs::write(&target, "old\n").unwrap();
        let link = dir.path().join("latest.csv");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write_file_atomically(&link, |out| out.write_all(b"new\n")).unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new\n");
        let fresh = dir.path().join("fresh.csv");
        write_file_atomically(&fresh, |out| out.write_all(b"a\n")).unwrap();
        assert_eq!(std::fs::read_to_string(&fresh).unwrap(), "a\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 4, "no temporary file left");
    }
}
