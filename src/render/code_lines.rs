//! How a code block reaches the highlighter: its language token, the grammar that token
//! names, the lines syntect sees (a console block's `$ ` commands only, a huge line's head)
//! and the key its highlighted form is kept under. Only `std`: build.rs includes this file
//! too (`#[path]`), to highlight the official course's code blocks at build time exactly as
//! the renderer would at run time.

/// The language token of an info string: `sh {id=x}` → `sh`, `python,ignore` → `python`.
pub(crate) fn lang_token(info: &str) -> String {
    info.split(|c: char| c.is_whitespace() || c == '{' || c == ',')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// The languages whose `$ ` lines are commands and whose other lines are sample output.
pub(crate) fn is_console(lang: &str) -> bool {
    matches!(lang, "console" | "shell-session")
}

/// The token to look a language up by among the syntaxes (`find_syntax_by_token`, lower
/// case), or `None` for text that is never highlighted. Borrowed when already lower case (a
/// language token always is): it is asked for every code block drawn.
pub(crate) fn syntax_token(lang: &str) -> Option<std::borrow::Cow<'_, str>> {
    let token = match lang {
        "" | "text" | "plain" | "txt" => return None,
        "sh" | "shell" | "zsh" | "bash" | "console" | "shell-session" => "bash",
        "dockerfile" | "containerfile" => "dockerfile",
        "yml" => "yaml",
        "py" | "python3" => "python",
        other => other,
    };
    Some(if token.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(token.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(token)
    })
}

/// Bytes of one line that syntect highlights; a terminal shows at most 1000 columns of code.
pub(crate) const HIGHLIGHT_LIMIT: usize = 4096;

/// `line` cut at the last character boundary within [`HIGHLIGHT_LIMIT`] bytes: the part to
/// highlight and the rest (empty for all but huge lines).
pub(crate) fn split_long_line(line: &str) -> (&str, &str) {
    if line.len() <= HIGHLIGHT_LIMIT {
        return (line, "");
    }
    let mut cut = HIGHLIGHT_LIMIT;
    while !line.is_char_boundary(cut) {
        cut -= 1;
    }
    line.split_at(cut)
}

/// One line of a code block as the renderer draws it: a console block's output line is
/// never highlighted, its `$ ` prompt is drawn apart; `text` goes to syntect (see
/// [`highlight_input`]) and `tail` follows unstyled.
pub(crate) enum CodeLine<'a> {
    Output(&'a str),
    Code {
        prompt: bool,
        text: &'a str,
        tail: &'a str,
    },
}

/// What syntect is handed for a line's text: it always ends with '\n', as syntect's
/// `extra_newlines` grammars need.
pub(crate) fn highlight_input(text: &str) -> std::borrow::Cow<'_, str> {
    if text.ends_with('\n') {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(format!("{text}\n"))
    }
}

/// The lines of a code block, in the order the highlighter sees them.
pub(crate) fn code_lines<'a>(code: &'a str, lang: &str) -> impl Iterator<Item = CodeLine<'a>> {
    let code = code.strip_suffix('\n').unwrap_or(code);
    let console = is_console(lang);
    let mut rest = code;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
        let (line, after) = rest.split_at(end);
        rest = after;
        let mut text = line;
        let mut prompt = false;
        if console {
            match line.strip_prefix("$ ") {
                Some(command) => {
                    prompt = true;
                    text = command;
                }
                None => return Some(CodeLine::Output(line)),
            }
        }
        // syntect grows worse than linearly with a line's length (a 50,000-character word
        // took seconds): it sees the first HIGHLIGHT_LIMIT bytes, far more than any terminal
        // shows of an unwrapped code line, and the rest follows unstyled.
        let (text, tail) = split_long_line(text);
        Some(CodeLine::Code { prompt, text, tail })
    })
}

/// The key a highlighted code block is kept under (64-bit FNV-1a of the language token and
/// the code): the same in build.rs and at run time, whatever the toolchain's own hasher.
pub(crate) fn block_key(lang: &str, code: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let bytes = lang.bytes().chain([0xff]).chain(code.bytes());
    for byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}
