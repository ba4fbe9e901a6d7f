use std::time::Instant;
fn main() {
    let files = frontline::read::snapshot_files(&["../shared/data/deepstate/snapshots".into()]).unwrap();
    let t = Instant::now();
    let bytes: Vec<Vec<u8>> = files.iter().map(|f| frontline::read::read_bytes(f).unwrap()).collect();
    println!("gunzip {:?} {} MB", t.elapsed(), bytes.iter().map(|b| b.len()).sum::<usize>() / 1_000_000);
    let t = Instant::now();
    for b in &bytes { let _v: serde::de::IgnoredAny = serde_json::from_slice(b).unwrap(); }
    println!("json skim {:?}", t.elapsed());
    let t = Instant::now();
    let opts = frontline::ReadOptions::default();
    let snaps: Vec<_> = files.iter().zip(&bytes).map(|(f, b)| frontline::read::parse_snapshot(f, b, &opts).unwrap()).collect();
    println!("parse+classify {:?}", t.elapsed());
    let t = Instant::now();
    let a = frontline::Analysis::new();
    let mut n = 0; for s in &snaps { n += a.layers(s).layers.occupied.0.len(); }
    println!("layers {:?} {n}", t.elapsed());
}
