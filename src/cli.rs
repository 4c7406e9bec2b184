//! The command line: global options and one subcommand per `commands/` file.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    /// When to use colours and styles: auto (a terminal without NO_COLOR), always (also
    /// through a pipe, e.g. `| less -R`) or never
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "WHEN",
        default_value_t = ColorChoice::Auto
    )]
    pub color: ColorChoice,
}

/// `--color WHEN`, the convention of ls, git, ripgrep and bat. Every command decides colour
/// through [`crate::commands::output_style`], which applies this choice; `always` and `never`
/// win over `NO_COLOR` (no-color.org: a command-line flag overrides the variable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    /// Colours on a terminal, unless `NO_COLOR` is set to a non-empty value
    #[default]
    Auto,
    /// Colours even when the output is a pipe or a file
    Always,
    /// No colours and no styles
    Never,
}

impl ColorChoice {
    /// Whether to colour output that goes to a terminal (`terminal`) or not, with `no_color`
    /// telling whether `NO_COLOR` is set to a non-empty value.
    pub fn resolve(self, terminal: bool, no_color: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && !no_color,
        }
    }
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
    /// Classes: summarize progress exports, serve a live class, join or leave one
    Class(crate::commands::class::ClassArgs),
    /// Undo what the course started: cleanups, workspace, progress
    Reset(crate::commands::reset::ResetArgs),
    /// Print a shell completion script: bash, zsh, fish, powershell or elvish
    Completions(crate::commands::completions::CompletionsArgs),
    /// Print the man page (roff), or write one per subcommand with --dir
    Man(crate::commands::man::ManArgs),
}
