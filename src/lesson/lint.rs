//! Course-wide checks on top of the parse diagnostics: duplicate ids, unknown `requires`,
//! containers a chapter starts but never cleans up, background containers without a name,
//! images missing from `course.toml`.

use std::collections::HashMap;

use super::docker::{DockerCall, docker_call, launch, positionals};
use super::front::error;
use super::images::{images_used, normalize_image};
use super::model::{Chapter, Course, CourseSource, Diagnostic, Severity, SourcePos};
use super::script::step_docker_calls;
use super::shell::simple_commands;

/// All problems of a course (parse diagnostics included), sorted by file order and position.
/// `known_checks` are the doctor check ids a chapter may `require`.
pub fn lint(course: &Course, known_checks: &[&str]) -> Vec<Diagnostic> {
    let mut out = course.diagnostics.clone();
    let mut ids: HashMap<&str, &SourcePos> = HashMap::new();
    let mut slugs: HashMap<&str, &str> = HashMap::new();
    for chapter in &course.chapters {
        if let Some(first) = slugs.insert(&chapter.slug, &chapter.display_path) {
            let msg = format!(
                "chapter slug `{}` is also the slug of {first}: `show {}` is ambiguous",
                chapter.slug, chapter.slug
            );
            out.push(warning(
                &SourcePos {
                    file: chapter.display_path.clone(),
                    line: 1,
                    column: 1,
                },
                msg,
            ));
        }
        let solution_steps = chapter
            .steps
            .iter()
            .filter_map(|s| s.task.as_ref())
            .flat_map(|t| &t.solution);
        for step in chapter.steps.iter().chain(solution_steps) {
            if let Some(first) = ids.insert(&step.id, &step.pos) {
                let msg = format!("duplicate step id `{}` (first used at {first})", step.id);
                out.push(error(&step.pos.file, step.pos.line, step.pos.column, &msg));
            }
        }
        for check in &chapter.front.requires {
            if !known_checks.contains(&check.as_str()) {
                let hint = super::attrs::suggest(check, known_checks);
                let msg = format!(
                    "front matter `requires` names unknown check `{check}`{hint} (known: {})",
                    known_checks.join(", ")
                );
                out.push(error(&chapter.display_path, 1, 1, &msg));
            }
        }
        lint_containers(chapter, &mut out);
    }
    lint_minutes(course, &mut out);
    if !matches!(course.source, CourseSource::File(_)) {
        let listed: Vec<String> = course.images.iter().map(|i| normalize_image(i)).collect();
        for (image, pos) in images_used(course) {
            if !listed.contains(&normalize_image(&image)) {
                let msg = format!(
                    "image `{image}` is not listed in course.toml `images` (offline bundles would miss it)"
                );
                out.push(warning(&pos, msg));
            }
        }
    }
    super::clean::clean_diagnostics(&mut out);
    sort(course, &mut out);
    out.dedup();
    out
}

/// Once a course estimates the time of one chapter (`minutes`), `list` adds the estimates up:
/// a chapter without one would make the total wrong, so it is a warning. A course that
/// estimates none (any folder of markdown) is fine.
fn lint_minutes(course: &Course, out: &mut Vec<Diagnostic>) {
    if course.chapters.iter().all(|c| c.front.minutes.is_none()) {
        return;
    }
    for chapter in course.chapters.iter().filter(|c| c.front.minutes.is_none()) {
        let pos = SourcePos {
            file: chapter.display_path.clone(),
            line: 1,
            column: 1,
        };
        let msg = "chapter has no `minutes` estimate while other chapters have one: add e.g. `minutes = 15` to its front matter (`list` shows the time of each chapter and the total)".to_string();
        out.push(warning(&pos, msg));
    }
}

fn warning(pos: &SourcePos, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Warning,
        pos: pos.clone(),
        message,
    }
}

/// What a chapter's cleanup commands stop or remove.
#[derive(Default)]
struct Cleanup {
    containers: Vec<String>,
    networks: Vec<String>,
    volumes: Vec<String>,
    compose_down: bool,
}

fn cleanup_of(chapter: &Chapter) -> Cleanup {
    let mut out = Cleanup::default();
    for command in &chapter.front.cleanup {
        for cmd in simple_commands(command) {
            let Some(call) = docker_call(&cmd) else {
                continue;
            };
            let names = positionals(&call).into_iter().map(str::to_string);
            match call.command.as_str() {
                "rm" | "stop" | "kill" => out.containers.extend(names),
                "network rm" => out.networks.extend(names),
                "volume rm" => out.volumes.extend(names),
                "compose down" | "compose rm" => out.compose_down = true,
                _ => {}
            }
        }
    }
    out
}

/// Warnings for what a chapter starts and its `cleanup` leaves behind.
fn lint_containers(chapter: &Chapter, out: &mut Vec<Diagnostic>) {
    let cleanup = cleanup_of(chapter);
    for step in &chapter.steps {
        let background = step.attrs.background;
        for (call, pos) in step_docker_calls(step) {
            if let Some(msg) = leftover(&call, background, &cleanup) {
                out.push(warning(&pos, msg));
            }
        }
    }
}

fn leftover(call: &DockerCall, background: bool, cleanup: &Cleanup) -> Option<String> {
    let removes = |list: &[String], name: &str| list.iter().any(|n| n == name);
    match call.command.as_str() {
        "run" | "create" => {
            let l = launch(call)?;
            let started = call.command == "run";
            match (&l.name, started && (l.detach || background)) {
                (None, true) if background => Some(
                    "a `background` step's `docker run` needs `--name NAME`: stopping the client leaves the container running, so only `docker rm -f NAME` in `cleanup` can stop it".to_string(),
                ),
                (None, true) => Some(
                    "this detached container has no `--name`, so no cleanup can remove it: add `--name NAME` and `docker rm -f NAME` to the chapter's `cleanup`".to_string(),
                ),
                (Some(name), true) if !removes(&cleanup.containers, name) => Some(format!(
                    "container `{name}` keeps running after the chapter: add `docker rm -f {name}` to the chapter's `cleanup`"
                )),
                (Some(name), false) if !l.rm && !removes(&cleanup.containers, name) => Some(format!(
                    "the stopped container `{name}` stays behind and a second run fails with \"name already in use\": add `--rm`, or `docker rm -f {name}` to the chapter's `cleanup`"
                )),
                _ => None,
            }
        }
        "compose up" if !cleanup.compose_down => Some(
            "`docker compose up` starts containers but the chapter's `cleanup` has no `docker compose down`".to_string(),
        ),
        "network create" | "volume create" => {
            let kind = if call.command == "network create" { "network" } else { "volume" };
            let list = if kind == "network" { &cleanup.networks } else { &cleanup.volumes };
            let name = positionals(call).first()?.to_string();
            (!removes(list, &name)).then(|| {
                format!("{kind} `{name}` stays behind: add `docker {kind} rm {name}` to the chapter's `cleanup`")
            })
        }
        _ => None,
    }
}

/// Orders diagnostics by file (course.toml first, then chapters in course order), then position.
fn sort(course: &Course, diagnostics: &mut [Diagnostic]) {
    let rank = |file: &str| {
        course
            .chapters
            .iter()
            .position(|c| c.display_path == file)
            .map_or(
                if file.ends_with("course.toml") {
                    0
                } else {
                    usize::MAX
                },
                |i| i + 1,
            )
    };
    diagnostics.sort_by(|a, b| {
        (rank(&a.pos.file), &a.pos.file, a.pos.line, a.pos.column).cmp(&(
            rank(&b.pos.file),
            &b.pos.file,
            b.pos.line,
            b.pos.column,
        ))
    });
}
