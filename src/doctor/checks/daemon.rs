//! Engine checks: does it answer (and which engine is it), may this user use its socket.

use std::path::{Path, PathBuf};

use super::Finding;
use crate::doctor::DoctorRequest;
use crate::doctor::checkup::{Checkup, DAEMON_TIMEOUT};
use crate::doctor::engine::{self, EngineKind};
use crate::doctor::fixes;
use crate::doctor::probe::{CommandOutput, OsFamily, PathKind};
use crate::doctor::report::{Fix, FixOs, Status};

pub fn daemon(s: &Checkup, _req: &DoctorRequest) -> Finding {
    // `docker info` (engine kind) and the context list run beside `docker version`.
    std::thread::scope(|scope| {
        scope.spawn(|| s.info());
        scope.spawn(|| s.contexts());
        s.version();
    });
    let run = s.version();
    let parsed = s.version_json().unwrap_or_default();
    let context = s.current_context();
    if let Some(server) = &parsed.server {
        let info = s.info_json();
        let runtime = engine::runtime(&parsed, info.as_ref(), context.as_ref());
        let kind = engine::engine_kind(
            server,
            info.as_ref(),
            runtime.context.as_deref().unwrap_or(""),
        );
        let mut outcome = Finding::pass(format!(
            "{} (engine {}, API {}, {}/{})",
            runtime.product.as_deref().unwrap_or("Docker"),
            server.version,
            server.api_version,
            server.os,
            crate::doctor::probe::normalize_arch(&server.arch),
        ))
        .evidence(run);
        outcome = outcome.detail(format!("engine kind: {}", kind.as_str()));
        if let Some(endpoint) = runtime.endpoint.clone().or_else(|| s.env("DOCKER_HOST")) {
            outcome = outcome.detail(format!("endpoint: {endpoint}"));
        }
        let rootless_podman =
            kind == EngineKind::Podman && info.as_ref().is_some_and(|i| i.is_rootless());
        if kind == EngineKind::Rootless || rootless_podman {
            outcome = outcome.detail("rootless: ports below 1024 cannot be published");
        }
        if let Some(pinned) = s.env("DOCKER_API_VERSION") {
            outcome = outcome.detail(format!("DOCKER_API_VERSION={pinned} pins the API version"));
        }
        return outcome;
    }
    let facts = FailureFacts {
        docker_host: s.env("DOCKER_HOST"),
        docker_context: s.env("DOCKER_CONTEXT").filter(|c| !c.is_empty()),
        endpoint: s
            .env("DOCKER_HOST")
            .or_else(|| context.as_ref().map(|c| c.docker_endpoint.clone()))
            .filter(|e| !e.is_empty())
            .or_else(|| endpoint_in(&run.out.stderr)),
        rootless_socket: rootless_socket(s),
        other_contexts: engine::parse_contexts(&s.contexts().out.stdout)
            .into_iter()
            .filter(|c| !c.current && c.error.is_empty())
            .map(|c| c.name)
            .collect(),
        user: s.probe.user().name,
    };
    let mut outcome = classify_failure(&run.out, &facts).evidence(run);
    if s.is_selected("permission") {
        outcome.details.retain(|d| !d.contains("doctor permission"));
    }
    outcome
}

/// The engine address named in an error (`… socket at unix:///var/run/docker.sock: Get …`).
fn endpoint_in(stderr: &str) -> Option<String> {
    static ENDPOINT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(unix://\S+?\.sock|(?:tcp|ssh)://[\w.@-]+(?::\d+)?|npipe://\S+?)[.:;\s]",
        )
        .expect("valid regex")
    });
    ENDPOINT.captures(stderr).map(|c| c[1].to_string())
}

/// What a failed `docker version` is judged against.
#[derive(Debug, Clone, Default)]
pub struct FailureFacts {
    pub docker_host: Option<String>,
    /// `DOCKER_CONTEXT`: while set, `docker context use` changes nothing.
    pub docker_context: Option<String>,
    pub endpoint: Option<String>,
    /// `$XDG_RUNTIME_DIR/docker.sock` when it exists.
    pub rootless_socket: Option<PathBuf>,
    /// Contexts other than the current one that resolve.
    pub other_contexts: Vec<String>,
    pub user: Option<String>,
}

/// Why the engine did not answer, from `docker version`'s stderr (texts: docker-failures.md).
pub fn classify_failure(out: &CommandOutput, facts: &FailureFacts) -> Finding {
    let at = facts
        .endpoint
        .as_deref()
        .map(|e| format!(" at {e}"))
        .unwrap_or_default();
    if out.timed_out {
        let mut outcome = Finding::new(
            Status::Timeout,
            format!(
                "the engine{at} accepted the connection but did not answer within {} s",
                DAEMON_TIMEOUT.as_secs()
            ),
        )
        .fix(fixes::restart_engine());
        if let Some(host) = &facts.docker_host {
            outcome = outcome.detail(format!(
                "DOCKER_HOST={host} is set: is that the engine you meant?"
            ));
        }
        return outcome;
    }
    if let Some(err) = &out.spawn_error {
        return Finding::fail(
            format!("could not run docker: {err}"),
            Fix::new("Check that the `docker` on PATH runs.").step(
                FixOs::All,
                "",
                &["type -a docker"],
            ),
        );
    }
    let stderr = out.stderr.to_ascii_lowercase();
    if stderr.contains("permission denied")
        && (stderr.contains("socket") || stderr.contains("docker api"))
    {
        return Finding::fail(
            format!("permission denied on the Docker socket{at}"),
            fixes::docker_group(facts.user.as_deref(), false),
        )
        .detail("run `docker-guide doctor permission` for what exactly is missing");
    }
    if stderr.contains("context not found") || stderr.contains("unable to resolve docker endpoint")
    {
        return Finding::fail(
            "the current Docker context does not exist",
            match &facts.docker_context {
                Some(name) => fixes::unset_docker_context(name, &facts.other_contexts),
                None => fixes::use_context(&facts.other_contexts),
            },
        );
    }
    if stderr.contains("is too new. maximum supported api version") {
        return Finding::fail(
            "the client asks for a newer API than the engine speaks",
            Fix::new("Unset DOCKER_API_VERSION if set; otherwise update the engine.").step(
                FixOs::All,
                "",
                &["unset DOCKER_API_VERSION"],
            ),
        );
    }
    if stderr.contains("is too old. minimum supported api version") {
        return Finding::fail(
            "the docker CLI is too old for this engine",
            Fix::new("Update the docker CLI (or unset DOCKER_API_VERSION).").step(
                FixOs::All,
                "",
                &["unset DOCKER_API_VERSION", "type -a docker"],
            ),
        );
    }
    let not_running = [
        "cannot connect to the docker daemon",
        "failed to connect to the docker api",
        "is the docker daemon running",
        "error during connect",
        "connection refused",
        "no such file or directory",
        "cannot find the file specified",
    ]
    .iter()
    .any(|needle| stderr.contains(needle));
    if not_running {
        if let Some(host) = &facts.docker_host {
            let mut fix = fixes::unset_docker_host(host);
            fix.text = format!(
                "Nothing answers at DOCKER_HOST={host}, which overrides your context. Unset it (and remove it from your shell profile), or start the engine it points to."
            );
            return Finding::fail(format!("no engine answers at DOCKER_HOST={host}"), fix);
        }
        let on_default_socket = facts
            .endpoint
            .as_deref()
            .is_none_or(|e| e == "unix:///var/run/docker.sock");
        if let Some(sock) = facts.rootless_socket.as_ref().filter(|_| on_default_socket) {
            return Finding::fail(
                format!("the engine is not running{at}"),
                fixes::rootless_context(),
            )
            .detail(format!(
                "a rootless engine socket exists at {}",
                sock.display()
            ));
        }
        let mut fix = fixes::start_engine();
        if let Some(other) = [
            "desktop-linux",
            "colima",
            "orbstack",
            "rancher-desktop",
            "rootless",
        ]
        .into_iter()
        .find(|c| facts.other_contexts.iter().any(|o| o == c))
        {
            let cmd = format!("docker context use {other}");
            fix = fix.step(
                FixOs::All,
                format!("Your engine may live in context \"{other}\": switch to it"),
                &[cmd.as_str()],
            );
        }
        return Finding::fail(format!("the Docker engine is not running{at}"), fix);
    }
    Finding::unexplained(
        "the engine did not answer",
        &out.stderr,
        "Read the error above, then try the command yourself.",
        "docker version",
    )
}

fn rootless_socket(s: &Checkup) -> Option<PathBuf> {
    let dir = s.env("XDG_RUNTIME_DIR")?;
    let path = Path::new(&dir).join("docker.sock");
    s.probe
        .path_info(&path)
        .filter(|i| i.kind == PathKind::Socket)
        .map(|_| path)
}

pub fn permission(s: &Checkup, _req: &DoctorRequest) -> Finding {
    let endpoint = s
        .env("DOCKER_HOST")
        .or_else(|| s.current_context().map(|c| c.docker_endpoint))
        .filter(|e| !e.is_empty())
        .unwrap_or_else(|| match s.platform.os {
            OsFamily::Windows => "npipe:////./pipe/docker_engine".into(),
            _ => "unix:///var/run/docker.sock".into(),
        });
    let Some(path) = endpoint.strip_prefix("unix://") else {
        return Finding::pass(format!(
            "{endpoint} is not a local socket: no file permissions apply"
        ));
    };
    let Some(info) = s.probe.path_info(Path::new(path)) else {
        return Finding::new(
            Status::Skip {
                because: "daemon".into(),
            },
            format!("no socket at {path} (the engine is not running): nothing to check"),
        );
    };
    let user = s.probe.user();
    let who = user
        .name
        .clone()
        .unwrap_or_else(|| format!("uid {}", user.uid));
    if info.kind != PathKind::Socket {
        return Finding::warn(
            format!("{path} exists but is not a socket"),
            Fix::new("A stale file is in the way: remove it and restart the engine.").step(
                FixOs::Linux,
                "",
                &[&format!("sudo rm {path}"), "sudo systemctl restart docker"],
            ),
        );
    }
    let group = group_entry(s, info.gid);
    let group_name = group
        .as_ref()
        .map(|g| g.0.clone())
        .unwrap_or_else(|| info.gid.to_string());
    if info.read_write {
        if info.mode & 0o006 == 0o006 {
            return Finding::warn(
                format!(
                    "{path} is writable by every user (mode {:o}): anyone on this machine can become root",
                    info.mode
                ),
                Fix::new("Restore the socket's mode and use the docker group instead.").step(
                    FixOs::Linux,
                    "",
                    &[
                        &format!("sudo chmod 660 {path}"),
                        "sudo usermod -aG docker $USER",
                    ],
                ),
            );
        }
        if user.uid == 0
            && let Some(sudo_user) = s.env("SUDO_USER")
        {
            return Finding::warn(
                format!(
                    "running as root through sudo: the course runs as {sudo_user}, who may lack access"
                ),
                fixes::docker_group(Some(&sudo_user), false),
            );
        }
        let how = if user.uid == 0 {
            "as root".to_string()
        } else {
            format!("via group {group_name}")
        };
        return Finding::pass(format!("{who} may use {path} ({how})"));
    }
    let in_group_file = group
        .as_ref()
        .is_some_and(|(_, members)| user.name.as_ref().is_some_and(|n| members.contains(n)));
    Finding::fail(
        format!(
            "{who} may not use {path} (owner group: {group_name}, mode {:o})",
            info.mode
        ),
        fixes::docker_group(user.name.as_deref(), in_group_file),
    )
}

/// `(name, members)` of group `gid` from /etc/group.
fn group_entry(s: &Checkup, gid: u32) -> Option<(String, Vec<String>)> {
    let text = s.probe.read_to_string(Path::new("/etc/group"))?;
    parse_group(&text, gid)
}

pub fn parse_group(text: &str, gid: u32) -> Option<(String, Vec<String>)> {
    text.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        let _password = fields.next()?;
        let id: u32 = fields.next()?.trim().parse().ok()?;
        (id == gid).then(|| {
            let members = fields
                .next()
                .unwrap_or("")
                .split(',')
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .map(str::to_string)
                .collect();
            (name.to_string(), members)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::endpoint_in;

    #[test]
    fn endpoint_from_error_text() {
        let perm = "permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get \"http://x\"";
        assert_eq!(
            endpoint_in(perm).as_deref(),
            Some("unix:///var/run/docker.sock")
        );
        let down = "Cannot connect to the Docker daemon at tcp://10.0.0.5:2375. Is the docker daemon running?";
        assert_eq!(endpoint_in(down).as_deref(), Some("tcp://10.0.0.5:2375"));
        assert_eq!(endpoint_in("no address here"), None);
    }
}
