//! `docker-guide doctor`: check the Docker setup and say how to fix what is wrong.

use std::io::{IsTerminal, Write};
use std::sync::mpsc;
use std::time::Duration;

use clap::Args;

use super::Outcome;
use crate::cli::GlobalArgs;
use crate::doctor::{self, CHECKS, DoctorRequest, SystemProbe};

/// After this long without an answer from the engine, say that we are waiting.
const WAITING_NOTICE_AFTER: Duration = Duration::from_secs(2);

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 nothing failed (warnings allowed), 1 a check failed or \
    timed out (or warned, with --strict), 2 the doctor itself broke.\n\
    Checks: docker daemon permission context compose buildx disk memory arch ports registry images"
)]
pub struct DoctorArgs {
    /// Run only these checks (and the ones they need); default: all but `registry`
    #[arg(value_name = "CHECK")]
    pub checks: Vec<String>,
    /// Print the report as JSON (schema docker-guide.doctor/v1, see docs/doctor.md)
    #[arg(long)]
    pub json: bool,
    /// Show details and commands of passing checks too
    #[arg(short, long)]
    pub verbose: bool,
    /// Exit 1 on warnings too
    #[arg(long)]
    pub strict: bool,
    /// List the checks and exit
    #[arg(long)]
    pub list: bool,
    /// Also check registry access (pulls the tiny hello-world image from Docker Hub)
    #[arg(long)]
    pub deep: bool,
    /// Also check that this host port is free (repeatable)
    #[arg(long = "port", value_name = "PORT")]
    pub ports: Vec<u16>,
    /// Also check that this image is present locally (repeatable)
    #[arg(long = "image", value_name = "IMAGE")]
    pub images: Vec<String>,
}

pub fn run(global: &GlobalArgs, args: DoctorArgs) -> anyhow::Result<Outcome> {
    if args.list {
        print_list(args.json)?;
        return Ok(Outcome::Success);
    }
    let (request, course) = request_for(global, &args);
    // Validate ids before starting anything (an unknown id is a usage error: exit 2).
    doctor::select(&request)?;
    let mut report = run_with_notice(&request)?;
    if let Some(course) = &course {
        doctor::podman::annotate(&mut report, course);
    }
    let text = if args.json {
        format!("{}\n", doctor::json::to_json_string(&report))
    } else {
        let opts = doctor::text::TextOptions {
            color: super::output_style(false).color,
            verbose: args.verbose,
        };
        doctor::text::format_report(&report, opts)
    };
    write_stdout(&text)?;
    super::class_join::send_doctor(global, &report);
    Ok(if report.failed(args.strict) {
        Outcome::Failed
    } else {
        Outcome::Success
    })
}

/// The request: named checks, `--deep`, and the ports and images to look at (the selected
/// course's plus `--port` / `--image`), and the course (which steps differ on Podman). A course
/// that does not load only costs those checks their course part: the Docker checks still run.
fn request_for(
    global: &GlobalArgs,
    args: &DoctorArgs,
) -> (DoctorRequest, Option<crate::lesson::Course>) {
    let (mut request, course) = match super::load_course(global) {
        Ok(course) => (DoctorRequest::for_course(&course), Some(course)),
        Err(err) => {
            eprintln!(
                "docker-guide: warning: could not load the course ({}): its ports and images are not checked",
                super::error_message(&err)
            );
            (DoctorRequest::default(), None)
        }
    };
    // Named checks replace the course's (its defaults, plus optional ones a chapter requires).
    if !args.checks.is_empty() {
        request.ids = args.checks.clone();
    }
    request.deep = args.deep;
    request.ports.extend(&args.ports);
    request.ports.sort_unstable();
    request.ports.dedup();
    for image in &args.images {
        if !request.images.contains(image) {
            request.images.push(image.clone());
        }
    }
    (request, course)
}

/// Runs the checks; on a terminal, says "waiting for the Docker engine…" once 2 s have passed
/// without the engine answering.
fn run_with_notice(request: &DoctorRequest) -> anyhow::Result<doctor::Report> {
    enum Msg {
        /// A check finished: its id and whether it passed (or warned).
        Checked(&'static str, bool),
        Finished,
    }
    let (tx, rx) = mpsc::channel::<Msg>();
    let checked = std::sync::Mutex::new(tx.clone());
    let on_done = move |result: &doctor::CheckResult| {
        if let Ok(tx) = checked.lock() {
            let passed = matches!(result.status, doctor::Status::Pass | doctor::Status::Warn);
            let _ = tx.send(Msg::Checked(result.id, passed));
        }
    };
    let waits_for_engine = doctor::select(request)?.iter().any(|c| c.id == "daemon");
    let show_notice = waits_for_engine && std::io::stderr().is_terminal();
    std::thread::scope(|scope| {
        let worker = scope.spawn(move || {
            let report = doctor::run_checks_streaming(&SystemProbe, request, &on_done);
            let _ = tx.send(Msg::Finished);
            report
        });
        let mut clock = NoticeClock::new(std::time::Instant::now());
        let mut noticed = false;
        loop {
            match rx.recv_timeout(clock.wait(std::time::Instant::now())) {
                // Settled once `daemon` finished, or `docker` failed (nothing to wait for).
                Ok(Msg::Checked(id, passed)) => {
                    if id == "daemon" || (id == "docker" && !passed) {
                        clock.settle();
                    }
                }
                Ok(Msg::Finished) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if clock.notice_due() && show_notice {
                        eprint!("waiting for the Docker engine…");
                        let _ = std::io::stderr().flush();
                        noticed = true;
                    }
                    clock.settle();
                    // A worker that panicked sends no `Finished`.
                    if worker.is_finished() {
                        break;
                    }
                }
            }
        }
        if noticed {
            eprint!("\r\x1b[K");
        }
        worker
            .join()
            .map_err(|_| anyhow::anyhow!("the doctor crashed"))
    })
}

/// When the main thread next wakes while the checks run: once, when the "waiting" notice is
/// due, then only for messages. Settling after the notice time matters even when no notice is
/// shown (stderr not a terminal): a zero wait from then on would spin a core until the end.
struct NoticeClock {
    started: std::time::Instant,
    settled: bool,
}

impl NoticeClock {
    fn new(started: std::time::Instant) -> Self {
        NoticeClock {
            started,
            settled: false,
        }
    }

    /// How long to wait for the next message at `now`.
    fn wait(&self, now: std::time::Instant) -> Duration {
        if self.settled {
            // Wakes now and then only to notice a worker that died without `Finished`.
            Duration::from_secs(1)
        } else {
            WAITING_NOTICE_AFTER.saturating_sub(now.saturating_duration_since(self.started))
        }
    }

    /// The notice is to be shown now (the engine has not answered in time).
    fn notice_due(&self) -> bool {
        !self.settled
    }

    /// The engine answered, or the notice time passed: nothing more to time.
    fn settle(&mut self) {
        self.settled = true;
    }
}

/// Writes to stdout; a reader that went away (`doctor | head`) is not an error.
fn write_stdout(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => Err(err.into()),
        _ => Ok(()),
    }
}

fn print_list(json: bool) -> anyhow::Result<()> {
    let mut out = String::new();
    if json {
        let list: Vec<_> = CHECKS
            .iter()
            .map(|c| {
                serde_json::json!({
                    "id": c.id, "title": c.title, "needs": c.needs,
                    "default": c.default, "affects": c.affects,
                })
            })
            .collect();
        return write_stdout(&format!("{}\n", serde_json::to_string_pretty(&list)?));
    }
    let width = CHECKS.iter().map(|c| c.id.len()).max().unwrap_or(0);
    for check in CHECKS {
        let needs = if check.needs.is_empty() {
            String::new()
        } else {
            format!(" (needs {})", check.needs.join(", "))
        };
        // A check off by default says so once (its title may already name `--deep`).
        let deep = if check.default || check.title.contains("--deep") {
            ""
        } else {
            " [--deep]"
        };
        out.push_str(&format!(
            "{:width$}  {}{deep}{needs}\n{:width$}  affects: {}\n",
            check.id, check.title, "", check.affects
        ));
    }
    write_stdout(&out)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::{NoticeClock, WAITING_NOTICE_AFTER};

    #[test]
    fn the_wait_ends_when_the_notice_is_due_then_never_spins() {
        let start = Instant::now();
        let mut clock = NoticeClock::new(start);
        assert_eq!(clock.wait(start), WAITING_NOTICE_AFTER);
        let late = start + Duration::from_millis(2_500);
        assert_eq!(clock.wait(late), Duration::ZERO);
        assert!(clock.notice_due());
        // After the timeout fired (whether or not a notice was printed): long waits only.
        clock.settle();
        assert!(!clock.notice_due());
        assert!(clock.wait(late) >= Duration::from_secs(1));
        assert!(clock.wait(late + Duration::from_secs(5)) >= Duration::from_secs(1));
    }

    #[test]
    fn an_engine_that_answers_settles_the_clock() {
        let start = Instant::now();
        let mut clock = NoticeClock::new(start);
        clock.settle();
        assert!(clock.wait(start + Duration::from_millis(100)) >= Duration::from_secs(1));
    }
}
