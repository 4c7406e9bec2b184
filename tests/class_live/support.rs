//! What the live class tests share (`#[path]`-included by tests/class_live.rs and
//! tests/class_live_ui.rs): the real `class serve` binary, simulated learners built from the
//! library's queue and client, the class state replayed from the database, a tiny course.
#![allow(dead_code)] // each test crate uses its own subset

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
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

pub const BIN: &str = env!("CARGO_BIN_EXE_docker-guide");
pub const STEPS: usize = 20;

/// `class serve --no-dashboard` on 127.0.0.1; killed on drop.
pub struct Serve {
    child: Child,
    pub url: String,
    pub code: String,
}

impl Serve {
    pub fn start(data: &Path, port: u16) -> Serve {
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

    pub fn port(&self) -> u16 {
        self.url.rsplit(':').next().unwrap().parse().unwrap()
    }

    /// Peak resident memory (VmHWM) in KiB.
    pub fn peak_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM")
    }

    /// SIGTERM, as Ctrl-C or a service manager would: the server closes cleanly.
    pub fn stop(mut self) {
        send_signal(self.child.id(), "TERM");
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "class serve did not stop");
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGKILL: a crash, nothing flushed on the way out.
    pub fn crash(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

pub fn send_signal(pid: u32, signal: &str) {
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

pub fn step(id: usize, status: ExportStatus, attempts: u32) -> ExportStep {
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

pub fn snapshot(name: &str) -> Export {
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
pub struct Learner {
    _dir: tempfile::TempDir,
    pub files: LiveFiles,
    pub id: String,
    pub name: String,
    /// What they sent last for each step: the state the server must end with.
    pub sent: Vec<Option<(ExportStatus, u32)>>,
    pub step_events: u64,
}

impl Learner {
    pub fn join(url: &str, code: &str, name: &str) -> Learner {
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
    pub fn act(&mut self, n: usize) {
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
    pub fn flush(
        &self,
        latencies: &mut Vec<Duration>,
        patience: Duration,
    ) -> Result<(), SendError> {
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

    pub fn queued(&self) -> usize {
        self.files.queued().unwrap()
    }
}

/// The class state rebuilt from the database, as the dashboard has it.
pub fn replay(data: &Path) -> ClassState {
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
pub fn assert_state_matches(state: &ClassState, learners: &[Learner]) {
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

pub fn percentile(latencies: &mut [Duration], p: f64) -> Duration {
    latencies.sort();
    latencies[((latencies.len() as f64 - 1.0) * p).round() as usize]
}

/// A course of two steps, the second failing, for the tmux test.
pub fn tiny_course(dir: &Path) -> PathBuf {
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
