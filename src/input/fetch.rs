//! A local archive of the DeepState map, fetched incrementally from its API.
//!
//! The map publishes the list of its snapshots (`GET {api}/history/public`), each snapshot
//! as GeoJSON (`GET {api}/history/{id}/geojson`) and its own area statistics
//! (`GET {api}/history/{id}/areas`). [`fetch`] keeps the snapshots of a date range (all of
//! them, or the last of each UTC day or ISO week) in a directory, under the names every
//! other part of `frontline` reads: `{id}.geojson.gz` and, if asked, `{id}.areas.json`.
//!
//! A run fetches only what the directory lacks. A file appears in it only complete and
//! checked (the snapshot parses as a GeoJSON FeatureCollection, the areas as their JSON
//! array): it is written under a temporary name and renamed, so that a run killed at any
//! point leaves nothing half-written, and the next run removes the temporary file such a
//! run left and completes the archive.
//!
//! Network faults (connection errors, timeouts, a body cut short or that does not parse,
//! 5xx, 429) are retried with exponential backoff, honouring `Retry-After`; other 4xx are
//! not. Requests are paced by a polite delay, name `frontline` and its version as their
//! `User-Agent`, and go through the proxy of `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY`
//! (with `NO_PROXY`) when set.
//!
//! ```no_run
//! use frontline::fetch::{fetch, FetchOptions, Keep};
//!
//! let mut options = FetchOptions::new("archive");
//! options.keep = Keep::Week;
//! options.since = Some("2025-01-01".parse().unwrap());
//! let summary = fetch(&options, &mut |_| {})?;
//! println!("{} fetched, {} already there, {} failed", summary.fetched, summary.present, summary.failed.len());
//! # Ok::<(), frontline::Error>(())
//! ```

use crate::error::{Error, Result};
use chrono::{DateTime, Datelike, NaiveDate};
use serde::Deserialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::thread::sleep;
use std::time::{Duration, Instant, SystemTime};

/// The map's API, as [`FetchOptions::new`] sets it.
pub const DEFAULT_API: &str = "https://deepstatemap.live/api";

/// The longest wait between two tries that backoff grows to.
const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// The longest `Retry-After` honoured: a server asking for more is asked again after this.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(600);
/// A response body larger than this is refused (the largest snapshot of 2025 is 0.6 MB):
/// a server gone wrong must not exhaust memory.
const MAX_BODY: u64 = 512 << 20;
/// Temporary files are `.frontline-fetch.{file}.{pid}.tmp`: a name no reader takes for a
/// snapshot, and that a later run recognizes as its own to remove.
const TEMP_PREFIX: &str = ".frontline-fetch.";
const TEMP_SUFFIX: &str = ".tmp";

/// Which snapshots of the range are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Keep {
    /// Every snapshot.
    #[default]
    All,
    /// The last snapshot of each UTC day.
    Day,
    /// The last snapshot of each ISO week (Monday to Sunday, UTC).
    Week,
}

impl FromStr for Keep {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "all" => Ok(Keep::All),
            "day" | "daily" => Ok(Keep::Day),
            "week" | "weekly" => Ok(Keep::Week),
            other => Err(format!("`{other}`: expected all, day or week")),
        }
    }
}

/// What [`fetch`] fetches, from where, into where, and how patiently.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// The API's base URL, without a trailing `/` ([`DEFAULT_API`]).
    pub api: String,
    /// The archive directory (created if missing).
    pub out: PathBuf,
    /// The first UTC date whose snapshots are kept, inclusive.
    pub since: Option<NaiveDate>,
    /// The last UTC date whose snapshots are kept, inclusive.
    pub until: Option<NaiveDate>,
    /// Every snapshot, or the last of each day or week.
    pub keep: Keep,
    /// Also fetch the map's area statistics of each snapshot, `{id}.areas.json`.
    pub areas: bool,
    /// The least time between two requests (1 s).
    pub delay: Duration,
    /// How often a failed request is tried again (5).
    pub retries: u32,
    /// The longest a request may take, from connecting to the end of its body (60 s).
    pub timeout: Duration,
    /// The wait before the first retry, doubled for each further one up to a minute (1 s).
    pub backoff: Duration,
    /// Go through the proxy the environment names (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`,
    /// minus `NO_PROXY`), as by default; `false` connects directly.
    pub proxy_from_env: bool,
}

impl FetchOptions {
    /// The defaults, fetching every snapshot into `out`.
    ///
    /// ```
    /// use frontline::fetch::{FetchOptions, Keep, DEFAULT_API};
    /// use std::time::Duration;
    ///
    /// let options = FetchOptions::new("archive");
    /// assert_eq!(options.api, DEFAULT_API);
    /// assert_eq!((options.keep, options.areas, options.retries), (Keep::All, false, 5));
    /// assert_eq!(options.delay, Duration::from_secs(1));
    /// ```
    pub fn new(out: impl Into<PathBuf>) -> Self {
        FetchOptions {
            api: DEFAULT_API.to_string(),
            out: out.into(),
            since: None,
            until: None,
            keep: Keep::All,
            areas: false,
            delay: Duration::from_secs(1),
            retries: 5,
            timeout: Duration::from_secs(60),
            backoff: Duration::from_secs(1),
            proxy_from_env: true,
        }
    }
}

/// What [`fetch`] reports while it runs.
#[derive(Debug, Clone, PartialEq)]
pub enum FetchProgress<'a> {
    /// The list is read: `snapshots` in range, `missing` files to fetch, `present` there.
    Planned {
        /// Snapshots in the range kept.
        snapshots: usize,
        /// Files to fetch.
        missing: usize,
        /// Files already in the directory.
        present: usize,
    },
    /// A request failed and is tried again after `wait`.
    Retry {
        /// What was requested.
        url: &'a str,
        /// The retry about to be made, from 1.
        attempt: u32,
        /// How long until then.
        wait: Duration,
        /// Why the request failed.
        reason: &'a str,
    },
    /// A file was written into the directory.
    Fetched {
        /// Its name.
        file: &'a str,
    },
    /// A file could not be had after its retries.
    Failed {
        /// Its name.
        file: &'a str,
        /// Why.
        reason: &'a str,
    },
}

/// One file that could not be fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchFailure {
    /// The snapshot's id (unix seconds).
    pub id: u64,
    /// The file's name in the directory, `{id}.geojson.gz` or `{id}.areas.json`.
    pub file: String,
    /// Why: the last fault, and how often it was retried.
    pub reason: String,
}

/// What a [`fetch`] run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchSummary {
    /// Snapshots in the range kept.
    pub snapshots: usize,
    /// Files written by this run.
    pub fetched: usize,
    /// Files already in the directory, not fetched again.
    pub present: usize,
    /// Requests tried again.
    pub retried: usize,
    /// Temporary files of an interrupted run, removed.
    pub removed_temporaries: usize,
    /// Files that could not be fetched, oldest snapshot first.
    pub failed: Vec<FetchFailure>,
}

/// Fetches into `options.out` what it lacks of the snapshots in range, reporting progress
/// to `progress`; see the [module](self) documentation.
///
/// Files that fail after their retries are listed in the summary, and the rest is kept.
/// Errors: a bad option ([`Error::Usage`]), a list that is not the expected JSON
/// ([`Error::Format`], naming the URL), a list that could not be had ([`Error::Fetch`]), a
/// file that cannot be written ([`Error::Write`]). Options are checked before anything is
/// asked or written:
///
/// ```
/// use frontline::fetch::{fetch, FetchOptions};
///
/// let mut options = FetchOptions::new(std::env::temp_dir().join("frontline-fetch-example"));
/// options.since = "2025-02-01".parse().ok();
/// options.until = "2025-01-01".parse().ok();
/// let error = fetch(&options, &mut |_| {}).unwrap_err();
/// assert_eq!(error.to_string(), "--since 2025-02-01 is after --until 2025-01-01");
/// assert!(error.is_bad_input());
/// assert!(!options.out.exists());
/// ```
pub fn fetch(options: &FetchOptions, progress: &mut dyn FnMut(FetchProgress<'_>)) -> Result<FetchSummary> {
    let api = options.api.trim_end_matches('/');
    if !(api.starts_with("http://") || api.starts_with("https://")) {
        return Err(Error::Usage(format!("--api `{}`: expected an http:// or https:// URL", options.api)));
    }
    if let (Some(since), Some(until)) = (options.since, options.until) {
        if since > until {
            return Err(Error::Usage(format!("--since {since} is after --until {until}")));
        }
    }
    let dir = &options.out;
    std::fs::create_dir_all(dir).map_err(|source| Error::Write { path: dir.clone(), source })?;
    let mut summary = FetchSummary { removed_temporaries: remove_temporaries(dir)?, ..FetchSummary::default() };

    let mut client = Client::new(options);
    let list_url = format!("{api}/history/public");
    let check_list = |body: &[u8]| parse_list(body).map(drop);
    let list = client.get(&list_url, ("the snapshot list", check_list), &mut summary.retried, progress).map_err(|failure| {
        match failure.bad_body {
            true => Error::Format { path: list_url.clone().into(), message: failure.reason },
            false => Error::Fetch { url: list_url.clone(), message: failure.reason },
        }
    })?;
    let ids = parse_list(&list).map_err(|message| Error::Format { path: list_url.clone().into(), message })?;
    let selected = select(&ids, options.since, options.until, options.keep);

    let mut missing = Vec::new();
    for &id in &selected {
        let kinds: &[Kind] = if options.areas { &[Kind::Snapshot, Kind::Areas] } else { &[Kind::Snapshot] };
        for &kind in kinds {
            match dir.join(kind.file(id)).exists() {
                true => summary.present += 1,
                false => missing.push((id, kind)),
            }
        }
    }
    summary.snapshots = selected.len();
    progress(FetchProgress::Planned { snapshots: selected.len(), missing: missing.len(), present: summary.present });

    for (id, kind) in missing {
        let file = kind.file(id);
        let url = format!("{api}/history/{id}/{}", kind.endpoint());
        match client.get(&url, kind.check(), &mut summary.retried, progress) {
            Ok(body) => {
                write_atomically(&dir.join(&file), &body, kind == Kind::Snapshot)?;
                summary.fetched += 1;
                progress(FetchProgress::Fetched { file: &file });
            }
            Err(failure) => {
                progress(FetchProgress::Failed { file: &file, reason: &failure.reason });
                summary.failed.push(FetchFailure { id, file, reason: failure.reason });
            }
        }
    }
    Ok(summary)
}

/// The snapshot ids of a list as `GET {api}/history/public` returns it: a JSON array of
/// objects with an `id` (unix seconds, a time of the years 1970 to 9999), the other members
/// ignored. Sorted, without repeats.
///
/// ```
/// use frontline::fetch::parse_list;
///
/// let list = br#"[{"id": 1754251105, "createdAt": "2025-08-03T19:58:25.000Z"}, {"id": 1649005166}]"#;
/// assert_eq!(parse_list(list).unwrap(), vec![1649005166, 1754251105]);
/// assert!(parse_list(b"<html>").is_err());
/// assert!(parse_list(br#"{"id": 1}"#).is_err());
/// assert!(parse_list(br#"[{"createdAt": "2025-08-03"}]"#).is_err());
/// ```
pub fn parse_list(body: &[u8]) -> std::result::Result<Vec<u64>, String> {
    #[derive(Deserialize)]
    struct Entry {
        id: u64,
    }
    let entries: Vec<Entry> = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let mut ids = Vec::with_capacity(entries.len());
    for Entry { id } in entries {
        // Up to the end of the year 9999: a date every part of frontline can handle.
        if id >= 253_402_300_800 {
            return Err(format!("id {id} is not a time in unix seconds"));
        }
        ids.push(id);
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The ids (unix seconds) whose UTC date is within `since..=until`, all of them or the last
/// of each UTC day or ISO week, in ascending order.
///
/// ```
/// use frontline::fetch::{select, Keep};
///
/// // Sunday 2025-08-03 10:00 and 23:00, Monday 2025-08-04 01:00 UTC.
/// let ids = [1754215200, 1754262000, 1754269200];
/// assert_eq!(select(&ids, None, None, Keep::All), ids);
/// assert_eq!(select(&ids, None, None, Keep::Day), [1754262000, 1754269200]);
/// assert_eq!(select(&ids, None, None, Keep::Week), [1754262000, 1754269200]);
/// let monday = "2025-08-04".parse().ok();
/// assert_eq!(select(&ids, monday, monday, Keep::Week), [1754269200]);
/// ```
pub fn select(ids: &[u64], since: Option<NaiveDate>, until: Option<NaiveDate>, keep: Keep) -> Vec<u64> {
    let mut in_range: Vec<(u64, NaiveDate)> = ids
        .iter()
        .filter_map(|&id| Some((id, DateTime::from_timestamp(i64::try_from(id).ok()?, 0)?.date_naive())))
        .filter(|&(_, date)| since.is_none_or(|since| date >= since) && until.is_none_or(|until| date <= until))
        .collect();
    in_range.sort_unstable();
    in_range.dedup();
    let period = |date: NaiveDate| match keep {
        Keep::All => None,
        Keep::Day => Some((date.year(), date.ordinal())),
        Keep::Week => Some((date.iso_week().year(), date.iso_week().week())),
    };
    // In time order, an id is the last of its period when the next one is of another.
    let last_of_period = |(i, &(_, date)): &(usize, &(u64, NaiveDate))| {
        keep == Keep::All || in_range.get(i + 1).is_none_or(|&(_, next)| period(next) != period(date))
    };
    in_range.iter().enumerate().filter(last_of_period).map(|(_, &(id, _))| id).collect()
}

/// Checks that a body is a GeoJSON FeatureCollection: JSON whose `type` is
/// `FeatureCollection`, with a `features` array.
///
/// ```
/// use frontline::fetch::check_feature_collection;
///
/// assert!(check_feature_collection(br#"{"type":"FeatureCollection","features":[]}"#).is_ok());
/// assert!(check_feature_collection(br#"{"type":"Feature","features":[]}"#).is_err());
/// assert!(check_feature_collection(br#"{"type":"FeatureCollection","features":[{"type":"Feat"#).is_err());
/// assert!(check_feature_collection(br#"{"type":"FeatureCollection"}"#).is_err());
/// ```
pub fn check_feature_collection(body: &[u8]) -> std::result::Result<(), String> {
    #[derive(Deserialize)]
    struct Collection {
        #[serde(rename = "type")]
        kind: String,
        #[allow(dead_code)]
        features: Vec<serde::de::IgnoredAny>,
    }
    let collection: Collection = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    match collection.kind.as_str() {
        "FeatureCollection" => Ok(()),
        other => Err(format!("a GeoJSON {other}, not a FeatureCollection")),
    }
}

/// Checks that a body is the map's area statistics: a JSON array of
/// `{"hash", "area", "percent", "type"}` (a colour, km², a percentage as text or number, a
/// type name or null).
///
/// ```
/// use frontline::fetch::check_areas;
///
/// assert!(check_areas(br##"[{"hash":"#a52714","area":63864.6,"percent":"10.579","type":"occupied_after_24_02_2022"}]"##).is_ok());
/// assert!(check_areas(br##"[{"hash":"#a52714","area":"63864.6","percent":"10.579","type":"occupied_after_24_02_2022"}]"##).is_err());
/// assert!(check_areas(br##"{"hash":"#a52714"}"##).is_err());
/// ```
pub fn check_areas(body: &[u8]) -> std::result::Result<(), String> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    #[allow(dead_code)]
    enum Percent {
        Text(String),
        Number(f64),
    }
    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Row {
        hash: String,
        area: f64,
        percent: Percent,
        #[serde(rename = "type")]
        kind: Option<String>,
    }
    #[derive(Deserialize)]
    struct Rows(#[allow(dead_code)] Vec<Row>);
    serde_json::from_slice::<Rows>(body).map(drop).map_err(|e| e.to_string())
}

/// The two files of a snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Snapshot,
    Areas,
}

impl Kind {
    fn file(self, id: u64) -> String {
        match self {
            Kind::Snapshot => format!("{id}.geojson.gz"),
            Kind::Areas => format!("{id}.areas.json"),
        }
    }

    fn endpoint(self) -> &'static str {
        match self {
            Kind::Snapshot => "geojson",
            Kind::Areas => "areas",
        }
    }

    /// What the body must be, and the check that it is.
    fn check(self) -> Check {
        match self {
            Kind::Snapshot => ("a GeoJSON FeatureCollection", check_feature_collection),
            Kind::Areas => ("the map's area statistics", check_areas),
        }
    }
}

/// What a body must be, and the check that it is.
type Check = (&'static str, fn(&[u8]) -> std::result::Result<(), String>);

/// Why a request was given up.
struct Failure {
    reason: String,
    /// The last try got a body, and it did not parse.
    bad_body: bool,
}

/// One try of a request.
enum Try {
    /// A fault that may pass: try again, not before `after` if the server said so.
    Again { reason: String, after: Option<Duration>, bad_body: bool },
    /// A fault that will not pass by asking again.
    GiveUp(String),
}

/// The HTTP agent, with the pacing and retry policy.
struct Client {
    agent: ureq::Agent,
    delay: Duration,
    retries: u32,
    backoff: Duration,
    timeout: Duration,
    /// When the last request ended.
    last: Option<Instant>,
}

impl Client {
    fn new(options: &FetchOptions) -> Self {
        let proxy = if options.proxy_from_env { ureq::Proxy::try_from_env() } else { None };
        let config = ureq::Agent::config_builder()
            .user_agent(format!("frontline/{} (territorial change analytics)", env!("CARGO_PKG_VERSION")))
            .timeout_global(Some(options.timeout))
            // 4xx and 5xx are told apart below (429 and 5xx are retried, the others not).
            .http_status_as_error(false)
            .proxy(proxy)
            .build();
        Client { agent: config.into(), delay: options.delay, retries: options.retries, backoff: options.backoff, timeout: options.timeout, last: None }
    }

    /// The body of `url` that passes `check`, after as many retries as allowed.
    fn get(
        &mut self,
        url: &str,
        (what, check): Check,
        retried: &mut usize,
        progress: &mut dyn FnMut(FetchProgress<'_>),
    ) -> std::result::Result<Vec<u8>, Failure> {
        let mut wait = Duration::ZERO;
        let mut attempt = 0;
        loop {
            if let Some(last) = self.last {
                sleep((last + wait.max(self.delay)).saturating_duration_since(Instant::now()));
            }
            let result = self.get_once(url).and_then(|body| match check(&body) {
                Ok(()) => Ok(body),
                Err(e) => Err(Try::Again { reason: format!("not {what}: {e}"), after: None, bad_body: true }),
            });
            self.last = Some(Instant::now());
            match result {
                Ok(body) => return Ok(body),
                Err(Try::GiveUp(reason)) => return Err(Failure { reason: format!("{reason} (not retried)"), bad_body: false }),
                Err(Try::Again { reason, bad_body, .. }) if attempt >= self.retries => {
                    let reason = match self.retries {
                        0 => reason,
                        1 => format!("{reason} (after 1 retry)"),
                        n => format!("{reason} (after {n} retries)"),
                    };
                    return Err(Failure { reason, bad_body });
                }
                Err(Try::Again { reason, after, .. }) => {
                    let doubled = self.backoff.saturating_mul(1 << attempt.min(20)).min(MAX_BACKOFF);
                    wait = doubled.max(after.unwrap_or_default().min(MAX_RETRY_AFTER));
                    *retried += 1;
                    attempt += 1;
                    progress(FetchProgress::Retry { url, attempt, wait: wait.max(self.delay), reason: &reason });
                }
            }
        }
    }

    fn get_once(&self, url: &str) -> std::result::Result<Vec<u8>, Try> {
        let mut response = self.agent.get(url).call().map_err(|e| self.fault(e, ""))?;
        let status = response.status();
        if status.is_success() {
            let body = response.body_mut().with_config().limit(MAX_BODY).read_to_vec();
            return body.map_err(|e| self.fault(e, "the body: "));
        }
        let reason = format!("HTTP {status}");
        if status.as_u16() == 429 || status.is_server_error() {
            let after = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| retry_after(v, SystemTime::now()));
            Err(Try::Again { reason, after, bad_body: false })
        } else {
            Err(Try::GiveUp(reason))
        }
    }

    /// Sorts ureq's errors into those worth another try and those that are not.
    fn fault(&self, error: ureq::Error, what: &str) -> Try {
        use ureq::Error as E;
        match error {
            E::BadUri(_) | E::Http(_) | E::InvalidProxyUrl | E::BodyExceedsLimit(_) | E::TooManyRedirects | E::RedirectFailed => {
                Try::GiveUp(format!("{what}{error}"))
            }
            E::Timeout(_) => {
                let reason = format!("{what}no complete answer within {:.1} s", self.timeout.as_secs_f64());
                Try::Again { reason, after: None, bad_body: false }
            }
            // Connection refused or reset, a body cut short, name resolution while the
            // network is gone, garbled HTTP: all may pass.
            other => Try::Again { reason: format!("{what}{other}"), after: None, bad_body: false },
        }
    }
}

/// The wait a `Retry-After` header asks for: seconds, or an HTTP date (RFC 9110).
fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = DateTime::parse_from_rfc2822(value).ok()?;
    let when = SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(when.timestamp()).ok()?);
    Some(when.duration_since(now).unwrap_or_default())
}

/// Writes `body` (gzipped if `gzip`) to `path` through a temporary file in the same
/// directory, flushed to disk and renamed into place: the name appears only complete.
fn write_atomically(path: &Path, body: &[u8], gzip: bool) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = dir.join(format!("{TEMP_PREFIX}{name}.{}{TEMP_SUFFIX}", std::process::id()));
    let result = (|| {
        let file = std::fs::File::create(&temp)?;
        let file = if gzip {
            let mut encoder = flate2::write::GzEncoder::new(std::io::BufWriter::new(file), flate2::Compression::default());
            encoder.write_all(body)?;
            encoder.finish()?.into_inner().map_err(|e| e.into_error())?
        } else {
            let mut file = file;
            file.write_all(body)?;
            file
        };
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map_err(|source| Error::Write { path: path.to_path_buf(), source })
}

/// Removes the temporary files an interrupted run left in `dir`; returns how many.
fn remove_temporaries(dir: &Path) -> Result<usize> {
    let mut removed = 0;
    // (an archive directory that cannot be listed is the machine's fault, as one that cannot
    // be written: not bad input)
    let unlistable = |source| Error::Write { path: dir.to_path_buf(), source };
    for entry in std::fs::read_dir(dir).map_err(unlistable)? {
        let entry = entry.map_err(unlistable)?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX) && entry.path().is_file() {
            std::fs::remove_file(entry.path()).map_err(|source| Error::Write { path: entry.path(), source })?;
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_754_251_100);
        assert_eq!(retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(retry_after(" 0 ", now), Some(Duration::ZERO));
        // 2025-08-03T19:58:25Z is 1,754,251,105: five seconds after `now`.
        assert_eq!(retry_after("Sun, 03 Aug 2025 19:58:25 GMT", now), Some(Duration::from_secs(5)));
        // A date gone by: no wait.
        assert_eq!(retry_after("Sun, 03 Aug 2025 19:00:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(retry_after("soon", now), None);
        assert_eq!(retry_after("-3", now), None);
    }

    #[test]
    fn days_and_weeks_keep_their_last_snapshot_within_the_range() {
        // 2024-12-29 (Sunday, ISO week 2024-W52) 12:00 and 20:00, 2024-12-30 (Monday,
        // 2025-W01) 00:00:00 and 09:00, 2025-01-05 (Sunday, W01) 23:59:59, 2025-01-06
        // (Monday, W02) 00:00:00: hand-computed from 2024-12-29T00:00Z = 1,735,430,400.
        let d0 = 1_735_430_400;
        let ids = [d0 + 12 * 3600, d0 + 20 * 3600, d0 + 86_400, d0 + 86_400 + 9 * 3600, d0 + 8 * 86_400 - 1, d0 + 8 * 86_400];
        assert_eq!(select(&ids, None, None, Keep::Day), vec![ids[1], ids[3], ids[4], ids[5]]);
        assert_eq!(select(&ids, None, None, Keep::Week), vec![ids[1], ids[4], ids[5]]);
        let date = |s: &str| Some(NaiveDate::from_str(s).unwrap());
        // Inclusive at both ends, on UTC dates: the Monday of W01 to its Sunday.
        assert_eq!(select(&ids, date("2024-12-30"), date("2025-01-05"), Keep::All), ids[2..5].to_vec());
        // The week is cut by the range: its last snapshot within the range is kept.
        assert_eq!(select(&ids, None, date("2024-12-30"), Keep::Week), vec![ids[1], ids[3]]);
        assert_eq!(select(&ids, date("2025-01-07"), None, Keep::All), Vec::<u64>::new());
    }

    #[test]
    fn the_published_list_reads() {
        let Some(data) = std::env::var_os("FRONTLINE_DATA") else {
            eprintln!("skipped: FRONTLINE_DATA is not set");
            return;
        };
        let path = Path::new(&data).join("deepstate-published/history-public.json");
        let ids = parse_list(&std::fs::read(path).unwrap()).unwrap();
        // The README of the data: 1,734 snapshots, the first 2022-04-03T12:33:28Z.
        assert_eq!(ids.len(), 1734);
        assert_eq!(ids[0], 1_648_989_208);
    }

    #[test]
    fn temporaries_are_written_renamed_and_cleaned_up() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("1.geojson.gz");
        write_atomically(&path, br#"{"type":"FeatureCollection","features":[]}"#, true).unwrap();
        assert_eq!(crate::input::read::read_bytes(&path).unwrap(), br#"{"type":"FeatureCollection","features":[]}"#);
        let stale = dir.path().join(format!("{TEMP_PREFIX}2.geojson.gz.99{TEMP_SUFFIX}"));
        std::fs::write(&stale, b"{\"type\":\"Feat").unwrap();
        std::fs::write(dir.path().join(".other.tmp"), b"").unwrap();
        assert_eq!(remove_temporaries(dir.path()).unwrap(), 1);
        let mut left: Vec<String> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        assert_eq!(left, [".other.tmp", "1.geojson.gz"]);
    }
}
