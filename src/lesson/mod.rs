//! The course model and its parser: markdown chapters → [`Course`] with source positions for
//! every step and every problem. No terminal, no processes.
//!
//! The lesson format is described in `docs/lesson-format.md`.

mod attrs;
mod block_reading;
mod block_step;
mod body;
mod clean;
mod course;
mod docker;
mod embedded;
pub mod foreign;
mod front;
mod images;
mod killercoda;
mod lint;
mod load;
pub mod model;
mod parse;
mod placeholders;
mod pos;
mod problems;
mod prompts;
mod sample_output;
mod script;
mod shell;
mod step_attrs;
mod task;

pub use attrs::suggest;
pub use body::{Markdown, before_parsing, keep_events_for_rendering};
pub use clean::{is_unprintable, printable_line};
pub use docker::{DockerCall, Launch, docker_call, launch};
pub use embedded::load_embedded;
pub use images::{images_built_by, images_needed, images_used, normalize_image};
pub use lint::lint;
pub use load::{LessonError, load_path};
pub use model::*;
pub use parse::{parse_chapter, slug_from_file_name};
pub use problems::course_problems;
pub use script::{SHELL_LANGS, step_commands};
pub use shell::SimpleCommand;
pub use step_attrs::KNOWN_ATTRS;

/// The markdown dialect of lessons: CommonMark plus GitHub tables, strikethrough, task lists,
/// footnotes and alerts (`> [!NOTE]`, `[!TIP]`, `[!IMPORTANT]`, `[!WARNING]`, `[!CAUTION]`). The renderer parses with the same options so that a step's `span.start`
/// equals the start of its `CodeBlock` event. YAML metadata blocks are deliberately off:
/// front matter is split off before parsing (pulldown-cmark would take a `---` block anywhere).
pub fn markdown_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options;
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_GFM
}

#[cfg(test)]
mod compat_tests;
#[cfg(test)]
mod front_tests;
#[cfg(test)]
mod lint_tests;
#[cfg(test)]
mod parse_tests;
#[cfg(test)]
mod task_tests;
