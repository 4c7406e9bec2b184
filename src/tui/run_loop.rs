//! The loop: receives messages, calls `update`, performs the effects, and draws at most ~60
//! frames a second. Never waits on a process or a probe: those run on other threads and
//! report back over the channel.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::Backend;

use super::adapters;
use super::event::TICK;
use super::msg::{Effect, Msg};
use super::progress_writer::ProgressWriter;
use super::sink;
use super::state::App;
use super::update::update;
use super::view;
use super::world::{Console, RunningStep, StepStarter, World};
use crate::doctor::Probe;
use crate::runner::{self, RunEvent, Workspace};
use crate::session::Signals;

mod effects;
mod tasks;
#[cfg(test)]
mod tests;

/// At most one frame per this interval; output arriving faster is drawn with the next frame.
const FRAME: Duration = Duration::from_millis(16);
/// Longest stretch spent applying queued messages before a frame is drawn.
const DRAIN_BUDGET: Duration = Duration::from_millis(8);
/// How long quitting waits for the last progress to be written.
const PROGRESS_GRACE: Duration = Duration::from_secs(3);
/// How long quitting waits for cancelled steps to end.
const STOP_GRACE: Duration = Duration::from_secs(5);
/// How long joining or following a class waits for the progress thread to read the saved
/// record (it may be waiting on a lock another docker-guide holds).
const PROGRESS_READ_WAIT: Duration = Duration::from_secs(2);

pub struct EventLoop<B: Backend> {
    pub terminal: Terminal<B>,
    console: Box<dyn Console>,
    steps: Box<dyn StepStarter>,
    probe: Arc<dyn Probe>,
    clock: fn() -> Instant,
    tx: Sender<Msg>,
    rx: Receiver<Msg>,
    handles: HashMap<String, Box<dyn RunningStep>>,
    /// Output of each running step not yet applied (see `sink`).
    pending: HashMap<String, sink::Pending>,
    workspace: Result<Workspace, String>,
    /// None when the store could not be opened (the learner was told).
    progress: Option<ProgressWriter>,
    signals: Option<Signals>,
    exit_after_first_frame: bool,
    /// The first frame is still to be drawn: the doctor and [`Self::after_first_frame`] start
    /// once it is on screen. The doctor's `docker` calls (Go programs, tens of ms of CPU
    /// each) took cores from the first frame (median 41 -> 49 ms).
    first_frame_pending: bool,
    /// Work for spare cores that starts once the first frame is on screen (the highlighting
    /// warm-up of the other chapters, see `tui::run`), so it does not slow that frame down.
    pub after_first_frame: Option<Box<dyn FnOnce() + Send>>,
    /// Watches the current chapter's tasks' files (none when they watch nothing).
    watch: Option<super::watch::ChapterWatch>,
    /// The chapter whose watcher could not start (not retried on every message).
    watch_failed: Option<usize>,
}

/// A drawing error of any backend, as an I/O error.
fn drawing<E: std::fmt::Display>(err: E) -> std::io::Error {
    std::io::Error::other(err.to_string())
}

impl<B: Backend> EventLoop<B> {
    /// Takes the world over; the store was already read for `app` (see `tui::run`).
    pub fn new(world: World<B>, app: &mut App) -> Self {
        let (tx, rx) = mpsc::channel();
        let workspace = adapters::workspace(&app.course, world.options.workspace_dir.as_deref());
        let root = workspace.as_ref().ok().map(|ws| ws.root.as_path());
        let progress = world.store.ok().map(|store| {
            let live = super::live::attach(app, &store.course(&app.course.id), root);
            ProgressWriter::spawn(store, tx.clone(), live)
        });
        match &workspace {
            Ok(ws) => app.config.workspace = Some(adapters::display_path(&ws.root)),
            Err(err) => {
                super::update::notify(app, format!("no workspace, steps cannot run: {err}"), true)
            }
        }
        let mut console = world.console;
        console.listen(tx.clone());
        Self {
            terminal: world.terminal,
            console,
            steps: world.steps,
            probe: world.probe,
            clock: world.clock,
            tx,
            rx,
            handles: HashMap::new(),
            pending: HashMap::new(),
            workspace,
            progress,
            signals: world.signals,
            exit_after_first_frame: world.options.exit_after_first_frame,
            first_frame_pending: false,
            after_first_frame: None,
            watch: None,
            watch_failed: None,
        }
    }

    /// Runs until quit, then stops the steps and cleans up, whatever ended the loop.
    pub fn run(&mut self, app: &mut App) -> std::io::Result<()> {
        let result = self.event_loop(app);
        self.shutdown(app);
        result
    }

    /// What happens before the first frame: the app learns the screen's size and the time;
    /// the doctor is shown as checking and starts right after the frame.
    fn begin(&mut self, app: &mut App) -> std::io::Result<()> {
        let size = self.terminal.size().map_err(drawing)?;
        self.dispatch(
            app,
            Msg::Resize {
                width: size.width,
                height: size.height,
            },
        );
        self.dispatch(app, Msg::Tick((self.clock)()));
        self.first_frame_pending = true;
        app.doctor.running = true;
        Ok(())
    }

    fn event_loop(&mut self, app: &mut App) -> std::io::Result<()> {
        self.begin(app)?;
        let mut last_draw: Option<Instant> = None;
        let mut dirty = true;
        loop {
            if self.stop_requested() && !app.quitting {
                self.dispatch(app, Msg::Terminate);
                dirty = true;
            }
            if app.quitting {
                self.draw(app)?;
                break;
            }
            let wait = match (dirty, last_draw) {
                (true, Some(at)) => FRAME.saturating_sub(at.elapsed()),
                (true, None) => Duration::ZERO,
                (false, _) => TICK,
            };
            match self.rx.recv_timeout(wait) {
                Ok(msg) => {
                    dirty |= self.dispatch(app, msg);
                    let started = Instant::now();
                    while started.elapsed() < DRAIN_BUDGET {
                        match self.rx.try_recv() {
                            Ok(msg) => dirty |= self.dispatch(app, msg),
                            Err(_) => break,
                        }
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
            if dirty && last_draw.is_none_or(|at| at.elapsed() >= FRAME) {
                self.draw(app)?;
                last_draw = Some(Instant::now());
                dirty = false;
            }
        }
        Ok(())
    }

    fn draw(&mut self, app: &mut App) -> std::io::Result<()> {
        app.ensure_rendered();
        self.terminal
            .draw(|frame| view::render(app, frame))
            .map_err(drawing)?;
        if self.exit_after_first_frame {
            app.quitting = true;
        } else if std::mem::take(&mut self.first_frame_pending) {
            self.perform(app, Effect::RefreshDoctor);
            if let Some(job) = self.after_first_frame.take() {
                std::thread::spawn(job);
            }
        }
        Ok(())
    }

    /// Applies one message; returns whether the screen changed.
    fn dispatch(&mut self, app: &mut App, msg: Msg) -> bool {
        let msg = match msg {
            Msg::OutputPending { step_id } => {
                let bytes = self
                    .pending
                    .get(&step_id)
                    .map(sink::take)
                    .unwrap_or_default();
                if bytes.is_empty() {
                    return false;
                }
                Msg::StepEvent {
                    step_id,
                    event: RunEvent::Output(bytes),
                }
            }
            msg => msg,
        };
        let visible = match &msg {
            // Ticks only matter while something moves on screen.
            Msg::Tick(_) => app.any_running() || app.doctor.running || app.view.notice.is_some(),
            _ => true,
        };
        if let Msg::StepEvent {
            step_id,
            event: RunEvent::Finished(_),
        } = &msg
            && self.handles.remove(step_id).is_some()
        {
            self.pending.remove(step_id);
        }
        for effect in update(app, msg) {
            self.perform(app, effect);
        }
        self.sync_watch(app);
        visible
    }

    /// Starts `spec` as step `id`: its output and end arrive as `Msg::StepEvent`s of `id`, and
    /// a spec or spawn error ends it at once as a failure.
    fn start(&mut self, app: &App, id: String, spec: Result<runner::StepSpec, String>) {
        let pending = sink::Pending::default();
        self.pending.insert(id.clone(), pending.clone());
        let ids = runner::StepIds::new(id.clone(), app.course.id.clone());
        let sink = sink::step_sink(id.clone(), self.tx.clone(), pending);
        let started = spec.and_then(|spec| self.steps.start(spec, &ids, Box::new(sink)));
        match started {
            Ok(handle) => {
                self.handles.insert(id, handle);
            }
            Err(error) => {
                let event = RunEvent::Finished(adapters::spawn_failure(error));
                let _ = self.tx.send(Msg::StepEvent { step_id: id, event });
            }
        }
    }

    /// Whether SIGTERM or SIGHUP (or a second Ctrl-C) asked the loop to stop.
    fn stop_requested(&self) -> bool {
        self.signals.as_ref().is_some_and(Signals::stop_requested)
    }

    /// Gives the terminal to `f` (an interactive step, the learner's editor or shell) and
    /// takes it back; a Ctrl-C typed meanwhile was meant for `f`'s program.
    fn hand_over(&mut self, f: &mut dyn FnMut(&mut dyn StepStarter)) -> std::io::Result<()> {
        self.console.stop_listening();
        let steps = &mut *self.steps;
        let result = self.console.hand_over(&mut || f(steps));
        if let Some(signals) = &self.signals {
            signals.forget_interrupt();
        }
        let cleared = self.terminal.clear().map_err(drawing);
        self.resume_events();
        result.and(cleared)
    }

    /// Reads the terminal again after handing it over; it may have been resized meanwhile.
    fn resume_events(&mut self) {
        self.console.listen(self.tx.clone());
        if let Ok(size) = self.terminal.size() {
            let _ = self.tx.send(Msg::Resize {
                width: size.width,
                height: size.height,
            });
        }
    }

    /// Stops every step, waits for them (bounded), runs the cleanups of the chapters used.
    fn shutdown(&mut self, app: &mut App) {
        self.console.stop_listening();
        self.watch = None;
        for handle in self.handles.values() {
            handle.cancel();
        }
        let deadline = Instant::now() + STOP_GRACE;
        for handle in self.handles.values() {
            handle.wait(deadline.saturating_duration_since(Instant::now()));
        }
        if let Ok(ws) = &self.workspace {
            for &chapter in &app.touched {
                if let Some(job) = adapters::cleanup_job(&app.course, ws, chapter) {
                    job.run();
                }
            }
        }
        self.handles.clear();
        if let Some(writer) = &mut self.progress {
            writer.finish(PROGRESS_GRACE);
        }
    }
}
