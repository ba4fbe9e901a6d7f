//! Warnings of the reading, summarized: one line per kind on standard error, or in strict
//! mode the first one as an error.

use frontline::{Error, ScanReport, WarningKind};
use std::collections::BTreeMap;

/// Counts warnings as snapshots go by, and prints one line per kind at the end.
#[derive(Default)]
pub struct Warnings {
    by_kind: BTreeMap<WarningKind, (usize, String)>,
}

impl Warnings {
    /// Counts a snapshot's warnings; in strict mode the first one is an error.
    pub fn add(&mut self, report: &ScanReport, strict: bool) -> Result<(), Error> {
        for warning in &report.warnings {
            if strict {
                return Err(Error::Strict {
                    path: report.snapshot.clone().into(),
                    message: format!("feature {}: {}: {}", warning.feature, warning.kind.as_str(), warning.detail),
                });
            }
            let entry = self
                .by_kind
                .entry(warning.kind)
                .or_insert_with(|| (0, format!("{} feature {}: {}", report.snapshot, warning.feature, warning.detail)));
            entry.0 += 1;
        }
        Ok(())
    }

    /// Prints one line per kind of warning.
    pub fn print(&self) {
        for (kind, (count, example)) in &self.by_kind {
            eprintln!("warning: {count} × {}, e.g. {example}", kind.as_str());
        }
    }
}

/// Counts the warnings of all `reports` and prints them (in strict mode: the first is an
/// error).
pub fn summarize<'a>(reports: impl IntoIterator<Item = &'a ScanReport>, strict: bool) -> Result<(), Error> {
    let mut warnings = Warnings::default();
    for report in reports {
        warnings.add(report, strict)?;
    }
    warnings.print();
    Ok(())
}
