//! Parser tests: attribute grammar, console prompts, file steps, front matter, positions.

use super::*;

pub(super) const PATH: &str = "course/03-build-and-run.md";

pub(super) fn parse(text: &str) -> (Chapter, Vec<Diagnostic>) {
    parse_chapter(PATH, "03-build-and-run.md", text)
}

/// Diagnostics as `line:col: severity: message` for compact assertions.
pub(super) fn diags(text: &str) -> Vec<String> {
    parse(text)
        .1
        .iter()
        .map(|d| {
            format!(
                "{}:{}: {}: {}",
                d.pos.line, d.pos.column, d.severity, d.message
            )
        })
        .collect()
}

fn only_step(text: &str) -> Step {
    let (chapter, diagnostics) = parse(text);
    assert_eq!(chapter.steps.len(), 1, "{diagnostics:?}");
    chapter.steps.into_iter().next().unwrap()
}

#[test]
fn attributes_quoted_escaped_and_flags() {
    let step = only_step(
        "```sh {id=build timeout=900 check=\"docker image inspect \\\"x\\\"\" confirm expect='\\d+ items' exit=3}\ndocker build -t x .\n```\n",
    );
    assert_eq!(step.id, "build");
    assert_eq!(step.attrs.timeout, Some(900));
    assert_eq!(
        step.attrs.check.as_deref(),
        Some("docker image inspect \"x\"")
    );
    assert!(step.attrs.confirm);
    assert_eq!(step.attrs.expect.as_deref(), Some("\\d+ items"));
    assert_eq!(step.attrs.exit, 3);
    assert!(
        !step.attrs.interactive,
        "`docker build -t` is a tag, not a TTY"
    );
    assert_eq!(step.lang, "sh");
    assert_eq!(step.copy_text(), "docker build -t x .\n");
}

#[test]
fn backslash_escapes_only_quote_and_backslash() {
    let step = only_step("```sh {expect=\"a\\\\b \\. \\\"q\\\"\"}\necho\n```\n");
    assert_eq!(step.attrs.expect.as_deref(), Some("a\\b \\. \"q\""));
}

#[test]
fn grammar_errors_point_at_the_exact_column() {
    // Columns: ``` is 1-3, `sh` 4-5, space 6, `{` 7.
    assert_eq!(
        diags("```sh {check=\"abc}\necho\n```\n"),
        ["1:14: error: unterminated quoted value: add the closing \""]
    );
    assert_eq!(
        diags("```sh {id=a\necho\n```\n"),
        ["1:12: error: missing `}` to close the attribute list opened at column 7"]
    );
    assert_eq!(
        diags("```sh {=x}\necho\n```\n"),
        ["1:8: error: attribute name missing before `=`"]
    );
    assert_eq!(
        diags("```sh {id=\"a\"b}\necho\n```\n"),
        ["1:14: error: expected a space or `}` after attribute `id`, found `b`"]
    );
    assert_eq!(
        diags("```sh {timeout= id=x}\necho\n```\n"),
        ["1:15: error: attribute `timeout` has no value after `=`"]
    );
    assert_eq!(
        diags("```sh {confirm} trailing\necho\n```\n"),
        ["1:17: warning: text after the attribute list is ignored"]
    );
}

#[test]
fn attribute_value_errors() {
    let text = "```sh {timeout=0}\na\n```\n\n```sh {timeout=ten exit=x}\nb\n```\n\n```sh {exit=300 expect=\"(unclosed\"}\nc\n```\n\n```sh {ready=\"http://localhost:5000/\" tiemout=3 confirm=yes confirm}\nd\n```\n";
    assert_eq!(
        diags(text),
        [
            "1:16: error: `timeout=0` would stop the step at once: give seconds > 0",
            "5:16: error: `timeout` must be a whole number of seconds, got `ten`",
            "5:25: error: `exit` must be an exit code from 0 to 255, got `x`",
            "9:13: error: `exit` must be an exit code from 0 to 255, got `300`",
            "9:24: error: `expect` is not a valid regex: unclosed group",
            "13:57: error: `confirm` is a flag: write `confirm` alone, not `confirm=yes`",
            "13:61: error: attribute `confirm` is given twice",
            "13:8: error: `ready` only applies to a `background` step: add `background`",
            "13:39: warning: unknown attribute `tiemout` ignored (did you mean `timeout`?)",
        ]
    );
}

#[test]
fn ready_url_or_command_and_background() {
    let (chapter, d) = parse(
        "```sh {background ready=\"http://localhost:5000/health\"}\nserve\n```\n\n```sh {background ready=\"curl -sf localhost\"}\nserve\n```\n",
    );
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(
        chapter.steps[0].attrs.ready,
        Some(Ready::Url("http://localhost:5000/health".into()))
    );
    assert_eq!(
        chapter.steps[1].attrs.ready,
        Some(Ready::Command("curl -sf localhost".into()))
    );
    assert!(chapter.steps[1].attrs.background);
}

#[test]
fn console_prompts_continuations_and_output() {
    let step = only_step(
        "```console\n$ docker run --rm \\\n>   hello-world\nHello from Docker!\n$ echo done\ndone\n```\n",
    );
    let StepKind::Command { script } = &step.kind else {
        panic!("not a command step: {step:?}");
    };
    assert_eq!(script, "docker run --rm \\\n  hello-world\necho done\n");
    assert!(
        step.code.contains("Hello from Docker!"),
        "sample output stays visible"
    );
    // The same language spelled `shell-session`.
    let step = only_step("```shell-session\n$ ls\nfile\n```\n");
    assert_eq!(step.copy_text(), "ls\n");
}

#[test]
fn console_block_without_prompt_is_not_a_step() {
    let (chapter, d) =
        parse("```console\nHello from Docker!\n```\n\n```console {id=x}\noutput\n```\n");
    assert!(chapter.steps.is_empty());
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("no command to run"), "{d:?}");
    assert_eq!((d[0].pos.line, d[0].pos.column), (5, 1));
}

#[test]
fn shell_languages_and_non_steps() {
    let text = "```bash\na\n```\n```zsh\nb\n```\n```shell\nc\n```\n```python\nprint()\n```\n```\nplain\n```\n    indented code\n\n```sh {norun}\nrm -rf /\n```\n```SH\nd\n```\n";
    let (chapter, d) = parse(text);
    assert!(d.is_empty(), "{d:?}");
    let langs: Vec<_> = chapter.steps.iter().map(|s| s.lang.as_str()).collect();
    assert_eq!(langs, ["bash", "zsh", "shell", "sh"]);
    let ids: Vec<_> = chapter.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "build-and-run-1",
            "build-and-run-2",
            "build-and-run-3",
            "build-and-run-4"
        ]
    );
    let indexes: Vec<_> = chapter.steps.iter().map(|s| s.index).collect();
    assert_eq!(indexes, [0, 1, 2, 3]);
}

#[test]
fn our_attributes_on_a_non_step_block_warn() {
    let d = diags("```python {timeout=5}\nprint()\n```\n");
    assert_eq!(
        d,
        [
            "1:1: warning: a `python` block is a step only with `file=\"PATH\"` (or use a shell language), so its attributes are ignored"
        ]
    );
    // An `id` alone (runme gives every block one) and foreign attributes are quiet.
    assert_eq!(
        diags("```python {id=x}\nprint()\n```\n"),
        Vec::<String>::new()
    );
}

#[test]
fn prompts_in_a_sh_block_are_removed_quietly() {
    let step = only_step("```bash\n$ docker ps\n\n$ docker images\n```\n");
    assert_eq!(step.copy_text(), "docker ps\ndocker images\n");
    assert_eq!(diags("```sh\n$ docker ps\n```\n"), Vec::<String>::new());
}

#[test]
fn a_sh_block_with_sample_output_runs_only_its_commands_and_says_so() {
    let (chapter, d) = parse(
        "```sh\n$ docker build -t x .\n ---> Running in eb8d9b561b37\n$ docker run -it x bash\nroot@04c0bb0a6c07:/# ls\n```\n",
    );
    let step = &chapter.steps[0];
    assert_eq!(
        step.copy_text(),
        "docker build -t x .\ndocker run -it x bash\n"
    );
    assert_eq!(step.reading.shown.len(), 2);
    let infos: Vec<String> = d
        .iter()
        .filter(|d| d.severity == Severity::Info)
        .map(|d| format!("{}:{}", d.pos.line, d.message))
        .collect();
    assert_eq!(infos.len(), 2, "{d:?}");
    assert!(
        infos[0].starts_with(
            "5:this line is typed at another machine's prompt (`root@04c0bb0a6c07:/#`)"
        ),
        "{infos:?}"
    );
    assert!(infos[1].starts_with("2:read as a terminal transcript: 2 commands after a prompt run, 1 other line is sample output"), "{infos:?}");
}

#[test]
fn output_only_shell_blocks_are_not_steps() {
    let (chapter, d) = parse(
        "```bash\nCONTAINER ID   IMAGE     COMMAND\n4a5b6c7d8e9f   nginx     \"nginx\"\n```\n",
    );
    assert!(chapter.steps.is_empty());
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].severity, Severity::Info);
    assert!(d[0].message.contains("read as sample output, not a step"));
}

#[test]
fn file_steps() {
    let (chapter, d) = parse(
        "```dockerfile {file=\"Dockerfile\"}\nFROM python:3.12-slim\n```\n\n```text {file=\"./app/requirements.txt\" id=reqs}\nflask==3.0.3\n```\n\n```python {file=\"../evil.py\"}\nx\n```\n\n```sh {file=\"/etc/x\"}\ny\n```\n",
    );
    assert_eq!(chapter.steps.len(), 2);
    assert_eq!(
        chapter.steps[0].kind,
        StepKind::File {
            path: "Dockerfile".into()
        }
    );
    assert_eq!(chapter.steps[0].lang, "dockerfile");
    assert_eq!(chapter.steps[0].copy_text(), "FROM python:3.12-slim\n");
    assert_eq!(
        chapter.steps[1].kind,
        StepKind::File {
            path: "app/requirements.txt".into()
        }
    );
    assert_eq!(chapter.steps[1].id, "reqs");
    let messages: Vec<_> = d
        .iter()
        .map(|d| (d.pos.line, d.pos.column, d.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        [
            (
                9,
                17,
                "`file=\"../evil.py\"` escapes the workspace: use a relative path without `..`"
            ),
            (
                13,
                13,
                "`file=\"/etc/x\"` escapes the workspace: use a relative path without `..`"
            ),
        ]
    );
}

#[test]
fn positions_and_spans() {
    let text = "+++\ntitle = \"T\"\n+++\nIntro\n\n1. Build:\n\n   ```sh {id=b}\n   docker build -t x .\n   ```\n\n> ```bash\n> echo quoted\n> ```\n";
    let (chapter, d) = parse(text);
    assert!(d.is_empty(), "{d:?}");
    let [first, second] = chapter.steps.as_slice() else {
        panic!("two steps expected: {:?}", chapter.steps);
    };
    assert_eq!(first.pos.to_string(), format!("{PATH}:8:4"));
    assert_eq!(second.pos.to_string(), format!("{PATH}:12:3"));
    assert!(chapter.markdown[first.span.clone()].starts_with("```sh {id=b}"));
    assert!(chapter.markdown[first.span.clone()].ends_with("```"));
    assert!(chapter.markdown[second.span.clone()].starts_with("```bash"));
    assert_eq!(first.code, "docker build -t x .\n");
    assert_eq!(second.code, "echo quoted\n");
    // The renderer finds steps by the CodeBlock event's range start with the same options.
    let starts: Vec<usize> = pulldown_cmark::Parser::new_ext(&chapter.markdown, markdown_options())
        .into_offset_iter()
        .filter(|(e, _)| {
            matches!(
                e,
                pulldown_cmark::Event::Start(pulldown_cmark::Tag::CodeBlock(_))
            )
        })
        .map(|(_, r)| r.start)
        .collect();
    assert_eq!(starts, [first.span.start, second.span.start]);
    assert_eq!(chapter.step_at(starts[1]).map(|s| s.index), Some(1));
    assert_eq!(chapter.step_at(starts[1] + 1), None);
}

#[test]
fn columns_count_characters_after_wide_text() {
    let d = diags("- ünï ```x```\n\n  ~~~~sh {bad}\n  x\n  ~~~~\n");
    assert_eq!(d, ["3:11: warning: unknown attribute `bad` ignored"]);
}

#[test]
fn interactive_inference() {
    let cases = [
        ("docker run -it --rm python:3.12-slim python", true),
        ("docker run -ti ubuntu", true),
        ("docker run -t ubuntu", true),
        ("docker run --tty ubuntu", true),
        ("docker run --interactive -t ubuntu bash", true),
        ("sudo docker container run --rm -it ubuntu", true),
        ("sudo -u dev env A=1 docker exec -ti web bash", true),
        ("docker exec -it web sh", true),
        ("docker compose exec web sh", true),
        ("docker attach web", true),
        ("docker build -t flask-api .", false),
        ("docker run -dit --name x ubuntu", false),
        ("docker run --rm ubuntu ls -t", false),
        ("docker run -i ubuntu cat", false),
        ("docker run --tty=false ubuntu", false),
        ("docker compose exec -T web sh", false),
        ("docker compose exec web ls -la", false),
        ("docker run -e TERM=x -p 80:80 nginx", false),
        ("echo docker run -it", false),
    ];
    for (script, interactive) in cases {
        let step = only_step(&format!("```sh\n{script}\n```\n"));
        assert_eq!(step.attrs.interactive, interactive, "{script}");
    }
}

#[test]
fn inferred_interactive_warns_explicit_does_not() {
    let d = diags(
        "```sh\ndocker run -it ubuntu\n```\n\n```sh {interactive}\ndocker run -it ubuntu\n```\n",
    );
    assert_eq!(
        d,
        [
            "1:1: warning: `docker run` takes over the terminal: mark the step `interactive` (inferred for now)"
        ]
    );
    let d = diags("```sh {background}\ndocker run -it --name x ubuntu\n```\n");
    assert!(d[0].contains("cannot use a terminal"), "{d:?}");
}

#[test]
fn title_fallbacks_and_slugs() {
    let (chapter, _) = parse("No heading here.\n");
    assert_eq!(chapter.title, "03-build-and-run");
    let (chapter, _) = parse("Text\n\n## The `docker` *CLI*\n\n# Later\n");
    assert_eq!(chapter.title, "The docker CLI");
    assert_eq!(chapter.slug, "build-and-run");
    for (file, slug) in [
        ("03-build-and-run.md", "build-and-run"),
        ("10_Next Steps.md", "next-steps"),
        ("README.md", "readme"),
        ("01.md", "01"),
        ("tutorial-our-application.md", "tutorial-our-application"),
        ("07a-data-in-predictions-out.md", "data-in-predictions-out"),
        ("3d-printing.md", "3d-printing"),
    ] {
        assert_eq!(slug_from_file_name(file), slug, "{file}");
    }
}

#[test]
fn pandoc_and_quarto_info_strings_are_not_our_attributes() {
    let (chapter, d) = parse(
        "```{python}\nx = 1\n```\n\n```{.bash .numberLines}\nls\n```\n\n```bash hl_lines=\"2 3\"\npwd\n```\n",
    );
    assert!(d.is_empty(), "{d:?}");
    let langs: Vec<_> = chapter.steps.iter().map(|s| s.lang.as_str()).collect();
    assert_eq!(langs, ["bash", "bash"]);
}

#[test]
fn a_block_with_our_attributes_keeps_every_line_of_its_script() {
    let text = "```sh {id=port-check}\nport=$(docker port web 5000)\ncase \"$port\" in\n  \"\") echo none; exit 1 ;;\nesac\n```\n";
    let (chapter, diagnostics) = parse(text);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let StepKind::Command { script } = &chapter.steps[0].kind else {
        panic!("a command step");
    };
    assert!(script.contains("\"\") echo none; exit 1 ;;"), "{script}");
    assert!(script.trim_end().ends_with("esac"), "{script}");
}
