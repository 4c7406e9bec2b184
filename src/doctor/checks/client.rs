//! Client-side checks: the `docker` command itself and the context it talks to.

use std::path::PathBuf;

use super::Finding;
use crate::doctor::DoctorRequest;
use crate::doctor::checkup::{CLI_TIMEOUT, Checkup};
use crate::doctor::engine::{first_version, parse_contexts};
use crate::doctor::fixes;
use crate::doctor::report::{Fix, FixOs, Status};

/// Oldest CLI the lessons are written for (contexts, `--format json`, BuildKit).
const MIN_CLI_MAJOR: u32 = 20;

pub fn docker(s: &Checkup, _req: &DoctorRequest) -> Finding {
    let Some(path) = s.probe.which("docker") else {
        let podman = s.probe.which("podman").is_some();
        let mut outcome = Finding::fail(
            "`docker` is not on PATH",
            fixes::install_docker(s.platform.wsl, podman),
        );
        if let Some(path) = s.env("PATH") {
            outcome = outcome.detail(format!("PATH={path}"));
        }
        return outcome;
    };
    let shown = path.display().to_string();
    let run = s.docker(&["--version"], CLI_TIMEOUT);
    if run.out.timed_out {
        // Older CLIs (20.10) contact the engine even for `--version`: a hang means a hung engine.
        let mut fix = fixes::restart_engine();
        fix.text = format!(
            "Older docker CLIs contact the engine even for `--version`, so the engine is probably hung: restart it. {}",
            "If it persists, check what `docker` is."
        );
        return Finding::new(
            Status::Timeout,
            format!(
                "`docker --version` ({shown}) did not answer within {} s",
                CLI_TIMEOUT.as_secs()
            ),
        )
        .evidence(&run)
        .fix(fix.step(FixOs::All, "See which docker runs", &["type -a docker"]));
    }
    if !run.out.success() {
        return Finding::fail(
            format!("`docker --version` failed ({shown})"),
            Fix::new("The `docker` found on PATH does not work: reinstall it or fix PATH.").step(
                FixOs::All,
                "See which docker runs",
                &["type -a docker"],
            ),
        )
        .evidence(&run);
    }
    let text = format!("{}\n{}", run.out.stdout, run.out.stderr);
    let version = first_version(&run.out.stdout).unwrap_or_else(|| "unknown".into());
    if text.to_ascii_lowercase().contains("podman") {
        return Finding::warn(
            format!("`docker` is Podman {version} behind a Docker shim ({shown})"),
            Fix::new(
                "Most lessons work with Podman; Compose, BuildKit and rootless port publishing differ. \
                 For the course as written, install Docker.",
            )
            .step(FixOs::Linux, "Install Docker Engine (docs.docker.com/engine/install)", &[
                "curl -fsSL https://get.docker.com | sh",
            ])
            .step(FixOs::Macos, "Install Docker Desktop or colima", &["brew install colima docker"])
            .step(FixOs::Windows, "Install Docker Desktop", &["winget install Docker.DockerDesktop"]),
        )
        .evidence(&run);
    }
    let major: u32 = version
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if major < MIN_CLI_MAJOR {
        return Finding::warn(
            format!("Docker CLI {version} is old: the lessons assume {MIN_CLI_MAJOR}.10 or newer ({shown})"),
            Fix::new("Update Docker.")
                .step(FixOs::Linux, "Update Docker Engine and CLI (docs.docker.com/engine/install)", &[])
                .step(FixOs::Macos, "Docker Desktop › Check for updates", &[])
                .step(FixOs::Windows, "Docker Desktop › Check for updates", &[]),
        )
        .evidence(&run);
    }
    Finding::pass(format!("{version} at {shown}")).evidence(&run)
}

pub fn context(s: &Checkup, _req: &DoctorRequest) -> Finding {
    let run = s.contexts();
    if run.out.timed_out {
        return Finding::new(Status::Timeout, "`docker context ls` did not answer")
            .evidence(run)
            .fix(Fix::new(
                "Check the Docker config directory (~/.docker) for a broken context.",
            ));
    }
    let contexts = parse_contexts(&run.out.stdout);
    let docker_host = s.env("DOCKER_HOST");
    let Some(current) = contexts.iter().find(|c| c.current) else {
        if let Some(host) = docker_host {
            return Finding::pass(format!("DOCKER_HOST={host}")).evidence(run);
        }
        return Finding::warn(
            "could not tell which Docker context is in use",
            Fix::new("List the contexts and pick one.").step(
                FixOs::All,
                "",
                &["docker context ls", "docker context use default"],
            ),
        )
        .evidence(run);
    };
    let existing: Vec<String> = contexts
        .iter()
        .filter(|c| c.error.is_empty())
        .map(|c| c.name.clone())
        .collect();
    if !current.error.is_empty() {
        // While DOCKER_CONTEXT is set, `docker context use` changes nothing: unset it.
        let from_env = s.env("DOCKER_CONTEXT").filter(|c| !c.is_empty());
        let fix = match &from_env {
            Some(name) => fixes::unset_docker_context(name, &existing),
            None => fixes::use_context(&existing),
        };
        let mut outcome = Finding::fail(
            format!("the current context \"{}\" does not exist", current.name),
            fix,
        )
        .detail(format!("error: {}", current.error))
        .evidence(run);
        if let Some(name) = from_env {
            outcome = outcome.detail(format!("DOCKER_CONTEXT={name} selects it"));
        }
        return outcome;
    }
    let endpoint = &current.docker_endpoint;
    if let Some(host) = docker_host {
        if let Some(active) = configured_context(s).filter(|c| c != "default") {
            return Finding::warn(
                format!("DOCKER_HOST={host} overrides the active context \"{active}\""),
                fixes::unset_docker_host(&host),
            )
            .evidence(run);
        }
        return Finding::pass(format!("\"{}\" via DOCKER_HOST={host}", current.name))
            .detail("DOCKER_HOST is set in your environment; contexts are ignored while it is")
            .evidence(run);
    }
    let mut outcome = Finding::pass(format!("\"{}\" → {endpoint}", current.name)).evidence(run);
    if existing.len() > 1 {
        outcome = outcome.detail(format!("contexts: {}", existing.join(", ")));
    }
    outcome
}

/// The context chosen by `DOCKER_CONTEXT` or `currentContext` in the CLI config.
fn configured_context(s: &Checkup) -> Option<String> {
    if let Some(name) = s.env("DOCKER_CONTEXT") {
        return Some(name);
    }
    let dir = s.env("DOCKER_CONFIG").map(PathBuf::from).or_else(|| {
        s.env("HOME")
            .or_else(|| s.env("USERPROFILE"))
            .map(|h| PathBuf::from(h).join(".docker"))
    })?;
    let text = s.probe.read_to_string(&dir.join("config.json"))?;
    let config: serde_json::Value = serde_json::from_str(&text).ok()?;
    config
        .get("currentContext")
        .and_then(|v| v.as_str())
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}
