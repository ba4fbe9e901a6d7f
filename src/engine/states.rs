//! The map states a per-state measure runs on (the line of contact, distances to places):
//! every snapshot, or the state as of each period boundary of a resampled timeline.
//!
//! With periods (`--every day|week|month`), the state as of a period's start boundary is
//! the last snapshot at or before it, as [`Resampling::timeline`] places it: one state per
//! period, timed at its start boundary (the state as of 1 September 00:00 for `2025-09`),
//! periods without a snapshot at or before their start left out with a note. Without
//! (`snapshot`), every snapshot is a state, timed at its own time, within `from`/`to` by
//! its local date. Each snapshot is read and measured once, however many states it stands
//! for, a chunk of snapshots at a time on every core.

use crate::engine::analysis::Analysis;
use crate::engine::periods::{Every, Resampling, Skipped};
use crate::engine::source::{SnapshotInput, Source, Timed};
use crate::error::Result;
use crate::input::snapshot::ScanReport;
use crate::input::snapshot::Snapshot;
use chrono::{DateTime, Utc};
use rayon::prelude::*;
use std::sync::Arc;

/// One state: the instant it is as of, and the snapshot that shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct State {
    /// The snapshot's own time, or the period's start boundary.
    pub time: DateTime<Utc>,
    /// The snapshot, as an index into the times given.
    pub snapshot: usize,
}

/// The states of a timeline of snapshot times (sorted, earliest first), in time order (so
/// their snapshots too), and the periods left out.
pub(crate) fn pick_states(times: &[DateTime<Utc>], resampling: &Resampling) -> (Vec<State>, Vec<Skipped>) {
    if resampling.every == Every::Snapshot {
        let date = |t: &DateTime<Utc>| t.with_timezone(&resampling.offset).date_naive();
        let states = times
            .iter()
            .enumerate()
            .filter(|(_, t)| resampling.from.is_none_or(|f| date(t) >= f) && resampling.to.is_none_or(|l| date(t) <= l))
            .map(|(snapshot, time)| State { time: *time, snapshot })
            .collect();
        return (states, Vec::new());
    }
    let timeline = resampling.timeline(times);
    let states = timeline.periods.iter().map(|p| State { time: p.start, snapshot: p.from }).collect();
    (states, timeline.skipped)
}

/// What a run over states (the line of contact, distances) found besides its rows.
#[derive(Debug, Clone, Default)]
pub struct StatesSummary {
    /// The periods left out, with the reason, in time order.
    pub skipped: Vec<Skipped>,
    /// What reading each snapshot measured found, in time order.
    pub read: Vec<ScanReport>,
}

/// Distinct snapshots measured side by side: enough to keep every core busy, few enough
/// that what they give (lines, trees) stays small.
fn chunk_len() -> usize {
    (4 * rayon::current_num_threads()).max(4)
}

/// Measures the states of `inputs` with `measure` and hands each state's measure to `each`,
/// in time order, with the instant the state is as of and the snapshot's name. Files are
/// read when a chunk needs them; states in memory are taken whole first.
pub(crate) fn each_state<I, T>(
    analysis: &Analysis,
    inputs: I,
    resampling: &Resampling,
    measure: impl Fn(&Snapshot) -> Result<T> + Sync,
    each: impl FnMut(DateTime<Utc>, &Arc<str>, &T) -> Result<()>,
) -> Result<StatesSummary>
where
    I: IntoIterator,
    I::Item: SnapshotInput,
    T: Send,
{
    let timed: Vec<Timed> = match Source::new(inputs, &analysis.read)? {
        Source::Files(files) => files,
        Source::States(mut states) => {
            let mut all = Vec::new();
            loop {
                let chunk = states.next_chunk(64)?;
                if chunk.is_empty() {
                    break all;
                }
                all.extend(chunk);
            }
        }
    };
    let times: Vec<DateTime<Utc>> = timed.iter().map(|t| t.time).collect();
    let (states, skipped) = pick_states(&times, resampling);
    let read = measure_states(analysis, &timed, &states, measure, each)?;
    Ok(StatesSummary { skipped, read })
}

/// Measures the `states` of the items `timed` (states in time order, so their snapshots
/// too) with `measure`, each snapshot once, a chunk of snapshots at a time on every core,
/// and hands each state's measure to `each` in order; returns what reading the snapshots
/// found.
pub(crate) fn measure_states<T: Send>(
    analysis: &Analysis,
    timed: &[Timed],
    states: &[State],
    measure: impl Fn(&Snapshot) -> Result<T> + Sync,
    mut each: impl FnMut(DateTime<Utc>, &Arc<str>, &T) -> Result<()>,
) -> Result<Vec<ScanReport>> {
    let mut read = Vec::new();
    let mut rest = states;
    while !rest.is_empty() {
        // The states of the next few snapshots.
        let mut needed: Vec<usize> = Vec::new();
        let mut end = 0;
        for state in rest {
            if needed.last() != Some(&state.snapshot) {
                if needed.len() == chunk_len() {
                    break;
                }
                needed.push(state.snapshot);
            }
            end += 1;
        }
        let measured: Vec<Result<(T, ScanReport)>> = needed
            .par_iter()
            .map(|&i| {
                let snapshot = timed[i].load_alone(&analysis.read)?;
                Ok((measure(&snapshot)?, snapshot.report.clone()))
            })
            .collect();
        // (the first bad snapshot in time order is the one reported)
        let mut values = Vec::with_capacity(needed.len());
        for (i, result) in needed.iter().zip(measured) {
            let (value, report) = result?;
            read.push(report);
            values.push((*i, Arc::<str>::from(timed[*i].name()), value));
        }
        for state in &rest[..end] {
            if let Some((_, name, value)) = values.iter().find(|(i, _, _)| *i == state.snapshot) {
                each(state.time, name, value)?;
            }
        }
        rest = &rest[end..];
    }
    Ok(read)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::time::{parse_time, rfc3339};

    /// Every snapshot; and the states as of Monday 4 November (the snapshot of 30 October)
    /// and Monday 11 November (the one of 6 November): the week of 28 October starts before
    /// the first snapshot.
    #[test]
    fn every_snapshot_or_the_state_as_of_each_week() {
        let times: Vec<_> = ["2024-10-30T18:00:00Z", "2024-11-06T18:00:00Z", "2024-11-13T18:00:00Z"].iter().map(|t| parse_time(t).unwrap()).collect();
        let (states, _) = pick_states(&times, &Resampling::new(Every::Snapshot));
        assert_eq!(states.iter().map(|s| s.snapshot).collect::<Vec<_>>(), [0, 1, 2]);
        let (weekly, skipped) = pick_states(&times, &Resampling::new(Every::Week));
        assert_eq!(weekly.iter().map(|s| s.snapshot).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(rfc3339(weekly[0].time), "2024-11-04T00:00:00Z");
        assert_eq!(skipped[0].label, "2024-W44");
    }

    /// Daily states over weekly snapshots: each snapshot stands for seven states and is
    /// measured once; more snapshots than a chunk holds still come out in order.
    #[test]
    fn one_measure_per_snapshot_whatever_the_states() {
        use crate::{PerStatus, Snapshot};
        let week = 7 * 86_400;
        let count = chunk_len() + 3;
        let snapshots = (0..count as i64).map(|k| {
            let time = DateTime::from_timestamp(1_730_419_200 + k * week, 0).unwrap();
            Snapshot::new(format!("week-{k}"), time, PerStatus::default())
        });
        let measured = std::sync::atomic::AtomicUsize::new(0);
        let mut seen = Vec::new();
        let summary = each_state(
            &Analysis::new(),
            snapshots,
            &Resampling::new(Every::Day),
            |s| {
                measured.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                Ok(s.time())
            },
            |time, name, value| {
                seen.push((time, name.to_string(), *value));
                Ok(())
            },
        )
        .unwrap();
        // (the days after the last snapshot are not known)
        assert_eq!(seen.len(), 7 * (count - 1));
        assert_eq!(measured.into_inner(), count - 1);
        assert_eq!(summary.read.len(), count - 1);
        assert!(seen.windows(2).all(|w| w[0].0 < w[1].0 && w[0].2 <= w[1].2));
        assert!(seen.iter().all(|(time, _, value)| value <= time && *time - *value < chrono::Duration::days(7)));
        assert_eq!(seen[7].1, "week-1");
    }
}
