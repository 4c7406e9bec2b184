//! The live class end to end on the loopback address: the real `class serve` binary and real
//! learners (the library's queue and HTTP client, each with its own state folder): load
//! (50 learners × 400 events), a server killed and restarted mid-way, a connection that loses
//! the server's answers, hostile requests. The dashboard and the TUI: tests/class_live_ui.rs.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use docker_guide::class_live::db::ClassDb;
use docker_guide::progress::export::ExportStatus;
use docker_guide::progress::live::client::{self, SendError};
use docker_guide::progress::live::protocol::new_learner_id;

mod common;
#[path = "class_live/support.rs"]
mod support;
use support::*;

#[test]
fn fifty_learners_send_twenty_thousand_events_and_none_is_lost() {
    const LEARNERS: usize = 50;
    const EVENTS: usize = 400;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("class.db");
    let serve = Serve::start(&data, 0);
    let started = Instant::now();
    let workers: Vec<_> = (0..LEARNERS)
        .map(|i| {
            let (url, code) = (serve.url.clone(), serve.code.clone());
            thread::spawn(move || {
                let mut learner = Learner::join(&url, &code, &format!("learner-{i:02}"));
                let mut latencies = Vec::new();
                learner
                    .flush(&mut latencies, Duration::from_secs(60))
                    .unwrap();
                for n in 0..EVENTS {
                    learner.act(n);
                    learner
                        .flush(&mut latencies, Duration::from_secs(60))
                        .unwrap();
                }
                assert_eq!(learner.queued(), 0);
                (learner, latencies)
            })
        })
        .collect();
    let mut learners = Vec::new();
    let mut latencies = Vec::new();
    for worker in workers {
        let (learner, mut l) = worker.join().unwrap();
        learners.push(learner);
        latencies.append(&mut l);
    }
    let elapsed = started.elapsed();
    let peak = serve.peak_kib();
    let p50 = percentile(&mut latencies, 0.50);
    let p99 = percentile(&mut latencies, 0.99);
    eprintln!(
        "class load: {} learners × {EVENTS} events in {:.1}s over {} requests; request latency p50 {:.1} ms, p99 {:.1} ms; server peak memory (VmHWM) {:.1} MiB",
        LEARNERS,
        elapsed.as_secs_f64(),
        latencies.len(),
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3,
        peak as f64 / 1024.0
    );

    // The instructor's report reads the database while the server runs.
    let out = Command::new(BIN)
        .args(["class", "summary", "--json"])
        .arg(&data)
        .output()
        .unwrap();
    common::assert_success(&out);
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = summary["learners"].as_array().unwrap();
    assert_eq!(rows.len(), LEARNERS);
    for learner in &learners {
        let passed = learner
            .sent
            .iter()
            .filter(|s| matches!(s, Some((ExportStatus::Passed, _))))
            .count();
        let row = rows
            .iter()
            .find(|r| r["learner"] == learner.name.as_str())
            .unwrap();
        assert_eq!(row["passed"], passed, "{}", learner.name);
    }
    serve.stop();
    let db = ClassDb::open_read_only(&data).unwrap();
    assert_eq!(db.count().unwrap(), (LEARNERS * (EVENTS + 1)) as u64);
    assert_state_matches(&replay(&data), &learners);
}

#[test]
fn a_server_killed_mid_class_loses_nothing_after_restart() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("class.db");
    let serve = Serve::start(&data, 0);
    let (url, code, port) = (serve.url.clone(), serve.code.clone(), serve.port());
    let mut learners: Vec<Learner> = (0..5)
        .map(|i| Learner::join(&url, &code, &format!("r{i}")))
        .collect();
    let mut latencies = Vec::new();
    for learner in &mut learners {
        for n in 0..30 {
            learner.act(n);
        }
        learner
            .flush(&mut latencies, Duration::from_secs(30))
            .unwrap();
    }
    serve.crash();
    // The class is down: results queue up on the learners' machines.
    for learner in &mut learners {
        for n in 30..60 {
            learner.act(n);
        }
        assert!(matches!(
            client::flush(&learner.files),
            Err(SendError::Unreachable { .. })
        ));
        assert_eq!(learner.queued(), 30);
    }
    let serve = Serve::start(&data, port);
    assert_eq!(serve.code, code, "the class keeps its join code");
    for learner in &learners {
        learner
            .flush(&mut latencies, Duration::from_secs(30))
            .unwrap();
        assert_eq!(learner.queued(), 0);
    }
    serve.stop();
    assert_state_matches(&replay(&data), &learners);
    assert_eq!(
        ClassDb::open_read_only(&data).unwrap().count().unwrap(),
        5 * 61
    );
}

/// A TCP proxy that can lose the server's answers: the request reaches the server, the
/// learner never hears back (the worst cut: the server stored what the learner will resend).
struct LossyProxy {
    addr: SocketAddr,
    lose_answers: Arc<AtomicBool>,
}

impl LossyProxy {
    fn start(upstream: SocketAddr) -> LossyProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let lose_answers = Arc::new(AtomicBool::new(false));
        let lose = Arc::clone(&lose_answers);
        thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let lose = lose.load(Ordering::SeqCst);
                thread::spawn(move || proxy(client, upstream, lose));
            }
        });
        LossyProxy { addr, lose_answers }
    }
}

fn proxy(mut client: TcpStream, upstream: SocketAddr, lose: bool) {
    let Ok(mut server) = TcpStream::connect(upstream) else {
        return;
    };
    let mut to_server = client.try_clone().unwrap();
    let mut from_client = server.try_clone().unwrap();
    let up = thread::spawn(move || {
        let _ = std::io::copy(&mut to_server, &mut from_client);
        let _ = from_client.shutdown(Shutdown::Write);
    });
    let mut answer = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match server.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                answer.extend_from_slice(&buf[..n]);
                if lose {
                    // The server has answered: it stored the batch. Cut the learner off.
                    let _ = client.shutdown(Shutdown::Both);
                    let _ = server.shutdown(Shutdown::Both);
                    break;
                }
                if client.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = client.shutdown(Shutdown::Both);
    let _ = up.join();
}

#[test]
fn a_learner_cut_off_resends_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("class.db");
    let serve = Serve::start(&data, 0);
    let upstream: SocketAddr = serve.url.trim_start_matches("http://").parse().unwrap();
    let proxy = LossyProxy::start(upstream);
    let via_proxy = format!("http://{}", proxy.addr);
    let mut learner = Learner::join(&via_proxy, &serve.code, "cut");
    let mut latencies = Vec::new();
    learner
        .flush(&mut latencies, Duration::from_secs(10))
        .unwrap();
    for n in 0..10 {
        learner.act(n);
    }
    proxy.lose_answers.store(true, Ordering::SeqCst);
    for _ in 0..3 {
        // Stored on the server, unknown to the learner: kept in the queue.
        assert!(client::flush(&learner.files).is_err());
        assert_eq!(learner.queued(), 10);
    }
    for n in 10..20 {
        learner.act(n);
    }
    proxy.lose_answers.store(false, Ordering::SeqCst);
    learner
        .flush(&mut latencies, Duration::from_secs(10))
        .unwrap();
    assert_eq!(learner.queued(), 0);
    serve.stop();
    assert_eq!(ClassDb::open_read_only(&data).unwrap().count().unwrap(), 21);
    assert_state_matches(&replay(&data), &[learner]);
}

/// One raw request; returns the status and the headers + body as text.
fn raw(url: &str, request: &[u8]) -> (u16, String) {
    let addr = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP answer: {text:?}"));
    (status, text)
}

fn post(url: &str, code: Option<&str>, body: &[u8]) -> (u16, String) {
    let mut request = format!(
        "POST /api/v1/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(code) = code {
        request.push_str(&format!("X-Class-Code: {code}\r\n"));
    }
    request.push_str("\r\n");
    let mut bytes = request.into_bytes();
    bytes.extend_from_slice(body);
    raw(url, &bytes)
}

#[test]
fn bad_requests_get_a_clear_4xx_and_the_server_stays_up() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("class.db");
    let serve = Serve::start(&data, 0);
    let (url, code) = (serve.url.as_str(), serve.code.as_str());
    let learner = new_learner_id();
    let batch = |events: &str| format!(r#"{{"learner":"{learner}","events":[{events}]}}"#);
    let step = r#"{"seq":1,"at":"2026-01-01T00:00:00Z","kind":"step","chapter":"one","step":{"id":"s0","status":"passed"}}"#;

    let (status, text) = post(url, None, batch(step).as_bytes());
    assert_eq!(status, 401, "no code: {text}");
    assert!(text.contains("join code"), "{text}");
    assert_eq!(post(url, Some("WRONG-1"), batch(step).as_bytes()).0, 403);
    let (status, text) = post(url, Some(code), b"{not json");
    assert_eq!(status, 400, "{text}");
    assert!(text.contains("not JSON"), "{text}");
    assert_eq!(post(url, Some(code), br#"{"hello":1}"#).0, 422);
    assert_eq!(
        post(url, Some(code), batch("").as_bytes()).0,
        422,
        "no events"
    );
    let bad_id = br#"{"learner":"../../etc","events":[]}"#;
    assert_eq!(post(url, Some(code), bad_id).0, 422);
    let (status, text) = post(url, Some(code), batch(step).as_bytes());
    assert_eq!(status, 409, "a step before any join: {text}");
    let huge = batch(&format!(
        r#"{{"seq":1,"at":"2026-01-01T00:00:00Z","kind":"step","chapter":"{}","step":{{"id":"s","status":"passed"}}}}"#,
        "x".repeat(600 * 1024)
    ));
    assert_eq!(post(url, Some(code), huge.as_bytes()).0, 413, "oversized");
    let long_name = format!(
        r#"{{"seq":1,"at":"2026-01-01T00:00:00Z","kind":"join","name":"{}","export":{}}}"#,
        "n".repeat(500),
        serde_json::to_string(&snapshot("x")).unwrap()
    );
    let (status, text) = post(url, Some(code), batch(&long_name).as_bytes());
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("name"), "{text}");
    let (status, _) = raw(url, b"GARBAGE\r\n\r\n");
    assert!((400..500).contains(&status), "garbage: {status}");
    assert_eq!(
        raw(
            url,
            b"GET /api/v1/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .0,
        405
    );

    // Escape sequences in a name are stored and shown as visible text.
    let evil = Learner::join(url, code, "\u{1b}]0;pwned\u{7}\u{1b}[2JEve");
    evil.flush(&mut Vec::new(), Duration::from_secs(5)).unwrap();
    // A learner flooding the server is told to slow down.
    let statuses: Vec<u16> = (0..200)
        .map(|i| {
            let body = format!(
                r#"{{"learner":"{}","events":[{{"seq":{},"at":"2026-01-01T00:00:00Z","kind":"position","chapter":"one"}}]}}"#,
                evil.id,
                i + 2
            );
            post(url, Some(code), body.as_bytes()).0
        })
        .collect();
    assert!(statuses.contains(&429), "{statuses:?}");
    let (_, text) = raw(
        url,
        format!("GET /api/v1/hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Class-Code: {code}\r\n\r\n").as_bytes(),
    );
    assert!(text.starts_with("HTTP/1.1 200"), "still serving: {text}");
    serve.stop();
    let out = Command::new(BIN)
        .args(["class", "summary"])
        .arg(&data)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        !report.contains('\u{1b}') && !report.contains('\u{7}'),
        "{report:?}"
    );
    assert!(report.contains("^[]0;pwned^G^[[2JEve"), "{report}");
}
