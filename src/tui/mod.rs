//! The interactive course: state, `update(msg) -> effects`, and the view. The only module
//! that touches the terminal.
//!
//! The Elm Architecture with effects: [`update::update`] changes [`state::App`] and returns
//! [`msg::Effect`]s; only the loop (`run_loop`) performs them (processes, files, the terminal).
//! [`view::render`] draws an `App` and changes nothing; [`layout`] says where things are for
//! both. Threads report to the loop over one channel: terminal events and ticks (`event`), the
//! runner's sinks (`sink`), the doctor, cleanups, the watcher of the tasks' files (`watch`);
//! the progress store writes on its own thread (`progress_writer`). `glue` and `task_glue`
//! adapt the other modules' types to the TUI's; `handoff` runs the learner's editor and shell
//! with the terminal handed over.

pub mod layout;
pub mod msg;
pub mod state;
pub mod task_state;
pub mod theme;
pub mod update;
pub mod view;

#[cfg(test)]
mod testing;

mod event;
mod glue;
mod handoff;
mod progress_writer;
mod run_loop;
mod sink;
mod task_glue;
mod terminal;
mod watch;

pub use terminal::width as terminal_width;

use std::time::Instant;

use crate::cli::GlobalArgs;
use crate::render;

/// Opens the course (embedded, `--lessons DIR` or a `.md` file) in the terminal UI and runs
/// until the learner quits or a signal arrives. The terminal is restored in every case.
pub fn run(global: &GlobalArgs) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "the course UI needs a terminal; without one, use `docker-guide list`, `show` or `run`"
        );
    }
    let mut course = crate::commands::load_course(global)?;
    course.diagnostics = crate::commands::course_problems(&course);
    let lint_command = crate::commands::lint_command(global);
    let mut store = glue::open_store();
    let mut resume = glue::load_resume(store.as_mut().ok(), &course);
    if let Err(err) = &store {
        resume
            .warnings
            .push(format!("progress will not be saved: {err}"));
    }
    let errors = course
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::lesson::Severity::Error)
        .count();
    if errors > 0 {
        let text = format!(
            "this course has {}: `{lint_command}` lists them",
            crate::units::plural(errors, "error")
        );
        resume.warnings.push(text);
    }
    let signals = crate::session::Signals::install()?;
    // `--color never` (or NO_COLOR) makes the UI monochrome; `always` changes nothing here, as
    // the UI only runs on a terminal.
    let color = match global.color {
        crate::cli::ColorChoice::Never => false,
        crate::cli::ColorChoice::Always => true,
        crate::cli::ColorChoice::Auto => theme::color_enabled(),
    };
    let mut app = state::App::new(course, resume, color, Instant::now());
    // Highlighting code is the slow part of rendering a chapter: do it for every chapter
    // ahead of time, off the UI thread (the renderer caches it for any width). The first
    // frame highlights the current chapter on its own (on all cores), so the warm-up starts
    // with the next ones and meets the current one last, cached by then.
    let mut chapters = app.course.chapters.clone();
    let next = (app.chapter + 1).min(chapters.len());
    chapters.rotate_left(next);
    std::thread::spawn(move || {
        render::warm_up(&chapters, &render::RenderOptions { width: 80, color })
    });
    app.lint_command = lint_command;
    let terminal = terminal::enter()?;
    let mut runtime = run_loop::Runtime::new(
        terminal,
        &mut app,
        global.workspace.as_deref(),
        store,
        signals,
    );
    let result = runtime.run(&mut app);
    terminal::leave();
    Ok(result?)
}
