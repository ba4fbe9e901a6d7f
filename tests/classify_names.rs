//! Every distinct polygon name (and fill) of the DeepState archive and of the daily states,
//! from every era of the map, and names made up to trap substring matching (villages named
//! Кримське, Kurilivka...), each with the status a reader gives it: the table
//! tests/classify_names.tsv, written by scripts/classify_names.py, its expected statuses by
//! hand.

mod common;

use common::data_dir;
use common::deepstate_status;
use std::collections::HashMap;

struct Row {
    name: String,
    fill: String,
    expected: String,
    features: usize,
    source: String,
    note: String,
}

/// A name as the table writes it: `\n`, `\t`, `\r`, `\\` and `\uXXXX` escaped.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                out.push(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32).unwrap_or_else(|| panic!("bad escape \\u{hex} in `{text}`")));
            }
            other => panic!("bad escape \\{other:?} in `{text}`"),
        }
    }
    out
}

fn table() -> Vec<Row> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/classify_names.tsv");
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            assert_eq!(cells.len(), 8, "{line}");
            Row {
                name: unescape(cells[0]),
                fill: cells[1].to_string(),
                expected: cells[2].to_string(),
                features: cells[3].parse().unwrap(),
                source: cells[6].to_string(),
                note: cells[7].to_string(),
            }
        })
        .collect()
}

/// What `frontline` makes of a name, in the table's words.
fn reading(name: &str, fill: &str) -> String {
    match deepstate_status(name, (!fill.is_empty()).then_some(fill)) {
        Ok(status) => status.as_str().to_string(),
        Err(why) if why.foreign => "foreign".to_string(),
        Err(_) => "unclassified".to_string(),
    }
}

#[test]
fn every_name_reads_as_a_reader_reads_it() {
    let rows = table();
    let known = ["occupied", "contested", "liberated", "foreign", "unclassified"];
    let mut wrong = Vec::new();
    for row in &rows {
        assert!(known.contains(&row.expected.as_str()), "`{}`: expected `{}`, not one of {known:?}", row.name, row.expected);
        let ours = reading(&row.name, &row.fill);
        if ours != row.expected {
            wrong.push(format!("{:?} (fill `{}`, {}): {ours}, expected {} ({})", row.name, row.fill, row.source, row.expected, row.note));
        }
    }
    assert!(wrong.is_empty(), "{} of {} names read wrong:\n{}", wrong.len(), rows.len(), wrong.join("\n"));
    // (the table is the archive's and the traps', not a handful)
    assert!(rows.iter().filter(|r| r.source != "trap").count() > 350);
    assert!(rows.iter().filter(|r| r.source == "trap").count() >= 20);
    for status in known {
        assert!(rows.iter().any(|r| r.expected == status && r.source != "trap"), "no real name is {status}");
    }
}

/// The table is the data's: every polygonal feature's (name, fill) of the 209 archive
/// snapshots and of the 635 daily states is a row, with its number of features.
#[test]
fn the_table_holds_every_name_of_the_data() {
    let Some(data) = data_dir() else { return };
    let unpacked = std::process::Command::new(data.join("unpack-daily")).output().unwrap();
    assert!(unpacked.status.success(), "{}", String::from_utf8_lossy(&unpacked.stderr));
    let daily = std::path::PathBuf::from(String::from_utf8(unpacked.stdout).unwrap().trim());
    let mut found: HashMap<(String, String), usize> = HashMap::new();
    let mut files = 0;
    for folder in [data.join("deepstate/snapshots"), daily] {
        for file in frontline::snapshot_files(&[folder]).unwrap() {
            let doc: serde_json::Value = serde_json::from_slice(&common::read_text(&file)).unwrap();
            for feature in doc["features"].as_array().unwrap() {
                if !matches!(feature["geometry"]["type"].as_str(), Some("Polygon" | "MultiPolygon" | "GeometryCollection")) {
                    continue;
                }
                let text = |key: &str| feature["properties"][key].as_str().unwrap_or("").to_string();
                *found.entry((text("name"), text("fill"))).or_default() += 1;
            }
            files += 1;
        }
    }
    assert_eq!(files, 209 + 635);
    let rows: HashMap<(String, String), usize> =
        table().into_iter().filter(|r| r.source != "trap").map(|r| ((r.name, r.fill), r.features)).collect();
    let mut missing: Vec<String> = found.iter().filter(|(k, n)| rows.get(*k) != Some(n)).map(|(k, n)| format!("{k:?}: {n} features")).collect();
    missing.sort();
    assert!(missing.is_empty(), "not in tests/classify_names.tsv as such (run scripts/classify_names.py):\n{}", missing.join("\n"));
    assert_eq!(rows.len(), found.len(), "rows of the table no longer in the data");
}
