//! Syntax highlighting of code blocks with syntect and two-face's syntaxes (bat's set, which
//! has Dockerfile and TOML). Colours come from bat's `ansi` theme: ANSI-16 palette indices, so
//! code follows the user's terminal theme on dark and light backgrounds alike.

use std::sync::LazyLock;

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;
use syntect::easy::HighlightLines;
use syntect::highlighting::{self, FontStyle, Theme as SyntectTheme};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::cells::{push_owned, sanitize_code};
pub(crate) use super::highlight_cache::{
    code_blocks, highlight_cached, highlight_in_parallel, parallel_enabled,
};
use super::theme::Theme;

/// The languages courses use (shell, Dockerfile, Python, YAML, TOML, JSON and what they
/// embed), cut from two-face's set by build.rs: it loads in a fraction of a millisecond, where
/// the full set cost a third of a coloured `show` of a chapter.
static SMALL_SET: LazyLock<SyntaxSet> = LazyLock::new(|| {
    let bytes = include_bytes!(concat!(env!("OUT_DIR"), "/syntaxes-small.bin"));
    syntect::dumps::from_uncompressed_data(bytes).expect("build.rs wrote a valid syntax set")
});
/// bat's ~200 syntaxes, loaded only for a language the small set lacks.
static FULL_SET: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);
static ANSI_THEME: LazyLock<SyntectTheme> = LazyLock::new(|| {
    let bytes = include_bytes!(concat!(env!("OUT_DIR"), "/ansi-theme.bin"));
    syntect::dumps::from_uncompressed_data(bytes).expect("build.rs wrote a valid theme")
});

mod tokens {
    include!(concat!(env!("OUT_DIR"), "/syntax-tokens.rs"));
}
use tokens::SYNTAX_TOKENS;

/// The languages whose `$ ` lines are commands and whose other lines are sample output.
pub(crate) fn is_console(lang: &str) -> bool {
    matches!(lang, "console" | "shell-session")
}

/// The language token of an info string: `sh {id=x}` → `sh`, `python,ignore` → `python`.
pub(crate) fn lang_token(info: &str) -> String {
    info.split(|c: char| c.is_whitespace() || c == '{' || c == ',')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// The syntax for a language token, and the set it belongs to (to highlight with).
pub(super) fn syntax_for(lang: &str) -> Option<(&'static SyntaxReference, &'static SyntaxSet)> {
    let token = match lang {
        "" | "text" | "plain" | "txt" => return None,
        "sh" | "shell" | "zsh" | "bash" | "console" | "shell-session" => "bash",
        "dockerfile" | "containerfile" => "Dockerfile",
        "yml" => "yaml",
        "py" | "python3" => "python",
        other => other,
    };
    // What `find_syntax_by_token` would find in the full set, without loading it.
    let token = token.to_ascii_lowercase();
    let index = SYNTAX_TOKENS
        .binary_search_by(|(t, _)| (*t).cmp(token.as_str()))
        .ok()?;
    let name = SYNTAX_TOKENS[index].1;
    let small: &'static SyntaxSet = &SMALL_SET;
    if let Some(syntax) = small.find_syntax_by_name(name) {
        return Some((syntax, small));
    }
    let full: &'static SyntaxSet = &FULL_SET;
    full.find_syntax_by_name(name).map(|syntax| (syntax, full))
}

/// Whether the renderer highlights this language (tests and docs use it).
pub fn is_highlighted(lang: &str) -> bool {
    syntax_for(&lang_token(lang)).is_some()
}

/// Highlights a code block into rows of spans (one per source line, tabs expanded, control
/// characters made harmless). Unknown languages come back unstyled.
pub(crate) fn highlight(code: &str, lang: &str, theme: &Theme) -> Vec<Vec<Span<'static>>> {
    let code = code.strip_suffix('\n').unwrap_or(code);
    let console = is_console(lang);
    // Without colour, syntect's styles would be dropped but for a rare bold: not worth loading
    // the grammars (tens of milliseconds at start-up) for plain text or `NO_COLOR`.
    let syntax = if theme.color { syntax_for(lang) } else { None };
    let mut highlighter = syntax.map(|(s, set)| (HighlightLines::new(s, &ANSI_THEME), set));
    let mut rows = Vec::new();
    for line in LinesWithEndings::from(code) {
        let mut row = Vec::new();
        let mut column = 0;
        let mut text = line;
        if console {
            match line.strip_prefix("$ ") {
                Some(command) => {
                    let prompt = sanitize_code("$ ", &mut column);
                    push_owned(&mut row, prompt, theme.console_prompt);
                    text = command;
                }
                None => {
                    let output = sanitize_code(line, &mut column);
                    push_owned(&mut row, output, theme.console_output);
                    rows.push(row);
                    continue;
                }
            }
        }
        // syntect grows worse than linearly with a line's length (a 50,000-character word
        // took seconds): it sees the first HIGHLIGHT_LIMIT bytes, far more than any terminal
        // shows of an unwrapped code line, and the rest follows unstyled.
        let (text, tail) = split_long_line(text);
        match highlighter.as_mut() {
            Some((h, set)) => {
                // With `extra_newlines` every line handed over must end with '\n'.
                let owned;
                let input = if text.ends_with('\n') {
                    text
                } else {
                    owned = format!("{text}\n");
                    &owned
                };
                match h.highlight_line(input, set) {
                    Ok(regions) => {
                        for (style, piece) in regions {
                            let clean = sanitize_code(piece, &mut column);
                            push_owned(&mut row, clean, theme.adapt(convert(style)));
                        }
                    }
                    Err(_) => {
                        let clean = sanitize_code(text, &mut column);
                        push_owned(&mut row, clean, Style::new());
                    }
                }
            }
            None => {
                let clean = sanitize_code(text, &mut column);
                push_owned(&mut row, clean, Style::new());
            }
        }
        if !tail.is_empty() {
            let clean = sanitize_code(tail, &mut column);
            push_owned(&mut row, clean, Style::new());
        }
        rows.push(row);
    }
    if rows.is_empty() {
        rows.push(Vec::new());
    }
    rows
}

/// Bytes of one line that syntect highlights; a terminal shows at most 1000 columns of code.
const HIGHLIGHT_LIMIT: usize = 4096;

/// `line` cut at the last character boundary within [`HIGHLIGHT_LIMIT`] bytes: the part to
/// highlight and the rest (empty for all but huge lines).
fn split_long_line(line: &str) -> (&str, &str) {
    if line.len() <= HIGHLIGHT_LIMIT {
        return (line, "");
    }
    let mut cut = HIGHLIGHT_LIMIT;
    while !line.is_char_boundary(cut) {
        cut -= 1;
    }
    line.split_at(cut)
}

/// bat's `ansi` theme encodes a palette index in `r` with alpha 0, and "the terminal's
/// default colour" with alpha 1.
fn ansi_color(color: highlighting::Color) -> Option<Color> {
    match color.a {
        0 => Some(match color.r {
            0 => Color::Black,
            1 => Color::Red,
            2 => Color::Green,
            3 => Color::Yellow,
            4 => Color::Blue,
            5 => Color::Magenta,
            6 => Color::Cyan,
            // Palette white is unreadable on light backgrounds: use the default colour instead.
            7 | 15 => return None,
            8 => Color::DarkGray,
            9 => Color::LightRed,
            10 => Color::LightGreen,
            11 => Color::LightYellow,
            12 => Color::LightBlue,
            13 => Color::LightMagenta,
            14 => Color::LightCyan,
            n => Color::Indexed(n),
        }),
        1 => None,
        _ => Some(Color::Rgb(color.r, color.g, color.b)),
    }
}

fn convert(style: highlighting::Style) -> Style {
    let mut out = Style::new();
    if let Some(fg) = ansi_color(style.foreground) {
        out = out.fg(fg);
    }
    if style.font_style.contains(FontStyle::BOLD) {
        out = out.add_modifier(Modifier::BOLD);
    }
    if style.font_style.contains(FontStyle::ITALIC) {
        out = out.add_modifier(Modifier::ITALIC);
    }
    if style.font_style.contains(FontStyle::UNDERLINE) {
        out = out.add_modifier(Modifier::UNDERLINED);
    }
    out
}

#[cfg(test)]
mod tests {
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
        // Others come from the full set; unknown tokens from neither.
        let (rust, set) = syntax_for("rs").unwrap();
        assert_eq!(rust.name, "Rust");
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
        for (name, code) in samples {
            let small = SMALL_SET.find_syntax_by_name(name).unwrap();
            let full = FULL_SET.find_syntax_by_name(name).unwrap();
            let mut a = HighlightLines::new(small, &ANSI_THEME);
            let mut b = HighlightLines::new(full, &ANSI_THEME);
            for line in LinesWithEndings::from(code) {
                assert_eq!(
                    a.highlight_line(line, &SMALL_SET).unwrap(),
                    b.highlight_line(line, &FULL_SET).unwrap(),
                    "{name}: {line}"
                );
            }
        }
    }

    #[test]
    fn lang_token_stops_at_attributes() {
        assert_eq!(lang_token("sh {id=build}"), "sh");
        assert_eq!(lang_token("Python,ignore"), "python");
        assert_eq!(lang_token(""), "");
    }
}
