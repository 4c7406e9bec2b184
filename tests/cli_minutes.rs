//! The time estimate of a chapter (`minutes = N` in its front matter): `list` shows it per
//! chapter and adds it up; `lint` warns about a chapter without one in a course that estimates
//! the others, and rejects a value that is not a number of minutes. The official course
//! estimates every chapter, and opens and closes each one the same way.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn bin() -> Command {
    let mut cmd = Command::cargo_bin("docker-guide").expect("binary builds");
    cmd.env_remove("DOCKER_GUIDE_LESSONS").env("NO_COLOR", "1");
    cmd
}

/// `docker-guide --lessons DIR list`.
fn list(dir: &std::path::Path) -> Command {
    let mut cmd = bin();
    cmd.arg("--lessons").arg(dir).arg("list");
    cmd
}

/// A course folder with one chapter per `(file, front matter)`.
fn course(dir: &Path, chapters: &[(&str, &str)]) {
    std::fs::write(
        dir.join("course.toml"),
        "id = \"minutes\"\ntitle = \"Timed\"\n",
    )
    .expect("course.toml");
    for (file, front) in chapters {
        let title = file.trim_end_matches(".md");
        let text = format!("+++\n{front}\n+++\n\n# {title}\n\n```sh\necho {title}\n```\n");
        std::fs::write(dir.join(file), text).expect("chapter");
    }
}

#[test]
fn list_shows_each_estimate_and_the_total() {
    let dir = tempfile::tempdir().expect("temp dir");
    course(
        dir.path(),
        &[
            ("01-short.md", "minutes = 5"),
            ("02-long.md", "minutes = 70"),
        ],
    );
    list(dir.path())
        .assert()
        .success()
        .stdout(
            "Timed (about 1 h 15 min)\n  1  01-short   ~5 min    1 step\n  2  02-long   ~70 min    1 step\n",
        );
}

#[test]
fn a_course_without_estimates_lists_and_lints_as_before() {
    let dir = tempfile::tempdir().expect("temp dir");
    course(
        dir.path(),
        &[("01-a.md", "title = \"A\""), ("02-b.md", "title = \"B\"")],
    );
    list(dir.path())
        .assert()
        .success()
        .stdout("Timed\n  1  A    1 step\n  2  B    1 step\n");
    bin()
        .args(["lint", "--strict"])
        .arg(dir.path())
        .assert()
        .success();
}

#[test]
fn lint_warns_about_a_chapter_without_an_estimate_among_estimated_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    course(
        dir.path(),
        &[("01-a.md", "minutes = 10"), ("02-b.md", "title = \"B\"")],
    );
    let missing = dir.path().join("02-b.md");
    bin()
        .args(["lint", "--strict"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!(
            "{}:1:1: warning: chapter has no `minutes` estimate",
            missing.display()
        )))
        .stdout(predicate::str::contains("01-a.md").not());
    // `list` leaves the column empty for it and still adds up the others.
    list(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::starts_with("Timed (about 10 min)\n"))
        .stdout(predicate::str::contains(
            "  2  B                1 step  ! 1 warning",
        ));
}

#[test]
fn lint_rejects_an_estimate_that_is_not_a_number_of_minutes() {
    let dir = tempfile::tempdir().expect("temp dir");
    course(
        dir.path(),
        &[
            ("01-a.md", "minutes = \"a while\""),
            ("02-b.md", "minutes = 0"),
        ],
    );
    bin().arg("lint").arg(dir.path()).assert().code(1).stdout(
        predicate::str::contains(
            "01-a.md:2:1: error: front matter `minutes` must be a whole number of minutes",
        )
        .and(predicate::str::contains(
            "02-b.md:2:1: error: front matter `minutes`",
        )),
    );
}

#[test]
fn the_official_course_estimates_opens_and_recaps_every_chapter() {
    let course = docker_guide::lesson::load_embedded();
    let last = course.chapters.len() - 1;
    for (i, chapter) in course.chapters.iter().enumerate() {
        let minutes = chapter.front.minutes;
        assert!(
            minutes.is_some_and(|m| (5..=60).contains(&m)),
            "{} has no plausible `minutes` ({minutes:?})",
            chapter.file_name
        );
        assert!(
            chapter.markdown.contains("**In this chapter**"),
            "{} does not open with what the learner will be able to do",
            chapter.file_name
        );
        // The conclusion is a recap as a whole.
        assert!(
            i == last || chapter.markdown.contains("\n## Recap\n"),
            "{} does not end with a recap",
            chapter.file_name
        );
    }
    let total: u32 = course.chapters.iter().filter_map(|c| c.front.minutes).sum();
    bin()
        .arg("list")
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "(about {} h {} min)",
            total / 60,
            total % 60
        )));
}
