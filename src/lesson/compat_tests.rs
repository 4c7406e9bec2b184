//! Third-party markup: foreign attributes, runme's attributes, Killercoda's markers.

use super::parse_tests::{diags, parse};
use super::*;

#[test]
fn foreign_attributes_never_block() {
    // Docker's docs, MkDocs, Docusaurus: on blocks that are not steps, quiet.
    let text = "```text {collapse=true,title=\".gitignore\"}\n__pycache__\n```\n\n```yaml {hl_lines=\"2 3\" linenums=\"1\"}\na: 1\n```\n\n```python {bogus=1}\nprint()\n```\n";
    assert_eq!(diags(text), Vec::<String>::new());
    // Known foreign attributes on a step: quiet too.
    let (chapter, d) = parse("```bash {title=\"Build\" collapse=true}\ndocker build -t x .\n```\n");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(chapter.steps.len(), 1);
}

#[test]
fn an_unknown_attribute_on_a_step_is_a_warning_with_a_hint() {
    assert_eq!(
        diags("```sh {timout=30}\necho hi\n```\n"),
        ["1:8: warning: unknown attribute `timout` ignored (did you mean `timeout`?)"]
    );
}

#[test]
fn runme_attributes_map_to_ours() {
    let (chapter, d) = parse(
        "```sh { name=build-image interactive=false background=false excludeFromRunAll=true }\ndocker build -t x .\n```\n\n```sh {\"id\":\"01HF7B0KK32HBQ9X4AC2GPMZG5\",\"name\":\"serve\",\"background\":\"true\"}\npython -m http.server\n```\n\n```bash {\"cwd\":\"app\",\"interactive\":\"false\"}\nls\n```\n",
    );
    assert!(d.is_empty(), "{d:?}");
    let [build, serve, list] = chapter.steps.as_slice() else {
        panic!("three steps: {:?}", chapter.steps)
    };
    assert_eq!(build.id, "build-image");
    assert!(build.attrs.confirm, "excludeFromRunAll asks before running");
    assert!(!build.attrs.interactive);
    assert_eq!(serve.id, "serve", "runme's name wins over its generated id");
    assert!(serve.attrs.background);
    assert_eq!(list.copy_text(), "ls\n", "runs as written, in its folder");
    assert_eq!(list.attrs.cwd.as_deref(), Some("app"));
}

#[test]
fn killercoda_exec_after_the_closing_fence() {
    let text = "Build it:\n\n```plain\ndocker build -t sample-image .\n```{{exec}}\n\nCopy this:\n\n```\nkey1=value1\n```{{copy}}\n\nThen `docker ps`{{exec}} and `docker images`{{execute}}.\n\n```bash\necho after\n```\n";
    let (chapter, d) = parse(text);
    assert!(d.is_empty(), "{d:?}");
    let scripts: Vec<&str> = chapter.steps.iter().map(|s| s.copy_text()).collect();
    assert_eq!(
        scripts,
        [
            "docker build -t sample-image .\n",
            "docker ps\n",
            "docker images\n",
            "echo after\n"
        ]
    );
    // Positions stay: the markers are blanked, not removed.
    assert_eq!(chapter.markdown.len(), text.len());
    assert!(!chapter.markdown.contains("{{"));
    assert_eq!(chapter.steps[0].pos.line, 3);
    assert_eq!(chapter.steps[1].pos.line, 13);
}

#[test]
fn killercoda_scenario_folder_opens_as_a_course() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("index.json"),
        r#"{"title":"Envs","description":"Run with env","details":{"intro":{"text":"intro.md","background":"setup.sh","foreground":"missing.sh"},"steps":[{"title":"Build it","text":"step1/text.md","verify":"step1/verify.sh"}],"finish":{"text":"finish.md"}},"backend":{"imageid":"ubuntu"}}"#,
    )
    .unwrap();
    std::fs::create_dir(d.join("step1")).unwrap();
    std::fs::write(d.join("intro.md"), "# Welcome\n\nHello.\n").unwrap();
    std::fs::write(d.join("setup.sh"), "echo preparing\n").unwrap();
    std::fs::write(
        d.join("step1/text.md"),
        "Build `sample-image`.\n\n<details><summary>Solution</summary>\n\n```plain\ndocker build -t sample-image .\n```{{exec}}\n\n</details>\n",
    )
    .unwrap();
    std::fs::write(
        d.join("step1/verify.sh"),
        "docker image inspect sample-image\n",
    )
    .unwrap();
    std::fs::write(d.join("finish.md"), "Done!\n").unwrap();
    let course = load_path(d).unwrap();
    let [missing] = course.diagnostics.as_slice() else {
        panic!("one warning: {:?}", course.diagnostics)
    };
    assert_eq!(missing.severity, Severity::Warning);
    assert!(
        missing.message.contains("missing.sh"),
        "{}",
        missing.message
    );
    assert_eq!(course.title, "Envs");
    let titles: Vec<&str> = course.chapters.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["Introduction", "Build it", "Finish"]);
    let intro = &course.chapters[0];
    assert_eq!(intro.steps.len(), 1);
    assert!(intro.steps[0].attrs.confirm, "setup scripts ask first");
    assert_eq!(intro.steps[0].copy_text(), "echo preparing\n");
    let step1 = &course.chapters[1];
    assert_eq!(step1.steps.len(), 1);
    let task = &step1.steps[0];
    assert_eq!(task.id, "step1-verify");
    assert_eq!(task.copy_text(), "docker image inspect sample-image\n");
    let spec = task
        .task
        .as_ref()
        .expect("the verify script is the task's check");
    assert_eq!(spec.solution.len(), 1);
    assert_eq!(
        spec.solution[0].copy_text(),
        "docker build -t sample-image .\n"
    );
    assert!(step1.display_path.ends_with("step1/text.md"));
}
