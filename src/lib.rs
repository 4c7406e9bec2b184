//! docker-guide: a terminal course that teaches Docker by running each step for real.
//!
//! Dependencies point one way: `lesson` (model + parser) ← `render` (pure styling) and
//! `runner` (processes) ← `doctor` (setup checks) ← `session` (what running a chapter and its
//! tasks means: specs, requires, cleanup, signals, recording; both front ends call it) ←
//! `tui` (the only terminal owner) ← `commands` (one file per subcommand). `progress` stores
//! what the learner completed (and, in `progress::live`, sends it to a live class);
//! `class_live` is the instructor's live class server and dashboard (above `progress`, below
//! `commands`); `units` formats quantities for both.

pub mod bundle;
pub mod class_live;
pub mod cli;
pub mod commands;
pub mod doctor;
pub mod lesson;
pub mod progress;
pub mod render;
pub mod runner;
pub mod session;
pub mod tui;
pub mod units;
