//! `docker-guide run [CHAPTER|all]`: the course's steps without the UI, for CI, instructors
//! checking a workshop machine, and people who like plain output. Streams each step's output
//! live, judges it, records progress, runs each chapter's cleanup (also on Ctrl-C, SIGTERM,
//! SIGHUP) and ends with a summary. Exit 0 when no step failed, 1 otherwise, 2 on misuse.

/// `println!` that never panics: a closed terminal (SIGHUP) or pipe (`| head`) must not stop
/// the run before it has stopped its processes and run the cleanups.
macro_rules! say {
    () => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout());
    }};
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// `eprintln!` that never panics.
macro_rules! warn_line {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod chapter_ends;
mod headless;
mod printer;
mod prompt;
mod stream;
mod summary;
mod task;

use std::io::IsTerminal;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Args;

use super::Outcome;
use crate::cli::GlobalArgs;
use crate::lesson::model::{Course, Severity};
use crate::runner::{self, DEFAULT_MAX_LINES};
use headless::{HeadlessRun, RunOptions};
use printer::Mode;
pub use printer::Style;
pub use summary::format_duration;

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Chapter to run: its number, slug or file name, or `all`
    #[arg(value_name = "CHAPTER|all", default_value = "all")]
    pub chapter: String,
    /// Run every step without asking (required without a terminal; also runs `confirm` steps)
    #[arg(short, long)]
    pub yes: bool,
    /// Start at this step: its id, or its number within the (first) chapter
    #[arg(long, value_name = "STEP")]
    pub from: Option<String>,
    /// Go on after a failed step, or past a task you have not solved yet (by default the run
    /// stops there)
    #[arg(long)]
    pub keep_going: bool,
    /// Apply each task's solution, then require its check to pass (for authors and CI)
    #[arg(long)]
    pub solve: bool,
    /// Run a chapter even when a doctor check its `requires` names fails (the failure and its
    /// fix are still shown)
    #[arg(long)]
    pub ignore_requires: bool,
    /// Lines of each step's output kept to explain a failure (`expect` sees all the output)
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_LINES)]
    pub max_lines: usize,
    /// Value of a placeholder in the steps' commands (`<container-id>`, `YOUR_USERNAME`,
    /// `{{ .Name }}`), e.g. `--set container-id=web`; repeatable. A step whose placeholders
    /// have no value is skipped, never run as written
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = parse_value)]
    pub values: Vec<(String, String)>,
}

fn parse_value(text: &str) -> Result<(String, String), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}` is not NAME=VALUE, e.g. --set container-id=web"))?;
    let name = name.trim();
    let name = name
        .strip_prefix('<')
        .and_then(|n| n.strip_suffix('>'))
        .unwrap_or(name);
    if name.is_empty() {
        return Err(format!(
            "`{text}` names no placeholder, e.g. --set container-id=web"
        ));
    }
    Ok((name.to_string(), value.to_string()))
}

/// Why a step with placeholders left did not run, and how to give them.
fn placeholder_reason(missing: &[&crate::lesson::Placeholder]) -> String {
    let written: Vec<&str> = missing.iter().map(|p| p.written.as_str()).collect();
    let sets: Vec<String> = missing
        .iter()
        .map(|p| format!("--set {}=VALUE", p.name))
        .collect();
    format!(
        "needs a value for {} (run again with {})",
        written.join(", "),
        sets.join(" ")
    )
}

pub fn run(global: &GlobalArgs, args: RunArgs) -> anyhow::Result<Outcome> {
    let course = super::load_course(global)?;
    let chapters = select_chapters(&course, &args.chapter)?;
    report_diagnostics(&course, &chapters, &super::lint_command(global))?;
    let (first_chapter, first_step) = resolve_from(&course, &chapters, args.from.as_deref())?;
    let chapters = &chapters[first_chapter..];

    let terminal = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let can_ask = prompt::can_ask();
    if !args.yes && !can_ask {
        bail!(refusal(&course, chapters));
    }
    let output = super::output_style(false);
    let color = output.color;
    let mode = if output.terminal {
        Mode::Terminal { color }
    } else {
        Mode::Plain
    };
    let style = Style { color };

    let signals = crate::session::Signals::install().context("cannot watch for Ctrl-C")?;
    let workspace = runner::workspace_for(&course, global.workspace.as_deref())?;
    for kept in &workspace.skipped {
        warn_line!("docker-guide: note: kept your changed {kept} (the course has another version)");
    }
    say!(
        "{} {}",
        style.bold(&course.title),
        style.dim(&format!("· workspace {}", workspace.root.display()))
    );

    let started = Instant::now();
    let mut headless = HeadlessRun {
        course: &course,
        workspace: &workspace,
        signals: &signals,
        progress: crate::session::Recorder::open(&course).with_workspace(&workspace.root),
        mode,
        style,
        options: RunOptions {
            terminal,
            can_ask,
            yes: args.yes,
            keep_going: args.keep_going,
            solve: args.solve,
            ignore_requires: args.ignore_requires,
            numbered_by_chapter: chapters.len() > 1,
            max_lines: args.max_lines.max(1),
        },
        values: args.values,
        shell: crate::session::ShellState::default(),
        ask_each: true,
        tally: summary::Tally::default(),
        stopped: false,
    };
    for (n, &chapter_index) in chapters.iter().enumerate() {
        if headless.stopped || signals.stop_requested() {
            break;
        }
        headless.run_chapter(chapter_index, if n == 0 { first_step } else { 0 });
    }
    let total: usize = chapters
        .iter()
        .map(|&c| course.chapters[c].steps.len())
        .sum::<usize>()
        - first_step;
    let tally = &headless.tally;
    let done = tally.passed + tally.skipped + tally.failed_steps + tally.waiting.len();
    let interrupted = signals.stop_requested();
    tally.print(
        style,
        started.elapsed(),
        interrupted,
        total.saturating_sub(done),
    );
    let waiting = !tally.waiting.is_empty();
    let all_ran = (!headless.stopped || waiting) && !interrupted;
    Ok(if !tally.failures.is_empty() || !all_ran {
        Outcome::Failed
    } else if waiting {
        Outcome::Waiting
    } else {
        Outcome::Success
    })
}

/// Prints the problems of the chapters to run (and of the course itself); their errors stop
/// the run (the steps could be wrong). A broken chapter that is not run does not block the
/// others: it is only mentioned.
fn report_diagnostics(
    course: &Course,
    chapters: &[usize],
    lint_command: &str,
) -> anyhow::Result<()> {
    let (concerned, elsewhere): (Vec<_>, Vec<_>) = super::course_problems(course)
        .into_iter()
        .partition(|d| course.chapter_of(d).is_none_or(|c| chapters.contains(&c)));
    for diagnostic in &concerned {
        warn_line!("{diagnostic}");
    }
    let errors = |list: &[crate::lesson::Diagnostic]| {
        list.iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    };
    if errors(&concerned) > 0 {
        bail!(
            "{} in what would run; fix them first (`{lint_command}`)",
            super::list::plural(errors(&concerned), "error")
        );
    }
    if errors(&elsewhere) > 0 {
        warn_line!(
            "docker-guide: note: {} in chapters not run now (`{lint_command}`)",
            super::list::plural(errors(&elsewhere), "error")
        );
    }
    Ok(())
}

fn select_chapters(course: &Course, query: &str) -> anyhow::Result<Vec<usize>> {
    if query.eq_ignore_ascii_case("all") {
        return Ok((0..course.chapters.len()).collect());
    }
    match course.find_chapter(query) {
        Some(index) => Ok(vec![index]),
        None => bail!(super::no_chapter_message(course, query)),
    }
}

/// Where `--from` starts: (position in `chapters`, step index).
fn resolve_from(
    course: &Course,
    chapters: &[usize],
    from: Option<&str>,
) -> anyhow::Result<(usize, usize)> {
    let Some(from) = from else { return Ok((0, 0)) };
    for (n, &c) in chapters.iter().enumerate() {
        if let Some(step) = course.chapters[c].steps.iter().find(|s| s.id == from) {
            return Ok((n, step.index));
        }
    }
    if let (Ok(number), Some(&c)) = (from.parse::<usize>(), chapters.first())
        && (1..=course.chapters[c].steps.len()).contains(&number)
    {
        return Ok((0, number - 1));
    }
    if let Some((c, _)) = course
        .chapters
        .iter()
        .enumerate()
        .find(|(_, ch)| ch.steps.iter().any(|s| s.id == from))
    {
        let slug = &course.chapters[c].slug;
        bail!(
            "step `{from}` is in chapter {} ({slug}), which this run does not include: use `run {slug} --from {from}` or `run all --from {from}`",
            c + 1
        );
    }
    let first = chapters.first().map(|&c| &course.chapters[c]);
    let ids: Vec<&str> = first
        .map(|ch| ch.steps.iter().map(|s| s.id.as_str()).collect())
        .unwrap_or_default();
    bail!(
        "no step `{from}` in the chosen chapters: give a step id, or a step number (1 to {}) of chapter {}; its steps: {}",
        ids.len(),
        first.map_or(String::new(), |ch| ch.slug.clone()),
        ids.join(", ")
    )
}

/// Why `run` will not start without `--yes` and without a terminal.
fn refusal(course: &Course, chapters: &[usize]) -> String {
    let confirm: Vec<&str> = chapters
        .iter()
        .flat_map(|&c| course.chapters[c].steps.iter())
        .filter(|s| s.attrs.confirm)
        .map(|s| s.id.as_str())
        .collect();
    let mut message = String::from(
        "not running without a terminal to ask on: steps run real commands (containers, files in the workspace).\n\
         Pass --yes to run them all without asking",
    );
    if !confirm.is_empty() {
        message.push_str(&format!(
            ", including the steps that ask for confirmation ({})",
            confirm.join(", ")
        ));
    }
    message.push('.');
    message
}

#[cfg(test)]
mod tests {
    use super::resolve_from;
    use crate::progress::test_support::fake_course;

    #[test]
    fn from_finds_a_step_by_id_or_number_and_says_where_others_are() {
        let course = fake_course(&[("intro", 2), ("build", 3)]);
        assert_eq!(
            resolve_from(&course, &[0, 1], Some("build-2")).unwrap(),
            (1, 1)
        );
        assert_eq!(resolve_from(&course, &[1], Some("3")).unwrap(), (0, 2));
        let elsewhere = resolve_from(&course, &[1], Some("intro-2")).unwrap_err();
        assert!(
            elsewhere.to_string().contains("is in chapter 1 (intro)")
                && elsewhere.to_string().contains("run intro --from intro-2"),
            "{elsewhere}"
        );
        let nowhere = resolve_from(&course, &[1], Some("9")).unwrap_err();
        assert!(
            nowhere.to_string().contains("1 to 3")
                && nowhere.to_string().contains("build-1, build-2, build-3"),
            "{nowhere}"
        );
    }
}
