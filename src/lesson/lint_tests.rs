//! Lint rules, one test each, on small in-memory courses; plus `images_used` and course.toml.

use std::path::PathBuf;

use super::course::{ChapterFile, CourseFiles, build};
use super::*;

const CHECKS: &[&str] = &["docker", "daemon", "compose"];

fn course(toml: Option<&str>, chapters: &[(&str, &str)]) -> Course {
    build(CourseFiles {
        source: CourseSource::Dir(PathBuf::from("c")),
        default_id: "c".into(),
        default_title: "c".into(),
        course_toml: toml.map(|t| ("c/course.toml".to_string(), t.to_string())),
        chapters: chapters
            .iter()
            .map(|(name, text)| ChapterFile {
                file_name: name.to_string(),
                display_path: format!("c/{name}"),
                text: Ok(text.to_string()),
            })
            .collect(),
        assets: Vec::new(),
        diagnostics: Vec::new(),
    })
}

/// Lint of a one-chapter course whose `course.toml` lists `images`, as display strings.
fn lint_one(text: &str) -> Vec<String> {
    let c = course(
        Some("images = [\"python:3.12-slim\", \"nginx\"]"),
        &[("01-a.md", text)],
    );
    lint(&c, CHECKS).iter().map(|d| d.to_string()).collect()
}

#[test]
fn clean_chapter_has_no_diagnostics() {
    let text = "+++\nrequires = [\"docker\"]\ncleanup = [\"docker rm -f web\"]\n+++\n# A\n\n```sh {background ready=\"http://localhost:8080/\"}\ndocker run --rm --name web -p 8080:80 nginx\n```\n\n```sh\ndocker run --rm python:3.12-slim python -V\n```\n";
    assert_eq!(lint_one(text), Vec::<String>::new());
}

#[test]
fn duplicate_ids_across_chapters() {
    let c = course(
        None,
        &[
            ("01-a.md", "```sh\necho 1\n```\n"),
            ("02-b.md", "```sh {id=a-1}\necho 2\n```\n"),
        ],
    );
    let d: Vec<_> = lint(&c, CHECKS).iter().map(|d| d.to_string()).collect();
    assert_eq!(
        d,
        ["c/02-b.md:1:1: error: duplicate step id `a-1` (first used at c/01-a.md:1:1)"]
    );
}

#[test]
fn unknown_requires() {
    let d = lint_one("+++\nrequires = [\"docker\", \"demon\"]\n+++\ntext\n");
    assert_eq!(
        d,
        [
            "c/01-a.md:1:1: error: front matter `requires` names unknown check `demon` (did you mean `daemon`?) (known: docker, daemon, compose)"
        ]
    );
}

#[test]
fn background_run_without_name() {
    let d = lint_one(
        "```sh {background ready=\"http://localhost/\"}\ndocker run --rm -p 80:80 nginx\n```\n",
    );
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].starts_with(
            "c/01-a.md:2:1: warning: a `background` step's `docker run` needs `--name NAME`"
        ),
        "{d:?}"
    );
}

#[test]
fn detached_containers_need_a_cleanup() {
    let steps = "```sh\ndocker run -d --name db nginx\n```\n\n```console\n$ docker run --detach nginx\n```\n";
    let d = lint_one(steps);
    assert_eq!(d.len(), 2, "{d:?}");
    assert!(d[0].starts_with("c/01-a.md:2:1: warning: container `db` keeps running after the chapter: add `docker rm -f db`"), "{d:?}");
    assert!(
        d[1].starts_with("c/01-a.md:6:3: warning: this detached container has no `--name`"),
        "{d:?}"
    );
    for cleanup in [
        "docker rm -f db",
        "docker stop db",
        "docker container rm --force db other",
    ] {
        let text = format!(
            "+++\ncleanup = [\"{cleanup}\"]\n+++\n```sh\ndocker run -d --name db nginx\n```\n"
        );
        assert_eq!(lint_one(&text), Vec::<String>::new(), "{cleanup}");
    }
}

#[test]
fn background_named_container_needs_a_cleanup() {
    let d = lint_one("```sh {background}\ndocker run --rm --name web nginx\n```\n");
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].contains("container `web` keeps running"), "{d:?}");
}

#[test]
fn named_foreground_container_without_rm_stays_behind() {
    let d = lint_one(
        "```sh\ndocker run --name once nginx echo hi\n```\n\n```sh\ndocker run --rm --name fine nginx echo hi\ndocker run --rm nginx\n```\n",
    );
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].contains("the stopped container `once` stays behind"),
        "{d:?}"
    );
}

#[test]
fn compose_up_needs_compose_down() {
    let up = "```sh\ndocker compose up -d\n```\n";
    let d = lint_one(up);
    assert_eq!(
        d,
        [
            "c/01-a.md:2:1: warning: `docker compose up` starts containers but the chapter's `cleanup` has no `docker compose down`"
        ]
    );
    let with = format!("+++\ncleanup = [\"docker compose down --volumes\"]\n+++\n{up}");
    assert_eq!(lint_one(&with), Vec::<String>::new());
}

#[test]
fn networks_and_volumes_need_a_cleanup() {
    let d = lint_one("```sh\ndocker network create net\ndocker volume create vol\n```\n");
    assert_eq!(d.len(), 2, "{d:?}");
    assert!(d[0].contains("network `net` stays behind"));
    assert!(d[1].contains("volume `vol` stays behind"));
    let ok = "+++\ncleanup = [\"docker network rm net\", \"docker volume rm vol\"]\n+++\n```sh\ndocker network create net\ndocker volume create vol\n```\n";
    assert_eq!(lint_one(ok), Vec::<String>::new());
}

#[test]
fn images_used_and_missing_from_course_toml() {
    let text = "```dockerfile {file=\"Dockerfile\"}\nFROM --platform=linux/amd64 docker.io/library/python:3.12-slim AS build\nFROM build\nFROM gcr.io/distroless/python3\n```\n\n```sh\ndocker build -t my-app .\ndocker run --rm my-app\ndocker pull redis:7\ndocker run --rm -e X=1 -p 80:80 nginx\n```\n\n```yaml {file=\"compose.yaml\"}\nservices:\n  web:\n    build: .\n    image: my-web\n  cache:\n    image: \"redis:7\"\n  db:\n    image: postgres:16 # pinned\n```\n";
    let c = course(
        Some("images = [\"python:3.12-slim\", \"nginx\"]"),
        &[("01-a.md", text)],
    );
    let used: Vec<_> = images_used(&c)
        .into_iter()
        .map(|(image, pos)| format!("{}:{} {image}", pos.line, pos.column))
        .collect();
    assert_eq!(
        used,
        [
            "2:29 docker.io/library/python:3.12-slim",
            "4:6 gcr.io/distroless/python3",
            "10:1 redis:7",
            "11:1 nginx",
            "22:12 postgres:16",
        ]
    );
    let d: Vec<_> = lint(&c, CHECKS).iter().map(|d| d.message.clone()).collect();
    assert_eq!(
        d,
        [
            "image `gcr.io/distroless/python3` is not listed in course.toml `images` (offline bundles would miss it)",
            "image `redis:7` is not listed in course.toml `images` (offline bundles would miss it)",
            "image `postgres:16` is not listed in course.toml `images` (offline bundles would miss it)",
        ]
    );
}

#[test]
fn course_toml_problems_come_first() {
    let c = course(
        Some("id = \"x\"\ntitel = \"typo\"\nimages = \"python\"\n"),
        &[("01-a.md", "```sh {bogus}\nls\n```\n")],
    );
    let d: Vec<_> = lint(&c, CHECKS).iter().map(|d| d.to_string()).collect();
    assert_eq!(
        d,
        [
            "c/course.toml:2:1: warning: unknown course.toml key `titel` (did you mean `title`?); it is ignored",
            "c/course.toml:3:1: error: `images` must be a list of image names",
            "c/01-a.md:1:8: warning: unknown attribute `bogus` ignored",
        ]
    );
    assert_eq!(c.id, "x");
}

#[test]
fn broken_course_toml_still_loads_chapters() {
    let c = course(Some("title = \"unclosed\n"), &[("01-a.md", "# A\n")]);
    assert_eq!(c.chapters.len(), 1);
    assert_eq!(
        c.title, "A",
        "a one-chapter folder takes its chapter's title"
    );
    assert_eq!(c.diagnostics.len(), 1);
    assert_eq!(c.diagnostics[0].pos.to_string(), "c/course.toml:1:18");
}

#[test]
fn chapter_order_title_and_find() {
    let c = course(
        Some("description = \"d\"\nversion = \"1.0\""),
        &[
            ("10-end.md", "# End\n"),
            ("README.md", "# The Course\n"),
            ("2-middle.md", "# Middle\n"),
            ("01-start.md", "+++\ntitle = \"Start here\"\n+++\n"),
        ],
    );
    let files: Vec<_> = c.chapters.iter().map(|ch| ch.file_name.as_str()).collect();
    assert_eq!(
        files,
        ["01-start.md", "2-middle.md", "10-end.md", "README.md"]
    );
    assert_eq!(c.title, "The Course");
    assert_eq!(c.description.as_deref(), Some("d"));
    assert_eq!(c.version.as_deref(), Some("1.0"));
    assert_eq!(c.find_chapter("3"), Some(2));
    assert_eq!(c.find_chapter("middle"), Some(1));
    assert_eq!(c.find_chapter("01-start.md"), Some(0));
    assert_eq!(c.find_chapter("10-END"), Some(2));
    assert_eq!(c.find_chapter("0"), None);
    assert_eq!(c.find_chapter("5"), None);
    assert_eq!(c.find_chapter("nope"), None);
}

#[test]
fn single_file_courses_skip_the_images_rule() {
    let mut c = course(None, &[("guide.md", "```sh\ndocker pull redis\n```\n")]);
    c.source = CourseSource::File(PathBuf::from("guide.md"));
    assert!(lint(&c, CHECKS).is_empty());
}

#[test]
fn duplicate_slugs_warn() {
    let c = course(None, &[("01-intro.md", "# A\n"), ("02-intro.md", "# B\n")]);
    let d: Vec<_> = lint(&c, CHECKS).iter().map(|d| d.to_string()).collect();
    assert_eq!(
        d,
        [
            "c/02-intro.md:1:1: warning: chapter slug `intro` is also the slug of c/01-intro.md: `show intro` is ambiguous"
        ]
    );
}

#[test]
fn unreadable_chapter_is_reported_and_the_rest_loads() {
    let mut files = CourseFiles {
        source: CourseSource::Dir(PathBuf::from("c")),
        default_id: "c".into(),
        default_title: "c".into(),
        course_toml: None,
        chapters: vec![ChapterFile {
            file_name: "01-a.md".into(),
            display_path: "c/01-a.md".into(),
            text: Err("cannot read this chapter: permission denied".into()),
        }],
        assets: Vec::new(),
        diagnostics: Vec::new(),
    };
    files.chapters.push(ChapterFile {
        file_name: "02-b.md".into(),
        display_path: "c/02-b.md".into(),
        text: Ok("# B\n".into()),
    });
    let c = build(files);
    assert_eq!(c.chapters.len(), 1);
    assert_eq!(
        c.diagnostics[0].to_string(),
        "c/01-a.md:1:1: error: cannot read this chapter: permission denied"
    );
}
