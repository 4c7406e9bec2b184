//! The command line: global options and one subcommand per `commands/` file.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "docker-guide",
    version,
    about = "Learn Docker by doing: a terminal course that runs each step for real",
    long_about = "Learn Docker by doing. Without a subcommand, opens the course in the terminal UI.\n\
                  Exit codes: 0 success, 1 the thing checked failed, 2 usage or internal error,\n\
                  3 `run` stopped at a task waiting for you."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args, Default)]
pub struct GlobalArgs {
    /// Open another course: a folder of markdown chapters or a single .md file
    #[arg(long, global = true, env = "DOCKER_GUIDE_LESSONS", value_name = "DIR")]
    pub lessons: Option<PathBuf>,
    /// Where steps run (default: $XDG_DATA_HOME/docker-guide/workspaces/<course-id>)
    #[arg(
        long,
        global = true,
        env = "DOCKER_GUIDE_WORKSPACE",
        value_name = "DIR"
    )]
    pub workspace: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the course's chapters with their step counts
    List(crate::commands::list::ListArgs),
    /// Print rendered chapters (all, or one by number, slug or file name)
    Show(crate::commands::show::ShowArgs),
    /// Validate a course: prints path:line:col: error|warning: message
    Lint(crate::commands::lint::LintArgs),
    /// Run a chapter's steps (or all) without the UI, streaming their output
    Run(crate::commands::run::RunArgs),
    /// Check a task you solved in your own editor and shell: verdict, output, next hint
    Check(crate::commands::check::CheckArgs),
    /// Show, reset or export what you have completed
    Progress(crate::commands::progress::ProgressArgs),
    /// Check your Docker setup and say how to fix what is wrong
    Doctor(crate::commands::doctor::DoctorArgs),
    /// Offline image bundles for workshops: create, load, check
    Bundle(crate::commands::bundle::BundleArgs),
    /// Instructor tools: summarize the progress exports of a class
    Class(crate::commands::class::ClassArgs),
    /// Undo what the course started: cleanups, workspace, progress
    Reset(crate::commands::reset::ResetArgs),
}
