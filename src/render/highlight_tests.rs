//! Tests of the highlighter: which syntaxes are found (small, docs and full sets, token
//! table), colours, console prompts, huge lines, recorded styles refused when they do not fit.

use super::*;

#[test]
fn required_languages_have_syntaxes() {
    for lang in [
        "sh",
        "bash",
        "console",
        "dockerfile",
        "python",
        "yaml",
        "yml",
        "toml",
        "json",
    ] {
        assert!(is_highlighted(lang), "{lang} is not highlighted");
    }
    assert!(!is_highlighted("text"));
}

#[test]
fn highlighting_colours_keywords() {
    let theme = Theme::new(true);
    for (lang, code) in [
        (
            "dockerfile",
            "FROM python:3.12-slim\nRUN pip install flask\n",
        ),
        ("python", "import os\ndef f():\n    return 1\n"),
        ("yaml", "services:\n  web:\n    image: x\n"),
        ("toml", "[package]\nname = \"x\"\n"),
        ("json", "{\"a\": 1}\n"),
        ("sh", "docker build -t app . # build\n"),
    ] {
        let rows = highlight(code, lang, &theme);
        assert_eq!(rows.len(), code.lines().count(), "{lang}");
        let coloured = rows
            .iter()
            .flatten()
            .filter(|s| s.style.fg.is_some())
            .count();
        assert!(coloured > 0, "{lang}: no colour in {rows:?}");
    }
}

#[test]
fn console_output_is_dimmed_and_prompts_marked() {
    let theme = Theme::new(true);
    let rows = highlight("$ docker ps\nCONTAINER ID\n", "console", &theme);
    assert_eq!(rows[0][0].content, "$ ");
    assert_eq!(rows[0][0].style, theme.console_prompt);
    assert_eq!(rows[1][0].style, theme.console_output);
}

#[test]
fn monochrome_drops_colours() {
    let theme = Theme::new(false);
    let rows = highlight("FROM x\n", "dockerfile", &theme);
    assert!(rows.iter().flatten().all(|s| s.style.fg.is_none()));
}

#[test]
fn a_huge_line_keeps_all_its_text_and_colours_its_start() {
    let theme = Theme::new(true);
    let line = format!("FROM python:3.12 {}\n", "é".repeat(100_000));
    let rows = highlight(&line, "dockerfile", &theme);
    assert_eq!(rows.len(), 1);
    let text: String = rows[0].iter().map(|s| s.content.as_ref()).collect();
    assert_eq!(text, line.trim_end());
    assert!(rows[0][0].style.fg.is_some(), "FROM is still highlighted");
    let (head, tail) = split_long_line(&line);
    assert!(head.len() <= HIGHLIGHT_LIMIT && !tail.is_empty());
    assert_eq!(split_long_line("short\n"), ("short\n", ""));
}

#[test]
fn the_small_set_holds_the_course_languages_and_what_they_embed() {
    for lang in [
        "sh",
        "dockerfile",
        "python",
        "yaml",
        "toml",
        "json",
        "console",
    ] {
        let (_, set) = syntax_for(lang).unwrap();
        assert!(std::ptr::eq(set, &*SMALL_SET), "{lang} needs the full set");
    }
    // Documentation's languages come from the docs set, the rest from the full set; unknown
    // tokens from neither.
    for lang in ["markdown", "html", "c", "ruby", "go", "js", "rs", "ps1"] {
        let (_, set) = syntax_for(lang).unwrap();
        assert!(is_a_docs_set(set), "{lang} is not in a docs set");
    }
    let (haskell, set) = syntax_for("hs").unwrap();
    assert_eq!(haskell.name, "Haskell");
    assert!(std::ptr::eq(set, &*FULL_SET));
    assert!(syntax_for("example").is_none());
    assert!(syntax_for("text").is_none());
}

#[test]
fn the_token_table_finds_what_the_full_set_finds() {
    for syntax in FULL_SET.syntaxes() {
        let mut tokens = syntax.file_extensions.clone();
        tokens.push(syntax.name.clone());
        for token in tokens {
            let expected = FULL_SET.find_syntax_by_token(&token).map(|s| &s.name);
            let lower = token.to_ascii_lowercase();
            let index = SYNTAX_TOKENS.binary_search_by(|(t, _)| (*t).cmp(&lower));
            let found = index.ok().map(|i| SYNTAX_TOKENS[i].1);
            assert_eq!(found, expected.map(String::as_str), "{token}");
        }
    }
}

#[test]
fn the_small_set_highlights_like_the_full_set() {
    let samples = [
        (
            "Bourne Again Shell (bash)",
            "for f in *.csv; do\n  echo \"$f\" | tr a-z A-Z # up\ndone\ncat <<EOF\n$HOME\nEOF\n",
        ),
        (
            "Dockerfile",
            "FROM python:3.12-slim AS build\nRUN --mount=type=cache,target=/root/.cache pip install -r req.txt && echo ok\nENV A=1\nCMD [\"python\", \"app.py\"]\n",
        ),
        (
            "Python",
            "import re\n@dataclass\nclass A:\n    x: int = 0\n    def f(self):\n        return re.match(r'^a+(b|c)$', f\"{self.x!r}\")\n# done\n\"\"\"doc\"\"\"\n",
        ),
        (
            "YAML",
            "services:\n  web:\n    image: \"x:1\"\n    ports: [8000]\n    command: >\n      run it\n# c\n",
        ),
        ("TOML", "[tool.uv]\ndev = [\"pytest>=8\"]\nx = 1.5\n"),
        ("JSON", "{\"a\": [1, true, null, \"s\"]}\n"),
    ];
    assert_highlights_like_the_full_set(&SMALL_SET, &samples);
}

/// Each (syntax name, code) highlights in the cut set `cut` exactly as in the full set.
fn assert_highlights_like_the_full_set(cut: &SyntaxSet, samples: &[(&str, &str)]) {
    for &(name, code) in samples {
        let mut a = HighlightLines::new(cut.find_syntax_by_name(name).unwrap(), &ANSI_THEME);
        let full = FULL_SET.find_syntax_by_name(name).unwrap();
        let mut b = HighlightLines::new(full, &ANSI_THEME);
        for line in LinesWithEndings::from(code) {
            assert_eq!(
                a.highlight_line(line, cut).unwrap(),
                b.highlight_line(line, &FULL_SET).unwrap(),
                "{name}: {line}"
            );
        }
    }
}

fn is_a_docs_set(set: &SyntaxSet) -> bool {
    DOCS_SETS
        .iter()
        .any(|docs| docs.get().is_some_and(|docs| std::ptr::eq(docs, set)))
}

#[test]
fn the_docs_sets_highlight_like_the_full_set() {
    // Markdown and HTML embed other languages (a script, a style; a fenced block in a
    // language is drawn with the full set's Markdown): what they embed came along.
    let samples = [
        (
            "markdown",
            "# Title\n\n*em* `code` [a](b)\n\n```\nplain\n```\n\n<b>x</b>\n",
        ),
        (
            "markdown",
            "# T\n\n```python\nimport os\n```\n\n~~~ html\n<b>x</b>\n~~~\n",
        ),
        (
            "html",
            "<!doctype html>\n<style>p { color: red }</style>\n<script>let x = 1 + 2;</script>\n<p class=\"a\">t &amp; u</p>\n",
        ),
        (
            "c",
            "#include <stdio.h>\nint main(void) { printf(\"%d\\n\", 1); }\n",
        ),
        ("ruby", "def f(x)\n  puts \"#{x}\" if x =~ /a+/\nend\n"),
        ("go", "package main\nfunc main() { fmt.Println(`raw`) }\n"),
    ];
    for (lang, code) in samples {
        let (syntax, set) = syntax_for_block(lang, code).unwrap();
        let nested = lang == "markdown" && code.contains("```python");
        assert_eq!(std::ptr::eq(set, &*FULL_SET), nested, "{lang}: {code}");
        let mut a = HighlightLines::new(syntax, &ANSI_THEME);
        let full = FULL_SET.find_syntax_by_name(&syntax.name).unwrap();
        let mut b = HighlightLines::new(full, &ANSI_THEME);
        for line in LinesWithEndings::from(code) {
            assert_eq!(
                a.highlight_line(line, set).unwrap(),
                b.highlight_line(line, &FULL_SET).unwrap(),
                "{lang}: {line}"
            );
        }
    }
}

#[test]
fn a_fence_with_an_info_string_is_seen_anywhere_in_markdown() {
    for code in [
        "```py\nx\n```\n",
        "- a\n\n    ~~~~ sh\n",
        "> ```` c {x}\n",
        "\t```rust\n",
    ] {
        assert!(has_fence_with_info(code), "{code:?}");
    }
    for code in ["```\nx\n```\n", "~~~  \n", "`` a ``\n", "text ```py\n"] {
        assert!(!has_fence_with_info(code), "{code:?}");
    }
}

#[test]
fn recorded_styles_that_do_not_fit_the_code_are_refused() {
    let theme = Theme::new(true);
    let code = "FROM python:3.12-slim\nRUN pip install flask\n";
    use precomputed::Region;
    const ONE: &[Region] = &[(5, 0), (17, 0)];
    const TWO: &[Region] = &[(22, 0)];
    const SHORT: &[Region] = &[(3, 0)];
    const NO_STYLE: &[Region] = &[(22, 9999)];
    const FITS: &[&[Region]] = &[ONE, TWO];
    const BAD: &[&[&[Region]]] = &[&[ONE], &[ONE, SHORT], &[ONE, TWO, ONE], &[ONE, NO_STYLE]];
    let rows = highlight_with(code, "dockerfile", &theme, &mut Styler::Replay(FITS.iter()));
    assert_eq!(rows.map(|r| r.len()), Some(2));
    for bad in BAD {
        let rows = highlight_with(code, "dockerfile", &theme, &mut Styler::Replay(bad.iter()));
        assert!(rows.is_none(), "{bad:?}");
    }
    // A mismatch falls back to live highlighting, which draws every line.
    assert_eq!(highlight_live(code, "dockerfile", &theme).len(), 2);
}

#[test]
fn lang_token_stops_at_attributes() {
    assert_eq!(lang_token("sh {id=build}"), "sh");
    assert_eq!(lang_token("Python,ignore"), "python");
    assert_eq!(lang_token(""), "");
}

#[test]
fn the_set_names_are_the_sets_syntaxes() {
    // syntax_for picks a set by these lists before loading it: they must say what each holds.
    let names = |set: &SyntaxSet| -> Vec<String> {
        let mut names: Vec<String> = set.syntaxes().iter().map(|s| s.name.clone()).collect();
        names.sort();
        names
    };
    let listed = |list: &[&str]| -> Vec<String> {
        let mut names: Vec<String> = list.iter().map(|n| n.to_string()).collect();
        names.sort();
        names
    };
    assert_eq!(listed(SMALL_SET_NAMES), names(&SMALL_SET));
    let mut listed_in: Vec<Vec<String>> = vec![Vec::new(); DOCS_SET_BYTES.len()];
    for (name, holders) in DOCS_SET_OF {
        assert!(!holders.is_empty(), "{name}");
        for &index in *holders {
            listed_in[index].push(name.to_string());
        }
    }
    for (index, listed) in listed_in.iter_mut().enumerate() {
        listed.sort();
        assert_eq!(*listed, names(docs_set(index)), "docs set {index}");
    }
    // A language of the small set is found there, one of a docs set only there.
    assert!(std::ptr::eq(syntax_for("python").unwrap().1, &*SMALL_SET));
    assert!(is_a_docs_set(syntax_for("markdown").unwrap().1));
}
