//! The line-by-line rewrite behind [`super::normalize`]: what is open (fences, directives,
//! colon fences, paired shortcodes, indented bodies) and what each line turns into.

use super::syntax::*;
use super::{BOX_CLOSE, BoxSpec};

/// How an open code fence ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Closer {
    Fence(char, usize),
    /// `{{< highlight >}}` ends at `{{< /highlight >}}`.
    Shortcode,
}

#[derive(Debug, Default)]
pub(super) struct State {
    /// The code fence we are in (its content is left alone).
    fence: Option<Closer>,
    /// Open MyST backtick directives that are boxes: their fences.
    directives: Vec<(char, usize)>,
    /// Open colon fences: whether each drew a box.
    colons: Vec<bool>,
    /// Open paired shortcodes: name and whether it drew a box.
    shortcodes: Vec<(String, bool)>,
    /// Indented bodies: (marker line, last body line, spec).
    pub(super) sized: Vec<(usize, usize, BoxSpec)>,
}

impl State {
    pub(super) fn line(&mut self, lines: &mut [String], i: usize) {
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
