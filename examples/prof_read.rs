//! Reading time split into its steps, on the real archive (a development aid).
use std::time::Instant;
fn main() -> Result<(), frontline::Error> {
    let d = std::env::args().nth(1).unwrap_or_else(|| "../shared/data/deepstate/snapshots".into());
    let files = frontline::read::snapshot_files(&[d.into()])?;
    let t = Instant::now();
    let bytes: Vec<Vec<u8>> = files.iter().map(|f| frontline::read::read_bytes(f)).collect::<Result<_, _>>()?;
    println!("gunzip {:?} {} MB", t.elapsed(), bytes.iter().map(|b| b.len()).sum::<usize>() / 1_000_000);
    let t = Instant::now();
    for b in &bytes {
        let _: serde::de::IgnoredAny = serde_json::from_slice(b).map_err(|e| frontline::Error::Usage(e.to_string()))?;
    }
    println!("json skim {:?}", t.elapsed());
    let t = Instant::now();
    let opts = frontline::ReadOptions::default();
    for _ in 0..3 {
        for (f, b) in files.iter().zip(&bytes) {
            frontline::read::parse_snapshot(f, b, &opts)?;
        }
    }
    println!("parse+classify {:?} (per pass)", t.elapsed() / 3);
    Ok(())
}
