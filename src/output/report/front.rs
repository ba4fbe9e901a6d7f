//! The report's front: the cities' occupied and contested shares, the places' distances to
//! the front, and the length of the line of contact over time.

use super::{day, format_share, Data, PeriodRows, Progress, ReportOptions, TimeAxes, CONTESTED, HEIGHT, OCCUPIED, WIDTH};
use crate::engine::front::{DistanceRow, DistanceRun, LineOptions, LineRun};
use crate::engine::periods::{Every, Found, Period, PeriodCursor, Resampling};
use crate::engine::source::Timed;
use crate::engine::states::{measure_states, State};
use crate::error::Result;
use crate::input::region::Region;
use crate::Analysis;
use chrono::{DateTime, Duration, Utc};
use plotters::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The analysis the report's areas are measured with: the report's own, its cities one more
/// set of regions after the others (so that the regions' rows keep their places).
pub(super) fn with_cities(analysis: &Analysis, cities: &[Region]) -> Analysis {
    match cities.is_empty() {
        true => analysis.clone(),
        false => analysis.clone().with_region_set("cities", cities.to_vec()),
    }
}

/// The snapshots the front's figures need, picked as the timeline goes by (states in memory
/// are seen once): the state as of the start and end of every ISO week and calendar month,
/// and the latest snapshot.
pub(super) struct Picks {
    week: PeriodCursor,
    month: PeriodCursor,
    /// The snapshots a period not found yet may still start or end with, by their index in
    /// the timeline.
    window: BTreeMap<usize, Timed>,
    /// The snapshots a period found starts or ends with.
    kept: BTreeMap<usize, Timed>,
    weeks: Vec<Period>,
    months: Vec<Period>,
    latest: Option<(usize, Timed)>,
}

impl Picks {
    pub(super) fn new() -> Picks {
        Picks {
            week: PeriodCursor::new(Resampling::new(Every::Week)),
            month: PeriodCursor::new(Resampling::new(Every::Month)),
            window: BTreeMap::new(),
            kept: BTreeMap::new(),
            weeks: Vec::new(),
            months: Vec::new(),
            latest: None,
        }
    }

    /// Takes the next snapshot of the timeline (in time order).
    pub(super) fn push(&mut self, timed: Timed) {
        let i = self.week.times().len();
        self.window.insert(i, timed.clone());
        let (weeks, months) = (self.week.push(timed.time), self.month.push(timed.time));
        self.found(weeks, months);
        let needed = self.week.earliest_needed().min(self.month.earliest_needed());
        self.window.retain(|k, _| *k >= needed);
        self.latest = Some((i, timed));
    }

    /// The timeline is over: the periods left are placed.
    pub(super) fn finish(&mut self) {
        let (weeks, months) = (self.week.finish(), self.month.finish());
        self.found(weeks, months);
    }

    fn found(&mut self, weeks: Vec<Found>, months: Vec<Found>) {
        for (found, weekly) in [(weeks, true), (months, false)] {
            for period in found.into_iter().filter_map(|f| match f {
                Found::Period(p) => Some(p),
                Found::Skipped(_) => None,
            }) {
                // (past `MAX_WEEKS` weeks the line is charted by month: the weeks' snapshots,
                // which may be states held in memory, are let go)
                if !weekly || self.weeks.len() < MAX_WEEKS {
                    for i in [period.from, period.to] {
                        if let Some(timed) = self.window.get(&i) {
                            self.kept.entry(i).or_insert_with(|| timed.clone());
                        }
                    }
                }
                match weekly {
                    true => self.weeks.push(period),
                    false => self.months.push(period),
                }
                if weekly && self.weeks.len() == MAX_WEEKS + 1 {
                    let months: std::collections::HashSet<usize> = self.months.iter().flat_map(|m| [m.from, m.to]).collect();
                    self.kept.retain(|i, _| months.contains(i));
                }
            }
        }
    }

    /// The snapshots of `states` (each the instant it is as of and a snapshot's index in the
    /// timeline, in time order), and the states with indices into them.
    fn states(&self, states: &[(DateTime<Utc>, usize)]) -> (Vec<Timed>, Vec<State>) {
        let mut items: Vec<Timed> = Vec::new();
        let mut indices: Vec<usize> = Vec::new();
        let mut picked = Vec::with_capacity(states.len());
        for &(time, i) in states {
            let item = self.kept.get(&i).or(self.latest.as_ref().filter(|(k, _)| *k == i).map(|(_, t)| t));
            let Some(item) = item else { continue };
            if indices.last() != Some(&i) {
                indices.push(i);
                items.push(item.clone());
            }
            picked.push(State { time, snapshot: items.len() - 1 });
        }
        (items, picked)
    }
}

/// The longest timeline, in weeks, whose line of contact is charted week by week.
const MAX_WEEKS: usize = 80;

/// The front's figures of a report.
#[derive(Debug, Default)]
pub(super) struct Front {
    /// The length of the line of contact, occupied and occupied ∪ contested (km), as of the
    /// start of every week (or month) and at the latest snapshot.
    pub lengths: Vec<(DateTime<Utc>, f64, f64)>,
    /// When the line is measured: `every Monday` or `the first of every month`.
    pub every: &'static str,
    /// The month the places' approach is measured over: its label, and the instants of the
    /// two states compared (as of its start, and as of its end or the latest snapshot).
    pub month: Option<(String, DateTime<Utc>, DateTime<Utc>)>,
    /// Every place at the latest snapshot, with how fast the front came over that month
    /// (km/day).
    pub places: Vec<(DistanceRow, Option<f64>)>,
}

impl Front {
    /// Measures the line of contact on the states picked, and the places' distances at the
    /// latest snapshot and at both ends of the last complete month.
    pub(super) fn measure(analysis: &Analysis, options: &ReportOptions, picks: &Picks, progress: &mut dyn FnMut(Progress<'_>)) -> Result<Front> {
        let Some((last, latest)) = &picks.latest else { return Ok(Front::default()) };
        let mut front = Front::default();

        // The line over the whole area of interest only: the regions play no part.
        let whole = Analysis { sets: Vec::new(), ..analysis.clone() };
        // A state's line costs about what its areas cost with whole-layer operations: weekly
        // over a year and a half at most, monthly beyond.
        let (periods, every) = match picks.weeks.len() <= MAX_WEEKS {
            true => (&picks.weeks, "every Monday"),
            false => (&picks.months, "the first of every month"),
        };
        front.every = every;
        let mut states: Vec<(DateTime<Utc>, usize)> = periods.iter().map(|p| (p.start, p.from)).collect();
        if states.last().is_none_or(|(t, _)| *t < latest.time) {
            states.push((latest.time, *last));
        }
        let (items, states) = picks.states(&states);
        progress(Progress::Stage { name: "line of contact", steps: states.len() as u64 });
        let run = LineRun::new(&whole, &LineOptions::default())?;
        measure_states(&whole, &items, &states, |s| Ok(run.measure(s).2[0]), |time, _, &(line, with)| {
            front.lengths.push((time, line, with));
            progress(Progress::Advance(1));
            Ok(())
        })?;

        if options.places.is_empty() {
            return Ok(front);
        }
        // The last complete month, as the headline picks it.
        let month = picks.months.iter().rev().find(|p| p.end <= latest.time + Duration::days(1)).or(picks.months.last());
        let mut states = Vec::new();
        if let Some(m) = month {
            let end = m.end.min(latest.time);
            front.month = Some((m.label.clone(), m.start, end));
            states.extend([(m.start, m.from), (end, m.to)]);
        }
        states.push((latest.time, *last));
        let (items, states) = picks.states(&states);
        let run = DistanceRun::new(&whole, &options.places);
        let (mut previous, mut now) = (run.start(), run.start());
        let mut rows: Vec<Vec<DistanceRow>> = Vec::new();
        let count = states.len();
        measure_states(&whole, &items, &states, |s| Ok(run.measure(s)), |time, name, measured| {
            // (the month's two states for the approach; the latest on its own)
            let state = match rows.len() + 1 == count {
                true => &mut now,
                false => &mut previous,
            };
            rows.push(run.rows(state, time, name, measured));
            Ok(())
        })?;
        let approach: Vec<Option<f64>> = match rows.len() {
            3 => rows[1].iter().map(|r| r.approach_km_per_day).collect(),
            _ => vec![None; options.places.len()],
        };
        front.places = rows.pop().unwrap_or_default().into_iter().zip(approach).collect();
        Ok(front)
    }
}

/// A change of share in percentage points, signed.
fn format_points(x: f64) -> String {
    let text = format!("{:+.2} pp", x * 100.0);
    match text.as_str() {
        "+0.00 pp" | "-0.00 pp" => "0.00 pp".into(),
        _ => text,
    }
}

/// A bearing as degrees and the nearest of the 16 compass points.
fn format_bearing(degrees: f64) -> String {
    const POINTS: [&str; 16] = ["N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"];
    let point = POINTS[((degrees / 22.5).round() as usize) % 16];
    format!("{degrees:.0}° ({point})")
}

/// Text for a table cell: `|` escaped.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

impl Data<'_> {
    /// The share of each status in each city at the snapshot of `time`, if it was measured.
    fn city_shares(&self, time: DateTime<Utc>) -> Option<Vec<(Option<f64>, Option<f64>)>> {
        let k = self.areas.partition_point(|a| a.time < time);
        let areas = self.areas.get(k).filter(|a| a.time == time)?;
        let first = 1 + self.regions.len();
        Some(areas.rows.iter().skip(first).map(|r| (r.occupied_share, r.contested_share)).collect())
    }

    /// The cities' table: how much of each is occupied and contested at the latest snapshot,
    /// and how that changed over the headline's week and month.
    pub(super) fn cities_table(&self, week: Option<&PeriodRows>, month: Option<&PeriodRows>) -> String {
        let mut md = String::new();
        let cities = &self.options.cities;
        let (Some(latest), false) = (self.areas.last(), cities.is_empty()) else { return md };
        let now = self.city_shares(latest.time).unwrap_or_default();
        // The change over a period: the share as of its end less the share as of its start.
        let change = |period: Option<&PeriodRows>| -> Option<Vec<(Option<f64>, Option<f64>)>> {
            let row = period?.rows.first()?;
            let (from, to) = (self.city_shares(row.from_time)?, self.city_shares(row.to_time)?);
            let minus = |a: Option<f64>, b: Option<f64>| Some(a? - b?);
            Some(from.iter().zip(&to).map(|(f, t)| (minus(t.0, f.0), minus(t.1, f.1))).collect())
        };
        let label = |period: Option<&PeriodRows>, what: &str| period.map_or(format!("{what} (none)"), |p| format!("{what} {}", p.period.label));
        let (week_label, month_label) = (label(week, "week"), label(month, "month"));
        let (week_change, month_change) = (change(week), change(month));
        let _ = writeln!(md, "## Cities\n");
        let _ = writeln!(
            md,
            "How much of each city is occupied and contested at the latest snapshot ({}), and how that changed in the {week_label} and the {month_label}: the share as of the period's end less the share as of its start, in percentage points.\n",
            day(&latest.time)
        );
        let _ = writeln!(md, "| city | occupied | contested | occupied, {week_label} | contested, {week_label} | occupied, {month_label} | contested, {month_label} |");
        let _ = writeln!(md, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        let share = |s: Option<f64>| s.map_or("-".to_string(), format_share);
        let points = |c: Option<&Vec<(Option<f64>, Option<f64>)>>, i: usize, status: usize| -> String {
            let value = c.and_then(|c| c.get(i)).and_then(|v| if status == 0 { v.0 } else { v.1 });
            value.map_or("-".to_string(), format_points)
        };
        for (i, city) in cities.iter().enumerate() {
            let (occupied, contested) = now.get(i).copied().unwrap_or((None, None));
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} | {} |",
                cell(&city.name),
                share(occupied),
                share(contested),
                points(week_change.as_ref(), i, 0),
                points(week_change.as_ref(), i, 1),
                points(month_change.as_ref(), i, 0),
                points(month_change.as_ref(), i, 1),
            );
        }
        let _ = writeln!(md);
        md
    }

    /// The places' table: how far each is from the front at the latest snapshot, and how
    /// fast the front came over the last month.
    pub(super) fn places_table(&self) -> String {
        let mut md = String::new();
        let (Some(first), Some(latest)) = (self.front.places.first(), self.areas.last()) else { return md };
        let month = self.front.month.as_ref();
        let approach_label = month.map_or("approach (km/day)".to_string(), |(label, _, _)| format!("approach in {label} (km/day)"));
        let _ = writeln!(md, "## Distance to the front\n");
        let _ = writeln!(
            md,
            "At the latest snapshot (`{}`, {}): the geodesic distance from each place to the nearest occupied or contested land (the front; 0 where they meet) and to the nearest occupied land, and the direction of the front from the place. {}\n",
            first.0.snapshot,
            day(&latest.time),
            match month {
                Some((label, from, to)) => format!(
                    "The approach is how fast the front came in {label}: its distance as of {} less its distance as of {}, per day (positive when it came closer).",
                    day(from),
                    day(to)
                ),
                None => "There is no month to measure the approach over.".to_string(),
            }
        );
        let _ = writeln!(md, "| place | to the front (km) | to occupied land (km) | direction of the front | {approach_label} |");
        let _ = writeln!(md, "| --- | ---: | ---: | --- | ---: |");
        let km = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.1}"));
        for (row, approach) in &self.front.places {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} |",
                cell(&row.place),
                km(row.front_km),
                km(row.occupied_km),
                row.bearing_deg.map_or("-".to_string(), format_bearing),
                approach.map_or("-".to_string(), |a| format!("{a:+.3}")),
            );
        }
        let _ = writeln!(md);
        md
    }

    /// The length of the line of contact over time: the occupied area's edge and that of
    /// occupied ∪ contested.
    pub(super) fn line_chart(&self) -> super::ChartResult {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
            root.fill(&WHITE)?;
            let lengths = &self.front.lengths;
            let top = lengths.iter().map(|l| l.1.max(l.2)).fold(0.0, f64::max).max(1.0) * 1.1;
            let (a, b) = self.time_range();
            let where_ = match self.analysis.clip() {
                Some(clip) => format!(", less 2 km along the outline of {}", clip.name),
                None => " (no area of interest: the whole boundary)".to_string(),
            };
            let root = root.titled(&format!("Length of the line of contact{where_}"), ("sans-serif", 22))?;
            let caption = match lengths.last() {
                Some((t, line, with)) => format!("latest ({}): occupied area's edge {line:.0} km, occupied ∪ contested {with:.0} km; as of {}", day(t), self.front.every),
                None => "no snapshot".to_string(),
            };
            let mut chart = self.time_chart(
                &root,
                TimeAxes {
                    caption: (caption, 15),
                    x: a..b,
                    x_desc: "state as of (UTC)".into(),
                    y: 0.0..top,
                    y_area: 70,
                    y_labels: 8,
                    y_format: &|v| format!("{v:.0}"),
                    y_desc: "km on the WGS84 ellipsoid",
                },
            )?;
            for (colour, label, pick) in [
                (OCCUPIED, "edge of the occupied area", (|l: &(DateTime<Utc>, f64, f64)| l.1) as fn(&(DateTime<Utc>, f64, f64)) -> f64),
                (CONTESTED, "edge of occupied ∪ contested (far side of the grey zone)", |l| l.2),
            ] {
                chart
                    .draw_series(LineSeries::new(lengths.iter().map(|l| (l.0, pick(l))), colour.stroke_width(2)))?
                    .label(label)
                    .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], colour.stroke_width(2)));
            }
            super::draw_legend(&mut chart, SeriesLabelPosition::LowerRight)?;
            root.present()?;
        }
        Ok(svg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::source::Item;

    /// A daily timeline: every week's and month's ends are kept while the line is charted
    /// weekly; past 80 weeks only the months' (and the latest) are.
    #[test]
    fn picks_keep_the_snapshots_the_periods_need() {
        let start = DateTime::from_timestamp(1_704_067_200 + 3_600, 0).unwrap(); // 2024-01-01 01:00
        let mut picks = Picks::new();
        for day in 0..700 {
            let time = start + Duration::days(day);
            picks.push(Timed { time, item: Item::File(format!("{}.geojson", time.timestamp()).into()) });
            if day == 300 {
                // (43 weeks in: every week's start is kept)
                assert!(picks.weeks.iter().all(|w| picks.kept.contains_key(&w.from)));
            }
        }
        picks.finish();
        assert!(picks.weeks.len() > MAX_WEEKS);
        let months: Vec<usize> = picks.months.iter().flat_map(|m| [m.from, m.to]).collect();
        assert!(picks.kept.keys().all(|i| months.contains(i)), "{:?}", picks.kept.keys());
        // The state as of 1 March 2024 00:00 is the snapshot of 29 February 01:00.
        let march = picks.months.iter().find(|m| m.label == "2024-03").unwrap();
        assert_eq!((march.from, march.to), (59, 90));
        let (items, states) = picks.states(&[(march.start, march.from), (march.end, march.to)]);
        assert_eq!(items[states[0].snapshot].time, start + Duration::days(59));
        assert_eq!(items[states[1].snapshot].time, start + Duration::days(90));
    }

    #[test]
    fn points_and_bearings_as_printed() {
        assert_eq!(format_points(0.01234), "+1.23 pp");
        assert_eq!(format_points(-0.00001), "0.00 pp");
        assert_eq!(format_points(-0.5), "-50.00 pp");
        assert_eq!(format_bearing(0.2), "0° (N)");
        assert_eq!(format_bearing(359.0), "359° (N)");
        assert_eq!(format_bearing(112.0), "112° (ESE)");
    }
}
