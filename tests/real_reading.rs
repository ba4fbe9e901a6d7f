//! Reading a timeline in order, each snapshot in the light of the one before
//! (`SnapshotReader`, as the indexed engine reads), gives what reading each file on its own
//! gives: every polygon, bit for bit, and every report, over the real archive and the
//! occupied-only daily exports.

mod common;

use frontline::read::{read_snapshot, snapshot_files, ReadOptions, SnapshotReader};
use frontline::{Classifier, Status};

#[test]
fn the_reader_reads_the_archives_as_each_file_alone() {
    let Some(data) = common::data_dir() else { return };
    let occupied_only = ReadOptions { classifier: Classifier::All(Status::Occupied), ..ReadOptions::default() };
    for (folder, options) in [("deepstate/snapshots", ReadOptions::default()), ("deepstate-occupied", occupied_only)] {
        let files = snapshot_files(&[data.join(folder)]).unwrap();
        let mut reader = SnapshotReader::new(&options);
        for file in &files {
            let (a, b) = (reader.read(file).unwrap(), read_snapshot(file, &options).unwrap());
            assert_eq!((&a.path, a.time), (&b.path, b.time));
            assert_eq!(a.report, b.report, "{}", file.display());
            for status in Status::ALL {
                assert!(a.polygons[status] == b.polygons[status], "{} {status:?}", file.display());
            }
        }
        assert!(files.len() >= 25, "{folder}: {} files", files.len());
    }
}
