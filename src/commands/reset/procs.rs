//! Leftover step processes after a crash: processes still running inside the workspace that
//! carry the runner's step marker (`DOCKER_GUIDE_STEP`, see `runner::STEP_ENV`). Linux reads
//! `/proc`; elsewhere the chapter cleanups (which stop containers) are all a reset can do.

use std::path::Path;
use std::time::{Duration, Instant};

#[cfg(unix)]
use nix::sys::signal::{Signal, kill};
#[cfg(unix)]
use nix::unistd::Pid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leftover {
    pub pid: i32,
    /// The id of the step that started it (its `DOCKER_GUIDE_STEP`; empty when unknown).
    pub step: String,
    pub command: String,
}

/// Step processes whose working directory is inside `workspace` (never ourselves or our parents).
#[cfg(target_os = "linux")]
pub fn leftover_steps(workspace: &Path) -> Vec<Leftover> {
    let Ok(workspace) = workspace.canonicalize() else {
        return vec![];
    };
    let ancestors = ancestors();
    let mut found = Vec::new();
    for (pid, dir) in crate::runner::proc_processes() {
        if ancestors.contains(&pid) {
            continue;
        }
        let Ok(cwd) = std::fs::read_link(dir.join("cwd")) else {
            continue;
        };
        if !cwd.starts_with(&workspace) {
            continue;
        }
        let Ok(environ) = std::fs::read(dir.join("environ")) else {
            continue;
        };
        // Every step the runner starts carries the marker; a learner's own shell that happens
        // to sit in the workspace does not, and is never touched.
        let marker = format!("{}=", crate::runner::STEP_ENV);
        let Some(step) = environ
            .split(|&b| b == 0)
            .find_map(|var| var.strip_prefix(marker.as_bytes()))
        else {
            continue;
        };
        let step = String::from_utf8_lossy(step).into_owned();
        let cmdline = std::fs::read(dir.join("cmdline")).unwrap_or_default();
        let command = String::from_utf8_lossy(&cmdline)
            .replace('\0', " ")
            .trim()
            .to_owned();
        found.push(Leftover { pid, step, command });
    }
    found.sort_by_key(|l| l.pid);
    found
}

#[cfg(not(target_os = "linux"))]
pub fn leftover_steps(_workspace: &Path) -> Vec<Leftover> {
    Vec::new()
}

/// This process and its parents up to init.
#[cfg(target_os = "linux")]
fn ancestors() -> Vec<i32> {
    let mut chain = vec![std::process::id() as i32];
    let mut pid = chain[0];
    while pid > 1 {
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            break;
        };
        // Fields after the `(command)`, which may contain spaces: state, ppid, …
        let Some(ppid) = stat
            .rsplit(')')
            .next()
            .and_then(|rest| rest.split_whitespace().nth(1)?.parse().ok())
        else {
            break;
        };
        pid = ppid;
        chain.push(pid);
    }
    chain
}

/// SIGTERM, then SIGKILL after `grace` for what is still alive. Returns the pids that had to be killed.
#[cfg(unix)]
pub fn stop(leftovers: &[Leftover], grace: Duration) -> Vec<i32> {
    let alive = |pid: i32| {
        // No signal: only checks that the pid exists.
        let exists = kill(Pid::from_raw(pid), None).is_ok();
        exists && !is_zombie(pid)
    };
    for l in leftovers {
        // A vanished pid only makes kill fail.
        let _ = kill(Pid::from_raw(l.pid), Signal::SIGTERM);
    }
    let deadline = Instant::now() + grace;
    while Instant::now() < deadline && leftovers.iter().any(|l| alive(l.pid)) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut killed = Vec::new();
    for l in leftovers.iter().filter(|l| alive(l.pid)) {
        let _ = kill(Pid::from_raw(l.pid), Signal::SIGKILL);
        killed.push(l.pid);
    }
    killed
}

/// A zombie has exited; only its parent's `wait` is missing. (Reads `/proc`: false elsewhere.)
#[cfg(unix)]
fn is_zombie(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            stat.rsplit(')')
                .next()
                .and_then(|rest| rest.split_whitespace().next().map(|s| s == "Z"))
        })
        .unwrap_or(false)
}

#[cfg(not(unix))]
pub fn stop(_leftovers: &[Leftover], _grace: Duration) -> Vec<i32> {
    Vec::new()
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use std::process::{Command, Stdio};

    use super::*;

    #[test]
    fn finds_and_stops_a_step_left_running_but_not_an_ordinary_process() {
        let dir = tempfile::tempdir().unwrap();
        let spawn = |marked: bool| {
            let mut cmd = Command::new("sleep");
            cmd.arg("60").current_dir(dir.path()).stdout(Stdio::null());
            if marked {
                cmd.env("DOCKER_GUIDE_STEP", "serve-1")
                    .env("DOCKER_GUIDE_COURSE", "dg-test");
            } else {
                // What the old marker matched: the runner's other variables are not enough.
                cmd.env_remove("DOCKER_GUIDE_STEP")
                    .env("DOCKER_CLI_HINTS", "false")
                    .env("PAGER", "cat")
                    .env("BUILDKIT_PROGRESS", "plain");
            }
            cmd.spawn().unwrap()
        };
        let mut step = spawn(true);
        let mut shell = spawn(false);
        let found = leftover_steps(dir.path());
        assert_eq!(
            found.iter().map(|l| l.pid).collect::<Vec<_>>(),
            [step.id() as i32],
            "{found:?}"
        );
        assert!(found[0].command.starts_with("sleep 60"));
        assert_eq!(found[0].step, "serve-1");
        assert!(
            stop(&found, Duration::from_secs(2)).is_empty(),
            "sleep dies of SIGTERM"
        );
        assert!(step.wait().is_ok());
        assert!(
            shell.try_wait().unwrap().is_none(),
            "the unmarked process is left alone"
        );
        let _ = shell.kill();
        let _ = shell.wait();
    }
}
