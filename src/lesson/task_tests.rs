//! Task parsing: the `task` flag, `watch`, hints and solutions in `<details>` blocks, and the
//! errors of section 1 of the format (no id, no check, orphan hint, solution that cannot run).

use super::parse_tests::{diags, parse};

const TASK: &str = r#"# Build

Some text.

```sh {id=build}
docker build -t x .
```

Your image has no health check. Add one.

```sh {task id=healthcheck watch="Dockerfile app/*.py"}
grep -q HEALTHCHECK Dockerfile
```

<details><summary>Hint</summary>

`HEALTHCHECK CMD …` goes in the Dockerfile.

</details>

<details>
<summary><b>Hint 2</b></summary>

The image has Python, not curl:

```sh
python -c 'print(1)'
```

</details>

<details><summary>Solution</summary>

```dockerfile {file="Dockerfile"}
FROM python:3.12-slim
HEALTHCHECK CMD python -c 'print(1)'
```

```sh
docker build -t x .
```

</details>

<details><summary>More about health checks</summary>

```sh {id=after}
echo after
```

</details>
"#;

#[test]
fn task_with_watch_hints_and_solution() {
    let (chapter, diagnostics) = parse(TASK);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let ids: Vec<&str> = chapter.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        ["build", "healthcheck", "after"],
        "solution and hint blocks are not chapter steps; a plain <details> block's are"
    );
    assert_eq!(chapter.steps[2].index, 2);
    let task = &chapter.steps[1];
    assert!(task.is_task() && !chapter.steps[0].is_task());
    assert_eq!(task.index, 1);
    assert_eq!(task.copy_text(), "grep -q HEALTHCHECK Dockerfile\n");
    let spec = task.task.as_ref().unwrap();
    assert_eq!(spec.watch, ["Dockerfile", "app/*.py"]);
    assert_eq!(spec.hints.len(), 2);
    assert_eq!(
        spec.hints[0].markdown,
        "`HEALTHCHECK CMD …` goes in the Dockerfile."
    );
    assert!(spec.hints[1].markdown.starts_with("The image has Python"));
    assert!(
        spec.hints[1].markdown.ends_with("```"),
        "{:?}",
        spec.hints[1]
    );
    let first = &chapter.markdown[spec.hints[0].span.clone()];
    assert!(
        first.starts_with("<details><summary>Hint</summary>"),
        "{first}"
    );
    assert!(first.ends_with("</details>\n"), "{first}");
    assert_eq!(spec.hints[1].pos.line, 21);
    let solution: Vec<(&str, usize)> = spec
        .solution
        .iter()
        .map(|s| (s.id.as_str(), s.index))
        .collect();
    assert_eq!(
        solution,
        [("healthcheck-solution-1", 0), ("healthcheck-solution-2", 1)]
    );
    assert!(matches!(
        &spec.solution[0].kind,
        super::StepKind::File { path } if path == "Dockerfile"
    ));
    let block = &chapter.markdown[spec.solution_span.clone().unwrap()];
    assert!(block.starts_with("<details><summary>Solution"), "{block}");
    assert!(block.trim_end().ends_with("</details>"), "{block}");
    assert!(!block.contains("More about"), "{block}");
    assert_eq!(chapter.step_at(spec.solution[0].span.start), None);
}

#[test]
fn task_errors_no_id_no_check_not_shell() {
    let d = diags("```sh {task}\ntest -f x\n```\n");
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].starts_with("1:8: error: a task needs an `id`"),
        "{d:?}"
    );
    let (chapter, _) = parse("```sh {task}\ntest -f x\n```\n");
    assert!(
        chapter.steps[0].is_task(),
        "still a task, so its hints attach"
    );

    let text = "```sh {task id=t}\n```\n\n<details><summary>Hint</summary>\n\nx\n\n</details>\n";
    let d = diags(text);
    assert_eq!(
        d.len(),
        1,
        "no second error for the hint of a broken task: {d:?}"
    );
    assert!(d[0].contains("a task needs a check"), "{d:?}");
    assert!(parse(text).0.steps.is_empty());

    let d = diags("```dockerfile {task id=t file=\"Dockerfile\"}\nFROM x\n```\n");
    assert!(
        d.iter().any(|m| m.contains("must be a shell block")),
        "{d:?}"
    );
    assert!(
        d.iter()
            .any(|m| m.contains("`file` cannot be used with `task`")),
        "{d:?}"
    );
}

#[test]
fn task_attribute_errors() {
    let d = diags("```sh {id=x watch=\"a\"}\necho\n```\n");
    assert!(d[0].contains("`watch` only applies to a task"), "{d:?}");
    let d = diags("```sh {task id=x watch=\"../etc/passwd\"}\ntrue\n```\n");
    assert!(d[0].contains("escapes the workspace"), "{d:?}");
    let d = diags("```sh {task id=x background}\nsleep 1\n```\n");
    assert!(
        d[0].contains("`background` cannot be used with `task`"),
        "{d:?}"
    );
    let d = diags("```sh {tsak id=x}\ntrue\n```\n");
    assert!(d[0].contains("did you mean `task`"), "{d:?}");
}

#[test]
fn hint_or_solution_without_task_before_it() {
    // In a chapter with tasks, a misplaced fold is the author's mistake.
    let d = diags(
        "# T\n\n<details><summary>Hint</summary>\n\nx\n\n</details>\n\n```sh {task id=t}\ntrue\n```\n",
    );
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].starts_with("3:1: error: this hint has no task before it"),
        "{d:?}"
    );

    let text = "```sh {task id=t}\ntrue\n```\n\n```sh\necho other\n```\n\n<details><summary>Solution</summary>\n\n```sh\necho fix\n```\n\n</details>\n";
    let d = diags(text);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(
        d[0].contains("this solution has no task before it"),
        "{d:?}"
    );
}

#[test]
fn a_solution_fold_in_a_chapter_without_tasks_is_ordinary_content() {
    // Workshops write "Exercise … <details><summary>Solution</summary> commands </details>".
    let text = "# Exercise\n\nStart a container.\n\n<details><summary>Solution</summary>\n\n```sh\necho fix\n```\n\n</details>\n\n<details>\n<summary>Hint</summary>\n\nLook up `docker run`.\n";
    let (chapter, diagnostics) = parse(text);
    assert!(
        diagnostics
            .iter()
            .all(|d| d.severity == crate::lesson::Severity::Info),
        "{diagnostics:?}"
    );
    assert_eq!(diagnostics.len(), 2, "{diagnostics:?}");
    assert!(
        diagnostics[0]
            .message
            .contains("“Solution” fold in a chapter without tasks")
    );
    assert_eq!(diagnostics[0].pos.line, 5);
    // Its commands are steps like those of any other fold; the unclosed hint is not an error.
    assert_eq!(chapter.steps.len(), 1);
    assert_eq!(chapter.steps[0].code, "echo fix\n");
}

#[test]
fn solution_that_cannot_run() {
    let text = "```sh {task id=t}\ntrue\n```\n\n<details><summary>Solution</summary>\n\nJust think harder.\n\n```text\nnothing to run\n```\n\n</details>\n";
    let d = diags(text);
    assert!(
        d.iter().any(|m| m.starts_with("5:1: error: the solution of task `t` has no step that can run")),
        "{d:?}"
    );
    let text = "```sh {task id=t}\ntrue\n```\n\n<details><summary>Solution</summary>\n\n```sh\ndocker run -it x sh\n```\n\n</details>\n";
    let d = diags(text);
    assert!(
        d.iter()
            .any(|m| m.contains("takes over the terminal cannot be applied")),
        "{d:?}"
    );
    let text = "```sh {task id=t}\ntrue\n```\n\n<details><summary>Solution</summary>\n\n```sh\ntrue\n```\n\n</details>\n\n<details><summary>Solution</summary>\n\n```sh\ntrue\n```\n\n</details>\n";
    let d = diags(text);
    assert!(
        d.iter().any(|m| m.contains("already has a solution")),
        "{d:?}"
    );
}

#[test]
fn unclosed_solution_is_reported_and_kept() {
    let text = "```sh {task id=t}\ntrue\n```\n\n<details><summary>Solution</summary>\n\n```sh\necho fix\n```\n";
    let (chapter, diagnostics) = parse(text);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(diagnostics[0].message.contains("never closed"));
    let spec = chapter.steps[0].task.as_ref().unwrap();
    assert_eq!(spec.solution.len(), 1);
}

#[test]
fn duplicate_ids_across_solution_steps_are_linted() {
    let dir = tempfile::tempdir().unwrap();
    let text = "```sh {id=fix}\ntrue\n```\n\n```sh {task id=t}\ntrue\n```\n\n<details><summary>Solution</summary>\n\n```sh {id=fix}\ntrue\n```\n\n</details>\n";
    std::fs::write(dir.path().join("01-a.md"), text).unwrap();
    let course = super::load_path(dir.path()).unwrap();
    let all = super::lint(&course, &[]);
    assert!(
        all.iter()
            .any(|d| d.message.contains("duplicate step id `fix`")),
        "{all:?}"
    );
}
