//! The course model: plain data, no I/O. A course is a folder of chapters; a chapter is a
//! markdown document plus the steps found in its fenced code blocks.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use std::time::Duration;

pub use super::task::{Hint, TaskSpec};

/// Seconds a step may run when neither the step nor its chapter says otherwise.
pub const DEFAULT_STEP_TIMEOUT_SECS: u64 = 600;

/// Where a course was loaded from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CourseSource {
    /// The official course compiled into the binary.
    Embedded,
    /// A folder of markdown chapters (`--lessons DIR`).
    Dir(PathBuf),
    /// A single markdown file opened as a one-chapter course.
    File(PathBuf),
}

#[derive(Debug, Clone)]
pub struct Course {
    /// Stable id: `course.toml` `id`, else the folder (or file stem) name. Progress is keyed by it.
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub version: Option<String>,
    /// Images the lessons use (`course.toml` `images`), e.g. `python:3.12-slim`.
    pub images: Vec<String>,
    pub source: CourseSource,
    pub chapters: Vec<Chapter>,
    /// Files copied into the workspace before the first step runs (path relative to `assets/`).
    pub assets: Vec<Asset>,
    /// Problems found while loading (bad front matter, bad attributes, …). Loading goes on.
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Relative path inside the workspace, `/`-separated.
    pub path: String,
    pub contents: Vec<u8>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontMatter {
    pub title: Option<String>,
    /// Doctor check ids that must pass before the chapter's first step.
    pub requires: Vec<String>,
    /// Working directory of the chapter's steps, relative to the workspace.
    pub workdir: Option<String>,
    /// Shell commands that undo what the chapter started (run when the chapter is left).
    pub cleanup: Vec<String>,
    /// Default timeout of the chapter's steps, in seconds.
    pub timeout: Option<u64>,
    /// The author's estimate of the time a learner needs for the chapter, in minutes.
    pub minutes: Option<u32>,
    /// `isolated = true`: each step starts in the chapter's folder with a fresh environment
    /// (no `cd` or `export` carried from one step to the next).
    pub isolated: bool,
}

#[derive(Debug, Clone)]
pub struct Chapter {
    /// URL-style name from the file name without its numeric prefix: `03-build-and-run.md` → `build-and-run`.
    pub slug: String,
    /// File name inside the course folder, e.g. `03-build-and-run.md`.
    pub file_name: String,
    /// Path as shown in messages, e.g. `lessons/03-build-and-run.md`.
    pub display_path: String,
    pub title: String,
    pub front: FrontMatter,
    /// The markdown body, front matter removed, with its events. Step spans index into it.
    pub markdown: super::Markdown,
    /// Line number (1-based) of the body's first line in the file (after front matter).
    pub body_first_line: usize,
    pub steps: Vec<Step>,
}

impl Chapter {
    /// The effective timeout of a step: its own, else the chapter's, else the default.
    pub fn step_timeout(&self, step: &Step) -> Duration {
        Duration::from_secs(
            step.attrs
                .timeout
                .or(self.front.timeout)
                .unwrap_or(DEFAULT_STEP_TIMEOUT_SECS),
        )
    }

    pub fn step_by_id(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// The step whose fenced block starts at byte `start` of `markdown` (the range start of
    /// its `CodeBlock` event when parsed with `lesson::markdown_options()`).
    pub fn step_at(&self, start: usize) -> Option<&Step> {
        self.steps
            .binary_search_by_key(&start, |s| s.span.start)
            .ok()
            .map(|i| &self.steps[i])
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepKind {
    /// A shell script run with `sh -c`.
    Command { script: String },
    /// Writes the block's content to `path` (relative to the workspace).
    File { path: String },
}

/// What must hold for a `background` step to count as started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ready {
    /// Polled until it answers with an HTTP status below 500.
    Url(String),
    /// Polled until it exits 0.
    Command(String),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepAttrs {
    pub timeout: Option<u64>,
    /// Expected exit code (default 0).
    pub exit: i32,
    /// The output must match this regex (validated by the parser).
    pub expect: Option<String>,
    /// After the step, this command must exit 0.
    pub check: Option<String>,
    pub background: bool,
    pub ready: Option<Ready>,
    pub confirm: bool,
    /// Needs the real terminal (explicit, or inferred from `docker run -it`).
    pub interactive: bool,
    /// Starts from the chapter's folder and a fresh environment, and leaves nothing for the
    /// next steps (`cd` and `export` stay in the block).
    pub isolated: bool,
    /// runme's `cwd`: the folder, relative to the chapter's, this step runs in (whatever the
    /// chapter's shell state says; its own `cd` is not carried on).
    pub cwd: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Stable id (`id=` attribute, else `<chapter-slug>-<n>` with n from 1). Progress is keyed by it.
    pub id: String,
    /// 0-based position among the chapter's steps.
    pub index: usize,
    pub kind: StepKind,
    /// The fence's language, lower-cased (`sh`, `console`, `dockerfile`, …).
    pub lang: String,
    /// The block's content exactly as written (shown to the learner).
    pub code: String,
    pub attrs: StepAttrs,
    /// Where the fence starts in the chapter file.
    pub pos: SourcePos,
    /// Byte range of the whole fenced block in `Chapter::markdown`.
    pub span: Range<usize>,
    /// `Some` when the block is a task (`task` flag): its script is the check.
    pub task: Option<TaskSpec>,
    /// How the block's lines were read: commands, sample output, lines typed elsewhere,
    /// placeholders the learner must fill in.
    pub reading: StepReading,
}

/// How a shell block's lines were read (see `lesson::prompts`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum BlockReading {
    /// No prompts: the whole block is a script.
    #[default]
    Script,
    /// Prompt lines (`$ `, `user@host:~$ `) are the commands; every other line is shown only.
    Transcript,
    /// A prompt-less script whose lines from `first_output` (0-based) on can only be output.
    ScriptThenOutput { first_output: usize },
    /// Nothing to run: the block is sample output (not a step).
    OutputOnly,
}

/// A line of a step's code that is shown but never run on the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownLine {
    /// 0-based line in the step's code.
    pub line: usize,
    pub role: ShownRole,
    /// The line as written (prompt included).
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShownRole {
    /// What a command printed, as the tutorial shows it.
    Output,
    /// Typed at another machine's prompt (a container shell, a REPL), e.g. `root@04c0…:/# `.
    Inside { prompt: String },
}

/// A value the learner must supply before a command can run: `<container-id>`,
/// `YOUR_USERNAME`, `{{ .Name }}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// What `--set NAME=VALUE` names: `container-id`, `YOUR_USERNAME`, `Name`.
    pub name: String,
    /// The text as written in the command, replaced by the value.
    pub written: String,
}

/// What a step's code holds besides the script that runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepReading {
    pub reading: BlockReading,
    /// The host commands with their prompts stripped, each with its 0-based code line.
    /// Empty for file steps.
    pub commands: Vec<(usize, String)>,
    /// Sample output and lines typed inside another machine: shown, never run.
    pub shown: Vec<ShownLine>,
    /// Placeholders in the commands, each name once, in order of appearance.
    pub placeholders: Vec<Placeholder>,
}

impl Step {
    /// The command text a learner would copy: the script of a command step, the content of a file step.
    pub fn copy_text(&self) -> &str {
        match &self.kind {
            StepKind::Command { script } => script,
            StepKind::File { .. } => &self.code,
        }
    }

    /// The script with every placeholder replaced by its value from `values` (looked up by
    /// name, case-insensitively), or the placeholders that have no value. A step with a
    /// placeholder left must never run: the command would be wrong or worse.
    pub fn script_with(&self, values: &[(String, String)]) -> Result<String, Vec<&Placeholder>> {
        let StepKind::Command { script } = &self.kind else {
            return Ok(String::new());
        };
        let value_of = |p: &Placeholder| {
            values
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(&p.name))
                .map(|(_, v)| v.as_str())
        };
        let missing: Vec<&Placeholder> = self
            .reading
            .placeholders
            .iter()
            .filter(|p| value_of(p).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(missing);
        }
        let mut out = script.clone();
        for p in &self.reading.placeholders {
            if let Some(value) = value_of(p) {
                out = out.replace(&p.written, value);
            }
        }
        Ok(out)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourcePos {
    /// Path as shown in messages.
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
}

impl fmt::Display for SourcePos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// How an ambiguous block was read: not a problem, shown by `lint` only.
    Info,
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A problem in a course, with its place: printed as `path:line:col: error: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub pos: SourcePos,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.pos, self.severity, self.message)
    }
}

impl Course {
    /// The 0-based index of the chapter a learner means by `query`: its number (1-based),
    /// its slug, its file name or file name without `.md` (case-insensitive).
    pub fn find_chapter(&self, query: &str) -> Option<usize> {
        let query = query.trim();
        if let Ok(n) = query.parse::<usize>()
            && (1..=self.chapters.len()).contains(&n)
        {
            return Some(n - 1);
        }
        let q = query.to_lowercase();
        self.chapters.iter().position(|c| {
            let file = c.file_name.to_lowercase();
            c.slug == q || file == q || file.strip_suffix(".md") == Some(q.as_str())
        })
    }

    /// The chapter a diagnostic belongs to (by its file), as an index.
    pub fn chapter_of(&self, diagnostic: &Diagnostic) -> Option<usize> {
        self.chapters
            .iter()
            .position(|c| c.display_path == diagnostic.pos.file)
    }

    /// Number of steps in the whole course.
    pub fn step_count(&self) -> usize {
        self.chapters.iter().map(|c| c.steps.len()).sum()
    }
}
