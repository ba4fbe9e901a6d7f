//! A fast, typed reader of GeoJSON text.
//!
//! Control-map exports are mostly unit markers with long HTML descriptions; only the
//! polygons and two or three properties matter. Properties are therefore kept as raw JSON
//! slices (never parsed unless asked for), and coordinates are read straight into a compact
//! tree, any third (height) value dropped.

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::Deserialize;
use geo::Coord;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

/// The properties of a feature, as raw JSON, parsed only when asked: most features of a
/// control map are unit markers whose long descriptions are never needed.
#[derive(Deserialize, Clone, Copy)]
#[serde(transparent)]
pub(crate) struct RawProperties<'a>(#[serde(borrow)] pub &'a RawValue);

impl<'a> RawProperties<'a> {
    /// The properties by key (empty when they are not an object).
    pub fn parse(&self) -> HashMap<Cow<'a, str>, &'a RawValue> {
        serde_json::from_str(self.0.get()).unwrap_or_default()
    }

    /// One property as text.
    pub fn text(&self, key: &str) -> Option<String> {
        self.parse().get(key).and_then(|v| property_text(v))
    }
}

/// The top level of a GeoJSON document: a FeatureCollection, a Feature or a bare geometry.
#[derive(Deserialize)]
pub(crate) struct RawDocument<'a> {
    #[serde(rename = "type", borrow)]
    pub kind: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub features: Option<RawFeatures<'a>>,
    #[serde(default)]
    pub geometry: Option<RawGeometry>,
    #[serde(default, borrow)]
    pub properties: Option<RawProperties<'a>>,
    #[serde(default)]
    pub coordinates: Option<Coords>,
    #[serde(default)]
    pub geometries: Option<Vec<RawGeometry>>,
    /// The (2008-era) coordinate reference system member, if any.
    #[serde(default, borrow)]
    pub crs: Option<&'a RawValue>,
}

/// One feature.
#[derive(Deserialize)]
pub(crate) struct RawFeature<'a> {
    #[serde(default)]
    pub geometry: Option<RawGeometry>,
    #[serde(default, borrow)]
    pub properties: Option<RawProperties<'a>>,
}

/// A FeatureCollection whose features' geometries are kept as raw JSON, parsed only when
/// asked: for reading a timeline, in which most features repeat the previous snapshot's
/// (see [`crate::input::read::SnapshotReader`]).
#[derive(Deserialize)]
pub(crate) struct LazyDocument<'a> {
    #[serde(rename = "type", borrow)]
    pub kind: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub features: Option<Vec<LazyFeature<'a>>>,
    #[serde(default, borrow)]
    pub crs: Option<&'a RawValue>,
    /// Members a FeatureCollection has no use for, which [`RawDocument`] reads all the same
    /// (and refuses when malformed): a document with any of them is read that way.
    #[serde(default, borrow)]
    pub geometry: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub properties: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub coordinates: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub geometries: Option<&'a RawValue>,
}

/// One feature, its geometry as raw JSON.
#[derive(Deserialize)]
pub(crate) struct LazyFeature<'a> {
    #[serde(default, borrow)]
    pub geometry: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub properties: Option<RawProperties<'a>>,
}

/// A geometry: its type and either coordinates or member geometries.
#[derive(Deserialize)]
pub(crate) struct RawGeometry {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub coordinates: Option<Coords>,
    #[serde(default)]
    pub geometries: Option<Vec<RawGeometry>>,
}

/// Nested coordinate arrays. A position is its first two numbers.
///
/// An array of positions (a ring, a line, a MultiPoint's points) is read straight into
/// [`Coords::Positions`], 16 bytes a position: as a list of [`Coords`] it took twice that,
/// and the parsed coordinates of a detailed boundary file (1.3 million positions for the
/// hromadas) set the peak memory of reading it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Coords {
    Position(f64, f64),
    Number(f64),
    /// A non-empty array whose items are all positions.
    Positions(Vec<Coord<f64>>),
    /// Any other array: empty, of arrays of positions, or of mixed items.
    List(Vec<Coords>),
}

impl<'de> Deserialize<'de> for Coords {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CoordsVisitor)
    }
}

struct CoordsVisitor;

impl<'de> Visitor<'de> for CoordsVisitor {
    type Value = Coords;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or an array of coordinates")
    }
    fn visit_f64<E>(self, v: f64) -> Result<Coords, E> {
        Ok(Coords::Number(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Coords, E> {
        Ok(Coords::Number(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Coords, E> {
        Ok(Coords::Number(v as f64))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Coords, A::Error> {
        let Some(first) = seq.next_element::<Coords>()? else {
            return Ok(Coords::List(Vec::new()));
        };
        if let Coords::Number(x) = first {
            let Some(Coords::Number(y)) = seq.next_element::<Coords>()? else {
                return Err(de::Error::custom("a position needs two numbers"));
            };
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(Coords::Position(x, y));
        }
        if let Coords::Position(x, y) = first {
            let mut positions = Vec::with_capacity(seq.size_hint().unwrap_or(8) + 1);
            positions.push(Coord { x, y });
            loop {
                match seq.next_element::<Coords>()? {
                    None => return Ok(Coords::Positions(positions)),
                    Some(Coords::Position(x, y)) => positions.push(Coord { x, y }),
                    Some(other) => {
                        // Mixed items (not valid GeoJSON): kept as they came, for the
                        // reader to refuse with its usual message.
                        let mut items: Vec<Coords> = positions.iter().map(|c| Coords::Position(c.x, c.y)).collect();
                        items.push(other);
                        return rest_of_list(items, seq);
                    }
                }
            }
        }
        rest_of_list(vec![first], seq)
    }
}

/// The remaining items of an array that is not all positions.
fn rest_of_list<'de, A: SeqAccess<'de>>(mut items: Vec<Coords>, mut seq: A) -> Result<Coords, A::Error> {
    while let Some(item) = seq.next_element::<Coords>()? {
        items.push(item);
    }
    Ok(Coords::List(items))
}

/// The `features` array, read one feature at a time so that an error names its index.
pub(crate) struct RawFeatures<'a>(pub Vec<RawFeature<'a>>);

impl<'de: 'a, 'a> Deserialize<'de> for RawFeatures<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(FeaturesVisitor(std::marker::PhantomData))
    }
}

struct FeaturesVisitor<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for FeaturesVisitor<'a> {
    type Value = RawFeatures<'a>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of features")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut features = Vec::with_capacity(seq.size_hint().unwrap_or(64));
        loop {
            let index = features.len();
            match seq.next_element_seed(FeatureSeed(std::marker::PhantomData)) {
                Ok(Some(feature)) => features.push(feature),
                Ok(None) => return Ok(RawFeatures(features)),
                Err(e) => return Err(de::Error::custom(format!("{FEATURE_MARK}{index}: {e}"))),
            }
        }
    }
}

/// Prefix of errors raised inside a feature; [`split_feature_error`] takes it apart again.
const FEATURE_MARK: &str = "\u{1}feature ";

/// Splits a serde message made by the features visitor into the feature index and the rest.
pub(crate) fn split_feature_error(message: &str) -> Option<(usize, String)> {
    let rest = message.strip_prefix(FEATURE_MARK)?;
    let (index, detail) = rest.split_once(": ")?;
    Some((index.parse().ok()?, detail.to_string()))
}

struct FeatureSeed<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> DeserializeSeed<'de> for FeatureSeed<'a> {
    type Value = RawFeature<'a>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        RawFeature::deserialize(deserializer)
    }
}

/// A property value as text: strings unescaped, other values as written.
pub(crate) fn property_text(value: &RawValue) -> Option<String> {
    let raw = value.get();
    if raw.starts_with('"') {
        serde_json::from_str::<Cow<str>>(raw).ok().map(Cow::into_owned)
    } else if raw == "null" {
        None
    } else {
        Some(raw.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_drop_heights_and_nest() {
        let c: Coords = serde_json::from_str("[[[30, 50, 0], [31.5, 50], [31, 51.25, 7]]]").unwrap();
        let Coords::List(rings) = c else { panic!() };
        let Coords::Positions(ring) = &rings[0] else { panic!() };
        assert_eq!(ring[0], Coord { x: 30.0, y: 50.0 });
        assert_eq!(ring[2], Coord { x: 31.0, y: 51.25 });
    }

    /// Arrays that are not all positions keep their items as they came, whatever comes
    /// first: the reader refuses them with the message it gives for a malformed ring.
    #[test]
    fn mixed_arrays_keep_their_items() {
        let c: Coords = serde_json::from_str("[[30, 50], [[31, 50]], 7]").unwrap();
        assert_eq!(
            c,
            Coords::List(vec![Coords::Position(30.0, 50.0), Coords::Positions(vec![Coord { x: 31.0, y: 50.0 }]), Coords::Number(7.0)])
        );
        let c: Coords = serde_json::from_str("[[[30, 50]], [31, 50]]").unwrap();
        assert_eq!(c, Coords::List(vec![Coords::Positions(vec![Coord { x: 30.0, y: 50.0 }]), Coords::Position(31.0, 50.0)]));
        let c: Coords = serde_json::from_str("[]").unwrap();
        assert_eq!(c, Coords::List(vec![]));
    }

    #[test]
    fn an_error_inside_a_feature_names_its_index() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","geometry":null,"properties":{}},
            {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[1,2],["x",3]]]}}]}"#;
        let err = serde_json::from_str::<RawDocument>(text).err().unwrap().to_string();
        let (index, _) = split_feature_error(&err).unwrap();
        assert_eq!(index, 1);
    }
}
