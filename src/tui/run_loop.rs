//! The loop: receives messages, calls `update`, performs the effects, and draws at most ~60
//! frames a second. Never waits on a process or a probe: those run on other threads and
//! report back over the channel.

use std::collections::HashMap;
use std::sync::LazyLock;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use ratatui::DefaultTerminal;

use super::event::{EventThread, TICK};
use super::glue;
use super::msg::{Effect, Msg};
use super::progress_writer::ProgressWriter;
use super::sink;
use super::state::App;
use super::task_glue;
use super::terminal;
use super::update::update;
use super::view;
use crate::progress::Store;
use crate::runner::{self, RunEvent, StepHandle, Workspace};
use crate::session::Signals;

mod tasks;

/// At most one frame per this interval; output arriving faster is drawn with the next frame.
const FRAME: Duration = Duration::from_millis(16);
/// Longest stretch spent applying queued messages before a frame is drawn.
const DRAIN_BUDGET: Duration = Duration::from_millis(8);
/// How long quitting waits for the last progress to be written.
const PROGRESS_GRACE: Duration = Duration::from_secs(3);
/// How long quitting waits for cancelled steps to end.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// `DOCKER_GUIDE_EXIT_AFTER_FIRST_FRAME=1` quits right after the first frame is drawn, so a
/// script can time start-up to a complete, highlighted frame (scripts/first-frame.py).
static EXIT_AFTER_FIRST_FRAME: LazyLock<bool> = LazyLock::new(|| {
    std::env::var_os("DOCKER_GUIDE_EXIT_AFTER_FIRST_FRAME").is_some_and(|v| v == "1")
});

pub struct Runtime {
    pub terminal: DefaultTerminal,
    tx: Sender<Msg>,
    rx: Receiver<Msg>,
    events: EventThread,
    handles: HashMap<String, StepHandle>,
    /// Output of each running step not yet applied (see `sink`).
    pending: HashMap<String, sink::Pending>,
    workspace: Result<Workspace, String>,
    /// None when the store could not be opened (the learner was told).
    progress: Option<ProgressWriter>,
    signals: Signals,
    /// Watches the current chapter's tasks' files (none when they watch nothing).
    watch: Option<super::watch::ChapterWatch>,
    /// The chapter whose watcher could not start (not retried on every message).
    watch_failed: Option<usize>,
}

impl Runtime {
    pub fn new(
        terminal: DefaultTerminal,
        app: &mut App,
        workspace_dir: Option<&std::path::Path>,
        store: Result<Store, String>,
        signals: Signals,
    ) -> Self {
        let (tx, rx) = mpsc::channel();
        let events = EventThread::spawn(tx.clone());
        let workspace = glue::workspace(&app.course, workspace_dir);
        let root = workspace.as_ref().ok().map(|ws| ws.root.as_path());
        let progress = store.ok().map(|store| {
            let live = super::live::attach(app, &store.course(&app.course.id), root);
            ProgressWriter::spawn(store, tx.clone(), live)
        });
        match &workspace {
            Ok(ws) => app.workspace = Some(glue::display_path(&ws.root)),
            Err(err) => {
                super::update::notify(app, format!("no workspace, steps cannot run: {err}"), true)
            }
        }
        Self {
            terminal,
            tx,
            rx,
            events,
            handles: HashMap::new(),
            pending: HashMap::new(),
            workspace,
            progress,
            signals,
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

    fn event_loop(&mut self, app: &mut App) -> std::io::Result<()> {
        let size = self.terminal.size()?;
        self.dispatch(
            app,
            Msg::Resize {
                width: size.width,
                height: size.height,
            },
        );
        self.dispatch(app, Msg::Tick(Instant::now()));
        self.perform(app, Effect::RefreshDoctor);
        app.doctor.running = true;
        let mut last_draw: Option<Instant> = None;
        let mut dirty = true;
        loop {
            if self.signals.stop_requested() && !app.quitting {
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
        self.terminal.draw(|frame| view::render(app, frame))?;
        if *EXIT_AFTER_FIRST_FRAME {
            app.quitting = true;
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
            Msg::Tick(_) => app.any_running() || app.doctor.running || app.notice.is_some(),
            _ => true,
        };
        if let Msg::StepEvent {
            step_id,
            event: RunEvent::Finished(_),
        } = &msg
            && let Some(handle) = self.handles.remove(step_id)
        {
            terminal::unregister_group(handle.pgid());
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
        let started =
            spec.and_then(|spec| runner::start_step(spec, &ids, sink).map_err(|e| e.to_string()));
        match started {
            Ok(handle) => {
                terminal::register_group(handle.pgid());
                self.handles.insert(id, handle);
            }
            Err(error) => {
                let event = RunEvent::Finished(glue::spawn_failure(error));
                let _ = self.tx.send(Msg::StepEvent { step_id: id, event });
            }
        }
    }

    fn perform(&mut self, app: &mut App, effect: Effect) {
        match effect {
            Effect::RunStep(request) => {
                let workspace = self.workspace.clone();
                let spec = workspace.and_then(|ws| glue::step_spec(&app.course, &ws, &request));
                self.start(app, request.step_id, spec);
            }
            Effect::Cancel(step_id) => {
                if let Some(handle) = self.handles.get(&step_id) {
                    handle.cancel();
                }
            }
            Effect::RunInteractive(request) => self.run_interactive(app, &request),
            Effect::WriteFile { request, overwrite } => {
                let result = match &self.workspace {
                    Ok(ws) => glue::write_file(&app.course, ws, &request, overwrite),
                    Err(err) => super::msg::FileWriteResult::Error(err.clone()),
                };
                let _ = self.tx.send(Msg::FileWritten {
                    step_id: request.step_id,
                    result,
                });
            }
            Effect::RunCleanup(chapter) => {
                let tx = self.tx.clone();
                if let Ok(ws) = &self.workspace
                    && let Some(job) = glue::cleanup_job(&app.course, ws, chapter)
                {
                    std::thread::spawn(move || {
                        let failed = job.run();
                        let _ = tx.send(Msg::CleanupDone { chapter, failed });
                    });
                }
            }
            Effect::RefreshDoctor => {
                let (tx, job) = (self.tx.clone(), glue::doctor_job(&app.course));
                std::thread::spawn(move || {
                    let _ = tx.send(Msg::DoctorDone(job.run()));
                });
            }
            Effect::SaveProgress(progress) => {
                if app.class_link.is_none() {
                    // A `class join` typed in another terminal while the UI runs.
                    self.perform(app, Effect::AttachClass);
                }
                if let (Some(writer), Some(op)) =
                    (&self.progress, glue::store_op(&app.course, &progress))
                {
                    writer.save(op);
                }
            }
            Effect::CopyToClipboard(text) => {
                let _ = terminal::copy_to_clipboard(&text);
            }
            Effect::Quit => app.quitting = true,
            Effect::RunSolutionStep {
                request,
                solution_step,
            } => self.run_solution_step(app, request, solution_step),
            Effect::WriteSolutionFile {
                request,
                solution_step,
                overwrite,
            } => {
                let result = match &self.workspace {
                    Ok(ws) => task_glue::write_solution_file(
                        &app.course,
                        ws,
                        &request,
                        solution_step,
                        overwrite,
                    ),
                    Err(err) => super::msg::FileWriteResult::Error(err.clone()),
                };
                let _ = self.tx.send(Msg::FileWritten {
                    step_id: request.step_id,
                    result,
                });
            }
            Effect::FindEditable { chapter, step } => self.find_editable(app, chapter, step),
            Effect::OpenEditor { chapter, path } => self.open_editor(app, chapter, &path),
            Effect::OpenShell { chapter } => self.open_shell(app, chapter),
            Effect::JoinClass { url, code, name } => {
                let (tx, course) = (self.tx.clone(), app.course.clone());
                let root = self.workspace.as_ref().ok().map(|ws| ws.root.clone());
                std::thread::spawn(move || {
                    let form = (url.as_str(), code.as_str(), name.as_str());
                    let result = super::live::join_blocking(&course, form, root.as_deref());
                    let _ = tx.send(Msg::ClassJoined(result));
                });
            }
            Effect::AttachClass => {
                if !super::live::joined(&app.course.id) {
                    return;
                }
                let progress = Store::open_default().map(|s| s.course(&app.course.id));
                if let (Ok(progress), Some(writer)) = (progress, &self.progress)
                    && let Some(feed) = super::live::attach(
                        app,
                        &progress,
                        self.workspace.as_ref().ok().map(|ws| ws.root.as_path()),
                    )
                {
                    writer.attach_live(feed);
                }
            }
            Effect::Suspend => {
                self.events.stop();
                // SAFETY: raise only sends SIGTSTP to this process; the shell resumes it with SIGCONT.
                let suspended = terminal::suspended(&mut self.terminal, || unsafe {
                    libc::raise(libc::SIGTSTP);
                });
                self.resume_events();
                if let Err(err) = suspended {
                    let _ = self.tx.send(Msg::Notice {
                        text: format!("terminal: {err}"),
                        error: true,
                    });
                }
            }
        }
    }

    fn run_interactive(&mut self, app: &mut App, request: &super::msg::StepRequest) {
        let outcome = match &self.workspace {
            Ok(ws) => match glue::step_spec(&app.course, ws, request) {
                Ok(spec) => {
                    self.events.stop();
                    let title = glue::step_of(&app.course, request)
                        .map(|s| s.code.clone())
                        .unwrap_or_default();
                    let outcome = terminal::suspended(&mut self.terminal, || {
                        println!(
                            "\n── docker-guide: this step needs your terminal ──\n$ {}",
                            title.trim_end()
                        );
                        let ids =
                            runner::StepIds::new(request.step_id.clone(), app.course.id.clone());
                        let outcome = runner::run_interactive_step(&spec, &ids);
                        // Leave the learner time to read what the command printed.
                        print!(
                            "\n── {} · press Enter to return to docker-guide ──",
                            outcome.result
                        );
                        let _ = std::io::Write::flush(&mut std::io::stdout());
                        let _ = std::io::stdin().read_line(&mut String::new());
                        outcome
                    });
                    self.signals.forget_interrupt();
                    self.resume_events();
                    outcome.unwrap_or_else(|e| glue::spawn_failure(e.to_string()))
                }
                Err(err) => glue::spawn_failure(err),
            },
            Err(err) => glue::spawn_failure(err.clone()),
        };
        let _ = self.tx.send(Msg::InteractiveDone {
            step_id: request.step_id.clone(),
            outcome,
        });
    }

    /// Reads the terminal again after handing it over; it may have been resized meanwhile.
    fn resume_events(&mut self) {
        self.events = EventThread::spawn(self.tx.clone());
        if let Ok(size) = self.terminal.size() {
            let _ = self.tx.send(Msg::Resize {
                width: size.width,
                height: size.height,
            });
        }
    }

    /// Stops every step, waits for them (bounded), runs the cleanups of the chapters used.
    fn shutdown(&mut self, app: &mut App) {
        self.events.stop();
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
                if let Some(job) = glue::cleanup_job(&app.course, ws, chapter) {
                    job.run();
                }
            }
        }
        for handle in self.handles.values() {
            terminal::unregister_group(handle.pgid());
        }
        self.handles.clear();
        if let Some(writer) = &mut self.progress {
            writer.finish(PROGRESS_GRACE);
        }
    }
}
