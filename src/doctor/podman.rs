//! The course on Podman: which steps behave differently on Podman's Docker-compatible API, and
//! why. Read from the steps themselves (so a course opened with `--lessons` gets its own list),
//! and added to the `daemon` check of a report once the engine is known to be Podman.

use super::needs::{host_ports, is_compose_file, ports_in_compose, shell_words};
use super::report::{Report, Status};
use crate::lesson::{Course, Step, StepKind};

/// One way Podman differs from Docker Engine that a step runs into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Difference {
    /// `docker version` / `docker info`: the server part is Podman's.
    EngineInfo,
    /// `docker build`, `compose up --build`, buildx: Buildah instead of BuildKit.
    Build,
    /// `docker compose up`: the Compose plugin against Podman's socket.
    Compose,
    /// A compose `healthcheck:` or `--health-cmd`: timers from systemd.
    Healthcheck,
    /// `--restart` or `restart:`: no daemon brings containers back after a reboot.
    Restart,
    /// `--gpus`: Podman uses CDI devices.
    Gpus,
    /// Rootless Podman: a published host port below 1024.
    LowPort,
}

impl Difference {
    /// A short name for the list.
    pub fn topic(self) -> &'static str {
        match self {
            Difference::EngineInfo => "engine details",
            Difference::Build => "image builds",
            Difference::Compose => "Compose",
            Difference::Healthcheck => "health checks",
            Difference::Restart => "restart policies",
            Difference::Gpus => "GPUs",
            Difference::LowPort => "ports below 1024",
        }
    }

    /// What the learner sees instead, and why.
    pub fn why(self) -> &'static str {
        match self {
            Difference::EngineInfo => {
                "the Server part describes Podman (Podman Engine, Conmon, an OCI runtime), not \
                 Docker Engine and containerd, so versions and fields differ from the lesson's; \
                 through the podman-docker shim both print Podman's own format"
            }
            Difference::Build => {
                "Podman builds with Buildah, not BuildKit: the log reads `STEP 1/9: FROM …` \
                 instead of `#1 [internal] …`, DOCKER_BUILDKIT changes nothing and `docker \
                 buildx` is not there"
            }
            Difference::Compose => {
                "Compose talks to Podman's socket (set DOCKER_HOST to it); the podman-docker \
                 shim's `docker` has no `compose` before Podman 4.7, and services find each \
                 other by name only with Podman's DNS (netavark + aardvark-dns)"
            }
            Difference::Healthcheck => {
                "Podman runs health checks from systemd timers: without systemd (WSL, a \
                 container) a service stays `starting` and `depends_on: service_healthy` waits \
                 until Compose gives up"
            }
            Difference::Restart => {
                "there is no daemon to restart containers after a reboot unless the \
                 podman-restart service is enabled"
            }
            Difference::Gpus => {
                "Podman passes GPUs as CDI devices (`--device nvidia.com/gpu=all`) after \
                 `nvidia-ctk cdi generate`, not with the NVIDIA runtime"
            }
            Difference::LowPort => {
                "rootless Podman may not bind host ports below 1024 (publish on 8080, or lower \
                 net.ipv4.ip_unprivileged_port_start)"
            }
        }
    }
}

/// A step that runs into a difference: chapter number (from 1) and step number (from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AffectedStep {
    pub chapter: usize,
    pub step: usize,
    pub difference: Difference,
}

/// Every step of the course that behaves differently on Podman (`rootless`: the engine runs
/// rootless, which adds the low-port limit), in course order.
pub fn affected_steps(course: &Course, rootless: bool) -> Vec<AffectedStep> {
    let mut found = Vec::new();
    for (c, chapter) in course.chapters.iter().enumerate() {
        for step in &chapter.steps {
            for difference in differences_of(step, rootless) {
                found.push(AffectedStep {
                    chapter: c + 1,
                    step: step.index + 1,
                    difference,
                });
            }
        }
    }
    found
}

/// The differences one step runs into, without repeats.
fn differences_of(step: &Step, rootless: bool) -> Vec<Difference> {
    let mut found = Vec::new();
    match &step.kind {
        StepKind::Command { script } => {
            let joined = script.replace("\\\r\n", " ").replace("\\\n", " ");
            for command in joined.split(['\n', ';', '|', '&']) {
                command_differences(&shell_words(command), rootless, &mut found);
            }
        }
        StepKind::File { path } if is_compose_file(path) => {
            let yaml = &step.code;
            let keys = |key: &str| yaml.lines().any(|l| l.trim_start().starts_with(key));
            if keys("healthcheck:") {
                found.push(Difference::Healthcheck);
            }
            if keys("restart:") {
                found.push(Difference::Restart);
            }
            if rootless && ports_in_compose(yaml).iter().any(|p| *p < 1024) {
                found.push(Difference::LowPort);
            }
        }
        StepKind::File { .. } => {}
    }
    found.sort_unstable();
    found.dedup();
    found
}

fn command_differences(words: &[String], rootless: bool, found: &mut Vec<Difference>) {
    let Some(at) = words.iter().position(|w| w == "docker") else {
        return;
    };
    let rest: Vec<&str> = words[at + 1..].iter().map(String::as_str).collect();
    // Global flags come before the verb (`docker --context x build`): skip them and the
    // values of those that take one.
    let mut verb_at = 0;
    while let Some(word) = rest.get(verb_at).filter(|w| w.starts_with('-')) {
        let takes_value = matches!(
            *word,
            "-c" | "--context" | "-H" | "--host" | "--config" | "-l" | "--log-level"
        );
        verb_at += if takes_value { 2 } else { 1 };
    }
    let verb = rest.get(verb_at).copied().unwrap_or("");
    let args = rest.get(verb_at + 1..).unwrap_or_default();
    let has = |flag: &str| {
        args.iter()
            .any(|a| *a == flag || a.starts_with(&format!("{flag}=")))
    };
    match verb {
        "version" | "info" => found.push(Difference::EngineInfo),
        "build" | "buildx" => found.push(Difference::Build),
        "image" if args.first() == Some(&"build") => found.push(Difference::Build),
        "compose" if args.contains(&"up") => {
            found.push(Difference::Compose);
            if has("--build") {
                found.push(Difference::Build);
            }
        }
        "run" | "create" | "container" => {
            if has("--restart") {
                found.push(Difference::Restart);
            }
            if has("--gpus") {
                found.push(Difference::Gpus);
            }
            if has("--health-cmd") {
                found.push(Difference::Healthcheck);
            }
            if rootless && low_port_published(args) {
                found.push(Difference::LowPort);
            }
        }
        _ => {}
    }
}

fn low_port_published(args: &[&str]) -> bool {
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let spec = match *arg {
            "-p" | "--publish" => iter.next().copied(),
            a if a.starts_with("--publish=") => Some(&a["--publish=".len()..]),
            a if a.starts_with("-p") && a.len() > 2 && !a.starts_with("--") => Some(&a[2..]),
            _ => None,
        };
        if spec.is_some_and(|s| host_ports(s).iter().any(|p| *p < 1024)) {
            return true;
        }
    }
    false
}

/// The report's lines for `steps`: one per difference, naming its steps (`ch 6 steps 4, 5`).
pub fn describe(steps: &[AffectedStep]) -> Vec<String> {
    let mut differences: Vec<Difference> = steps.iter().map(|s| s.difference).collect();
    differences.sort_unstable();
    differences.dedup();
    differences
        .into_iter()
        .map(|difference| {
            let mut places: Vec<String> = Vec::new();
            let mine = steps.iter().filter(|s| s.difference == difference);
            let mut chapters: Vec<usize> = mine.clone().map(|s| s.chapter).collect();
            chapters.dedup();
            for chapter in chapters {
                let numbers: Vec<String> = mine
                    .clone()
                    .filter(|s| s.chapter == chapter)
                    .map(|s| s.step.to_string())
                    .collect();
                let noun = if numbers.len() == 1 { "step" } else { "steps" };
                places.push(format!("ch {chapter} {noun} {}", numbers.join(", ")));
            }
            format!(
                "{} ({}): {}",
                difference.topic(),
                places.join("; "),
                difference.why()
            )
        })
        .collect()
}

/// When the report's engine is Podman: the `daemon` check warns that the course was written
/// for Docker and lists the steps that behave differently, each difference with its reason.
/// Reports from any other engine are left as they are.
pub fn annotate(report: &mut Report, course: &Course) {
    PodmanNotes::for_course(course).annotate(report);
}

/// A course's Podman differences, worked out before the engine is known (the TUI runs the
/// doctor on another thread, without the course).
#[derive(Debug, Clone, Default)]
pub struct PodmanNotes {
    rootful: Vec<AffectedStep>,
    rootless: Vec<AffectedStep>,
}

impl PodmanNotes {
    pub fn for_course(course: &Course) -> Self {
        PodmanNotes {
            rootful: affected_steps(course, false),
            rootless: affected_steps(course, true),
        }
    }

    /// See [`annotate`].
    pub fn annotate(&self, report: &mut Report) {
        let Some(runtime) = report.runtime.as_ref() else {
            return;
        };
        if runtime.kind.as_deref() != Some("podman") {
            return;
        }
        let rootless = runtime
            .product
            .as_deref()
            .is_some_and(|p| p.contains("rootless"));
        let steps = if rootless {
            &self.rootless
        } else {
            &self.rootful
        };
        // Missing buildx is no problem here: Podman's API builds with Buildah whatever the CLI
        // has, so "install docker-buildx-plugin" would send the learner the wrong way.
        if let Some(buildx) = report.checks.iter_mut().find(|c| c.id == "buildx")
            && buildx.status == Status::Warn
        {
            buildx.status = Status::Pass;
            buildx.message = format!(
                "not needed: Podman builds with Buildah, not BuildKit ({})",
                buildx.message
            );
            buildx.fix = None;
        }
        let Some(daemon) = report.checks.iter_mut().find(|c| c.id == "daemon") else {
            return;
        };
        if steps.is_empty() || !matches!(daemon.status, Status::Pass | Status::Warn) {
            return;
        }
        daemon.status = Status::Warn;
        let mut places: Vec<(usize, usize)> = steps.iter().map(|s| (s.chapter, s.step)).collect();
        places.dedup();
        let count = places.len();
        let noun = if count == 1 { "step" } else { "steps" };
        daemon.message = format!(
            "{}; the course is written for Docker: {count} {noun} behave differently on Podman",
            daemon.message
        );
        daemon.details.extend(describe(steps));
    }
}

#[cfg(test)]
#[path = "podman_tests.rs"]
mod tests;
