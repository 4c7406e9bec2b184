//! Which container images a course pulls: `FROM` lines of Dockerfile file steps, `image:` of
//! Compose file steps, `docker run IMAGE`, `docker pull IMAGE`. Images the course builds
//! itself (`docker build -t`, `docker tag`, Compose services with `build:`) are left out.

use std::collections::HashSet;

use super::docker::{build_tags, launch, positionals};
use super::model::{Course, SourcePos, Step, StepKind};
use super::script::{code_pos, step_docker_calls};

/// Each image the course needs from a registry, once, with its first use; in course order.
pub fn images_used(course: &Course) -> Vec<(String, SourcePos)> {
    let steps: Vec<&Step> = course.chapters.iter().flat_map(|c| &c.steps).collect();
    let mut local: HashSet<String> = HashSet::new();
    let mut uses = Vec::new();
    for step in &steps {
        for (call, pos) in step_docker_calls(step) {
            local.extend(build_tags(&call).iter().map(|t| normalize(t)));
            let args = positionals(&call);
            match call.command.as_str() {
                "tag" | "commit" => local.extend(args.get(1).map(|t| normalize(t))),
                "pull" => uses.extend(args.first().map(|i| (i.to_string(), pos.clone()))),
                "run" | "create" => {
                    let image = launch(&call).and_then(|l| l.target);
                    uses.extend(image.map(|i| (i, pos.clone())));
                }
                _ => {}
            }
        }
        if let StepKind::File { path } = &step.kind {
            let base = path.rsplit('/').next().unwrap_or(path).to_lowercase();
            if is_dockerfile(&base, &step.lang) {
                uses.extend(from_images(step));
            } else if is_compose(&base) {
                let (images, built) = compose_images(step);
                uses.extend(images);
                local.extend(built.iter().map(|t| normalize(t)));
            }
        }
    }
    let mut seen = HashSet::new();
    uses.into_iter()
        .filter(|(image, _)| !image.contains('$') && image != "scratch" && !image.is_empty())
        .filter(|(image, _)| {
            let key = normalize(image);
            !local.contains(&key) && seen.insert(key)
        })
        .collect()
}

/// `python:3.12-slim`, `docker.io/library/python:3.12-slim` and `python:3.12-slim` are one
/// image; `nginx` means `nginx:latest`.
pub fn normalize(image: &str) -> String {
    let mut name = image.trim();
    for prefix in ["docker.io/", "index.docker.io/", "registry-1.docker.io/"] {
        name = name.strip_prefix(prefix).unwrap_or(name);
    }
    name = name.strip_prefix("library/").unwrap_or(name);
    let last = name.rsplit('/').next().unwrap_or(name);
    if last.contains(':') || name.contains('@') {
        name.to_string()
    } else {
        format!("{name}:latest")
    }
}

fn is_dockerfile(base: &str, lang: &str) -> bool {
    matches!(lang, "dockerfile" | "containerfile")
        || base.starts_with("dockerfile")
        || base.starts_with("containerfile")
        || base.ends_with(".dockerfile")
}

fn is_compose(base: &str) -> bool {
    matches!(
        base,
        "compose.yaml" | "compose.yml" | "docker-compose.yaml" | "docker-compose.yml"
    ) || (base.starts_with("compose.") || base.starts_with("docker-compose."))
        && (base.ends_with(".yaml") || base.ends_with(".yml"))
}

/// `FROM [--platform=…] IMAGE [AS stage]`; a `FROM stage` names an earlier stage, not an image.
fn from_images(step: &Step) -> Vec<(String, SourcePos)> {
    let mut stages = HashSet::new();
    let mut out = Vec::new();
    for (n, line) in step.code.lines().enumerate() {
        let mut words = line.split_whitespace();
        if !words.next().is_some_and(|w| w.eq_ignore_ascii_case("FROM")) {
            continue;
        }
        let Some(image) = words.find(|w| !w.starts_with("--")) else {
            continue;
        };
        if !stages.contains(&image.to_lowercase()) {
            let column = line.find(image).map_or(0, |i| line[..i].chars().count());
            out.push((image.to_string(), code_pos(step, n, column)));
        }
        if let (Some(kw), Some(stage)) = (words.next(), words.next())
            && kw.eq_ignore_ascii_case("AS")
        {
            stages.insert(stage.to_lowercase());
        }
    }
    out
}

/// The `image:` of each service of a Compose file, and the images of services that `build:`.
fn compose_images(step: &Step) -> (Vec<(String, SourcePos)>, Vec<String>) {
    let lines: Vec<&str> = step.code.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let Some(services) = lines.iter().position(|l| l.trim_end() == "services:") else {
        return (Vec::new(), Vec::new());
    };
    let mut images = Vec::new();
    let mut built = Vec::new();
    let mut service_indent = None;
    let mut current: Option<(Option<(String, usize)>, bool)> = None;
    let mut flush = |current: &mut Option<(Option<(String, usize)>, bool)>| {
        if let Some((Some((image, n)), has_build)) = current.take() {
            if has_build {
                built.push(image);
            } else {
                let line = lines[n];
                let column = line.find(&image).map_or(0, |i| line[..i].chars().count());
                images.push((image, code_pos(step, n, column)));
            }
        }
    };
    for (n, line) in lines.iter().enumerate().skip(services + 1) {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let level = indent(line);
        if level == 0 {
            break;
        }
        if service_indent.is_none_or(|i| level <= i) {
            flush(&mut current);
            service_indent = Some(level);
            current = Some((None, false));
            continue;
        }
        if let Some((image, has_build)) = current.as_mut() {
            if let Some(value) = trimmed.strip_prefix("image:") {
                let value = value.split(" #").next().unwrap_or(value).trim();
                *image = Some((value.trim_matches(['"', '\'']).to_string(), n));
            } else if trimmed.starts_with("build:") {
                *has_build = true;
            }
        }
    }
    flush(&mut current);
    (images, built)
}
