//! Areas over a timeline: every snapshot, every status, every region, in time order, rows
//! leaving as they are made.

use crate::engine::analysis::{Analysis, Engine};
use crate::engine::index::{CellState, RegionIndex};
use crate::engine::measure::measure_plain;
use crate::engine::rows::{AreaRow, Columns, Label, SnapshotAreas};
use crate::engine::runs::{runs, shares, End};
use crate::engine::source::{SnapshotInput, Source, Timed};
use crate::error::Result;
use crate::input::read::SnapshotReader;
use crate::input::snapshot::ScanReport;
use crate::input::snapshot::Snapshot;
use crate::PerStatus;
use chrono::{DateTime, Utc};
use rayon::prelude::*;
use std::sync::{Arc, Mutex};

/// One snapshot measured: its figures, before they are rows.
#[derive(Debug)]
pub(crate) struct Measured {
    pub time: DateTime<Utc>,
    pub name: Arc<str>,
    pub totals: PerStatus<f64>,
    pub per_region: RegionFigures,
    pub report: ScanReport,
}

impl Measured {
    fn new(snapshot: &Snapshot, totals: PerStatus<f64>, per_region: RegionFigures) -> Measured {
        Measured { time: snapshot.time, name: Arc::clone(&snapshot.name), totals, per_region, report: snapshot.report.clone() }
    }
}

/// A snapshot's figures per region: every region's, or those of the regions that may have
/// changed since the snapshot before it in time (the others have that snapshot's, bit for
/// bit). Most regions keep their figures from one day to the next: a chunk of snapshots
/// holds what moved, not thousands of unchanged figures per snapshot.
#[derive(Debug)]
pub(crate) enum RegionFigures {
    All(Vec<PerStatus<f64>>),
    /// Regions in order, each with its figures.
    Since(Vec<(usize, PerStatus<f64>)>),
}

impl RegionFigures {
    /// Brings `figures`, every region's as of the snapshot before (empty before the first),
    /// to this snapshot, calling `moved` with each region whose figures are not the same to
    /// the bit as before, in order (every region, for the first).
    pub(crate) fn apply(self, figures: &mut Vec<PerStatus<f64>>, mut moved: impl FnMut(usize, &PerStatus<f64>)) {
        let mut update = |figures: &mut Vec<PerStatus<f64>>, region: usize, areas: PerStatus<f64>| {
            if let Some(slot) = figures.get_mut(region) {
                if !same_bits(slot, &areas) {
                    moved(region, &areas);
                    *slot = areas;
                }
            }
        };
        match self {
            RegionFigures::All(all) if all.len() != figures.len() => {
                all.iter().enumerate().for_each(|(region, areas)| moved(region, areas));
                *figures = all;
            }
            RegionFigures::All(all) => all.into_iter().enumerate().for_each(|(region, areas)| update(figures, region, areas)),
            RegionFigures::Since(changed) => changed.into_iter().for_each(|(region, areas)| update(figures, region, areas)),
        }
    }
}

/// Memory the figures of snapshots may take, at most, before they are handed on as rows: a
/// chunk is as long as this allows were every region to change in every snapshot, half as
/// long when two are held. Figures are kept as what changed ([`RegionFigures`]), so a chunk
/// of real days takes a small part of it. Longer chunks cost less: each chunk's backward runs
/// start from nothing (7,682 regions over the 635 daily states: two chunks, one with changed
/// rows only; 30,000 towns: chunks of about 180 snapshots with changed rows only).
const CHUNK_BYTES: usize = 128 << 20;

/// Snapshots per chunk, for `regions` regions; half as many when two chunks are held at a
/// time (one measured while the one before it is handed on as rows). States held in memory
/// are also bounded by their own size: at most 64 at a time.
pub(crate) fn chunk_size(regions: usize, in_memory: bool, overlapped: bool) -> usize {
    let per_snapshot = (regions + 1) * std::mem::size_of::<PerStatus<f64>>() + 4096;
    let chunks_held = if overlapped { 2 } else { 1 };
    let size = (CHUNK_BYTES / chunks_held / per_snapshot).clamp(16, 4096);
    if in_memory { size.min(64) } else { size }
}

/// The measuring of one timeline: the region index (built once) and the cells carried from
/// one chunk of snapshots to the next.
pub(crate) struct AreaRun<'a> {
    analysis: &'a Analysis,
    index: Option<Arc<RegionIndex>>,
    carry: Option<CellState>,
}

impl<'a> AreaRun<'a> {
    pub(crate) fn new(analysis: &'a Analysis) -> AreaRun<'a> {
        AreaRun { analysis, index: None, carry: None }
    }

    /// The figures of a chunk of consecutive snapshots, in order.
    pub(crate) fn measure(&mut self, items: &[Timed]) -> Vec<Result<Measured>> {
        match self.analysis.engine {
            Engine::Plain => items
                .par_iter()
                .map(|item| {
                    let snapshot = item.load_alone(&self.analysis.read)?;
                    let layers = self.analysis.layers(&snapshot);
                    let regions: Vec<_> = self.analysis.regions().collect();
                    let (totals, per_region) = match &self.analysis.equal_area {
                        None => (layers.areas_km2(), measure_plain(&layers, &regions)),
                        Some(projection) => {
                            let area = |shape: &geo::MultiPolygon<f64>| crate::engine::analysis::equal_area_km2(&layers.edges, shape, projection);
                            let of = |clip: &dyn Fn(&geo::MultiPolygon<f64>) -> geo::MultiPolygon<f64>| -> Result<PerStatus<f64>> {
                                let mut areas = PerStatus::default();
                                for status in crate::Status::ALL {
                                    areas[status] = area(&clip(layers.get(status)))?;
                                }
                                Ok(areas)
                            };
                            let per_region = regions.iter().map(|r| of(&|layer| crate::engine::measure::clip_layer(layer, r))).collect::<Result<_>>()?;
                            (of(&|layer| layer.clone())?, per_region)
                        }
                    };
                    Ok(Measured::new(&snapshot, totals, RegionFigures::All(per_region)))
                })
                .collect(),
            Engine::Indexed => self.measure_indexed(items),
        }
    }

    /// The indexed engine over a chunk: one share of consecutive snapshots per two cores,
    /// each measured by two runs, one forwards from its first snapshot and one backwards
    /// from its last, until they meet (however the work is spread over the timeline, neither
    /// waits for the other at the end); each run carries its cells from one snapshot to the
    /// next, and reads the next snapshot while it measures the current. The first run starts
    /// from the cells of the chunk before; the cells at the chunk's last snapshot are kept
    /// for the next.
    fn measure_indexed(&mut self, items: &[Timed]) -> Vec<Result<Measured>> {
        let shares = shares(items.len());
        let runs = runs(&shares);
        let read = &self.analysis.read;
        // (each run's reader, and the first snapshot it took, read while the regions are cut
        // into cells the first time)
        type Started = (SnapshotReader, Option<(usize, Result<Arc<Snapshot>>)>);
        let known = self.index.clone();
        let (index, firsts): (Arc<RegionIndex>, Vec<Started>) = rayon::join(
            || known.unwrap_or_else(|| Arc::new(self.analysis.region_index())),
            || {
                runs.par_iter()
                    .map(|(_, share, end)| {
                        let mut reader = SnapshotReader::new(read);
                        let first = share.take(*end).map(|i| (i, items[i].load(&mut reader)));
                        (reader, first)
                    })
                    .collect()
            },
        );
        self.index = Some(Arc::clone(&index));
        let last = items.len().saturating_sub(1);
        let carried = Mutex::new(self.carry.take());
        type Outcome = (Vec<(usize, Result<Measured>)>, Option<(usize, CellState)>);
        let outcomes: Vec<Outcome> = runs
            .into_par_iter()
            .zip(firsts)
            .map(|((s, share, end), (mut reader, first))| {
                let start = match (s, end) {
                    (0, End::Front) => carried.lock().ok().and_then(|mut c| c.take()),
                    _ => None,
                };
                let mut cells = start.unwrap_or_else(|| CellState::new(Arc::clone(&index)));
                let mut measured: Vec<(usize, Result<Measured>)> = Vec::new();
                let mut at_last = None;
                let mut next = first;
                while let Some((i, current)) = next.take() {
                    // Figures are kept as what changed since the snapshot before in time:
                    // going forwards, this snapshot's figures of the regions summed again;
                    // going backwards, the snapshot measured before this one gets the
                    // figures those regions had in it. The first of a run (and one after a
                    // snapshot that could not be read) keeps every region's.
                    let after_one = matches!(measured.last(), Some((_, Ok(_))));
                    // A core whose run is done can take over the reading of another's.
                    let (following, result) = rayon::join(
                        || share.take(end).map(|j| (j, items[j].load(&mut reader))),
                        || {
                            current.map(|snapshot| {
                                let (totals, _) = cells.advance(&snapshot);
                                let figures = match (end, after_one, cells.changed()) {
                                    (End::Front, true, Some(changed)) => RegionFigures::Since(
                                        changed.iter().map(|(region, _)| (*region, cells.per_region()[*region].clone())).collect(),
                                    ),
                                    _ => RegionFigures::All(cells.per_region().to_vec()),
                                };
                                Measured::new(&snapshot, totals, figures)
                            })
                        },
                    );
                    if let (End::Back, true, Ok(_), Some(changed)) = (end, after_one, &result, cells.changed()) {
                        if let Some((_, Ok(later))) = measured.last_mut() {
                            later.per_region = RegionFigures::Since(changed.to_vec());
                        }
                    }
                    if i == last && result.is_ok() {
                        at_last = Some((i, cells.clone()));
                    }
                    measured.push((i, result));
                    next = following;
                }
                (measured, at_last)
            })
            .collect();
        let mut measured = Vec::with_capacity(items.len());
        for (part, at_last) in outcomes {
            measured.extend(part);
            if let Some((_, cells)) = at_last {
                self.carry = Some(cells);
            }
        }
        measured.sort_unstable_by_key(|(i, _)| *i);
        measured.into_iter().map(|(_, m)| m).collect()
    }
}

/// Turns measured snapshots into rows, in time order: every row, or only those whose
/// figures changed since the region's previous row.
pub(crate) struct AreaRows {
    labels: Vec<Label>,
    columns: Columns,
    changed_only: bool,
    /// The total of the snapshot handed out last (`None` before the first).
    totals: Option<PerStatus<f64>>,
    /// Every region's figures in the snapshot handed out last: with changed rows only,
    /// those of each region's latest row.
    figures: Vec<PerStatus<f64>>,
}

impl AreaRows {
    pub(crate) fn new(analysis: &Analysis) -> Result<AreaRows> {
        Ok(AreaRows {
            labels: analysis.measured_labels()?,
            columns: analysis.columns(),
            changed_only: analysis.changed_only,
            totals: None,
            figures: Vec::new(),
        })
    }

    pub(crate) fn rows(&mut self, measured: Measured) -> SnapshotAreas {
        let Measured { time, name, totals, per_region, report } = measured;
        let (labels, columns) = (&self.labels, self.columns);
        let row = |label: usize, areas: &PerStatus<f64>| AreaRow::new(time, &name, &labels[label], columns, areas);
        // (with changed rows only, the first snapshot still gives every row)
        let skip_unchanged = self.changed_only && self.totals.is_some();
        let mut rows = Vec::with_capacity(if skip_unchanged { 16 } else { labels.len() });
        if !skip_unchanged || !self.totals.as_ref().is_some_and(|before| same_bits(before, &totals)) {
            rows.push(row(0, &totals));
        }
        self.totals = Some(totals);
        per_region.apply(&mut self.figures, |region, areas| {
            if skip_unchanged {
                rows.push(row(1 + region, areas));
            }
        });
        if !skip_unchanged {
            rows.extend(self.figures.iter().enumerate().map(|(region, areas)| row(1 + region, areas)));
        }
        SnapshotAreas { time, snapshot: name, rows, report }
    }
}

/// Whether two figures are the same to the bit (a change of a square millimetre is a change).
fn same_bits(a: &PerStatus<f64>, b: &PerStatus<f64>) -> bool {
    a.occupied.to_bits() == b.occupied.to_bits() && a.contested.to_bits() == b.contested.to_bits() && a.liberated.to_bits() == b.liberated.to_bits()
}

impl Analysis {
    /// The areas of every snapshot, per status and region, handed to `each` in time order
    /// as they are made: memory holds the figures of a chunk of snapshots, or of two (the one
    /// `each` is given while the next is measured), whatever the length of the timeline.
    /// `each` is called on the calling thread.
    ///
    /// Inputs are snapshot files or states in memory (see [`SnapshotInput`]). The first
    /// error stops the run, and is returned.
    ///
    /// ```
    /// use frontline::{Analysis, snapshot_files, read_area_of_interest};
    /// let analysis = Analysis::new().with_clip(read_area_of_interest("examples/data/aoi.geojson".as_ref())?);
    /// let files = snapshot_files(&["examples/data/snapshots".into()])?;
    /// let mut occupied = Vec::new();
    /// analysis.areas_each(&files, |snapshot| {
    ///     occupied.push(snapshot.rows[0].occupied_km2);
    ///     Ok(())
    /// })?;
    /// // The front moves 0.05° west a week through the 1° cell of the sample.
    /// assert_eq!(occupied.len(), 3);
    /// assert!(occupied.windows(2).all(|w| w[1] > w[0]));
    /// # Ok::<(), frontline::Error>(())
    /// ```
    pub fn areas_each<I>(&self, inputs: I, mut each: impl FnMut(SnapshotAreas) -> Result<()>) -> Result<()>
    where
        I: IntoIterator,
        I::Item: SnapshotInput,
    {
        self.check()?;
        let source = Source::new(inputs, &self.read)?;
        let mut run = AreaRun::new(self);
        let mut rows = AreaRows::new(self)?;
        // Every row of thousands of regions takes about as long to write as a third of its
        // measuring: while a chunk is measured on the pool, the rows of the chunk before are
        // handed out here (formatted and written, in the CLI). With changed rows only, there
        // is little to write, and longer chunks save more (each chunk's runs start once from
        // nothing).
        let overlapped = !self.changed_only;
        let size = chunk_size(self.region_count(), matches!(source, Source::States(_)), overlapped).max(1);
        let mut hand_out = |measured: Vec<Result<Measured>>| -> Result<()> {
            for measured in measured {
                each(rows.rows(measured?))?;
            }
            Ok(())
        };
        let mut pending: Option<Vec<Result<Measured>>> = None;
        let mut next = |items: &[Timed]| -> Result<()> {
            if !overlapped {
                return hand_out(run.measure(items));
            }
            let (measured, handed) = std::thread::scope(|scope| {
                let measuring = scope.spawn(|| run.measure(items));
                let handed = pending.take().map_or(Ok(()), &mut hand_out);
                (measuring.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), handed)
            });
            handed?;
            pending = Some(measured);
            Ok(())
        };
        match source {
            Source::Files(files) => {
                for items in files.chunks(size) {
                    next(items)?;
                }
            }
            Source::States(mut states) => loop {
                let items = match states.next_chunk(size) {
                    Ok(items) => items,
                    // (the states before the one in error are handed out first, as they
                    // would have been without the overlap)
                    Err(error) => {
                        return pending.map_or(Ok(()), hand_out).and(Err(error));
                    }
                };
                if items.is_empty() {
                    break;
                }
                next(&items)?;
            },
        }
        pending.map_or(Ok(()), hand_out)
    }

    /// The areas of every snapshot, in time order: [`Analysis::areas_each`], collected.
    ///
    /// ```
    /// use frontline::{Analysis, snapshot_files, read_area_of_interest, read_regions, RegionOptions};
    /// let analysis = Analysis::new()
    ///     .with_clip(read_area_of_interest("examples/data/aoi.geojson".as_ref())?)
    ///     .with_regions(read_regions(&["examples/data/towns.geojson".into()], &RegionOptions::default())?);
    /// let files = snapshot_files(&["examples/data/snapshots".into()])?;
    /// for snapshot in analysis.areas(&files)? {
    ///     for row in &snapshot.rows {
    ///         println!("{} {}: {:.1} km² occupied", row.time, row.region, row.occupied_km2);
    ///     }
    /// }
    /// # Ok::<(), frontline::Error>(())
    /// ```
    pub fn areas<I>(&self, inputs: I) -> Result<Vec<SnapshotAreas>>
    where
        I: IntoIterator,
        I::Item: SnapshotInput,
    {
        let mut all = Vec::new();
        self.areas_each(inputs, |snapshot| {
            all.push(snapshot);
            Ok(())
        })?;
        Ok(all)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::source::{timed_files, Item};
    use crate::input::read::{snapshot_files, ReadOptions};
    use crate::input::region::{read_area_of_interest, read_regions, Region, RegionOptions};
    use crate::test_data::{moving_front, square};

    fn sample_dir() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data")
    }

    /// A snapshot's figures, the total then each region's, as bits.
    fn figure_bits<'a>(totals: &'a PerStatus<f64>, per_region: &'a [PerStatus<f64>]) -> Vec<u64> {
        std::iter::once(totals).chain(per_region).flat_map(|a| [a.occupied, a.contested, a.liberated]).map(f64::to_bits).collect()
    }

    /// The figures of every row handed out, snapshot by snapshot, as bits.
    fn row_bits(snapshots: &[SnapshotAreas]) -> Vec<Vec<u64>> {
        snapshots.iter().map(|s| s.rows.iter().flat_map(|r| [r.occupied_km2, r.contested_km2, r.liberated_km2]).map(f64::to_bits).collect()).collect()
    }

    /// The figures of every snapshot, measured in chunks of `size` (chunks carry their cells
    /// on), as bits.
    fn bits_in_chunks(analysis: &Analysis, items: &[Timed], size: usize) -> Vec<Vec<u64>> {
        let mut run = AreaRun::new(analysis);
        let mut out = Vec::new();
        let mut figures = Vec::new();
        for chunk in items.chunks(size) {
            for m in run.measure(chunk) {
                let m = m.unwrap();
                m.per_region.apply(&mut figures, |_, _| {});
                out.push(figure_bits(&m.totals, &figures));
            }
        }
        out
    }

    /// However a timeline is cut into chunks (each chunk's runs start from scratch, but for
    /// the first, which carries on from the chunk before), the figures are the same to the
    /// last bit; and states in memory measure as their files.
    #[test]
    fn chunks_and_states_in_memory_change_no_figure() {
        let dir = sample_dir();
        let analysis = Analysis::new()
            .with_clip(read_area_of_interest(&dir.join("aoi.geojson")).unwrap())
            .with_regions(read_regions(&[dir.join("towns.geojson")], &RegionOptions::default()).unwrap());
        let files = timed_files(snapshot_files(&[dir.join("snapshots")]).unwrap(), &ReadOptions::default()).unwrap();
        let whole = bits_in_chunks(&analysis, &files, files.len());
        for size in [1, 2] {
            assert_eq!(bits_in_chunks(&analysis, &files, size), whole, "chunks of {size}");
        }
        let states: Vec<Timed> = files
            .iter()
            .map(|t| Timed { time: t.time, item: Item::State(t.load_alone(&ReadOptions::default()).unwrap()) })
            .collect();
        assert_eq!(bits_in_chunks(&analysis, &states, 2), whole);
        let plain = analysis.clone().with_engine(Engine::Plain);
        assert_eq!(bits_in_chunks(&plain, &files, 1), bits_in_chunks(&plain, &files, 3));
    }

    /// Past 64 states in memory, a timeline is measured in chunks, each while the rows of
    /// the chunk before are handed out. Every row comes, in time order, with the figures of
    /// the timeline measured whole; an error of the receiver stops the run at once, and a
    /// state out of order after the rows before its chunk.
    #[test]
    fn overlapped_chunks_hand_out_every_row_in_order_and_stop_at_an_error() {
        // The front crosses the eastern square (37.8-37.9°E) from day 50 to day 100; the
        // western one (37.1-37.2°E) it never reaches.
        let analysis = Analysis::new().with_regions(vec![Region::new("east", vec![square(37.8)]), Region::new("west", vec![square(37.1)])]);
        assert_eq!(chunk_size(2, true, true), 64);
        let full = analysis.areas(moving_front(150)).unwrap();
        assert_eq!(full.len(), 150);
        assert!(full.windows(2).all(|w| w[0].time < w[1].time));
        let east = |day: usize| -> f64 { full[day].rows[1].occupied_km2 / full[day].rows[1].region_km2.unwrap() };
        assert_eq!(east(45), 0.0);
        assert!((east(105) - 1.0).abs() < 1e-12 && (east(149) - 1.0).abs() < 1e-12, "{} {}", east(105), east(149));
        // Day 75: the front at 37.85°E, half the square.
        assert!((east(75) - 0.5).abs() < 1e-3, "{}", east(75));
        assert!(full.iter().all(|s| s.rows[2].occupied_km2 == 0.0));
        // The same figures, bit for bit, as the timeline measured in one chunk, nothing
        // overlapped.
        let items: Vec<Timed> = moving_front(150).map(|s| Timed { time: s.time, item: Item::State(Arc::new(s)) }).collect();
        let whole = bits_in_chunks(&analysis, &items, items.len());
        assert_eq!(row_bits(&full), whole);
        // The receiver fails on its 70th snapshot (in the second chunk).
        let mut received = 0;
        let stopped = analysis.areas_each(moving_front(150), |_| {
            received += 1;
            if received == 70 { Err(crate::Error::Usage("enough".into())) } else { Ok(()) }
        });
        assert!(matches!(stopped, Err(crate::Error::Usage(m)) if m == "enough"));
        assert_eq!(received, 70);
        // The 100th state comes before the 99th: the first chunk's 64 snapshots, then the error.
        let mut states: Vec<Snapshot> = moving_front(150).collect();
        states.swap(98, 99);
        let mut received = 0;
        let refused = analysis.areas_each(states, |_| {
            received += 1;
            Ok(())
        });
        assert!(matches!(&refused, Err(crate::Error::Usage(m)) if m.contains("time order")), "{refused:?}");
        assert_eq!(received, 64);
    }

    /// Figures kept as what changed since the snapshot before (runs forwards and backwards,
    /// chunks carrying on from the one before) rebuild, bit for bit, every region's figures
    /// of one state advanced a snapshot at a time; and most snapshots keep only what changed.
    #[test]
    fn figures_kept_as_changes_rebuild_every_figure_of_a_state_advanced_day_by_day() {
        // The front moves west 0.002° a day from 38°E: it crosses the eastern square from day
        // 50 to 100 and the one straddling two cells (37.72-37.82°E) from day 90 to 140; the
        // western one it never reaches.
        let analysis = Analysis::new().with_regions(vec![
            Region::new("east", vec![square(37.8)]),
            Region::new("west", vec![square(37.1)]),
            Region::new("straddling", vec![square(37.72)]),
        ]);
        let mut cells = CellState::new(Arc::new(analysis.region_index()));
        let day_by_day: Vec<Vec<u64>> = moving_front(150)
            .map(|state| {
                let (totals, per_region) = cells.advance(&state);
                figure_bits(&totals, per_region)
            })
            .collect();
        let straddling = |day: usize| f64::from_bits(day_by_day[day][9]);
        assert!(straddling(80) == 0.0 && straddling(100) > 0.0 && straddling(145) > straddling(120));
        let items: Vec<Timed> = moving_front(150).map(|s| Timed { time: s.time, item: Item::State(Arc::new(s)) }).collect();
        for size in [150, 64, 17, 1] {
            assert_eq!(bits_in_chunks(&analysis, &items, size), day_by_day, "chunks of {size}");
        }
        let sparse = AreaRun::new(&analysis)
            .measure(&items)
            .into_iter()
            .filter(|m| matches!(m, Ok(Measured { per_region: RegionFigures::Since(changed), .. }) if changed.len() < 3))
            .count();
        assert!(sparse > 100, "{sparse} of 150 snapshots keep fewer figures than regions");
        assert_eq!(row_bits(&analysis.areas(moving_front(150)).unwrap()), day_by_day);
    }

    /// Rows only for what changed give, carried forward, every row of the full output.
    #[test]
    fn changed_only_rows_carried_forward_are_the_full_rows() {
        let dir = sample_dir();
        let analysis = Analysis::new()
            .with_clip(read_area_of_interest(&dir.join("aoi.geojson")).unwrap())
            .with_regions(read_regions(&[dir.join("towns.geojson")], &RegionOptions::default()).unwrap());
        let files = snapshot_files(&[dir.join("snapshots")]).unwrap();
        let full = analysis.areas(&files).unwrap();
        let changed = analysis.clone().changed_only(true).areas(&files).unwrap();
        let mut latest: std::collections::HashMap<Arc<str>, AreaRow> = std::collections::HashMap::new();
        let mut skipped = 0;
        for (all, some) in full.iter().zip(&changed) {
            skipped += all.rows.len() - some.rows.len();
            for row in &some.rows {
                latest.insert(Arc::clone(&row.region), row.clone());
            }
            for row in &all.rows {
                let carried = &latest[&row.region];
                assert_eq!(carried.status_km2(crate::Status::Occupied).to_bits(), row.occupied_km2.to_bits());
                assert_eq!(carried.contested_km2.to_bits(), row.contested_km2.to_bits());
                assert_eq!(carried.liberated_km2.to_bits(), row.liberated_km2.to_bits());
            }
        }
        // (Easttown is wholly occupied throughout: its row comes once)
        assert!(skipped >= 2, "{skipped} rows left out");
    }

    /// Where the two engines differ on areas, the plain engine is the one off: its operations
    /// snap to a fixed-point grid fitted to the whole country (steps of 1.7 mm), the indexed
    /// engine's to one per cell (0.03 mm). Run on each region's own box instead (its inputs cut
    /// to the region's bounding box first, steps of 0.1 to 0.4 mm), the same plain pipeline
    /// comes three times closer to the indexed figures: measured 2.5e-9 of the region's area
    /// at worst over the 2024 snapshots (Sevastopol, 2 m²), against 8.7e-9 in the country's
    /// frame.
    #[test]
    fn the_plain_pipeline_in_each_region_frame_agrees_with_the_indexed_engine() {
        use crate::engine::layers::Layers;
        use crate::geometry::grid::clip_to_rect;
        let Some(data) = crate::test_data::data_dir() else { return };
        let files: Vec<_> = snapshot_files(&[data.join("deepstate/snapshots")])
            .unwrap()
            .into_iter()
            .filter(|f| {
                let t: i64 = f.file_name().unwrap().to_string_lossy().split('.').next().unwrap().parse().unwrap();
                (1_704_067_200..1_735_689_600).contains(&t)
            })
            .collect();
        assert_eq!(files.len(), 62);
        let aoi = read_area_of_interest(&data.join("boundaries/ukraine.geojson")).unwrap();
        let regions = read_regions(&[data.join("boundaries/ukraine-oblasts")], &RegionOptions::default().name_fields(["name:en"])).unwrap();
        let analysis = Analysis::new().with_clip(aoi.clone()).with_regions(regions.clone());
        let indexed = analysis.areas(&files).unwrap();
        let mut worst: f64 = 0.0;
        for (file, areas) in files.iter().zip(&indexed) {
            let snapshot = crate::input::read::read_snapshot(file, &analysis.read).unwrap();
            for (region, row) in regions.iter().zip(&areas.rows[1..]) {
                // A hundredth of a degree around the region: the cuts fall outside it.
                let b = region.bbox.unwrap();
                let margin = geo::Coord { x: 0.01, y: 0.01 };
                let frame = geo::Rect::new(b.min() - margin, b.max() + margin);
                let polygons = PerStatus::from_fn(|s| clip_to_rect(&snapshot.polygons[s], frame));
                let clip = geo::MultiPolygon::new(clip_to_rect(&aoi.geometry.0, frame));
                let plain = measure_plain(&Layers::build(&polygons, Some(&clip)), &[region]);
                for status in crate::Status::ALL {
                    let d = (plain[0][status] - row.status_km2(status)).abs() / region.area_km2;
                    worst = worst.max(d);
                    assert!(d < 5e-9, "{} {} {status}: indexed {} plain in the region's frame {}", areas.snapshot, region.name, row.status_km2(status), plain[0][status]);
                }
            }
        }
        eprintln!("areas: indexed vs plain in each region's frame, worst {worst:.2e} of the region's area");
    }
}
