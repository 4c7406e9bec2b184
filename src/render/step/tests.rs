use std::time::Duration;

use insta::{assert_debug_snapshot, assert_snapshot};

use ratatui::style::Modifier;

use super::*;
use crate::lesson::{SourcePos, StepAttrs};
use crate::render::lines_to_plain;

fn step(kind: StepKind, lang: &str, attrs: StepAttrs) -> Step {
    Step {
        id: "s".into(),
        index: 2,
        kind,
        lang: lang.into(),
        code: "docker version\n".into(),
        attrs,
        pos: SourcePos {
            file: "t.md".into(),
            line: 1,
            column: 1,
        },
        span: 0..10,
        task: None,
    }
}

fn command() -> Step {
    let kind = StepKind::Command {
        script: "docker version".into(),
    };
    step(kind, "sh", StepAttrs::default())
}

fn badges() -> Vec<StepBadge> {
    vec![
        StepBadge::NotRun,
        StepBadge::Running {
            elapsed: Duration::from_millis(3200),
            frame: 3,
        },
        StepBadge::Passed {
            duration: Duration::from_millis(840),
        },
        StepBadge::Failed {
            summary: "exit code 1 (expected 0)".into(),
        },
        StepBadge::Skipped {
            reason: "Docker is not running".into(),
        },
        StepBadge::Serving {
            elapsed: Duration::from_secs(75),
        },
    ]
}

const COLOR: RenderOptions = RenderOptions {
    width: 60,
    color: true,
};
const MONO: RenderOptions = RenderOptions {
    width: 60,
    color: false,
};

#[test]
fn every_badge_state_plain() {
    let lines: Vec<Line> = badges()
        .iter()
        .map(|b| step_header(&command(), b, false, &COLOR))
        .collect();
    assert_snapshot!(lines_to_plain(&lines), @r"
    ▶ Step 3 · runs: sh                                ○ not run
    ▶ Step 3 · runs: sh                           ⠸ running 3.2s
    ▶ Step 3 · runs: sh                           ✓ passed 840ms
    ▶ Step 3 · runs: sh       ✗ failed: exit code 1 (expected 0)
    ▶ Step 3 · runs: sh         – skipped: Docker is not running
    ▶ Step 3 · runs: sh                          ● serving 1m15s
    ");
    for line in &lines {
        assert_eq!(line.width(), 60);
    }
}

#[test]
fn every_badge_state_styled() {
    let lines: Vec<Line> = badges()
        .iter()
        .map(|b| step_header(&command(), b, false, &COLOR))
        .collect();
    assert_debug_snapshot!(lines);
}

#[test]
fn focused_headers_are_reversed_in_colour_and_monochrome() {
    for opts in [COLOR, MONO] {
        let line = step_header(&command(), &StepBadge::NotRun, true, &opts);
        for span in &line.spans {
            assert!(
                span.style.add_modifier.contains(Modifier::REVERSED),
                "{span:?}"
            );
        }
    }
    assert_debug_snapshot!(step_header(&command(), &StepBadge::NotRun, true, &COLOR));
}

#[test]
fn monochrome_status_shows_through_modifiers() {
    let lines: Vec<Line> = badges()
        .iter()
        .map(|b| step_header(&command(), b, false, &MONO))
        .collect();
    for span in lines.iter().flat_map(|l| &l.spans) {
        assert_eq!(span.style.fg, None);
    }
    let failed = lines[3].spans.last().map(|s| s.style).unwrap_or_default();
    assert!(
        failed
            .add_modifier
            .contains(Modifier::BOLD | Modifier::UNDERLINED)
    );
    assert_debug_snapshot!(lines);
}

#[test]
fn descriptions_say_what_running_does() {
    let file = step(
        StepKind::File {
            path: "Dockerfile".into(),
        },
        "dockerfile",
        StepAttrs::default(),
    );
    let background = step(
        StepKind::Command { script: "x".into() },
        "sh",
        StepAttrs {
            background: true,
            ready: Some(Ready::Url("http://localhost:5000/health".into())),
            ..StepAttrs::default()
        },
    );
    let picky = step(
        StepKind::Command { script: "x".into() },
        "console",
        StepAttrs {
            exit: 1,
            confirm: true,
            expect: Some("setosa|versicolor".into()),
            check: Some("docker image inspect flask-api".into()),
            ..StepAttrs::default()
        },
    );
    let interactive = step(
        StepKind::Command { script: "x".into() },
        "sh",
        StepAttrs {
            interactive: true,
            ..StepAttrs::default()
        },
    );
    let described: Vec<String> = [file, background, picky, interactive]
        .iter()
        .map(step_description)
        .collect();
    assert_eq!(
        described,
        [
            "writes Dockerfile",
            "runs in background until http://localhost:5000/health answers",
            "runs: console · asks first · expects exit 1 · expects /setosa|versicolor/ · checks `docker image inspect flask-api`",
            "interactive: sh",
        ]
    );
}

#[test]
fn narrow_headers_cut_the_description_first() {
    let opts = RenderOptions {
        width: 30,
        color: true,
    };
    let failed = StepBadge::Failed {
        summary: "exit 1".into(),
    };
    let line = step_header(&command(), &failed, false, &opts);
    assert_eq!(
        lines_to_plain(std::slice::from_ref(&line)),
        "▶ Step 3      ✗ failed: exit 1\n"
    );
    assert_eq!(line.width(), 30);
    let opts = RenderOptions { width: 36, ..opts };
    let line = step_header(&command(), &failed, false, &opts);
    assert_eq!(
        lines_to_plain(&[line]),
        "▶ Step 3 · runs:…   ✗ failed: exit 1\n"
    );
    for width in 1..40 {
        let opts = RenderOptions { width, color: true };
        for badge in badges() {
            assert!(step_header(&command(), &badge, true, &opts).width() <= usize::from(width));
        }
    }
}

#[test]
fn durations_read_naturally() {
    let d = Duration::from_millis;
    let formatted: Vec<String> = [d(5), d(1500), d(65_000), d(3_720_000)]
        .into_iter()
        .map(format_duration)
        .collect();
    assert_eq!(formatted, ["5ms", "1.5s", "1m05s", "1h02m"]);
}
