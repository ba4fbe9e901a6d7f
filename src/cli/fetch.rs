//! `frontline fetch`: the map's archive, incrementally, from its API.

use chrono::NaiveDate;
use frontline::fetch::{fetch as fetch_archive, FetchOptions, FetchProgress, Keep, DEFAULT_API};
use frontline::Error;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

#[derive(clap::Args)]
pub struct FetchArgs {
    /// The archive directory (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The map's API.
    #[arg(long, default_value = DEFAULT_API, value_name = "URL")]
    api: String,
    /// The first UTC date whose snapshots are fetched.
    #[arg(long, value_name = "YYYY-MM-DD")]
    since: Option<NaiveDate>,
    /// The last UTC date whose snapshots are fetched, inclusive.
    #[arg(long, value_name = "YYYY-MM-DD")]
    until: Option<NaiveDate>,
    /// all: every snapshot; day, week: the last of each UTC day or ISO week.
    #[arg(long, default_value = "all", value_name = "all|day|week")]
    every: Keep,
    /// Also fetch the map's own area statistics of each snapshot.
    #[arg(long)]
    areas: bool,
    /// The least time between two requests, in milliseconds.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    delay_ms: u64,
    /// How often a failed request is tried again.
    #[arg(long, default_value_t = 5, value_name = "N")]
    retries: u32,
    /// The longest a request may take, in seconds.
    #[arg(long, default_value_t = 60.0, value_name = "N")]
    timeout_s: f64,
    /// The wait before the first retry, in milliseconds, doubled for each further one.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    backoff_ms: u64,
}

pub fn fetch(args: &FetchArgs, quiet: bool) -> Result<(), Error> {
    let timeout = Duration::try_from_secs_f64(args.timeout_s)
        .ok()
        .filter(|t| !t.is_zero())
        .ok_or_else(|| Error::Usage(format!("--timeout-s {}: expected a positive number of seconds", args.timeout_s)))?;
    let mut options = FetchOptions::new(&args.out);
    (options.api, options.since, options.until, options.keep) = (args.api.clone(), args.since, args.until, args.every);
    (options.areas, options.retries, options.timeout) = (args.areas, args.retries, timeout);
    (options.delay, options.backoff) = (Duration::from_millis(args.delay_ms), Duration::from_millis(args.backoff_ms));
    let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
        let style = indicatif::ProgressStyle::with_template("fetching [{bar:40}] {pos}/{len} {elapsed} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        indicatif::ProgressBar::new(0).with_style(style.progress_chars("=> "))
    });
    let say = |line: String| match &bar {
        Some(bar) => bar.println(line),
        None => eprintln!("{line}"),
    };
    let began = std::time::Instant::now();
    let summary = fetch_archive(&options, &mut |p| match p {
        FetchProgress::Planned { missing, .. } => bar.iter().for_each(|b| b.set_length(missing as u64)),
        FetchProgress::Retry { url, attempt, wait, reason } => {
            say(format!("retry {attempt}/{} in {:.1} s: {url}: {reason}", args.retries, wait.as_secs_f64()))
        }
        FetchProgress::Fetched { file } | FetchProgress::Failed { file, .. } => bar.iter().for_each(|b| {
            b.set_message(file.to_string());
            b.inc(1)
        }),
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let summary = summary?;
    if summary.removed_temporaries > 0 {
        eprintln!("removed {} temporary file(s) of an interrupted run", summary.removed_temporaries);
    }
    eprintln!(
        "{} snapshots in range; files fetched: {}, already present: {}, failed: {}; retries: {}; {:.1} s",
        summary.snapshots,
        summary.fetched,
        summary.present,
        summary.failed.len(),
        summary.retried,
        began.elapsed().as_secs_f64()
    );
    for failure in &summary.failed {
        eprintln!("failed: {} ({}): {}", failure.id, failure.file, failure.reason);
    }
    match summary.failed.len() {
        0 => Ok(()),
        failed => Err(Error::Incomplete { dir: args.out.clone(), failed }),
    }
}
