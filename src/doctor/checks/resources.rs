//! What the engine has to work with: disk where it stores images, memory and CPUs, CPU
//! architecture.

use std::path::Path;

use super::Finding;
use crate::doctor::DoctorRequest;
use crate::doctor::checkup::{Checkup, DAEMON_TIMEOUT};
use crate::doctor::engine::{self, EngineKind, InfoJson};
use crate::doctor::probe::{OsFamily, normalize_arch};
use crate::doctor::report::{Fix, FixOs, Status};
use crate::quantities::human_bytes;

const GIB: u64 = 1024 * 1024 * 1024;
/// Below this, pulling the course's images (a few GB with Python stacks) may fail.
pub const DISK_WARN_BYTES: u64 = 5 * GIB;
pub const DISK_FAIL_BYTES: u64 = GIB;
/// What a notebook container with pandas needs to be comfortable.
pub const MEMORY_WARN_BYTES: u64 = 2 * GIB;
pub const MEMORY_FAIL_BYTES: u64 = GIB;

/// `docker info` after `daemon` passed, or the outcome to report instead.
fn engine_info(s: &Checkup) -> Result<InfoJson, Box<Finding>> {
    s.info();
    if let Some(skip) = s.gate("daemon") {
        return Err(Box::new(Finding::skipped(skip)));
    }
    let run = s.info();
    if run.out.timed_out {
        return Err(Box::new(
            Finding::new(
                Status::Timeout,
                format!(
                    "`docker info` did not answer within {} s",
                    DAEMON_TIMEOUT.as_secs()
                ),
            )
            .evidence(run),
        ));
    }
    s.info_json().ok_or_else(|| {
        Box::new(
            Finding::warn(
                "`docker info` gave no engine details",
                Fix::new("Run it yourself and read the error.").step(
                    FixOs::All,
                    "",
                    &["docker info"],
                ),
            )
            .evidence(run),
        )
    })
}

fn kind(s: &Checkup, info: &InfoJson) -> EngineKind {
    let context = s.current_context().map(|c| c.name).unwrap_or_default();
    s.version_json()
        .and_then(|v| v.server)
        .map(|server| engine::engine_kind(&server, Some(info), &context))
        .unwrap_or(EngineKind::Engine)
}

fn prune_fix() -> Fix {
    Fix::new("Free space: remove unused images, containers and build cache.")
        .step(
            FixOs::All,
            "See what uses space, then prune",
            &[
                "docker system df",
                "docker system prune",
                "docker builder prune",
            ],
        )
        .step(
            FixOs::Macos,
            "Or raise Docker Desktop › Settings › Resources › Disk usage limit",
            &[],
        )
        .step(
            FixOs::Windows,
            "Or raise Docker Desktop › Settings › Resources › Disk usage limit",
            &[],
        )
}

pub fn disk(s: &Checkup, _req: &DoctorRequest) -> Finding {
    let info = match engine_info(s) {
        Ok(info) => info,
        Err(outcome) => return *outcome,
    };
    let root = info.docker_root_dir.clone();
    let local = s.platform.os == OsFamily::Linux
        && !kind(s, &info).in_vm()
        && s.env("DOCKER_HOST")
            .or_else(|| s.current_context().map(|c| c.docker_endpoint))
            .is_none_or(|endpoint| endpoint.is_empty() || endpoint.starts_with("unix://"));
    let space = local
        .then(|| {
            Path::new(&root)
                .ancestors()
                .find_map(|dir| s.probe.disk_space(dir))
        })
        .flatten();
    let Some(space) = space else {
        // The data lives in a VM or on another machine: report what Docker itself uses.
        let df = s.docker(&["system", "df", "--format", "{{json .}}"], DAEMON_TIMEOUT);
        let mut outcome = Finding::pass(format!(
            "free space unknown ({root} is inside the engine's VM or on another host)"
        ))
        .evidence(&df);
        for line in df.out.stdout.lines() {
            if let Ok(row) = serde_json::from_str::<serde_json::Value>(line) {
                let field = |k: &str| {
                    row.get(k)
                        .and_then(|v| v.as_str())
                        .unwrap_or("?")
                        .to_string()
                };
                outcome = outcome.detail(format!(
                    "{}: {} ({} reclaimable)",
                    field("Type"),
                    field("Size"),
                    field("Reclaimable")
                ));
            }
        }
        return outcome;
    };
    let summary = format!(
        "{} free of {} at {root}",
        human_bytes(space.available),
        human_bytes(space.total)
    );
    if space.available < DISK_FAIL_BYTES {
        Finding::fail(summary, prune_fix())
    } else if space.available < DISK_WARN_BYTES {
        Finding::warn(
            format!("{summary}: under {}", human_bytes(DISK_WARN_BYTES)),
            prune_fix(),
        )
    } else {
        Finding::pass(summary)
    }
}

pub fn memory(s: &Checkup, _req: &DoctorRequest) -> Finding {
    let info = match engine_info(s) {
        Ok(info) => info,
        Err(outcome) => return *outcome,
    };
    let summary = format!(
        "{} memory, {} CPU{} for containers",
        human_bytes(info.mem_total),
        info.ncpu,
        if info.ncpu == 1 { "" } else { "s" }
    );
    let fix = Fix::new("Give the engine more memory and CPUs.")
        .step(FixOs::Macos, "Docker Desktop › Settings › Resources (or restart colima bigger)", &[
            "colima stop && colima start --memory 4 --cpu 2",
        ])
        .step(
            FixOs::Windows,
            "Set memory=4GB and processors=2 under [wsl2] in %UserProfile%\\.wslconfig, then restart WSL",
            &["wsl --shutdown"],
        )
        .step(FixOs::Linux, "The engine uses the machine's memory: close other programs or use a bigger machine", &[]);
    if info.mem_total < MEMORY_FAIL_BYTES {
        Finding::fail(
            format!("{summary}: under {}", human_bytes(MEMORY_FAIL_BYTES)),
            fix,
        )
    } else if info.mem_total < MEMORY_WARN_BYTES {
        Finding::warn(
            format!("{summary}: under {}", human_bytes(MEMORY_WARN_BYTES)),
            fix,
        )
    } else if info.ncpu < 2 {
        Finding::warn(format!("{summary}: builds and notebooks will be slow"), fix)
    } else {
        Finding::pass(summary)
    }
}

pub fn arch(s: &Checkup, _req: &DoctorRequest) -> Finding {
    let info = match engine_info(s) {
        Ok(info) => info,
        Err(outcome) => return *outcome,
    };
    if info.os_type.eq_ignore_ascii_case("windows") {
        return Finding::fail(
            "the engine runs Windows containers: the course's images are Linux images",
            Fix::new("Switch Docker Desktop to Linux containers.").step(
                FixOs::Windows,
                "Tray icon › Switch to Linux containers…",
                &["& $Env:ProgramFiles\\Docker\\Docker\\DockerCli.exe -SwitchLinuxEngine"],
            ),
        );
    }
    let engine_arch = info.arch();
    let host_arch = &s.platform.arch;
    let client_arch = s
        .version_json()
        .and_then(|v| v.client)
        .map(|c| normalize_arch(&c.arch))
        .filter(|a| !a.is_empty());
    let summary = format!(
        "{}/{engine_arch} engine ({} reported by docker info)",
        info.os_type, info.architecture
    );
    let emulation =
        Fix::new("Use an engine that matches your CPU: emulated containers are many times slower.")
            .step(
                FixOs::Macos,
                "On Apple silicon: Docker Desktop, or colima without --arch x86_64",
                &["colima delete && colima start"],
            );
    if engine_arch != *host_arch && host_arch == "arm64" && engine_arch == "amd64" {
        return Finding::warn(
            format!("{summary} on an {host_arch} host: every container is emulated"),
            emulation,
        );
    }
    if let Some(client) = client_arch.filter(|c| c != host_arch) {
        return Finding::warn(
            format!("{summary}; the docker CLI is an {client} build on an {host_arch} host"),
            Fix::new("Install the docker CLI built for your CPU (an emulated CLI is slow and may pick the wrong platform).")
                .step(FixOs::Macos, "Reinstall Docker Desktop for Apple silicon, or `brew reinstall docker` from arm64 Homebrew", &[]),
        );
    }
    if engine_arch != "amd64" && engine_arch != "arm64" {
        return Finding::warn(
            format!("{summary}: many images have no {engine_arch} build"),
            Fix::new(
                "Expect `exec format error` or `no matching manifest`; use an amd64 or arm64 machine for the course.",
            ),
        );
    }
    let mut outcome = Finding::pass(summary);
    if engine_arch == "arm64" {
        outcome = outcome.detail(
            "amd64-only images run under emulation (slow) or fail with `exec format error`; `docker-guide doctor images` lists the course images' platforms",
        );
    }
    outcome
}
