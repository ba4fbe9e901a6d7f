//! The measuring path on arbitrary geometry rather than arbitrary text: the bytes are read
//! as rings of small integer offsets (so that vertices coincide, edges overlap and rings
//! cross themselves far more often than random text would make them), written as a
//! DeepState snapshot, and measured in a region with both engines. Never a panic or a
//! hang; figures finite, non-negative, and the engines agree.
#![no_main]
use frontline::analysis::Engine;
use frontline::{Analysis, Region, Status};
use geo::polygon;
use libfuzzer_sys::fuzz_target;
use std::fmt::Write;
use std::sync::OnceLock;

const NAMES: [&str; 4] = ["Окуповано", "Статус невідомий", "Звільнено", "Багатокутник 7"];

fn analyses() -> &'static (Analysis, Analysis) {
    static A: OnceLock<(Analysis, Analysis)> = OnceLock::new();
    A.get_or_init(|| {
        // a town across the grid lines 37°E and 48°N of the indexed engine
        let town = polygon![(x: 36.95, y: 47.95), (x: 37.05, y: 47.95), (x: 37.05, y: 48.05), (x: 36.95, y: 48.05)];
        let a = Analysis::new().with_regions(vec![Region::new("town", vec![town])]);
        (a.clone().with_engine(Engine::Plain), a.with_engine(Engine::Indexed))
    })
}

fuzz_target!(|data: &[u8]| {
    // [status, ring length n, n × (dx, dy)] ... ; offsets in units of 0.001° from 37°E 48°N
    let mut text = String::from(r#"{"type":"FeatureCollection","features":["#);
    let mut bytes = data.iter().copied();
    let mut first = true;
    while let (Some(status), Some(n)) = (bytes.next(), bytes.next()) {
        let n = usize::from(n % 32);
        let mut ring = String::new();
        for i in 0..n {
            let (Some(dx), Some(dy)) = (bytes.next(), bytes.next()) else { break };
            let x = 37.0 + f64::from(dx as i8) * 0.001;
            let y = 48.0 + f64::from(dy as i8) * 0.001;
            let _ = write!(ring, "{}[{x},{y}]", if i == 0 { "" } else { "," });
        }
        let name = NAMES[usize::from(status) % NAMES.len()];
        let _ = write!(
            text,
            r#"{}{{"type":"Feature","properties":{{"name":"{name}"}},"geometry":{{"type":"Polygon","coordinates":[[{ring}]]}}}}"#,
            if first { "" } else { "," }
        );
        first = false;
    }
    text.push_str("]}");
    let (plain, indexed) = analyses();
    let dir = std::env::temp_dir().join(format!("frontline-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join("1700000000.geojson");
    if std::fs::write(&file, &text).is_err() {
        return;
    }
    let (Ok(p), Ok(i)) = (plain.areas(std::slice::from_ref(&file)), indexed.areas(std::slice::from_ref(&file))) else {
        return;
    };
    for (a, b) in p[0].rows.iter().zip(&i[0].rows) {
        for s in Status::ALL {
            let (x, y) = (a.status_km2(s), b.status_km2(s));
            assert!(x.is_finite() && x >= 0.0 && y.is_finite() && y >= 0.0, "{a:?} {b:?}");
            // chords of at most ~0.25° cut by cells: lenses of a few m² at most (see
            // tests/properties.rs); 1e-4 km² plus snapping
            assert!((x - y).abs() <= 1e-4 + 1e-7 * x.max(y), "{s:?} plain {x} indexed {y}\n{text}");
        }
    }
});
