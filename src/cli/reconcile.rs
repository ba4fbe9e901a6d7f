//! `frontline reconcile`: the map's own figures beside frontline's, with the bridge.

use crate::cli::args::{InputArgs, OutputArgs};
use crate::cli::warnings::summarize;
use clap::Args;
use frontline::{read_area_of_interest, snapshot_files, Analysis, Error, ReconcileNote};
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Args)]
pub struct ReconcileArgs {
    #[command(flatten)]
    input: InputArgs,
    /// The folder of the map's area statistics, `{id}.areas.json` (as `frontline fetch
    /// --areas` writes them); by default, beside each snapshot.
    #[arg(long, value_name = "DIR")]
    published: Option<PathBuf>,
    /// Clip frontline's figures to the polygons of this GeoJSON file (the area of
    /// interest): the last step of the bridge.
    #[arg(long, value_name = "FILE")]
    clip: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn reconcile(args: &ReconcileArgs) -> Result<(), Error> {
    let mut analysis = Analysis::new().with_read(args.input.read.read_options()?);
    if let Some(clip) = &args.clip {
        analysis = analysis.with_clip(read_area_of_interest(clip)?);
    }
    let files = snapshot_files(&args.input.snapshots)?;
    if args.input.read.strict {
        summarize(&analysis.scan(&files)?, true)?;
    }
    let reconciled = analysis.reconcile(&files, args.published.as_deref())?;
    args.output.with_writer(|writer| crate::cli::args::written(writer.write(&reconciled.rows)))?;
    print_notes(&reconciled.notes);
    if let Some((snapshot, areas)) = reconciled.skipped.first() {
        eprintln!(
            "note: {} snapshot(s) without published figures left out, e.g. {} (no {})",
            reconciled.skipped.len(),
            snapshot.display(),
            areas.display()
        );
    }
    Ok(())
}

/// One line per kind of note, type and colour, with how many snapshots had it and the
/// first; a type `frontline` cannot place is a warning.
fn print_notes(notes: &[ReconcileNote]) {
    let mut by_kind: BTreeMap<(&str, &str, Option<&str>), (usize, &ReconcileNote)> = BTreeMap::new();
    for note in notes {
        by_kind.entry((note.kind, &note.what, note.hash.as_deref())).or_insert((0, note)).0 += 1;
    }
    // (warnings first)
    let mut lines: Vec<_> = by_kind.into_iter().collect();
    lines.sort_by_key(|((kind, _, _), _)| *kind != "unknown-type");
    for ((kind, _, _), (count, first)) in lines {
        let level = if kind == "unknown-type" { "warning" } else { "note" };
        match count {
            1 => eprintln!("{level}: {first}"),
            n => eprintln!("{level}: {n} snapshots, e.g. {first}"),
        }
    }
}
