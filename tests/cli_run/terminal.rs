//! `run` on a terminal (given by `script`): it asks before each step, on stderr when stdout
//! is piped, and a `confirm` step says why it asks.

use std::time::Duration;

use assert_cmd::Command;

use super::{env, fixture};

/// Runs `docker-guide --lessons COURSE --workspace WS run ARGS` under `script` (a terminal),
/// with `shell_suffix` appended to its command line and `stdin` typed; `None` (after a loud
/// skip) when `script` (util-linux) is missing.
fn run_on_a_terminal(
    test: &str,
    course: &str,
    args: &str,
    shell_suffix: &str,
    stdin: &str,
) -> Option<(super::Env, String)> {
    let script = which::which("script").ok();
    let why = "no `script` (util-linux)";
    if !crate::common::run_or_skip(test, script.is_none().then_some(why)) {
        return None;
    }
    let script = script?;
    let env = env();
    let bin = assert_cmd::cargo::cargo_bin("docker-guide");
    let line = format!(
        "'{}' --lessons '{}' --workspace '{}' run {args}{shell_suffix}",
        bin.display(),
        fixture(course).display(),
        env.workspace.display()
    );
    let out = Command::new(script)
        .args(["-qec", &line, "/dev/null"])
        .env("XDG_STATE_HOME", &env.state)
        .env("XDG_DATA_HOME", env.state.join("data"))
        .env_remove("DOCKER_GUIDE_LESSONS")
        .env_remove("DOCKER_GUIDE_WORKSPACE")
        .write_stdin(stdin)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    Some((env, String::from_utf8_lossy(&out.stdout).into_owned()))
}

/// `run | tee log` on a terminal: stdin is the terminal, stdout a pipe (the shell pipes it
/// into `cat`).
#[test]
fn piped_stdout_on_a_terminal_still_asks_on_stderr() {
    let Some((_env, text)) = run_on_a_terminal(
        "piped_stdout_on_a_terminal_still_asks_on_stderr",
        "run-pass",
        "basics",
        " | cat",
        "y\ny\ny\ny\ny\ny\n",
    ) else {
        return;
    };
    assert!(!text.contains("Pass --yes"), "{text}");
    assert!(
        text.contains("Run it? [Y]es / [s]kip / [a]ll / [q]uit"),
        "{text}"
    );
    assert!(text.contains("Summary: 6 passed"), "{text}");
}

/// On a terminal a `confirm` step asks with its own question (not the plain "Run it?");
/// skipping it leaves its file unwritten.
#[test]
fn on_a_terminal_a_confirm_step_says_why_it_asks() {
    let Some((env, text)) = run_on_a_terminal(
        "on_a_terminal_a_confirm_step_says_why_it_asks",
        "run-confirm",
        "careful",
        "",
        "s\nq\n",
    ) else {
        return;
    };
    assert!(
        text.contains("The lesson asks you to confirm this one"),
        "{text}"
    );
    assert!(text.contains("skipped by you"), "{text}");
    assert!(!env.workspace.join("pruned.txt").exists(), "{text}");
}
