//! What the doctor found: per-check results, the summary, and the stable JSON shape
//! (`docker-guide.doctor/v1`, documented in docs/doctor.md).

use std::time::Duration;

use serde::Serialize;

use super::probe::{CommandOutput, CommandSpec, OsFamily, Platform};

/// The JSON schema id; bump it only with an incompatible change.
pub const SCHEMA: &str = "docker-guide.doctor/v1";

/// Lines of stderr kept as evidence.
const STDERR_HEAD_LINES: usize = 6;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Pass,
    Warn,
    Fail,
    /// Not run because the named check did not pass.
    Skip {
        because: String,
    },
    /// A command did not answer within its hard timeout (e.g. a hung engine socket).
    Timeout,
}

impl Status {
    /// `pass`, `warn`, `fail`, `skip`, `timeout`: the JSON spelling.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Skip { .. } => "skip",
            Status::Timeout => "timeout",
        }
    }

    /// The one-character mark of the human output.
    pub fn symbol(&self) -> &'static str {
        match self {
            Status::Pass => "✓",
            Status::Warn => "!",
            Status::Fail => "✗",
            Status::Skip { .. } => "-",
            Status::Timeout => "?",
        }
    }

    /// Failures and timeouts break lessons; warnings do not (unless `--strict`).
    pub fn is_failure(&self) -> bool {
        matches!(self, Status::Fail | Status::Timeout)
    }

    fn severity(&self) -> u8 {
        match self {
            Status::Pass => 0,
            Status::Skip { .. } => 1,
            Status::Warn => 2,
            Status::Timeout => 3,
            Status::Fail => 4,
        }
    }

    /// The more serious of two statuses.
    pub fn worst(self, other: Status) -> Status {
        if other.severity() > self.severity() {
            other
        } else {
            self
        }
    }
}

/// One command a check ran, as proof of what it concluded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub command: String,
    /// `null` when killed on timeout or not started.
    pub exit_code: Option<i32>,
    /// The first lines of stderr (or the spawn error).
    pub stderr_head: String,
    pub timed_out: bool,
    pub duration_ms: u64,
}

impl Evidence {
    pub fn from_output(spec: &CommandSpec, out: &CommandOutput) -> Self {
        let stderr = out.spawn_error.as_deref().unwrap_or(&out.stderr);
        Evidence {
            command: spec.display(),
            exit_code: out.exit_code,
            stderr_head: head_lines(stderr, STDERR_HEAD_LINES),
            timed_out: out.timed_out,
            duration_ms: millis(out.duration),
        }
    }
}

/// The first `n` non-empty lines, trimmed.
pub fn head_lines(text: &str, n: usize) -> String {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .take(n)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Which systems a fix step is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixOs {
    All,
    Linux,
    Macos,
    Windows,
}

impl FixOs {
    pub fn applies_to(self, os: OsFamily, wsl: bool) -> bool {
        match self {
            FixOs::All => true,
            FixOs::Linux => os == OsFamily::Linux && !wsl,
            FixOs::Macos => os == OsFamily::Macos,
            // Inside WSL the engine is Docker Desktop for Windows.
            FixOs::Windows => os == OsFamily::Windows || wsl,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FixOs::All => "",
            FixOs::Linux => "Linux",
            FixOs::Macos => "macOS",
            FixOs::Windows => "Windows",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FixStep {
    pub os: FixOs,
    pub text: String,
    pub commands: Vec<String>,
}

/// How to repair a failure: a sentence, then steps per OS where they differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub text: String,
    pub steps: Vec<FixStep>,
}

impl Fix {
    pub fn new(text: impl Into<String>) -> Self {
        Fix {
            text: text.into(),
            steps: Vec::new(),
        }
    }

    /// Adds a step for `os`, with shell commands to run (may be empty).
    pub fn step(mut self, os: FixOs, text: impl Into<String>, commands: &[&str]) -> Self {
        self.steps.push(FixStep {
            os,
            text: text.into(),
            commands: commands.iter().map(|c| c.to_string()).collect(),
        });
        self
    }

    /// The steps that apply on this platform.
    pub fn steps_for(&self, platform: &Platform) -> impl Iterator<Item = &FixStep> {
        self.steps
            .iter()
            .filter(|s| s.os.applies_to(platform.os, platform.wsl))
    }
}

/// The verdict of one check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckResult {
    pub id: &'static str,
    pub title: &'static str,
    pub status: Status,
    /// One line: what was found.
    pub message: String,
    /// Further facts (shown under failures, and under passes with `-v`).
    pub details: Vec<String>,
    pub evidence: Vec<Evidence>,
    pub fix: Option<Fix>,
    /// What in the course breaks when this check does not pass.
    pub affects: &'static str,
    pub duration: Duration,
}

/// The engine the doctor talked to (present once `daemon` got an answer).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EngineIdentity {
    pub client_version: Option<String>,
    pub server_version: Option<String>,
    pub api_version: Option<String>,
    /// Engine OS/arch, Go style (`linux`, `amd64`).
    pub os: Option<String>,
    pub arch: Option<String>,
    /// `engine`, `desktop`, `colima`, `rootless`, `podman`, `orbstack`, `rancher-desktop`.
    pub kind: Option<String>,
    /// Human name, e.g. `Docker Desktop 4.37.1`.
    pub product: Option<String>,
    pub context: Option<String>,
    pub endpoint: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub pass: usize,
    pub warn: usize,
    pub fail: usize,
    pub skip: usize,
    pub timeout: usize,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub platform: Platform,
    pub runtime: Option<EngineIdentity>,
    pub checks: Vec<CheckResult>,
    /// Requested ids that name no check (e.g. a typo in a chapter's `requires`).
    pub unknown_checks: Vec<String>,
    /// Ports the `ports` check found unusable: in use, or below 1024 on a rootless engine.
    pub blocked_ports: Vec<u16>,
    pub duration: Duration,
    /// When the run finished (JSON `generated_at`, so a class's reports can be told apart).
    pub finished_at: std::time::SystemTime,
}

impl Report {
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for check in &self.checks {
            match check.status {
                Status::Pass => s.pass += 1,
                Status::Warn => s.warn += 1,
                Status::Fail => s.fail += 1,
                Status::Skip { .. } => s.skip += 1,
                Status::Timeout => s.timeout += 1,
            }
        }
        s
    }

    pub fn check(&self, id: &str) -> Option<&CheckResult> {
        self.checks.iter().find(|c| c.id == id)
    }

    /// The worst status of all checks (a skipped check counts as its cause, already reported).
    pub fn overall(&self) -> Status {
        self.checks
            .iter()
            .map(|c| match &c.status {
                Status::Skip { .. } => Status::Pass,
                other => other.clone(),
            })
            .fold(Status::Pass, Status::worst)
    }

    /// Whether the exit code should be 1 (`strict`: warnings count too).
    pub fn failed(&self, strict: bool) -> bool {
        !self.unknown_checks.is_empty()
            || self
                .checks
                .iter()
                .any(|c| c.status.is_failure() || (strict && c.status == Status::Warn))
    }

    /// One short status for a header: `Docker 28.2` / `daemon not running`, with the worst status.
    pub fn headline(&self) -> (String, Status) {
        for id in ["docker", "daemon"] {
            if let Some(check) = self.check(id)
                && !matches!(check.status, Status::Pass | Status::Warn)
            {
                let text = match (&check.status, id) {
                    (Status::Skip { because }, _) => format!("{id} skipped ({because})"),
                    (Status::Timeout, _) => "Docker engine not answering".to_string(),
                    (_, "docker") => "docker not found".to_string(),
                    _ => short_daemon_problem(&check.message),
                };
                return (text, check.status.clone());
            }
        }
        let name = self
            .runtime
            .as_ref()
            .and_then(|r| r.product.clone())
            .unwrap_or_else(|| "Docker".to_string());
        let overall = self.overall();
        let problems = self
            .checks
            .iter()
            .filter(|c| matches!(c.status, Status::Warn | Status::Fail | Status::Timeout))
            .count();
        let text = match problems {
            0 => name,
            1 => format!("{name} · 1 issue"),
            n => format!("{name} · {n} issues"),
        };
        (text, overall)
    }
}

fn short_daemon_problem(message: &str) -> String {
    let lower = message.to_ascii_lowercase();
    if lower.contains("permission") {
        "Docker socket: permission denied".to_string()
    } else if lower.contains("context") {
        "Docker context not found".to_string()
    } else if lower.contains("not running") || lower.contains("no engine answers") {
        "daemon not running".to_string()
    } else {
        "Docker engine unavailable".to_string()
    }
}

pub fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
