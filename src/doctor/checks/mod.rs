//! The checks: one table row each (id, title, what it needs, what breaks without it) and
//! one function each, grouped by topic in the files below.

mod client;
mod daemon;
mod gpu;
mod host;
mod images;
mod registry;
mod resources;
mod tools;

use super::DoctorRequest;
use super::checkup::{Checkup, ProbedCommand};
use super::report::{Evidence, Fix, FixOs, Status};

/// What a check concluded; the scheduler adds id, title, affects and duration.
#[derive(Debug, Clone)]
pub struct Finding {
    pub status: Status,
    pub message: String,
    pub details: Vec<String>,
    pub evidence: Vec<Evidence>,
    pub fix: Option<Fix>,
}

impl Finding {
    pub fn new(status: Status, message: impl Into<String>) -> Self {
        Finding {
            status,
            message: message.into(),
            details: Vec::new(),
            evidence: Vec::new(),
            fix: None,
        }
    }

    pub fn pass(message: impl Into<String>) -> Self {
        Finding::new(Status::Pass, message)
    }

    pub fn warn(message: impl Into<String>, fix: Fix) -> Self {
        Finding::new(Status::Warn, message).fix(fix)
    }

    pub fn fail(message: impl Into<String>, fix: Fix) -> Self {
        Finding::new(Status::Fail, message).fix(fix)
    }

    /// Not run: `skip` came from [`Checkup::gate`].
    pub fn skipped(skip: Status) -> Self {
        let because = match &skip {
            Status::Skip { because } => because.clone(),
            _ => String::new(),
        };
        Finding::new(skip, format!("skipped: needs `{because}`"))
    }

    pub fn fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.details.push(detail.into());
        self
    }

    pub fn evidence(mut self, captured: &ProbedCommand) -> Self {
        self.evidence.push(captured.evidence());
        self
    }

    /// A failure no known pattern explains: `{what}: {first line of stderr}`, and a fix that
    /// says `advice` and shows `command` to try by hand.
    pub fn unexplained(what: &str, stderr: &str, advice: &str, command: &str) -> Self {
        let first = stderr
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no output");
        Finding::fail(
            format!("{what}: {}", first.trim()),
            Fix::new(advice).step(FixOs::All, "", &[command]),
        )
    }
}

type CheckFn = fn(&Checkup, &DoctorRequest) -> Finding;

/// A check as listed by `doctor --list`.
pub struct CheckDef {
    pub id: &'static str,
    pub title: &'static str,
    /// Checks that must pass first; when one does not, this one is skipped naming it.
    pub needs: &'static [&'static str],
    /// Run when no ids are named (`registry` needs `--deep`).
    pub default: bool,
    /// What in the course breaks when this check does not pass.
    pub affects: &'static str,
    /// Start `docker info` before waiting for `daemon`, so the two overlap.
    pub(crate) uses_info: bool,
    pub(crate) run: CheckFn,
}

/// Every check, in report order. Ids are stable (chapters name them in `requires`).
pub static CHECKS: &[CheckDef] = &[
    CheckDef {
        id: "docker",
        title: "Docker CLI",
        needs: &[],
        default: true,
        affects: "every step: no `docker` command to run",
        uses_info: false,
        run: client::docker,
    },
    CheckDef {
        id: "daemon",
        title: "Docker engine",
        needs: &["docker"],
        default: true,
        affects: "every step that runs, builds or pulls a container",
        uses_info: false,
        run: daemon::daemon,
    },
    CheckDef {
        id: "permission",
        title: "Socket permission",
        needs: &["docker"],
        default: true,
        affects: "every docker command without sudo",
        uses_info: false,
        run: daemon::permission,
    },
    CheckDef {
        id: "context",
        title: "Docker context",
        needs: &["docker"],
        default: true,
        affects: "which engine every command talks to",
        uses_info: false,
        run: client::context,
    },
    CheckDef {
        id: "compose",
        title: "Docker Compose v2",
        needs: &["docker"],
        default: true,
        affects: "the multi-container chapters (`docker compose up`)",
        uses_info: false,
        run: tools::compose,
    },
    CheckDef {
        id: "buildx",
        title: "BuildKit (buildx)",
        needs: &["docker"],
        default: true,
        affects: "`docker build` steps (cache mounts, multi-platform builds, plain progress)",
        uses_info: false,
        run: tools::buildx,
    },
    CheckDef {
        id: "disk",
        title: "Disk space",
        needs: &["docker", "daemon"],
        default: true,
        affects: "pulls and builds (`no space left on device`)",
        uses_info: true,
        run: resources::disk,
    },
    CheckDef {
        id: "memory",
        title: "Engine memory and CPUs",
        needs: &["docker", "daemon"],
        default: true,
        affects: "notebook and training steps (exit code 137, OOMKilled)",
        uses_info: true,
        run: resources::memory,
    },
    CheckDef {
        id: "arch",
        title: "Engine architecture",
        needs: &["docker", "daemon"],
        default: true,
        affects: "images without a build for this CPU (`exec format error`)",
        uses_info: true,
        run: resources::arch,
    },
    CheckDef {
        id: "ports",
        title: "Course ports",
        needs: &["docker"],
        default: true,
        affects: "steps that publish a port (`port is already allocated`)",
        uses_info: false,
        run: host::ports,
    },
    CheckDef {
        id: "registry",
        title: "Registry access (--deep)",
        needs: &["docker", "daemon"],
        default: false,
        affects: "every `docker pull` and first `docker run` of an image",
        uses_info: true,
        run: registry::registry,
    },
    CheckDef {
        id: "images",
        title: "Course images",
        needs: &["docker", "daemon"],
        default: true,
        affects: "steps that run the course's images without network access",
        uses_info: true,
        run: images::images,
    },
    CheckDef {
        id: "gpu",
        title: "NVIDIA GPU (optional)",
        needs: &["docker", "daemon"],
        default: false,
        affects: "the optional GPU chapter (`--gpus all`); skipped, not failed, without one",
        uses_info: true,
        run: gpu::gpu,
    },
];

pub fn find(id: &str) -> Option<&'static CheckDef> {
    CHECKS.iter().find(|c| c.id == id)
}
