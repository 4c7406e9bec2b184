//! One doctor run: the probe, the deadline, docker outputs shared between checks (each command
//! runs once however many checks read it), and the results checks wait on.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::engine::{ClientInfoJson, ContextJson, InfoJson, VersionJson, parse_contexts};
use super::probe::{CommandOutput, CommandSpec, Platform, Probe};
use super::report::{Evidence, Status};

/// Client-only commands (`docker --version`, plugins): they never touch the engine.
pub const CLI_TIMEOUT: Duration = Duration::from_secs(3);
/// Commands that talk to the engine; a hung socket is killed after this.
pub const DAEMON_TIMEOUT: Duration = Duration::from_secs(5);
/// `docker pull` for the registry check.
pub const REGISTRY_TIMEOUT: Duration = Duration::from_secs(8);
/// The whole doctor ends by then, whatever hangs.
pub const TOTAL_BUDGET: Duration = Duration::from_millis(9_500);

/// A command and what it gave.
#[derive(Debug, Clone)]
pub struct ProbedCommand {
    pub spec: CommandSpec,
    pub out: CommandOutput,
}

impl ProbedCommand {
    pub fn evidence(&self) -> Evidence {
        Evidence::from_output(&self.spec, &self.out)
    }
}

pub struct Checkup<'p> {
    pub probe: &'p dyn Probe,
    pub platform: Platform,
    selected: Vec<&'static str>,
    deadline: Instant,
    version: OnceLock<ProbedCommand>,
    info: OnceLock<ProbedCommand>,
    contexts: OnceLock<ProbedCommand>,
    client_info: OnceLock<ProbedCommand>,
    results: Mutex<HashMap<&'static str, Status>>,
    result_ready: Condvar,
    /// What the `ports` check found unusable (see [`Checkup::note_blocked_ports`]).
    blocked_ports: Mutex<Vec<u16>>,
}

impl<'p> Checkup<'p> {
    pub fn new(probe: &'p dyn Probe, budget: Duration, selected: Vec<&'static str>) -> Self {
        Checkup {
            probe,
            platform: probe.platform(),
            selected,
            deadline: Instant::now() + budget,
            version: OnceLock::new(),
            info: OnceLock::new(),
            contexts: OnceLock::new(),
            client_info: OnceLock::new(),
            results: Mutex::new(HashMap::new()),
            result_ready: Condvar::new(),
            blocked_ports: Mutex::new(Vec::new()),
        }
    }

    /// Runs a command, its timeout cut to what is left of the doctor's budget.
    pub fn run(&self, mut spec: CommandSpec) -> ProbedCommand {
        let left = self.deadline.saturating_duration_since(Instant::now());
        spec.timeout = spec.timeout.min(left);
        let out = if spec.timeout.is_zero() {
            CommandOutput::hung(Duration::ZERO)
        } else {
            self.probe.run(&spec)
        };
        ProbedCommand { spec, out }
    }

    /// `docker ARGS` with CLI hints off (they would pollute stderr evidence).
    pub fn docker(&self, args: &[&str], timeout: Duration) -> ProbedCommand {
        let mut spec = CommandSpec::new("docker", args, timeout);
        spec.env.push(("DOCKER_CLI_HINTS".into(), "false".into()));
        self.run(spec)
    }

    pub fn version(&self) -> &ProbedCommand {
        self.version
            .get_or_init(|| self.docker(&["version", "--format", "{{json .}}"], DAEMON_TIMEOUT))
    }

    pub fn info(&self) -> &ProbedCommand {
        self.info
            .get_or_init(|| self.docker(&["info", "--format", "{{json .}}"], DAEMON_TIMEOUT))
    }

    pub fn contexts(&self) -> &ProbedCommand {
        self.contexts
            .get_or_init(|| self.docker(&["context", "ls", "--format", "{{json .}}"], CLI_TIMEOUT))
    }

    /// The CLI and its plugins (compose, buildx) in one fast call.
    pub fn client_info(&self) -> &ProbedCommand {
        self.client_info
            .get_or_init(|| self.docker(&["info", "--format", "{{json .ClientInfo}}"], CLI_TIMEOUT))
    }

    pub fn version_json(&self) -> Option<VersionJson> {
        VersionJson::parse(&self.version().out.stdout)
    }

    pub fn client_info_json(&self) -> Option<ClientInfoJson> {
        let run = self.client_info();
        run.out
            .success()
            .then(|| ClientInfoJson::parse(&run.out.stdout))
            .flatten()
    }

    /// `docker info` when the engine answered it (both CLI behaviours handled).
    pub fn info_json(&self) -> Option<InfoJson> {
        InfoJson::parse(&self.info().out.stdout).filter(InfoJson::reachable)
    }

    pub fn current_context(&self) -> Option<ContextJson> {
        parse_contexts(&self.contexts().out.stdout)
            .into_iter()
            .find(|c| c.current)
    }

    pub fn env(&self, name: &str) -> Option<String> {
        self.probe.env(name)
    }

    /// Records a finished check and wakes the checks waiting on it.
    pub fn publish(&self, id: &'static str, status: Status) {
        let mut results = self.results.lock().unwrap_or_else(|e| e.into_inner());
        results.insert(id, status);
        self.result_ready.notify_all();
    }

    /// Blocks until check `id` has finished; its status.
    pub fn wait_for(&self, id: &str) -> Status {
        let mut results = self.results.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(status) = results.get(id) {
                return status.clone();
            }
            results = self
                .result_ready
                .wait(results)
                .unwrap_or_else(|e| e.into_inner());
        }
    }

    /// `Some(Skip)` when check `id` did not pass (a warning is a pass here).
    pub fn gate(&self, id: &str) -> Option<Status> {
        match self.wait_for(id) {
            Status::Pass | Status::Warn => None,
            _ => Some(Status::Skip {
                because: id.to_string(),
            }),
        }
    }

    /// The `ports` check's finding in numbers: the ports that cannot be published here (in
    /// use, or below 1024 on a rootless engine). The TUI checks the whole course's ports once
    /// and judges each chapter's `requires: [ports]` by its own ports among these, as `run`,
    /// which checks only the chapter's ports, does.
    pub fn note_blocked_ports(&self, ports: &[u16]) {
        let mut blocked = self.blocked_ports.lock().unwrap_or_else(|e| e.into_inner());
        blocked.extend_from_slice(ports);
        blocked.sort_unstable();
        blocked.dedup();
    }

    /// The ports noted by [`Checkup::note_blocked_ports`], sorted.
    pub fn blocked_ports(&self) -> Vec<u16> {
        self.blocked_ports
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Whether check `id` runs in this checkup (so waiting for it ends).
    pub fn is_selected(&self, id: &str) -> bool {
        self.selected.contains(&id)
    }
}
