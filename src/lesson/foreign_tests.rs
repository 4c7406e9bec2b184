//! Foreign markup → CommonMark with box markers, line for line.

use super::*;

fn norm(text: &str) -> String {
    let out = normalize(text).into_owned();
    assert_eq!(
        out.matches('\n').count(),
        text.matches('\n').count(),
        "line count kept: {out:?}"
    );
    assert_eq!(normalize(&out), out, "idempotent");
    out
}

#[test]
fn plain_markdown_is_borrowed() {
    assert!(matches!(
        normalize("# Title\n\nText with {braces} and `code`.\n"),
        Cow::Borrowed(_)
    ));
}

#[test]
fn mkdocs_admonitions_become_sized_boxes_with_their_body_dedented() {
    let md = "!!! info \"Pro-tip\"\n    Body **text**.\n\n    ```bash\n    docker ps\n    ```\n\nAfter.\n";
    let out = norm(md);
    let first = out.lines().next().unwrap();
    let Some(BoxMarker::Open(spec)) = parse_marker(first) else {
        panic!("{out}")
    };
    assert_eq!(
        (spec.kind.as_str(), spec.title.as_str()),
        ("info", "Pro-tip")
    );
    assert_eq!(spec.folded, None);
    let end = spec.len.unwrap();
    assert_eq!(&out[end..], "\nAfter.\n", "len reaches the end of the body");
    assert!(
        out.contains("\nBody **text**.\n\n```bash\ndocker ps\n```\n"),
        "{out}"
    );
}

#[test]
fn collapsible_and_nested_admonitions() {
    let md = "??? warning\n    Outer.\n\n    ???+ tip \"Inner\"\n        Deep.\nNext\n";
    let out = norm(md);
    let lines: Vec<&str> = out.lines().collect();
    let Some(BoxMarker::Open(outer)) = parse_marker(lines[0]) else {
        panic!("{out}")
    };
    assert_eq!(outer.folded, Some(true));
    assert_eq!(outer.title, "Warning");
    let Some(BoxMarker::Open(inner)) = parse_marker(lines[3]) else {
        panic!("{out}")
    };
    assert_eq!((inner.folded, inner.title.as_str()), (Some(false), "Inner"));
    assert_eq!(lines[4], "Deep.");
    let outer_end = outer.len.unwrap();
    assert_eq!(&out[outer_end..], "Next\n");
    let inner_start = out.find(lines[3]).unwrap();
    assert_eq!(&out[inner_start + inner.len.unwrap()..], "Next\n");
}

#[test]
fn remark_presenter_notes_and_prose_exclamations_are_left_alone() {
    let md = "Slide text\n\n???\n\nNotes for the speaker.\n\n!!! Wow\n\nSetext\n===\n";
    assert_eq!(norm(md), md);
}

#[test]
fn mkdocs_content_tabs_are_labelled_boxes() {
    let md = "=== \"Linux\"\n\n    ```bash\n    docker ps\n    ```\n\n=== \"Windows\"\n\n    Use PowerShell.\n";
    let out = norm(md);
    let titles: Vec<String> = out
        .lines()
        .filter_map(parse_marker)
        .filter_map(|m| match m {
            BoxMarker::Open(s) => Some(format!("{}:{}", s.kind, s.title)),
            BoxMarker::Close => None,
        })
        .collect();
    assert_eq!(titles, ["tab:Linux", "tab:Windows"]);
    assert!(out.contains("\n```bash\ndocker ps\n```\n"), "{out}");
}

#[test]
fn myst_directive_fences_are_boxes_and_code_directives_plain_fences() {
    let md = "````{admonition} Mind the port\n:class: tip\nText.\n```bash\ndocker ps\n```\n````\n\n```{code-block} python\n:linenos:\nprint(1)\n```\n\n```{toctree}\nintro\n```\n";
    let out = norm(md);
    let lines: Vec<&str> = out.lines().collect();
    let Some(BoxMarker::Open(spec)) = parse_marker(lines[0]) else {
        panic!("{out}")
    };
    assert_eq!(spec.title, "Mind the port");
    assert_eq!(lines[1], "", "option line dropped");
    assert_eq!(&lines[3..6], ["```bash", "docker ps", "```"]);
    assert_eq!(parse_marker(lines[6]), Some(BoxMarker::Close));
    assert_eq!(&lines[8..12], ["", "```python", "print(1)", "```"]);
    assert_eq!(lines[13], "```{toctree}", "unknown directives stay code");
}

#[test]
fn colon_fences_of_myst_quarto_pandoc_and_docusaurus() {
    let md = ":::{warning}\nCareful.\n:::\n\n::: {.callout-tip title=\"Faster\" collapse=\"true\"}\nUse cache.\n:::\n\n:::note[Heads up]\nHi\n:::\n\n::: columns\nleft\n:::\n";
    let out = norm(md);
    let specs: Vec<BoxMarker> = out.lines().filter_map(parse_marker).collect();
    let opens: Vec<(String, String, Option<bool>)> = specs
        .iter()
        .filter_map(|m| match m {
            BoxMarker::Open(s) => Some((s.kind.clone(), s.title.clone(), s.folded)),
            BoxMarker::Close => None,
        })
        .collect();
    assert_eq!(
        opens,
        [
            ("warning".into(), "Warning".into(), None),
            ("callout-tip".into(), "Faster".into(), Some(true)),
            ("note".into(), "Heads up".into(), None),
        ]
    );
    assert_eq!(specs.len(), 6, "three opens, three closes: {out}");
    assert!(
        out.contains("\n\nleft\n\n"),
        "layout div dropped, text kept: {out}"
    );
}

#[test]
fn hugo_shortcodes_tabs_callouts_highlight_and_unknown() {
    let md = "{{< tabs >}}\n{{< tab name=\"CLI\" >}}\n```console\n$ docker ps\n```\n{{< /tab >}}\n{{< /tabs >}}\n\n{{% notice warning %}}\nBe careful.\n{{% /notice %}}\n\n{{< highlight bash >}}\necho {{< tab >}}\n{{< /highlight >}}\n\n{{< youtube abc >}}\nSee {{< ref \"other.md\" >}} and `{{< kept >}}`.\n";
    let out = norm(md);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "");
    assert!(
        matches!(parse_marker(lines[1]), Some(BoxMarker::Open(s)) if s.kind == "tab" && s.title == "CLI")
    );
    assert_eq!(lines[2], "```console");
    assert_eq!(parse_marker(lines[5]), Some(BoxMarker::Close));
    assert_eq!(lines[6], "");
    assert!(matches!(parse_marker(lines[8]), Some(BoxMarker::Open(s)) if s.kind == "warning"));
    assert_eq!(parse_marker(lines[10]), Some(BoxMarker::Close));
    assert_eq!(&lines[12..15], ["```bash", "echo {{< tab >}}", "```"]);
    assert_eq!(lines[16], "");
    assert_eq!(lines[17], "See and `{{< kept >}}`.");
}

#[test]
fn killercoda_and_go_templates_are_not_shortcodes() {
    let md = "```{{exec}}\ndocker ps --format '{{ .Names }}'\n```\n";
    assert_eq!(norm(md), md);
}

#[test]
fn dedent_handles_tabs_and_keeps_outer_indentation() {
    assert_eq!(dedent("\tcode", 0, 4), "code");
    assert_eq!(dedent("  \tcode", 2, 4), "  code");
    assert_eq!(dedent("        deep", 0, 4), "    deep");
}

#[test]
fn titles_never_end_the_marker_early() {
    let spec = BoxSpec {
        kind: "note".into(),
        title: "a --> b\u{1b}".into(),
        ..BoxSpec::default()
    };
    let marker = spec.marker();
    assert_eq!(marker.matches("-->").count(), 1, "{marker}");
    assert!(matches!(parse_marker(&marker), Some(BoxMarker::Open(s)) if s.title == "a -> b"));
}

#[test]
fn steps_inside_admonitions_tabs_and_directives_are_steps_on_their_file_lines() {
    let md = "# T\n\n!!! tip \"Try\"\n    ```bash\n    docker ps\n    ```\n\n{{< tab name=\"CLI\" >}}\n```sh\ndocker images\n```\n{{< /tab >}}\n\n````{note}\n```bash\necho hi\n```\n````\n\n:::{warning}\n```sh\ndocker version\n```\n:::\n";
    let (chapter, diagnostics) = crate::lesson::parse_chapter("t.md", "t.md", md);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let steps: Vec<(&str, usize)> = chapter
        .steps
        .iter()
        .map(|s| (s.code.trim_end(), s.pos.line))
        .collect();
    assert_eq!(
        steps,
        [
            ("docker ps", 4),
            ("docker images", 9),
            ("echo hi", 15),
            ("docker version", 21)
        ]
    );
}

#[test]
fn triggers_are_found_as_a_search_for_each_would_find_them() {
    let naive = |body: &str| super::TRIGGERS.iter().any(|t| body.contains(t));
    let mut bodies = vec![
        "plain text\n".to_string(),
        "Title\n===\n\n=== tab\n== \"x\"\n?? no\n!! no\n:: no\n``` {x}\n{x}\n{ {<\n".to_string(),
        "ends in a head ===".to_string(),
        "ends in part of one =".to_string(),
        String::new(),
    ];
    for trigger in super::TRIGGERS {
        bodies.push(format!("before\n{trigger} after\n"));
        bodies.push(format!("a{trigger}"));
        bodies.push(trigger.to_string());
        // Its head alone is not enough when the trigger is longer.
        bodies.push(format!("x {}", &trigger[..trigger.len() - 1]));
    }
    for body in &bodies {
        assert_eq!(super::has_trigger(body), naive(body), "{body:?}");
    }
}
