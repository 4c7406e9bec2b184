//! Markup of other documentation tools, rewritten before parsing into CommonMark plus
//! one-line docker-guide box markers, **line for line** (a chapter keeps its line count, so
//! every step and diagnostic keeps its file line):
//!
//! - MkDocs admonitions (`!!! type "Title"`, `???`/`???+` collapsible) and content tabs
//!   (`=== "Label"`): the marker line becomes a box marker and the indented body is
//!   de-indented, so its fenced blocks are steps like any other.
//! - MyST directive fences (```` ```{note} ````, ```` ```{admonition} Title ````), MyST, Quarto,
//!   Pandoc and Docusaurus colon fences (`:::{warning}`, `::: callout-tip`, `:::note`): boxes
//!   whose body is markdown; ```` ```{code-block} bash ```` becomes a plain `bash` fence.
//! - Hugo shortcodes on their own line: `tab` → a labelled box, notices/callouts → boxes,
//!   `details`/`expand` → folded boxes, `highlight` → a fence; `tabs` and unknown ones
//!   disappear with their inner text kept. Shortcodes inside a line are dropped.
//!
//! A box marker is an HTML comment (`<!--dg:box kind=note fold=closed len=42 title=…-->`): an
//! HTML block of one line that may interrupt a paragraph, hidden by any other markdown tool.
//! `len` (indented bodies only) is the byte length from the marker's `<` to the end of its
//! body; other boxes end at a `<!--dg:/box-->` line. The renderer draws them
//! (`render::boxes`); the step parser ignores them.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// Start of an opening box marker.
pub const BOX_OPEN: &str = "<!--dg:box ";
/// A closing box marker (a whole line).
pub const BOX_CLOSE: &str = "<!--dg:/box-->";

/// A box marker read back by the renderer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BoxMarker {
    Open(BoxSpec),
    Close,
}

/// What an opening marker says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BoxSpec {
    /// The kind as written, lower case (`note`, `warning`, `callout-tip`, `tab`, `details`…).
    pub kind: String,
    /// The title to show (the kind capitalised when the source gave none; empty: no title).
    pub title: String,
    /// `Some(true)`: a collapsible block closed by default; `Some(false)`: collapsible, open.
    pub folded: Option<bool>,
    /// Bytes from the marker's `<` to the end of its body, for indented bodies.
    pub len: Option<usize>,
}

impl BoxSpec {
    fn marker(&self) -> String {
        let mut out = format!("{BOX_OPEN}kind={}", self.kind);
        if let Some(folded) = self.folded {
            out.push_str(if folded { " fold=closed" } else { " fold=open" });
        }
        if let Some(len) = self.len {
            out.push_str(&format!(" len={len}"));
        }
        // The comment must not end early, nor hold a line break.
        let title: String = self
            .title
            .replace("--", "-")
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        out.push_str(&format!(" title={}-->", title.trim()));
        out
    }
}

/// Reads a box marker (the text of an HTML block or inline HTML); `None` for anything else.
pub fn parse_marker(html: &str) -> Option<BoxMarker> {
    let html = html.trim();
    if html == BOX_CLOSE {
        return Some(BoxMarker::Close);
    }
    let mut rest = html.strip_prefix(BOX_OPEN)?.strip_suffix("-->")?;
    let mut spec = BoxSpec::default();
    loop {
        rest = rest.trim_start();
        if let Some(title) = rest.strip_prefix("title=") {
            spec.title = title.trim().to_string();
            break;
        }
        let (word, tail) = rest.split_once(' ').unwrap_or((rest, ""));
        match word.split_once('=') {
            Some(("kind", v)) => spec.kind = v.to_string(),
            Some(("fold", v)) => spec.folded = Some(v == "closed"),
            Some(("len", v)) => spec.len = v.parse().ok(),
            _ => {}
        }
        if tail.is_empty() {
            break;
        }
        rest = tail;
    }
    Some(BoxMarker::Open(spec))
}

/// The body with foreign markup rewritten (see the module doc); borrowed when there is none.
pub fn normalize(body: &str) -> Cow<'_, str> {
    // Narrow enough that ordinary markdown (a setext `===`, remark's lone `???`) stays on the
    // borrowed path: the CommonMark spec rendered 19 % slower when every line was copied.
    const TRIGGERS: [&str; 10] = [
        "!!!", "??? ", "???+", "=== \"", "===+ \"", ":::", "```{", "~~~{", "{{<", "{{%",
    ];
    if !TRIGGERS.iter().any(|t| body.contains(t)) {
        return Cow::Borrowed(body);
    }
    let mut lines: Vec<String> = Vec::new();
    let mut breaks: Vec<bool> = Vec::new();
    for line in body.split_inclusive('\n') {
        let (text, nl) = match line.strip_suffix('\n') {
            Some(text) => (text, true),
            None => (line, false),
        };
        lines.push(text.to_string());
        breaks.push(nl);
    }
    let mut state = State::default();
    let mut i = 0;
    while i < lines.len() {
        state.line(&mut lines, i);
        i += 1;
    }
    // Indented bodies: the marker learns its body's final length.
    // Inner bodies first: an outer body's length counts their final markers.
    for (marker, last, mut spec) in state.sized.into_iter().rev() {
        let indent = lines[marker].len() - lines[marker].trim_start().len();
        let mut len = usize::from(breaks[marker]);
        for (n, line) in lines.iter().enumerate().take(last + 1).skip(marker + 1) {
            len += line.len() + usize::from(breaks[n]);
        }
        // `len` counts the marker too, whose length depends on `len`'s digits: settle it.
        let mut guess = len;
        loop {
            spec.len = Some(guess);
            let marker_len = spec.marker().len();
            if marker_len + len == guess {
                break;
            }
            guess = marker_len + len;
        }
        lines[marker] = format!("{}{}", &lines[marker][..indent], spec.marker());
    }
    let mut out = String::with_capacity(body.len() + 64);
    for (line, nl) in lines.iter().zip(&breaks) {
        out.push_str(line);
        if *nl {
            out.push('\n');
        }
    }
    Cow::Owned(out)
}

/// How an open code fence ends.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Closer {
    Fence(char, usize),
    /// `{{< highlight >}}` ends at `{{< /highlight >}}`.
    Shortcode,
}

#[derive(Debug, Default)]
struct State {
    /// The code fence we are in (its content is left alone).
    fence: Option<Closer>,
    /// Open MyST backtick directives that are boxes: their fences.
    directives: Vec<(char, usize)>,
    /// Open colon fences: whether each drew a box.
    colons: Vec<bool>,
    /// Open paired shortcodes: name and whether it drew a box.
    shortcodes: Vec<(String, bool)>,
    /// Indented bodies: (marker line, last body line, spec).
    sized: Vec<(usize, usize, BoxSpec)>,
}

static ADMONITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^(\s*)(!!!|\?\?\?\+?|===\+?)\s*([A-Za-z][\w-]*)?((?:\s+[A-Za-z][\w-]*)*)\s*(?:"([^"]*)")?\s*$"#)
        .expect("admonition pattern")
});
static SHORTCODE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*\{\{([<%])\s*(/?)\s*([A-Za-z][\w./-]*)\s*((?:[^}]|\}[^}])*?)\s*/?\s*[>%]\}\}\s*$",
    )
    .expect("shortcode pattern")
});
static SHORTCODE_INLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{\{[<%]\s*/?\s*[A-Za-z][\w./-]*.*?[>%]\}\}").expect("inline shortcode pattern")
});
static ARG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:([\w-]+)\s*=\s*)?(?:"([^"]*)"|'([^']*)'|([^\s"'=]+))"#).expect("arg pattern")
});

impl State {
    fn line(&mut self, lines: &mut [String], i: usize) {
        // Most lines are prose: nothing to look at unless they could start something.
        if self.fence.is_none() {
            let t = lines[i].trim_start();
            let may_start = t.starts_with(['`', '~', '!', '?', '=', ':', '{'])
                || t.contains("{{<")
                || t.contains("{{%");
            if !may_start {
                return;
            }
        }
        let line = lines[i].clone();
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        if let Some(closer) = &self.fence {
            let done = match closer {
                Closer::Fence(c, n) => closes_fence(trimmed, *c, *n),
                Closer::Shortcode => shortcode(trimmed)
                    .is_some_and(|s| s.closing && s.name.eq_ignore_ascii_case("highlight")),
            };
            if done {
                if *closer == Closer::Shortcode {
                    lines[i] = format!("{indent}```");
                }
                self.fence = None;
            }
            return;
        }
        if let Some((c, n)) = fence_open(trimmed) {
            if let Some(&(dc, dn)) = self.directives.last()
                && closes_fence(trimmed, dc, dn)
            {
                self.directives.pop();
                lines[i] = format!("{indent}{BOX_CLOSE}");
                return;
            }
            let info = trimmed[n..].trim();
            if let Some(directive) = info.strip_prefix('{')
                && let Some((name, arg)) = directive.split_once('}')
                && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            {
                self.directive(lines, i, indent, (c, n), name.trim(), arg.trim());
                return;
            }
            self.fence = Some(Closer::Fence(c, n));
            return;
        }
        let marked = ["!!!", "???", "==="].iter().any(|m| trimmed.starts_with(m));
        if marked
            && let Some(caps) = ADMONITION.captures(&line)
            && let Some(spec) = admonition(&caps)
            // `!!! Wow` in prose: only a known kind, a title or an indented body makes a box.
            && (box_kind(&spec.kind).is_some()
                || caps.get(5).is_some()
                || lines
                    .get(i + 1)
                    .is_some_and(|next| indent_width(next) >= caps[1].len() + 4))
        {
            self.indented_body(lines, i, caps[1].len(), spec);
            return;
        }
        if trimmed.starts_with(":::") {
            self.colon_fence(lines, i, indent, trimmed);
            return;
        }
        if trimmed.starts_with("{{")
            && let Some(sc) = shortcode(trimmed)
        {
            self.shortcode_line(lines, i, indent, sc);
            return;
        }
        if trimmed.contains("{{<") || trimmed.contains("{{%") {
            lines[i] = drop_inline_shortcodes(&line);
        }
    }

    /// ```` ```{name} arg ````: a box, a plain code fence, or (unknown) left as it is.
    fn directive(
        &mut self,
        lines: &mut [String],
        i: usize,
        indent: &str,
        fence: (char, usize),
        name: &str,
        arg: &str,
    ) {
        let name = name.to_ascii_lowercase();
        let opening = fence.0.to_string().repeat(fence.1);
        if ["code", "code-block", "sourcecode", "code-cell"].contains(&name.as_str()) {
            // Options (`:linenos:`) come first in the body: the fence moves down past them.
            let mut at = i;
            while lines.get(at + 1).is_some_and(|l| is_option_line(l)) {
                lines[at] = String::new();
                at += 1;
            }
            let lang = arg.split_whitespace().next().unwrap_or("");
            lines[at] = format!("{indent}{opening}{lang}");
            self.fence = Some(Closer::Fence(fence.0, fence.1));
            return;
        }
        let Some(mut spec) = box_of(&name, arg) else {
            self.fence = Some(Closer::Fence(fence.0, fence.1));
            return;
        };
        let mut at = i + 1;
        while lines.get(at).is_some_and(|l| is_option_line(l)) {
            if let Some(v) = option_value(&lines[at], "class")
                && v.split_whitespace().any(|c| c == "dropdown")
            {
                spec.folded = Some(true);
            }
            lines[at] = String::new();
            at += 1;
        }
        lines[i] = format!("{indent}{}", spec.marker());
        self.directives.push(fence);
    }

    /// `!!! note "Title"` / `=== "Tab"`: the body is the following lines indented deeper.
    fn indented_body(&mut self, lines: &mut [String], i: usize, indent: usize, spec: BoxSpec) {
        let deeper = indent + 4;
        let mut last = i;
        let mut j = i + 1;
        while j < lines.len() {
            let width = indent_width(&lines[j]);
            if lines[j].trim().is_empty() {
                j += 1;
                continue;
            }
            if width < deeper {
                break;
            }
            last = j;
            j += 1;
        }
        for line in lines.iter_mut().take(last + 1).skip(i + 1) {
            *line = dedent(line, indent, 4);
        }
        // The marker is written once the body's length is known (see `normalize`).
        self.sized.push((i, last, spec));
    }

    fn colon_fence(&mut self, lines: &mut [String], i: usize, indent: &str, trimmed: &str) {
        let rest = trimmed.trim_start_matches(':').trim();
        if rest.is_empty() {
            if let Some(was_box) = self.colons.pop() {
                lines[i] = if was_box {
                    format!("{indent}{BOX_CLOSE}")
                } else {
                    String::new()
                };
            }
            return;
        }
        // `{note} Title`, `{.callout-tip title="T" collapse="true"}`, `callout-tip`,
        // `note Title`, `note[Title]` (Docusaurus).
        let (name, arg, attrs) = if let Some(inner) = rest.strip_prefix('{') {
            let (inside, after) = inner.split_once('}').unwrap_or((inner, ""));
            let inside = inside.trim();
            match inside.strip_prefix('.') {
                Some(classes) => {
                    let (class, attrs) = classes.split_once(' ').unwrap_or((classes, ""));
                    (
                        class.to_string(),
                        after.trim().to_string(),
                        attrs.to_string(),
                    )
                }
                None => (inside.to_string(), after.trim().to_string(), String::new()),
            }
        } else {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(rest.len());
            let (name, after) = rest.split_at(end);
            let after = after.trim();
            let arg = after
                .strip_prefix('[')
                .and_then(|a| a.strip_suffix(']'))
                .unwrap_or(after);
            (name.to_string(), arg.to_string(), String::new())
        };
        let name = name.to_ascii_lowercase();
        let named = named_args(&attrs);
        let title = named
            .iter()
            .find(|(k, _)| k == "title")
            .map(|(_, v)| v.as_str())
            .unwrap_or(&arg);
        match box_of(&name, title) {
            Some(mut spec) => {
                if named.iter().any(|(k, v)| k == "collapse" && v == "true") {
                    spec.folded = Some(true);
                }
                let mut at = i + 1;
                while lines.get(at).is_some_and(|l| is_option_line(l)) {
                    lines[at] = String::new();
                    at += 1;
                }
                lines[i] = format!("{indent}{}", spec.marker());
                self.colons.push(true);
            }
            None => {
                // A layout div (`::: columns`, `::: {.notes}`): dropped, its text kept.
                lines[i] = String::new();
                self.colons.push(false);
            }
        }
    }

    fn shortcode_line(&mut self, lines: &mut [String], i: usize, indent: &str, sc: Shortcode) {
        let name = sc.name.to_ascii_lowercase();
        if sc.closing {
            let Some(pos) = self.shortcodes.iter().rposition(|(n, _)| *n == name) else {
                lines[i] = String::new();
                return;
            };
            let drew_box = self.shortcodes[pos].1;
            self.shortcodes.truncate(pos);
            lines[i] = if drew_box {
                format!("{indent}{BOX_CLOSE}")
            } else {
                String::new()
            };
            return;
        }
        let args = named_args(&sc.args);
        let named = |key: &str| args.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        let positional = args
            .iter()
            .find(|(k, _)| k.is_empty())
            .map(|(_, v)| v.clone());
        if name == "highlight" {
            let lang = positional.unwrap_or_default();
            lines[i] = format!("{indent}```{lang}");
            self.fence = Some(Closer::Shortcode);
            return;
        }
        let spec = match name.as_str() {
            "tab" | "tabitem" => {
                let title = ["name", "title", "header", "label"]
                    .iter()
                    .find_map(|k| named(k))
                    .or(positional)
                    .unwrap_or_else(|| "Tab".into());
                Some(BoxSpec {
                    kind: "tab".into(),
                    title,
                    ..BoxSpec::default()
                })
            }
            "details" | "expand" | "collapse" | "spoiler" | "accordion" => {
                let title = ["title", "summary"]
                    .iter()
                    .find_map(|k| named(k))
                    .or(positional)
                    .unwrap_or_else(|| "Details".into());
                Some(BoxSpec {
                    kind: "details".into(),
                    title,
                    folded: Some(!args.iter().any(|(k, v)| k == "open" && v == "true")),
                    len: None,
                })
            }
            "notice" | "callout" | "alert" | "admonition" | "hint" | "box" => {
                let kind = ["type", "kind", "style", "context"]
                    .iter()
                    .find_map(|k| named(k))
                    .or(positional.clone())
                    .unwrap_or_else(|| "note".into());
                let title = named("title").unwrap_or_default();
                box_of(&kind.to_ascii_lowercase(), &title).or_else(|| box_of("note", &title))
            }
            _ if box_kind(&name).is_some() => box_of(&name, &named("title").unwrap_or_default()),
            _ => None,
        };
        match spec {
            Some(spec) => {
                lines[i] = format!("{indent}{}", spec.marker());
                if !sc.self_closing {
                    self.shortcodes.push((name, true));
                }
            }
            None => {
                lines[i] = String::new();
                if !sc.self_closing {
                    self.shortcodes.push((name, false));
                }
            }
        }
    }
}

/// The admonition a `!!!`/`???`/`===` line opens, if it is one.
fn admonition(caps: &regex::Captures<'_>) -> Option<BoxSpec> {
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
fn box_of(name: &str, title: &str) -> Option<BoxSpec> {
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

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A code fence opening (or closing) line: its character and length.
fn fence_open(trimmed: &str) -> Option<(char, usize)> {
    let c = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = trimmed.chars().take_while(|x| *x == c).count();
    // A backtick fence's info string holds no backtick.
    (n >= 3 && !(c == '`' && trimmed[n..].contains('`'))).then_some((c, n))
}

fn closes_fence(trimmed: &str, c: char, n: usize) -> bool {
    let run = trimmed.chars().take_while(|x| *x == c).count();
    run >= n && trimmed[run..].trim().is_empty()
}

/// A MyST directive option line (`:class: tip`, `:open:`).
fn is_option_line(line: &str) -> bool {
    static OPTION: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\s*:[\w-]+:(\s|$)").expect("option pattern"));
    OPTION.is_match(line)
}

fn option_value<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    line.trim()
        .strip_prefix(':')?
        .strip_prefix(name)?
        .strip_prefix(':')
        .map(str::trim)
}

/// Columns of leading white space (a tab counts to the next multiple of 4).
fn indent_width(line: &str) -> usize {
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
fn dedent(line: &str, keep: usize, by: usize) -> String {
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
struct Shortcode {
    name: String,
    args: String,
    closing: bool,
    self_closing: bool,
}

/// A line that is one Hugo shortcode (`{{< tab name="CLI" >}}`, `{{% /notice %}}`).
fn shortcode(trimmed: &str) -> Option<Shortcode> {
    let caps = SHORTCODE_LINE.captures(trimmed)?;
    Some(Shortcode {
        name: caps[3].to_string(),
        args: caps[4].to_string(),
        closing: &caps[2] == "/",
        self_closing: trimmed.trim_end().ends_with("/>}}") || trimmed.trim_end().ends_with("/%}}"),
    })
}

/// `key="v"` and positional arguments, in order (positional ones have an empty key).
fn named_args(args: &str) -> Vec<(String, String)> {
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
fn drop_inline_shortcodes(line: &str) -> String {
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

#[cfg(test)]
#[path = "foreign_tests.rs"]
mod tests;
