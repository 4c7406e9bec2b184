use std::process::ExitCode;

use clap::Parser;
use docker_guide::cli::{Cli, Command};
use docker_guide::commands;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let global = &cli.global;
    commands::set_color_choice(global.color);
    let result = match cli.command {
        None => commands::learn::run(global),
        Some(Command::List(args)) => commands::list::run(global, args),
        Some(Command::Show(args)) => commands::show::run(global, args),
        Some(Command::Lint(args)) => commands::lint::run(global, args),
        Some(Command::Run(args)) => commands::run::run(global, args),
        Some(Command::Check(args)) => commands::check::run(global, args),
        Some(Command::Progress(args)) => commands::progress::run(global, args),
        Some(Command::Doctor(args)) => commands::doctor::run(global, args),
        Some(Command::Bundle(args)) => commands::bundle::run(global, args),
        Some(Command::Class(args)) => commands::class::run(global, args),
        Some(Command::Reset(args)) => commands::reset::run(global, args),
        Some(Command::Completions(args)) => commands::completions::run(global, args),
        Some(Command::Man(args)) => commands::man::run(global, args),
    };
    match result {
        Ok(outcome) => outcome.into(),
        Err(err) => {
            eprintln!("docker-guide: error: {}", commands::error_message(&err));
            ExitCode::from(2)
        }
    }
}
