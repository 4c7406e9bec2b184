//! What the learner has completed, per course and step, stored as JSON in the state directory
//! (`$XDG_STATE_HOME/docker-guide/progress.json`). File I/O only: writes are atomic and go
//! through a lock + re-read so two docker-guide processes never clobber each other; a corrupt
//! file is moved aside with a warning, and a malformed course never costs the others theirs.

pub mod class;
pub mod export;
mod file;
mod journal;
pub mod live;
mod model;
mod store;
mod summary;
pub mod table;

use std::fmt;
use std::io;
use std::path::PathBuf;

pub use file::FILE_SCHEMA;
pub use model::{CourseProgress, Failure, Position, StepRecord, StepRun, StepStatus, TaskRecord};
pub use store::Store;
pub use summary::ChapterCounts;

#[derive(Debug, thiserror::Error)]
pub enum ProgressError {
    #[error("cannot find a state directory for the progress file: {0}")]
    NoStateDir(String),
    #[error("cannot read the progress file {path}: {source}{}", access_fix(.source))]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot write the progress file {path}: {source}{}", access_fix(.source))]
    Write { path: PathBuf, source: io::Error },
    #[error("cannot lock {path}: {source}{}", access_fix(.source))]
    Lock { path: PathBuf, source: io::Error },
    #[error("cannot set the unreadable progress file {path} aside: {source}")]
    MoveAside { path: PathBuf, source: io::Error },
    #[error(
        "the progress file {path} was written by a newer docker-guide (schema {schema}; this one writes {}): it is kept as it is and nothing is recorded. Update docker-guide, or set XDG_STATE_HOME to another folder to keep this version's progress apart",
        file::FILE_SCHEMA
    )]
    NewerSchema { path: PathBuf, schema: u64 },
}

/// The fix for a state folder this user may not write (a folder made by `sudo docker-guide`,
/// a read-only home): said where the error is, since only the learner can fix it.
fn access_fix(err: &io::Error) -> &'static str {
    match err.kind() {
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            " (give yourself write access to that folder, e.g. `sudo chown -R $USER` on it, or set XDG_STATE_HOME to a folder you can write)"
        }
        _ => "",
    }
}

/// Something the learner should hear about, though nothing stopped working.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProgressWarning {
    /// The file was not usable JSON; it was renamed and progress starts empty.
    CorruptFile { moved_to: PathBuf, reason: String },
    /// One course's entry could not be read; the others were kept, the readable steps of
    /// this one (`recovered`) are shown, and the entry is left untouched until it is written.
    MalformedCourse {
        course_id: String,
        reason: String,
        recovered: usize,
    },
    /// A malformed course entry was overwritten; the previous file was copied to `backup`.
    ReplacedMalformedCourse { course_id: String, backup: PathBuf },
}

impl fmt::Display for ProgressWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProgressWarning::CorruptFile { moved_to, reason } => write!(
                f,
                "the progress file could not be read ({reason}); it was moved to {} and progress starts afresh",
                moved_to.display()
            ),
            ProgressWarning::MalformedCourse {
                course_id,
                reason,
                recovered,
            } => write!(
                f,
                "the saved progress of course `{course_id}` could not be fully read ({reason}); {recovered} step(s) recovered; the entry is kept as is until progress is recorded again (then the old file is copied aside)"
            ),
            ProgressWarning::ReplacedMalformedCourse { course_id, backup } => write!(
                f,
                "the unreadable saved progress of course `{course_id}` was replaced; the old file is at {}",
                backup.display()
            ),
        }
    }
}

#[cfg(test)]
mod journal_tests;
#[cfg(test)]
mod schema_tests;
#[cfg(test)]
mod store_tests;
#[cfg(test)]
pub(crate) mod test_support;
