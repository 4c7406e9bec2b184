//! docker-guide: a terminal course that teaches Docker by running each step for real.
//!
//! Dependencies point one way, downwards. Each line below names a module and every module
//! it uses; `tests/module_graph.rs` checks the list against the `crate::` paths in `src/`,
//! both ways, and that it has no cycle (`cli` and `commands` are one layer, the front end:
//! the subcommands' argument types live beside their commands).
//!
//! - `cli` → `commands`: the command line, parsed by clap.
//! - `commands` → `cli`, `tui`, `class_live`, `session`, `bundle`, `doctor`, `progress`, `render`, `runner`, `lesson`, `settings`, `quantities`:
//!   one file per subcommand, thin glue; `learn` builds the outside world and runs the TUI.
//! - `tui` → `class_live`, `session`, `doctor`, `progress`, `render`, `runner`, `lesson`, `settings`, `quantities`:
//!   the only terminal owner (crossterm is used nowhere else; `tests/module_graph.rs` checks):
//!   the course, which gets the outside world (terminal, step starter, doctor probe, progress
//!   store, clock, signals, settings) as one `tui::World`; the live class's dashboard; the
//!   terminal's width for the commands' output.
//! - `class_live` → `progress`: the instructor's live class: HTTP
//!   server, SQLite store, the class state (learners send through `progress::live`).
//! - `session` → `doctor`, `progress`, `runner`, `lesson`, `settings`: what running a chapter and its
//!   tasks means (specs, requires, cleanup, signals, recording); both front ends call it.
//! - `bundle` → `progress`, `runner`, `lesson`, `quantities`: a course and its images in one file.
//! - `doctor` → `runner`, `lesson`, `settings`, `quantities`: setup checks behind a probe tests can fake.
//! - `progress` → `lesson`, `settings`: what the learner completed, stored safely, and
//!   (`progress::live`) sent to a live class as it happens.
//! - `render` → `outcome`, `lesson`: pure functions from the model to styled lines.
//! - `runner` → `outcome`, `lesson`: processes only: spawn, stream, cancel, time out, clean up.
//! - `outcome` → nothing: how a step ended and what a known failure means (plain data).
//! - `lesson` → nothing: the course model and its parser.
//! - `settings` → nothing: the environment, read once into typed settings.
//! - `quantities` → nothing: quantities as people read them (sizes, durations, plurals).

pub mod bundle;
pub mod class_live;
pub mod cli;
pub mod commands;
pub mod doctor;
pub mod lesson;
pub mod outcome;
pub mod progress;
pub mod quantities;
pub mod render;
pub mod runner;
pub mod session;
pub mod settings;
pub mod tui;
