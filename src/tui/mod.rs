//! The interactive course: state, `update(msg) -> effects`, and the view. The only module
//! that touches the terminal (`tests/module_graph.rs` fails on crossterm or terminal set-up
//! anywhere else): the course here, the instructor's live class in [`dashboard`], and the
//! terminal's width for the other commands' output in [`terminal_width`].
//!
//! The Elm Architecture with effects: [`update::update`] changes [`state::App`] and returns
//! [`msg::Effect`]s; only the loop (`run_loop`) performs them (processes, files, the terminal).
//! [`view::render`] draws an `App` and changes nothing; [`layout`] says where things are for both.
//! Threads report to the loop over one channel: terminal events and ticks (`event`), the runner's
//! sinks (`sink`), the doctor, cleanups, the watcher of the tasks' files (`watch`); the progress
//! store writes on its own thread (`progress_writer`, the changes as `store_ops`). `adapters` and
//! `task_adapters` adapt the other modules' types to the TUI's; `handoff` runs the learner's
//! editor and shell with the terminal handed over. Everything outside (terminal, processes, the
//! doctor's probe, the store, the clock, signals, settings) comes in one [`World`] from the
//! caller.

pub mod dashboard;
pub mod layout;
pub mod msg;
pub mod state;
pub mod task_state;
pub mod theme;
pub mod update;
pub mod values_form;
pub mod view;

#[cfg(test)]
mod testing;

mod adapters;
mod event;
mod handoff;
pub mod inputs;
mod live;
mod progress_writer;
mod run_loop;
mod sink;
mod store_ops;
mod task_adapters;
mod terminal;
mod watch;
mod world;

pub use terminal::{TerminalConsole, terminal_width};
pub use world::{Console, Options, ProcessSteps, RunningStep, Sink, StepStarter, World};

use ratatui::backend::Backend;

use crate::lesson::Course;
use crate::render;

/// Runs the course in the terminal UI until the learner quits or a signal arrives, talking to
/// the outside world only through `world` (built once by the caller: `commands::learn`, or a
/// test with fakes). `course.diagnostics` holds the problems the learner must know about.
/// Running steps are stopped and cleaned up in every case; the console gives the terminal
/// back when it is dropped.
pub fn run<B: Backend>(course: Course, mut world: World<B>) -> std::io::Result<()> {
    let (mut app, store) = open_app(course, &mut world);
    let color = app.config.color;
    // Highlighting code is the slow part of rendering a chapter: do it for every chapter
    // ahead of time, off the UI thread (the renderer caches it for any width), once the first
    // frame is drawn. That frame highlights the current chapter on its own (on all cores),
    // so the warm-up starts with the next ones and meets the current one last.
    let mut chapters = app.course.chapters.clone();
    let next = (app.chapter + 1).min(chapters.len());
    chapters.rotate_left(next);
    world.store = store;
    let mut event_loop = run_loop::EventLoop::new(world, &mut app);
    event_loop.after_first_frame = Some(Box::new(move || {
        render::warm_up(&chapters, &render::RenderOptions { width: 80, color });
    }));
    event_loop.run(&mut app)
}

/// The app as the learner left it: the saved progress and position from the store, and a
/// warning when the course has errors or progress cannot be saved.
fn open_app<B: Backend>(
    course: Course,
    world: &mut World<B>,
) -> (state::App, Result<crate::progress::Store, String>) {
    let mut store = std::mem::replace(&mut world.store, Err(String::new()));
    let mut resume = store_ops::load_resume(store.as_mut().ok(), &course);
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
    let lint_command = world.options.lint_command.clone();
    if errors > 0 {
        let text = format!(
            "this course has {}: `{lint_command}` lists them",
            crate::quantities::plural(errors, "error")
        );
        resume.warnings.push(text);
    }
    let mut app = state::App::new(course, resume, world.options.color, (world.clock)());
    app.config.lint_command = lint_command;
    // Clickable links where the terminal is known to support them; never without colours.
    app.render_cache.hyperlinks = world.options.color && world.options.hyperlinks;
    (app, store)
}
