//! No subcommand: the course in the terminal UI. Builds the outside world once (terminal,
//! step starter, doctor probe, progress store, clock, signals, options) and hands it to
//! [`tui::run`].

use std::sync::Arc;
use std::time::Instant;

use super::Outcome;
use crate::cli::{ColorChoice, GlobalArgs};
use crate::progress::Store;
use crate::session::Signals;
use crate::tui::{self, Options, ProcessSteps, TerminalConsole, World};

pub fn run(global: &GlobalArgs) -> anyhow::Result<Outcome> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "the course UI needs a terminal; without one, use `docker-guide list`, `show` or `run`"
        );
    }
    // The TUI renders every chapter it shows: the lesson parser's events serve it too.
    crate::lesson::keep_events_for_rendering();
    let mut course = super::load_course(global)?;
    course.diagnostics = super::course_problems(&course);
    let options = Options {
        workspace_dir: global.workspace.clone(),
        // `--color never` (or NO_COLOR) makes the UI monochrome; `always` changes nothing
        // here, as the UI only runs on a terminal.
        color: match global.color {
            ColorChoice::Never => false,
            ColorChoice::Always => true,
            ColorChoice::Auto => !super::no_color_env(),
        },
        lint_command: super::lint_command(global),
        exit_after_first_frame: crate::settings::get().exit_after_first_frame,
        hyperlinks: crate::render::hyperlinks_supported(|name| crate::settings::get().var(name)),
    };
    let store = Store::open_default().map_err(|e| e.to_string());
    let signals = Signals::install()?;
    let (console, terminal) = TerminalConsole::enter()?;
    let world = World {
        terminal,
        console: Box::new(console),
        steps: Box::new(ProcessSteps),
        probe: Arc::new(crate::doctor::SystemProbe),
        store,
        clock: Instant::now,
        signals: Some(signals),
        options,
    };
    tui::run(course, world)?;
    Ok(Outcome::Success)
}
