//! Front matter tests: TOML, YAML at the top only, broken and unclosed blocks, line endings.

use super::parse_tests::{PATH, diags, parse};

#[test]
fn toml_front_matter() {
    let text = "+++\ntitle = \"Build and run\"\nrequires = [\"docker\", \"daemon\"]\nworkdir = \"app\"\ncleanup = [\"docker rm -f flask-api\"]\ntimeout = 120\ncolour = \"blue\"\n+++\n# Heading\n\n```sh\nls\n```\n";
    let (chapter, d) = parse(text);
    assert_eq!(chapter.title, "Build and run");
    assert_eq!(chapter.front.requires, ["docker", "daemon"]);
    assert_eq!(chapter.front.workdir.as_deref(), Some("app"));
    assert_eq!(chapter.front.cleanup, ["docker rm -f flask-api"]);
    assert_eq!(chapter.front.timeout, Some(120));
    assert_eq!(chapter.body_first_line, 9);
    assert!(chapter.markdown.starts_with("# Heading"));
    assert_eq!(chapter.step_timeout(&chapter.steps[0]).as_secs(), 120);
    let d: Vec<_> = d.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        d,
        [format!(
            "{PATH}:7:1: warning: unknown front matter key `colour`; it is ignored"
        )]
    );
}

#[test]
fn broken_toml_front_matter_keeps_the_chapter() {
    let (chapter, d) =
        parse("+++\ntitle = \"x\"\ntimeout = = 3\n+++\n# Real title\n\n```sh {id=}\nls\n```\n");
    assert_eq!(chapter.title, "Real title");
    assert_eq!(chapter.steps.len(), 1);
    assert_eq!(d.len(), 2, "{d:?}");
    assert_eq!((d[0].pos.line, d[0].pos.column), (3, 11));
    assert!(
        d[0].message.starts_with("front matter is not valid TOML"),
        "{d:?}"
    );
    // Positions after the front matter count its lines.
    assert_eq!((d[1].pos.line, d[1].pos.column), (7, 10));
}

#[test]
fn wrong_types_and_escaping_workdir_in_front_matter() {
    let mut d = diags(
        "+++\ntitle = 3\nrequires = \"docker\"\nworkdir = \"../up\"\ntimeout = 0\n+++\nbody\n",
    );
    d.sort();
    assert_eq!(
        d,
        [
            "2:1: error: front matter `title` must be a non-empty string",
            "3:1: error: front matter `requires` must be a list of strings",
            "4:1: error: `workdir = \"../up\"` escapes the workspace: use a relative path without `..`",
            "5:1: error: front matter `timeout` must be a positive number of seconds",
        ]
    );
}

#[test]
fn unclosed_toml_front_matter() {
    let (chapter, d) = parse("+++\ntitle = \"x\"\n# Heading\n");
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].pos.line, d[0].pos.column), (1, 1));
    assert_eq!(chapter.title, "Heading");
}

#[test]
fn yaml_front_matter_at_the_top_only() {
    let (chapter, d) =
        parse("---\ntitle: \"Getting started\"\nnext_page: app.md\n---\n\n## First\n");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(chapter.title, "Getting started");
    assert!(
        !chapter.markdown.contains("next_page"),
        "front matter is never shown"
    );
    assert_eq!(chapter.body_first_line, 5);

    // Without a `title:` the first heading is the title.
    let (chapter, _) = parse("---\nnext_page: app.md\n---\n## The command you just ran\n");
    assert_eq!(chapter.title, "The command you just ran");

    // A `---` block later in the file is a rule and a setext heading, not metadata.
    let text = "Intro\n\n---\ntitle: x\n---\n";
    let (chapter, d) = parse(text);
    assert!(d.is_empty());
    assert_eq!(chapter.markdown, text);
    assert_eq!(chapter.title, "title: x");
    assert_eq!(chapter.body_first_line, 1);
}

#[test]
fn a_rule_at_the_top_is_not_yaml() {
    let text = "---\n\n# Title\n\nText\n";
    let (chapter, d) = parse(text);
    assert!(d.is_empty());
    assert_eq!(chapter.markdown, text);
    assert_eq!(chapter.title, "Title");
}

#[test]
fn unclosed_yaml_front_matter_is_an_error() {
    let (chapter, d) = parse("---\ntitle: x\n# Heading\n");
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("never closed"));
    assert_eq!(chapter.steps.len(), 0);
}

#[test]
fn crlf_and_bom() {
    let (chapter, d) =
        parse("\u{feff}+++\r\ntitle = \"W\"\r\n+++\r\n```sh {id=a}\r\necho hi\r\n```\r\n");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(chapter.title, "W");
    assert_eq!(chapter.steps[0].code, "echo hi\n");
    assert_eq!(chapter.steps[0].pos.line, 4);
}

#[test]
fn isolated_in_front_matter_and_on_blocks() {
    let (chapter, d) = parse("+++\nisolated = true\n+++\n# T\n\n```sh {isolated}\ntrue\n```\n");
    assert!(d.is_empty(), "{d:?}");
    assert!(chapter.front.isolated && chapter.steps[0].attrs.isolated);
    let d =
        diags("+++\nisolated = \"yes\"\n+++\n# T\n\n```text {file=\"a.txt\" isolated}\nA\n```\n");
    assert_eq!(d.len(), 2, "{d:?}");
    assert!(
        d[0].contains("2:1: error: front matter `isolated` must be true or false"),
        "{d:?}"
    );
    assert!(
        d[1].contains("warning: `isolated` has no effect on a file step"),
        "{d:?}"
    );
}

#[test]
fn a_chapter_is_made_in_the_text_it_was_handed() {
    let texts = [
        "# Plain\n\n```sh {id=a}\necho hi\n```\n",
        "\u{feff}+++\r\ntitle = \"W\"\r\n+++\r\n```sh {id=a}\r\necho hi\r\n```\r\n",
        "---\ntitle: Y\n---\n# Body\n\n!!! note\n    Admonished.\n",
        "# Marks\n\n```sh\nls\n```{{exec}}\n",
    ];
    for text in texts {
        let owned = super::parse::parse_owned(PATH, "03-build-and-run.md", text.to_string());
        assert_eq!(
            format!("{owned:?}"),
            format!("{:?}", parse(text)),
            "{text:?}"
        );
    }
    // Nothing to strip or rewrite: the file's text is the markdown, moved, not copied.
    let text = String::from("# Plain\n\nText.\n");
    let address = text.as_ptr();
    let (chapter, _) = super::parse::parse_owned(PATH, "03-build-and-run.md", text);
    assert_eq!(chapter.markdown.as_str().as_ptr(), address);
}
