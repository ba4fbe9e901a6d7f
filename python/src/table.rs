//! Rows into columns, straight from their serialization: the cells the command writes in
//! CSV (`frontline::output`), kept typed.
//!
//! Any row the library serializes works, so a new verb's rows need nothing here: nested
//! structs give dotted columns (`transitions.held_to_contested`), a sequence its length, a
//! missing or non-finite number a missing value (the CSV's empty cell), integers integers,
//! text a code into the column's distinct values (the names of a few hundred regions
//! repeat in every row, and a time column has one value per snapshot: Python makes each
//! distinct string, or parses each distinct time, once).

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};
use serde::ser::{self, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

/// One column's values.
enum Values {
    /// Only missing values so far (a `region_km2` of the `total` row without an outline).
    Missing,
    Float(Vec<f64>),
    /// Integers, `None` where missing.
    Int(Vec<Option<i64>>),
    /// Codes into `distinct` (-1 where missing).
    Text { codes: Vec<i32>, distinct: Vec<String>, index: HashMap<String, i32> },
    Bool(Vec<Option<bool>>),
}

/// One value of a cell.
enum Cell<'a> {
    Missing,
    Float(f64),
    Int(i64),
    Text(&'a str),
    Bool(bool),
}

struct Column {
    name: String,
    values: Values,
}

impl Column {
    /// Appends a value to a column of `rows` values.
    fn push(&mut self, cell: Cell<'_>, rows: usize) -> Result<(), Error> {
        if matches!(self.values, Values::Missing) {
            self.values = match cell {
                Cell::Missing => return Ok(()),
                Cell::Float(_) => Values::Float(vec![f64::NAN; rows]),
                Cell::Int(_) => Values::Int(vec![None; rows]),
                Cell::Text(_) => Values::Text { codes: vec![-1; rows], distinct: Vec::new(), index: HashMap::new() },
                Cell::Bool(_) => Values::Bool(vec![None; rows]),
            };
        }
        // (integers then a fraction: the column is of numbers, as a CSV reader sees it)
        if let (Values::Int(ints), Cell::Float(_)) = (&self.values, &cell) {
            self.values = Values::Float(ints.iter().map(|v| v.map_or(f64::NAN, |v| v as f64)).collect());
        }
        match (&mut self.values, cell) {
            (Values::Float(v), Cell::Float(x)) => v.push(if x.is_finite() { x } else { f64::NAN }),
            (Values::Float(v), Cell::Int(x)) => v.push(x as f64),
            (Values::Float(v), Cell::Missing) => v.push(f64::NAN),
            (Values::Int(v), Cell::Int(x)) => v.push(Some(x)),
            (Values::Int(v), Cell::Missing) => v.push(None),
            (Values::Text { codes, distinct, index }, Cell::Text(s)) => {
                let code = match index.get(s) {
                    Some(&code) => code,
                    None => {
                        let code = i32::try_from(distinct.len()).map_err(|_| Error(format!("{}: too many distinct values", self.name)))?;
                        distinct.push(s.to_string());
                        index.insert(s.to_string(), code);
                        code
                    }
                };
                codes.push(code);
            }
            (Values::Text { codes, .. }, Cell::Missing) => codes.push(-1),
            (Values::Bool(v), Cell::Bool(x)) => v.push(Some(x)),
            (Values::Bool(v), Cell::Missing) => v.push(None),
            _ => return Err(Error(format!("column `{}` mixes values of different kinds", self.name))),
        }
        Ok(())
    }
}

/// Rows as columns, in the order of the fields of the first row.
#[derive(Default)]
pub struct Table {
    columns: Vec<Column>,
    rows: usize,
}

impl Table {
    /// Appends rows.
    pub fn extend<T: Serialize>(&mut self, rows: &[T]) -> Result<(), Error> {
        for row in rows {
            let mut sink = Sink { table: self, at: 0, path: Vec::new() };
            row.serialize(&mut sink)?;
            let filled = sink.at;
            // (a row with fewer cells than the first: the rest are missing)
            for column in &mut self.columns[filled..] {
                column.push(Cell::Missing, self.rows)?;
            }
            self.rows += 1;
        }
        Ok(())
    }

    /// The columns for Python: a list of `(name, kind, data)` with `kind` one of `f8`
    /// (`data`: little-endian float64 bytes, NaN where missing), `i8` (int64 bytes), `i8?`
    /// (int64 bytes, and a list of the rows where missing), `str` (int32 codes, -1 where
    /// missing, and the distinct values), `bool` (a list of True, False or None).
    pub fn into_python(self, py: Python<'_>) -> PyResult<Py<PyList>> {
        let list = PyList::empty(py);
        let rows = self.rows;
        for column in self.columns {
            let name = column.name;
            let item: (String, &str, Py<PyAny>) = match column.values {
                Values::Missing => (name, "f8", bytes(py, &vec![f64::NAN; rows], |x| x.to_le_bytes())),
                Values::Float(v) => (name, "f8", bytes(py, &v, |x| x.to_le_bytes())),
                Values::Int(v) if v.iter().all(Option::is_some) => (name, "i8", bytes(py, &v, |x| x.unwrap_or(0).to_le_bytes())),
                Values::Int(v) => {
                    let missing: Vec<usize> = v.iter().enumerate().filter(|(_, x)| x.is_none()).map(|(i, _)| i).collect();
                    let data = (bytes(py, &v, |x| x.unwrap_or(0).to_le_bytes()), missing).into_pyobject(py)?.into_any().unbind();
                    (name, "i8?", data)
                }
                Values::Text { codes, distinct, .. } => {
                    let data = (bytes(py, &codes, |x| x.to_le_bytes()), distinct).into_pyobject(py)?.into_any().unbind();
                    (name, "str", data)
                }
                Values::Bool(v) => (name, "bool", v.into_pyobject(py)?.into_any().unbind()),
            };
            list.append(item)?;
        }
        Ok(list.unbind())
    }
}

/// Values as their bytes, one after the other.
fn bytes<T: Copy, const N: usize>(py: Python<'_>, values: &[T], to_bytes: impl Fn(T) -> [u8; N]) -> Py<PyAny> {
    let mut out = Vec::with_capacity(values.len() * N);
    for &v in values {
        out.extend_from_slice(&to_bytes(v));
    }
    PyBytes::new(py, &out).into_any().unbind()
}

/// A row that cannot be made columns of (none of the library's can't).
#[derive(Debug)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// The cells of one row, the `at`th cell going to the `at`th column; `path` is the field
/// names down to the value serialized, the name of a column the first row makes.
struct Sink<'t> {
    table: &'t mut Table,
    at: usize,
    path: Vec<Cow<'static, str>>,
}

impl Sink<'_> {
    fn cell(&mut self, cell: Cell<'_>) -> Result<(), Error> {
        let rows = self.table.rows;
        if self.at == self.table.columns.len() {
            self.table.columns.push(Column { name: self.path.join("."), values: Values::Missing });
        }
        self.table.columns[self.at].push(cell, rows)?;
        self.at += 1;
        Ok(())
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: Cow<'static, str>, value: &T) -> Result<(), Error> {
        self.path.push(key);
        let result = value.serialize(&mut *self);
        self.path.pop();
        result
    }
}

/// Counts the elements of a sequence, which a cell shows as their number (as in CSV).
struct Count<'s, 't> {
    sink: &'s mut Sink<'t>,
    n: i64,
}

macro_rules! count_elements {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for Count<'_, '_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, _: &T) -> Result<(), Error> {
                self.n += 1;
                Ok(())
            }
            fn end(self) -> Result<(), Error> {
                self.sink.cell(Cell::Int(self.n))
            }
        }
    )*};
}
count_elements!(SerializeSeq::serialize_element, SerializeTuple::serialize_element, SerializeTupleStruct::serialize_field, SerializeTupleVariant::serialize_field);

macro_rules! fields_in_order {
    ($($trait:ident),*) => {$(
        impl ser::$trait for &mut Sink<'_> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
                self.field(Cow::Borrowed(key), value)
            }
            fn skip_field(&mut self, _: &'static str) -> Result<(), Error> {
                Ok(())
            }
            fn end(self) -> Result<(), Error> {
                Ok(())
            }
        }
    )*};
}
fields_in_order!(SerializeStruct, SerializeStructVariant);

/// A map: its keys (as JSON shows them) name the columns of its values.
pub struct MapSink<'s, 't> {
    sink: &'s mut Sink<'t>,
    key: String,
}

impl ser::SerializeMap for MapSink<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = match serde_json::to_value(key) {
            Ok(serde_json::Value::String(s)) => s,
            Ok(other) => other.to_string(),
            Err(e) => return Err(Error(e.to_string())),
        };
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = std::mem::take(&mut self.key);
        self.sink.field(Cow::Owned(key), value)
    }
    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

impl<'s, 't> ser::Serializer for &'s mut Sink<'t> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Count<'s, 't>;
    type SerializeTuple = Count<'s, 't>;
    type SerializeTupleStruct = Count<'s, 't>;
    type SerializeTupleVariant = Count<'s, 't>;
    type SerializeMap = MapSink<'s, 't>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.cell(Cell::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.cell(Cell::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.cell(Cell::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.cell(Cell::Int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.cell(Cell::Int(v))
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.cell(Cell::Int(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.cell(Cell::Int(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.cell(Cell::Int(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        // (past i64, a CSV reader sees a number too)
        match i64::try_from(v) {
            Ok(v) => self.cell(Cell::Int(v)),
            Err(_) => self.cell(Cell::Float(v as f64)),
        }
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.cell(Cell::Float(v.into()))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.cell(Cell::Float(v))
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.cell(Cell::Text(v.encode_utf8(&mut [0; 4])))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.cell(Cell::Text(v))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.cell(Cell::Int(v.len() as i64))
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.cell(Cell::Missing)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.cell(Cell::Missing)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.cell(Cell::Missing)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), Error> {
        self.cell(Cell::Text(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _: &'static str, _: u32, _: &'static str, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Count<'s, 't>, Error> {
        Ok(Count { sink: self, n: 0 })
    }
    fn serialize_tuple(self, _: usize) -> Result<Count<'s, 't>, Error> {
        Ok(Count { sink: self, n: 0 })
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Count<'s, 't>, Error> {
        Ok(Count { sink: self, n: 0 })
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Count<'s, 't>, Error> {
        Ok(Count { sink: self, n: 0 })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<MapSink<'s, 't>, Error> {
        Ok(MapSink { sink: self, key: String::new() })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Error> {
        Ok(self)
    }
    fn serialize_struct_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self, Error> {
        Ok(self)
    }
}
