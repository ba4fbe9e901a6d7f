//! Writing records as a table, CSV or JSON.
//!
//! Any serializable record works: nested objects become dotted columns
//! (`transitions.held_to_contested`) in tables and CSV, and JSON is the records' own
//! serialization, so scripts see exactly the library's types.

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
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "table" => Ok(Format::Table),
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            other => Err(format!("unknown format `{other}` (expected table, csv or json)")),
        }
    }
}

/// Writes records in a format.
///
/// ```
/// use frontline::output::{write_records, Format};
/// #[derive(serde::Serialize)]
/// struct Row { region: &'static str, occupied_km2: f64, held_km2: Option<f64> }
/// let rows = [Row { region: "total", occupied_km2: 1.5, held_km2: None }];
/// let mut csv = Vec::new();
/// write_records(&rows, Format::Csv, &mut csv).unwrap();
/// assert_eq!(String::from_utf8(csv).unwrap(), "region,occupied_km2,held_km2\ntotal,1.5,\n");
/// ```
pub fn write_records<T: Serialize>(records: &[T], format: Format, out: &mut dyn Write) -> io::Result<()> {
    let flat_record = |r: &T| {
        let mut cells = Vec::new();
        flatten("", serde_json::to_value(r).unwrap_or(Value::Null), &mut cells);
        cells
    };
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, records)?;
            return writeln!(out);
        }
        // Row by row: a long timeline is never held twice in memory. The header comes from
        // the first record's keys; every row's cells are written straight into one line
        // (tens of thousands of rows for hundreds of regions).
        Format::Csv => {
            let mut line = String::new();
            for (i, record) in records.iter().enumerate() {
                let value = serde_json::to_value(record).unwrap_or(Value::Null);
                if i == 0 {
                    let mut header = Vec::new();
                    flatten("", value.clone(), &mut header);
                    writeln!(out, "{}", header.iter().map(|(k, _)| csv_cell(k)).collect::<Vec<_>>().join(","))?;
                }
                line.clear();
                csv_cells(&value, &mut line, &mut true);
                line.push('\n');
                out.write_all(line.as_bytes())?;
            }
            return Ok(());
        }
        Format::Table => {}
    }
    let flat: Vec<Vec<(String, Value)>> = records.iter().map(flat_record).collect();
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
pub fn write_file_atomically(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
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

fn flatten(prefix: &str, value: Value, out: &mut Vec<(String, Value)>) {
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

/// The cells of one record, as [`flatten`] and [`plain`] make them, appended to `line`.
fn csv_cells(value: &Value, line: &mut String, first: &mut bool) {
    use std::fmt::Write as _;
    if let Value::Object(map) = value {
        for v in map.values() {
            csv_cells(v, line, first);
        }
        return;
    }
    if !*first {
        line.push(',');
    }
    *first = false;
    // (writing to a String cannot fail)
    let _ = match value {
        Value::Null | Value::Object(_) => Ok(()),
        Value::Array(items) => write!(line, "{}", items.len()),
        Value::String(text) if text.contains([',', '"', '\n', '\r']) => {
            line.push_str(&csv_cell(text));
            Ok(())
        }
        Value::String(text) => {
            line.push_str(text);
            Ok(())
        }
        other => write!(line, "{other}"),
    };
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
