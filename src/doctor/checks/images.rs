//! Which of the course's images are already on this engine (no network needed for those).

use super::Finding;
use crate::doctor::DoctorRequest;
use crate::doctor::checkup::{Checkup, DAEMON_TIMEOUT};
use crate::doctor::probe::normalize_arch;
use crate::doctor::report::{Fix, FixOs, Status};

pub fn images(s: &Checkup, req: &DoctorRequest) -> Finding {
    if let Some(skip) = s.gate("daemon") {
        return Finding::skipped(skip);
    }
    if req.images.is_empty() {
        return Finding::pass("the course names no images");
    }
    let mut args = vec!["image", "inspect", "--format", "{{.Os}}/{{.Architecture}}"];
    args.extend(req.images.iter().map(String::as_str));
    let run = s.docker(&args, DAEMON_TIMEOUT);
    if run.out.timed_out {
        return Finding::new(Status::Timeout, "`docker image inspect` did not answer")
            .evidence(&run);
    }
    let stderr = run.out.stderr.to_ascii_lowercase();
    let (missing, present): (Vec<&String>, Vec<&String>) = req
        .images
        .iter()
        .partition(|image| names_missing(&stderr, image));
    if !run.out.success() && missing.is_empty() {
        return Finding::fail(
            "`docker image inspect` failed",
            Fix::new("Run it yourself and read the error.").step(
                FixOs::All,
                "",
                &["docker image ls"],
            ),
        )
        .evidence(&run);
    }
    let engine_arch = s.info_json().map(|i| i.arch());
    let mut details = Vec::new();
    for (image, platform) in present.iter().zip(run.out.stdout.lines()) {
        let arch = platform
            .rsplit('/')
            .next()
            .map(normalize_arch)
            .unwrap_or_default();
        match &engine_arch {
            Some(engine) if !arch.is_empty() && arch != *engine => details.push(format!(
                "{image} is {platform}, the engine is {engine}: it runs emulated or fails with `exec format error`"
            )),
            _ => details.push(format!("{image} ({platform})")),
        }
    }
    let arch_mismatch = details.iter().any(|d| d.contains("exec format error"));
    let total = req.images.len();
    if missing.is_empty() {
        let message = format!(
            "all {total} course image{} present",
            if total == 1 { "" } else { "s" }
        );
        let outcome = if arch_mismatch {
            Finding::warn(
                format!("{message}, some for another CPU"),
                Fix::new("Pull the images for your engine's platform.").step(
                    FixOs::All,
                    "",
                    &["docker pull --platform linux/arm64 IMAGE   # or linux/amd64"],
                ),
            )
        } else {
            Finding::pass(message)
        };
        let mut outcome = outcome.evidence(&run);
        outcome.details = details;
        return outcome;
    }
    let pulls: Vec<String> = missing.iter().map(|i| format!("docker pull {i}")).collect();
    let pull_refs: Vec<&str> = pulls.iter().map(String::as_str).collect();
    let names: Vec<&str> = missing.iter().map(|i| i.as_str()).collect();
    let mut outcome = Finding::warn(
        format!(
            "{} of {total} course images not here yet: {}",
            missing.len(),
            names.join(", ")
        ),
        Fix::new(
            "Pull them now (needs network), or load the workshop bundle your instructor gave you.",
        )
        .step(FixOs::All, "With network access", &pull_refs)
        .step(
            FixOs::All,
            "Offline, from a bundle file",
            &["docker-guide bundle load BUNDLE.tar"],
        ),
    )
    .evidence(&run);
    outcome.details = details;
    outcome
}

/// Whether docker's stderr says `image` does not exist (`No such image: NAME`, any CLI version;
/// Podman: `failed to find image NAME: docker.io/library/NAME: No such image`).
fn names_missing(stderr_lower: &str, image: &str) -> bool {
    let image = image.to_ascii_lowercase();
    let podman = format!("failed to find image {image}");
    names_at(stderr_lower, &format!("no such image: {image}"))
        || (names_at(stderr_lower, &podman) && stderr_lower.contains("no such image"))
}

/// Whether `needle` (ending in an image name) occurs with the name ending there.
fn names_at(stderr_lower: &str, needle: &str) -> bool {
    stderr_lower.match_indices(needle).any(|(at, _)| {
        // The name ends at whitespace, the end, or `: ` (CLI 28 repeats it after a colon).
        let rest = &stderr_lower[at + needle.len()..];
        rest.is_empty()
            || rest.starts_with(char::is_whitespace)
            || rest
                .strip_prefix(':')
                .is_some_and(|r| r.is_empty() || r.starts_with(char::is_whitespace))
    })
}

#[cfg(test)]
mod tests {
    use super::names_missing;

    #[test]
    fn missing_names_match_whole_references_only() {
        let new_cli = "error response from daemon: no such image: dg-test-nonexistent:1: no such image: dg-test-nonexistent:1\n";
        assert!(names_missing(new_cli, "dg-test-nonexistent:1"));
        assert!(!names_missing(new_cli, "dg-test-nonexistent"));
        let old_cli = "error: no such image: dg-test-nonexistent:1\n";
        assert!(names_missing(old_cli, "dg-test-nonexistent:1"));
        assert!(!names_missing(old_cli, "python:3.12-slim"));
        // Podman 4.3's compat API, captured through docker CLI 28.2.2.
        let podman = "error response from daemon: failed to find image python:3.12-slim: docker.io/library/python:3.12-slim: no such image\n";
        assert!(names_missing(podman, "python:3.12-slim"));
        assert!(!names_missing(podman, "python:3.12"));
        assert!(!names_missing(podman, "flask-api"));
    }
}
