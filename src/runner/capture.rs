//! One short command run to the end and captured: its own process group, stdout and stderr
//! kept apart, no stdin, and a hard timeout that stops the whole group (SIGTERM, then SIGKILL
//! after a short grace). For queries such as `docker version` or `docker image inspect`, where
//! a hung engine must never hang the caller (docker/cli#3652: a socket that accepts but never
//! answers). The doctor's probe and the bundle's docker CLI use it.

use std::ffi::OsStr;
use std::io::{self, Read};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// Output kept per stream; docker's JSON is a few KiB, this only guards against floods.
const MAX_CAPTURE: u64 = 4 * 1024 * 1024;

/// Between SIGTERM and SIGKILL on timeout. Short: a query has nothing to clean up, and a
/// caller such as the doctor has a time budget.
const CAPTURE_GRACE: Duration = Duration::from_millis(300);

/// What a finished (or stopped) command left behind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Captured {
    /// `None` when it was killed by a signal (e.g. on timeout). A program that exited in
    /// time but left a grandchild holding its output keeps its code, with `timed_out`.
    pub exit_code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub timed_out: bool,
    pub duration: Duration,
}

impl Captured {
    pub fn success(&self) -> bool {
        self.exit_code == Some(0) && !self.timed_out
    }
}

/// Runs `program args` with `env` added to the inherited environment until it exits and its
/// output ends, or until `timeout`; then its process group is stopped. Output that outlives
/// the program (a grandchild holding the pipes) counts against the same timeout. `Err` only
/// when it cannot be started (`NotFound` when the program is not on PATH).
pub fn capture<S: AsRef<OsStr>>(
    program: impl AsRef<OsStr>,
    args: &[S],
    env: &[(&str, &str)],
    timeout: Duration,
) -> io::Result<Captured> {
    let started = Instant::now();
    let mut command = Command::new(program);
    command
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Own process group: on timeout the program and whatever it started die together.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command.spawn()?;
    let pid = child.id();
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let stdout = child.stdout.take().map(|s| read_all(s, done_tx.clone()));
    let stderr = child.stderr.take().map(|s| read_all(s, done_tx.clone()));
    let (exit_tx, exit_rx) = mpsc::channel();
    let waiter = thread::spawn(move || {
        let status = child.wait();
        let _ = exit_tx.send(());
        let _ = done_tx.send(());
        status
    });
    // Done when the program has exited and both pipes have ended (3 signals).
    let deadline = started + timeout;
    let mut pending = 1 + usize::from(stdout.is_some()) + usize::from(stderr.is_some());
    let mut timed_out = false;
    let mut exited_in_time = true;
    while pending > 0 {
        match done_rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(()) => pending -= 1,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                timed_out = true;
                exited_in_time = exit_rx.try_recv().is_ok();
                stop_group(pid, &exit_rx);
                break;
            }
        }
    }
    let status = waiter.join().ok().and_then(Result::ok);
    let collect = |reader: Option<thread::JoinHandle<Vec<u8>>>| {
        reader
            .and_then(|r| r.join().ok())
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default()
    };
    Ok(Captured {
        exit_code: if !exited_in_time {
            None
        } else {
            status.and_then(|s| s.code())
        },
        stdout: collect(stdout),
        stderr: collect(stderr),
        timed_out,
        duration: started.elapsed(),
    })
}

fn read_all(
    mut stream: impl Read + Send + 'static,
    done: mpsc::Sender<()>,
) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = (&mut stream).take(MAX_CAPTURE).read_to_end(&mut buf);
        // Keep draining past the cap so a chatty child never blocks on a full pipe.
        let _ = io::copy(&mut stream, &mut io::sink());
        let _ = done.send(());
        buf
    })
}

/// SIGTERM to the group, SIGKILL if the program has not exited within the grace period; the
/// group is killed either way, so grandchildren holding the pipes go too.
#[cfg(unix)]
fn stop_group(pid: u32, exited: &mpsc::Receiver<()>) {
    let pgid = pid as i32;
    super::spawn::signal_group(pgid, nix::sys::signal::Signal::SIGTERM);
    let _ = exited.recv_timeout(CAPTURE_GRACE);
    super::spawn::signal_group(pgid, nix::sys::signal::Signal::SIGKILL);
}

#[cfg(not(unix))]
fn stop_group(pid: u32, _exited: &mpsc::Receiver<()>) {
    let _ = CAPTURE_GRACE;
    let _ = Command::new("taskkill")
        .args(["/T", "/F", "/PID", &pid.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn keeps_streams_apart_with_exit_code_and_env() {
        let out = capture(
            "sh",
            &["-c", "echo out; echo err >&2; echo $DG_X; exit 3"],
            &[("DG_X", "x1")],
            Duration::from_secs(5),
        )
        .unwrap();
        assert_eq!(out.exit_code, Some(3));
        assert_eq!(out.stdout, "out\nx1\n");
        assert_eq!(out.stderr, "err\n");
        assert!(!out.timed_out && !out.success());
    }

    #[test]
    fn timeout_stops_the_whole_group_even_a_term_ignoring_grandchild() {
        let started = Instant::now();
        let out = capture(
            "sh",
            &["-c", "trap '' TERM; sleep 30 & echo started; wait"],
            &[],
            Duration::from_millis(300),
        )
        .unwrap();
        assert!(out.timed_out);
        assert_eq!(out.exit_code, None);
        assert_eq!(out.stdout, "started\n");
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn a_grandchild_holding_the_pipe_is_bounded_by_the_timeout() {
        let started = Instant::now();
        let out = capture(
            "sh",
            &["-c", "sleep 30 & echo bye"],
            &[],
            Duration::from_millis(400),
        )
        .unwrap();
        assert_eq!(out.stdout, "bye\n");
        assert!(out.timed_out);
        assert_eq!(out.exit_code, Some(0));
        assert!(started.elapsed() < Duration::from_secs(3));
    }

    #[test]
    fn a_missing_program_is_an_error() {
        let err = capture(
            "dg-test-no-such-program",
            &[] as &[&str],
            &[],
            Duration::from_secs(1),
        )
        .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }
}
