//! Tasks: a shell block flagged `task` whose code is the check the learner must make pass,
//! followed by `<details><summary>Hint…` and `<details><summary>Solution…` blocks.
//!
//! This module holds the task model and the tracker the parser feeds with the chapter's HTML
//! blocks: it knows which `<details>` block is open, so a fenced block inside a solution
//! becomes a solution step (not a chapter step) and a block inside a hint is not run at all.

mod tags;

use std::ops::Range;

use super::front::error;
use super::model::{Diagnostic, SourcePos, Step};
use super::pos::LineIndex;
use tags::{TagKind, tags};

/// What makes a [`Step`] a task. Its command script is the check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskSpec {
    /// `watch="GLOB …"`: workspace-relative globs whose changes re-run the check.
    pub watch: Vec<String>,
    /// The `<details><summary>Hint…` blocks after the task, in order.
    pub hints: Vec<Hint>,
    /// The steps (shell and file) inside `<details><summary>Solution…`; not in `Chapter::steps`.
    pub solution: Vec<Step>,
    /// Byte range in `Chapter::markdown` of the whole solution `<details>` block (None: none).
    pub solution_span: Option<Range<usize>>,
}

/// One hint of a task, revealed one at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// The hint's markdown body (between the summary and `</details>`).
    pub markdown: String,
    /// Byte range in `Chapter::markdown` of the whole `<details>` block.
    pub span: Range<usize>,
    pub pos: SourcePos,
}

impl Step {
    /// Whether this step is a task the learner solves (its script is the check).
    pub fn is_task(&self) -> bool {
        self.task.is_some()
    }
}

/// What a `<details>` block is, from its `<summary>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Opened; its summary not seen yet.
    Pending,
    Hint,
    Solution,
    /// Any other folded block: its fenced blocks stay ordinary steps.
    Other,
}

#[derive(Debug)]
struct Frame {
    kind: Kind,
    start: usize,
    body_start: usize,
    /// Index in the chapter's steps of the task this hint or solution belongs to.
    task: Option<usize>,
    pos: SourcePos,
}

/// Where a fenced block goes, given the `<details>` blocks around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockHome {
    /// An ordinary chapter step.
    Chapter,
    /// A step of the solution of the task at this index of the chapter's steps.
    Solution(usize),
    /// Shown only: inside a hint, or a solution that has no task.
    Nowhere,
}

/// Tracks the open `<details>` blocks of one chapter while the parser walks it.
#[derive(Debug, Default)]
pub struct DetailsTracker {
    open: Vec<Frame>,
    /// The task a hint or solution written now belongs to: the last step, when it is a task.
    /// `Some(None)`: the last block was a task too broken to be a step (no cascade of errors).
    last_task: Option<Option<usize>>,
    /// Solution steps of the open solution block.
    solution: Vec<Step>,
    /// Hint and solution folds with no task before them, read as ordinary content: an error
    /// at the chapter's end if the chapter has tasks (the author of a task chapter misplaced
    /// one), a note otherwise (a third-party page's "Solution" fold, common in workshops).
    orphans: Vec<(SourcePos, &'static str)>,
}

impl DetailsTracker {
    /// A chapter step was added at `index`; `is_task` says whether it is a task.
    pub fn step_added(&mut self, index: usize, is_task: bool) {
        self.last_task = is_task.then_some(Some(index));
    }

    /// A task block was rejected (no check): hints after it are not reported again.
    pub fn broken_task(&mut self) {
        self.last_task = Some(None);
    }

    /// Where the fenced block starting now goes.
    pub fn home(&self) -> BlockHome {
        for frame in self.open.iter().rev() {
            match (frame.kind, frame.task) {
                (Kind::Hint, _) | (Kind::Solution, None) => return BlockHome::Nowhere,
                (Kind::Solution, Some(task)) => return BlockHome::Solution(task),
                _ => {}
            }
        }
        BlockHome::Chapter
    }

    /// Number of steps collected so far in the open solution.
    pub fn solution_len(&self) -> usize {
        self.solution.len()
    }

    pub fn push_solution_step(&mut self, step: Step) {
        self.solution.push(step);
    }

    /// Reads the `<details>`, `<summary>` and `</details>` tags of the HTML block at `span`.
    pub fn html_block(
        &mut self,
        body: &str,
        span: Range<usize>,
        index: &LineIndex<'_>,
        file: &str,
        steps: &mut [Step],
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let html = &body[span.clone()];
        for tag in tags(html) {
            let (at, end) = (span.start + tag.start, span.start + tag.end);
            match tag.what {
                TagKind::Open => {
                    let (line, column) = index.line_col(at);
                    let pos = SourcePos {
                        file: file.to_string(),
                        line,
                        column,
                    };
                    self.open.push(Frame {
                        kind: Kind::Pending,
                        start: at,
                        body_start: end,
                        task: None,
                        pos,
                    });
                }
                TagKind::Summary(text) => self.summary(&text, end, steps, diagnostics),
                TagKind::Close => self.close(body, at, end, steps, diagnostics),
            }
        }
    }

    fn summary(&mut self, text: &str, end: usize, steps: &[Step], diags: &mut Vec<Diagnostic>) {
        let inside_task_block = self
            .open
            .iter()
            .rev()
            .skip(1)
            .any(|f| matches!(f.kind, Kind::Hint | Kind::Solution));
        let last_task = self.last_task;
        let Some(frame) = self.open.last_mut().filter(|f| f.kind == Kind::Pending) else {
            return;
        };
        frame.body_start = end;
        let word = text.trim().to_lowercase();
        frame.kind = if word.starts_with("hint") {
            Kind::Hint
        } else if word.starts_with("solution") {
            Kind::Solution
        } else {
            Kind::Other
        };
        if frame.kind == Kind::Other {
            return;
        }
        let what = if frame.kind == Kind::Hint {
            "hint"
        } else {
            "solution"
        };
        let p = &frame.pos;
        if inside_task_block {
            let msg = format!("a {what} cannot sit inside another hint or solution");
            diags.push(error(&p.file, p.line, p.column, &msg));
            frame.kind = Kind::Other;
            return;
        }
        match last_task {
            Some(task) => frame.task = task,
            None => {
                // Ordinary content until the chapter's end says whether it has tasks.
                self.orphans.push((p.clone(), what));
                frame.kind = Kind::Other;
                return;
            }
        }
        if let Some(task) = frame.task.and_then(|i| steps.get(i))
            && frame.kind == Kind::Solution
            && task
                .task
                .as_ref()
                .is_some_and(|t| t.solution_span.is_some())
        {
            let msg = format!(
                "task `{}` already has a solution: merge the two into one",
                task.id
            );
            diags.push(error(&p.file, p.line, p.column, &msg));
            frame.task = None;
        }
    }

    fn close(
        &mut self,
        body: &str,
        at: usize,
        end: usize,
        steps: &mut [Step],
        diags: &mut Vec<Diagnostic>,
    ) {
        let Some(frame) = self.open.pop() else {
            return;
        };
        let span = frame.start..line_end(body, end);
        self.finish(frame, body, at, span, steps, diags);
    }

    /// Ends the chapter: a hint or solution still open is reported and kept.
    pub fn finish_chapter(&mut self, body: &str, steps: &mut [Step], diags: &mut Vec<Diagnostic>) {
        while let Some(frame) = self.open.pop() {
            if matches!(frame.kind, Kind::Hint | Kind::Solution) {
                let p = &frame.pos;
                let msg = "this `<details>` block is never closed: add `</details>` on a line of its own after a blank line";
                diags.push(error(&p.file, p.line, p.column, msg));
            }
            let span = frame.start..body.len();
            self.finish(frame, body, body.len(), span, steps, diags);
        }
        let has_tasks = steps.iter().any(Step::is_task);
        for (p, what) in self.orphans.drain(..) {
            if has_tasks {
                let msg = format!(
                    "this {what} has no task before it: put it right after a ```sh {{task id=…}} block (a hint or solution belongs to the task just above it)"
                );
                diags.push(error(&p.file, p.line, p.column, &msg));
            } else {
                let message = format!(
                    "a “{}” fold in a chapter without tasks: read as ordinary folded content (its commands are steps)",
                    if what == "hint" { "Hint" } else { "Solution" }
                );
                diags.push(Diagnostic {
                    severity: super::model::Severity::Info,
                    pos: p,
                    message,
                });
            }
        }
    }

    fn finish(
        &mut self,
        frame: Frame,
        body: &str,
        body_end: usize,
        span: Range<usize>,
        steps: &mut [Step],
        diags: &mut Vec<Diagnostic>,
    ) {
        let Some(task) = frame
            .task
            .and_then(|i| steps.get_mut(i))
            .filter(|_| matches!(frame.kind, Kind::Hint | Kind::Solution))
        else {
            if frame.kind == Kind::Solution {
                self.solution.clear();
            }
            return;
        };
        let task_id = task.id.clone();
        let Some(spec) = task.task.as_mut() else {
            return;
        };
        if frame.kind == Kind::Hint {
            let text = body
                .get(frame.body_start.min(body_end)..body_end)
                .unwrap_or("");
            let markdown = text.trim_matches(['\n', ' ', '\t']).to_string();
            if markdown.is_empty() {
                let p = &frame.pos;
                let msg = format!(
                    "this hint of task `{task_id}` is empty: write the hint between `</summary>` and `</details>`"
                );
                diags.push(error(&p.file, p.line, p.column, &msg));
            }
            spec.hints.push(Hint {
                markdown,
                span,
                pos: frame.pos,
            });
            return;
        }
        spec.solution = std::mem::take(&mut self.solution);
        spec.solution_span = Some(span);
        if spec.solution.is_empty() {
            let p = &frame.pos;
            let msg = format!(
                "the solution of task `{task_id}` has no step that can run: write its commands in a ```sh block and its files as ```LANG {{file=\"PATH\"}} blocks"
            );
            diags.push(error(&p.file, p.line, p.column, &msg));
        }
        for step in &spec.solution {
            if step.attrs.interactive || step.attrs.background {
                let what = if step.attrs.interactive {
                    "takes over the terminal"
                } else {
                    "runs in the background"
                };
                let p = &step.pos;
                let msg = format!(
                    "a solution step that {what} cannot be applied by `run --solve` or `lint --deep`: solve the task with commands that finish on their own"
                );
                diags.push(error(&p.file, p.line, p.column, &msg));
            }
        }
    }
}

/// The byte after the line break that follows `at` (or the text's end).
fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}
