//! The TUI's state: everything the view draws and `update` changes. Plain data; no terminal,
//! no processes.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use crate::lesson::{Chapter, Course, Step};
use crate::render::{self, RenderOptions, RenderedChapter, StepBadge};
use crate::runner::StepResult;

mod doctor;
mod step;

pub use super::task_state::{FilePicker, TaskState};
pub use doctor::{CheckLine, CheckStatus, DoctorResults, DoctorState};
pub use step::{LiveStep, Phase, TRANSCRIPT_MAX_LINES, badge_of, fail_summary};

/// Where the learner was and what was saved before this session (from the progress store).
#[derive(Debug, Clone, Default)]
pub struct Resume {
    pub chapter: usize,
    pub step: Option<usize>,
    pub saved: HashMap<String, SavedStatus>,
    /// Problems met while reading the progress file (shown once).
    pub warnings: Vec<String>,
    /// Hints and solution already shown, per task id.
    pub tasks: HashMap<String, TaskState>,
}

/// A step's status as stored by the progress store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SavedStatus {
    Passed,
    Failed,
    Skipped,
}

/// A question the learner must answer before something happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    /// Quit while steps are running (they are stopped and the chapters cleaned up).
    Quit,
    /// `S` on a task: see its solution (it counts in the progress as viewed).
    ShowSolution { step: usize },
    /// `S` once it is shown: run the solution's steps, then the check.
    ApplySolution { step: usize },
    /// A solution's file step would replace the learner's different file.
    OverwriteSolution {
        step: usize,
        solution_step: usize,
        path: String,
    },
    /// The step is marked `confirm`.
    RunStep { step: usize },
    /// The chapter's `requires` checks fail.
    Requires { step: usize, failing: Vec<String> },
    /// A file step would replace a different file.
    Overwrite { step: usize, path: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Doctor,
    Confirm(Confirm),
    /// `e` found several files: which one to open.
    Pick(FilePicker),
    /// A step's placeholders need values before it runs.
    Values(super::values_form::ValuesForm),
    /// `L`: join a live class.
    JoinClass(super::live::JoinForm),
}

/// A short message in the status bar that disappears by itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
    pub until: Instant,
}

/// The current chapter rendered at one width: rendering markdown is the costly part of a frame,
/// so it happens once per chapter, width and colour mode.
#[derive(Debug, Clone, Default)]
pub struct RenderCache {
    pub key: Option<(usize, u16, bool)>,
    pub chapter: RenderedChapter,
    /// Where the chapter's links landed (OSC 8 hyperlinks when `hyperlinks`).
    pub links: Vec<render::LinkRegion>,
    /// Folds of the current chapter toggled by the learner (`z`), by index.
    pub toggled_folds: BTreeSet<usize>,
    /// The terminal understands OSC 8 hyperlinks (and colours are on).
    pub hyperlinks: bool,
}

/// What is on screen and where: the size, the scroll, the open panel, the spinner, the
/// status-bar notice.
#[derive(Debug)]
pub struct ViewState {
    /// First row of the chapter document shown at the top of the main pane.
    pub scroll: usize,
    pub overlay: Option<Overlay>,
    /// First line shown of the open panel (doctor, help).
    pub overlay_scroll: usize,
    pub width: u16,
    pub height: u16,
    /// Spinner frame, advanced by ticks.
    pub frame: usize,
    pub notice: Option<Notice>,
}

/// What the command line and the environment decided, fixed for the session.
#[derive(Debug)]
pub struct AppConfig {
    /// `false` under `NO_COLOR`: focus and status are shown with bold and reverse only.
    pub color: bool,
    /// The command that lists the course's problems (names a `--lessons` course).
    pub lint_command: String,
    /// Where steps run and files are written, as shown to the learner.
    pub workspace: Option<String>,
}

/// The whole state of the UI: the course and what happened to it this session (the fields
/// here), what is on screen ([`ViewState`]), the settings ([`AppConfig`]) and the rendered
/// chapter ([`RenderCache`]).
#[derive(Debug)]
pub struct App {
    pub course: Course,
    pub chapter: usize,
    /// Focused step of the current chapter.
    pub focused: Option<usize>,
    /// Runs of this session, by step id.
    pub runs: HashMap<String, LiveStep>,
    /// Statuses saved before this session, by step id.
    pub saved: HashMap<String, SavedStatus>,
    pub doctor: DoctorState,
    pub now: Instant,
    /// `a`: the chapter whose remaining steps run one after the other.
    pub run_all: Option<usize>,
    /// Chapters where a step ran this session (they get their cleanup when left).
    pub touched: BTreeSet<usize>,
    /// Chapters whose failing `requires` the learner chose to ignore.
    pub requires_waived: BTreeSet<usize>,
    /// Quit was decided: the loop is stopping steps and cleaning up.
    pub quitting: bool,
    /// Hints and solution shown per task, by step id.
    pub tasks: HashMap<String, TaskState>,
    /// Shell state and placeholder values, by chapter.
    pub inputs: HashMap<usize, super::inputs::ChapterInputs>,
    /// The live class's link, while one is joined (`class join`).
    pub class_link: Option<crate::progress::live::SharedStatus>,
    pub view: ViewState,
    pub config: AppConfig,
    pub render_cache: RenderCache,
}

impl App {
    pub fn new(course: Course, resume: Resume, color: bool, now: Instant) -> Self {
        let chapter = resume.chapter.min(course.chapters.len().saturating_sub(1));
        let focused = match course.chapters.get(chapter) {
            Some(ch) if !ch.steps.is_empty() => {
                Some(resume.step.unwrap_or(0).min(ch.steps.len() - 1))
            }
            _ => None,
        };
        Self {
            course,
            chapter,
            focused,
            runs: HashMap::new(),
            saved: resume.saved,
            doctor: DoctorState::default(),
            now,
            run_all: None,
            touched: BTreeSet::new(),
            requires_waived: BTreeSet::new(),
            quitting: false,
            tasks: resume.tasks,
            inputs: HashMap::new(),
            view: ViewState {
                scroll: 0,
                overlay: None,
                overlay_scroll: 0,
                width: 80,
                height: 24,
                frame: 0,
                notice: resume.warnings.first().map(|w| Notice {
                    text: w.clone(),
                    error: true,
                    until: now + std::time::Duration::from_secs(8),
                }),
            },
            config: AppConfig {
                color,
                lint_command: "docker-guide lint".into(),
                workspace: None,
            },
            render_cache: RenderCache::default(),
            class_link: None,
        }
    }

    pub fn current_chapter(&self) -> Option<&Chapter> {
        self.course.chapters.get(self.chapter)
    }

    /// Step `index` of the current chapter.
    pub fn step(&self, index: usize) -> Option<&Step> {
        self.current_chapter()?.steps.get(index)
    }

    pub fn focused_step(&self) -> Option<&Step> {
        self.current_chapter()?.steps.get(self.focused?)
    }

    pub fn run_of(&self, step: &Step) -> Option<&LiveStep> {
        self.runs.get(&step.id)
    }

    pub fn any_running(&self) -> bool {
        self.runs.values().any(LiveStep::is_running)
    }

    pub fn render_options(&self) -> RenderOptions {
        RenderOptions {
            width: super::layout::chapter_width(self.view.width, self.view.height),
            color: self.config.color,
        }
    }

    /// Renders the current chapter if the cached rendering is for another chapter or width.
    pub fn ensure_rendered(&mut self) {
        let opts = self.render_options();
        let key = (self.chapter, opts.width, opts.color);
        if self.render_cache.key == Some(key) {
            return;
        }
        if self
            .render_cache
            .key
            .is_some_and(|(c, _, _)| c != self.chapter)
        {
            self.render_cache.toggled_folds.clear();
        }
        let folds = render::FoldPolicy::Toggled(&self.render_cache.toggled_folds);
        let (chapter, links) = match self.current_chapter() {
            // Hints and solutions are revealed through the task's card, not the text.
            Some(chapter) => render::render_chapter_folded(
                &super::view::task_card::without_spoilers(chapter),
                &opts,
                folds,
            ),
            None => (RenderedChapter::default(), Vec::new()),
        };
        self.render_cache.chapter = chapter;
        self.render_cache.links = links;
        self.render_cache.key = Some(key);
    }

    /// Whether the step counts as done: passed or skipped, now or in an earlier session.
    pub fn step_done(&self, step: &Step) -> bool {
        if let Some(run) = self.run_of(step) {
            // A server that answered has passed, whatever stops it later.
            if run.background && run.ready {
                return true;
            }
            if let Some(outcome) = run.outcome() {
                return !matches!(outcome.result, StepResult::Failed(_));
            }
        }
        matches!(
            self.saved.get(&step.id),
            Some(SavedStatus::Passed | SavedStatus::Skipped)
        )
    }

    pub fn step_failed(&self, step: &Step) -> bool {
        match self.run_of(step).and_then(LiveStep::outcome) {
            Some(outcome) => matches!(outcome.result, StepResult::Failed(_)),
            None => self.saved.get(&step.id) == Some(&SavedStatus::Failed),
        }
    }

    /// `(done, total)` steps of a chapter.
    pub fn chapter_progress(&self, index: usize) -> (usize, usize) {
        let Some(chapter) = self.course.chapters.get(index) else {
            return (0, 0);
        };
        let done = chapter.steps.iter().filter(|s| self.step_done(s)).count();
        (done, chapter.steps.len())
    }

    pub fn course_progress(&self) -> (usize, usize) {
        (0..self.course.chapters.len())
            .map(|i| self.chapter_progress(i))
            .fold((0, 0), |(d, t), (cd, ct)| (d + cd, t + ct))
    }

    /// The badge shown in a step's header.
    pub fn badge(&self, step: &Step) -> StepBadge {
        match self.run_of(step).map(|r| &r.phase) {
            Some(Phase::Running { started }) if self.run_of(step).is_some_and(|r| r.ready) => {
                StepBadge::Serving {
                    elapsed: self.now.saturating_duration_since(*started),
                }
            }
            Some(Phase::Running { started } | Phase::Interactive { started }) => {
                StepBadge::Running {
                    elapsed: self.now.saturating_duration_since(*started),
                    frame: self.view.frame,
                }
            }
            // A server that answered has passed, even once it is stopped.
            Some(Phase::Finished(outcome)) if self.run_of(step).is_some_and(LiveStep::served) => {
                StepBadge::Passed {
                    duration: outcome.duration,
                }
            }
            Some(Phase::Finished(outcome)) => badge_of(outcome),
            None => match self.saved.get(&step.id) {
                Some(SavedStatus::Passed) => StepBadge::Passed {
                    duration: Duration::ZERO,
                },
                // The badge says `✗ failed: last time`, not `failed: failed last time`.
                Some(SavedStatus::Failed) => StepBadge::Failed {
                    summary: "last time".into(),
                },
                Some(SavedStatus::Skipped) => StepBadge::Skipped {
                    reason: "last time".into(),
                },
                None => StepBadge::NotRun,
            },
        }
    }

    /// The checks that keep the current chapter's `requires` from holding, judged by the last
    /// doctor report as `run` judges them (`session::judge`): failed ones (required, or needed
    /// by a required one) and, when nothing failed, required ones that skipped themselves.
    pub fn failing_requires(&self) -> Vec<&CheckLine> {
        match (self.current_chapter(), &self.doctor.summary) {
            (Some(chapter), Some(summary)) => summary.failing(&chapter.front.requires, || {
                crate::doctor::chapter_ports(chapter)
            }),
            _ => Vec::new(),
        }
    }
}
