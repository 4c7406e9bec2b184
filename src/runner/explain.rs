//! Known Docker failures: a failed step's output is matched against this table to add a short
//! cause and a fix (per OS where it differs). Regexes are compiled once, on first use.

use std::sync::LazyLock;

use regex::Regex;

pub use crate::outcome::{Explanation, Fix, Os};

struct Entry {
    pattern: &'static str,
    explanation: Explanation,
}

/// Most specific first: the first matching entry wins.
const ENTRIES: &[Entry] = &[
    Entry {
        pattern: r"permission denied while trying to connect to the (?:Docker daemon socket|docker API) at",
        explanation: Explanation {
            id: "socket-permission",
            cause: "Your user may not talk to the Docker engine: the socket belongs to the `docker` group.",
            fix: Fix {
                linux: "Run `sudo usermod -aG docker $USER`, then log out and back in (or `newgrp docker`). Never `chmod 666` the socket.",
                macos: Some(
                    "Restart Docker Desktop (or `colima restart`); check `docker context ls` points at it.",
                ),
                windows: Some(
                    "Restart Docker Desktop; make sure your user is in the `docker-users` group.",
                ),
            },
        },
    },
    Entry {
        pattern: r"Cannot connect to the Docker daemon at|failed to connect to the docker API at|error during connect:.*(?:docker_engine|dockerDesktopLinuxEngine)",
        explanation: Explanation {
            id: "daemon-not-running",
            cause: "The Docker engine is not running (or the CLI points at the wrong socket).",
            fix: Fix {
                linux: "Start it: `sudo systemctl enable --now docker`. Check `echo $DOCKER_HOST` and `docker context ls`.",
                macos: Some(
                    "Open Docker Desktop and wait until it says running (or `colima start`).",
                ),
                windows: Some("Start Docker Desktop and wait until it says running."),
            },
        },
    },
    Entry {
        pattern: r"Bind for \S+ failed: port is already allocated|address already in use|Only one usage of each socket address",
        explanation: Explanation {
            id: "port-in-use",
            cause: "The host port you publish with `-p` is already taken (another container or program).",
            fix: Fix::same(
                "Find the holder with `docker ps` and stop it (`docker rm -f NAME`), or publish another host port, e.g. `-p 5001:5000`.",
            ),
        },
    },
    Entry {
        pattern: r#"Conflict\. The container name "[^"]+" is already in use"#,
        explanation: Explanation {
            id: "container-name-in-use",
            cause: "A container with this `--name` already exists (maybe stopped, from an earlier run).",
            fix: Fix::same(
                "Remove it with `docker rm -f NAME` (see `docker ps -a`), or pick another `--name`.",
            ),
        },
    },
    Entry {
        pattern: r"(?i)no space left on device",
        explanation: Explanation {
            id: "no-space",
            cause: "The disk Docker writes to is full (images, build cache and volumes add up fast).",
            fix: Fix {
                linux: "Free space: `docker system df`, then `docker system prune` and `docker builder prune`.",
                macos: Some(
                    "`docker system prune` and `docker builder prune`; or raise the disk limit in Docker Desktop › Settings › Resources.",
                ),
                windows: Some(
                    "`docker system prune` and `docker builder prune`; or raise the disk limit in Docker Desktop › Settings › Resources.",
                ),
            },
        },
    },
    Entry {
        pattern: r"toomanyrequests|You have reached your (?:unauthenticated )?pull rate limit",
        explanation: Explanation {
            id: "rate-limit",
            cause: "Docker Hub's pull rate limit was reached (a classroom shares one IP address).",
            fix: Fix::same(
                "Log in with `docker login` (higher limit), use a registry mirror, or load images from a bundle (`docker-guide bundle load`).",
            ),
        },
    },
    Entry {
        pattern: r"pull access denied for \S+|repository does not exist or may require 'docker login'|manifest for \S+ not found|manifest unknown",
        explanation: Explanation {
            id: "image-not-found",
            cause: "The registry has no image by this name and tag (a typo, an image you have not built yet, or a private one).",
            fix: Fix::same(
                "Check the name and tag (`docker images` lists local ones); build it first, or `docker login` for a private image.",
            ),
        },
    },
    Entry {
        pattern: r"exec format error|requested image's platform \(\S+\) does not match the detected host platform|no matching manifest for \S+",
        explanation: Explanation {
            id: "platform-mismatch",
            cause: "The image was built for another CPU architecture than this machine (e.g. arm64 vs amd64).",
            fix: Fix {
                linux: "Use a multi-arch image or build for this machine: `docker build --platform linux/$(uname -m | sed 's/x86_64/amd64/;s/aarch64/arm64/') ...`.",
                macos: Some(
                    "Use a multi-arch image, or run amd64 images with `--platform linux/amd64` (enable Rosetta in Docker Desktop › Settings › General).",
                ),
                windows: Some(
                    "Switch to Linux containers (tray menu) and use a multi-arch image or `--platform linux/amd64`.",
                ),
            },
        },
    },
    Entry {
        pattern: r#"(?:COPY|ADD) failed: (?:file not found in build context|forbidden path outside the build context)|failed to (?:compute cache key|calculate checksum of ref).*"[^"]*": not found"#,
        explanation: Explanation {
            id: "build-context",
            cause: "A COPY/ADD source is not in the build context (wrong folder, typo, or excluded by .dockerignore).",
            fix: Fix::same(
                "Run `docker build` from the project folder (the last argument, usually `.`), check the file name and `.dockerignore`.",
            ),
        },
    },
    Entry {
        pattern: r"BuildKit is enabled but the buildx component is missing",
        explanation: Explanation {
            id: "buildx-missing",
            cause: "BuildKit was requested but the buildx plugin is not installed.",
            fix: Fix {
                linux: "Install the `docker-buildx-plugin` package, or unset `DOCKER_BUILDKIT=1`.",
                macos: Some(
                    "Update Docker Desktop (it ships buildx), or `brew install docker-buildx` for colima.",
                ),
                windows: Some("Update Docker Desktop (it ships buildx)."),
            },
        },
    },
    Entry {
        pattern: r"the input device is not a TTY",
        explanation: Explanation {
            id: "not-a-tty",
            cause: "`docker run -it` needs a real terminal, and this command ran without one.",
            fix: Fix::same(
                "Run it in a terminal (an interactive step), or drop `-t` (keep `-i` to pipe input).",
            ),
        },
    },
    Entry {
        pattern: r"unknown command: docker compose|'compose' is not a docker command|docker-compose: (?:command )?not found",
        explanation: Explanation {
            id: "compose-missing",
            cause: "The Compose v2 plugin (`docker compose`) is not installed.",
            fix: Fix {
                linux: "Install the `docker-compose-plugin` package (Docker's apt/dnf repository), then `docker compose version`.",
                macos: Some(
                    "Update Docker Desktop; with colima: `brew install docker-compose` and add its folder to `cliPluginsExtraDirs` in ~/.docker/config.json.",
                ),
                windows: Some("Update Docker Desktop (Compose v2 is included)."),
            },
        },
    },
    Entry {
        pattern: r"docker: unknown command: docker \S+|'[^']+' is not a docker command",
        explanation: Explanation {
            id: "unknown-command",
            cause: "This Docker CLI does not know the command (a typo, or a plugin that is not installed).",
            fix: Fix::same(
                "Check the spelling with `docker --help`; `docker info` lists the installed CLI plugins.",
            ),
        },
    },
    Entry {
        pattern: r"(?:^|\n)(?:\S*sh: (?:\d+: |line \d+: )?)?docker: (?:command )?not found|'docker' is not recognized",
        explanation: Explanation {
            id: "docker-not-installed",
            cause: "The `docker` command is not installed (or not on PATH).",
            fix: Fix {
                linux: "Install Docker Engine (https://docs.docker.com/engine/install/), then open a new terminal.",
                macos: Some(
                    "Install Docker Desktop (or `brew install colima docker`), then open a new terminal.",
                ),
                windows: Some(
                    "Install Docker Desktop, enable WSL integration for your distro, then open a new terminal.",
                ),
            },
        },
    },
    Entry {
        pattern: r"x509: certificate|tls: failed to verify certificate",
        explanation: Explanation {
            id: "tls-certificate",
            cause: "The registry's TLS certificate is not trusted (often a company proxy that inspects HTTPS).",
            fix: Fix {
                linux: "Add the company CA to the system store (or /etc/docker/certs.d/<registry>/ca.crt), then `sudo systemctl restart docker`.",
                macos: Some(
                    "Add the company CA to the Keychain (System, Always Trust), then restart Docker Desktop.",
                ),
                windows: Some(
                    "Add the company CA to Trusted Root Certification Authorities, then restart Docker Desktop.",
                ),
            },
        },
    },
    Entry {
        pattern: r#"lookup \S+(?: on \S+)?: (?:no such host|server misbehaving|i/o timeout|Temporary failure in name resolution)|proxyconnect tcp|Client\.Timeout exceeded|dial tcp \S+: i/o timeout|Get "https?://[^"]+": dial tcp"#,
        explanation: Explanation {
            id: "network",
            cause: "The Docker engine cannot reach the registry (no network, DNS failure, or a proxy it does not know).",
            fix: Fix {
                linux: "Check the connection; behind a proxy, set it for the engine (daemon.json `proxies` or a systemd drop-in) and restart docker.",
                macos: Some(
                    "Check the connection; behind a proxy, set it in Docker Desktop › Settings › Resources › Proxies.",
                ),
                windows: Some(
                    "Check the connection; behind a proxy, set it in Docker Desktop › Settings › Resources › Proxies.",
                ),
            },
        },
    },
    Entry {
        pattern: r"No such container: \S+",
        explanation: Explanation {
            id: "no-such-container",
            cause: "No container has this name or id (it was removed, or never started).",
            fix: Fix::same(
                "List containers with `docker ps -a`; start it again with the earlier `docker run` step.",
            ),
        },
    },
    Entry {
        pattern: r#"context "[^"]+": context not found"#,
        explanation: Explanation {
            id: "context-not-found",
            cause: "The current Docker context points at something that no longer exists.",
            fix: Fix::same(
                "Switch back: `docker context use default` (or `desktop-linux`, `colima`); see `docker context ls`.",
            ),
        },
    },
    Entry {
        pattern: r#"error getting credentials - err: exec: "docker-credential-[\w-]+": executable file not found"#,
        explanation: Explanation {
            id: "credential-helper",
            cause: "~/.docker/config.json names a credential helper that is not installed.",
            fix: Fix::same(
                "Remove the `credsStore` line from ~/.docker/config.json, or install that helper.",
            ),
        },
    },
    Entry {
        pattern: r"Mounts denied:\s+The path .* is not shared from the host",
        explanation: Explanation {
            id: "mount-not-shared",
            cause: "Docker Desktop may not mount this folder into containers.",
            fix: Fix::same(
                "Add the folder in Docker Desktop › Settings › Resources › File sharing, or work under your home folder.",
            ),
        },
    },
];

/// Killed with SIGKILL (exit 137), in practice most often by the out-of-memory killer.
static OUT_OF_MEMORY: Explanation = Explanation {
    id: "out-of-memory",
    cause: "The process was killed (exit code 137 = SIGKILL), usually because it ran out of memory.",
    fix: Fix {
        linux: "Give it more memory (a larger `--memory`, or free RAM); `docker inspect NAME --format '{{.State.OOMKilled}}'` confirms.",
        macos: Some(
            "Raise the memory in Docker Desktop › Settings › Resources (or `colima start --memory 8`).",
        ),
        windows: Some(
            "Raise WSL's memory in %UserProfile%\\.wslconfig (`[wsl2]` `memory=8GB`), then `wsl --shutdown`.",
        ),
    },
};

static COMPILED: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    ENTRIES
        .iter()
        .map(|entry| Regex::new(entry.pattern).expect("explanation patterns are valid"))
        .collect()
});

/// The explanation of the first known failure found in `output`.
pub fn explain(output: &str) -> Option<&'static Explanation> {
    COMPILED
        .iter()
        .zip(ENTRIES)
        .find(|(re, _)| re.is_match(output))
        .map(|(_, entry)| &entry.explanation)
}

/// Like `explain`, and also recognises a SIGKILL exit (137, or `OOMKilled` in the output).
pub fn explain_failure(output: &str, exit_code: Option<i32>) -> Option<&'static Explanation> {
    explain(output).or_else(|| {
        (exit_code == Some(137) || output.contains("\"OOMKilled\": true")).then_some(&OUT_OF_MEMORY)
    })
}

/// Every explanation the table knows (for `--help`-style listings and tests).
pub fn all() -> impl Iterator<Item = &'static Explanation> {
    ENTRIES
        .iter()
        .map(|e| &e.explanation)
        .chain(std::iter::once(&OUT_OF_MEMORY))
}

#[cfg(test)]
#[path = "explain_tests.rs"]
mod tests;
