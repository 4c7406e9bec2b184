//! What happens to the app (`Msg`) and what the app asks the loop to do (`Effect`).

use std::time::Instant;

use ratatui::crossterm::event::{KeyEvent, MouseEvent};

use super::state::{DoctorResults, SavedStatus};
use crate::runner::{RunEvent, StepOutcome};

#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize {
        width: u16,
        height: u16,
    },
    Tick(Instant),
    /// From the runner's sink (a start failure arrives as `Finished` with `FailReason::Spawn`).
    StepEvent {
        step_id: String,
        event: RunEvent,
    },
    DoctorDone(DoctorResults),
    InteractiveDone {
        step_id: String,
        outcome: StepOutcome,
    },
    FileWritten {
        step_id: String,
        result: FileWriteResult,
    },
    CleanupDone {
        chapter: usize,
        failed: Vec<String>,
    },
    /// Loop-internal: output of the step waits in its buffer (the loop turns it into a
    /// `StepEvent` with the bytes; `update` never sees this).
    OutputPending {
        step_id: String,
    },
    /// SIGTERM / SIGHUP: stop everything in order and leave.
    Terminate,
    /// Something the learner should know (a file that could not be saved, …).
    Notice {
        text: String,
        error: bool,
    },
    /// The workspace files `e` may open (from `Effect::FindEditable`).
    EditCandidates {
        chapter: usize,
        files: Vec<String>,
    },
    /// A file a task watches was saved (debounced).
    WatchedChange {
        step_id: String,
    },
    /// The answer of `Effect::JoinClass`: the status bar's text, or why it failed.
    ClassJoined(Result<String, String>),
    /// The learner's editor or shell returned the terminal.
    HandoffDone {
        /// What ran, e.g. `nano Dockerfile`.
        what: String,
        result: Result<(), String>,
    },
}

/// What writing a file step did (the loop maps the runner's answer to this).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileWriteResult {
    Written {
        path: String,
        bytes: usize,
    },
    Unchanged {
        path: String,
    },
    /// A different file is there and `overwrite` was false.
    Differs {
        path: String,
    },
    Error(String),
}

/// Which step to run, and how wide its output box is (the child sees it as `COLUMNS`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRequest {
    pub chapter: usize,
    pub step: usize,
    pub step_id: String,
    pub columns: u16,
    /// Placeholder values the learner gave for the chapter.
    pub values: Vec<(String, String)>,
    /// Where the chapter's earlier steps left the shell (`cd`, `export`).
    pub shell: crate::session::ShellState,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProgressUpdate {
    Step {
        step_id: String,
        status: SavedStatus,
        /// Why it failed, in a few words.
        summary: Option<String>,
        /// Id of the runner's explanation of the failure, if one matched.
        explanation: Option<String>,
    },
    /// How many of a task's hints the learner has revealed.
    TaskHints { step_id: String, revealed: usize },
    /// The learner looked at a task's solution.
    SolutionViewed { step_id: String },
    /// The learner applied a task's solution.
    SolutionApplied { step_id: String },
    /// Where the learner is, for the next start.
    Current { chapter: usize, step: Option<usize> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    RunStep(StepRequest),
    Cancel(String),
    RunInteractive(StepRequest),
    WriteFile {
        request: StepRequest,
        overwrite: bool,
    },
    RunCleanup(usize),
    RefreshDoctor,
    SaveProgress(ProgressUpdate),
    CopyToClipboard(String),
    /// Runs step `solution_step` of the task's solution; its events arrive as the task's.
    RunSolutionStep {
        request: StepRequest,
        solution_step: usize,
    },
    /// Writes a file step of the task's solution; answers with the task's `FileWritten`.
    WriteSolutionFile {
        request: StepRequest,
        solution_step: usize,
        overwrite: bool,
    },
    /// `e`: find the files the learner may edit in the chapter (the focused task's watched
    /// paths, the chapter's file steps), then answer with `Msg::EditCandidates`.
    FindEditable {
        chapter: usize,
        step: Option<usize>,
    },
    /// Opens a workspace file (relative to the chapter's folder) in the learner's editor.
    OpenEditor {
        chapter: usize,
        path: String,
    },
    /// `!`: the learner's shell in the chapter's folder.
    OpenShell {
        chapter: usize,
    },
    /// Ctrl-Z: give the terminal back and stop this process until the shell resumes it.
    Suspend,
    /// `L` form: join a live class (on a thread; answers with `Msg::ClassJoined`).
    JoinClass {
        url: String,
        code: String,
        name: String,
    },
    /// A class was joined: its feed starts riding on the progress thread.
    AttachClass,
    /// Stop every step, run the cleanups of the chapters used, restore the terminal, exit.
    Quit,
}
