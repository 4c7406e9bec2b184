//! Syntax highlighting of code blocks with syntect and two-face's syntaxes (bat's set, which
//! has Dockerfile and TOML). Colours come from bat's `ansi` theme: ANSI-16 palette indices, so
//! code follows the user's terminal theme on dark and light backgrounds alike.

use std::sync::{LazyLock, OnceLock};

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;
use syntect::easy::HighlightLines;
use syntect::highlighting::{self, FontStyle, Theme as SyntectTheme};
use syntect::parsing::{SyntaxReference, SyntaxSet};
#[cfg(test)]
use syntect::util::LinesWithEndings;

use super::cells::{push_owned, sanitize_code};
pub(crate) use super::code_lines::lang_token;
use super::code_lines::{CodeLine, code_lines, highlight_input, syntax_token};
#[cfg(test)]
use super::code_lines::{HIGHLIGHT_LIMIT, split_long_line};
pub(crate) use super::highlight_cache::{
    code_blocks, code_blocks_where, code_rows, highlight_cached,
};
use super::precomputed;
use super::theme::Theme;

/// The languages courses use (shell, Dockerfile, Python, YAML, TOML, JSON and what they
/// embed), cut from two-face's set by build.rs: it loads in a fraction of a millisecond, where
/// the full set cost a third of a coloured `show` of a chapter.
static SMALL_SET: LazyLock<SyntaxSet> = LazyLock::new(|| {
    let bytes = include_bytes!(concat!(env!("OUT_DIR"), "/syntaxes-small.bin"));
    syntect::dumps::from_uncompressed_data(bytes).expect("build.rs wrote a valid syntax set")
});
/// The languages documentation shows beside those (markdown, HTML, C, Go, JavaScript…;
/// build.rs's `DOCS_SET`), a set each with what it embeds, loaded when a block needs one:
/// deserializing the full set was a fifth of a coloured `show` of the CommonMark spec, one
/// set of all of them 5 M instructions.
static DOCS_SETS: [OnceLock<SyntaxSet>; DOCS_SET_BYTES.len()] =
    [const { OnceLock::new() }; DOCS_SET_BYTES.len()];

fn docs_set(index: usize) -> &'static SyntaxSet {
    DOCS_SETS[index].get_or_init(|| {
        syntect::dumps::from_uncompressed_data(DOCS_SET_BYTES[index])
            .expect("build.rs wrote a valid syntax set")
    })
}
/// bat's ~200 syntaxes, loaded only for a language no cut set has.
static FULL_SET: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);
static ANSI_THEME: LazyLock<SyntectTheme> = LazyLock::new(|| {
    let bytes = include_bytes!(concat!(env!("OUT_DIR"), "/ansi-theme.bin"));
    syntect::dumps::from_uncompressed_data(bytes).expect("build.rs wrote a valid theme")
});

mod tokens {
    include!(concat!(env!("OUT_DIR"), "/syntax-tokens.rs"));
}
use tokens::SYNTAX_TOKENS;
mod docs_names {
    include!(concat!(env!("OUT_DIR"), "/syntax-docs-names.rs"));
}
use docs_names::{DOCS_SET_BYTES, DOCS_SET_OF, SMALL_SET_NAMES};

/// The name of the syntax for a language token: what `find_syntax_by_token` would find in
/// the full set, known without loading any set.
fn syntax_name(lang: &str) -> Option<&'static str> {
    thread_local! {
        /// The last language looked up and its syntax: a document's blocks mostly share one
        /// (the CommonMark spec's 652 `example` blocks), and a block's language is looked up
        /// three times on its way to the screen.
        static LAST: std::cell::RefCell<(String, Option<&'static str>)> =
            const { std::cell::RefCell::new((String::new(), None)) };
    }
    LAST.with_borrow_mut(|(last, name)| {
        if last != lang {
            *name = syntax_token(lang).and_then(|token| {
                let index = SYNTAX_TOKENS.binary_search_by(|(t, _)| (*t).cmp(&token));
                index.ok().map(|index| SYNTAX_TOKENS[index].1)
            });
            last.clear();
            last.push_str(lang);
        }
        *name
    })
}

/// Whether a language has a grammar (loads no syntax set).
pub(crate) fn has_grammar(lang: &str) -> bool {
    syntax_name(lang).is_some()
}

/// Whether a block is highlighted by syntect when drawn in colour: it has a grammar and
/// build.rs did not highlight it. Loads no syntax set.
pub(crate) fn is_highlighted_live(lang: &str, code: &str) -> bool {
    has_grammar(lang) && precomputed::find(lang, code).is_none()
}

/// The syntax for a language token, and the set it belongs to (to highlight with).
pub(super) fn syntax_for(lang: &str) -> Option<(&'static SyntaxReference, &'static SyntaxSet)> {
    let name = syntax_name(lang)?;
    // A set is loaded only when it holds the syntax: the spec's markdown blocks loaded the
    // small set for nothing.
    if SMALL_SET_NAMES.contains(&name) {
        let small: &'static SyntaxSet = &SMALL_SET;
        if let Some(syntax) = small.find_syntax_by_name(name) {
            return Some((syntax, small));
        }
    }
    if let Ok(at) = DOCS_SET_OF.binary_search_by(|(n, _)| (*n).cmp(name)) {
        // A set already loaded, else the smallest: the spec's HTML blocks use the set its
        // markdown blocks loaded (which embeds HTML) rather than compile HTML's grammar twice.
        let holders = DOCS_SET_OF[at].1;
        let index = holders
            .iter()
            .copied()
            .find(|&i| DOCS_SETS[i].get().is_some())
            .or(holders.first().copied());
        if let Some(docs) = index.map(docs_set)
            && let Some(syntax) = docs.find_syntax_by_name(name)
        {
            return Some((syntax, docs));
        }
    }
    let full: &'static SyntaxSet = &FULL_SET;
    full.find_syntax_by_name(name).map(|syntax| (syntax, full))
}

/// The syntax to highlight a block with: [`syntax_for`], but for markdown that holds a fenced
/// block with a language, the full set's Markdown: the docs sets' Markdown reads every fenced
/// block as plain code (build.rs's `trim_markdown`), the full one highlights 22 languages in
/// them.
pub(super) fn syntax_for_block(
    lang: &str,
    code: &str,
) -> Option<(&'static SyntaxReference, &'static SyntaxSet)> {
    let found = syntax_for(lang)?;
    if found.0.name != "Markdown" || !has_fence_with_info(code) {
        return Some(found);
    }
    let full: &'static SyntaxSet = &FULL_SET;
    full.find_syntax_by_name("Markdown")
        .map(|syntax| (syntax, full))
}

/// Whether a line of `code` opens a fenced block with an info string (at any indentation,
/// in a list or a quote: more than a markdown parser would call a fence is fine here).
fn has_fence_with_info(code: &str) -> bool {
    code.lines().any(|line| {
        let line = line.trim_start_matches([' ', '\t', '>']);
        ["```", "~~~"].iter().any(|fence| {
            line.starts_with(fence)
                && !line
                    .trim_start_matches(fence.as_bytes()[0] as char)
                    .trim()
                    .is_empty()
        })
    })
}

/// Whether the renderer highlights this language (tests and docs use it).
pub fn is_highlighted(lang: &str) -> bool {
    syntax_for(&lang_token(lang)).is_some()
}

/// Highlights a code block into rows of spans (one per source line, tabs expanded, control
/// characters made harmless). Unknown languages come back unstyled. A block of the official
/// course was highlighted at build time: its styles are replayed, no grammar is loaded.
pub(crate) fn highlight(code: &str, lang: &str, theme: &Theme) -> Vec<Vec<Span<'static>>> {
    // A block without a grammar was never recorded: not worth hashing (the spec's 652).
    if theme.color
        && has_grammar(lang)
        && let Some(lines) = precomputed::find(lang, code)
        && let Some(rows) = highlight_with(code, lang, theme, &mut Styler::Replay(lines.iter()))
    {
        return rows;
    }
    highlight_live(code, lang, theme)
}

/// [`highlight`] by syntect itself, never from the build-time table.
pub(crate) fn highlight_live(code: &str, lang: &str, theme: &Theme) -> Vec<Vec<Span<'static>>> {
    // Without colour, syntect's styles would be dropped but for a rare bold: not worth loading
    // the grammars (tens of milliseconds at start-up) for plain text or `NO_COLOR`.
    let syntax = if theme.color {
        syntax_for_block(lang, code)
    } else {
        None
    };
    let mut styler = match syntax {
        Some((syntax, set)) => Styler::Live(HighlightLines::new(syntax, &ANSI_THEME), set),
        None => Styler::Plain,
    };
    highlight_with(code, lang, theme, &mut styler).unwrap_or_default()
}

/// The rows of a code block as [`highlight`] cuts them, with no syntax styles: the same
/// rows and text, so they hold a block's place until its highlighted rows are ready.
pub(crate) fn unstyled_rows(code: &str, lang: &str, theme: &Theme) -> Vec<Vec<Span<'static>>> {
    highlight_with(code, lang, theme, &mut Styler::Plain).unwrap_or_default()
}

/// Where a line's styles come from.
enum Styler<'a> {
    /// No grammar: the line is unstyled.
    Plain,
    Live(HighlightLines<'a>, &'a SyntaxSet),
    /// The regions build.rs recorded, one slice per highlighted line.
    Replay(std::slice::Iter<'static, &'static [precomputed::Region]>),
}

/// A recorded line that does not fit the text it is replayed on.
struct Mismatch;

impl Styler<'_> {
    /// The styled pieces of `input` (a line ending in '\n'), or `None` for no styles.
    fn style_line<'t>(
        &mut self,
        input: &'t str,
    ) -> Result<Option<Vec<(Style, &'t str)>>, Mismatch> {
        match self {
            Styler::Plain => Ok(None),
            Styler::Live(h, set) => Ok(h.highlight_line(input, set).ok().map(|regions| {
                regions
                    .into_iter()
                    .map(|(style, piece)| (convert(style.foreground, style.font_style), piece))
                    .collect()
            })),
            Styler::Replay(lines) => {
                let regions = lines.next().ok_or(Mismatch)?;
                let mut rest = input;
                let mut pieces = Vec::with_capacity(regions.len());
                for &(len, style) in *regions {
                    let len = len as usize;
                    if len > rest.len() || !rest.is_char_boundary(len) {
                        return Err(Mismatch);
                    }
                    let (piece, after) = rest.split_at(len);
                    let (fg, font) = precomputed::style(style).ok_or(Mismatch)?;
                    pieces.push((convert(fg, font), piece));
                    rest = after;
                }
                if rest.is_empty() {
                    Ok(Some(pieces))
                } else {
                    Err(Mismatch)
                }
            }
        }
    }
}

/// The rows of a code block with its lines styled by `styler`; `None` when replayed styles
/// do not fit the code.
fn highlight_with(
    code: &str,
    lang: &str,
    theme: &Theme,
    styler: &mut Styler<'_>,
) -> Option<Vec<Vec<Span<'static>>>> {
    let mut rows = Vec::with_capacity(memchr::memchr_iter(b'\n', code.as_bytes()).count() + 1);
    for line in code_lines(code, lang) {
        let mut row = Vec::new();
        let mut column = 0;
        match line {
            CodeLine::Output(line) => {
                let output = sanitize_code(line, &mut column);
                push_owned(&mut row, output, theme.console_output);
            }
            CodeLine::Code { prompt, text, tail } => {
                if prompt {
                    let prompt = sanitize_code("$ ", &mut column);
                    push_owned(&mut row, prompt, theme.console_prompt);
                }
                // No '\n'-ended copy of the line when nothing highlights it.
                let input = match styler {
                    Styler::Plain => None,
                    _ => Some(highlight_input(text)),
                };
                let pieces = match &input {
                    Some(input) => styler.style_line(input).ok()?,
                    None => None,
                };
                match pieces {
                    Some(pieces) => {
                        for (style, piece) in pieces {
                            let clean = sanitize_code(piece, &mut column);
                            push_owned(&mut row, clean, theme.adapt(style));
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
            }
        }
        rows.push(row);
    }
    if let Styler::Replay(lines) = styler
        && lines.len() > 0
    {
        return None;
    }
    if rows.is_empty() {
        rows.push(Vec::new());
    }
    Some(rows)
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

fn convert(foreground: highlighting::Color, font_style: FontStyle) -> Style {
    let mut out = Style::new();
    if let Some(fg) = ansi_color(foreground) {
        out = out.fg(fg);
    }
    if font_style.contains(FontStyle::BOLD) {
        out = out.add_modifier(Modifier::BOLD);
    }
    if font_style.contains(FontStyle::ITALIC) {
        out = out.add_modifier(Modifier::ITALIC);
    }
    if font_style.contains(FontStyle::UNDERLINE) {
        out = out.add_modifier(Modifier::UNDERLINED);
    }
    out
}

#[cfg(test)]
#[path = "highlight_tests.rs"]
mod tests;
