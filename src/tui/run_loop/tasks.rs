//! The loop's effects for tasks: finding the files `e` offers, handing the terminal to the
//! learner's editor or shell, and keeping one watcher on the current chapter's tasks.

use super::super::handoff::Handoff;
use super::super::msg::{Msg, StepRequest};
use super::super::state::App;
use super::super::task_adapters;
use super::super::watch::ChapterWatch;
use super::EventLoop;
use ratatui::backend::Backend;

impl<B: Backend> EventLoop<B> {
    /// A solution's command runs under the task's id: its output and end arrive as the
    /// task's, `x` and quitting stop it like any step.
    pub(super) fn run_solution_step(&mut self, app: &App, request: StepRequest, k: usize) {
        let spec = match &self.workspace {
            Ok(ws) => task_adapters::solution_spec(&app.course, ws, &request, k),
            Err(err) => Err(err.clone()),
        };
        self.start(app, request.step_id, spec);
    }

    pub(super) fn find_editable(&mut self, app: &App, chapter: usize, step: Option<usize>) {
        let files = match &self.workspace {
            Ok(ws) => task_adapters::edit_candidates(&app.course, ws, chapter, step),
            Err(err) => return self.notice(format!("no workspace: {err}"), true),
        };
        let _ = self.tx.send(Msg::EditCandidates { chapter, files });
    }

    pub(super) fn open_editor(&mut self, app: &App, chapter: usize, path: &str) {
        let handoff = match &self.workspace {
            Ok(ws) => task_adapters::editor(&app.course, ws, chapter, path),
            Err(err) => Err(format!("no workspace: {err}")),
        };
        match handoff {
            Ok(handoff) => self.hand_over_to(&handoff, None),
            Err(err) => self.notice(err, true),
        }
    }

    pub(super) fn open_shell(&mut self, app: &App, chapter: usize) {
        let handoff = match &self.workspace {
            Ok(ws) => task_adapters::shell(&app.course, ws, chapter)
                .map(|h| h.in_state(&app.inputs_of(chapter).shell)),
            Err(err) => Err(format!("no workspace: {err}")),
        };
        match handoff {
            Ok(handoff) => {
                let banner = format!(
                    "\n── docker-guide: your shell in {} · type exit to return ──\n",
                    super::super::adapters::display_path(&handoff.cwd)
                );
                self.hand_over_to(&handoff, Some(banner));
            }
            Err(err) => self.notice(err, true),
        }
    }

    /// Gives the terminal to the program until it exits, then takes it back.
    fn hand_over_to(&mut self, handoff: &Handoff, banner: Option<String>) {
        let mut ran = None;
        let handed = self.hand_over(&mut |_| {
            if let Some(banner) = &banner {
                println!("{banner}");
            }
            ran = Some(handoff.run());
        });
        let result = match handed {
            Ok(()) => ran.unwrap_or_else(|| Err("did not run".into())),
            Err(e) => Err(format!("terminal: {e}")),
        };
        let _ = self.tx.send(Msg::HandoffDone {
            what: handoff.title.clone(),
            result,
        });
    }

    fn notice(&self, text: String, error: bool) {
        let _ = self.tx.send(Msg::Notice { text, error });
    }

    /// One watcher, on the chapter the learner reads, when its tasks watch files.
    pub(super) fn sync_watch(&mut self, app: &App) {
        if self.watch.as_ref().map(|w| w.chapter) == Some(app.chapter)
            || self.watch_failed == Some(app.chapter)
        {
            return;
        }
        self.watch = None;
        let Ok(ws) = &self.workspace else { return };
        let (globs, problems) = task_adapters::chapter_globs(&app.course, app.chapter);
        if let Some(problem) = problems.into_iter().next() {
            self.notice(problem, true);
        }
        if globs.is_empty() {
            return;
        }
        let started = super::super::adapters::chapter_dir(ws, &app.course, app.chapter)
            .and_then(|dir| ChapterWatch::start(app.chapter, &dir, globs, self.tx.clone()));
        match started {
            Ok(watch) => self.watch = Some(watch),
            Err(err) => {
                // Said once per chapter; Enter still runs the check.
                self.watch_failed = Some(app.chapter);
                self.notice(format!("{err}; press Enter to check"), true);
            }
        }
    }
}
