//! The change pipeline: every period of a resampled timeline, per region, in time order.

use crate::engine::analysis::{Analysis, Engine};
use crate::engine::diff::{Change, ChangeAreas};
use crate::engine::index::{change_between, CellState, RegionIndex};
use crate::engine::layers::Layers;
use crate::engine::periods::{Found, Period, PeriodCursor, Resampling, Skipped};
use crate::engine::rows::{ChangeRow, Columns, Label, PeriodChange};
use crate::engine::runs::{runs, shares, BothEnds, End};
use crate::engine::source::{SnapshotInput, Source, Timed};
use crate::error::{Error, Result};
use crate::input::read::SnapshotReader;
use crate::input::snapshot::ScanReport;
use crate::input::snapshot::Snapshot;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex};

/// The rows of a resampled timeline and the periods left out.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    /// One row per period and region, `total` first within each period.
    pub rows: Vec<ChangeRow>,
    /// The periods left out, with the reason.
    pub skipped: Vec<Skipped>,
}

/// What a run of [`Analysis::changes_each`] found besides the changes themselves.
#[derive(Debug, Clone, Default)]
pub struct ChangesSummary {
    /// The periods left out, with the reason, in time order.
    pub skipped: Vec<Skipped>,
    /// What reading the snapshots the periods compared found, in time order (states held
    /// in memory: every state given).
    pub read: Vec<ScanReport>,
}

/// The cells a run has, and the snapshot (its index in the timeline) they are of.
type Cells = (CellState, Option<usize>);

/// What one run of the indexed engine gives back: the changes and areas of the periods it
/// took (by their index in the chunk), its cells and the snapshot they are of, the cells it
/// started from if it started at the chunk's last snapshot (for the next chunk to carry on
/// from), and the reports of the snapshots it read.
struct RunOutcome {
    measured: Vec<(usize, (Change, Vec<ChangeAreas>))>,
    end: Cells,
    start: Option<Cells>,
    reports: Vec<(usize, ScanReport)>,
}

/// What a run does once it is at a snapshot: keep its cells as the state one period
/// compares, or compare them with the state kept.
enum Step {
    Keep,
    Compare(usize),
}

/// The comparing of one timeline's periods: snapshots come in, in time order, periods are
/// found as they become known, and compared a chunk at a time.
pub(crate) struct ChangeRun<'a> {
    analysis: &'a Analysis,
    cursor: PeriodCursor,
    /// The snapshots a period found or still to be found may compare, by their index in the
    /// timeline.
    items: BTreeMap<usize, Timed>,
    pending: Vec<Period>,
    skipped: Vec<Skipped>,
    /// Periods compared a chunk at a time.
    chunk: usize,
    /// The indexed engine: the region index, and the cells of the latest snapshot a chunk
    /// reached, for the next chunk to carry on from.
    index: Option<Arc<RegionIndex>>,
    cells: Option<Cells>,
    /// The plain engine: layers a later period may still compare.
    layers: HashMap<usize, Layers>,
    labels: Vec<Label>,
    columns: Columns,
    cumulative: Vec<f64>,
    /// Whether a period was handed on already.
    compared_any: bool,
    reports: BTreeMap<usize, ScanReport>,
}

impl<'a> ChangeRun<'a> {
    pub(crate) fn new(analysis: &'a Analysis, resampling: &Resampling, in_memory: bool) -> ChangeRun<'a> {
        let indexed = analysis.engine == Engine::Indexed;
        // Long chunks keep the runs of the indexed engine long (a run's first state is
        // computed from scratch); short enough to bound the memory the chunk's changes (and
        // the states in memory it compares) take.
        let chunk = match (indexed, in_memory) {
            (true, false) => 256,
            (true, true) => 32,
            (false, _) => (2 * rayon::current_num_threads()).max(4),
        };
        let index = indexed.then(|| Arc::new(analysis.region_index()));
        let labels = analysis.labels();
        ChangeRun {
            analysis,
            cursor: PeriodCursor::new(resampling.clone()),
            items: BTreeMap::new(),
            pending: Vec::new(),
            skipped: Vec::new(),
            chunk,
            cells: index.as_ref().map(|index| (CellState::layers_only(Arc::clone(index)), None)),
            index,
            layers: HashMap::new(),
            cumulative: vec![0.0; labels.len()],
            labels,
            columns: analysis.columns(),
            compared_any: false,
            reports: BTreeMap::new(),
        }
    }

    /// Takes the next snapshot of the timeline; compares a chunk of periods once one is known.
    pub(crate) fn push(&mut self, timed: Timed, each: &mut dyn FnMut(PeriodChange) -> Result<()>) -> Result<()> {
        let i = self.cursor.times().len();
        let found = self.cursor.push(timed.time);
        self.items.insert(i, timed);
        self.found(found);
        if self.pending.len() >= self.chunk {
            self.compare_pending(each)?;
        }
        // Snapshots no period can compare any more are let go.
        let keep = self.pending.first().map_or(usize::MAX, |p| p.from).min(self.cursor.earliest_needed());
        self.items.retain(|i, _| *i >= keep);
        Ok(())
    }

    /// The timeline is over: the periods left are compared.
    pub(crate) fn finish(mut self, each: &mut dyn FnMut(PeriodChange) -> Result<()>) -> Result<ChangesSummary> {
        let found = self.cursor.finish();
        self.found(found);
        while !self.pending.is_empty() {
            self.compare_pending(each)?;
        }
        Ok(ChangesSummary { skipped: self.skipped, read: self.reports.into_values().collect() })
    }

    fn found(&mut self, found: Vec<Found>) {
        for found in found {
            match found {
                Found::Period(p) => self.pending.push(p),
                Found::Skipped(s) => self.skipped.push(s),
            }
        }
    }

    fn item(&self, i: usize) -> Result<&Timed> {
        self.items.get(&i).ok_or_else(|| Error::Usage(format!("snapshot {i} of the timeline is no longer held: a bug in frontline")))
    }

    /// Compares a chunk of the pending periods and hands them on, in time order.
    fn compare_pending(&mut self, each: &mut dyn FnMut(PeriodChange) -> Result<()>) -> Result<()> {
        let n = self.pending.len().min(self.chunk);
        let chunk: Vec<Period> = self.pending.drain(..n).collect();
        let measured = match self.index.clone() {
            Some(index) => self.compare_indexed(&index, &chunk)?,
            None => self.compare_plain(&chunk)?,
        };
        for (period, (change, areas)) in chunk.iter().zip(measured) {
            let (from, to) = (self.item(period.from)?, self.item(period.to)?);
            let mut period = PeriodChange {
                period: period.clone(),
                from_time: from.time,
                from_snapshot: from.name().into(),
                to_time: to.time,
                to_snapshot: to.name().into(),
                change,
                rows: Vec::with_capacity(self.labels.len()),
            };
            let every_row = !self.analysis.changed_only || !self.compared_any;
            for ((label, a), sum) in self.labels.iter().zip(&areas).zip(self.cumulative.iter_mut()) {
                *sum += a.net(crate::Status::Occupied);
                // (with `changed_only`, a region that neither gained nor lost anything has
                // no row: its change is zero)
                if every_row || *a != ChangeAreas::default() {
                    period.rows.push(ChangeRow::new(&period, label, self.columns, a, *sum));
                }
            }
            self.compared_any = true;
            each(period)?;
        }
        // Periods come in time order: later ones never compare earlier snapshots.
        if let Some(last) = chunk.last() {
            self.layers.retain(|i, _| *i >= last.to);
        }
        Ok(())
    }

    /// Whole layers: the snapshots the chunk compares are read and built on all cores.
    fn compare_plain(&mut self, chunk: &[Period]) -> Result<Vec<(Change, Vec<ChangeAreas>)>> {
        let mut needed: Vec<usize> = chunk.iter().flat_map(|p| [p.from, p.to]).filter(|i| !self.layers.contains_key(i)).collect();
        needed.sort_unstable();
        needed.dedup();
        let items: Vec<(usize, &Timed)> = needed.iter().map(|i| Ok((*i, self.item(*i)?))).collect::<Result<_>>()?;
        let read = &self.analysis.read;
        let built: Vec<Result<(usize, ScanReport, Layers)>> = items
            .par_iter()
            .map(|(i, item)| {
                let snapshot = item.load_alone(read)?;
                Ok((*i, snapshot.report.clone(), self.analysis.layers(&snapshot)))
            })
            .collect();
        for result in built {
            let (i, report, layers) = result?;
            self.reports.insert(i, report);
            self.layers.insert(i, layers);
        }
        let regions: Vec<_> = self.analysis.regions().collect();
        let layers = &self.layers;
        Ok(chunk
            .par_iter()
            .map(|period| {
                let change = match (layers.get(&period.from), layers.get(&period.to)) {
                    (Some(a), Some(b)) if period.from != period.to => Change::between(a, b),
                    _ => Change::none(),
                };
                let mut areas = vec![change.areas()];
                areas.extend(regions.iter().map(|r| change.within(r).areas()));
                (change, areas)
            })
            .collect())
    }

    /// Cell by cell, in time order: cells whose pieces did not change cost nothing. The
    /// chunk is split into one share per two cores, taken by one run forwards and one
    /// backwards until they meet (so that neither waits for the other at the end), each run
    /// carrying its cells from one period to the next and reading the snapshots it compares
    /// as it goes, the next while it compares the current.
    fn compare_indexed(&mut self, index: &Arc<RegionIndex>, chunk: &[Period]) -> Result<Vec<(Change, Vec<ChangeAreas>)>> {
        let shares = shares(chunk.len());
        let carried = Mutex::new(self.cells.take());
        let this = &*self;
        let outcomes: Vec<Result<RunOutcome>> = runs(&shares)
            .into_par_iter()
            .map(|(s, share, end)| {
                let start = match (s, end) {
                    (0, End::Front) => carried.lock().ok().and_then(|mut c| c.take()),
                    _ => None,
                };
                let start = start.unwrap_or_else(|| (CellState::layers_only(Arc::clone(index)), None));
                this.indexed_run(index, chunk, share, end, start)
            })
            .collect();
        let mut measured = Vec::with_capacity(chunk.len());
        // The next chunk carries on from the latest cells a run had: the chunk's last
        // snapshot's, as a run from the back started or a run from the front ended.
        let mut latest: Option<Cells> = None;
        for outcome in outcomes {
            let RunOutcome { measured: part, end, start, reports: read } = outcome?;
            measured.extend(part);
            for state in [Some(end), start].into_iter().flatten() {
                if latest.as_ref().is_none_or(|(_, at)| state.1 > *at) {
                    latest = Some(state);
                }
            }
            for (i, report) in read {
                self.reports.entry(i).or_insert(report);
            }
        }
        self.cells = Some(latest.unwrap_or_else(|| (CellState::layers_only(Arc::clone(index)), None)));
        measured.sort_unstable_by_key(|(k, _)| *k);
        Ok(measured.into_iter().map(|(_, change)| change).collect())
    }

    /// The changes of the periods of a chunk that a run takes from one end of `share`,
    /// cell by cell, from the cells it starts with (those of a snapshot, if any):
    /// forwards, a period is the state as of its start, then the one as of its end;
    /// backwards, the other way round. Each snapshot a period compares is read while the
    /// run compares the one before, taking over what it repeats of the one read before it.
    fn indexed_run(&self, index: &Arc<RegionIndex>, periods: &[Period], share: &BothEnds, end: End, (mut run, mut at): Cells) -> Result<RunOutcome> {
        let nothing = || (Change::none(), vec![ChangeAreas::default(); self.labels.len()]);
        let mut measured = Vec::new();
        // The steps of the periods taken and not yet compared: the snapshot to advance to
        // (none: the run is there already), and what to do there.
        let mut steps: VecDeque<(Option<usize>, Step)> = VecDeque::new();
        let mut position = at;
        // Takes the next period; false when none is left.
        let mut take = |steps: &mut VecDeque<(Option<usize>, Step)>, measured: &mut Vec<_>| -> bool {
            let Some(k) = share.take(end) else { return false };
            let period = &periods[k];
            if period.from == period.to {
                measured.push((k, nothing()));
                return true;
            }
            let (first, second) = match end {
                End::Front => (period.from, period.to),
                End::Back => (period.to, period.from),
            };
            steps.push_back(((position != Some(first)).then_some(first), Step::Keep));
            steps.push_back((Some(second), Step::Compare(k)));
            position = Some(second);
            true
        };
        let mut reader = SnapshotReader::new(&self.analysis.read);
        let mut reports = Vec::new();
        let mut next: Option<(usize, Result<Arc<Snapshot>>)> = None;
        let mut kept = None;
        let mut start = None;
        loop {
            while steps.is_empty() && take(&mut steps, &mut measured) {}
            let Some((target, step)) = steps.pop_front() else { break };
            if let Some(i) = target {
                // The snapshot after this one is read while the run advances to this one.
                while !steps.iter().any(|(t, _)| t.is_some()) && take(&mut steps, &mut measured) {}
                let following = steps.iter().find_map(|(t, _)| *t);
                let snapshot = match next.take() {
                    Some((j, snapshot)) if j == i => snapshot,
                    _ => self.item(i)?.load(&mut reader),
                }?;
                let (read, ()) = rayon::join(
                    || following.map(|j| (j, self.item(j).and_then(|item| item.load(&mut reader)))),
                    || {
                        run.advance(&snapshot);
                    },
                );
                reports.push((i, snapshot.report.clone()));
                next = read;
                // (a run from the back starts at the chunk's last snapshot, where the next
                // chunk starts)
                if end == End::Back && at.is_none() {
                    start = Some((run.clone(), Some(i)));
                }
                at = Some(i);
            }
            match step {
                Step::Keep => kept = Some(run.cell_map()),
                Step::Compare(k) => {
                    let (now, then) = (run.cell_map(), kept.take().unwrap_or_else(|| run.cell_map()));
                    let (before, after) = match end {
                        End::Front => (&then, &now),
                        End::Back => (&now, &then),
                    };
                    measured.push((k, change_between(index, before, after)));
                }
            }
        }
        Ok(RunOutcome { measured, end: (run, at), start, reports })
    }
}

impl Analysis {
    /// The change over every period of a resampled timeline, handed to `each` in time order
    /// as it is made; returns the periods left out and what reading found.
    ///
    /// Only the snapshots a period compares are read (or kept, for states in memory), a chunk
    /// of periods at a time, on all cores; what a chunk read is let go once no later period
    /// needs it. Inputs are snapshot files or states in memory (see [`SnapshotInput`]).
    pub fn changes_each<I>(&self, inputs: I, resampling: &Resampling, mut each: impl FnMut(PeriodChange) -> Result<()>) -> Result<ChangesSummary>
    where
        I: IntoIterator,
        I::Item: SnapshotInput,
    {
        self.check()?;
        if self.equal_area.is_some() {
            return Err(Error::Usage("--area-method equal-area measures areas, not changes".into()));
        }
        let source = Source::new(inputs, &self.read)?;
        match source {
            Source::Files(files) => {
                let mut run = ChangeRun::new(self, resampling, false);
                for timed in files {
                    run.push(timed, &mut each)?;
                }
                run.finish(&mut each)
            }
            Source::States(mut states) => {
                let mut run = ChangeRun::new(self, resampling, true);
                let mut reports = Vec::new();
                loop {
                    let items = states.next_chunk(64)?;
                    if items.is_empty() {
                        break;
                    }
                    for timed in items {
                        if let crate::engine::source::Item::State(state) = &timed.item {
                            reports.push(state.report.clone());
                        }
                        run.push(timed, &mut each)?;
                    }
                }
                let mut summary = run.finish(&mut each)?;
                summary.read = reports;
                Ok(summary)
            }
        }
    }

    /// The change rows of a resampled timeline, and the periods left out.
    ///
    /// ```
    /// use frontline::{Analysis, Every, Resampling, snapshot_files, read_area_of_interest};
    /// // The sample: three weekly snapshots (Friday 1, 8 and 15 November 2024) of a front
    /// // moving 0.05° west a week through the 1° cell 37-38°E, 48-49°N.
    /// let analysis = Analysis::new().with_clip(read_area_of_interest("examples/data/aoi.geojson".as_ref())?);
    /// let files = snapshot_files(&["examples/data/snapshots".into()])?;
    /// let weekly = analysis.changes(&files, &Resampling::new(Every::Week))?;
    /// // 2024-W44 starts on Monday 28 October, before the first snapshot: skipped.
    /// assert_eq!(weekly.skipped[0].label, "2024-W44");
    /// let w45 = &weekly.rows[0];
    /// assert_eq!((w45.period.as_str(), &*w45.region), ("2024-W45", "total"));
    /// assert_eq!(w45.days, 7.0);
    /// // 0.05° of the cell's 8217.73 km²
    /// assert!((w45.occupied_gained_km2 / 8217.73 - 0.05).abs() < 1e-4);
    /// assert!(w45.occupied_lost_km2 < 1e-6);
    /// # Ok::<(), frontline::Error>(())
    /// ```
    pub fn changes<I>(&self, inputs: I, resampling: &Resampling) -> Result<Changes>
    where
        I: IntoIterator,
        I::Item: SnapshotInput,
    {
        let mut rows = Vec::new();
        let summary = self.changes_each(inputs, resampling, |period| {
            rows.extend(period.rows);
            Ok(())
        })?;
        Ok(Changes { rows, skipped: summary.skipped })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::periods::Every;
    use crate::input::region::Region;
    use crate::test_data::{moving_front, square};

    /// States in memory are compared 32 periods at a time. Every period comes, in time order,
    /// with the change the areas of its two states imply; an error of the receiver stops the
    /// run at once, and a state out of order after the periods compared before it.
    #[test]
    fn chunks_hand_on_every_period_in_order_and_stop_at_an_error() {
        let analysis = Analysis::new().with_regions(vec![Region::new("east", vec![square(37.8)]), Region::new("west", vec![square(37.1)])]);
        let every = Resampling::new(Every::Snapshot);
        let areas = analysis.areas(moving_front(150)).unwrap();
        let mut periods = Vec::new();
        analysis
            .changes_each(moving_front(150), &every, |period| {
                periods.push(period);
                Ok(())
            })
            .unwrap();
        // One period per pair of consecutive states: five chunks (4 × 32 + 21).
        assert_eq!(periods.len(), 149);
        for (k, period) in periods.iter().enumerate() {
            assert_eq!((period.from_time, period.to_time), (areas[k].time, areas[k + 1].time));
            for (row, (before, after)) in period.rows.iter().zip(areas[k].rows.iter().zip(&areas[k + 1].rows)) {
                assert_eq!(row.region, before.region);
                // The front took 0.002° a day: the whole box's gain, and the squares' while it crossed them.
                let net = after.occupied_km2 - before.occupied_km2;
                assert!((row.occupied_net_km2 - net).abs() < 1e-9, "{} {}: {} against {net}", period.to_snapshot, row.region, row.occupied_net_km2);
            }
        }
        assert!(periods[75].rows[1].occupied_net_km2 > 0.0 && periods[140].rows[1].occupied_net_km2 == 0.0);
        // The receiver fails on its 40th period (in the second chunk).
        let mut received = 0;
        let stopped = analysis.changes_each(moving_front(150), &every, |_| {
            received += 1;
            if received == 40 { Err(Error::Usage("enough".into())) } else { Ok(()) }
        });
        assert!(matches!(stopped, Err(Error::Usage(m)) if m == "enough"));
        assert_eq!(received, 40);
        // The 100th state comes before the 99th: what was compared before comes first (at
        // least the first chunk), the same periods as in the whole run.
        let mut states: Vec<Snapshot> = moving_front(150).collect();
        states.swap(98, 99);
        let mut handed = Vec::new();
        let refused = analysis.changes_each(states, &every, |period| {
            handed.push(period);
            Ok(())
        });
        assert!(matches!(&refused, Err(Error::Usage(m)) if m.contains("time order")), "{refused:?}");
        assert!(handed.len() >= 32 && handed.len() < 98, "{}", handed.len());
        for (got, whole) in handed.iter().zip(&periods) {
            assert_eq!(got.to_snapshot, whole.to_snapshot);
            assert_eq!(got.rows[0].occupied_net_km2.to_bits(), whole.rows[0].occupied_net_km2.to_bits());
        }
    }
}
