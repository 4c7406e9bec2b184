//! CLI plugins the lessons use: Compose v2 and buildx (BuildKit).

use super::Finding;
use crate::doctor::DoctorRequest;
use crate::doctor::checkup::{CLI_TIMEOUT, Checkup, ProbedCommand};
use crate::doctor::engine::{PluginJson, first_version};
use crate::doctor::report::{Fix, FixOs, Status};

fn major(version: &str) -> u32 {
    version
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0)
}

fn install_compose_plugin() -> Fix {
    Fix::new("Install the Compose v2 plugin so `docker compose` works.")
        .step(
            FixOs::Linux,
            "From Docker's apt/dnf repository (docs.docker.com/compose/install/linux)",
            &["sudo apt-get install docker-compose-plugin   # or: sudo dnf install docker-compose-plugin"],
        )
        .step(
            FixOs::Macos,
            "Docker Desktop includes it; with colima install it and add Homebrew's plugin dir to cliPluginsExtraDirs in ~/.docker/config.json",
            &["brew install docker-compose"],
        )
        .step(FixOs::Windows, "Update Docker Desktop (it ships Compose v2)", &[])
}

/// The plugin as the CLI lists it (fast: no plugin run), or `None` when not listed.
fn listed_plugin(s: &Checkup, name: &str) -> Option<(PluginJson, ProbedCommand)> {
    let info = s.client_info_json()?;
    let plugin = info.plugin(name)?.clone();
    Some((plugin, s.client_info().clone()))
}

pub fn compose(s: &Checkup, _req: &DoctorRequest) -> Finding {
    if let Some((plugin, listing)) = listed_plugin(s, "compose") {
        if let Some(err) = plugin.error() {
            return Finding::fail(
                format!("the compose plugin at {} is broken", plugin.path),
                install_compose_plugin(),
            )
            .detail(err)
            .evidence(&listing);
        }
        let version = first_version(&plugin.version).unwrap_or_else(|| "unknown".into());
        if major(&version) >= 2 {
            return Finding::pass(format!("Docker Compose {version}"))
                .detail(format!("plugin: {}", plugin.path))
                .evidence(&listing);
        }
        return Finding::warn(
            format!("`docker compose` runs Compose v1 ({version}), end of life since 2023"),
            install_compose_plugin(),
        )
        .evidence(&listing);
    }
    let run = s.docker(&["compose", "version"], CLI_TIMEOUT);
    if run.out.timed_out {
        return Finding::new(Status::Timeout, "`docker compose version` did not answer")
            .evidence(&run)
            .fix(install_compose_plugin());
    }
    if run.out.success() {
        let version = first_version(&run.out.stdout).unwrap_or_else(|| "unknown".into());
        if major(&version) >= 2 {
            return Finding::pass(format!("Docker Compose {version}")).evidence(&run);
        }
        return Finding::warn(
            format!("`docker compose` runs Compose v1 ({version}), end of life since 2023"),
            install_compose_plugin(),
        )
        .evidence(&run);
    }
    let mut outcome = match s.probe.which("docker-compose") {
        Some(path) => {
            let legacy = s.run(crate::doctor::probe::CommandSpec::new(
                "docker-compose",
                &["version", "--short"],
                CLI_TIMEOUT,
            ));
            let version = first_version(&legacy.out.stdout).unwrap_or_else(|| "unknown".into());
            let outcome = if major(&version) >= 2 {
                let link = "mkdir -p ~/.docker/cli-plugins && ln -s \"$(command -v docker-compose)\" ~/.docker/cli-plugins/docker-compose";
                Finding::warn(
                    format!(
                        "only the standalone docker-compose {version} ({}); `docker compose` is missing",
                        path.display()
                    ),
                    Fix::new("Make the standalone binary a CLI plugin, or install the plugin.")
                        .step(FixOs::Linux, "", &[link])
                        .step(FixOs::Macos, "", &[link]),
                )
            } else {
                Finding::warn(
                    format!(
                        "only the legacy docker-compose {version} (Compose v1, end of life since 2023); lessons use `docker compose`"
                    ),
                    install_compose_plugin(),
                )
            };
            outcome.evidence(&legacy)
        }
        None => Finding::fail("Docker Compose is not installed", install_compose_plugin()),
    };
    outcome.evidence.insert(0, run.evidence());
    outcome
}

pub fn buildx(s: &Checkup, _req: &DoctorRequest) -> Finding {
    let install = Fix::new(
        "Install the buildx plugin: without it `docker build` falls back to the deprecated legacy builder (no cache mounts, no multi-platform builds).",
    )
    .step(
        FixOs::Linux,
        "From Docker's apt/dnf repository",
        &["sudo apt-get install docker-buildx-plugin   # or: sudo dnf install docker-buildx-plugin"],
    )
    .step(FixOs::Macos, "Docker Desktop includes it; with colima:", &["brew install docker-buildx"])
    .step(FixOs::Windows, "Update Docker Desktop", &[]);
    let (version, run) = match listed_plugin(s, "buildx") {
        Some((plugin, listing)) => {
            if let Some(err) = plugin.error() {
                return Finding::warn(
                    format!("the buildx plugin at {} is broken", plugin.path),
                    install,
                )
                .detail(err)
                .evidence(&listing);
            }
            (first_version(&plugin.version), listing)
        }
        None => {
            let run = s.docker(&["buildx", "version"], CLI_TIMEOUT);
            if run.out.timed_out {
                return Finding::new(Status::Timeout, "`docker buildx version` did not answer")
                    .evidence(&run)
                    .fix(install);
            }
            if !run.out.success() {
                return Finding::warn(
                    "buildx is missing: `docker build` uses the legacy builder",
                    install,
                )
                .evidence(&run);
            }
            (first_version(&run.out.stdout), run)
        }
    };
    let version = version.unwrap_or_else(|| "unknown".into());
    if let Some(value) = s
        .env("DOCKER_BUILDKIT")
        .filter(|v| v == "0" || v == "false")
    {
        return Finding::warn(
            format!("buildx {version} is installed, but DOCKER_BUILDKIT={value} forces the legacy builder"),
            Fix::new("Unset DOCKER_BUILDKIT (and remove it from your shell profile).")
                .step(FixOs::All, "", &["unset DOCKER_BUILDKIT"]),
        )
        .evidence(&run);
    }
    Finding::pass(format!("buildx {version}")).evidence(&run)
}
