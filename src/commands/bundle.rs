//! `docker-guide bundle create|load|verify|check`: offline image bundles for workshops.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::{Args, Subcommand};
use serde_json::json;

use super::{Outcome, load_course};
use crate::bundle::{
    self, BundleCourse, BundleError, BundleProgress, DockerCli, ImageState, short_id,
};
use crate::cli::GlobalArgs;
use crate::lesson::{self, Course};
use crate::quantities::human_bytes;

#[derive(Debug, Args)]
pub struct BundleArgs {
    #[command(subcommand)]
    pub command: BundleCommand,
}

#[derive(Debug, Subcommand)]
pub enum BundleCommand {
    /// Write every image the course needs into one file (pulling those missing locally)
    Create {
        /// The bundle to write (default: docker-guide-<course>[-<version>].tar here)
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Check a bundle, load its images into Docker and verify each one
    Load {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Check a bundle's integrity without loading it (no Docker needed)
    Verify {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Say which of the course's images are present locally
    Check {
        /// Print the result as JSON
        #[arg(long)]
        json: bool,
    },
}

pub fn run(global: &GlobalArgs, args: BundleArgs) -> anyhow::Result<Outcome> {
    let docker = DockerCli::default();
    match args.command {
        BundleCommand::Create { file } => create(&docker, &load_course(global)?, file),
        BundleCommand::Load { file } => judged(&file, load(&docker, &file)),
        BundleCommand::Verify { file } => judged(&file, verify(&file)),
        BundleCommand::Check { json } => check(&docker, &load_course(global)?, json),
    }
}

/// `verify` / `load` of `file`: a damaged bundle is the thing checked failing (exit 1, the
/// reason on stderr); any other error (no such file, docker missing) names the file (exit 2).
fn judged(file: &Path, result: Result<Outcome, BundleError>) -> anyhow::Result<Outcome> {
    match result {
        Ok(outcome) => Ok(outcome),
        Err(err) if err.is_damaged_bundle() => {
            eprintln!("docker-guide: {}: {err}", file.display());
            Ok(Outcome::Failed)
        }
        Err(err) => Err(anyhow::Error::new(err).context(file.display().to_string())),
    }
}

fn default_file(course: &Course) -> PathBuf {
    let version = course
        .version
        .as_deref()
        .map(|v| format!("-{v}"))
        .unwrap_or_default();
    PathBuf::from(format!("docker-guide-{}{version}.tar", course.id))
}

fn create(docker: &DockerCli, course: &Course, file: Option<PathBuf>) -> anyhow::Result<Outcome> {
    let images = lesson::images_needed(course);
    if images.is_empty() {
        anyhow::bail!(
            "the course `{}` names no images (list them in course.toml `images`)",
            course.id
        );
    }
    let file = file.unwrap_or_else(|| default_file(course));
    eprintln!(
        "Bundling {} image(s) of `{}` into {}",
        images.len(),
        course.id,
        file.display()
    );
    let started = Instant::now();
    let target = BundleCourse {
        id: course.id.clone(),
        version: course.version.clone(),
    };
    let manifest = with_progress(|p| bundle::create(docker, target, &images, &file, p))?;
    let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    println!(
        "Wrote {} ({}, {} image(s)) in {:.1} s. Hand it out; learners run: docker-guide bundle load {}",
        file.display(),
        human_bytes(size),
        manifest.images.len(),
        started.elapsed().as_secs_f64(),
        file.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    );
    Ok(Outcome::Success)
}

fn load(docker: &DockerCli, file: &Path) -> Result<Outcome, BundleError> {
    let started = Instant::now();
    let report = with_progress(|p| bundle::load(docker, file, p))?;
    for warning in &report.platform_warnings {
        eprintln!("docker-guide: warning: {warning}");
    }
    let course = &report.manifest.course;
    println!(
        "Bundle of `{}`{}:",
        course.id,
        course
            .version
            .as_deref()
            .map(|v| format!(" version {v}"))
            .unwrap_or_default()
    );
    for image in &report.images {
        match &image.state {
            ImageState::Present => println!("  ✓ {}  {}", image.name, short_id(&image.expected_id)),
            ImageState::Missing => println!("  ✗ {}  not present after loading", image.name),
            ImageState::DifferentId(found) => println!(
                "  ✗ {}  has id {} but the bundle's is {} (the name still points to your image; keep it, and ask for a bundle made from the same image)",
                image.name,
                short_id(found),
                short_id(&image.expected_id)
            ),
        }
    }
    let ok = report
        .images
        .iter()
        .filter(|i| i.state == ImageState::Present)
        .count();
    println!(
        "{ok} of {} image(s) available ({:.1} s).",
        report.images.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(if report.all_present() {
        Outcome::Success
    } else {
        Outcome::Failed
    })
}

fn verify(file: &Path) -> Result<Outcome, BundleError> {
    let (_, _, manifest) = with_progress(|p| bundle::read_manifest(file, p))?;
    println!(
        "{}: intact bundle of `{}` ({} image(s), created {} with docker-guide {})",
        file.display(),
        manifest.course.id,
        manifest.images.len(),
        manifest.created_at,
        manifest.docker_guide_version
    );
    for image in &manifest.images {
        println!(
            "  {}  {}  {}  {}",
            image.name,
            short_id(&image.id),
            human_bytes(image.size),
            image.platform
        );
    }
    Ok(Outcome::Success)
}

fn check(docker: &DockerCli, course: &Course, as_json: bool) -> anyhow::Result<Outcome> {
    let images = lesson::images_needed(course);
    let checked = bundle::check(docker, &images)?;
    let present = checked.iter().filter(|(_, info)| info.is_some()).count();
    if as_json {
        let rows: Vec<_> = checked
            .iter()
            .map(|(name, info)| match info {
                Some(i) => json!({ "image": name, "present": true, "id": i.id, "size": i.size, "platform": i.platform }),
                None => json!({ "image": name, "present": false }),
            })
            .collect();
        let doc = json!({ "course": course.id, "present": present, "total": checked.len(), "images": rows });
        println!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        println!("Images of `{}`:", course.id);
        for (name, info) in &checked {
            match info {
                Some(i) => println!("  ✓ {name}  {}  {}", short_id(&i.id), human_bytes(i.size)),
                None => println!("  ✗ {name}  missing"),
            }
        }
        println!("{present} of {} present.", checked.len());
        if present < checked.len() {
            println!(
                "Get the missing ones with `docker-guide bundle load FILE` (from your instructor) or `docker pull IMAGE`."
            );
        }
    }
    Ok(if present == checked.len() {
        Outcome::Success
    } else {
        Outcome::Failed
    })
}

/// Prints notes as lines and byte counts as a redrawn line on a terminal, or as a line
/// every quarter of the way otherwise (logs stay short).
struct ProgressPrinter {
    tty: bool,
    last_draw: Instant,
    last_step: u64,
    pending_line: bool,
}

impl ProgressPrinter {
    fn new() -> Self {
        let tty = std::io::stderr().is_terminal();
        ProgressPrinter {
            tty,
            last_draw: Instant::now() - Duration::from_secs(1),
            last_step: 0,
            pending_line: false,
        }
    }

    fn event(&mut self, event: BundleProgress) {
        match event {
            BundleProgress::Note(text) => {
                self.finish();
                eprintln!("{text}");
                self.last_step = 0;
            }
            BundleProgress::Bytes {
                done,
                total,
                approximate,
            } => {
                let about = if approximate { "~" } else { "" };
                let text = match total {
                    Some(total) if total > 0 => {
                        format!("  {} of {about}{}", human_bytes(done), human_bytes(total))
                    }
                    _ => format!("  {}", human_bytes(done)),
                };
                if self.tty {
                    if self.last_draw.elapsed() >= Duration::from_millis(100) {
                        eprint!("\r\x1b[2K{text}");
                        self.last_draw = Instant::now();
                        self.pending_line = true;
                    }
                } else {
                    let step = total
                        .filter(|t| *t > 0)
                        .map_or(256 << 20, |t| (t / 4).max(1));
                    if done / step > self.last_step {
                        self.last_step = done / step;
                        eprintln!("{text}");
                    }
                }
            }
        }
    }

    /// Clears a byte-count line left on the terminal.
    fn finish(&mut self) {
        if self.pending_line {
            eprint!("\r\x1b[2K");
            self.pending_line = false;
        }
    }
}

/// Runs `op` with a progress printer, clearing its last line afterwards (also on error).
fn with_progress<T>(op: impl FnOnce(&mut dyn FnMut(BundleProgress)) -> T) -> T {
    let mut printer = ProgressPrinter::new();
    let result = op(&mut |event| printer.event(event));
    printer.finish();
    result
}
