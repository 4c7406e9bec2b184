//! Fixes shared by several checks, per OS where they differ (see docs/doctor.md).

use super::report::{Fix, FixOs};

pub fn install_docker(wsl: bool, podman_found: bool) -> Fix {
    let mut fix = if wsl {
        Fix::new("Docker is not available in this WSL distro.").step(
            FixOs::Windows,
            "Docker Desktop › Settings › Resources › WSL Integration: enable this distro, then open a new terminal",
            &[],
        )
    } else {
        Fix::new("Install Docker, then open a new terminal so PATH is re-read.")
            .step(
                FixOs::Linux,
                "Install Docker Engine from your distribution or Docker's repository (docs.docker.com/engine/install)",
                &["curl -fsSL https://get.docker.com | sh", "sudo systemctl enable --now docker"],
            )
            .step(
                FixOs::Macos,
                "Install Docker Desktop (docs.docker.com/desktop), or colima",
                &["brew install --cask docker", "brew install colima docker && colima start"],
            )
            .step(
                FixOs::Windows,
                "Install Docker Desktop with the WSL 2 backend (docs.docker.com/desktop)",
                &["winget install Docker.DockerDesktop"],
            )
    };
    if podman_found {
        fix = fix.step(
            FixOs::All,
            "Podman is installed: its Docker shim provides a `docker` command (some lessons differ)",
            &["sudo apt install podman-docker   # or: alias docker=podman"],
        );
    }
    fix
}

pub fn start_engine() -> Fix {
    Fix::new("Start the Docker engine, wait until it is up, then run `docker-guide doctor` again.")
        .step(
            FixOs::Linux,
            "Start the service (and enable it at boot)",
            &["sudo systemctl enable --now docker"],
        )
        .step(
            FixOs::Macos,
            "Open Docker Desktop and wait for \"Engine running\" (or start colima)",
            &["open -a Docker", "colima start"],
        )
        .step(
            FixOs::Windows,
            "Start Docker Desktop from the Start menu and wait for \"Engine running\"",
            &[],
        )
}

pub fn restart_engine() -> Fix {
    Fix::new("The engine accepted the connection but never answered: restart it.")
        .step(
            FixOs::Linux,
            "Restart the service and look at its log",
            &[
                "sudo systemctl restart docker",
                "journalctl -u docker --since '10 min ago'",
            ],
        )
        .step(
            FixOs::Macos,
            "Docker Desktop: whale menu › Restart (or restart colima)",
            &["colima restart"],
        )
        .step(
            FixOs::Windows,
            "Docker Desktop: tray icon › Restart; if it stays stuck, shut WSL down first",
            &["wsl --shutdown"],
        )
}

pub fn docker_group(user: Option<&str>, in_group_file: bool) -> Fix {
    let who = user.unwrap_or("$USER");
    let text = if in_group_file {
        format!(
            "{who} is in the `docker` group, but this login session started before that: log out and in (or start a shell with the group)."
        )
    } else {
        format!(
            "Add {who} to the `docker` group, then log out and in. (Never `chmod 666` the socket: that hands root to every local user.)"
        )
    };
    let usermod = format!("sudo usermod -aG docker {who}");
    let mut fix = Fix::new(text);
    if in_group_file {
        fix = fix.step(
            FixOs::Linux,
            "Use the group in this shell right away",
            &["newgrp docker"],
        );
    } else {
        fix = fix.step(
            FixOs::Linux,
            "Grant access (the docker group is root-equivalent; rootless Docker avoids that)",
            &[usermod.as_str(), "newgrp docker"],
        );
    }
    fix.step(
        FixOs::Macos,
        "Docker Desktop owns its socket: restart Docker Desktop; do not run docker with sudo",
        &[],
    )
}

pub fn unset_docker_host(value: &str) -> Fix {
    Fix::new(format!(
        "DOCKER_HOST={value} overrides your Docker context. Unset it (and remove it from your shell profile) unless you meant it."
    ))
    .step(FixOs::All, "bash, zsh", &["unset DOCKER_HOST"])
    .step(FixOs::Windows, "PowerShell", &["Remove-Item Env:DOCKER_HOST"])
}

/// `DOCKER_CONTEXT=value` names a context that does not exist; `docker context use` would
/// change nothing while the variable is set, so the fix is to unset it.
pub fn unset_docker_context(value: &str, existing: &[String]) -> Fix {
    let mut text = format!(
        "DOCKER_CONTEXT={value} selects a context that does not exist, and overrides `docker context use` while it is set. Unset it (and remove it from your shell profile)"
    );
    if !existing.is_empty() {
        text.push_str(&format!(
            ", or set it to a context that exists ({})",
            existing.join(", ")
        ));
    }
    text.push('.');
    Fix::new(text)
        .step(FixOs::All, "bash, zsh", &["unset DOCKER_CONTEXT"])
        .step(
            FixOs::Windows,
            "PowerShell",
            &["Remove-Item Env:DOCKER_CONTEXT"],
        )
}

pub fn use_context(existing: &[String]) -> Fix {
    let target = ["desktop-linux", "colima", "rootless", "default"]
        .into_iter()
        .find(|c| existing.iter().any(|e| e == c))
        .unwrap_or("default");
    let cmd = format!("docker context use {target}");
    let mut fix = Fix::new("Switch to a context that exists.").step(
        FixOs::All,
        "",
        &["docker context ls", cmd.as_str()],
    );
    if !existing.is_empty() {
        fix.text = format!(
            "Switch to a context that exists (existing: {}).",
            existing.join(", ")
        );
    }
    fix
}

pub fn rootless_context() -> Fix {
    Fix::new("A rootless engine socket exists for your user: point docker at it and start it.")
        .step(
            FixOs::Linux,
            "Use the rootless engine",
            &[
                "systemctl --user start docker",
                "docker context use rootless",
            ],
        )
}
