//! Which images a course needs in a bundle: those `course.toml` lists plus those its lessons
//! name, minus those the course builds itself (`docker build -t NAME`, `docker tag`, …).

use std::collections::BTreeSet;

use crate::lesson::{Course, StepKind};

/// Canonical form for comparing names: `python` → `python:latest`,
/// `docker.io/library/python:3.12` → `python:3.12`. Digests are kept.
pub fn normalize_image(name: &str) -> String {
    let mut name = name.trim();
    for prefix in [
        "docker.io/library/",
        "index.docker.io/library/",
        "docker.io/",
        "index.docker.io/",
    ] {
        if let Some(rest) = name.strip_prefix(prefix) {
            name = rest;
            break;
        }
    }
    if name.contains('@') {
        return name.to_owned();
    }
    // A tag follows the last `:` unless that `:` is a registry port (`host:5000/img`).
    let last = name.rsplit('/').next().unwrap_or(name);
    if last.contains(':') {
        name.to_owned()
    } else {
        format!("{name}:latest")
    }
}

/// Images a course's steps create: `docker build -t/--tag`, `docker tag SRC DST`,
/// `docker commit C NAME`, `docker import FILE NAME` (normalized).
pub fn images_built_by(course: &Course) -> BTreeSet<String> {
    let mut built = BTreeSet::new();
    for step in course.chapters.iter().flat_map(|c| &c.steps) {
        let StepKind::Command { script } = &step.kind else {
            continue;
        };
        for command in commands(script) {
            built.extend(
                built_by_command(&command)
                    .into_iter()
                    .map(|n| normalize_image(&n)),
            );
        }
    }
    built
}

/// The course's images to bundle: `course.images` then `used` (e.g. from the lessons), in
/// order, without duplicates, without those the course builds or names with a variable.
pub fn course_images(course: &Course, used: &[String]) -> Vec<String> {
    let built = images_built_by(course);
    let mut seen = BTreeSet::new();
    course
        .images
        .iter()
        .chain(used)
        .filter(|name| !name.contains('$') && !name.trim().is_empty())
        .filter(|name| !built.contains(&normalize_image(name)))
        .filter(|name| seen.insert(normalize_image(name)))
        .cloned()
        .collect()
}

/// Splits a script into commands: lines joined at `\` continuations, split at `&&`, `;`, `|`.
fn commands(script: &str) -> Vec<Vec<String>> {
    let joined = script.replace("\\\n", " ");
    let mut out = Vec::new();
    for line in joined.lines() {
        let line = line.split(" #").next().unwrap_or(line);
        for part in line.split(['&', ';', '|']) {
            let words: Vec<String> = part
                .split_whitespace()
                .map(|w| w.trim_matches(['"', '\'']).to_owned())
                .collect();
            if !words.is_empty() {
                out.push(words);
            }
        }
    }
    out
}

fn built_by_command(words: &[String]) -> Vec<String> {
    let Some(docker) = words.iter().position(|w| w == "docker") else {
        return vec![];
    };
    let args: Vec<&str> = words[docker + 1..].iter().map(String::as_str).collect();
    let positional = |args: &[&str]| -> Vec<String> {
        args.iter()
            .filter(|a| !a.starts_with('-') || **a == "-")
            .map(|a| a.to_string())
            .collect()
    };
    match args.as_slice() {
        ["build", rest @ ..] | ["image", "build", rest @ ..] | ["buildx", "build", rest @ ..] => {
            let mut tags = Vec::new();
            let mut iter = rest.iter();
            while let Some(arg) = iter.next() {
                match *arg {
                    "-t" | "--tag" => tags.extend(iter.next().map(|t| t.to_string())),
                    _ if arg.starts_with("--tag=") => tags.push(arg["--tag=".len()..].to_owned()),
                    _ if arg.starts_with("-t") && arg.len() > 2 => tags.push(arg[2..].to_owned()),
                    _ => {}
                }
            }
            tags
        }
        ["tag", rest @ ..] | ["image", "tag", rest @ ..] => {
            positional(rest).into_iter().skip(1).take(1).collect()
        }
        ["commit", rest @ ..] | ["container", "commit", rest @ ..] => {
            positional(rest).into_iter().skip(1).take(1).collect()
        }
        ["import", rest @ ..] | ["image", "import", rest @ ..] => {
            positional(rest).into_iter().skip(1).take(1).collect()
        }
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::test_support::fake_course_with_scripts;

    #[test]
    fn names_are_normalized_for_comparison() {
        assert_eq!(normalize_image("python"), "python:latest");
        assert_eq!(
            normalize_image("docker.io/library/python:3.12-slim"),
            "python:3.12-slim"
        );
        assert_eq!(
            normalize_image("localhost:5000/app"),
            "localhost:5000/app:latest"
        );
        assert_eq!(normalize_image("ghcr.io/o/app:1"), "ghcr.io/o/app:1");
        assert_eq!(normalize_image("alpine@sha256:abc"), "alpine@sha256:abc");
    }

    #[test]
    fn images_the_course_builds_are_not_bundled() {
        let mut course = fake_course_with_scripts(&[
            "docker build -t flask-api .",
            "docker build --tag=trainer:1 -f Dockerfile.train . && docker tag trainer:1 registry.local/trainer:1",
            "tar -c f | docker import - dg-test-tiny:1",
            "docker run --rm python:3.12-slim python -V",
        ]);
        course.images = vec!["python:3.12-slim".into(), "flask-api".into()];
        let used = vec![
            "docker.io/library/python:3.12-slim".into(),
            "postgres:16".into(),
            "trainer:1".into(),
            "registry.local/trainer:1".into(),
            "$IMAGE".into(),
            "dg-test-tiny:1".into(),
        ];
        assert_eq!(
            course_images(&course, &used),
            ["python:3.12-slim", "postgres:16"]
        );
        let built: Vec<_> = images_built_by(&course).into_iter().collect();
        assert_eq!(
            built,
            [
                "dg-test-tiny:1",
                "flask-api:latest",
                "registry.local/trainer:1",
                "trainer:1"
            ]
        );
    }
}
