//! Snapshot times: from file names or from a property.

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};

/// The time a file name gives, if any.
///
/// - a name whose stem is unix seconds (`1754251105.geojson.gz`) is that instant;
/// - a name with `YYYYMMDD` or `YYYY-MM-DD` anywhere (`deepstatemap_data_20250630.geojson`)
///   is midnight UTC of that day.
pub fn time_from_file_name(name: &str) -> Option<DateTime<Utc>> {
    let stem = name.split('.').next().unwrap_or(name);
    if (9..=11).contains(&stem.len()) && stem.bytes().all(|b| b.is_ascii_digit()) {
        return stem.parse::<i64>().ok().and_then(|s| Utc.timestamp_opt(s, 0).single());
    }
    date_in(name).map(midnight)
}

/// Parses a time property value: unix seconds (or milliseconds), RFC 3339, `YYYY-MM-DD`,
/// `YYYY-MM-DDTHH:MM:SS` (UTC) or `YYYYMMDD`.
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim().trim_matches('"');
    if let Ok(number) = text.parse::<f64>() {
        if !number.is_finite() || text.len() == 8 && !text.contains('.') {
            return date_in(text).map(midnight);
        }
        let seconds = if number.abs() > 1e11 { number / 1000.0 } else { number };
        return Utc.timestamp_opt(seconds.floor() as i64, 0).single();
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Some(t.and_utc());
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().map(midnight)
}

/// RFC 3339 in UTC with a `Z`, to the second: the form of every time `frontline` writes.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Serializes a time as [`rfc3339`] text: how rows carry their typed times into JSON and
/// CSV. The text is wrapped in a newtype struct named [`TIME_NEWTYPE`], which JSON, CSV and
/// tables see through (a newtype is its content to them) and by which the Parquet writer
/// knows a time column, to write it as a timestamp rather than as text.
pub(crate) fn serialize<S: serde::Serializer>(time: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_newtype_struct(TIME_NEWTYPE, &Rfc3339Text(*time))
}

/// The name of the newtype struct a time is serialized as (see [`serialize`]).
pub(crate) const TIME_NEWTYPE: &str = "frontline::Time";

/// A time serialized as its RFC 3339 text.
struct Rfc3339Text(DateTime<Utc>);

impl serde::Serialize for Rfc3339Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&rfc3339(self.0))
    }
}

fn midnight(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

/// The first valid date written as `YYYYMMDD` (a run of exactly 8 digits) or `YYYY-MM-DD`.
fn date_in(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    for start in 0..bytes.len() {
        if start > 0 && digit(start - 1) {
            continue;
        }
        if (start..start + 8).all(digit) && !digit(start + 8) {
            if let Ok(d) = NaiveDate::parse_from_str(&text[start..start + 8], "%Y%m%d") {
                return Some(d);
            }
        }
        if (start..start + 4).all(digit)
            && bytes.get(start + 4) == Some(&b'-')
            && (start + 5..start + 7).all(digit)
            && bytes.get(start + 7) == Some(&b'-')
            && (start + 8..start + 10).all(digit)
            && !digit(start + 10)
        {
            if let Ok(d) = NaiveDate::parse_from_str(&text[start..start + 10], "%Y-%m-%d") {
                return Some(d);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_names() {
        let t = |n| time_from_file_name(n).map(rfc3339);
        assert_eq!(t("map-2024-02-29.json").as_deref(), Some("2024-02-29T00:00:00Z"));
        assert_eq!(t("x_20230101_v2.geojson.gz").as_deref(), Some("2023-01-01T00:00:00Z"));
        // not a date: 9 digits inside a longer run, an impossible day
        assert_eq!(t("export_123456789012.json"), None);
        assert_eq!(t("20231345.json"), None);
        assert_eq!(t("1649005166.geojson.gz").as_deref(), Some("2022-04-03T16:59:26Z"));
    }

    #[test]
    fn time_from_file_name_example() {
        use crate::input::time::time_from_file_name;
        let t = time_from_file_name("1754251105.geojson.gz").unwrap();
        assert_eq!(crate::input::time::rfc3339(t), "2025-08-03T19:58:25Z");
        let d = time_from_file_name("deepstatemap_data_20250630.geojson").unwrap();
        assert_eq!(crate::input::time::rfc3339(d), "2025-06-30T00:00:00Z");
        assert!(time_from_file_name("latest.geojson").is_none());
    }

    #[test]
    fn parse_time_example() {
        use crate::input::time::{parse_time, rfc3339};
        assert_eq!(rfc3339(parse_time("2024-11-05").unwrap()), "2024-11-05T00:00:00Z");
        assert_eq!(rfc3339(parse_time("1730764800000").unwrap()), "2024-11-05T00:00:00Z");
        assert_eq!(rfc3339(parse_time("2024-11-05T12:00:00+02:00").unwrap()), "2024-11-05T10:00:00Z");
    }
}
