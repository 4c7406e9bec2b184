//! Starting a command the runner's way and reading how it ended: the shell and environment
//! of a step, a new session (process group, no controlling terminal), merged output, the
//! group's signals, the exit status.

use super::RunnerError;

/// Builds the shell command of a step with the runner's environment.
pub(crate) fn shell_command(
    shell: super::Shell,
    script: &str,
    spec_cwd: &std::path::Path,
    columns: u16,
) -> duct::Expression {
    #[cfg(unix)]
    let expr = duct::cmd(shell.program(), ["-c", script]);
    #[cfg(windows)]
    let _ = shell;
    #[cfg(windows)]
    let expr = duct::cmd(
        "powershell",
        [
            "-NoLogo",
            "-NoProfile",
            "-NonInteractive",
            "-Command",
            script,
        ],
    );
    expr.dir(spec_cwd)
        .env("BUILDKIT_PROGRESS", "plain")
        .env("DOCKER_CLI_HINTS", "false")
        .env("PAGER", "cat")
        .env("COLUMNS", columns.to_string())
}

/// A started command: its output, its process group (= the shell's pid) and the token its
/// processes carry in `DOCKER_GUIDE_RUN`.
pub(crate) struct Spawned {
    pub reader: duct::ReaderHandle,
    pub pgid: i32,
    pub token: String,
}

/// Spawns `expr` in a new session (so a new process group, and no controlling terminal: a
/// step writing to `/dev/tty` cannot draw over the TUI or retitle the terminal, everything it
/// prints goes through the sanitizer), merged output, no stdin, any exit status accepted.
pub(crate) fn spawn_reader(expr: duct::Expression, shown: &str) -> Result<Spawned, RunnerError> {
    let token = super::escaped::new_token();
    let expr = expr
        .env(super::escaped::RUN_ENV, &token)
        .stderr_to_stdout()
        .stdin_null()
        .unchecked();
    #[cfg(unix)]
    let expr = expr.before_spawn(|command| {
        use std::os::unix::process::CommandExt;
        // SAFETY: pre_exec runs between fork and exec; setsid is async-signal-safe and
        // allocates nothing. (std's `process_group` would keep the terminal: a step that reads
        // it would be stopped by SIGTTIN instead of failing.)
        unsafe {
            command.pre_exec(|| {
                nix::unistd::setsid()?;
                Ok(())
            });
        }
        Ok(())
    });
    let reader = expr.reader().map_err(|source| RunnerError::Spawn {
        command: shown.to_owned(),
        source,
    })?;
    let pgid = reader.pids().first().copied().unwrap_or(0) as i32;
    Ok(Spawned {
        reader,
        pgid,
        token,
    })
}

/// Sends `signal` to every process of the group; a group that is gone already is fine.
#[cfg(unix)]
pub(crate) fn signal_group(pgid: i32, signal: nix::sys::signal::Signal) {
    if pgid > 0 {
        let _ = nix::sys::signal::killpg(nix::unistd::Pid::from_raw(pgid), signal);
    }
}

/// How the script ended: exit code, or the signal that killed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExitStatus {
    Code(i32),
    Signal(i32),
    Unknown,
}

impl ExitStatus {
    pub(crate) fn from_std(status: &std::process::ExitStatus) -> Self {
        if let Some(code) = status.code() {
            return ExitStatus::Code(code);
        }
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            if let Some(signal) = status.signal() {
                return ExitStatus::Signal(signal);
            }
        }
        ExitStatus::Unknown
    }

    pub(crate) fn code(self) -> Option<i32> {
        match self {
            ExitStatus::Code(code) => Some(code),
            _ => None,
        }
    }
}
