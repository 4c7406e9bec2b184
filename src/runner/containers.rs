//! Containers a step started in the foreground: killing a `docker run` client leaves its
//! container running (SIGKILL is not forwarded; `sleep` as PID 1 ignores SIGTERM), and the
//! next run then fails with "name already in use". When a step is cancelled or times out, the
//! containers its live `docker run` clients named are stopped with the same policy as
//! processes: SIGTERM, then SIGKILL after the grace period (`docker stop --time`).

use std::time::Duration;

use super::escaped::Marked;
use crate::lesson::{SimpleCommand, docker_call, launch};

/// A container a live client runs, and the engine settings that client uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ClientContainer {
    pub name: String,
    /// `--rm`: the container is removed too (stopping one the client had only created
    /// leaves it in "Created", which `--rm` never removes).
    pub rm: bool,
    pub env: Vec<(String, String)>,
}

/// Variables that choose the engine a docker client talks to.
const ENGINE_ENV: &[&str] = &[
    "DOCKER_HOST",
    "DOCKER_CONTEXT",
    "DOCKER_CONFIG",
    "DOCKER_TLS_VERIFY",
    "DOCKER_CERT_PATH",
];

/// The named containers of the `docker run` / `docker container run` clients among `procs`.
pub(crate) fn run_by(procs: &[Marked]) -> Vec<ClientContainer> {
    let mut found: Vec<ClientContainer> = Vec::new();
    for proc in procs {
        let words = SimpleCommand {
            words: proc.argv.clone(),
            line: 0,
            column: 0,
        };
        let Some(call) = docker_call(&words).filter(|c| c.command == "run") else {
            continue;
        };
        let Some((name, rm)) = launch(&call).and_then(|l| Some((l.name?, l.rm))) else {
            continue;
        };
        if found.iter().any(|c| c.name == name) {
            continue;
        }
        let env = proc
            .env
            .iter()
            .filter(|(k, _)| ENGINE_ENV.contains(&k.as_str()))
            .cloned()
            .collect();
        found.push(ClientContainer { name, rm, env });
    }
    found
}

/// Stops each container (SIGTERM, SIGKILL after `grace`); returns one line per container
/// that was stopped, or that could not be.
pub(crate) fn stop(containers: &[ClientContainer], grace: Duration) -> Vec<String> {
    let seconds = grace.as_secs().max(1).to_string();
    containers
        .iter()
        .map(|c| {
            let env: Vec<(&str, &str)> = c
                .env
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let result = super::capture(
                "docker",
                &["stop", "--time", seconds.as_str(), c.name.as_str()],
                &env,
                grace + Duration::from_secs(15),
            );
            let name = crate::lesson::printable_line(&c.name).into_owned();
            if c.rm && result.as_ref().is_ok_and(|out| out.success()) {
                remove_and_wait(&c.name, &env);
            }
            match result {
                Ok(out) if out.success() => format!("stopped container {name}"),
                Ok(out) if out.stderr.contains("No such container") => {
                    format!("container {name} was already gone")
                }
                Ok(out) => format!(
                    "could not stop container {name}: {} (run `docker rm -f {name}`)",
                    crate::lesson::printable_line(out.stderr.trim())
                ),
                Err(err) => {
                    format!("could not stop container {name}: {err} (run `docker rm -f {name}`)")
                }
            }
        })
        .collect()
}

/// Removes a `--rm` container (the engine may be removing it already) and waits, bounded,
/// until it is gone, so that the next run does not find its name taken.
fn remove_and_wait(name: &str, env: &[(&str, &str)]) {
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        let _ = super::capture(
            "docker",
            &["rm", "--force", name],
            env,
            Duration::from_secs(15),
        );
        let gone = super::capture(
            "docker",
            &["container", "inspect", "--format", "{{.Name}}", name],
            env,
            Duration::from_secs(15),
        )
        .is_ok_and(|out| out.exit_code == Some(1) && !out.timed_out);
        if gone || std::time::Instant::now() >= deadline {
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proc(argv: &[&str]) -> Marked {
        Marked {
            pid: 1,
            pgid: 1,
            argv: argv.iter().map(|s| s.to_string()).collect(),
            env: vec![
                ("DOCKER_HOST".into(), "unix:///x.sock".into()),
                ("HOME".into(), "/root".into()),
            ],
        }
    }

    #[test]
    fn names_the_containers_of_live_run_clients() {
        let procs = [
            proc(&["sh", "-c", "docker run --rm --name a img"]),
            proc(&[
                "docker",
                "run",
                "--rm",
                "--name",
                "dg-test-a",
                "img",
                "sleep",
                "9",
            ]),
            proc(&[
                "/usr/bin/docker",
                "container",
                "run",
                "--name=dg-test-b",
                "img",
            ]),
            proc(&["docker", "run", "--rm", "img"]),
            proc(&["docker", "exec", "dg-test-a", "sh"]),
        ];
        let found = run_by(&procs);
        let names: Vec<&str> = found.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["dg-test-a", "dg-test-b"]);
        assert_eq!(
            found[0].env,
            [("DOCKER_HOST".to_string(), "unix:///x.sock".to_string())]
        );
    }
}
