//! `docker-guide class summary FILE|DIR...`: the instructor's tables over the learners'
//! progress exports (`progress export`), preflight reports (`doctor --json`) and live class
//! databases (`class serve`); `class serve|join|leave|status` are in `class_serve` and
//! `class_join`.

use std::fs;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde::Serialize;

use super::Outcome;
use crate::cli::GlobalArgs;
use crate::progress::class::{
    ClassInput, ClassSummary, parse_class_file, printable, render_text, summarize,
};

/// Files larger than this are not exports (a course of 500 steps exports well under 1 MiB).
const MAX_EXPORT_BYTES: u64 = 16 << 20;

#[derive(Debug, Args)]
pub struct ClassArgs {
    #[command(subcommand)]
    pub command: ClassCommand,
}

#[derive(Debug, Subcommand)]
pub enum ClassCommand {
    /// Summarize learners' progress exports: who is where, who is stuck, what fails most
    Summary(SummaryArgs),
    /// Open a live class on this machine: learners join it and the dashboard shows each
    /// learner's progress as it happens
    Serve(super::class_serve::ServeArgs),
    /// Join an instructor's live class: your results are sent as they happen
    Join(super::class_join::JoinArgs),
    /// Leave the live class: nothing more is sent
    Leave,
    /// Whether you are in a live class and everything is sent
    Status,
}

#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// Progress exports (`progress export`), preflight reports (`doctor --json`), live class
    /// databases (`class serve --data FILE`), or folders of them (every *.json inside)
    #[arg(required = true, value_name = "FILE|DIR")]
    pub paths: Vec<PathBuf>,
    /// Summarize this course id (default: the `--lessons` course, else the course and version
    /// most exports are of)
    #[arg(long, value_name = "ID")]
    pub course: Option<String>,
    /// Print the summary as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct JsonSummary<'a> {
    schema: &'static str,
    #[serde(flatten)]
    summary: &'a ClassSummary,
}

pub fn run(global: &GlobalArgs, args: ClassArgs) -> anyhow::Result<Outcome> {
    let args = match args.command {
        ClassCommand::Summary(args) => args,
        ClassCommand::Serve(args) => return super::class_serve::run(global, args),
        ClassCommand::Join(args) => return super::class_join::join(global, args),
        ClassCommand::Leave => return super::class_join::leave(),
        ClassCommand::Status => return super::class_join::status(),
    };
    // An instructor working on their course (`--lessons DIR`) summarizes that course.
    let course = match (&args.course, &global.lessons) {
        (Some(id), _) => Some(id.clone()),
        (None, Some(_)) => Some(super::load_course(global)?.id),
        (None, None) => None,
    };
    let inputs = read_inputs(&args.paths);
    let summary = summarize(inputs, course.as_deref());
    if args.json {
        let doc = JsonSummary {
            schema: "docker-guide.class-summary/v1",
            summary: &summary,
        };
        println!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        print!("{}", render_text(&summary));
    }
    // Nothing usable read (no export of the course, no doctor report): say so with exit 1.
    Ok(if summary.learners.is_empty() && summary.setup.is_empty() {
        Outcome::Failed
    } else {
        Outcome::Success
    })
}

/// Every file named, and every `*.json` directly inside every folder named, in name order.
fn read_inputs(paths: &[PathBuf]) -> Vec<ClassInput> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut files: Vec<PathBuf> = match fs::read_dir(path) {
                Ok(entries) => entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| {
                        p.is_file()
                            && p.extension()
                                .is_some_and(|x| x.eq_ignore_ascii_case("json"))
                    })
                    .collect(),
                Err(err) => {
                    inputs.push(ClassInput {
                        source: path.display().to_string(),
                        content: Err(err.to_string()),
                    });
                    continue;
                }
            };
            files.sort();
            if files.is_empty() {
                // Said, not skipped: a wrong folder must not look like an empty class.
                inputs.push(ClassInput {
                    source: path.display().to_string(),
                    content: Err(
                        "no .json file in this folder (exports and doctor reports end in .json)"
                            .into(),
                    ),
                });
            }
            inputs.extend(files.iter().map(|f| read_one(f)));
        } else if is_class_db(path) {
            match crate::class_live::class_inputs_from_db(path) {
                Ok(learners) => inputs.extend(learners),
                Err(err) => inputs.push(ClassInput {
                    source: printable(&path.display().to_string()),
                    content: Err(err.to_string()),
                }),
            }
        } else {
            inputs.push(read_one(path));
        }
    }
    inputs
}

/// A SQLite file (a live class's database) rather than a JSON document.
fn is_class_db(path: &Path) -> bool {
    use std::io::Read as _;
    let mut magic = [0u8; 16];
    fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok_and(|_| magic == crate::class_live::db::SQLITE_MAGIC)
}

fn read_one(path: &Path) -> ClassInput {
    // File names come from the learners too.
    let source = printable(&path.display().to_string());
    let content = match fs::metadata(path) {
        Err(err) => Err(err.to_string()),
        Ok(meta) if meta.len() > MAX_EXPORT_BYTES => Err(format!(
            "{} bytes: too large to be a progress export",
            meta.len()
        )),
        Ok(_) => fs::read(path)
            .map_err(|e| e.to_string())
            .and_then(|bytes| parse_class_file(&bytes)),
    };
    ClassInput { source, content }
}
