//! Loading courses from disk (fixtures, Docker's getting-started tutorial, the source guide)
//! and the `list` / `lint` commands run as the real binary.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use docker_guide::lesson::{self, CourseSource, LessonError, Severity, StepKind};
use predicates::prelude::*;

mod common;

const CHECKS: &[&str] = &["docker", "daemon", "compose"];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// `../shared/<rel>` next to the repository; a missing one is a skip outside CI, a failure in it.
fn shared(rel: &str) -> Option<PathBuf> {
    common::shared_file(rel, rel)
}

fn bin() -> Command {
    let mut cmd = Command::cargo_bin("docker-guide").expect("binary builds");
    cmd.env_remove("DOCKER_GUIDE_LESSONS").env("NO_COLOR", "1");
    cmd
}

#[test]
fn loads_a_fixture_course_folder() {
    let course = lesson::load_path(&fixture("good-course")).expect("loads");
    assert_eq!(course.id, "fixture-course");
    assert_eq!(course.title, "Fixture Course");
    assert_eq!(course.images, ["python:3.12-slim", "nginx:1.27-alpine"]);
    assert!(matches!(course.source, CourseSource::Dir(_)));
    let titles: Vec<_> = course.chapters.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["Check your setup", "Build and run"]);
    let ids: Vec<_> = course.chapters[1]
        .steps
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(ids, ["build-and-run-1", "build", "build-and-run-3"]);
    assert_eq!(
        course.chapters[1].steps[0].kind,
        StepKind::File {
            path: "Dockerfile".into()
        }
    );
    let assets: Vec<_> = course.assets.iter().map(|a| a.path.as_str()).collect();
    assert_eq!(assets, ["app/hello.txt"], ".keep is not an asset");
    assert_eq!(course.assets[0].contents, b"hello\n");
    assert!(course.diagnostics.is_empty(), "{:?}", course.diagnostics);
    assert!(lesson::lint(&course, CHECKS).is_empty());
}

#[test]
fn a_broken_chapter_does_not_stop_the_rest() {
    let course = lesson::load_path(&fixture("broken-course")).expect("loads");
    let titles: Vec<_> = course.chapters.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["Fine", "Broken", "After the broken one"]);
    let errors: Vec<_> = course
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            (
                d.pos.file.rsplit('/').next().unwrap().to_string(),
                d.pos.line,
                d.pos.column,
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            ("02-broken.md".to_string(), 2, 16),
            ("02-broken.md".to_string(), 7, 14),
            ("02-broken.md".to_string(), 11, 22),
        ]
    );
}

#[test]
fn invalid_utf8_is_reported_and_loaded() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("01-bad.md"), b"# Bad\n\nx \xff y\n").unwrap();
    std::fs::write(dir.path().join("02-good.md"), "# Good\n").unwrap();
    let course = lesson::load_path(dir.path()).expect("loads");
    assert_eq!(course.chapters.len(), 2);
    let d = &course.diagnostics[0];
    assert_eq!((d.pos.line, d.pos.column), (3, 3));
    assert!(d.message.contains("not valid UTF-8"));
}

#[test]
fn load_errors() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        lesson::load_path(&dir.path().join("missing")),
        Err(LessonError::NotFound(_))
    ));
    assert!(matches!(
        lesson::load_path(dir.path()),
        Err(LessonError::NoChapters(_))
    ));
    let txt = dir.path().join("notes.txt");
    std::fs::write(&txt, "x").unwrap();
    assert!(matches!(
        lesson::load_path(&txt),
        Err(LessonError::NotMarkdown(_))
    ));
}

#[test]
fn loads_a_single_markdown_file() {
    let course = lesson::load_path(&fixture("single.md")).expect("loads");
    assert_eq!(course.id, "single");
    assert_eq!(course.title, "One file");
    assert_eq!(course.chapters.len(), 1);
    assert_eq!(course.chapters[0].steps.len(), 1);
    assert!(matches!(course.source, CourseSource::File(_)));
}

#[test]
fn loads_dockers_getting_started_tutorial() {
    let Some(dir) = shared("corpus/docker-getting-started") else {
        return;
    };
    let course = lesson::load_path(&dir).expect("loads");
    assert_eq!(course.chapters.len(), 11);
    let tutorial = course
        .find_chapter("tutorial.md")
        .map(|i| &course.chapters[i])
        .expect("tutorial.md");
    assert_eq!(tutorial.title, "The command you just ran");
    assert!(
        !tutorial.markdown.contains("next_page"),
        "YAML front matter is hidden"
    );
    assert_eq!(tutorial.body_first_line, 4);
    assert!(course.step_count() > 20, "{}", course.step_count());
    let errors: Vec<_> = lesson::lint(&course, CHECKS)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn loads_the_source_guide_as_one_chapter() {
    let Some(file) = shared("source-guide.md") else {
        return;
    };
    let course = lesson::load_path(&file).expect("loads");
    assert_eq!(course.chapters.len(), 1);
    assert_eq!(
        course.title,
        "A Data Scientist’s Guide to Docker Containers"
    );
    let scripts: Vec<_> = course.chapters[0]
        .steps
        .iter()
        .map(|s| s.copy_text())
        .collect();
    assert_eq!(
        scripts,
        [
            "docker build -t flask-api .\n",
            "docker run -p 5000:5000 flask-api\n"
        ]
    );
    assert!(
        course.chapters[0]
            .steps
            .iter()
            .all(|s| !s.attrs.interactive)
    );
    assert!(lesson::lint(&course, CHECKS).is_empty());
}

#[test]
fn embedded_course_loads_with_lessons_paths() {
    let course = lesson::load_embedded();
    assert_eq!(course.source, CourseSource::Embedded);
    assert_eq!(course.id, "docker-for-data-science");
    for chapter in &course.chapters {
        assert_eq!(
            chapter.display_path,
            format!("lessons/{}", chapter.file_name)
        );
    }
    assert!(course.assets.iter().all(|a| !a.path.ends_with(".keep")));
}

#[test]
fn list_prints_title_and_numbered_chapters() {
    bin()
        .args(["--lessons"])
        .arg(fixture("good-course"))
        .arg("list")
        .assert()
        .success()
        .stdout(
            "Fixture Course\n  1  Check your setup   2 steps\n  2  Build and run      3 steps\n",
        );
}

#[test]
fn list_reads_the_lessons_env_var_and_marks_broken_chapters() {
    bin()
        .env("DOCKER_GUIDE_LESSONS", fixture("broken-course"))
        .arg("list")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "  2  Broken                 2 steps  ! 3 errors, 1 warning\n",
        ))
        .stdout(predicate::str::contains(format!(
            "  `docker-guide lint {}` shows each problem with its place\n",
            fixture("broken-course").display()
        )))
        .stdout(predicate::str::contains(
            "  3  After the broken one    1 step\n",
        ));
}

#[test]
fn list_a_single_file() {
    bin()
        .arg("--lessons")
        .arg(fixture("single.md"))
        .arg("list")
        .assert()
        .success()
        .stdout("One file\n  1  One file    1 step\n");
}

#[test]
fn lint_a_clean_course_exits_0() {
    bin()
        .arg("lint")
        .arg(fixture("good-course"))
        .assert()
        .success()
        .stdout("ok: no problems in Fixture Course (2 chapters, 5 steps)\n");
}

#[test]
fn lint_errors_exit_1_with_positions() {
    let broken = fixture("broken-course");
    let path = broken.join("02-broken.md").display().to_string();
    bin()
        .arg("lint")
        .arg(&broken)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!(
            "{path}:7:14: error: unterminated quoted value: add the closing \"\n"
        )))
        .stdout(predicate::str::contains(format!(
            "{path}:11:8: warning: unknown attribute `bogus` ignored\n"
        )))
        .stdout(predicate::str::ends_with(
            "3 errors, 1 warning in broken-course (3 chapters, 4 steps)\n",
        ));
}

#[test]
fn lint_uses_the_lessons_option_and_strict_fails_on_warnings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("01-run.md"),
        "# Run\n\n```sh\ndocker run -d --name web nginx\n```\n",
    )
    .unwrap();
    bin()
        .arg("--lessons")
        .arg(dir.path())
        .arg("lint")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "warning: container `web` keeps running after the chapter",
        ));
    bin()
        .arg("--lessons")
        .arg(dir.path())
        .args(["lint", "--strict"])
        .assert()
        .code(1);
}

#[test]
fn a_missing_course_is_a_usage_error() {
    bin()
        .args(["--lessons", "/nonexistent/course", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "/nonexistent/course: no such file or folder",
        ))
        .stderr(predicate::str::contains(
            "--lessons (or DOCKER_GUIDE_LESSONS)",
        ));
}

#[test]
fn the_documented_example_chapter_is_clean() {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/lesson-format.md"),
    )
    .expect("docs/lesson-format.md");
    let example = doc
        .split("## A complete chapter")
        .nth(1)
        .and_then(|rest| rest.split("````markdown\n").nth(1))
        .and_then(|rest| rest.split("\n````").next())
        .expect("the complete chapter example");
    let (chapter, diagnostics) = lesson::parse_chapter("example.md", "07-build.md", example);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(chapter.title, "Build and run your container");
    let ids: Vec<_> = chapter.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["build-1", "build", "serve", "build-4"]);
}

/// Every CommonMark (and GFM) spec example, and hostile fragments, parse without panicking,
/// and every step's span starts with its fence.
#[test]
fn parsing_never_panics() {
    let mut inputs: Vec<String> = [
        "```",
        "```{",
        "``` {\"",
        "```sh {",
        "```sh {a=\"",
        "```sh {=}",
        "```sh {a='x\\'",
        "+++",
        "+++\n",
        "---",
        "---\n",
        "---\ntitle: x",
        "\u{feff}",
        "```sh {é=ü \"ç\"}\n$ x\n```",
        "~~~console {id=x}\n$ a \\\n",
        "```sh\ncat <<EOF\n",
        "> ```sh {x\n> y",
        "a\rb\r```sh\rc\r```",
        "```sh {file=\"\"}\nx\n```",
        "```sh {ready}\n```",
        "- ```sh {id=\u{1F600}}\n  x\n  ```",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for spec in [
        "corpus/commonmark/spec.txt",
        "corpus/commonmark/gfm-spec.txt",
    ] {
        let Some(path) = shared(spec) else { continue };
        let text = std::fs::read_to_string(path).unwrap();
        let fence = "```````````````````````````````` example";
        for example in text.split(fence).skip(1) {
            let body = example
                .split("\n````````````````````````````````")
                .next()
                .unwrap();
            let markdown = body.split("\n.\n").next().unwrap().replace('→', "\t");
            inputs.push(markdown.trim_start_matches('\n').to_string());
        }
        inputs.push(text);
    }
    for input in &inputs {
        let (chapter, _) = lesson::parse_chapter("x.md", "x.md", input);
        for step in &chapter.steps {
            let block = &chapter.markdown[step.span.clone()];
            assert!(
                block.starts_with("```") || block.starts_with("~~~"),
                "{input:?}"
            );
        }
    }
}
