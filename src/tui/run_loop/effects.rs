//! The loop performing effects: steps started and stopped, files written, the doctor and
//! cleanups on worker threads, progress saved, the terminal handed over, a class joined.

use ratatui::backend::Backend;

use super::super::adapters;
use super::super::msg::{Effect, Msg};
use super::super::state::App;
use super::super::task_adapters;
use super::{EventLoop, PROGRESS_READ_WAIT};
use crate::runner;

impl<B: Backend> EventLoop<B> {
    /// Performs what `update` asked for: the only place effects touch the world.
    pub(super) fn perform(&mut self, app: &mut App, effect: Effect) {
        match effect {
            Effect::RunStep(request) => {
                let workspace = self.workspace.clone();
                let spec = workspace.and_then(|ws| adapters::step_spec(&app.course, &ws, &request));
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
                    Ok(ws) => adapters::write_file(&app.course, ws, &request, overwrite),
                    Err(err) => super::super::msg::FileWriteResult::Error(err.clone()),
                };
                let _ = self.tx.send(Msg::FileWritten {
                    step_id: request.step_id,
                    result,
                });
            }
            Effect::RunCleanup(chapter) => {
                let tx = self.tx.clone();
                if let Ok(ws) = &self.workspace
                    && let Some(job) = adapters::cleanup_job(&app.course, ws, chapter)
                {
                    std::thread::spawn(move || {
                        let failed = job.run();
                        let _ = tx.send(Msg::CleanupDone { chapter, failed });
                    });
                }
            }
            Effect::RefreshDoctor => {
                let (tx, job) = (self.tx.clone(), adapters::doctor_job(&app.course));
                let probe = self.probe.clone();
                std::thread::spawn(move || {
                    let _ = tx.send(Msg::DoctorDone(job.run(&*probe)));
                });
            }
            Effect::SaveProgress(progress) => {
                if app.class_link.is_none() {
                    // A `class join` typed in another terminal while the UI runs.
                    self.perform(app, Effect::AttachClass);
                }
                if let (Some(writer), Some(op)) = (
                    &self.progress,
                    super::super::store_ops::store_op(&app.course, &progress),
                ) {
                    writer.save(op);
                }
            }
            Effect::CopyToClipboard(text) => {
                let _ = self.console.copy_to_clipboard(&text);
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
                    Ok(ws) => task_adapters::write_solution_file(
                        &app.course,
                        ws,
                        &request,
                        solution_step,
                        overwrite,
                    ),
                    Err(err) => super::super::msg::FileWriteResult::Error(err.clone()),
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
                let saved = self.progress.as_ref().map(|w| w.read_course(&course.id));
                std::thread::spawn(move || {
                    let form = (url.as_str(), code.as_str(), name.as_str());
                    let progress = saved
                        .and_then(|answer| answer.recv_timeout(PROGRESS_READ_WAIT).ok())
                        .ok_or_else(|| "your progress cannot be read to send it".to_string());
                    let result =
                        super::super::live::join_blocking(&course, form, root.as_deref(), progress);
                    let _ = tx.send(Msg::ClassJoined(result));
                });
            }
            Effect::AttachClass => {
                if !super::super::live::joined(&app.course.id) {
                    return;
                }
                // The world's store, on the progress thread: once the saves queued so far
                // have landed.
                let Some(writer) = &self.progress else {
                    return;
                };
                let saved = writer.read_course(&app.course.id);
                if let Ok(progress) = saved.recv_timeout(PROGRESS_READ_WAIT)
                    && let Some(feed) = super::super::live::attach(
                        app,
                        &progress,
                        self.workspace.as_ref().ok().map(|ws| ws.root.as_path()),
                    )
                {
                    writer.attach_live(feed);
                }
            }
            Effect::Suspend => {
                self.console.stop_listening();
                let suspended = self.console.suspend();
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

    fn run_interactive(&mut self, app: &mut App, request: &super::super::msg::StepRequest) {
        let outcome = match &self.workspace {
            Ok(ws) => match adapters::step_spec(&app.course, ws, request) {
                Ok(spec) => {
                    let title = adapters::step_of(&app.course, request)
                        .map(|s| s.code.clone())
                        .unwrap_or_default();
                    let ids = runner::StepIds::new(request.step_id.clone(), app.course.id.clone());
                    let mut outcome = None;
                    let handed = self.hand_over(&mut |steps| {
                        outcome = Some(steps.run_interactive(&spec, &ids, &title));
                    });
                    match (handed, outcome) {
                        (Ok(()), Some(outcome)) => outcome,
                        (Err(e), _) => adapters::spawn_failure(e.to_string()),
                        (Ok(()), None) => adapters::spawn_failure("the step did not run".into()),
                    }
                }
                Err(err) => adapters::spawn_failure(err),
            },
            Err(err) => adapters::spawn_failure(err.clone()),
        };
        let _ = self.tx.send(Msg::InteractiveDone {
            step_id: request.step_id.clone(),
            outcome,
        });
    }
}
