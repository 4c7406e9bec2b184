//! Interactive steps (`docker run -it`, a shell): the command gets the real terminal. The
//! caller releases the terminal first (the TUI leaves raw mode and the alternate screen, then
//! restores them) and passes a spec whose `expect` is ignored (output is not captured).

use std::time::Instant;

use super::spawn::ExitStatus;
use super::{StepIds, StepSpec, Transcript};
use crate::outcome::{FailReason, StepOutcome};

/// Runs an interactive step with the real terminal (inherited stdin, stdout and stderr). The
/// caller must have released the terminal (left raw mode and the alternate screen).
pub fn run_interactive(spec: &StepSpec) -> StepOutcome {
    run_interactive_step(spec, &StepIds::default())
}

/// [`run_interactive`], with the step's and course's ids in the process's environment.
pub fn run_interactive_step(spec: &StepSpec, ids: &StepIds) -> StepOutcome {
    let started = Instant::now();
    let (capture, script) = super::process::script_capturing_shell(spec);
    #[cfg(unix)]
    let mut command = std::process::Command::new(spec.shell.program());
    #[cfg(unix)]
    command.arg("-c").arg(&script);
    #[cfg(windows)]
    let mut command = std::process::Command::new("powershell");
    #[cfg(windows)]
    command.args(["-NoLogo", "-NoProfile", "-Command", spec.script.as_str()]);
    command
        .current_dir(&spec.cwd)
        .env("BUILDKIT_PROGRESS", "plain")
        .env("DOCKER_CLI_HINTS", "false")
        .env("COLUMNS", spec.columns.to_string());
    for (name, value) in &spec.env {
        match value {
            Some(value) => command.env(name, value),
            None => command.env_remove(name),
        };
    }
    command.envs(ids.env());
    // Same process group as us on purpose: the step must be the terminal's foreground job.
    let status = match command.status() {
        Ok(status) => ExitStatus::from_std(&status),
        Err(err) => {
            return StepOutcome::failed(
                FailReason::Spawn(err.to_string()),
                started.elapsed(),
                None,
            );
        }
    };
    let transcript = Transcript::new(1);
    let mut outcome = super::cleanup::evaluate(
        &StepSpec {
            expect: None,
            ..spec.clone()
        },
        status,
        None,
        false,
        started,
        &transcript,
        None,
    );
    outcome.shell_end = capture.as_ref().and_then(|c| c.read(&spec.cwd));
    outcome
}
