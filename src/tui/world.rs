//! The outside world the loop talks to, in one struct the caller builds once (bandwhich's
//! `OsInputOutput`): the terminal (any ratatui `Backend`), the console around it (events,
//! handing it over, the clipboard), the step starter, the doctor's probe, the progress store,
//! the clock, the signals and the options. `commands::learn` builds the real one; the loop's
//! tests build one from fakes and a `TestBackend`.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::Backend;

use super::msg::Msg;
use crate::doctor::Probe;
use crate::progress::Store;
use crate::runner::{self, RunEvent, StepIds, StepOutcome, StepSpec};
use crate::session::Signals;

/// Where a running step's events go (the loop's sink for that step).
pub type Sink = Box<dyn FnMut(RunEvent) + Send + 'static>;

/// Starts steps. The real one spawns processes (`runner`); a fake records what it was asked
/// and sends the events a test chooses.
pub trait StepStarter {
    /// Starts `spec`; its output and end go to `sink` from another thread. `Err` is a spawn
    /// error, shown as the step's failure.
    fn start(
        &mut self,
        spec: StepSpec,
        ids: &StepIds,
        sink: Sink,
    ) -> Result<Box<dyn RunningStep>, String>;

    /// Runs an interactive step (whose command reads `title`) in the foreground, once the
    /// console has handed the terminal over.
    fn run_interactive(&mut self, spec: &StepSpec, ids: &StepIds, title: &str) -> StepOutcome;
}

/// A step started by a [`StepStarter`].
pub trait RunningStep {
    /// Asks it to stop (its `Finished` event follows).
    fn cancel(&self);
    /// Waits at most `timeout` for it to end; true when it has.
    fn wait(&self, timeout: Duration) -> bool;
}

/// The terminal's side of the world, apart from drawing (the `Terminal` does that).
pub trait Console {
    /// Starts sending terminal events (keys, mouse, resizes) and ticks to `tx`.
    fn listen(&mut self, tx: Sender<Msg>);
    /// Stops reading the terminal (before handing it over, and at exit).
    fn stop_listening(&mut self);
    /// Leaves the TUI's screen, runs `f` with the real terminal, and comes back (the loop
    /// redraws everything afterwards).
    fn hand_over(&mut self, f: &mut dyn FnMut()) -> std::io::Result<()>;
    /// Suspends the whole program (Ctrl-Z) until the shell resumes it.
    fn suspend(&mut self) -> std::io::Result<()>;
    fn copy_to_clipboard(&mut self, text: &str) -> std::io::Result<()>;
}

/// What the environment and the command line decided, read once by the caller.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--workspace DIR`; `None` picks the default place for the course.
    pub workspace_dir: Option<PathBuf>,
    /// Colours on (`--color`, `NO_COLOR`).
    pub color: bool,
    /// The `lint` command that checks the course in use, for the "this course has errors" hint.
    pub lint_command: String,
    /// Quit right after the first frame (`DOCKER_GUIDE_EXIT_AFTER_FIRST_FRAME=1`, for timing
    /// start-up).
    pub exit_after_first_frame: bool,
    /// The terminal is known to understand OSC 8 hyperlinks (from the settings' terminal
    /// variables); links stay plain text without colours whatever this says.
    pub hyperlinks: bool,
}

/// Everything outside the app's pure state that the loop uses.
pub struct World<B: Backend> {
    pub terminal: Terminal<B>,
    pub console: Box<dyn Console>,
    pub steps: Box<dyn StepStarter>,
    /// What the doctor reads (commands, files, ports), on a worker thread.
    pub probe: Arc<dyn Probe>,
    /// The progress store, or why there is none (progress then lasts for this session only).
    pub store: Result<Store, String>,
    pub clock: fn() -> Instant,
    /// SIGINT/SIGTERM/SIGHUP; `None` when nothing outside can ask the loop to stop.
    pub signals: Option<Signals>,
    pub options: Options,
}

/// The real step starter: processes in their own process groups, killed by the panic hook
/// while they run.
pub struct ProcessSteps;

impl StepStarter for ProcessSteps {
    fn start(
        &mut self,
        spec: StepSpec,
        ids: &StepIds,
        sink: Sink,
    ) -> Result<Box<dyn RunningStep>, String> {
        let handle = runner::start_step(spec, ids, sink).map_err(|e| e.to_string())?;
        super::terminal::register_group(handle.pgid());
        Ok(Box::new(GroupedStep(handle)))
    }

    fn run_interactive(&mut self, spec: &StepSpec, ids: &StepIds, title: &str) -> StepOutcome {
        println!(
            "\n── docker-guide: this step needs your terminal ──\n$ {}",
            title.trim_end()
        );
        let outcome = runner::run_interactive_step(spec, ids);
        // Leave the learner time to read what the command printed.
        print!(
            "\n── {} · press Enter to return to docker-guide ──",
            outcome.result
        );
        let _ = std::io::Write::flush(&mut std::io::stdout());
        let _ = std::io::stdin().read_line(&mut String::new());
        outcome
    }
}

/// A step's process whose group the panic hook kills until it is dropped.
struct GroupedStep(runner::StepHandle);

impl RunningStep for GroupedStep {
    fn cancel(&self) {
        self.0.cancel();
    }

    fn wait(&self, timeout: Duration) -> bool {
        self.0.wait(timeout)
    }
}

impl Drop for GroupedStep {
    fn drop(&mut self) {
        super::terminal::unregister_group(self.0.pgid());
    }
}
