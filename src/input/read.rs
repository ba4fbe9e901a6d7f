//! Reading snapshots: files, GeoJSON, times, classification and ring clean-up.
//!
//! [`read_snapshot`] turns one file into a [`Snapshot`]: its time, its polygons sorted by
//! status, and a [`ScanReport`] of what was found on the way (features that are not
//! territory, polygons whose status could not be told, rings that had to be repaired).
//! [`SnapshotReader`] reads a timeline's snapshots in order and takes over the features a
//! snapshot repeats of the one before.

use crate::input::classify::{Classification, Classifier};
use crate::input::crs::Reprojection;
use crate::error::{Error, Result};
use crate::input::geojson::{property_text, split_feature_error, Coords, LazyDocument, RawDocument, RawGeometry, RawProperties};
use crate::input::snapshot::{ScanReport, Snapshot, Warning, WarningKind};
use crate::input::time::{parse_time, time_from_file_name};
use crate::{PerStatus, Status};
use chrono::{DateTime, Utc};
use geo::{Coord, LineString, Polygon};
use std::sync::Arc;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// How snapshots are read.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// How statuses are told from properties.
    pub classifier: Classifier,
    /// A property (of the FeatureCollection or of its features) holding the snapshot time;
    /// without it the time comes from the file name.
    pub time_field: Option<String>,
    /// The coordinate system of the inputs (e.g. `EPSG:3857`), overriding a file's `crs`
    /// member; reprojected to WGS84 with the `proj` feature, refused without it.
    pub crs: Option<String>,
    /// The most text a file may hold, in bytes (once decompressed, for gzip): a larger file
    /// is refused with [`Error::TooLarge`] without being read whole, whatever its gzip
    /// trailer claims. Default [`ReadOptions::DEFAULT_MAX_TEXT_BYTES`].
    pub max_text_bytes: u64,
}

/// The default of [`ReadOptions::max_text_bytes`], also the limit of region and clip files:
/// 1 GiB, over a thousand times the largest DeepState snapshot (0.6 MB of text).
pub(crate) const DEFAULT_MAX_TEXT_BYTES: u64 = ReadOptions::DEFAULT_MAX_TEXT_BYTES;

impl ReadOptions {
    /// The most text a file may hold once decompressed, unless told otherwise: 1 GiB (the
    /// map's largest export is about 1 MB).
    pub const DEFAULT_MAX_TEXT_BYTES: u64 = 1 << 30;
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions { classifier: Classifier::default(), time_field: None, crs: None, max_text_bytes: DEFAULT_MAX_TEXT_BYTES }
    }
}

/// The snapshot files named by `inputs`: files as given, directories expanded to their
/// `.geojson`, `.json` and `.geojson.gz` / `.json.gz` files (not recursively), in name order.
pub fn snapshot_files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|e| Error::io(input, e))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            for entry in std::fs::read_dir(input).map_err(|e| Error::io(input, e))? {
                let path = entry.map_err(|e| Error::io(input, e))?.path();
                if path.is_file() && is_geojson_name(&file_name(&path)) {
                    found.push(path);
                }
            }
            if found.is_empty() {
                // (else every verb runs on nothing and says nothing)
                return Err(Error::Usage(format!(
                    "{}: no snapshot found: no .geojson, .json, .geojson.gz or .json.gz file in this directory (subdirectories are not read)",
                    input.display()
                )));
            }
            found.sort();
            files.extend(found);
        } else {
            files.push(input.clone());
        }
    }
    Ok(files)
}

fn is_geojson_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    // `{id}.areas.json` beside the snapshots is the map's own area statistics (as
    // `frontline fetch --areas` writes them), a JSON array and no snapshot.
    (name.ends_with(".geojson") || name.ends_with(".json")) && !name.ends_with(".areas.json")
}

pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The bytes of a file, gunzipped when it is gzip (told by its first bytes, not its name),
/// refused past [`DEFAULT_MAX_TEXT_BYTES`] of text as [`read_snapshot`] refuses them.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    let mut text = Vec::new();
    read_into(path, &mut text, DEFAULT_MAX_TEXT_BYTES)?;
    Ok(text)
}

/// [`read_bytes`] into a buffer that is reused: the texts of a timeline's snapshots are
/// hundreds of megabytes, and memory fresh from the system has to be cleared page by
/// page first (a sixth of the reading time, before). At most `limit` bytes of text: the
/// file's length is checked before it is read, and decompression stops past the limit.
fn read_into(path: &Path, text: &mut Vec<u8>, limit: u64) -> Result<()> {
    let too_large = |size| Error::TooLarge { path: path.to_path_buf(), size, limit };
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let size = file.metadata().map_err(|e| Error::io(path, e))?.len();
    if size > limit {
        return Err(too_large(Some(size)));
    }
    let mut raw = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // (the file may grow while it is read)
    (&mut file).take(limit.saturating_add(1)).read_to_end(&mut raw).map_err(|e| Error::io(path, e))?;
    if raw.len() as u64 > limit {
        return Err(too_large(Some(raw.len() as u64)));
    }
    if raw.starts_with(&[0x1f, 0x8b]) {
        gunzip(&raw, text, limit).map_err(|e| match e {
            Gunzip::TooLarge => too_large(None),
            Gunzip::Broken(e) => Error::io(path, std::io::Error::new(std::io::ErrorKind::InvalidData, format!("gzip: {e}"))),
        })
    } else {
        *text = raw;
        Ok(())
    }
}

/// Why a gzip file gave no text.
#[derive(Debug, PartialEq)]
enum Gunzip {
    /// More text than the limit.
    TooLarge,
    /// A broken file, in the streaming decoder's words.
    Broken(String),
}

/// The most text deflate can give per compressed byte (a 258-byte match in two bits).
const DEFLATE_MAX_RATIO: u64 = 1032;

/// The magic bytes that open a gzip member (with the method, deflate).
const MEMBER: [u8; 3] = [0x1f, 0x8b, 0x08];

/// The text of a gzip file, at most `limit` bytes, in one call to libdeflate (about twice
/// as fast as a streaming decoder on whole files) when it is one gzip member. libdeflate
/// reads the first member only and says nothing of what follows, so a file of several
/// members (concatenated gzip files, see [`another_member_follows`]) goes through the
/// streaming decoder, which reads them all.
fn gunzip(raw: &[u8], out: &mut Vec<u8>, limit: u64) -> std::result::Result<(), Gunzip> {
    out.clear();
    if raw.len() > 18 {
        // The trailer's ISIZE: the size of the text modulo 2^32, as the file claims it. The
        // buffer is sized by it, but never beyond what the compressed bytes can give nor
        // beyond the limit: a forged trailer asked for 4 GiB for an empty collection.
        let mut word = [0u8; 4];
        word.copy_from_slice(&raw[raw.len() - 4..]);
        let room = u64::from(u32::from_le_bytes(word)).min(DEFLATE_MAX_RATIO.saturating_mul(raw.len() as u64)).min(limit);
        out.resize(usize::try_from(room).map_err(|_| Gunzip::TooLarge)?, 0);
        match libdeflater::Decompressor::new().gzip_decompress(raw, out) {
            Ok(n) => {
                out.truncate(n);
                if !another_member_follows(raw, out) {
                    return Ok(());
                }
                out.clear();
            }
            // (more text than the limit: the memory is given back)
            Err(libdeflater::DecompressionError::InsufficientSpace) if room == limit => {
                *out = Vec::new();
                return Err(Gunzip::TooLarge);
            }
            // (a text of 4 GiB or more, whose size wraps; a trailer that lies; or a broken
            // file, which the streaming decoder describes better)
            Err(_) => out.clear(),
        }
    }
    let mut decoder = flate2::read::MultiGzDecoder::new(raw).take(limit.saturating_add(1));
    // (room for the text at least as long as the compressed bytes, not grown from nothing)
    out.reserve(raw.len().min(usize::try_from(limit).unwrap_or(usize::MAX)));
    decoder.read_to_end(out).map_err(|e| Gunzip::Broken(e.to_string()))?;
    if out.len() as u64 > limit {
        *out = Vec::new();
        return Err(Gunzip::TooLarge);
    }
    Ok(())
}

/// Whether the first gzip member of `raw`, whose text libdeflate gave as `text`, is
/// followed by another: the header of a member right after 8 bytes that are the first
/// member's trailer (its text's CRC-32 and size). The magic bytes alone are no sign: they
/// occur by chance in compressed data (in two of the four boundary files, of 7 and 10 MB);
/// the trailer before them, by chance once in 2^64.
fn another_member_follows(raw: &[u8], text: &[u8]) -> bool {
    // (ISIZE: the size modulo 2^32; the checksum only for a header after a matching size,
    // which in one member's compressed data comes by chance once in 2^32)
    let size = ((text.len() % (1 << 32)) as u32).to_le_bytes();
    let crc = std::cell::OnceCell::new();
    raw.windows(11)
        .skip(10)
        .any(|w| w[8..] == MEMBER && w[4..8] == size && w[..4] == crc.get_or_init(|| libdeflater::crc32(text).to_le_bytes())[..])
}

/// GeoJSON text without the UTF-8 byte-order mark that Windows programs write at its start
/// (JSON has none, and serde refuses it as invalid).
fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Parses GeoJSON text, turning serde's messages into errors naming the file and feature.
pub(crate) fn parse_document<'a>(path: &Path, bytes: &'a [u8]) -> Result<RawDocument<'a>> {
    let bytes = without_bom(bytes);
    serde_json::from_slice::<RawDocument>(bytes).map_err(|e| {
        // Errors inside a feature arrive wrapped (to carry the index), which hides whether
        // the JSON itself is broken: a second, plain pass tells.
        let syntax = serde_json::from_slice::<serde::de::IgnoredAny>(bytes).err();
        let what = match &syntax {
            Some(s) if s.is_eof() => format!("invalid JSON, the file ends early: {s}"),
            Some(s) => format!("invalid JSON: {s}"),
            None => String::new(),
        };
        match (split_feature_error(&e.to_string()), what.is_empty()) {
            (Some((index, detail)), true) => Error::feature(path, index, strip_position(&detail)),
            (Some((index, _)), false) => Error::feature(path, index, what),
            (None, true) => Error::format(path, format!("not GeoJSON: {e}")),
            (None, false) => Error::format(path, what),
        }
    })
}

/// serde_json appends the position to every message, and again when a message is wrapped:
/// keep the last one only.
fn strip_position(detail: &str) -> String {
    match detail.find(" at line ") {
        Some(first) if detail[first + 1..].contains(" at line ") => {
            let last = detail.rfind(" at line ").unwrap_or(first);
            format!("{}{}", &detail[..first], &detail[last..])
        }
        _ => detail.to_string(),
    }
}

/// The features of a document, with their indices: a FeatureCollection's features, a single
/// Feature, or a bare geometry.
pub(crate) fn document_features<'d, 'a>(
    path: &Path,
    doc: &'d RawDocument<'a>,
) -> Result<Vec<(Option<&'d RawGeometry>, Option<&'d RawProperties<'a>>)>> {
    match doc.kind.as_deref() {
        Some("FeatureCollection") => {
            let features = doc
                .features
                .as_ref()
                .ok_or_else(|| Error::format(path, "a FeatureCollection without `features`"))?;
            Ok(features.0.iter().map(|f| (f.geometry.as_ref(), f.properties.as_ref())).collect())
        }
        Some("Feature") => Ok(vec![(doc.geometry.as_ref(), doc.properties.as_ref())]),
        Some(_) if doc.coordinates.is_some() || doc.geometries.is_some() => Ok(vec![]),
        Some(other) => Err(Error::format(path, format!("GeoJSON type `{other}` is not a FeatureCollection, Feature or geometry"))),
        None => Err(Error::format(path, "not GeoJSON: no `type` member")),
    }
}

/// Reads and classifies one snapshot file.
pub fn read_snapshot(path: &Path, options: &ReadOptions) -> Result<Snapshot> {
    // Each thread keeps its buffer from one file to the next (memory fresh from the system
    // is cleared page by page first), but not a buffer grown past what any real map needs:
    // a file near the size limit leaves nothing behind.
    const KEPT: usize = 64 << 20;
    thread_local! {
        static TEXT: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    TEXT.with(|text| {
        let mut text = text.borrow_mut();
        let read = read_into(path, &mut text, options.max_text_bytes).and_then(|()| parse_snapshot(path, &text, options));
        if text.capacity() > KEPT {
            *text = Vec::new();
        }
        read
    })
}

/// The ways a [`Snapshot`] is made, each reading as a file is read.
impl Snapshot {
    /// A state of the map from polygons by status (longitude/latitude on WGS84), named
    /// `name` in rows and messages.
    ///
    /// Rings are checked and cleaned as a file's are; a position that is not longitude and
    /// latitude is an error naming the snapshot and the polygon (counted from 0 over the
    /// occupied, then contested, then liberated polygons).
    pub fn new(name: impl Into<String>, time: DateTime<Utc>, polygons: PerStatus<Vec<Polygon<f64>>>) -> Result<Snapshot> {
        let name: Arc<str> = name.into().into();
        let given = polygons.occupied.len() + polygons.contested.len() + polygons.liberated.len();
        let mut report = ScanReport { snapshot: name.to_string(), time, features: given, ..ScanReport::default() };
        let mut cleaned: PerStatus<Vec<Polygon<f64>>> = PerStatus::default();
        let mut index = 0;
        for status in Status::ALL {
            for polygon in &polygons[status] {
                add_polygon(&name, index, status, polygon, &mut cleaned, &mut report)?;
                index += 1;
            }
        }
        Ok(Snapshot::finished(name, time, cleaned, report))
    }

    /// A state of the map from GeoJSON text (a FeatureCollection, a Feature or a bare
    /// geometry), classified as `options` says, at `time`.
    ///
    /// ```
    /// use frontline::{ReadOptions, Snapshot, Status};
    /// let text = r#"{"type":"FeatureCollection","features":[
    ///   {"type":"Feature","properties":{"name":"Окуповано /// Occupied"},
    ///    "geometry":{"type":"Polygon","coordinates":[[[37,48],[37.05,48],[37.05,48.1],[37,48.1],[37,48]]]}}]}"#;
    /// let time = "2025-08-03T19:58:25Z".parse().unwrap();
    /// let snapshot = Snapshot::from_geojson("from-the-api", time, text.as_bytes(), &ReadOptions::default())?;
    /// assert_eq!(snapshot.polygons(Status::Occupied).len(), 1);
    /// assert_eq!(snapshot.report().polygons.occupied, 1);
    /// # Ok::<(), frontline::Error>(())
    /// ```
    pub fn from_geojson(name: &str, time: DateTime<Utc>, geojson: &[u8], options: &ReadOptions) -> Result<Snapshot> {
        parse_snapshot_at(Path::new(name), geojson, options, Some(time))
    }

    /// A state of the map from a parsed GeoJSON value: see [`Snapshot::from_geojson`].
    pub fn from_geojson_value(name: &str, time: DateTime<Utc>, geojson: &serde_json::Value, options: &ReadOptions) -> Result<Snapshot> {
        let text = serde_json::to_vec(geojson).map_err(|e| Error::format(Path::new(name), e.to_string()))?;
        Snapshot::from_geojson(name, time, &text, options)
    }

    /// Reads one snapshot file (`.geojson`, `.json`, gzip-compressed or not); its time comes
    /// from its name, or from `options.time_field`.
    ///
    /// ```
    /// use frontline::{ReadOptions, Snapshot, Status};
    /// let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data/snapshots/1730419200.geojson");
    /// let snapshot = Snapshot::read(&path, &ReadOptions::default())?;
    /// assert_eq!(snapshot.name(), "1730419200.geojson");
    /// assert_eq!(snapshot.time().to_rfc3339(), "2024-11-01T00:00:00+00:00");
    /// assert!(!snapshot.polygons(Status::Occupied).is_empty());
    /// # Ok::<(), frontline::Error>(())
    /// ```
    pub fn read(path: &Path, options: &ReadOptions) -> Result<Snapshot> {
        read_snapshot(path, options)
    }

}

/// Reads the snapshots of a timeline one after another, each in the light of the one
/// before: a feature whose geometry is written exactly as in the previous snapshot (most
/// of them: the front moves in a few places) is taken over as it was read then, not parsed
/// and cleaned again. Gives the same [`Snapshot`] as [`read_snapshot`], errors included.
pub struct SnapshotReader {
    options: ReadOptions,
    text: Vec<u8>,
    /// The previous snapshot's text, and its features' geometries as read.
    previous_text: Vec<u8>,
    previous: Geometries,
    /// The statuses told from the properties of the previous snapshot's polygons, by their
    /// text: most polygons carry one of a few sets of properties, the same from day to day.
    previous_classes: Classes,
}

/// Statuses told from properties, by the properties' JSON text.
type Classes = HashMap<Box<str>, Classification>;

/// The geometries of a snapshot as read, by a key of their text (see [`text_key`]).
type Geometries = HashMap<u64, Vec<Remembered>>;

/// A feature's geometry as read: where its text is in the snapshot's, whether it is
/// polygonal, its polygons, what cleaning its rings did, and how many of its polygons
/// need repair (once asked).
struct Remembered {
    text: std::ops::Range<usize>,
    polygonal: bool,
    polygons: Vec<Polygon<f64>>,
    /// Unclosed, repeated, degenerate: the counts of [`RingFixes`], which also borrows a
    /// reprojection (with the `proj` feature, not to be sent to another thread as a
    /// reader is).
    fixes: [usize; 3],
    invalid: Option<usize>,
}

impl SnapshotReader {
    /// A reader that has read nothing yet.
    pub fn new(options: &ReadOptions) -> SnapshotReader {
        SnapshotReader {
            options: options.clone(),
            text: Vec::new(),
            previous_text: Vec::new(),
            previous: HashMap::new(),
            previous_classes: HashMap::new(),
        }
    }

    /// Reads and classifies one snapshot file, taking over what it repeats of the
    /// snapshot read before.
    pub fn read(&mut self, path: &Path) -> Result<Snapshot> {
        let mut text = std::mem::take(&mut self.text);
        read_into(path, &mut text, self.options.max_text_bytes)?;
        let previous = std::mem::take(&mut self.previous);
        let (snapshot, remembered, classes) = match self.read_known(path, &text, previous) {
            Some(read) => read,
            // Anything the quick path does not take (another kind of document, a time or
            // reprojection from the file, an error to describe) is read the usual way.
            None => (parse_snapshot(path, &text, &self.options), HashMap::new(), HashMap::new()),
        };
        (self.previous, self.previous_classes) = match snapshot.is_ok() {
            true => (remembered, classes),
            false => (HashMap::new(), HashMap::new()),
        };
        self.text = std::mem::replace(&mut self.previous_text, text);
        snapshot
    }

    /// [`parse_snapshot`] for a FeatureCollection in WGS84 timed by its file name, taking
    /// over the geometries `previous` remembers and the statuses of properties it read;
    /// also returns this snapshot's. `None` when the document is not of that kind or
    /// reading it fails.
    fn read_known(&self, path: &Path, text: &[u8], mut previous: Geometries) -> Option<(Result<Snapshot>, Geometries, Classes)> {
        if self.options.time_field.is_some() || self.options.crs.is_some() {
            return None;
        }
        let doc: LazyDocument = serde_json::from_slice(without_bom(text)).ok()?;
        let unused = [doc.crs, doc.geometry, doc.properties, doc.coordinates, doc.geometries];
        if doc.kind.as_deref() != Some("FeatureCollection") || unused.iter().any(Option::is_some) {
            return None;
        }
        let features = doc.features?;
        let time = time_from_file_name(&file_name(path))?;
        let mut report = ScanReport { snapshot: file_name(path), time, features: features.len(), ..ScanReport::default() };
        let mut polygons: PerStatus<Vec<Polygon<f64>>> = PerStatus::default();
        let mut remembered: Geometries = HashMap::with_capacity(features.len());
        let mut classes = Classes::new();
        let mut found = Vec::new();
        for (index, feature) in features.iter().enumerate() {
            let Some(raw) = feature.geometry else {
                report.not_territory += 1;
                continue;
            };
            let bytes = raw.get().as_bytes();
            let start = bytes.as_ptr() as usize - text.as_ptr() as usize;
            let key = text_key(bytes);
            let seen = previous.get_mut(&key).and_then(|same_key| {
                let at = same_key.iter().position(|r| self.previous_text.get(r.text.clone()) == Some(bytes))?;
                Some(same_key.swap_remove(at))
            });
            let mut entry = match seen {
                Some(entry) => Remembered { text: start..start + bytes.len(), ..entry },
                None => {
                    let geometry: RawGeometry = serde_json::from_str(raw.get()).ok()?;
                    let mut fixes = RingFixes::default();
                    let mut polygons = Vec::new();
                    let polygonal = collect_polygons(&geometry, &mut polygons, &mut fixes).ok()?;
                    let fixes = [fixes.unclosed, fixes.repeated, fixes.degenerate];
                    Remembered { text: start..start + bytes.len(), polygonal, polygons, fixes, invalid: None }
                }
            };
            let [unclosed, repeated, degenerate] = entry.fixes;
            let fixes = RingFixes { unclosed, repeated, degenerate, reproject: None };
            found.clear();
            found.extend_from_slice(&entry.polygons);
            let feature = ReadFeature { index, properties: feature.properties.as_ref(), polygonal: entry.polygonal, fixes: &fixes };
            let known = entry.invalid;
            let mut counted = None;
            let classify = || {
                let Some(properties) = feature.properties else {
                    return classify_properties(None, &self.options.classifier);
                };
                let text = properties.0.get();
                if let Some(status) = classes.get(text) {
                    return status.clone();
                }
                // (a key is made once per text and snapshot, not at every polygon)
                let status = match self.previous_classes.get(text) {
                    Some(status) => status.clone(),
                    None => classify_properties(Some(properties), &self.options.classifier),
                };
                classes.insert(text.into(), status.clone());
                status
            };
            feature.add_to(&mut report, &mut polygons, classify, &mut found, |found| {
                let invalid = known.unwrap_or_else(|| invalid_polygons(found));
                counted = Some(invalid);
                invalid
            });
            entry.invalid = counted.or(known);
            remembered.entry(key).or_default().push(entry);
        }
        Some((Ok(finished(path, time, polygons, report)), remembered, classes))
    }
}

/// A key of a geometry's text: its length, and words at its ends and at 16 places between
/// (enough to tell texts apart; the texts are compared in full before one is taken over).
fn text_key(bytes: &[u8]) -> u64 {
    use crate::geometry::fingerprint::mix;
    let n = bytes.len();
    let word = |at: usize| {
        let mut w = [0u8; 8];
        let end = (at + 8).min(n);
        w[..end - at].copy_from_slice(&bytes[at..end]);
        u64::from_le_bytes(w)
    };
    (0..18).fold(mix(n as u64), |h, k| mix(h ^ word(n.saturating_sub(8) * k / 17)))
}

/// Like [`read_snapshot`], on bytes already in memory; `path` names them in errors and
/// gives the time when the text does not.
pub fn parse_snapshot(path: &Path, bytes: &[u8], options: &ReadOptions) -> Result<Snapshot> {
    parse_snapshot_at(path, bytes, options, None)
}

/// [`parse_snapshot`] at a time given (else from `options.time_field` or the name).
pub(crate) fn parse_snapshot_at(path: &Path, bytes: &[u8], options: &ReadOptions, time: Option<DateTime<Utc>>) -> Result<Snapshot> {
    let bytes = without_bom(bytes);
    let doc = parse_document(path, bytes)?;
    let reprojection = reprojection(path, &doc, options.crs.as_deref())?;
    let features = document_features(path, &doc)?;
    let bare = match (&doc.coordinates, &doc.geometries, doc.kind.as_deref()) {
        (None, None, _) | (_, _, Some("Feature" | "FeatureCollection")) => None,
        (_, _, Some(kind)) => Some(RawGeometry {
            kind: kind.to_string(),
            coordinates: doc.coordinates.clone(),
            geometries: None,
        }),
        _ => None,
    };
    let time = match time {
        Some(time) => time,
        None => snapshot_time(path, bytes, &features, options)?,
    };
    let mut report = ScanReport {
        snapshot: file_name(path),
        time,
        features: features.len().max(usize::from(bare.is_some())),
        ..ScanReport::default()
    };
    let mut polygons: PerStatus<Vec<Polygon<f64>>> = PerStatus::default();
    let mut found = Vec::new();
    let bare_feature = bare.as_ref().map(|g| (Some(g), None));
    for (index, (geometry, properties)) in features.into_iter().chain(bare_feature).enumerate() {
        let Some(geometry) = geometry else {
            report.not_territory += 1;
            continue;
        };
        found.clear();
        let mut fixes = RingFixes { reproject: reprojection.as_ref(), ..RingFixes::default() };
        let polygonal = collect_polygons(geometry, &mut found, &mut fixes)
            .map_err(|message| Error::feature(path, index, message))?;
        let feature = ReadFeature { index, properties, polygonal, fixes: &fixes };
        let classify = || classify_properties(properties, &options.classifier);
        feature.add_to(&mut report, &mut polygons, classify, &mut found, invalid_polygons);
    }
    Ok(finished(path, time, polygons, report))
}

/// The snapshot read from a file.
fn finished(path: &Path, time: DateTime<Utc>, polygons: PerStatus<Vec<Polygon<f64>>>, report: ScanReport) -> Snapshot {
    Snapshot::finished(file_name(path).into(), time, polygons, report)
}

/// Adds one polygon given in memory (the `index`th of its snapshot, named `name`) to the
/// polygons of `status`, its rings cleaned as a file's are, and counts it in the report.
pub(crate) fn add_polygon(
    name: &str,
    index: usize,
    status: Status,
    polygon: &Polygon<f64>,
    polygons: &mut PerStatus<Vec<Polygon<f64>>>,
    report: &mut ScanReport,
) -> Result<()> {
    let mut fixes = RingFixes::default();
    let error = |message: String| Error::feature(Path::new(name), index, message);
    let mut found = Vec::new();
    if let Some(shell) = clean_coords(polygon.exterior(), &mut fixes).map_err(error)? {
        let mut holes = Vec::with_capacity(polygon.interiors().len());
        for hole in polygon.interiors() {
            holes.extend(clean_coords(hole, &mut fixes).map_err(error)?);
        }
        found.push(Polygon::new(shell, holes));
    }
    let feature = ReadFeature { index, properties: None, polygonal: true, fixes: &fixes };
    feature.add_to(report, polygons, || Ok(status), &mut found, invalid_polygons);
    Ok(())
}

/// The status told from a feature's properties.
fn classify_properties(properties: Option<&RawProperties>, classifier: &Classifier) -> Classification {
    let parsed = properties.map(RawProperties::parse);
    classifier.classify(|key: &str| parsed.as_ref().and_then(|p| p.get(key)).and_then(|v| property_text(v)))
}

/// How many of a feature's polygons need repair.
fn invalid_polygons(found: &[Polygon<f64>]) -> usize {
    found.iter().filter(|p| crate::geometry::validity::needs_repair(p)).count()
}

/// One feature of a snapshot, its geometry read: its position in the file, its
/// properties, whether it is polygonal and what cleaning its rings did.
struct ReadFeature<'f, 'a, 'r> {
    index: usize,
    properties: Option<&'f RawProperties<'a>>,
    polygonal: bool,
    fixes: &'f RingFixes<'r>,
}

impl ReadFeature<'_, '_, '_> {
    /// Adds the feature's polygons (`found`, taken) to the snapshot's, classified by its
    /// properties, and counts and warns about it in the report. `invalid` counts the
    /// polygons that need repair (asked only of a feature with a status).
    fn add_to(
        &self,
        report: &mut ScanReport,
        polygons: &mut PerStatus<Vec<Polygon<f64>>>,
        classify: impl FnOnce() -> Classification,
        found: &mut Vec<Polygon<f64>>,
        invalid: impl FnOnce(&[Polygon<f64>]) -> usize,
    ) {
        let (index, fixes) = (self.index, self.fixes);
        if !self.polygonal {
            report.not_territory += 1;
            return;
        }
        if found.is_empty() {
            if fixes.any() {
                fixes.report(&mut report.warnings, index);
            } else {
                fixes.warn(&mut report.warnings, index, WarningKind::EmptyGeometry, "no polygon with three distinct points");
            }
            return;
        }
        match classify() {
            Ok(status) => {
                let invalid = invalid(found);
                if invalid > 0 {
                    fixes.warn(&mut report.warnings, index, WarningKind::InvalidTopology, &format!("{invalid} of {} polygons self-intersect or have holes outside their shell", found.len()));
                }
                if fixes.any() || invalid > 0 {
                    report.repaired += found.len();
                }
                fixes.report(&mut report.warnings, index);
                report.polygons[status] += found.len();
                polygons[status].append(found);
            }
            Err(why) if why.foreign => report.foreign += found.len(),
            Err(why) => {
                report.unclassified += found.len();
                report.warnings.push(Warning { feature: index, kind: WarningKind::Unclassified, detail: why.reason });
            }
        }
    }
}

fn snapshot_time(
    path: &Path,
    bytes: &[u8],
    features: &[(Option<&RawGeometry>, Option<&RawProperties>)],
    options: &ReadOptions,
) -> Result<DateTime<Utc>> {
    if let Some(field) = &options.time_field {
        let from_top = serde_json::from_slice::<std::collections::HashMap<&str, &serde_json::value::RawValue>>(bytes)
            .ok()
            .and_then(|top| top.get(field.as_str()).and_then(|v| property_text(v)));
        let from_features = || {
            features.iter().find_map(|(_, p)| p.and_then(|p| p.text(field)))
        };
        return match from_top.or_else(from_features) {
            Some(text) => parse_time(&text).ok_or_else(|| {
                Error::format(path, format!("time field `{field}` = `{text}` is not a time (unix seconds, RFC 3339 or YYYY-MM-DD)"))
            }),
            None => Err(Error::format(path, format!("no property `{field}` holds the snapshot time"))),
        };
    }
    time_from_file_name(&file_name(path)).ok_or_else(|| Error::NoTime { path: path.to_path_buf() })
}

/// The reprojection of a document's positions to WGS84: from `forced` (the `--crs`
/// option) when given, else from the document's `crs` member; `None` for WGS84.
pub(crate) fn reprojection(path: &Path, doc: &RawDocument, forced: Option<&str>) -> Result<Option<Reprojection>> {
    let name = match forced {
        Some(name) => Some(name.to_string()),
        None => crate::input::crs::declared(doc.crs).map_err(|m| Error::format(path, m))?,
    };
    match name {
        None => Ok(None),
        Some(name) => Reprojection::to_wgs84(&name).map_err(|m| Error::format(path, m)),
    }
}

/// What ring clean-up did to one feature (and the reprojection it applies).
#[derive(Default)]
pub(crate) struct RingFixes<'r> {
    unclosed: usize,
    repeated: usize,
    degenerate: usize,
    reproject: Option<&'r Reprojection>,
}

impl RingFixes<'_> {
    fn any(&self) -> bool {
        self.unclosed + self.repeated + self.degenerate > 0
    }

    fn warn(&self, warnings: &mut Vec<Warning>, feature: usize, kind: WarningKind, detail: &str) {
        warnings.push(Warning { feature, kind, detail: detail.to_string() });
    }

    pub(crate) fn report(&self, warnings: &mut Vec<Warning>, feature: usize) {
        for (count, kind, what) in [
            (self.unclosed, WarningKind::UnclosedRing, "unclosed rings closed"),
            (self.repeated, WarningKind::RepeatedPoints, "repeated points removed"),
            (self.degenerate, WarningKind::DegenerateRing, "rings with fewer than three distinct points dropped"),
        ] {
            if count > 0 {
                self.warn(warnings, feature, kind, &format!("{count} {what}"));
            }
        }
    }
}

/// Appends the polygons of a geometry to `out`. Returns whether the geometry is polygonal
/// (a Polygon, a MultiPolygon or a collection holding one); points and lines are not.
fn collect_polygons(geometry: &RawGeometry, out: &mut Vec<Polygon<f64>>, fixes: &mut RingFixes) -> Result<bool, String> {
    match geometry.kind.as_str() {
        "Polygon" => {
            let rings = coordinate_list(geometry, "Polygon")?;
            out.extend(polygon_from(rings, fixes)?);
            Ok(true)
        }
        "MultiPolygon" => {
            for polygon in coordinate_list(geometry, "MultiPolygon")? {
                let Coords::List(rings) = polygon else {
                    return Err("MultiPolygon: a polygon is not an array of rings".into());
                };
                out.extend(polygon_from(rings, fixes)?);
            }
            Ok(true)
        }
        "GeometryCollection" => {
            let mut polygonal = false;
            for member in geometry.geometries.iter().flatten() {
                polygonal |= collect_polygons(member, out, fixes)?;
            }
            Ok(polygonal || geometry.geometries.as_ref().is_some_and(Vec::is_empty))
        }
        "Point" | "MultiPoint" | "LineString" | "MultiLineString" => Ok(false),
        other => Err(format!("unknown geometry type `{other}`")),
    }
}

fn coordinate_list<'g>(geometry: &'g RawGeometry, kind: &str) -> Result<&'g [Coords], String> {
    match &geometry.coordinates {
        Some(Coords::List(items)) => Ok(items),
        Some(Coords::Positions(_)) => Err(format!("{kind}: `coordinates` holds positions where rings of positions are expected (a level of brackets missing?)")),
        Some(_) => Err(format!("{kind}: `coordinates` is not an array of arrays")),
        None => Err(format!("{kind} without `coordinates`")),
    }
}

/// A polygon from rings of positions, rings cleaned; `None` when the shell is degenerate.
fn polygon_from(rings: &[Coords], fixes: &mut RingFixes) -> Result<Option<Polygon<f64>>, String> {
    let mut cleaned = Vec::with_capacity(rings.len());
    for (i, ring) in rings.iter().enumerate() {
        match clean_ring(ring, fixes)? {
            Some(r) => cleaned.push(r),
            None if i == 0 => return Ok(None),
            None => {}
        }
    }
    let mut cleaned = cleaned.into_iter();
    Ok(cleaned.next().map(|shell| Polygon::new(shell, cleaned.collect())))
}

/// Checks and cleans one ring: coordinates in range, repeated points removed, closed.
fn clean_ring(ring: &Coords, fixes: &mut RingFixes) -> Result<Option<LineString<f64>>, String> {
    let positions: &[Coord<f64>] = match ring {
        Coords::Positions(positions) => positions,
        Coords::List(items) if items.is_empty() => &[],
        Coords::List(_) => return Err("a ring holds something other than [longitude, latitude] positions".into()),
        _ => return Err("a ring is not an array of positions".into()),
    };
    let mut coords: Vec<Coord<f64>> = Vec::with_capacity(positions.len() + 1);
    for &Coord { x, y } in positions {
        let (x, y) = match fixes.reproject {
            Some(r) => r.apply(x, y)?,
            None => (x, y),
        };
        push_position(&mut coords, x, y, fixes)?;
    }
    let Some(coords) = close_ring(coords, fixes) else {
        return Ok(None);
    };
    if let Some(r) = fixes.reproject {
        if let (Some(before), Some(after)) = (rect_of(positions), rect_of(&coords)) {
            let degrees = before.min().x >= -180.0 && before.min().y >= -90.0 && before.max().x <= 180.0 && before.max().y <= 90.0;
            let size = |r: geo::Rect<f64>| r.width().max(r.height());
            if degrees && size(after) < 1e-3 * size(before) {
                // Degrees read as metres land within a few hundred metres of the projection's
                // origin: every area would be about 0, silently.
                return Err(format!(
                    "positions such as [{}, {}] look like longitude/latitude in degrees, not `{}`: drop `--crs` (or the file's `crs` member) or reproject the file",
                    positions[0].x, positions[0].y, r.from
                ));
            }
        }
    }
    check_span(&coords)?;
    Ok(Some(LineString::new(coords)))
}

/// Checks and cleans a ring given as coordinates (a state built in memory): the same checks
/// and clean-up as a ring read from a file.
pub(crate) fn clean_coords(ring: &LineString<f64>, fixes: &mut RingFixes) -> Result<Option<LineString<f64>>, String> {
    let mut coords: Vec<Coord<f64>> = Vec::with_capacity(ring.0.len() + 1);
    for c in &ring.0 {
        push_position(&mut coords, c.x, c.y, fixes)?;
    }
    let Some(coords) = close_ring(coords, fixes) else {
        return Ok(None);
    };
    check_span(&coords)?;
    Ok(Some(LineString::new(coords)))
}

/// Appends a position to a ring being cleaned: refused when it is not longitude/latitude,
/// dropped when it repeats the one before.
#[inline]
fn push_position(coords: &mut Vec<Coord<f64>>, x: f64, y: f64, fixes: &mut RingFixes) -> Result<(), String> {
    check_position(x, y)?;
    let c = Coord { x, y };
    if coords.last() == Some(&c) {
        fixes.repeated += 1;
    } else {
        coords.push(c);
    }
    Ok(())
}

/// Closes a cleaned ring; `None` (and counted) when it has fewer than three distinct points.
fn close_ring(mut coords: Vec<Coord<f64>>, fixes: &mut RingFixes) -> Option<Vec<Coord<f64>>> {
    if coords.len() > 1 && coords.first() != coords.last() {
        fixes.unclosed += 1;
        coords.push(coords[0]);
    }
    if coords.len() < 4 {
        fixes.degenerate += 1;
        return None;
    }
    Some(coords)
}

/// Refuses a ring across more than 180° of longitude.
fn check_span(coords: &[Coord<f64>]) -> Result<(), String> {
    let (west, east) = coords.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(w, e), c| (w.min(c.x), e.max(c.x)));
    if east - west > 180.0 {
        // Areas are measured ring by ring on the ellipsoid, which tells a ring's inside
        // only for rings smaller than a hemisphere, and the grid of the indexed engine
        // reads the same ring in the plane: the two would disagree (found by fuzzing).
        return Err(format!(
            "a ring spans {:.1}° of longitude ({west} to {east}): rings must stay within 180° (split them at the antimeridian)",
            east - west
        ));
    }
    Ok(())
}

/// The bounding rectangle of some positions (`None` for none).
fn rect_of(points: &[Coord<f64>]) -> Option<geo::Rect<f64>> {
    let first = *points.first()?;
    let (min, max) = points.iter().fold((first, first), |(lo, hi), c| {
        (Coord { x: lo.x.min(c.x), y: lo.y.min(c.y) }, Coord { x: hi.x.max(c.x), y: hi.y.max(c.y) })
    });
    Some(geo::Rect::new(min, max))
}

/// Refuses positions that are not longitude/latitude in degrees, with a hint at the cause.
pub(crate) fn check_position(x: f64, y: f64) -> Result<(), String> {
    if !x.is_finite() || !y.is_finite() {
        return Err(format!("coordinate [{x}, {y}] is not a finite number"));
    }
    if (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y) {
        return Ok(());
    }
    let hint = if x.abs() > 1000.0 || y.abs() > 1000.0 {
        " (it looks projected, e.g. Web Mercator metres: reproject to WGS84 longitude/latitude)"
    } else if (-90.0..=90.0).contains(&x) && (-180.0..=180.0).contains(&y) {
        " (latitude and longitude look swapped: GeoJSON is [longitude, latitude])"
    } else {
        ""
    };
    Err(format!("coordinate [{x}, {y}] is outside longitude -180..180, latitude -90..90{hint}"))
}

/// The polygons of a region's geometry, rings cleaned (problems are not reported: region
/// files are repaired silently, as they are the user's own reference shapes).
pub(crate) fn region_polygons(geometry: &RawGeometry, out: &mut Vec<Polygon<f64>>, reproject: Option<&Reprojection>) -> Result<bool, String> {
    collect_polygons(geometry, out, &mut RingFixes { reproject, ..RingFixes::default() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_directory_of_snapshots_skips_area_statistics() {
        for name in ["1.geojson", "1.GeoJSON.gz", "2.json", "2.json.gz", "b.areas.geojson"] {
            assert!(is_geojson_name(name), "{name}");
        }
        for name in ["1.areas.json", "1.AREAS.JSON", "1.areas.json.gz", "1.txt", ".1.geojson.gz.7.tmp"] {
            assert!(!is_geojson_name(name), "{name}");
        }
        let dir = tempfile::tempdir().unwrap();
        for name in ["1754251105.geojson.gz", "1754251105.areas.json", "notes.txt"] {
            std::fs::write(dir.path().join(name), b"{}").unwrap();
        }
        let files = snapshot_files(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(files, vec![dir.path().join("1754251105.geojson.gz")]);
    }

    fn gzip(text: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(text).unwrap();
        encoder.finish().unwrap()
    }

    fn same_snapshot(a: &Snapshot, b: &Snapshot) {
        assert_eq!((&a.name, a.time), (&b.name, b.time));
        assert_eq!(a.report, b.report);
        for status in crate::Status::ALL {
            assert_eq!(a.polygons[status], b.polygons[status], "{status:?}");
        }
    }

    /// Snapshots that repeat features of the one before, in other places in the file,
    /// some with rings to clean or polygons to repair, one under another name, and one
    /// that changes: the reader gives what reading each on its own gives, warnings with
    /// their feature numbers included; and a broken feature fails with the same message.
    #[test]
    fn a_reader_gives_what_reading_each_snapshot_alone_gives() {
        let dir = tempfile::tempdir().unwrap();
        let feature = |name: &str, rings: &str| {
            format!(r#"{{"type":"Feature","properties":{{"name":"{name}"}},"geometry":{{"type":"Polygon","coordinates":{rings}}}}}"#)
        };
        let occupied = "Окуповано /// Occupied";
        let grey = "Статус невідомий /// Unknown status";
        // (unclosed and with a repeated point; a bowtie; a plain square; a point)
        let unclosed = feature(occupied, "[[[37,48],[37.1,48],[37.1,48],[37.1,48.1],[37,48.1]]]");
        let bowtie = feature(grey, "[[[37.2,48],[37.3,48.1],[37.3,48],[37.2,48.1],[37.2,48]]]");
        let square = |x: f64, name: &str| feature(name, &format!("[[[{x},48],[{x}.05,48],[{x}.05,48.05],[{x},48.05],[{x},48]]]"));
        let point = r#"{"type":"Feature","properties":{"name":"unit"},"geometry":{"type":"Point","coordinates":[37,48]}}"#;
        let none = r#"{"type":"Feature","properties":{"name":"x"},"geometry":null}"#;
        let collection = |features: &[&str]| format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","));
        let files = [
            ("1700000000.geojson", collection(&[&unclosed, &bowtie, &square(36.0, occupied), point])),
            ("1700086400.geojson", collection(&[point, &square(36.0, grey), &bowtie, none, &unclosed, &square(35.0, occupied), &square(34.0, "mystery")])),
            // (properties the previous snapshot had, on other polygons: told as before)
            ("1700172800.geojson", collection(&[&unclosed, &unclosed, &square(35.0, occupied), &bowtie, &square(33.0, "mystery"), &square(32.0, "Transnistria"), &square(31.0, grey)])),
            ("1700259200.geojson", r#"{"type":"Feature","properties":{"name":"Окуповано"},"geometry":{"type":"Polygon","coordinates":[[[37,48],[37.1,48],[37.1,48.1],[37,48]]]}}"#.to_string()),
            ("1700345600.geojson", collection(&[&unclosed, &bowtie])),
            ("1700432000.geojson", collection(&[&unclosed, r#"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[37,48],[37.1]]]}}"#])),
        ];
        let mut reader = SnapshotReader::new(&ReadOptions::default());
        for (name, text) in &files {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            match (reader.read(&path), read_snapshot(&path, &ReadOptions::default())) {
                (Ok(a), Ok(b)) => same_snapshot(&a, &b),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                (a, b) => panic!("{name}: {:?} vs {:?}", a.map(|s| s.report), b.map(|s| s.report)),
            }
        }
        let last = reader.read(&dir.path().join(files[5].0)).unwrap_err().to_string();
        assert!(last.contains("1700432000.geojson") && last.contains("feature 1"), "{last}");
        // The second snapshot's warnings carry their own feature numbers.
        let second = reader.read(&dir.path().join(files[1].0)).unwrap();
        assert!(second.report.warnings.iter().any(|w| w.feature == 4 && w.kind == WarningKind::UnclosedRing), "{:?}", second.report.warnings);
        assert!(second.report.warnings.iter().any(|w| w.feature == 2 && w.kind == WarningKind::InvalidTopology), "{:?}", second.report.warnings);
    }

    /// Reading a timeline in order, each snapshot in the light of the one before (as the
    /// indexed engine reads), gives what reading each file on its own gives: every polygon,
    /// bit for bit, and every report, over the real archive and the occupied-only daily
    /// exports.
    #[test]
    fn the_reader_reads_the_real_archives_as_each_file_alone() {
        let Some(data) = crate::test_data::data_dir() else { return };
        let occupied_only = ReadOptions { classifier: Classifier::All(Status::Occupied), ..ReadOptions::default() };
        for (folder, options) in [("deepstate/snapshots", ReadOptions::default()), ("deepstate-occupied", occupied_only)] {
            let files = snapshot_files(&[data.join(folder)]).unwrap();
            let mut reader = SnapshotReader::new(&options);
            for file in &files {
                let (a, b) = (reader.read(file).unwrap(), read_snapshot(file, &options).unwrap());
                same_snapshot(&a, &b);
            }
            assert!(files.len() >= 25, "{folder}: {} files", files.len());
        }
    }

    /// One member goes through libdeflate; two (as `cat a.gz b.gz` makes, the same text
    /// twice to defeat a check of the trailer alone) are both read.
    #[test]
    fn gzip_files_are_read_whole() {
        let text: Vec<u8> = (0..20_000u32).flat_map(|i| format!("[{}.{}, 48.5],", 37 + i % 3, i).into_bytes()).collect();
        let unzip = |raw: &[u8]| {
            let mut out = b"left over from the previous file".to_vec();
            gunzip(raw, &mut out, DEFAULT_MAX_TEXT_BYTES).map(|()| out)
        };
        let one = gzip(&text);
        assert_eq!(unzip(&one).unwrap(), text);
        let mut two = one.clone();
        two.extend_from_slice(&one);
        assert_eq!(unzip(&two).unwrap(), [text.clone(), text].concat());
        assert!(unzip(&one[..one.len() / 2]).is_err());
    }

    #[test]
    fn snapshot_reader_example() -> crate::Result<()> {
        use crate::input::read::{read_snapshot, ReadOptions, SnapshotReader};
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data/snapshots");
        let mut reader = SnapshotReader::new(&ReadOptions::default());
        for name in ["1730419200.geojson", "1731024000.geojson", "1731628800.geojson"] {
            let snapshot = reader.read(&dir.join(name))?;
            let alone = read_snapshot(&dir.join(name), &ReadOptions::default())?;
            assert_eq!(snapshot.polygons.occupied, alone.polygons.occupied);
            assert_eq!(snapshot.report, alone.report);
        }
        Ok(())
    }

    /// The magic bytes of a member header inside the compressed data of one member (here
    /// in a stored block of incompressible bytes; in deflated text by chance) are not a
    /// second member; after the first member's trailer, they are.
    #[test]
    fn another_member_is_told_by_the_trailer_before_its_header() {
        // (xorshift: bytes deflate cannot shorten, kept as they are)
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut noise = |n: usize| -> Vec<u8> {
            (0..n)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state >> 56) as u8
                })
                .collect()
        };
        let text = [noise(4000), MEMBER.to_vec(), noise(4000)].concat();
        let one = gzip(&text);
        assert!(one[10..].windows(3).any(|w| w == MEMBER), "the magic bytes are in the compressed data");
        assert!(!another_member_follows(&one, &text));
        let two = [one.clone(), gzip(b"and more")].concat();
        assert!(another_member_follows(&two, &text));
        let mut out = Vec::new();
        gunzip(&one, &mut out, DEFAULT_MAX_TEXT_BYTES).unwrap();
        assert_eq!(out, text);
        gunzip(&two, &mut out, DEFAULT_MAX_TEXT_BYTES).unwrap();
        assert_eq!(out, [&text[..], b"and more"].concat());
    }

    /// A trailer claiming 4 GiB for an empty collection (or 10 bytes for a longer text):
    /// the buffer stays within what 58 compressed bytes can give (1,032 bytes each at most),
    /// and the error is the checksum's, as before.
    #[test]
    fn a_forged_gzip_trailer_is_not_trusted_with_memory() {
        let text = br#"{"type":"FeatureCollection","features":[]}"#;
        let honest = gzip(text);
        for claim in [0xFFFF_FFF0u32, 10] {
            let mut forged = honest.clone();
            let n = forged.len();
            forged[n - 4..].copy_from_slice(&claim.to_le_bytes());
            let mut out = Vec::new();
            let Err(Gunzip::Broken(why)) = gunzip(&forged, &mut out, DEFAULT_MAX_TEXT_BYTES) else { panic!("{claim}: read") };
            assert!(why.contains("checksum"), "{claim}: {why}");
            assert!(out.capacity() as u64 <= DEFLATE_MAX_RATIO * forged.len() as u64, "{claim}: {} bytes", out.capacity());
        }
        let mut out = Vec::new();
        gunzip(&honest, &mut out, DEFAULT_MAX_TEXT_BYTES).unwrap();
        assert_eq!(out, text);
    }

    /// 5 MB of spaces in about 5 kB of gzip, read with a limit of 1 MiB: refused, in one
    /// member (libdeflate) and in two (the streaming decoder), and the buffer given back.
    /// A text of exactly the limit is read; one byte more is not.
    #[test]
    fn decompression_stops_at_the_limit() {
        const MIB: u64 = 1 << 20;
        let spaces = vec![b' '; 5_000_000];
        let one = gzip(&spaces);
        assert!(one.len() < 10_000, "{}", one.len());
        let two = [one.clone(), one.clone()].concat();
        for raw in [&one, &two] {
            let mut out = Vec::new();
            assert_eq!(gunzip(raw, &mut out, MIB), Err(Gunzip::TooLarge));
            assert_eq!(out.capacity(), 0);
            let whole = spaces.len() as u64 * (raw.len() / one.len()) as u64;
            gunzip(raw, &mut out, whole).unwrap();
            assert_eq!(out.len() as u64, whole);
            assert_eq!(gunzip(raw, &mut out, whole - 1), Err(Gunzip::TooLarge));
        }
    }

    /// A plain file longer than the limit is refused by its length; a gzip file by its text.
    #[test]
    fn files_over_the_limit_are_refused_naming_them() {
        let dir = tempfile::tempdir().unwrap();
        let feature = r#"{"type":"Feature","properties":{"name":"Окуповано"},"geometry":{"type":"Polygon","coordinates":[[[37,48],[37.1,48],[37.1,48.1],[37,48]]]}}"#;
        let text = format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, [feature; 10].join(","));
        let text = text.as_bytes();
        let plain = dir.path().join("1700000000.geojson");
        std::fs::write(&plain, text).unwrap();
        let zipped = dir.path().join("1700000001.geojson.gz");
        std::fs::write(&zipped, gzip(text)).unwrap();
        // (the gzip file itself is within the limit: its text is not)
        let limit = text.len() as u64 - 1;
        assert!((std::fs::metadata(&zipped).unwrap().len()) < limit);
        let options = ReadOptions { max_text_bytes: limit, ..ReadOptions::default() };
        let plain_error = read_snapshot(&plain, &options).unwrap_err().to_string();
        let expected = format!("{}: the file is {} bytes, more than the limit of {limit} bytes of text", plain.display(), text.len());
        assert!(plain_error.starts_with(&expected), "{plain_error}");
        let zipped_error = SnapshotReader::new(&options).read(&zipped).unwrap_err().to_string();
        let expected = format!("1700000001.geojson.gz: the text is more than the limit of {limit} bytes once decompressed");
        assert!(zipped_error.contains(&expected), "{zipped_error}");
        let options = ReadOptions { max_text_bytes: limit + 1, ..ReadOptions::default() };
        assert!(read_snapshot(&plain, &options).is_ok() && read_snapshot(&zipped, &options).is_ok());
    }

    /// Windows programs start UTF-8 text with a byte-order mark: read as without it, by
    /// the reader that takes over features too.
    #[test]
    fn a_byte_order_mark_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Окуповано"},"geometry":{"type":"Polygon","coordinates":[[[37,48],[37.1,48],[37.1,48.1],[37,48]]]}}]}"#;
        let plain = dir.path().join("1700000000.geojson");
        std::fs::write(&plain, text).unwrap();
        let marked = dir.path().join("1700086400.geojson");
        std::fs::write(&marked, [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat()).unwrap();
        let mut reader = SnapshotReader::new(&ReadOptions::default());
        let first = reader.read(&plain).unwrap();
        let second = reader.read(&marked).unwrap();
        let alone = read_snapshot(&marked, &ReadOptions::default()).unwrap();
        assert_eq!(first.polygons.occupied.len(), 1);
        assert_eq!(second.polygons.occupied, first.polygons.occupied);
        assert_eq!(alone.polygons.occupied, first.polygons.occupied);
        assert_eq!(alone.report, second.report);
    }
}
