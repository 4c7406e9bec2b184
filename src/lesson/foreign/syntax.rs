//! The foreign syntax itself: the patterns of admonitions and shortcodes, which names are
//! boxes, and fence, option-line and indentation helpers the rewrite reads lines with.

use std::sync::LazyLock;

use regex::Regex;

use super::BoxSpec;

pub(super) static ADMONITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^(\s*)(!!!|\?\?\?\+?|===\+?)\s*([A-Za-z][\w-]*)?((?:\s+[A-Za-z][\w-]*)*)\s*(?:"([^"]*)")?\s*$"#)
        .expect("admonition pattern")
});
pub(super) static SHORTCODE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*\{\{([<%])\s*(/?)\s*([A-Za-z][\w./-]*)\s*((?:[^}]|\}[^}])*?)\s*/?\s*[>%]\}\}\s*$",
    )
    .expect("shortcode pattern")
});
pub(super) static SHORTCODE_INLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{\{[<%]\s*/?\s*[A-Za-z][\w./-]*.*?[>%]\}\}").expect("inline shortcode pattern")
});
pub(super) static ARG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:([\w-]+)\s*=\s*)?(?:"([^"]*)"|'([^']*)'|([^\s"'=]+))"#).expect("arg pattern")
});

/// The admonition a `!!!`/`???`/`===` line opens, if it is one.
pub(super) fn admonition(caps: &regex::Captures<'_>) -> Option<BoxSpec> {
    let mark = &caps[2];
    let kind = caps.get(3).map(|m| m.as_str().to_ascii_lowercase());
    let title = caps.get(5).map(|m| m.as_str().to_string());
    if mark.starts_with("===") {
        // Content tabs: `=== "Label"` only.
        return match (kind, title) {
            (None, Some(title)) => Some(BoxSpec {
                kind: "tab".into(),
                title,
                ..BoxSpec::default()
            }),
            _ => None,
        };
    }
    // `???` alone is remark's presenter-notes separator, not an admonition.
    let kind = kind?;
    let folded = match mark {
        "???" => Some(true),
        "???+" => Some(false),
        _ => None,
    };
    let mut spec = BoxSpec {
        title: title.unwrap_or_else(|| capitalise(&kind)),
        kind,
        folded,
        len: None,
    };
    if spec.kind == "admonition" && spec.title.eq_ignore_ascii_case("admonition") {
        spec.title = "Note".into();
    }
    Some(spec)
}

/// The canonical family of an admonition kind (GitHub's five), `None` for unknown names.
pub fn box_kind(kind: &str) -> Option<&'static str> {
    let kind = kind.strip_prefix("callout-").unwrap_or(kind);
    Some(match kind {
        "note" | "info" | "abstract" | "summary" | "tldr" | "todo" | "seealso" | "question"
        | "help" | "faq" | "example" | "quote" | "cite" | "admonition" | "remark" => "note",
        "tip" | "hint" | "success" | "check" | "done" | "good" => "tip",
        "important" => "important",
        "warning" | "attention" | "warn" => "warning",
        "caution" | "danger" | "error" | "failure" | "fail" | "missing" | "bug" => "caution",
        "dropdown" | "details" | "tab" => "plain",
        _ => return None,
    })
}

/// A box for a directive/div/shortcode name, `None` when the name is not an admonition.
pub(super) fn box_of(name: &str, title: &str) -> Option<BoxSpec> {
    box_kind(name)?;
    let bare = name.strip_prefix("callout-").unwrap_or(name);
    let title = match title.trim() {
        "" if bare == "admonition" => "Note".to_string(),
        "" if bare == "dropdown" => "Details".to_string(),
        "" => capitalise(bare),
        t => t.to_string(),
    };
    Some(BoxSpec {
        kind: name.to_string(),
        title,
        folded: (bare == "dropdown").then_some(true),
        len: None,
    })
}

pub(super) fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A code fence opening (or closing) line: its character and length.
pub(super) fn fence_open(trimmed: &str) -> Option<(char, usize)> {
    let c = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = trimmed.chars().take_while(|x| *x == c).count();
    // A backtick fence's info string holds no backtick.
    (n >= 3 && !(c == '`' && trimmed[n..].contains('`'))).then_some((c, n))
}

pub(super) fn closes_fence(trimmed: &str, c: char, n: usize) -> bool {
    let run = trimmed.chars().take_while(|x| *x == c).count();
    run >= n && trimmed[run..].trim().is_empty()
}

/// A MyST directive option line (`:class: tip`, `:open:`).
pub(super) fn is_option_line(line: &str) -> bool {
    static OPTION: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\s*:[\w-]+:(\s|$)").expect("option pattern"));
    OPTION.is_match(line)
}

pub(super) fn option_value<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    line.trim()
        .strip_prefix(':')?
        .strip_prefix(name)?
        .strip_prefix(':')
        .map(str::trim)
}

/// Columns of leading white space (a tab counts to the next multiple of 4).
pub(super) fn indent_width(line: &str) -> usize {
    let mut width = 0;
    for c in line.chars() {
        match c {
            ' ' => width += 1,
            '\t' => width += 4 - width % 4,
            _ => break,
        }
    }
    width
}

/// The line with `by` columns of indentation removed after the first `keep` columns.
pub(super) fn dedent(line: &str, keep: usize, by: usize) -> String {
    let mut width = 0;
    let mut cut = 0;
    let mut prefix = String::new();
    for (at, c) in line.char_indices() {
        let w = match c {
            ' ' => 1,
            '\t' => 4 - width % 4,
            _ => break,
        };
        if width >= keep + by {
            break;
        }
        if width < keep {
            prefix.push(c);
        }
        width += w;
        cut = at + c.len_utf8();
    }
    // A tab straddling the cut leaves its remaining columns as spaces.
    let extra = width.saturating_sub(keep + by);
    format!("{prefix}{}{}", " ".repeat(extra), &line[cut..])
}

#[derive(Debug)]
pub(super) struct Shortcode {
    pub(super) name: String,
    pub(super) args: String,
    pub(super) closing: bool,
    pub(super) self_closing: bool,
}

/// A line that is one Hugo shortcode (`{{< tab name="CLI" >}}`, `{{% /notice %}}`).
pub(super) fn shortcode(trimmed: &str) -> Option<Shortcode> {
    let caps = SHORTCODE_LINE.captures(trimmed)?;
    Some(Shortcode {
        name: caps[3].to_string(),
        args: caps[4].to_string(),
        closing: &caps[2] == "/",
        self_closing: trimmed.trim_end().ends_with("/>}}") || trimmed.trim_end().ends_with("/%}}"),
    })
}

/// `key="v"` and positional arguments, in order (positional ones have an empty key).
pub(super) fn named_args(args: &str) -> Vec<(String, String)> {
    ARG.captures_iter(args)
        .map(|c| {
            let key = c.get(1).map_or("", |m| m.as_str()).to_ascii_lowercase();
            let value = c
                .get(2)
                .or(c.get(3))
                .or(c.get(4))
                .map_or("", |m| m.as_str())
                .to_string();
            (key, value)
        })
        .collect()
}

/// A line without its inline shortcodes (outside code spans).
pub(super) fn drop_inline_shortcodes(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut last = 0;
    for m in SHORTCODE_INLINE.find_iter(line) {
        let ticks = line[..m.start()].matches('`').count();
        if ticks % 2 == 1 {
            continue;
        }
        out.push_str(&line[last..m.start()]);
        last = m.end();
        // `see {{< ref x >}} for` → `see for`, not two spaces.
        if out.ends_with(' ') && line[last..].starts_with(' ') {
            last += 1;
        }
    }
    out.push_str(&line[last..]);
    out
}
