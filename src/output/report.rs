//! Reports people read: `report.md` and five SVG charts from a timeline of snapshots.
//!
//! [`write_report`] measures the areas of every snapshot ([`Analysis::areas`]), the change
//! per ISO week and per calendar month ([`Analysis::changes_each`] with [`Every::Week`] and
//! [`Every::Month`]), the line of contact as of every week's start (every month's, over more
//! than 80 weeks; [`Analysis::line`]),
//! the cities' shares and the places' distances to the front ([`ReportOptions::cities`],
//! [`ReportOptions::places`]), and writes into the output folder:
//!
//! | file | what it shows |
//! | --- | --- |
//! | `report.md` | what data it ran on, the headline table (latest areas and shares, last week's and last month's change), the cities (their occupied and contested share now, and its change in the last week and month), the places (their distance to the front now, and how fast it came in the last month), the regions that moved most in the last month, the charts, the method |
//! | `area-by-status.svg` | area occupied, contested and liberated over time, stacked, km² |
//! | `weekly-net-change.svg` | the net change of the occupied area per week, bars above zero (occupied grew) and below (it shrank) |
//! | `contested-share.svg` | the contested share of the regions with the highest peak, over time |
//! | `last-week-map.svg` | the last week's occupied gains (red) and losses (blue) on a map, over the latest occupied and contested areas and the outline of the area of interest |
//! | `line-of-contact.svg` | the length of the line of contact over time: the occupied area's edge and that of occupied ∪ contested, less 2 km along the outline of the area of interest |
//!
//! The library stays quiet: progress, if wanted, comes through a callback
//! ([`write_report_with`]); the `frontline report` command turns it into a progress bar.
//!
//! ```
//! use frontline::output::report::{synthetic_inputs, write_report, CHARTS};
//! use frontline::synth::SynthConfig;
//!
//! let dir = tempfile::tempdir().map_err(|e| frontline::Error::Usage(e.to_string()))?;
//! // 30 days of a synthetic war, written as files and read back like the real map.
//! let inputs = synthetic_inputs(&SynthConfig::new().days(30).towns(6), &dir.path().join("synthetic"))?;
//! let summary = write_report(&inputs.analysis, &inputs.files, dir.path(), &inputs.options)?;
//! assert_eq!(summary.snapshots, 30);
//! let markdown = std::fs::read_to_string(&summary.markdown).unwrap();
//! assert!(markdown.lines().next().unwrap().contains("synthetic"));
//! for chart in CHARTS {
//!     assert!(dir.path().join(chart).is_file());
//!     assert!(markdown.contains(&format!("]({chart})")));
//! }
//! # Ok::<(), frontline::Error>(())
//! ```

use crate::engine::areas::{AreaRows, AreaRun};
use crate::engine::changes::ChangeRun;
use crate::engine::periods::{Every, Period, Resampling};
use crate::engine::rows::{AreaRow, ChangeRow, PeriodChange, SnapshotAreas};
use crate::engine::source::{SnapshotInput, Source, Timed};
use crate::error::{Error, Result};
use crate::input::read::snapshot_files;
use crate::input::place::{read_places, Place};
use front::{with_cities, Front, Picks};
use crate::input::region::{read_area_of_interest, read_regions, Region, RegionOptions};
use crate::output::records::write_file_atomically;
use crate::synth::{write_timeline, SynthConfig};
use crate::engine::layers::Layers;
use crate::{Analysis, Status};
use chrono::{DateTime, Duration, Utc};
use geo::{BooleanOps, BoundingRect, Centroid, MultiPolygon, Rect, Simplify};
use plotters::coord::types::{Monthly, RangedCoordf64};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

mod front;

/// The charts of a report, in the order of the Markdown.
pub const CHARTS: [&str; 5] = ["area-by-status.svg", "weekly-net-change.svg", "contested-share.svg", "last-week-map.svg", "line-of-contact.svg"];

/// What a report says about its data, and the cities and places it follows.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// What the snapshots are, for the first line of the report (e.g. "DeepState snapshots
    /// in ../shared/data/deepstate/snapshots").
    pub source: String,
    /// The data are synthetic: the first line says so.
    pub synthetic: bool,
    /// Regions drawn in the contested-share chart and listed as having moved most.
    pub top_regions: usize,
    /// Cities whose occupied and contested share the report tabulates, now and their
    /// change over the last week and month.
    pub cities: Vec<Region>,
    /// Places whose distance to the front the report tabulates, now and how fast it
    /// shrank over the last month.
    pub places: Vec<Place>,
}

impl ReportOptions {
    /// Real data from `source`, the 6 top regions.
    pub fn new(source: impl Into<String>) -> ReportOptions {
        ReportOptions { source: source.into(), synthetic: false, top_regions: 6, cities: Vec::new(), places: Vec::new() }
    }

    /// Marks the data as synthetic.
    pub fn synthetic(mut self, synthetic: bool) -> ReportOptions {
        self.synthetic = synthetic;
        self
    }

    /// Sets the number of top regions.
    pub fn top_regions(mut self, n: usize) -> ReportOptions {
        self.top_regions = n;
        self
    }

    /// Sets the cities: how much of each is occupied and contested ("how much of Pokrovsk
    /// is contested"), read with [`read_regions`].
    pub fn cities(mut self, cities: Vec<Region>) -> ReportOptions {
        self.cities = cities;
        self
    }

    /// Sets the places: how far each is from the front, read with
    /// [`read_places`].
    pub fn places(mut self, places: Vec<Place>) -> ReportOptions {
        self.places = places;
        self
    }
}

/// Progress of [`write_report_with`], for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress<'a> {
    /// A stage begins with this many steps.
    Stage {
        /// What it does.
        name: &'a str,
        /// How many steps it takes.
        steps: u64,
    },
    /// Steps of the current stage are done.
    Advance(u64),
}

/// What [`write_report`] wrote and the headline it found.
#[derive(Debug, Clone)]
pub struct ReportSummary {
    /// `OUT/report.md`.
    pub markdown: PathBuf,
    /// The SVG charts, as [`CHARTS`] names them.
    pub charts: Vec<PathBuf>,
    /// Snapshots measured.
    pub snapshots: usize,
    /// The first line of `report.md`.
    pub first_line: String,
    /// The `total` row of the latest snapshot.
    pub latest: AreaRow,
}

/// A synthetic timeline written to files, and how to report on it: see [`synthetic_inputs`].
#[derive(Debug, Clone)]
pub struct SyntheticInputs {
    /// Clipped to the synthetic area of interest, the towns as regions.
    pub analysis: Analysis,
    /// The snapshot files.
    pub files: Vec<PathBuf>,
    /// A source line saying the data are synthetic; the towns as cities and places.
    pub options: ReportOptions,
    /// The folder written: `aoi.geojson`, `towns.geojson`, `snapshots/`.
    pub dir: PathBuf,
}

/// Writes a synthetic timeline into `dir` (replacing a timeline written there before) and
/// reads its area of interest and towns back as the clip and the regions (and the towns
/// as the report's cities and places too), the way real data are read.
pub fn synthetic_inputs(config: &SynthConfig, dir: &Path) -> Result<SyntheticInputs> {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "synthetic".into());
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|source| Error::Write { path: parent.to_path_buf(), source })?;
    let temp = parent.join(format!(".{name}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_dir_all(&temp);
    let written = write_timeline(config, &temp);
    let moved = written.and_then(|_| {
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(|source| Error::Write { path: dir.to_path_buf(), source })?;
        }
        std::fs::rename(&temp, dir).map_err(|source| Error::Write { path: dir.to_path_buf(), source })
    });
    if let Err(e) = moved {
        let _ = std::fs::remove_dir_all(&temp);
        return Err(e);
    }
    let towns = [dir.join("towns.geojson")];
    let regions = read_regions(&towns, &RegionOptions::default())?;
    let places = read_places(&towns, &RegionOptions::default())?;
    let analysis = Analysis::new().with_clip(read_area_of_interest(&dir.join("aoi.geojson"))?).with_regions(regions.clone());
    let files = snapshot_files(&[dir.join("snapshots")])?;
    let source = format!(
        "a synthetic timeline ({} days from {}, seed {}, {} towns; generated by frontline, not real events) in {}",
        config.days,
        config.start.format("%Y-%m-%d"),
        config.seed,
        config.towns,
        dir.display()
    );
    let options = ReportOptions::new(source).synthetic(true).cities(regions).places(places);
    Ok(SyntheticInputs { analysis, files, options, dir: dir.to_path_buf() })
}

/// Writes `report.md` and the [`CHARTS`] into `out` (created if needed): see the module
/// documentation. Inputs are snapshot files or states in memory, as for
/// [`Analysis::areas`].
pub fn write_report<I>(analysis: &Analysis, inputs: I, out: &Path, options: &ReportOptions) -> Result<ReportSummary>
where
    I: IntoIterator,
    I::Item: SnapshotInput,
{
    write_report_with(analysis, inputs, out, options, &mut |_| {})
}

/// A period's rows, `total` first.
struct PeriodRows {
    period: Period,
    rows: Vec<ChangeRow>,
}

/// [`write_report`], telling `progress` how far it got.
pub fn write_report_with<I>(
    analysis: &Analysis,
    inputs: I,
    out: &Path,
    options: &ReportOptions,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<ReportSummary>
where
    I: IntoIterator,
    I::Item: SnapshotInput,
{
    analysis.check()?;
    let mut source = Source::new(inputs, analysis.read_options())?;
    if source.files().is_empty() && matches!(source, Source::Files(_)) {
        return Err(Error::Usage("no snapshot files to report on".into()));
    }
    std::fs::create_dir_all(out).map_err(|source| Error::Write { path: out.to_path_buf(), source })?;

    // One pass over the timeline: every snapshot measured, and the weekly and monthly changes
    // compared as their periods become known (states in memory are taken once), a slice at a
    // time so that progress moves; each slice still runs on every core.
    let count = source.files().len();
    let last_file = match source.files().last().map(|t| &t.item) {
        Some(crate::engine::source::Item::File(path)) => Some(path.clone()),
        _ => None,
    };
    // The cities are measured with the regions, as one more set: their rows come after the
    // regions' (the charts and tables of the regions see only theirs).
    let with_cities = with_cities(analysis, &options.cities);
    with_cities.check()?;
    progress(Progress::Stage { name: "measuring", steps: count as u64 });
    let mut area_run = AreaRun::new(&with_cities);
    let mut area_rows = AreaRows::new(&with_cities)?;
    let mut picks = Picks::new();
    let mut areas: Vec<SnapshotAreas> = Vec::with_capacity(count);
    let mut weekly_run = ChangeRun::new(analysis, &Resampling::new(Every::Week), count == 0);
    let mut monthly_run = ChangeRun::new(analysis, &Resampling::new(Every::Month), count == 0);
    let (mut weekly, mut monthly): (Vec<PeriodRows>, Vec<PeriodRows>) = (Vec::new(), Vec::new());
    let mut last_week: Option<PeriodChange> = None;
    // The latest snapshots, for the map of the last week's change over the state it ended in.
    let mut recent: std::collections::VecDeque<Timed> = std::collections::VecDeque::new();
    let slice = match count {
        0 => 32,
        n => (n / 20).max(8 * rayon::current_num_threads()).max(1),
    };
    let mut files = match &mut source {
        Source::Files(files) => std::mem::take(files).into_iter(),
        Source::States(_) => Vec::new().into_iter(),
    };
    loop {
        let items: Vec<Timed> = match &mut source {
            Source::Files(_) => files.by_ref().take(slice).collect(),
            Source::States(states) => states.next_chunk(slice)?,
        };
        if items.is_empty() {
            break;
        }
        for measured in area_run.measure(&items) {
            areas.push(area_rows.rows(measured?));
        }
        for timed in &items {
            weekly_run.push(timed.clone(), &mut |p: PeriodChange| {
                weekly.push(PeriodRows { period: p.period.clone(), rows: p.rows.clone() });
                last_week = Some(p);
                Ok(())
            })?;
            monthly_run.push(timed.clone(), &mut |p: PeriodChange| {
                monthly.push(PeriodRows { period: p.period, rows: p.rows });
                Ok(())
            })?;
            recent.push_back(timed.clone());
            if recent.len() > 32 {
                recent.pop_front();
            }
            picks.push(timed.clone());
        }
        progress(Progress::Advance(items.len() as u64));
    }
    picks.finish();
    let weekly_summary = weekly_run.finish(&mut |p: PeriodChange| {
        weekly.push(PeriodRows { period: p.period.clone(), rows: p.rows.clone() });
        last_week = Some(p);
        Ok(())
    })?;
    let monthly_summary = monthly_run.finish(&mut |p: PeriodChange| {
        monthly.push(PeriodRows { period: p.period, rows: p.rows });
        Ok(())
    })?;
    if areas.is_empty() {
        return Err(Error::Usage("no snapshot to report on".into()));
    }
    let times: Vec<DateTime<Utc>> = areas.iter().map(|a| a.time).collect();
    let front = Front::measure(analysis, options, &picks, progress)?;

    progress(Progress::Stage { name: "charts", steps: CHARTS.len() as u64 });
    let regions: Vec<&Region> = analysis.regions().collect();
    let data = Data { analysis, regions: &regions, areas: &areas, times: &times, weekly: &weekly, monthly: &monthly, options, front: &front };
    let top = data.top_contested_regions();
    let mut charts = Vec::new();
    let context = match &last_week {
        Some(period) => match recent.iter().find(|t| t.name() == *period.to_snapshot) {
            Some(timed) => Some(analysis.layers(timed.load_alone(analysis.read_options())?.as_ref())),
            None => None,
        },
        None => None,
    };
    let svgs: [(&str, ChartResult); 5] = [
        (CHARTS[0], data.area_chart()),
        (CHARTS[1], data.weekly_chart()),
        (CHARTS[2], data.share_chart(&top)),
        (CHARTS[3], data.map_chart(last_week.as_ref(), context.as_ref())),
        (CHARTS[4], data.line_chart()),
    ];
    for (name, svg) in svgs {
        let path = out.join(name);
        let svg = svg.map_err(|e| Error::Chart { path: path.clone(), message: e.to_string() })?;
        write_file_atomically(&path, |w| w.write_all(svg.as_bytes())).map_err(|source| Error::Write { path: path.clone(), source })?;
        charts.push(path);
        progress(Progress::Advance(1));
    }

    let skipped = weekly_summary.skipped.len() + monthly_summary.skipped.len();
    let (first_line, mut markdown) = data.markdown(last_week.as_ref(), skipped);
    // The map's own figures, when they are beside the last snapshot: before the charts.
    let latest_total = areas.last().and_then(|a| a.rows.first());
    if let (Some(file), Some(total)) = (&last_file, latest_total) {
        if let Some((rows, notes)) = crate::engine::reconcile::reconcile_latest(analysis, file, total)? {
            let at = markdown.find("## Charts\n").unwrap_or(markdown.len());
            markdown.insert_str(at, &published_section(&rows, notes));
        }
    }
    let path = out.join("report.md");
    write_file_atomically(&path, |w| w.write_all(markdown.as_bytes())).map_err(|source| Error::Write { path: path.clone(), source })?;
    let latest = areas.last().and_then(|a| a.rows.first()).cloned().ok_or_else(|| Error::Usage("no snapshot measured".into()))?;
    Ok(ReportSummary { markdown: path, charts, snapshots: areas.len(), first_line, latest })
}

/// An area in km² with thousands separators and one decimal, as the report prints it.
///
/// ```
/// assert_eq!(frontline::output::report::format_km2(112345.67), "112,345.7");
/// assert_eq!(frontline::output::report::format_km2(-0.04), "0.0");
/// ```
pub fn format_km2(x: f64) -> String {
    let text = format!("{:.1}", x.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, "0"));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let negative = x < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0');
    format!("{}{grouped}.{frac}", if negative { "-" } else { "" })
}

/// A change in km², signed: `+12.3`, `-4.0`, `0.0`.
///
/// ```
/// assert_eq!(frontline::output::report::format_change_km2(1234.5), "+1,234.5");
/// assert_eq!(frontline::output::report::format_change_km2(-4.0), "-4.0");
/// ```
pub fn format_change_km2(x: f64) -> String {
    let text = format_km2(x);
    if x > 0.0 && text != "0.0" { format!("+{text}") } else { text }
}

/// A share as a percentage with two decimals.
///
/// ```
/// assert_eq!(frontline::output::report::format_share(0.18934), "18.93 %");
/// ```
pub fn format_share(x: f64) -> String {
    format!("{:.2} %", x * 100.0)
}

const OCCUPIED: RGBColor = RGBColor(192, 57, 43);
const CONTESTED: RGBColor = RGBColor(230, 150, 30);
const LIBERATED: RGBColor = RGBColor(46, 134, 193);
const LOST: RGBColor = RGBColor(30, 90, 200);
const PALETTE: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(23, 190, 207),
];
const WIDTH: u32 = 960;
const HEIGHT: u32 = 540;

type ChartResult = std::result::Result<String, Box<dyn std::error::Error>>;
type Point = (DateTime<Utc>, f64);

/// The legend of every chart of the report: a white box with a grey border, at `position`.
fn draw_legend<'a, 'b: 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, CT>,
    position: SeriesLabelPosition,
) -> std::result::Result<(), Box<dyn std::error::Error>> {
    chart.configure_series_labels().position(position).background_style(WHITE.mix(0.9)).border_style(BLACK.mix(0.4)).draw()?;
    Ok(())
}

/// A chart with time along the x axis (in months) and a value along the y axis.
type TimeChart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<Monthly<DateTime<Utc>>, RangedCoordf64>>;

/// What sets the axes of one time chart apart from another's.
struct TimeAxes<'f> {
    /// The caption and its font size.
    caption: (String, u32),
    x: std::ops::Range<DateTime<Utc>>,
    x_desc: String,
    y: std::ops::Range<f64>,
    /// The width of the y labels' area, in pixels.
    y_area: u32,
    y_labels: usize,
    y_format: &'f dyn Fn(&f64) -> String,
    y_desc: &'f str,
}

struct Data<'a> {
    analysis: &'a Analysis,
    regions: &'a [&'a Region],
    areas: &'a [SnapshotAreas],
    times: &'a [DateTime<Utc>],
    weekly: &'a [PeriodRows],
    monthly: &'a [PeriodRows],
    options: &'a ReportOptions,
    front: &'a Front,
}

fn day(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%d").to_string()
}

/// The last period that is over by `last` (the latest snapshot) give or take a day, else
/// the last period.
fn last_complete(periods: &[PeriodRows], last: DateTime<Utc>) -> Option<&PeriodRows> {
    periods.iter().rev().find(|p| p.period.end <= last + Duration::days(1)).or(periods.last())
}

impl Data<'_> {
    fn time_range(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let first = self.times.first().copied().unwrap_or_default();
        let last = self.times.last().copied().unwrap_or_default();
        (first, if last > first { last } else { first + Duration::days(1) })
    }

    fn date_format(&self) -> &'static str {
        let (a, b) = self.time_range();
        if (b - a).num_days() > 180 { "%b %Y" } else { "%d %b" }
    }

    /// Regions by peak contested share over the timeline, highest first (only those ever
    /// contested), at most `top_regions`.
    fn top_contested_regions(&self) -> Vec<(String, f64)> {
        let mut peaks: Vec<(String, f64)> = Vec::new();
        for (i, region) in self.regions.iter().enumerate() {
            let peak = self
                .areas
                .iter()
                .filter_map(|a| a.rows.get(i + 1))
                .filter_map(|r| r.contested_share)
                .fold(0.0, f64::max);
            if peak > 0.0 {
                peaks.push((region.name.clone(), peak));
            }
        }
        peaks.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        peaks.truncate(self.options.top_regions);
        peaks
    }

    /// A chart over time with its axes drawn: months along the bottom, a value up the side.
    /// The three time charts differ only in what `axes` says.
    fn time_chart<'a, 'b>(&self, root: &'a DrawingArea<SVGBackend<'b>, Shift>, axes: TimeAxes) -> Result<TimeChart<'a, 'b>, Box<dyn std::error::Error>> {
        let mut chart = ChartBuilder::on(root)
            .caption(axes.caption.0, ("sans-serif", axes.caption.1))
            .margin(16)
            .margin_right(36)
            .x_label_area_size(40)
            .y_label_area_size(axes.y_area)
            .build_cartesian_2d(axes.x.monthly(), axes.y)?;
        let format = self.date_format();
        chart
            .configure_mesh()
            .x_labels(14)
            .y_labels(axes.y_labels)
            .x_label_formatter(&|t| t.format(format).to_string())
            .y_label_formatter(axes.y_format)
            .y_desc(axes.y_desc)
            .x_desc(axes.x_desc)
            .light_line_style(WHITE.mix(0.0))
            .draw()?;
        Ok(chart)
    }

    fn area_chart(&self) -> ChartResult {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
            root.fill(&WHITE)?;
            let totals: Vec<&AreaRow> = self.areas.iter().filter_map(|a| a.rows.first()).collect();
            let stacked: Vec<[f64; 3]> = totals
                .iter()
                .map(|r| [r.occupied_km2, r.occupied_km2 + r.contested_km2, r.occupied_km2 + r.contested_km2 + r.liberated_km2])
                .collect();
            let top = stacked.iter().map(|s| s[2]).fold(0.0, f64::max).max(1.0) * 1.08;
            let (a, b) = self.time_range();
            let where_ = match self.analysis.clip() {
                Some(clip) => format!(" within {}", clip.name),
                None => String::new(),
            };
            let root = root.titled(&format!("Area by status{where_}, stacked"), ("sans-serif", 24))?;
            let latest = match totals.last() {
                Some(r) => format!(
                    "latest ({}): occupied {} km², contested {} km², liberated {} km²",
                    day(&r.time),
                    format_km2(r.occupied_km2).trim_end_matches(".0"),
                    format_km2(r.contested_km2).trim_end_matches(".0"),
                    format_km2(r.liberated_km2).trim_end_matches(".0")
                ),
                None => String::new(),
            };
            let mut chart = self.time_chart(
                &root,
                TimeAxes {
                    caption: (latest, 15),
                    x: a..b,
                    x_desc: "snapshot date (UTC)".into(),
                    y: 0.0..top,
                    y_area: 90,
                    y_labels: 8,
                    y_format: &|v| format_km2(*v).trim_end_matches(".0").to_string(),
                    y_desc: "km²",
                },
            )?;
            let layers = [(2, LIBERATED, "liberated"), (1, CONTESTED, "contested (grey zone)"), (0, OCCUPIED, "occupied")];
            for (k, colour, label) in layers {
                let points: Vec<(DateTime<Utc>, f64)> = self.times.iter().zip(&stacked).map(|(t, s)| (*t, s[k])).collect();
                chart
                    .draw_series(AreaSeries::new(points, 0.0, colour.mix(0.85)).border_style(colour.stroke_width(1)))?
                    .label(label)
                    .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], colour.filled()));
            }
            draw_legend(&mut chart, SeriesLabelPosition::LowerRight)?;
            root.present()?;
        }
        Ok(svg)
    }

    fn weekly_chart(&self) -> ChartResult {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
            root.fill(&WHITE)?;
            // Bars span the week itself: from Monday (the start boundary) to the next Monday.
            let bars: Vec<(DateTime<Utc>, DateTime<Utc>, f64)> =
                self.weekly.iter().filter_map(|p| Some((p.period.start, p.period.end, p.rows.first()?.occupied_net_km2))).collect();
            // A few extreme weeks would flatten all the others: the axis stops at 2.5 times
            // the 90th percentile of the weekly change, and longer bars are cut there and
            // carry their value.
            let mut sizes: Vec<f64> = bars.iter().map(|b| b.2.abs()).collect();
            sizes.sort_by(f64::total_cmp);
            let cap = sizes.get(sizes.len() * 9 / 10).map_or(f64::INFINITY, |p| (p * 2.5).max(10.0));
            let high = bars.iter().map(|b| b.2.min(cap)).fold(0.0, f64::max);
            let low = bars.iter().map(|b| b.2.max(-cap)).fold(0.0, f64::min);
            let pad = ((high - low) * 0.08).max(1.0);
            let (a, b) = match (bars.first(), bars.last()) {
                (Some(f), Some(l)) => (f.0, l.1),
                _ => self.time_range(),
            };
            let cut = bars.iter().filter(|b| b.2.abs() > cap).count();
            let x_desc = if cut == 0 {
                "week (Monday to Monday, UTC)".to_string()
            } else {
                let extreme = |f: fn(f64, f64) -> f64| bars.iter().map(|b| b.2).fold(0.0, f);
                format!(
                    "week (Monday to Monday, UTC); {cut} bar(s) cut at ±{} km², extremes {} and {} km²",
                    format_km2(cap).trim_end_matches(".0"),
                    format_change_km2(extreme(f64::max)).trim_end_matches(".0"),
                    format_change_km2(extreme(f64::min)).trim_end_matches(".0"),
                )
            };
            let mut chart = self.time_chart(
                &root,
                TimeAxes {
                    caption: ("Occupied area: net change per week".into(), 24),
                    x: a..b,
                    x_desc,
                    y: (low - pad)..(high + pad),
                    y_area: 90,
                    y_labels: 10,
                    y_format: &|v| format_change_km2(*v).trim_end_matches(".0").to_string(),
                    y_desc: "km² per ISO week",
                },
            )?;
            let gap = Duration::hours(if (b - a).num_days() > 400 { 12 } else { 24 });
            chart
                .draw_series(
                    bars.iter().filter(|b| b.2 > 0.0).map(|&(s, e, v)| Rectangle::new([(s + gap, 0.0), (e - gap, v.min(cap))], OCCUPIED.filled())),
                )?
                .label("occupied area grew")
                .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], OCCUPIED.filled()));
            chart
                .draw_series(
                    bars.iter().filter(|b| b.2 < 0.0).map(|&(s, e, v)| Rectangle::new([(s + gap, v.max(-cap)), (e - gap, 0.0)], LOST.filled())),
                )?
                .label("occupied area shrank")
                .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], LOST.filled()));
            chart.draw_series(LineSeries::new([(a, 0.0), (b, 0.0)], BLACK.stroke_width(1)))?;

            draw_legend(&mut chart, SeriesLabelPosition::LowerRight)?;
            root.present()?;
        }
        Ok(svg)
    }

    fn share_chart(&self, top: &[(String, f64)]) -> ChartResult {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
            root.fill(&WHITE)?;
            // The series: the top regions, else the area of interest as a whole.
            let mut series: Vec<(String, Vec<Point>)> = Vec::new();
            for (name, peak) in top {
                if let Some(i) = self.regions.iter().position(|r| &r.name == name) {
                    let points = self
                        .times
                        .iter()
                        .zip(self.areas)
                        .filter_map(|(t, a)| Some((*t, a.rows.get(i + 1)?.contested_share? * 100.0)))
                        .collect();
                    series.push((format!("{name} (peak {})", format_share(*peak)), points));
                }
            }
            let title = if series.is_empty() {
                if let Some(clip) = self.analysis.clip() {
                    let points = self
                        .times
                        .iter()
                        .zip(self.areas)
                        .filter_map(|(t, a)| Some((*t, a.rows.first()?.contested_share? * 100.0)))
                        .collect();
                    series.push((clip.name.clone(), points));
                }
                "Contested share of the area of interest".to_string()
            } else {
                format!("Contested (grey zone) share of the {} most contested regions", series.len())
            };
            let high = series.iter().flat_map(|s| s.1.iter().map(|p| p.1)).fold(0.0, f64::max);
            let top_y = if high > 0.0 { (high * 1.1).min(100.0) } else { 1.0 };
            let (a, b) = self.time_range();
            let mut chart = self.time_chart(
                &root,
                TimeAxes {
                    caption: (title, 24),
                    x: a..b,
                    x_desc: "snapshot date (UTC)".into(),
                    y: 0.0..top_y,
                    y_area: 70,
                    y_labels: 8,
                    y_format: &|v| format!("{v:.0} %"),
                    y_desc: "contested area / region area",
                },
            )?;
            for (k, (label, points)) in series.into_iter().enumerate() {
                let colour = PALETTE[k % PALETTE.len()];
                chart
                    .draw_series(LineSeries::new(points, colour.stroke_width(2)))?
                    .label(label)
                    .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], colour.stroke_width(2)));
            }
            if self.regions.is_empty() && self.analysis.clip().is_none() {
                root.draw(&Text::new("no regions and no area of interest given", (WIDTH as i32 / 3, HEIGHT as i32 / 2), ("sans-serif", 18)))?;
            } else if !self.regions.is_empty() && top.is_empty() {
                root.draw(&Text::new("no region was ever contested", (WIDTH as i32 / 3, HEIGHT as i32 / 2), ("sans-serif", 18)))?;
            } else {
                draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
            }
            root.present()?;
        }
        Ok(svg)
    }

    fn map_chart(&self, last: Option<&PeriodChange>, context: Option<&Layers>) -> ChartResult {
        let empty = MultiPolygon::new(Vec::new());
        let gained = last.map_or(&empty, |p| &p.change.gained[Status::Occupied]);
        let lost = last.map_or(&empty, |p| &p.change.lost[Status::Occupied]);
        let aoi = self.analysis.clip().map(|c| &c.geometry);
        // The view: the change, padded, at least 1° high; else the area of interest.
        let changed: Vec<geo::Polygon<f64>> = gained.0.iter().chain(&lost.0).cloned().collect();
        let base = MultiPolygon::new(changed)
            .bounding_rect()
            .map(|r| pad(r, 0.25, 1.0))
            .or_else(|| aoi.and_then(|a| a.bounding_rect()).map(|r| pad(r, 0.05, 0.0)))
            .or_else(|| context.and_then(|c| c.get(Status::Occupied).bounding_rect()).map(|r| pad(r, 0.05, 0.0)))
            .unwrap_or_else(|| Rect::new((30.0, 45.0), (40.0, 51.0)));
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH, 720)).into_drawing_area();
            root.fill(&WHITE)?;
            let (title, subtitle) = match last {
                Some(p) => (
                    format!("Occupied area gained and lost in the last week, {}", p.period.label),
                    format!(
                        "snapshot of {} against {}: {} km² gained (red), {} km² lost (blue); circles mark pieces of 0.5 km² or more",
                        day(&p.from_time),
                        day(&p.to_time),
                        format_km2(p.rows.first().map_or(0.0, |r| r.occupied_gained_km2)),
                        format_km2(p.rows.first().map_or(0.0, |r| r.occupied_lost_km2)),
                    ),
                ),
                None => ("No week to compare: the timeline is shorter than a week".to_string(), String::new()),
            };
            let root = root.titled(&title, ("sans-serif", 22))?;
            let (margin, left, bottom, caption) = (16u32, 60u32, 40u32, 24u32);
            let (w, h) = root.dim_in_pixel();
            let plot_w = f64::from(w.saturating_sub(2 * margin + left).max(1));
            let plot_h = f64::from(h.saturating_sub(2 * margin + bottom + caption).max(1));
            let view = equirectangular(base, plot_w / plot_h);
            let mut chart = ChartBuilder::on(&root)
                .caption(subtitle, ("sans-serif", 15))
                .margin(margin)
                .x_label_area_size(bottom)
                .y_label_area_size(left)
                .build_cartesian_2d(view.min().x..view.max().x, view.min().y..view.max().y)?;
            chart
                .configure_mesh()
                .x_labels(8)
                .y_labels(8)
                .x_label_formatter(&|v| format!("{v:.1}°E"))
                .y_label_formatter(&|v| format!("{v:.1}°N"))
                .light_line_style(WHITE.mix(0.0))
                .bold_line_style(BLACK.mix(0.08))
                .draw()?;
            let window = view.to_polygon();
            let tolerance = (view.max().x - view.min().x) / 1500.0;
            let clip = |shape: &MultiPolygon<f64>| -> MultiPolygon<f64> {
                if shape.0.is_empty() {
                    return MultiPolygon::new(Vec::new());
                }
                shape.intersection(&MultiPolygon::new(vec![window.clone()])).simplify(tolerance)
            };
            let ring = |line: &geo::LineString<f64>| -> Vec<(f64, f64)> { line.0.iter().map(|c| (c.x, c.y)).collect() };
            if let Some(layers) = context {
                for (status, colour, label) in [(Status::Occupied, OCCUPIED, "occupied (latest)"), (Status::Contested, CONTESTED, "contested (latest)")] {
                    let shape = clip(layers.get(status));
                    chart
                        .draw_series(shape.0.iter().map(|p| Polygon::new(ring(p.exterior()), colour.mix(0.22).filled())))?
                        .label(label)
                        .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], colour.mix(0.22).filled()));
                    chart.draw_series(shape.0.iter().flat_map(|p| p.interiors().iter().map(|r| Polygon::new(ring(r), WHITE.filled()))))?;
                }
            }
            for region in self.regions {
                let outline = clip(&region.geometry);
                chart.draw_series(
                    outline.0.iter().flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors())).map(|r| PathElement::new(ring(r), BLACK.mix(0.3).stroke_width(1))),
                )?;
            }
            if let Some(aoi) = aoi {
                // The outline itself, not clipped: a clipped outline would draw the window's edges.
                let simplified = aoi.simplify(tolerance);
                chart
                    .draw_series(
                        simplified.0.iter().flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors())).map(|r| {
                            let inside: Vec<(f64, f64)> = ring(r);
                            PathElement::new(inside, BLACK.stroke_width(2))
                        }),
                    )?
                    .label("area of interest")
                    .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], BLACK.stroke_width(2)));
            }
            for (shape, colour, label) in [(gained, OCCUPIED, "occupied gained"), (lost, LOST, "occupied lost")] {
                let shape = clip(shape);
                chart
                    .draw_series(shape.0.iter().map(|p| Polygon::new(ring(p.exterior()), colour.filled())))?
                    .label(label)
                    .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], colour.filled()));
                // A circle around every compact piece of 0.5 km² or more, so that an advance
                // of a few km² stays visible at this scale; slivers (a boundary redrawn a
                // little) are left unmarked.
                let marked = shape.0.iter().filter(|p| p.exterior().0.len() > 3 && is_compact_piece(p)).filter_map(|p| p.centroid());
                chart.draw_series(marked.map(|c| Circle::new((c.x(), c.y()), 9, colour.stroke_width(2))))?;
            }
            for region in self.regions {
                if let Some(c) = region.geometry.centroid() {
                    if view.min().x < c.x() && c.x() < view.max().x && view.min().y < c.y() && c.y() < view.max().y {
                        chart.draw_series(std::iter::once(Text::new(region.name.clone(), (c.x(), c.y()), ("sans-serif", 12).into_font().color(&BLACK.mix(0.6)))))?;
                    }
                }
            }
            draw_legend(&mut chart, SeriesLabelPosition::LowerLeft)?;
            root.present()?;
        }
        Ok(svg)
    }

    fn markdown(&self, last_week: Option<&PeriodChange>, skipped: usize) -> (String, String) {
        let mut md = String::new();
        let (first, last) = (self.times.first().map(day).unwrap_or_default(), self.times.last().map(day).unwrap_or_default());
        let first_line = if self.options.synthetic {
            format!(
                "# Report on synthetic data: {} snapshots from {first} to {last}, {}",
                self.areas.len(),
                self.options.source
            )
        } else {
            format!("# Report on {}: {} snapshots from {first} to {last}", self.options.source, self.areas.len())
        };
        let _ = writeln!(md, "{first_line}\n");
        let latest = self.areas.last();
        let total = latest.and_then(|a| a.rows.first());
        if let (Some(latest), Some(total)) = (latest, total) {
            let aoi = match (self.analysis.clip(), total.region_km2) {
                (Some(clip), Some(km2)) => format!("the area of interest `{}` ({} km²)", clip.name, format_km2(km2)),
                _ => "everything the map draws (no area of interest given)".to_string(),
            };
            let _ = writeln!(
                md,
                "Latest snapshot: `{}` ({}). Areas are measured within {aoi}, with {} region{}.\n",
                latest.snapshot,
                latest.time,
                self.regions.len(),
                if self.regions.len() == 1 { "" } else { "s" }
            );
        }
        let last_time = self.times.last().copied().unwrap_or_default();
        let week = last_complete(self.weekly, last_time);
        let month = last_complete(self.monthly, last_time);
        let week_total = week.and_then(|p| p.rows.first());
        let month_total = month.and_then(|p| p.rows.first());
        let _ = writeln!(md, "## Headline\n");
        let head = |row: Option<&ChangeRow>, what: &str| match row {
            Some(r) => format!("{what} {}", r.period),
            None => format!("{what} (none)"),
        };
        let _ = writeln!(
            md,
            "| status | area (km²) | share of the area of interest | {} (km²) | {} (km²) |",
            head(week_total, "change in week"),
            head(month_total, "change in month")
        );
        let _ = writeln!(md, "| --- | ---: | ---: | ---: | ---: |");
        if let Some(total) = total {
            for status in Status::ALL {
                let area = total.status_km2(status);
                let share = total.region_km2.filter(|r| *r > 0.0).map_or("-".to_string(), |r| format_share(area / r));
                let change = |row: Option<&ChangeRow>| row.map_or("-".to_string(), |r| format_change_km2(r.net_km2(status)));
                let _ = writeln!(md, "| {} | {} | {share} | {} | {} |", status.as_str(), format_km2(area), change(week_total), change(month_total));
            }
        }
        let _ = writeln!(md);
        for (row, what) in [(week_total, "Last week"), (month_total, "Last month")] {
            if let Some(r) = row {
                let _ = writeln!(
                    md,
                    "- {what}, {}: the snapshot of {} against that of {} ({:.1} days): occupied area gained {} km² ({} km² from held land, {} km² from the grey zone) and lost {} km².",
                    r.period,
                    day(&r.from_time),
                    day(&r.to_time),
                    r.days,
                    format_km2(r.occupied_gained_km2),
                    format_km2(r.transitions.held_to_occupied),
                    format_km2(r.transitions.contested_to_occupied),
                    format_km2(r.occupied_lost_km2),
                );
            }
        }
        for (periods, used, what) in [(self.weekly, week_total, "week"), (self.monthly, month_total, "month")] {
            if let (Some(r), Some(u)) = (periods.last().and_then(|p| p.rows.first()), used) {
                if r.period != u.period {
                    let _ = writeln!(
                        md,
                        "- The {what} {} is not over at the latest snapshot ({:.1} days of it so far): the headline uses the last complete {what}, {}.",
                        r.period, r.days, u.period
                    );
                }
            }
        }
        if skipped > 0 {
            let _ = writeln!(md, "- {skipped} week(s) or month(s) at the ends of the timeline have no snapshot at their start and are left out.");
        }
        let _ = writeln!(md);
        md.push_str(&self.cities_table(week, month));
        md.push_str(&self.places_table());

        if !self.regions.is_empty() {
            let _ = writeln!(md, "## Regions that moved most in {}\n", month_total.map_or("the last month".to_string(), |r| format!("the last month ({})", r.period)));
            let mut moved: Vec<&ChangeRow> = month.iter().flat_map(|p| p.rows.iter().skip(1)).filter(|r| r.occupied_net_km2.abs() + r.contested_net_km2.abs() >= 0.05).collect();
            moved.sort_by(|a, b| {
                let m = |r: &ChangeRow| r.occupied_net_km2.abs() + r.contested_net_km2.abs();
                m(b).total_cmp(&m(a)).then_with(|| a.region.cmp(&b.region))
            });
            moved.truncate(self.options.top_regions);
            if moved.is_empty() {
                let _ = writeln!(md, "No region changed by 0.1 km² or more.\n");
            } else {
                let _ = writeln!(md, "| region | occupied net (km²) | contested net (km²) | occupied share now | contested share now |");
                let _ = writeln!(md, "| --- | ---: | ---: | ---: | ---: |");
                for r in moved {
                    let now = latest.and_then(|a| a.rows.iter().find(|x| x.region == r.region));
                    let share = |s: Option<f64>| s.map_or("-".to_string(), format_share);
                    let _ = writeln!(
                        md,
                        "| {} | {} | {} | {} | {} |",
                        r.region.replace('|', "\\|"),
                        format_change_km2(r.occupied_net_km2),
                        format_change_km2(r.contested_net_km2),
                        share(now.and_then(|x| x.occupied_share)),
                        share(now.and_then(|x| x.contested_share)),
                    );
                }
                let _ = writeln!(md);
            }
        }

        let _ = writeln!(md, "## Charts\n");
        let _ = writeln!(md, "![Area by status over time, stacked]({})\n", CHARTS[0]);
        let _ = writeln!(md, "Occupied, contested and liberated area at every snapshot, stacked: the top of the stack is all the area the map draws.\n");
        let _ = writeln!(md, "![Occupied area, net change per week]({})\n", CHARTS[1]);
        let _ = writeln!(md, "The occupied area's net change per ISO week: red bars above zero when it grew, blue below when it shrank.\n");
        let _ = writeln!(md, "![Contested share of the most contested regions]({})\n", CHARTS[2]);
        let _ = writeln!(md, "The share of each region drawn as contested (grey zone), for the {} regions with the highest peak.\n", self.options.top_regions);
        let _ = writeln!(md, "![Change in the last week, on the map]({})\n", CHARTS[3]);
        let _ = writeln!(
            md,
            "{}\n",
            match last_week {
                Some(p) => format!("Week {}: occupied area gained (red) and lost (blue), over the latest occupied and contested areas (light).", p.period.label),
                None => "No full week to compare.".to_string(),
            }
        );
        let _ = writeln!(md, "![Length of the line of contact over time]({})\n", CHARTS[4]);
        let _ = writeln!(
            md,
            "The length of the line of contact as of {} and at the latest snapshot: the edge of the occupied area, and the edge of occupied ∪ contested (the far side of the grey zone), less the parts within 2 km of the outline of the area of interest (borders and coast are not front), as drawn (`frontline line` gives it generalised, per region and with other bands).\n",
            self.front.every
        );
        let _ = writeln!(md, "## Method\n");
        let _ = writeln!(
            md,
            "Made by frontline {}. Every snapshot's polygons are classified (occupied, contested, liberated), repaired, dissolved and made disjoint (occupied over contested over liberated){}. \
Areas are geodesic on the WGS84 ellipsoid (Karney's method), in km²; edges longer than 1 km follow their straight line in longitude/latitude, as the map draws them. \
A week is an ISO week from Monday 00:00 UTC and a month a calendar month; each compares the latest snapshot at or before its start with the latest at or before its end, \
so the change of a week is the area gained minus the area lost between those two snapshots. The share of a region is its area of a status over its whole area. \
The map is in longitude/latitude, stretched so that a kilometre east is as long as a kilometre north at its centre. \
Lengths of the line of contact are measured on the WGS84 ellipsoid along the edges as drawn, seams narrower than 100 m between polygons drawn side by side filled first; \
distances to places are geodesic, from the nearest point of the place (its point, or its outline) to the nearest point of the layer.",
            env!("CARGO_PKG_VERSION"),
            if self.analysis.clip.is_some() { ", then clipped to the area of interest" } else { "" },
        );
        (first_line, md)
    }
}

/// The section of the map's own figures for the last snapshot: published, reproduced and
/// frontline's figure per status with the bridge between them (see
/// [`Analysis::reconcile`]).
fn published_section(rows: &[crate::ReconcileRow], notes: usize) -> String {
    let mut md = String::new();
    let Some(first) = rows.first() else { return md };
    let _ = writeln!(md, "## The map's own figures\n");
    let _ = writeln!(
        md,
        "The map publishes its own areas for `{}`: turf.js's area on a sphere (radius 6,378,137 m) of the polygons of each fill colour, each as drawn, not clipped. \
`reproduced` is that computed here; the next columns change one step at a time from it to this report's figure (`frontline reconcile` gives them for every snapshot).\n",
        first.snapshot
    );
    let _ = writeln!(md, "| status | published (km²) | reproduced (km²) | sphere → ellipsoid | colour → status by name | overlaps removed | clip | this report (km²) |");
    let _ = writeln!(md, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for r in rows {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            r.status,
            format_km2(r.published_km2),
            format_km2(r.reproduced_km2),
            format_change_km2(r.sphere_to_ellipsoid_km2),
            format_change_km2(r.colour_to_status_km2),
            format_change_km2(r.disjoint_km2),
            format_change_km2(r.clip_km2),
            format_km2(r.frontline_km2),
        );
    }
    let _ = writeln!(md);
    if notes > 0 {
        let _ = writeln!(md, "- {notes} note(s) on the published figures: run `frontline reconcile` on the snapshot to read them.\n");
    }
    md
}

/// A piece of change worth marking on the map: 0.5 km² or more, and not a sliver (its
/// isoperimetric quotient 4πA/P², 1 for a disc, is at least 0.05).
fn is_compact_piece(p: &geo::Polygon<f64>) -> bool {
    use crate::AreaKm2;
    let km2 = p.geodesic_area_km2();
    if km2 < 0.5 {
        return false;
    }
    let coords = &p.exterior().0;
    let k = coords.first().map_or(1.0, |c| c.y.to_radians().cos()) * 111.32;
    let perimeter_km: f64 = coords.windows(2).map(|w| ((w[1].x - w[0].x) * k).hypot((w[1].y - w[0].y) * 110.57)).sum();
    perimeter_km > 0.0 && 4.0 * std::f64::consts::PI * km2 / (perimeter_km * perimeter_km) >= 0.05
}

/// A rectangle grown by `fraction` of its size on every side, and to at least `min` degrees
/// on each axis.
fn pad(r: Rect<f64>, fraction: f64, min: f64) -> Rect<f64> {
    let (w, h) = (r.width(), r.height());
    let dx = (w * fraction).max((min - w) / 2.0).max(0.0);
    let dy = (h * fraction).max((min - h) / 2.0).max(0.0);
    Rect::new((r.min().x - dx, r.min().y - dy), (r.max().x + dx, r.max().y + dy))
}

/// The view grown on one axis so that, drawn in a plot of this width/height ratio, a degree
/// of longitude is cos(latitude) of a degree of latitude at the centre.
fn equirectangular(r: Rect<f64>, ratio: f64) -> Rect<f64> {
    let center = r.center();
    let k = center.y.to_radians().cos().max(0.05);
    let (mut w, mut h) = (r.width() * k, r.height());
    if w / h < ratio {
        w = h * ratio;
    } else {
        h = w / ratio;
    }
    let (half_lon, half_lat) = (w / k / 2.0, h / 2.0);
    Rect::new((center.x - half_lon, center.y - half_lat), (center.x + half_lon, center.y + half_lat))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_printed() {
        assert_eq!(format_km2(0.0), "0.0");
        assert_eq!(format_km2(999.96), "1,000.0");
        assert_eq!(format_km2(1234567.0), "1,234,567.0");
        assert_eq!(format_km2(-1234.56), "-1,234.6");
        assert_eq!(format_change_km2(0.01), "0.0");
        assert_eq!(format_change_km2(0.06), "+0.1");
    }

    #[test]
    fn weeks_and_views() {
        let view = equirectangular(Rect::new((30.0, 48.0), (31.0, 49.0)), 2.0);
        let k = 48.5_f64.to_radians().cos();
        assert!(((view.width() * k) / view.height() - 2.0).abs() < 1e-9);
        assert!(view.height() >= 1.0 - 1e-12 && view.width() >= 1.0);
    }

    #[test]
    fn the_last_complete_period() {
        assert!(last_complete(&[], Utc::now()).is_none());
    }
}
