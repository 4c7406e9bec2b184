//! The meaning of a block's attributes: validated values, with diagnostics pointing at the
//! attribute (or its value) that is wrong.

use super::attrs::{Info, RawAttr, suggest};
use super::front::{error, one_line};
use super::model::{Diagnostic, Ready, Severity, SourcePos, StepAttrs};
use super::pos::escapes_workspace;

mod keys;

pub use keys::{Attr, FOREIGN_ATTRS, KNOWN_ATTRS};

/// What a block's attributes say, after validation.
#[derive(Debug, Default)]
pub struct BlockAttrs {
    pub id: Option<String>,
    pub norun: bool,
    pub file: Option<String>,
    /// The block is a task: its code is the check the learner must make pass.
    pub task: bool,
    /// `watch="GLOB …"` of a task, split on whitespace.
    pub watch: Vec<String>,
    pub attrs: StepAttrs,
    /// `interactive` was written (not inferred).
    pub explicit_interactive: bool,
    /// Column of each attribute's key, for later diagnostics.
    pub cols: Vec<(String, usize)>,
    /// Keys neither ours nor a known foreign tool's, with their column: a warning (with a
    /// "did you mean") when the block is a step, quiet otherwise.
    pub unknown: Vec<(String, usize)>,
    /// runme's `name`: becomes the step id (runme's own `id` is a generated ULID).
    name: Option<String>,
}

impl BlockAttrs {
    pub fn col(&self, key: &str) -> Option<usize> {
        self.cols.iter().find(|(k, _)| k == key).map(|(_, c)| *c)
    }
}

/// Validates `info`'s attributes; `file`/`line` place the diagnostics.
pub fn interpret(info: &Info, file: &str, line: usize, diags: &mut Vec<Diagnostic>) -> BlockAttrs {
    let mut out = BlockAttrs::default();
    let err = |col: usize, msg: String| error(file, line, col, &msg);
    for attr in &info.attrs {
        let RawAttr {
            key,
            value,
            key_col,
            value_col,
        } = attr;
        let Some(attr) = Attr::from_key(key) else {
            if FOREIGN_ATTRS.contains(&key.as_str()) || key.starts_with("data-") {
                foreign(&mut out, key, value.as_deref());
            } else {
                out.unknown.push((key.clone(), *key_col));
            }
            continue;
        };
        if out.col(key).is_some() {
            diags.push(err(*key_col, format!("attribute `{key}` is given twice")));
            continue;
        }
        out.cols.push((key.clone(), *key_col));
        let Some(example) = attr.example() else {
            let on = match value.as_deref() {
                None | Some("true") => true,
                Some("false") => false,
                Some(other) => {
                    let msg =
                        format!("`{key}` is a flag: write `{key}` alone, not `{key}={other}`");
                    diags.push(err(*value_col, msg));
                    continue;
                }
            };
            match attr {
                Attr::Norun => out.norun = on,
                Attr::Background => out.attrs.background = on,
                Attr::Confirm => out.attrs.confirm = on,
                Attr::Task => out.task = on,
                Attr::Isolated => out.attrs.isolated = on,
                Attr::Interactive => {
                    out.attrs.interactive = on;
                    out.explicit_interactive = on;
                }
                _ => {}
            }
            continue;
        };
        let Some(value) = value else {
            diags.push(err(
                *key_col,
                format!("`{key}` needs a value, e.g. `{example}`"),
            ));
            continue;
        };
        if let Err(msg) = apply(&mut out, attr, value) {
            diags.push(err(*value_col, msg));
        }
    }
    if let Some(name) = out.name.take() {
        out.id = Some(name);
    }
    if let (Some(col), false) = (out.col("ready"), out.attrs.background) {
        diags.push(err(
            col,
            "`ready` only applies to a `background` step: add `background`".to_string(),
        ));
    }
    if let (Some(col), true) = (out.col("interactive"), out.attrs.background) {
        diags.push(err(
            col,
            "a step cannot be both `interactive` and `background`".to_string(),
        ));
    }
    if let (Some(col), false) = (out.col("watch"), out.task) {
        diags.push(err(
            col,
            "`watch` only applies to a task: add `task`".to_string(),
        ));
    }
    if out.task {
        for key in ["background", "ready", "interactive", "confirm", "file"] {
            if let Some(col) = out.col(key) {
                let msg = format!(
                    "a task's code is a check that runs on its own, so `{key}` cannot be used with `task`"
                );
                diags.push(err(col, msg));
            }
        }
    }
    if out.file.is_some() {
        for key in [
            "background",
            "ready",
            "expect",
            "exit",
            "interactive",
            "isolated",
        ] {
            if let Some(col) = out.col(key) {
                diags.push(Diagnostic {
                    severity: Severity::Warning,
                    pos: SourcePos {
                        file: file.to_string(),
                        line,
                        column: col,
                    },
                    message: format!("`{key}` has no effect on a file step"),
                });
            }
        }
    }
    out
}

/// What a foreign attribute means here, where it means something (runme's names).
fn foreign(out: &mut BlockAttrs, key: &str, value: Option<&str>) {
    let on = |v: Option<&str>| matches!(v, None | Some("true"));
    match (key, value) {
        // runme names blocks with `name`; its `id` is a generated ULID. A name is the better
        // progress key, and valid ids only.
        ("name", Some(name))
            if !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.')) =>
        {
            out.name = Some(name.to_string());
        }
        ("cwd", Some(dir)) if !dir.trim().is_empty() && !escapes_workspace(dir) => {
            out.attrs.cwd = Some(dir.trim().trim_start_matches("./").to_string());
        }
        // Left out of runme's "run all": here, it asks before it runs.
        ("excludeFromRunAll", v) if on(v) => out.attrs.confirm = true,
        _ => {}
    }
}

/// The unknown-attribute warning of a step, with a "did you mean" hint.
pub fn unknown_warning(key: &str) -> String {
    let hint = suggest(key, KNOWN_ATTRS);
    format!("unknown attribute `{key}` ignored{hint}")
}

fn apply(out: &mut BlockAttrs, attr: Attr, value: &str) -> Result<(), String> {
    let key = attr.key();
    let non_empty = |what: &str| {
        if value.trim().is_empty() {
            Err(format!("`{key}` needs {what}, not an empty value"))
        } else {
            Ok(value.to_string())
        }
    };
    match attr {
        Attr::Id => {
            let ok = !value.is_empty()
                && value
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
            if !ok {
                return Err(format!(
                    "step id `{value}` may only hold letters, digits, `-`, `_` and `.`"
                ));
            }
            out.id = Some(value.to_string());
        }
        Attr::Timeout => match value.parse::<u64>() {
            Ok(0) => return Err("`timeout=0` would stop the step at once: give seconds > 0".into()),
            Ok(n) => out.attrs.timeout = Some(n),
            Err(_) => {
                return Err(format!(
                    "`timeout` must be a whole number of seconds, got `{value}`"
                ));
            }
        },
        Attr::Exit => match value.parse::<i32>() {
            Ok(n) if (0..=255).contains(&n) => out.attrs.exit = n,
            _ => {
                return Err(format!(
                    "`exit` must be an exit code from 0 to 255, got `{value}`"
                ));
            }
        },
        Attr::Expect => {
            // Only the syntax, with the settings `regex` uses: compiling the automaton here
            // was a quarter of every command's start-up (the course's `expect`s, at each
            // load); the runner compiles it when the step runs.
            if let Err(e) = regex_syntax::Parser::new().parse(value) {
                return Err(format!(
                    "`expect` is not a valid regex: {}",
                    regex_message(&e.to_string())
                ));
            }
            out.attrs.expect = Some(value.to_string());
        }
        Attr::Check => out.attrs.check = Some(non_empty("a command")?),
        Attr::Ready => {
            let value = non_empty("a URL or a command")?;
            let lower = value.to_ascii_lowercase();
            out.attrs.ready = Some(
                if lower.starts_with("http://") || lower.starts_with("https://") {
                    let host = value.split_once("://").map_or("", |(_, rest)| rest);
                    if host.is_empty() || host.starts_with('/') {
                        return Err(format!("`ready` URL `{value}` has no host"));
                    }
                    Ready::Url(value)
                } else {
                    Ready::Command(value)
                },
            );
        }
        Attr::Watch => {
            let globs: Vec<String> = non_empty("one or more paths")?
                .split_whitespace()
                .map(|g| g.trim_start_matches("./").to_string())
                .collect();
            if let Some(bad) = globs.iter().find(|g| escapes_workspace(g)) {
                return Err(format!(
                    "`watch` path `{bad}` escapes the workspace: use paths relative to the workspace, without `..`"
                ));
            }
            out.watch = globs;
        }
        Attr::File => {
            let path = non_empty("a path")?;
            if escapes_workspace(&path) {
                return Err(format!(
                    "`file=\"{path}\"` escapes the workspace: use a relative path without `..`"
                ));
            }
            if path.ends_with('/') || path.ends_with('\\') {
                return Err(format!("`file=\"{path}\"` names a folder, not a file"));
            }
            out.file = Some(path.trim_start_matches("./").to_string());
        }
        Attr::Norun
        | Attr::Background
        | Attr::Confirm
        | Attr::Interactive
        | Attr::Task
        | Attr::Isolated => {
            unreachable!("flags are handled by the caller")
        }
    }
    Ok(())
}

/// The one-line reason of a regex error (the crate prints the pattern and a caret above it).
fn regex_message(text: &str) -> String {
    text.lines()
        .find_map(|l| l.trim().strip_prefix("error: "))
        .map_or_else(|| one_line(text), str::to_string)
}
