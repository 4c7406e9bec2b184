//! The live class end to end on the loopback address: the real `class serve` binary and real
//! learners (the library's queue and HTTP client, each with its own state folder). Load
//! (50 learners × 400 events), a server killed and restarted mid-way, a connection that
//! loses the server's answers, hostile requests, and the dashboard in tmux.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use docker_guide::class_live::db::ClassDb;
use docker_guide::class_live::state::ClassState;
use docker_guide::progress::export::{
    EXPORT_SCHEMA, Export, ExportChapter, ExportCourse, ExportFailure, ExportStatus, ExportStep,
};
use docker_guide::progress::live::client::{self, SendError};
use docker_guide::progress::live::protocol::{Batch, EventBody, MAX_BATCH, new_learner_id};
use docker_guide::progress::live::{LiveFiles, Membership};

mod common;

const BIN: &str = env!("CARGO_BIN_EXE_docker-guide");
const STEPS: usize = 20;

/// `class serve --no-dashboard` on 127.0.0.1; killed on drop.
struct Serve {
    child: Child,
    url: String,
    code: String,
}

impl Serve {
    fn start(data: &Path, port: u16) -> Serve {
        let mut child = Command::new(BIN)
            .args(["class", "serve", "--no-dashboard", "--bind", "127.0.0.1"])
            .arg("--port")
            .arg(port.to_string())
            .arg("--data")
            .arg(data)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start class serve");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let (mut url, mut code) = (None, None);
        while url.is_none() {
            let line = lines.next().expect("serve prints its addresses").unwrap();
            if let Some(rest) = line.split("Join code: ").nth(1) {
                code = Some(rest.trim().to_owned());
            }
            if let Some(rest) = line.strip_prefix("Addresses: ") {
                url = Some(rest.split(',').next().unwrap().trim().to_owned());
            }
        }
        // Keep reading its activity lines so the pipe never fills.
        thread::spawn(move || for _ in lines {});
        Serve {
            child,
            url: url.unwrap(),
            code: code.expect("a join code"),
        }
    }

    fn port(&self) -> u16 {
        self.url.rsplit(':').next().unwrap().parse().unwrap()
    }

    /// Peak resident memory (VmHWM) in KiB.
    fn peak_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM")
    }

    /// SIGTERM, as Ctrl-C or a service manager would: the server closes cleanly.
    fn stop(mut self) {
        unsafe_free_kill(self.child.id(), "TERM");
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "class serve did not stop");
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGKILL: a crash, nothing flushed on the way out.
    fn crash(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

fn unsafe_free_kill(pid: u32, signal: &str) {
    let ok = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "kill -{signal} {pid}");
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn step(id: usize, status: ExportStatus, attempts: u32) -> ExportStep {
    let failed = status == ExportStatus::Failed;
    ExportStep {
        id: format!("s{id}"),
        status,
        attempts,
        last_run: Some(SystemTime::now()),
        failing_since: failed.then(SystemTime::now),
        last_failure: failed.then(|| ExportFailure {
            summary: format!("exit code {attempts}"),
            explanation_id: Some("port-in-use".into()),
            at: SystemTime::now(),
        }),
        task: None,
    }
}

fn snapshot(name: &str) -> Export {
    Export {
        schema: EXPORT_SCHEMA.into(),
        learner: name.into(),
        course: ExportCourse {
            id: "load".into(),
            version: Some("1".into()),
            title: "Load".into(),
        },
        exported_at: SystemTime::now(),
        docker_guide_version: "test".into(),
        current: None,
        chapters: vec![ExportChapter {
            number: 1,
            slug: "one".into(),
            title: "One".into(),
            steps: (0..STEPS)
                .map(|i| step(i, ExportStatus::NotRun, 0))
                .collect(),
        }],
        doctor: None,
    }
}

/// A simulated learner: their own state folder, queue and numbering, as `class join` makes.
struct Learner {
    _dir: tempfile::TempDir,
    files: LiveFiles,
    id: String,
    name: String,
    /// What they sent last for each step: the state the server must end with.
    sent: Vec<Option<(ExportStatus, u32)>>,
    step_events: u64,
}

impl Learner {
    fn join(url: &str, code: &str, name: &str) -> Learner {
        let dir = tempfile::tempdir().unwrap();
        let files = LiveFiles::beside(&dir.path().join("progress.json"));
        let joined = files
            .join(Membership {
                url: url.into(),
                code: code.into(),
                name: name.into(),
                learner: new_learner_id(),
                course_id: "load".into(),
                next_seq: 1,
                joined_at: SystemTime::now(),
            })
            .unwrap();
        files
            .enqueue(vec![EventBody::Join {
                name: name.into(),
                export: Box::new(snapshot(name)),
            }])
            .unwrap();
        Learner {
            _dir: dir,
            files,
            id: joined.learner,
            name: name.into(),
            sent: vec![None; STEPS],
            step_events: 0,
        }
    }

    /// Queues the `n`th step result (a deterministic mix of passes and failures).
    fn act(&mut self, n: usize) {
        let index = (n * 7 + self.name.len()) % STEPS;
        let attempts = self.sent[index].map_or(0, |(_, a)| a) + 1;
        let status = if (n + index).is_multiple_of(3) {
            ExportStatus::Failed
        } else {
            ExportStatus::Passed
        };
        self.sent[index] = Some((status, attempts));
        self.step_events += 1;
        self.files
            .enqueue(vec![EventBody::Step {
                chapter: "one".into(),
                step: step(index, status, attempts),
            }])
            .unwrap();
    }

    /// Sends the queue as `client::flush` does (oldest first, dropped only once
    /// acknowledged), timing each HTTP request into `latencies`; throttling waits as the
    /// server asks. Gives up (leaving the queue) after `patience`.
    fn flush(&self, latencies: &mut Vec<Duration>, patience: Duration) -> Result<(), SendError> {
        let deadline = Instant::now() + patience;
        loop {
            let (joined, events) = self.files.pending(MAX_BATCH).unwrap().unwrap();
            if events.is_empty() {
                return Ok(());
            }
            let batch = Batch {
                learner: joined.learner.clone(),
                events,
            };
            let started = Instant::now();
            let result = client::send(&joined.url, &joined.code, &batch);
            latencies.push(started.elapsed());
            match result {
                Ok(ack) => self.files.ack(ack.acked).unwrap(),
                Err(SendError::Throttled(wait)) if Instant::now() < deadline => thread::sleep(wait),
                Err(SendError::Unreachable { .. }) if Instant::now() < deadline => {
                    thread::sleep(Duration::from_millis(100))
                }
                Err(err) => return Err(err),
            }
        }
    }

    fn queued(&self) -> usize {
        self.files.queued().unwrap()
    }
}

/// The class state rebuilt from the database, as the dashboard has it.
fn replay(data: &Path) -> ClassState {
    let db = ClassDb::open_read_only(data).unwrap();
    let mut state = ClassState::default();
    for stored in db.events().unwrap() {
        state
            .apply(&stored.learner, &stored.event, stored.received)
            .unwrap();
    }
    state
}

/// Every learner's state on the server is exactly what they sent: each event applied once.
fn assert_state_matches(state: &ClassState, learners: &[Learner]) {
    assert_eq!(state.learners.len(), learners.len());
    for learner in learners {
        let on_server = &state.learners[&learner.id];
        assert_eq!(on_server.name, learner.name);
        assert_eq!(
            on_server.step_events, learner.step_events,
            "{}: step events stored once each",
            learner.name
        );
        assert_eq!(on_server.events, learner.step_events + 1, "the join too");
        let steps = &on_server.export.chapters[0].steps;
        for (i, sent) in learner.sent.iter().enumerate() {
            let got = (steps[i].status, steps[i].attempts);
            assert_eq!(
                got,
                sent.unwrap_or((ExportStatus::NotRun, 0)),
                "{} s{i}",
                learner.name
            );
        }
    }
}

fn percentile(latencies: &mut [Duration], p: f64) -> Duration {
    latencies.sort();
    latencies[((latencies.len() as f64 - 1.0) * p).round() as usize]
}

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
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
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

/// A course of two steps, the second failing, for the tmux test.
fn tiny_course(dir: &Path) -> PathBuf {
    let course = dir.join("course");
    std::fs::create_dir_all(&course).unwrap();
    std::fs::write(
        course.join("course.toml"),
        "id = \"dg-test-live\"\ntitle = \"Live test\"\n",
    )
    .unwrap();
    std::fs::write(
        course.join("01-first.md"),
        "# First\n\n```sh {id=greet}\necho hello\n```\n\n```sh {id=broken}\necho 'port is already allocated' >&2; exit 125\n```\n",
    )
    .unwrap();
    course
}

#[test]
fn the_dashboard_updates_while_a_learner_runs_a_step() {
    if !common::require_program(
        "the_dashboard_updates_while_a_learner_runs_a_step",
        "tmux",
        "-V",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let course = tiny_course(dir.path());
    let data = dir.path().join("class.db");
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let tmux = common::tmux::TmuxServer::new("class-dashboard");
    let serve = format!(
        "{BIN} --lessons {} class serve --bind 127.0.0.1 --port {port} --data {}",
        course.display(),
        data.display()
    );
    let out = tmux.run(&[
        "new-session",
        "-d",
        "-x",
        "140",
        "-y",
        "30",
        "-s",
        "main",
        "env",
        "TERM=xterm-256color",
        "sh",
        "-c",
        &format!("{serve}; echo SERVE-EXITED-$?; sleep 60"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let screen = tmux.wait_for("the dashboard", 20, |s| s.contains("join code"));
    let code = screen
        .split("join code ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the code on screen")
        .to_owned();
    assert!(screen.contains("No learner yet"), "{screen}");

    let learner_env = |cmd: &mut Command| {
        cmd.env("XDG_STATE_HOME", dir.path().join("state"))
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .env("NO_COLOR", "1")
            .arg("--lessons")
            .arg(&course)
            .arg("--workspace")
            .arg(dir.path().join("ws"));
    };
    let mut join = Command::new(BIN);
    learner_env(&mut join);
    let out = join
        .args([
            "class",
            "join",
            &format!("http://127.0.0.1:{port}"),
            "--code",
            &code,
            "--name",
            "Grace",
            "--no-doctor",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    tmux.wait_for("the learner's row", 10, |s| s.contains("Grace"));

    let mut run = Command::new(BIN);
    learner_env(&mut run);
    let out = run.args(["run", "1", "--yes"]).output().unwrap();
    assert!(!out.status.success(), "the second step fails");
    let screen = tmux.wait_for("the failing step on the dashboard", 15, |s| {
        s.contains("FAILING") && s.contains("broken")
    });
    assert!(screen.contains("1/2"), "one of two steps passed: {screen}");
    assert!(screen.contains("1 stuck"), "{screen}");
    // Enter opens the learner's last failure.
    tmux.keys(&["Enter"]);
    tmux.wait_for("the failure", 5, |s| {
        s.contains("last failure (Esc closes)")
    });
    tmux.keys(&["Escape", "q"]);
    let screen = tmux.wait_for("the server to stop", 10, |s| s.contains("SERVE-EXITED-0"));
    assert!(screen.contains("Class closed"), "{screen}");
}

#[test]
fn a_learner_joins_from_the_tui_and_its_results_arrive() {
    if !common::require_program(
        "a_learner_joins_from_the_tui_and_its_results_arrive",
        "tmux",
        "-V",
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let course = tiny_course(dir.path());
    let data = dir.path().join("class.db");
    let serve = Serve::start(&data, 0);
    let tmux = common::tmux::TmuxServer::new("class-tui");
    let env = |var: &str, sub: &str| format!("{var}={}", dir.path().join(sub).display());
    let tui = format!(
        "{BIN} --lessons {} --workspace {}; echo TUI-EXITED-$?; sleep 60",
        course.display(),
        dir.path().join("ws").display()
    );
    let out = tmux.run(&[
        "new-session",
        "-d",
        "-x",
        "120",
        "-y",
        "36",
        "-s",
        "main",
        "env",
        "TERM=xterm-256color",
        &env("XDG_STATE_HOME", "state"),
        &env("XDG_DATA_HOME", "data"),
        &env("XDG_CONFIG_HOME", "config"),
        "sh",
        "-c",
        &tui,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    tmux.wait_for("the TUI", 20, |s| s.contains("First"));
    tmux.keys(&["L"]);
    tmux.wait_for("the join form", 5, |s| s.contains("Join a live class"));
    tmux.keys(&["-l", &serve.url]);
    tmux.keys(&["Tab"]);
    tmux.keys(&["-l", &serve.code]);
    tmux.keys(&["Tab"]);
    tmux.keys(&["-l", "Lin"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("the join", 15, |s| {
        s.contains("joined `Live test`") || s.contains("class: connected")
    });
    // Run the focused step (it passes); its result reaches the class.
    tmux.keys(&["Enter"]);
    tmux.wait_for("the step's output", 15, |s| s.contains("hello"));
    tmux.wait_for("the connected indicator", 15, |s| {
        s.contains("class: connected")
    });
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let out = Command::new(BIN)
            .args(["class", "summary", "--json"])
            .arg(&data)
            .output()
            .unwrap();
        let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        let passed = summary["learners"]
            .as_array()
            .and_then(|l| l.iter().find(|r| r["learner"] == "Lin"))
            .map(|r| r["passed"].clone());
        if passed == Some(serde_json::json!(1)) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the pass never arrived: {summary}"
        );
        thread::sleep(Duration::from_millis(200));
    }
    tmux.keys(&["q"]);
    tmux.wait_for("the TUI to quit", 20, |s| s.contains("TUI-EXITED-0"));
    serve.stop();
}

#[test]
fn join_status_and_leave_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let course = tiny_course(dir.path());
    let data = dir.path().join("class.db");
    let serve = Serve::start(&data, 0);
    let learner = |args: &[&str]| {
        let out = Command::new(BIN)
            .env("XDG_STATE_HOME", dir.path().join("state"))
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .env("NO_COLOR", "1")
            .arg("--lessons")
            .arg(&course)
            .args(args)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code(), text)
    };
    let (code, text) = learner(&["class", "status"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("not in a class"), "{text}");
    let (code, text) = learner(&[
        "class", "join", &serve.url, "--code", "NOPE-00", "--name", "Kim",
    ]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("refused the join code"), "{text}");
    let (code, text) = learner(&[
        "class",
        "join",
        &serve.url,
        "--code",
        &serve.code,
        "--name",
        "Kim",
    ]);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("Joined `") && text.contains("was sent"),
        "{text}"
    );
    let (code, text) = learner(&["class", "status"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("Connected"), "{text}");
    let (code, text) = learner(&["class", "leave"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("Left the class"), "{text}");
    let (code, _) = learner(&["class", "status"]);
    assert_eq!(code, Some(1));
    serve.stop();
    // The join carried the doctor's verdict; the leave arrived too.
    let state = replay(&data);
    let kim = state.learners.values().find(|l| l.name == "Kim").unwrap();
    assert!(kim.export.doctor.is_some(), "the doctor's summary was sent");
    assert!(kim.left);
}
