//! Steps that reach around the sanitizer or outlive themselves, through the real binary
//! (issue 12 items 3, 5 and 6).

use std::time::{Duration, Instant};

use super::{Home, all_output};

/// Under `run` on a terminal (script(1) gives it one), a step writing escape sequences to
/// `/dev/tty` reached the terminal raw: OSC 52 (clipboard) and OSC 0 (title) got through.
#[test]
fn a_step_cannot_write_to_the_terminal_behind_the_sanitizer() {
    let home = Home::new();
    let course = home.course(&[(
        "01-a.md",
        b"# A\n\n```sh\nprintf '\\033]52;c;SGVsbG8=\\007' > /dev/tty; printf '\\033]0;PWNED\\007' > /dev/tty; echo done\n```\n",
    )]);
    let script = which::which("script").expect("script(1) (util-linux) is installed by .ci/run");
    let bin = assert_cmd::cargo::cargo_bin("docker-guide");
    let line = format!(
        "'{}' --lessons '{}' --workspace '{}' run --yes",
        bin.display(),
        course.display(),
        home.path("ws").display()
    );
    let out = std::process::Command::new(script)
        .args(["-qec", &line, "/dev/null"])
        .env("XDG_STATE_HOME", home.path("state"))
        .env("XDG_DATA_HOME", home.path("data"))
        .env_remove("DOCKER_GUIDE_LESSONS")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("done"), "{text}");
    assert!(
        !text.contains("\u{1b}]52"),
        "OSC 52 reached the terminal: {text:?}"
    );
    assert!(
        !text.contains("\u{1b}]0;PWNED"),
        "OSC 0 reached the terminal: {text:?}"
    );
}

/// `setsid sleep 1000 &` kept `run` blocked until the sleep ended (10 minutes), and
/// `sleep 1000 & echo started` with `timeout=4` was reported as timed out.
#[test]
fn run_finishes_at_the_shells_exit_and_names_what_it_stopped() {
    let home = Home::new();
    let course = home.course(&[(
        "01-a.md",
        b"# A\n\n```sh {timeout=4}\nsleep 1013 & echo started\n```\n\n```sh {timeout=20}\nsetsid sleep 1017 & sleep 0.2; echo escaped\n```\n",
    )]);
    let started = Instant::now();
    let out = home
        .bin(&course, &["run", "--yes"])
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    let took = started.elapsed();
    let text = String::from_utf8_lossy(&all_output(&out)).into_owned();
    assert!(out.status.success(), "{text}");
    assert!(took < Duration::from_secs(10), "took {took:?}: {text}");
    assert!(text.contains("2 passed"), "{text}");
    assert!(!text.contains("timed out"), "{text}");
    assert!(
        text.contains("`sleep 1013`") && text.contains("`sleep 1017`"),
        "{text}"
    );
    assert!(text.contains("left the step's process group"), "{text}");
    let ps = std::process::Command::new("ps")
        .args(["-eo", "args"])
        .output()
        .unwrap();
    let ps = String::from_utf8_lossy(&ps.stdout);
    assert!(
        !ps.lines()
            .any(|l| l.trim() == "sleep 1013" || l.trim() == "sleep 1017"),
        "left behind:\n{ps}"
    );
}
