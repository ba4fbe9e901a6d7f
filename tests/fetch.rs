//! `frontline fetch` against an HTTP server on 127.0.0.1 started inside the test, which
//! plays the map's API with the real archive (the 209 snapshots of deepstate/snapshots,
//! served decompressed, the published areas files, and a list in the format of
//! history-public.json with exactly those ids) and injects network faults.
#![cfg(feature = "fetch")]

mod common;

use frontline::fetch::{fetch, FetchOptions, FetchProgress, Keep};
use std::collections::{HashMap, HashSet, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// A fault the server injects into one request, instead of the right answer.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fault {
    /// 500 Internal Server Error.
    ServerError,
    /// 429 Too Many Requests with `Retry-After: N` seconds.
    TooMany(u64),
    /// The headers promise the whole body, half is sent, then the connection closes.
    CutShort,
    /// 200 with a complete body that is not JSON (a proxy's error page).
    NotJson,
    /// The connection closed without an answer.
    Drop,
    /// The right answer, after this long.
    Slow(Duration),
}

/// What the server answered to one request.
#[derive(Debug, Clone)]
struct Hit {
    path: String,
    /// "200", "404", or the fault.
    answer: String,
    at: Instant,
}

struct Api {
    data: PathBuf,
    ids: Vec<u64>,
    list: Mutex<Vec<u8>>,
    /// Faults for the next requests of a path, in order; once used up, the right answer.
    faults: Mutex<HashMap<String, VecDeque<Fault>>>,
    /// Paths answered 404 every time.
    gone: Mutex<HashSet<String>>,
    log: Mutex<Vec<Hit>>,
    user_agents: Mutex<HashSet<String>>,
    /// CONNECT targets seen (the server is asked as a proxy).
    tunnels: Mutex<Vec<String>>,
    /// After this many snapshot bodies, the next is sent half and then held.
    stall_after: Option<usize>,
    snapshots_served: AtomicUsize,
    stalled: Mutex<Option<Sender<()>>>,
}

impl Api {
    fn new(data: &Path) -> Api {
        let dir = data.join("deepstate/snapshots");
        let mut ids: Vec<u64> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().trim_end_matches(".geojson.gz").parse().unwrap())
            .collect();
        ids.sort();
        // The published list, cut to the ids of the archive: entries exactly as the API
        // gives them.
        let published: Vec<serde_json::Value> =
            serde_json::from_slice(&std::fs::read(data.join("deepstate-published/history-public.json")).unwrap()).unwrap();
        let wanted: HashSet<u64> = ids.iter().copied().collect();
        let list: Vec<&serde_json::Value> = published.iter().filter(|e| wanted.contains(&e["id"].as_u64().unwrap())).collect();
        assert_eq!(list.len(), 209);
        Api {
            data: data.to_path_buf(),
            ids,
            list: Mutex::new(serde_json::to_vec(&list).unwrap()),
            faults: Mutex::default(),
            gone: Mutex::default(),
            log: Mutex::default(),
            user_agents: Mutex::default(),
            tunnels: Mutex::default(),
            stall_after: None,
            snapshots_served: AtomicUsize::new(0),
            stalled: Mutex::new(None),
        }
    }

    fn fault(&self, path: &str, faults: &[Fault]) {
        self.faults.lock().unwrap().entry(path.to_string()).or_default().extend(faults.iter().copied());
    }

    /// The body the API gives for `path`, or None for 404.
    fn body(&self, path: &str) -> Option<Vec<u8>> {
        if path == "/api/history/public" {
            return Some(self.list.lock().unwrap().clone());
        }
        let rest = path.strip_prefix("/api/history/")?;
        let (id, what) = rest.split_once('/')?;
        let id: u64 = id.parse().ok()?;
        match what {
            "geojson" => Some(source_snapshot(&self.data, id)?),
            "areas" => std::fs::read(self.data.join(format!("deepstate-published/{id}.areas.json"))).ok(),
            _ => None,
        }
    }

    fn hits(&self, path: &str) -> Vec<Hit> {
        self.log.lock().unwrap().iter().filter(|h| h.path == path).cloned().collect()
    }
}

/// The snapshot `id` of the archive, decompressed.
fn source_snapshot(data: &Path, id: u64) -> Option<Vec<u8>> {
    let raw = std::fs::read(data.join(format!("deepstate/snapshots/{id}.geojson.gz"))).ok()?;
    Some(gunzip(&raw))
}

fn gunzip(raw: &[u8]) -> Vec<u8> {
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(raw).read_to_end(&mut text).unwrap();
    text
}

/// Starts the server on a free port of 127.0.0.1; it serves until the test process ends.
fn serve(api: Arc<Api>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let api = Arc::clone(&api);
            thread::spawn(move || {
                let _ = connection(&api, stream);
            });
        }
    });
    addr
}

/// One connection: requests answered in turn while the client keeps it open.
fn connection(api: &Api, mut stream: TcpStream) -> std::io::Result<()> {
    // (else the last piece of a body waits for the client's delayed acknowledgement, 40 ms)
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    loop {
        let mut request = String::new();
        if reader.read_line(&mut request)? == 0 {
            return Ok(());
        }
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
                break;
            }
            headers.push(line.trim().to_string());
        }
        let mut words = request.split_whitespace();
        let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or("").to_string());
        if method == "CONNECT" {
            api.tunnels.lock().unwrap().push(target);
            stream.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")?;
            continue;
        }
        for header in &headers {
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("user-agent") {
                    api.user_agents.lock().unwrap().insert(value.trim().to_string());
                }
            }
        }
        let path = target.clone();
        let fault = api.faults.lock().unwrap().get_mut(&path).and_then(|f| f.pop_front());
        let log = |answer: &str| api.log.lock().unwrap().push(Hit { path: path.clone(), answer: answer.to_string(), at: Instant::now() });
        let body = if api.gone.lock().unwrap().contains(&path) { None } else { api.body(&path) };
        let Some(body) = body else {
            log("404");
            respond(&mut stream, "404 Not Found", &[], b"{\"error\":\"not found\"}")?;
            continue;
        };
        match fault {
            Some(Fault::ServerError) => {
                log("500");
                respond(&mut stream, "500 Internal Server Error", &[], b"oops")?;
            }
            Some(Fault::TooMany(seconds)) => {
                log("429");
                respond(&mut stream, "429 Too Many Requests", &[format!("Retry-After: {seconds}")], b"slow down")?;
            }
            Some(Fault::CutShort) => {
                log("cut short");
                write!(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", body.len())?;
                stream.write_all(&body[..body.len() / 2])?;
                return stream.flush();
            }
            Some(Fault::NotJson) => {
                log("not json");
                respond(&mut stream, "200 OK", &[], b"<html><body>502 Bad Gateway</body></html>")?;
            }
            Some(Fault::Drop) => {
                log("dropped");
                return Ok(());
            }
            Some(Fault::Slow(wait)) => {
                log("slow");
                thread::sleep(wait);
                respond(&mut stream, "200 OK", &[], &body)?;
            }
            None if path.ends_with("/geojson") && api.stall_after == Some(api.snapshots_served.load(Ordering::SeqCst)) && api.stalled.lock().unwrap().is_some() => {
                log("stalled");
                write!(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", body.len())?;
                stream.write_all(&body[..body.len() / 2])?;
                stream.flush()?;
                if let Some(stalled) = api.stalled.lock().unwrap().take() {
                    let _ = stalled.send(());
                }
                thread::sleep(Duration::from_secs(30));
                return Ok(());
            }
            None => {
                log("200");
                respond(&mut stream, "200 OK", &[], &body)?;
                if path.ends_with("/geojson") {
                    api.snapshots_served.fetch_add(1, Ordering::SeqCst);
                }
            }
        }
    }
}

fn respond(stream: &mut TcpStream, status: &str, headers: &[String], body: &[u8]) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n", body.len());
    for header in headers {
        head.push_str(header);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()
}

/// `frontline fetch` with these arguments against the server at `addr`, fast: no delay,
/// no backoff unless `extra` asks for them.
fn frontline_fetch(addr: SocketAddr, out: &Path, extra: &[&str]) -> Command {
    frontline_fetch_from(&format!("http://{addr}/api"), out, extra)
}

fn frontline_fetch_from(api: &str, out: &Path, extra: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_frontline"));
    command.args(["fetch", "--api", api]).arg("--out").arg(out);
    for fast in ["--delay-ms", "--backoff-ms"] {
        if !extra.iter().any(|a| a.starts_with(fast)) {
            command.args([fast, "0"]);
        }
    }
    command.args(extra);
    // A proxy of the machine running the tests must not carry loopback requests away.
    for var in ["ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"] {
        command.env_remove(var);
    }
    command
}

fn run(mut command: Command) -> (Option<i32>, String) {
    let Output { status, stderr, .. } = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&stderr).into_owned();
    eprintln!("--- frontline fetch: {:?}\n{stderr}", status.code());
    (status.code(), stderr)
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// Every file in `dir` is a snapshot or areas file of the archive, identical to its source
/// (byte for byte after decompression); returns the ids of the snapshots and areas there.
fn check_identical(data: &Path, dir: &Path) -> (Vec<u64>, Vec<u64>) {
    let (snapshots, areas, temporaries) = check_identical_but_temporaries(data, dir);
    assert_eq!(temporaries, 0, "no temporary file left");
    (snapshots, areas)
}

/// [`check_identical`], but temporary files of a killed run are counted, not refused.
fn check_identical_but_temporaries(data: &Path, dir: &Path) -> (Vec<u64>, Vec<u64>, usize) {
    let (mut snapshots, mut areas, mut temporaries) = (Vec::new(), Vec::new(), 0);
    for name in names(dir) {
        let path = dir.join(&name);
        if let Some(id) = name.strip_suffix(".geojson.gz") {
            let id: u64 = id.parse().unwrap();
            let ours = gunzip(&std::fs::read(&path).unwrap());
            assert!(ours == source_snapshot(data, id).unwrap(), "{name} differs from the archive");
            snapshots.push(id);
        } else if let Some(id) = name.strip_suffix(".areas.json") {
            let source = std::fs::read(data.join("deepstate-published").join(&name)).unwrap();
            assert!(std::fs::read(&path).unwrap() == source, "{name} differs from the published file");
            areas.push(id.parse().unwrap());
        } else if name.starts_with(".frontline-fetch.") && name.ends_with(".tmp") {
            temporaries += 1;
        } else {
            panic!("{name}: neither a snapshot nor an areas file");
        }
    }
    (snapshots, areas, temporaries)
}

fn snapshot_path(id: u64) -> String {
    format!("/api/history/{id}/geojson")
}

fn areas_path(id: u64) -> String {
    format!("/api/history/{id}/areas")
}

#[test]
fn every_fault_retried_then_the_archive_is_whole_and_a_second_run_fetches_nothing() {
    let Some(data) = common::data_dir() else { return };
    let api = Arc::new(Api::new(&data));
    let ids = api.ids.clone();
    let list = "/api/history/public";
    api.fault(list, &[Fault::Drop]);
    api.fault(&snapshot_path(ids[3]), &[Fault::ServerError]);
    api.fault(&snapshot_path(ids[10]), &[Fault::TooMany(1)]);
    api.fault(&snapshot_path(ids[20]), &[Fault::CutShort]);
    api.fault(&snapshot_path(ids[30]), &[Fault::NotJson]);
    api.fault(&snapshot_path(ids[40]), &[Fault::Drop]);
    api.fault(&snapshot_path(ids[50]), &[Fault::Slow(Duration::from_secs(3))]);
    api.fault(&areas_path(ids[60]), &[Fault::CutShort, Fault::ServerError]);
    api.gone.lock().unwrap().insert(snapshot_path(ids[70]));
    let addr = serve(Arc::clone(&api));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("archive");

    let began = Instant::now();
    let (code, stderr) = run(frontline_fetch(addr, &out, &["--areas", "--timeout-s", "1", "--retries", "3"]));
    let first_run = began.elapsed();
    assert_eq!(code, Some(1), "a file failed after its retries");
    let failure = format!("failed: {} ({}.geojson.gz): HTTP 404 Not Found (not retried)", ids[70], ids[70]);
    assert!(stderr.lines().any(|l| l == failure), "the 404 named with its id and reason");
    assert!(stderr.contains("209 snapshots in range; files fetched: 417, already present: 0, failed: 1; retries: 9;"), "{stderr}");
    // Each fault once, then the right answer; the 404 asked once.
    let answers = |path: &str| api.hits(path).iter().map(|h| h.answer.clone()).collect::<Vec<_>>();
    assert_eq!(answers(list), ["dropped", "200"]);
    assert_eq!(answers(&snapshot_path(ids[3])), ["500", "200"]);
    assert_eq!(answers(&snapshot_path(ids[10])), ["429", "200"]);
    assert_eq!(answers(&snapshot_path(ids[20])), ["cut short", "200"]);
    assert_eq!(answers(&snapshot_path(ids[30])), ["not json", "200"]);
    assert_eq!(answers(&snapshot_path(ids[40])), ["dropped", "200"]);
    assert_eq!(answers(&snapshot_path(ids[50])), ["slow", "200"]);
    assert_eq!(answers(&areas_path(ids[60])), ["cut short", "500", "200"]);
    assert_eq!(answers(&snapshot_path(ids[70])), ["404"]);
    // Retry-After: 1 honoured although the backoff is 0.
    let hits = api.hits(&snapshot_path(ids[10]));
    assert!(hits[1].at - hits[0].at >= Duration::from_secs(1), "{:?}", hits[1].at - hits[0].at);
    // The slow answer given up after the 1 s timeout, not waited for (3 s).
    let hits = api.hits(&snapshot_path(ids[50]));
    let waited = hits[1].at - hits[0].at;
    assert!(waited >= Duration::from_millis(900) && waited < Duration::from_millis(2900), "{waited:?}");
    let agents = api.user_agents.lock().unwrap().clone();
    assert_eq!(agents.len(), 1);
    assert!(agents.iter().all(|a| a.starts_with(&format!("frontline/{} ", env!("CARGO_PKG_VERSION")))), "{agents:?}");
    eprintln!("first run: {:.1} s, {} requests", first_run.as_secs_f64(), api.log.lock().unwrap().len());

    // Everything but the 404 is there, identical to the source, and nothing else.
    let (snapshots, areas) = check_identical(&data, &out);
    assert_eq!(snapshots.len(), 208);
    assert!(!snapshots.contains(&ids[70]));
    assert_eq!(areas, ids);

    // The snapshot is back: the next run fetches it alone.
    api.gone.lock().unwrap().clear();
    let requests = api.log.lock().unwrap().len();
    let (code, stderr) = run(frontline_fetch(addr, &out, &["--areas"]));
    assert_eq!(code, Some(0));
    assert!(stderr.contains("209 snapshots in range; files fetched: 1, already present: 417, failed: 0; retries: 0;"), "{stderr}");
    let asked: Vec<String> = api.log.lock().unwrap()[requests..].iter().map(|h| h.path.clone()).collect();
    assert_eq!(asked, [list.to_string(), snapshot_path(ids[70])]);
    let (snapshots, areas) = check_identical(&data, &out);
    assert_eq!((snapshots, areas), (ids.clone(), ids.clone()));

    // Complete: a third run asks for the list only.
    let requests = api.log.lock().unwrap().len();
    let (code, stderr) = run(frontline_fetch(addr, &out, &["--areas"]));
    assert_eq!(code, Some(0));
    assert!(stderr.contains("209 snapshots in range; files fetched: 0, already present: 418, failed: 0; retries: 0;"), "{stderr}");
    assert_eq!(api.log.lock().unwrap().len(), requests + 1);

    // Every verb that reads the directory takes the 209 snapshots and skips the areas.
    let files = frontline::snapshot_files(std::slice::from_ref(&out)).unwrap();
    assert_eq!(files.len(), 209);
    assert!(files.iter().all(|f| f.to_string_lossy().ends_with(".geojson.gz")));
}

#[test]
fn a_run_killed_mid_way_leaves_only_whole_files_and_the_next_run_completes_it() {
    let Some(data) = common::data_dir() else { return };
    let mut api = Api::new(&data);
    api.stall_after = Some(60);
    let (stalled, on_stall): (Sender<()>, Receiver<()>) = channel();
    api.stalled = Mutex::new(Some(stalled));
    let api = Arc::new(api);
    let ids = api.ids.clone();
    let addr = serve(Arc::clone(&api));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("archive");

    // Killed (SIGKILL) while the 61st snapshot is half received.
    let mut child = frontline_fetch(addr, &out, &["--areas"]).stderr(Stdio::null()).spawn().unwrap();
    on_stall.recv_timeout(Duration::from_secs(120)).expect("the fetch reaches the 61st snapshot");
    child.kill().unwrap();
    child.wait().unwrap();
    let (snapshots, areas) = check_identical(&data, &out);
    assert_eq!(snapshots, ids[..60]);
    assert_eq!(areas, ids[..60]);

    // Killed at other moments: while gzipping or writing, a temporary file stays behind
    // (the next run removes it), but whatever carries a snapshot's name is whole.
    let mut temporaries = 0;
    for wait_ms in [150, 400, 700, 1000] {
        let mut child = frontline_fetch(addr, &out, &[]).stderr(Stdio::null()).spawn().unwrap();
        thread::sleep(Duration::from_millis(wait_ms));
        child.kill().unwrap();
        child.wait().unwrap();
        let (snapshots, _, left) = check_identical_but_temporaries(&data, &out);
        eprintln!("killed after {wait_ms} ms: {} snapshots, {left} temporary file(s)", snapshots.len());
        temporaries = left;
    }
    // What a kill between the first byte written and the rename leaves behind, for sure.
    let half = std::fs::read(data.join(format!("deepstate/snapshots/{}.geojson.gz", ids[200]))).unwrap();
    std::fs::write(out.join(format!(".frontline-fetch.{}.geojson.gz.4242.tmp", ids[200])), &half[..half.len() / 2]).unwrap();

    let (code, stderr) = run(frontline_fetch(addr, &out, &["--areas"]));
    assert_eq!(code, Some(0));
    let removed = format!("removed {} temporary file(s) of an interrupted run", temporaries + 1);
    assert!(stderr.contains(&removed), "{stderr}");
    let (snapshots, areas) = check_identical(&data, &out);
    assert_eq!((snapshots, areas), (ids.clone(), ids.clone()));
}

/// The library: exponential backoff, retries used up, a 4xx not retried, the range and
/// `Keep::Week`, all reported through the progress callback.
#[test]
fn backoff_doubles_and_gives_up_after_the_retries() {
    let Some(data) = common::data_dir() else { return };
    let api = Arc::new(Api::new(&data));
    // The archive holds 38 snapshots of 2025, in ISO weeks 2025-W01 to W31, one per week
    // kept (counted with Python's date.isocalendar).
    let in_2025 = api.ids.iter().filter(|&&id| (1_735_689_600..1_767_225_600).contains(&id)).count();
    let weekly = frontline::fetch::select(&api.ids, "2025-01-01".parse().ok(), "2025-12-31".parse().ok(), Keep::Week);
    assert_eq!((in_2025, weekly.len()), (38, 31));
    api.fault(&snapshot_path(weekly[0]), &[Fault::ServerError, Fault::ServerError, Fault::ServerError]);
    api.fault(&snapshot_path(weekly[1]), &[Fault::ServerError, Fault::ServerError, Fault::ServerError]);
    api.gone.lock().unwrap().insert(snapshot_path(weekly[2]));
    let addr = serve(Arc::clone(&api));
    let dir = tempfile::tempdir().unwrap();
    let mut options = FetchOptions::new(dir.path());
    options.api = format!("http://{addr}/api/");
    options.since = "2025-01-01".parse().ok();
    options.until = "2025-12-31".parse().ok();
    options.keep = Keep::Week;
    options.delay = Duration::ZERO;
    options.backoff = Duration::from_millis(100);
    options.retries = 3;
    options.proxy_from_env = false;
    let mut retries = Vec::new();
    let summary = fetch(&options, &mut |p| {
        if let FetchProgress::Retry { attempt, wait, .. } = p {
            retries.push((attempt, wait));
        }
    })
    .unwrap();

    // Three 500s, then the answer: waits of 100, 200 and 400 ms.
    let ms = Duration::from_millis;
    assert_eq!(retries[..3], [(1, ms(100)), (2, ms(200)), (3, ms(400))]);
    let hits = api.hits(&snapshot_path(weekly[0]));
    assert_eq!(hits.iter().map(|h| h.answer.as_str()).collect::<Vec<_>>(), ["500", "500", "500", "200"]);
    for (i, least) in [100, 200, 400].into_iter().enumerate() {
        assert!(hits[i + 1].at - hits[i].at >= ms(least), "wait {i}: {:?}", hits[i + 1].at - hits[i].at);
    }
    // (the second had three 500s too, and its fourth try was answered)
    assert_eq!(summary.snapshots, weekly.len());
    assert_eq!(summary.fetched, weekly.len() - 1);
    assert_eq!(summary.retried, 3 + 3);
    let reasons: Vec<(u64, &str)> = summary.failed.iter().map(|f| (f.id, f.reason.as_str())).collect();
    assert_eq!(reasons, [(weekly[2], "HTTP 404 Not Found (not retried)")]);
    assert_eq!(api.hits(&snapshot_path(weekly[2])).len(), 1);
    let (snapshots, _) = check_identical(&data, dir.path());
    assert_eq!(snapshots, weekly.iter().copied().filter(|&id| id != weekly[2]).collect::<Vec<_>>());

    // Three retries are not enough for four 500s.
    api.fault(&snapshot_path(weekly[2]), &[Fault::ServerError; 4]);
    api.gone.lock().unwrap().clear();
    options.backoff = Duration::ZERO;
    let summary = fetch(&options, &mut |_| {}).unwrap();
    assert_eq!(summary.present, weekly.len() - 1);
    assert_eq!(summary.failed.len(), 1);
    assert_eq!(summary.failed[0].reason, "HTTP 500 Internal Server Error (after 3 retries)");
}

#[test]
fn a_list_that_is_not_json_is_bad_input_in_one_line() {
    let Some(data) = common::data_dir() else { return };
    let api = Arc::new(Api::new(&data));
    *api.list.lock().unwrap() = b"<html>Just a moment...</html>".to_vec();
    let addr = serve(Arc::clone(&api));
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = run(frontline_fetch(addr, dir.path(), &["--retries", "0"]));
    assert_eq!(code, Some(2));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let says = format!("frontline: http://{addr}/api/history/public: not the snapshot list: expected value at line 1 column 1\n");
    assert_eq!(stderr, says);
    // Retried as any body that does not parse, then the same verdict.
    let (code, stderr) = run(frontline_fetch(addr, dir.path(), &["--retries", "2"]));
    assert_eq!(code, Some(2));
    assert_eq!(stderr.lines().filter(|l| l.starts_with("retry ")).count(), 2, "{stderr}");
    assert!(stderr.ends_with("(after 2 retries)\n"), "{stderr}");
    assert_eq!(api.hits("/api/history/public").len(), 1 + 3);
    // JSON, but not a list of snapshots.
    *api.list.lock().unwrap() = br#"{"error": "maintenance"}"#.to_vec();
    let (code, stderr) = run(frontline_fetch(addr, dir.path(), &["--retries", "0"]));
    assert_eq!((code, stderr.lines().count()), (Some(2), 1), "{stderr}");
    assert!(stderr.contains("invalid type: map, expected a sequence"), "{stderr}");
    assert_eq!(names(dir.path()), Vec::<String>::new());
}

#[test]
fn a_snapshot_gone_is_named_and_the_rest_kept() {
    let Some(data) = common::data_dir() else { return };
    let api = Arc::new(Api::new(&data));
    let last = *api.ids.last().unwrap();
    api.gone.lock().unwrap().insert(snapshot_path(last));
    let addr = serve(Arc::clone(&api));
    let dir = tempfile::tempdir().unwrap();
    // The last two weeks of the archive: 2025-07-21 to 2025-08-03, with a polite delay.
    let (code, stderr) = run(frontline_fetch(addr, dir.path(), &["--since", "2025-07-21", "--every", "week", "--delay-ms=150"]));
    assert_eq!(code, Some(1));
    assert!(stderr.contains(&format!("failed: {last} ({last}.geojson.gz): HTTP 404 Not Found (not retried)")), "{stderr}");
    assert!(stderr.contains("file(s) could not be fetched"), "{stderr}");
    // Two weeks, two snapshots (counted with Python's date.isocalendar): one is kept.
    assert!(stderr.contains("2 snapshots in range; files fetched: 1, already present: 0, failed: 1;"), "{stderr}");
    let (snapshots, _) = check_identical(&data, dir.path());
    assert_eq!(snapshots.len(), 1);
    // The list, two snapshots: each request at least 150 ms after the one before.
    let log = api.log.lock().unwrap();
    assert_eq!(log.len(), 3);
    for pair in log.windows(2) {
        assert!(pair[1].at - pair[0].at >= Duration::from_millis(150), "{:?}", pair[1].at - pair[0].at);
    }
}

#[test]
fn through_the_proxy_of_the_environment() {
    let Some(data) = common::data_dir() else { return };
    let api = Arc::new(Api::new(&data));
    let addr = serve(Arc::clone(&api));
    let dir = tempfile::tempdir().unwrap();
    // A host that does not resolve: only the proxy can reach it.
    let mut command = frontline_fetch_from("http://deepstate.invalid/api", dir.path(), &["--since", "2025-07-01", "--every", "week"]);
    command.env("HTTPS_PROXY", format!("http://{addr}"));
    let (code, stderr) = run(command);
    assert_eq!(code, Some(0), "{stderr}");
    let tunnels = api.tunnels.lock().unwrap().clone();
    assert!(!tunnels.is_empty() && tunnels.iter().all(|t| t == "deepstate.invalid:80"), "{tunnels:?}");
    // Five ISO weeks from 2025-07-01 to the archive's end, 2025-08-03 (Python's isocalendar).
    let (snapshots, _) = check_identical(&data, dir.path());
    assert_eq!(snapshots, frontline::fetch::select(&api.ids, "2025-07-01".parse().ok(), None, Keep::Week));
    assert_eq!(snapshots.len(), 5);
}

#[test]
fn bad_arguments_exit_2_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    // (nothing listens there, and nothing is asked: the arguments are refused first)
    let api = "http://127.0.0.1:9/api";
    for (api, args, says) in [
        (api, &["--since", "2025-02-01", "--until", "2025-01-01"][..], "frontline: --since 2025-02-01 is after --until 2025-01-01"),
        ("ftp://example.org/api", &[][..], "frontline: --api `ftp://example.org/api`: expected an http:// or https:// URL"),
        (api, &["--timeout-s", "0"][..], "frontline: --timeout-s 0: expected a positive number of seconds"),
        (api, &["--timeout-s=-1"][..], "frontline: --timeout-s -1: expected a positive number of seconds"),
    ] {
        let (code, stderr) = run(frontline_fetch_from(api, dir.path(), args));
        assert_eq!((code, stderr.trim_end()), (Some(2), says), "{args:?}");
    }
    // Refused by the argument parser, with its usage lines.
    for (args, says) in [(&["--every", "month"][..], "`month`: expected all, day or week"), (&["--since", "2025-13-01"][..], "--since")] {
        let (code, stderr) = run(frontline_fetch_from(api, dir.path(), args));
        assert_eq!(code, Some(2), "{args:?}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    assert_eq!(names(dir.path()), Vec::<String>::new());
}

#[test]
fn an_api_that_does_not_answer_exits_1() {
    // A port nothing listens on: the connection is refused, retried, then given up.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = run(frontline_fetch(port, dir.path(), &["--retries", "1"]));
    assert_eq!(code, Some(1));
    let last = stderr.lines().last().unwrap_or("");
    assert!(last.starts_with(&format!("frontline: http://{port}/api/history/public: ")) && last.ends_with("(after 1 retry)"), "{stderr}");
}

/// The test server for a run by hand, with every fault of the first test injected:
/// `FRONTLINE_DATA=... FETCH_SERVE_SECS=300 cargo test --release --test fetch serve_by_hand
/// -- --ignored --nocapture` prints its address, serves that long, then prints what it
/// answered.
#[test]
#[ignore]
fn serve_by_hand() {
    let Some(data) = common::data_dir() else { return };
    let api = Arc::new(Api::new(&data));
    let ids = api.ids.clone();
    api.fault("/api/history/public", &[Fault::Drop]);
    api.fault(&snapshot_path(ids[3]), &[Fault::ServerError]);
    api.fault(&snapshot_path(ids[10]), &[Fault::TooMany(2)]);
    api.fault(&snapshot_path(ids[20]), &[Fault::CutShort]);
    api.fault(&snapshot_path(ids[30]), &[Fault::NotJson]);
    api.fault(&snapshot_path(ids[40]), &[Fault::Drop]);
    api.fault(&snapshot_path(ids[50]), &[Fault::Slow(Duration::from_secs(5))]);
    api.fault(&areas_path(ids[60]), &[Fault::CutShort, Fault::ServerError]);
    api.gone.lock().unwrap().insert(snapshot_path(ids[70]));
    let addr = serve(Arc::clone(&api));
    let seconds: u64 = std::env::var("FETCH_SERVE_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(120);
    eprintln!("serving http://{addr}/api for {seconds} s; {} snapshots; 404 for {}", ids.len(), ids[70]);
    // FETCH_GONE_SECS: the 404 is lifted after that long, for a second run to complete.
    let gone_for: u64 = std::env::var("FETCH_GONE_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(seconds);
    thread::sleep(Duration::from_secs(gone_for.min(seconds)));
    api.gone.lock().unwrap().clear();
    eprintln!("the 404 is lifted");
    thread::sleep(Duration::from_secs(seconds.saturating_sub(gone_for)));
    let log = api.log.lock().unwrap();
    let faults: Vec<String> = log.iter().filter(|h| h.answer != "200").map(|h| format!("{} {}", h.answer, h.path)).collect();
    eprintln!("{} requests answered; not 200: {faults:#?}", log.len());
}
