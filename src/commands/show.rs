//! `docker-guide show`: rendered chapters on stdout. ANSI styles on a terminal or with
//! `--color always` (for `| less -R`); plain text when piped, with `NO_COLOR`, `--color never`
//! or `--plain`. Width from `--width`, else the terminal, else 80.

use std::io::Write;

use anyhow::Context;
use clap::Args;
use ratatui::text::Line;

use super::Outcome;
use crate::cli::GlobalArgs;
use crate::lesson::Course;
use crate::render::{self, RenderOptions};

/// Width used when neither `--width` nor a terminal says otherwise.
const DEFAULT_WIDTH: u16 = 80;

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Chapter number (1-based), slug or file name; all chapters when omitted
    pub chapter: Option<String>,
    /// Plain text without colours or styles (also when piped or with NO_COLOR, unless
    /// `--color always`); wins over `--color always`
    #[arg(long)]
    pub plain: bool,
    /// Width in columns (default: the terminal's, else 80)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(20..=1000))]
    pub width: Option<u16>,
}

pub fn run(global: &GlobalArgs, args: ShowArgs) -> anyhow::Result<Outcome> {
    // Rendering reads the events the lesson parser reads: parse each chapter once.
    crate::lesson::keep_events_for_rendering();
    let output = super::output_style(args.plain);
    let styled = output.color;
    // Highlighting is most of a coloured `show`: on the other cores, from before the parse
    // (`render::highlight_ahead_of`) and while the writer draws.
    render::enable_parallel_highlighting();
    // The official course's blocks were highlighted at build time: nothing to do ahead.
    if styled && global.lessons.is_some() {
        crate::lesson::before_parsing(render::highlight_ahead_of);
    }
    let course = super::load_course(global)?;
    let width = args.width.or(output.width).unwrap_or(DEFAULT_WIDTH);
    let chapters = select_chapters(&course, args.chapter.as_deref())?;
    let style = match (
        styled,
        hyperlinks_supported(|name| crate::settings::get().var(name)),
    ) {
        (false, _) => OutputStyle::Plain,
        (true, false) => OutputStyle::Ansi,
        (true, true) => OutputStyle::AnsiWithHyperlinks,
    };
    let mut stdout = std::io::stdout().lock();
    let mut failed = None;
    stream_text(&course, &chapters, width, style, &mut |text| {
        if failed.is_none() {
            failed = stdout.write_all(text.as_bytes()).err();
        }
    });
    match failed.map_or_else(|| stdout.flush(), Err) {
        // `show | head` closes the pipe early: not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.context("writing to stdout")?,
    }
    // What was ignored in a broken file does not show in the text: say so, and where to look.
    let errors = super::course_problems(&course)
        .iter()
        .filter(|d| d.severity == crate::lesson::Severity::Error)
        .filter(|d| course.chapter_of(d).is_some_and(|c| chapters.contains(&c)))
        .count();
    if errors > 0 {
        eprintln!(
            "docker-guide: note: {} in what is shown (parts may be missing or not runnable): `{}`",
            crate::quantities::plural(errors, "error"),
            super::lint_command(global)
        );
    }
    // Also left to the exit: the course's events and steps (0.3 M instructions on the spec).
    std::mem::forget(course);
    Ok(Outcome::Success)
}

/// Indices of the chapters to show: the one named by `query`, or all.
pub fn select_chapters(course: &Course, query: Option<&str>) -> anyhow::Result<Vec<usize>> {
    match query {
        None => Ok((0..course.chapters.len()).collect()),
        Some(query) => match course.find_chapter(query) {
            Some(index) => Ok(vec![index]),
            None => {
                let known: Vec<String> = course
                    .chapters
                    .iter()
                    .enumerate()
                    .map(|(i, c)| format!("{} {}", i + 1, c.slug))
                    .collect();
                anyhow::bail!(
                    "no chapter {query:?} in {:?}; chapters: {}",
                    course.title,
                    known.join(", ")
                )
            }
        },
    }
}

/// How `show` writes its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputStyle {
    Plain,
    Ansi,
    /// ANSI plus OSC 8 hyperlinks on link text.
    AnsiWithHyperlinks,
}

pub use crate::render::hyperlinks_supported;

/// The chosen chapters rendered at `width`, each under a separator naming it when more than
/// one is shown.
pub fn show_text(course: &Course, chapters: &[usize], width: u16, style: OutputStyle) -> String {
    let mut all = String::new();
    stream_text(course, chapters, width, style, &mut |text| {
        all.push_str(text)
    });
    all
}

/// Text is handed out in pieces of about this size: one `write` each, and a long document's
/// rows and text are never all held at once (holding the CommonMark spec's took 2 MB more).
const PIECE_BYTES: usize = 64 * 1024;

/// [`show_text`] in pieces of about [`PIECE_BYTES`], each handed to `out` as soon as it is drawn.
fn stream_text(
    course: &Course,
    chapters: &[usize],
    width: u16,
    style: OutputStyle,
    out: &mut dyn FnMut(&str),
) {
    let styled = style != OutputStyle::Plain;
    let opts = RenderOptions {
        width,
        color: styled,
    };
    let mut text = String::with_capacity(PIECE_BYTES + PIECE_BYTES / 2);
    for (n, &index) in chapters.iter().enumerate() {
        let chapter = &course.chapters[index];
        if chapters.len() > 1 {
            if n > 0 {
                text.push('\n');
            }
            let banner = render::chapter_banner(index + 1, chapter, &opts);
            push_rows(&[banner], &[], style, &mut text);
            text.push('\n');
        }
        render::stream_chapter(chapter, &opts, &mut |rows, links| {
            push_rows(rows, links, style, &mut text);
            if text.len() >= PIECE_BYTES {
                out(&text);
                text.clear();
            }
        });
    }
    if !text.is_empty() {
        out(&text);
    }
}

fn push_rows(
    rows: &[Line<'_>],
    links: &[render::LinkRegion],
    style: OutputStyle,
    text: &mut String,
) {
    match style {
        OutputStyle::Plain => render::push_plain(rows, text),
        OutputStyle::Ansi => render::push_ansi_with_links(rows, &[], text),
        OutputStyle::AnsiWithHyperlinks => render::push_ansi_with_links(rows, links, text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::{Chapter, CourseSource, FrontMatter};

    fn course() -> Course {
        let chapter = |n: usize, slug: &str, markdown: &str| Chapter {
            slug: slug.into(),
            file_name: format!("0{n}-{slug}.md"),
            display_path: format!("lessons/0{n}-{slug}.md"),
            title: format!("Chapter {slug}"),
            front: FrontMatter::default(),
            markdown: markdown.into(),
            body_first_line: 1,
            steps: Vec::new(),
        };
        Course {
            id: "t".into(),
            title: "Test course".into(),
            description: None,
            version: None,
            images: Vec::new(),
            source: CourseSource::Embedded,
            chapters: vec![
                chapter(1, "setup", "# Setup\n\nCheck **Docker**."),
                chapter(2, "build", "# Build\n\nRun `docker build`."),
            ],
            assets: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    #[test]
    fn chapters_are_found_by_number_slug_or_file_name() {
        let course = course();
        assert_eq!(select_chapters(&course, None).unwrap(), [0, 1]);
        assert_eq!(select_chapters(&course, Some("2")).unwrap(), [1]);
        assert_eq!(select_chapters(&course, Some("setup")).unwrap(), [0]);
        assert_eq!(select_chapters(&course, Some("02-build.md")).unwrap(), [1]);
        let err = select_chapters(&course, Some("9")).unwrap_err().to_string();
        assert!(err.contains("1 setup, 2 build"), "{err}");
    }

    #[test]
    fn plain_text_has_no_escapes_and_separates_chapters() {
        let text = show_text(&course(), &[0, 1], 40, OutputStyle::Plain);
        assert!(!text.contains('\x1b'));
        assert_eq!(
            text,
            "━━ 1 · Chapter setup ━━━━━━━━━━━━━━━━━━━\n\nSetup\n\nCheck Docker.\n\n\
             ━━ 2 · Chapter build ━━━━━━━━━━━━━━━━━━━\n\nBuild\n\nRun docker build.\n"
        );
    }

    #[test]
    fn one_chapter_has_no_separator() {
        assert_eq!(
            show_text(&course(), &[1], 40, OutputStyle::Plain),
            "Build\n\nRun docker build.\n"
        );
    }

    #[test]
    fn styled_text_uses_sgr() {
        let text = show_text(&course(), &[0], 40, OutputStyle::Ansi);
        assert!(text.contains("\x1b[0;1;4;36mSetup\x1b[0m"), "{text:?}");
        assert!(!text.contains("\x1b]8;;"));
    }

    #[test]
    fn hyperlinks_wrap_link_text_when_asked() {
        let mut course = course();
        course.chapters[0].markdown = "See [the docs](https://docs.docker.com).".into();
        let text = show_text(&course, &[0], 40, OutputStyle::AnsiWithHyperlinks);
        assert!(
            text.contains("\x1b]8;;https://docs.docker.com\x1b\\the docs\x1b]8;;\x1b\\"),
            "{text:?}"
        );
    }

    #[test]
    fn hyperlink_support_is_detected_from_the_environment() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert!(hyperlinks_supported(env(&[("TERM_PROGRAM", "WezTerm")])));
        assert!(hyperlinks_supported(env(&[("VTE_VERSION", "7200")])));
        assert!(!hyperlinks_supported(env(&[("VTE_VERSION", "4600")])));
        assert!(!hyperlinks_supported(env(&[("TERM", "xterm-256color")])));
        assert!(!hyperlinks_supported(env(&[
            ("TMUX", "/tmp/x"),
            ("TERM", "xterm-kitty")
        ])));
        assert!(hyperlinks_supported(env(&[
            ("FORCE_HYPERLINK", "1"),
            ("TMUX", "x")
        ])));
        assert!(!hyperlinks_supported(env(&[
            ("FORCE_HYPERLINK", "0"),
            ("WT_SESSION", "x")
        ])));
    }
}
