//! `docker-guide class join URL --code CODE --name NAME`, `class leave`, `class status`: the
//! learner's side of a live class. Joining sends the progress so far and the doctor's
//! verdict; from then on `run`, `check`, the TUI and `doctor` send each result as it happens.

use std::time::SystemTime;

use anyhow::Context as _;
use clap::Args;

use super::Outcome;
use crate::cli::GlobalArgs;
use crate::doctor::{self, DoctorRequest, SystemProbe};
use crate::progress::export::Scrubber;
use crate::progress::live::protocol::{EventBody, MAX_NAME, new_learner_id};
use crate::progress::live::{LiveFiles, Membership, client, feed};

#[derive(Debug, Args)]
pub struct JoinArgs {
    /// The class's address, as `class serve` shows it (e.g. http://192.168.1.20:7878)
    #[arg(value_name = "URL")]
    pub url: String,
    /// The join code the instructor shows
    #[arg(long)]
    pub code: String,
    /// Your name, as the instructor will see it
    #[arg(long)]
    pub name: String,
    /// Do not run the doctor (your setup's verdict is not sent)
    #[arg(long)]
    pub no_doctor: bool,
}

fn files() -> anyhow::Result<LiveFiles> {
    Ok(LiveFiles::default_location()?)
}

pub fn join(global: &GlobalArgs, args: JoinArgs) -> anyhow::Result<Outcome> {
    let url = client::normalize_url(&args.url).map_err(anyhow::Error::msg)?;
    let name = args.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        anyhow::bail!("--name must be 1 to {MAX_NAME} printable characters");
    }
    let hello = client::hello(&url, args.code.trim())?;
    let course = super::load_course(global)?;
    let store = super::progress::open_store()?;
    let progress = store.course(&course.id);
    let doctor = (!args.no_doctor).then(|| {
        eprintln!("docker-guide: checking your setup for the class (skip with --no-doctor) …");
        let report = doctor::run_checks(&SystemProbe, &DoctorRequest::for_course(&course));
        super::progress::export::doctor_summary(&report)
    });
    let files = files()?;
    let membership = Membership {
        url: url.clone(),
        code: args.code.trim().to_owned(),
        name: name.to_owned(),
        learner: new_learner_id(),
        course_id: course.id.clone(),
        next_seq: 1,
        joined_at: SystemTime::now(),
    };
    let scrubber = Scrubber::from_env(global.workspace.as_deref());
    feed::join(&files, membership, &course, &progress, doctor, &scrubber)?;
    let class = crate::progress::class::printable(&hello.class);
    println!("Joined `{class}` at {url} as {name}.");
    match client::flush(&files) {
        Ok(_) => println!("Your progress so far was sent."),
        Err(err) => println!(
            "Not sent yet ({err}); it is queued and goes as soon as the class can be reached."
        ),
    }
    println!(
        "From now on each step and task result of `{}` (what `progress export` holds: step ids, statuses, failure one-liners with your paths and name removed) is sent as it happens. Stop with `docker-guide class leave`.",
        course.title
    );
    Ok(Outcome::Success)
}

pub fn leave() -> anyhow::Result<Outcome> {
    let files = files()?;
    let Some(joined) = files.membership()? else {
        println!("You are not in a class.");
        return Ok(Outcome::Success);
    };
    files.enqueue(vec![EventBody::Leave])?;
    let sent = client::flush(&files);
    let unsent = files.leave().context("cannot forget the class")?;
    match sent {
        Ok(_) => println!("Left the class at {}.", joined.url),
        Err(err) => println!(
            "Left the class at {} ({unsent} event(s) could not be sent: {err}).",
            joined.url
        ),
    }
    Ok(Outcome::Success)
}

pub fn status() -> anyhow::Result<Outcome> {
    let files = files()?;
    let Some(joined) = files.membership()? else {
        println!(
            "You are not in a class (join with `docker-guide class join URL --code CODE --name NAME`)."
        );
        return Ok(Outcome::Failed);
    };
    println!(
        "In the class at {} as {} (course {}).",
        joined.url, joined.name, joined.course_id
    );
    let reached = client::hello(&joined.url, &joined.code).and_then(|_| client::flush(&files));
    match reached {
        Ok(_) => {
            println!("Connected: everything is sent.");
            Ok(Outcome::Success)
        }
        Err(err) => {
            println!(
                "Not connected ({err}); {} event(s) queued.",
                files.queued()?
            );
            Ok(Outcome::Failed)
        }
    }
}

/// After `docker-guide doctor`: the verdict goes to the class joined, if any (a note on
/// stderr when it cannot be sent now; it stays queued).
pub fn send_doctor(global: &GlobalArgs, report: &doctor::Report) {
    let Ok(files) = files() else { return };
    let summary = super::progress::export::doctor_summary(report);
    let scrubber = Scrubber::from_env(global.workspace.as_deref());
    if let Err(err) = feed::send_doctor(&files, summary, &scrubber) {
        eprintln!(
            "docker-guide: note: the class has not received this report yet ({err}); it is queued"
        );
    }
}
