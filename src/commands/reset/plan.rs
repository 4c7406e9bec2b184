//! What a reset undoes, read from the course: each chapter's cleanup commands, the containers
//! its steps start by name, and the files its file steps write. Pure.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::lesson::{Course, StepKind};

/// `docker run … --name web` / `docker container create --name=web`.
static NAMED_CONTAINER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bdocker\s+(?:container\s+)?(?:run|create)\b[^;&|\n]*?\s--name(?:=|\s+)['\x22]?([A-Za-z0-9][A-Za-z0-9_.-]*)")
        .expect("valid regex")
});

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResetPlan {
    /// `(chapter index, its cleanup commands)`, last chapter first (undo in reverse order).
    pub cleanups: Vec<(usize, Vec<String>)>,
    /// Containers the chapters' steps start with `--name`.
    pub containers: BTreeSet<String>,
    /// Files the chapters' file steps write, relative to the workspace (as the lesson format
    /// says: a file step's path ignores the chapter's `workdir`).
    pub files: Vec<String>,
    /// Every step id of those chapters (their progress is cleared).
    pub step_ids: Vec<String>,
}

/// The plan for the given chapters (0-based indexes).
pub fn plan(course: &Course, chapters: &[usize]) -> ResetPlan {
    let mut plan = ResetPlan::default();
    for &ci in chapters.iter().rev() {
        let chapter = &course.chapters[ci];
        if !chapter.front.cleanup.is_empty() {
            plan.cleanups.push((ci, chapter.front.cleanup.clone()));
        }
        for step in &chapter.steps {
            plan.step_ids.push(step.id.clone());
            match &step.kind {
                StepKind::Command { script } => plan.containers.extend(container_names(script)),
                StepKind::File { path } => plan.files.push(path.clone()),
            }
        }
    }
    plan.step_ids.sort();
    plan
}

/// Names given to containers with `--name` in a script (line continuations joined).
pub fn container_names(script: &str) -> Vec<String> {
    let joined = script.replace("\\\n", " ");
    NAMED_CONTAINER
        .captures_iter(&joined)
        .map(|c| c[1].to_owned())
        .filter(|n| !n.contains('$'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::test_support::{fake_course, fake_course_with_scripts};

    #[test]
    fn container_names_come_from_run_and_create() {
        let script = "docker run -d --name web -p 8000:8000 flask-api\n\
                      docker container create --name=db postgres:16 && echo ok\n\
                      docker run --rm \\\n  --name \"trainer\" python:3.12-slim python -V\n\
                      docker exec --name notthis web ls\n\
                      docker run --name \"$NAME\" x";
        assert_eq!(container_names(script), ["web", "db", "trainer"]);
    }

    #[test]
    fn plan_collects_cleanups_in_reverse_containers_files_and_steps() {
        let mut course =
            fake_course_with_scripts(&["docker run -d --name api flask-api", "echo hi"]);
        course.chapters[0].front.cleanup = vec!["docker rm -f api".into()];
        course.chapters[0].front.workdir = Some("app/".into());
        course.chapters[0].steps[1].kind = StepKind::File {
            path: "app/Dockerfile".into(),
        };
        let mut two = fake_course(&[("ch", 1), ("more", 1)]);
        two.chapters[0] = course.chapters[0].clone();
        two.chapters[1].front.cleanup = vec!["docker compose down".into()];

        let p = plan(&two, &[0, 1]);
        assert_eq!(
            p.cleanups,
            [
                (1, vec!["docker compose down".to_string()]),
                (0, vec!["docker rm -f api".to_string()])
            ]
        );
        assert_eq!(p.containers.iter().collect::<Vec<_>>(), ["api"]);
        assert_eq!(p.files, ["app/Dockerfile"]);
        assert_eq!(p.step_ids, ["ch-1", "ch-2", "more-1"]);
        assert_eq!(plan(&two, &[1]).containers.len(), 0);
    }
}
