//! Resampling a timeline of snapshots to calendar periods.
//!
//! A control map is published at irregular times; analysts want days, weeks and months.
//! A period's state at a boundary is the last snapshot at or before that boundary ("as of"
//! the boundary), and period P compares the state as of P's start boundary with the state
//! as of P's end boundary: the week `2024-W45` compares the map as of Monday 2024-11-04
//! 00:00 with the map as of Monday 2024-11-11 00:00.
//!
//! Boundaries are at 00:00 UTC (or at 00:00 in the fixed offset given, `--tz +03:00`); weeks
//! are ISO weeks, starting on Monday. Nothing is invented:
//!
//! - a period whose start boundary has no snapshot at or before it is skipped, with a note
//!   in [`Periods::skipped`];
//! - so is a period starting at or after the last snapshot (nothing is known about it);
//! - a period in which no new snapshot was published compares a snapshot with itself: its
//!   change is zero over zero days, which is what the data says;
//! - the last period may be partial: its end state is the latest snapshot, as of its end
//!   boundary, and its `to_time` and `days` say how far it reaches.

use crate::input::time::rfc3339;
use chrono::{DateTime, Datelike, Duration, FixedOffset, Months, NaiveDate, NaiveTime, Offset, Utc};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// The length of the periods a timeline is resampled to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Every {
    /// Every pair of consecutive snapshots (no resampling).
    #[default]
    Snapshot,
    /// Calendar days.
    Day,
    /// ISO weeks, Monday to Monday.
    Week,
    /// Calendar months.
    Month,
}

impl FromStr for Every {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "snapshot" | "snapshots" => Ok(Every::Snapshot),
            "day" | "daily" => Ok(Every::Day),
            "week" | "weekly" => Ok(Every::Week),
            "month" | "monthly" => Ok(Every::Month),
            other => Err(format!("unknown period `{other}` (expected snapshot, day, week or month)")),
        }
    }
}

/// Parses a fixed offset from UTC: `+03:00`, `-05:30`, `+0200`, `+02`, `Z` or `UTC`.
///
/// ```
/// use frontline::parse_offset;
/// assert_eq!(parse_offset("+03:00").unwrap().local_minus_utc(), 3 * 3600);
/// assert_eq!(parse_offset("-05:30").unwrap().local_minus_utc(), -(5 * 3600 + 1800));
/// assert_eq!(parse_offset("Z").unwrap().local_minus_utc(), 0);
/// assert!(parse_offset("Europe/Kyiv").is_err());
/// ```
pub fn parse_offset(text: &str) -> Result<FixedOffset, String> {
    let text = text.trim();
    if matches!(text, "Z" | "z" | "UTC" | "utc") {
        return Ok(utc());
    }
    let bad = || format!("time zone offset `{text}`: expected +HH:MM or -HH:MM (a fixed offset from UTC)");
    let (sign, rest) = match text.as_bytes().first() {
        Some(b'+') => (1, &text[1..]),
        Some(b'-') => (-1, &text[1..]),
        _ => return Err(bad()),
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !(digits.len() == 2 || digits.len() == 4) || rest.len() == 3 {
        return Err(bad());
    }
    let hours: i32 = digits[..2].parse().map_err(|_| bad())?;
    let minutes: i32 = if digits.len() == 4 { digits[2..].parse().map_err(|_| bad())? } else { 0 };
    if hours > 14 || minutes > 59 {
        return Err(bad());
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60)).ok_or_else(bad)
}

fn utc() -> FixedOffset {
    Utc.fix()
}

/// How a timeline is resampled: the period, the time zone of its boundaries and the range.
#[derive(Debug, Clone, PartialEq)]
pub struct Resampling {
    /// The length of a period.
    pub every: Every,
    /// The offset of the boundaries from UTC (boundaries are at local midnight).
    pub offset: FixedOffset,
    /// The first date of the range: periods starting earlier (for `snapshot`, pairs whose
    /// later snapshot is earlier) are left out.
    pub from: Option<NaiveDate>,
    /// The last date of the range, inclusive: periods starting later (for `snapshot`, pairs
    /// whose later snapshot is later) are left out.
    pub to: Option<NaiveDate>,
}

impl Default for Resampling {
    fn default() -> Self {
        Resampling::new(Every::Snapshot)
    }
}

/// One period of a timeline: what it compares.
#[derive(Debug, Clone, PartialEq)]
pub struct Period {
    /// `2024-11-05` for a day, `2024-W45` for an ISO week, `2024-11` for a month, the later
    /// snapshot's time (RFC 3339) for a pair of snapshots.
    pub label: String,
    /// The start boundary (for a snapshot pair, the earlier snapshot's time).
    pub start: DateTime<Utc>,
    /// The end boundary (for a snapshot pair, the later snapshot's time).
    pub end: DateTime<Utc>,
    /// The snapshot as of the start, as an index into the times given.
    pub from: usize,
    /// The snapshot as of the end, as an index into the times given.
    pub to: usize,
}

/// A period left out, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    /// The period's label.
    pub label: String,
    /// Its start boundary.
    pub start: DateTime<Utc>,
    /// Why it was left out.
    pub reason: String,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: skipped, {}", self.label, self.reason)
    }
}

/// The periods of a timeline, in time order, and those left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Periods {
    /// The periods compared.
    pub periods: Vec<Period>,
    /// The periods left out, with the reason.
    pub skipped: Vec<Skipped>,
}

impl Periods {
    fn add(&mut self, found: Vec<Found>) {
        for found in found {
            match found {
                Found::Period(p) => self.periods.push(p),
                Found::Skipped(s) => self.skipped.push(s),
            }
        }
    }
}

/// What a [`PeriodCursor`] finds: a period to compare, or one left out.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Found {
    Period(Period),
    Skipped(Skipped),
}

/// The periods of a timeline, found as its snapshot times come in (in time order): a
/// period is known once a snapshot later than its end has come, or the timeline has ended.
/// [`Resampling::timeline`] is this, given every time at once.
#[derive(Debug, Clone)]
pub(crate) struct PeriodCursor {
    resampling: Resampling,
    /// The snapshot times so far.
    times: Vec<DateTime<Utc>>,
    /// The start date of the next period to place (calendar periods).
    next_start: Option<NaiveDate>,
}

impl PeriodCursor {
    pub(crate) fn new(resampling: Resampling) -> PeriodCursor {
        PeriodCursor { resampling, times: Vec::new(), next_start: None }
    }

    /// The snapshot times so far.
    pub(crate) fn times(&self) -> &[DateTime<Utc>] {
        &self.times
    }

    /// The index of the last snapshot at or before `t`.
    fn as_of(&self, t: DateTime<Utc>) -> Option<usize> {
        self.times.partition_point(|s| *s <= t).checked_sub(1)
    }

    /// Takes the next snapshot time (later than those before) and returns the periods now
    /// known.
    pub(crate) fn push(&mut self, time: DateTime<Utc>) -> Vec<Found> {
        let r = &self.resampling;
        self.times.push(time);
        let i = self.times.len() - 1;
        if r.every == Every::Snapshot {
            return match i > 0 && r.in_range(r.local_date(time)) {
                true => vec![Found::Period(Period { label: rfc3339(time), start: self.times[i - 1], end: time, from: i - 1, to: i })],
                false => Vec::new(),
            };
        }
        if i == 0 {
            self.next_start = r.first_start(time);
        }
        let mut found = Vec::new();
        while let Some(date) = self.next_start {
            if r.to.is_some_and(|to| date > to) {
                break;
            }
            let Some(next) = r.next(date) else { break };
            let (start, end) = (r.boundary(date), r.boundary(next));
            // Only a snapshot after its end settles which state a period ends with.
            if time <= end {
                break;
            }
            found.push(self.place(date, start, end));
            self.next_start = Some(next);
        }
        found
    }

    /// The periods left once the last snapshot has come.
    pub(crate) fn finish(&mut self) -> Vec<Found> {
        let r = &self.resampling;
        let mut found = Vec::new();
        let (Some(&first), Some(&last)) = (self.times.first(), self.times.last()) else {
            return found;
        };
        if r.every == Every::Snapshot {
            return found;
        }
        while let Some(date) = self.next_start {
            let start = r.boundary(date);
            match r.to {
                Some(to) if date > to => break,
                None if start >= last => break,
                _ => {}
            }
            let Some(next) = r.next(date) else { break };
            if start >= last {
                let reason = format!("it starts at {}, at or after the last snapshot ({})", rfc3339(start), rfc3339(last));
                found.push(Found::Skipped(Skipped { label: r.label(date), start, reason }));
            } else {
                found.push(self.place(date, start, r.boundary(next)));
            }
            let _ = first;
            self.next_start = Some(next);
        }
        found
    }

    /// The period starting on `date`, its state at each boundary the last snapshot at or
    /// before it; left out when there is none at its start.
    fn place(&self, date: NaiveDate, start: DateTime<Utc>, end: DateTime<Utc>) -> Found {
        let label = self.resampling.label(date);
        match (self.as_of(start), self.as_of(end)) {
            (Some(from), Some(to)) => Found::Period(Period { label, start, end, from, to }),
            _ => {
                let first = self.times.first().copied().unwrap_or(start);
                let reason = format!("no snapshot at or before its start {} (the first is {})", rfc3339(start), rfc3339(first));
                Found::Skipped(Skipped { label, start, reason })
            }
        }
    }

    /// The lowest snapshot index a period not yet found may compare.
    pub(crate) fn earliest_needed(&self) -> usize {
        let last = self.times.len().saturating_sub(1);
        match (self.resampling.every, self.next_start) {
            (Every::Snapshot, _) | (_, None) => last,
            (_, Some(date)) => self.as_of(self.resampling.boundary(date)).unwrap_or(0).min(last),
        }
    }
}

impl Resampling {
    /// Periods of one length, boundaries at 00:00 UTC, no range.
    pub fn new(every: Every) -> Resampling {
        Resampling { every, offset: utc(), from: None, to: None }
    }

    /// The periods of a timeline of snapshot times (sorted, earliest first).
    ///
    /// Without `from`, the first period is the one holding the first snapshot; without
    /// `to`, the last one is the one holding the last snapshot (a period holds the
    /// instants after its start up to and including its end).
    ///
    /// ```
    /// use frontline::{Every, Resampling};
    /// let times: Vec<_> = ["2024-10-30T18:00:00Z", "2024-11-06T18:00:00Z", "2024-11-13T18:00:00Z"]
    ///     .iter().map(|t| t.parse().unwrap()).collect();
    /// let timeline = Resampling::new(Every::Week).timeline(&times);
    /// // 2024-W44 starts on Monday 2024-10-28, before the first snapshot: skipped.
    /// assert_eq!(timeline.skipped[0].label, "2024-W44");
    /// // 2024-W45: as of Monday 2024-11-04 (the snapshot of 30 October) to as of Monday
    /// // 2024-11-11 (the one of 6 November); 2024-W46 reaches the last snapshot.
    /// let labels: Vec<_> = timeline.periods.iter().map(|p| (p.label.as_str(), p.from, p.to)).collect();
    /// assert_eq!(labels, [("2024-W45", 0, 1), ("2024-W46", 1, 2)]);
    /// ```
    pub fn timeline(&self, times: &[DateTime<Utc>]) -> Periods {
        let mut cursor = PeriodCursor::new(self.clone());
        let mut timeline = Periods::default();
        for time in times {
            timeline.add(cursor.push(*time));
        }
        timeline.add(cursor.finish());
        timeline
    }

    /// The start date of the first period, given the first snapshot's time.
    fn first_start(&self, first: DateTime<Utc>) -> Option<NaiveDate> {
        match self.from {
            Some(from) => {
                let s = self.period_start(from);
                if s < from { self.next(s) } else { Some(s) }
            }
            None => Some(self.period_start(self.local_date(first))),
        }
    }

    fn in_range(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| date >= f) && self.to.is_none_or(|t| date <= t)
    }

    /// The local date of an instant.
    fn local_date(&self, t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&self.offset).date_naive()
    }

    /// The instant of local midnight starting a date.
    pub fn boundary(&self, date: NaiveDate) -> DateTime<Utc> {
        (date.and_time(NaiveTime::MIN) - Duration::seconds(i64::from(self.offset.local_minus_utc()))).and_utc()
    }

    /// The first day of the period holding a date.
    fn period_start(&self, date: NaiveDate) -> NaiveDate {
        match self.every {
            Every::Snapshot | Every::Day => date,
            Every::Week => date - Duration::days(i64::from(date.weekday().num_days_from_monday())),
            Every::Month => date.with_day(1).unwrap_or(date),
        }
    }

    /// The first day of the next period.
    fn next(&self, start: NaiveDate) -> Option<NaiveDate> {
        match self.every {
            Every::Snapshot | Every::Day => start.succ_opt(),
            Every::Week => start.checked_add_signed(Duration::days(7)),
            Every::Month => start.checked_add_months(Months::new(1)),
        }
    }

    /// The label of the period starting on a date.
    fn label(&self, start: NaiveDate) -> String {
        match self.every {
            Every::Snapshot | Every::Day => start.format("%Y-%m-%d").to_string(),
            Every::Week => {
                let week = start.iso_week();
                format!("{}-W{:02}", week.year(), week.week())
            }
            Every::Month => start.format("%Y-%m").to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::time::parse_time;

    fn times(list: &[&str]) -> Vec<DateTime<Utc>> {
        list.iter().map(|t| parse_time(t).unwrap()).collect()
    }

    fn summary(t: &Periods) -> Vec<(String, usize, usize)> {
        t.periods.iter().map(|p| (p.label.clone(), p.from, p.to)).collect()
    }

    #[test]
    fn weeks_are_iso_weeks_from_monday_across_the_new_year() {
        // Sunday 2024-12-29 23:00, Monday 2024-12-30 00:00 (ISO 2025-W01 starts here),
        // Sunday 2025-01-05 12:00, Monday 2025-01-06 00:00:01.
        let t = times(&["2024-12-29T23:00:00Z", "2024-12-30T00:00:00Z", "2025-01-05T12:00:00Z", "2025-01-06T00:00:01Z"]);
        let timeline = Resampling::new(Every::Week).timeline(&t);
        // 2024-W52 (from Monday 2024-12-23) has no snapshot at its start: skipped.
        assert_eq!(timeline.skipped.len(), 1);
        assert_eq!(timeline.skipped[0].label, "2024-W52");
        assert_eq!(rfc3339(timeline.skipped[0].start), "2024-12-23T00:00:00Z");
        // 2025-W01: as of Monday 30 December 00:00 (a snapshot exactly at the boundary
        // counts) to as of Monday 6 January 00:00 (the Sunday one); 2025-W02 holds the last.
        assert_eq!(summary(&timeline), [("2025-W01".into(), 1, 2), ("2025-W02".into(), 2, 3)]);
        assert_eq!(rfc3339(timeline.periods[0].start), "2024-12-30T00:00:00Z");
        assert_eq!(rfc3339(timeline.periods[0].end), "2025-01-06T00:00:00Z");
    }

    #[test]
    fn months_and_a_month_without_a_snapshot() {
        // Snapshots from 15 March; none in April.
        let t = times(&["2024-03-15T10:00:00Z", "2024-03-31T20:00:00Z", "2024-05-02T08:00:00Z", "2024-06-01T00:00:00Z"]);
        let timeline = Resampling::new(Every::Month).timeline(&t);
        // March starts before the first snapshot: skipped, not invented.
        assert_eq!(timeline.skipped.len(), 1);
        assert_eq!(timeline.skipped[0].label, "2024-03");
        assert!(timeline.skipped[0].reason.contains("no snapshot at or before"), "{}", timeline.skipped[0]);
        // April: as of 1 April (31 March) to as of 1 May (still 31 March: nothing was
        // published in April, so April compares a snapshot with itself); May: as of 1 May
        // to as of 1 June 00:00, which is exactly the last snapshot. It ends the timeline.
        assert_eq!(summary(&timeline), [("2024-04".into(), 1, 1), ("2024-05".into(), 1, 3)]);
        // A range beyond the data: the months after the last snapshot are skipped too.
        let ranged = Resampling { to: NaiveDate::from_ymd_opt(2024, 7, 31), ..Resampling::new(Every::Month) }.timeline(&t);
        assert_eq!(ranged.periods.len(), 2);
        let labels: Vec<_> = ranged.skipped.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["2024-03", "2024-06", "2024-07"]);
        // --from / --to select periods by their start date.
        let may = Resampling {
            from: NaiveDate::from_ymd_opt(2024, 4, 2),
            to: NaiveDate::from_ymd_opt(2024, 5, 31),
            ..Resampling::new(Every::Month)
        };
        assert_eq!(summary(&may.timeline(&t)), [("2024-05".into(), 1, 3)]);
        assert!(may.timeline(&t).skipped.is_empty());
    }

    #[test]
    fn an_offset_shifts_the_boundaries() {
        // 2024-11-04 22:30 UTC is 2024-11-05 01:30 at +03:00.
        let t = times(&["2024-11-04T12:00:00Z", "2024-11-04T22:30:00Z", "2024-11-05T22:30:00Z"]);
        let utc_days = Resampling::new(Every::Day).timeline(&t);
        // UTC: 2024-11-04 starts before the first snapshot; 2024-11-05 compares as of
        // 5 Nov 00:00 UTC (the 22:30 one) with as of 6 Nov 00:00 UTC (the last).
        assert_eq!(summary(&utc_days), [("2024-11-05".into(), 1, 2)]);
        let kyiv = Resampling { offset: parse_offset("+03:00").unwrap(), ..Resampling::new(Every::Day) };
        let days = kyiv.timeline(&t);
        // At +03:00 the 5 November starts at 2024-11-04 21:00 UTC: as of then, the noon
        // snapshot; as of 6 November 00:00 local (5 Nov 21:00 UTC), the 22:30 one.
        assert_eq!(rfc3339(kyiv.boundary(NaiveDate::from_ymd_opt(2024, 11, 5).unwrap())), "2024-11-04T21:00:00Z");
        assert_eq!(summary(&days), [("2024-11-05".into(), 0, 1), ("2024-11-06".into(), 1, 2)]);
        assert_eq!(days.skipped[0].label, "2024-11-04");
        // The local date decides the range too: at -05:00 the last snapshot is on the 5th.
        let west = Resampling { offset: parse_offset("-05:00").unwrap(), ..Resampling::new(Every::Day) };
        assert_eq!(rfc3339(west.boundary(NaiveDate::from_ymd_opt(2024, 11, 5).unwrap())), "2024-11-05T05:00:00Z");
    }

    #[test]
    fn snapshot_pairs_are_labelled_by_the_later_snapshot() {
        let t = times(&["2024-11-01T00:00:00Z", "2024-11-08T00:00:00Z", "2024-11-15T06:00:00Z"]);
        let timeline = Resampling::new(Every::Snapshot).timeline(&t);
        assert_eq!(summary(&timeline), [("2024-11-08T00:00:00Z".into(), 0, 1), ("2024-11-15T06:00:00Z".into(), 1, 2)]);
        let from = Resampling { from: NaiveDate::from_ymd_opt(2024, 11, 9), ..Resampling::new(Every::Snapshot) };
        assert_eq!(summary(&from.timeline(&t)), [("2024-11-15T06:00:00Z".into(), 1, 2)]);
        assert!(Resampling::new(Every::Week).timeline(&[]).periods.is_empty());
    }

    #[test]
    fn offsets_and_periods_parse() {
        assert!(parse_offset("+3").is_err());
        assert!(parse_offset("03:00").is_err());
        assert!(parse_offset("+15:00").is_err());
        assert_eq!(parse_offset("+0530").unwrap().local_minus_utc(), 5 * 3600 + 1800);
        assert_eq!("Month".parse::<Every>().unwrap(), Every::Month);
        assert!("year".parse::<Every>().is_err());
    }
}
