//! [`Store`]: the progress file of one machine, read at open and updated transactionally.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use etcetera::BaseStrategy;

use super::file::{self, Document, FileLock};
use super::{CourseProgress, Position, ProgressError, ProgressWarning, StepRun};

/// The progress of every course on this machine.
///
/// Reads come from the snapshot taken at [`Store::open`] (or the last write / [`Store::reload`]).
/// Every write locks the file, re-reads it, applies the change to what is on disk and writes it
/// back atomically, so a concurrent `docker-guide run` and the TUI both keep their records.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    doc: Document,
    warnings: Vec<ProgressWarning>,
    /// Malformed courses already warned about: every re-read finds them again.
    reported_malformed: BTreeSet<String>,
}

impl Store {
    /// `$XDG_STATE_HOME/docker-guide/progress.json` (the platform's equivalent elsewhere).
    pub fn default_path() -> Result<PathBuf, ProgressError> {
        let strategy = etcetera::choose_base_strategy()
            .map_err(|e| ProgressError::NoStateDir(e.to_string()))?;
        let base = strategy.state_dir().unwrap_or_else(|| strategy.data_dir());
        Ok(base.join("docker-guide").join("progress.json"))
    }

    pub fn open_default() -> Result<Store, ProgressError> {
        Store::open(&Store::default_path()?)
    }

    /// Opens (without creating) the file at `path`. A corrupt file is moved aside: see
    /// [`Store::take_warnings`].
    pub fn open(path: &Path) -> Result<Store, ProgressError> {
        let mut store = Store {
            path: path.to_owned(),
            doc: Document::default(),
            warnings: Vec::new(),
            reported_malformed: BTreeSet::new(),
        };
        store.reload()?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Warnings gathered since the last call (corrupt file moved aside, malformed course kept).
    pub fn take_warnings(&mut self) -> Vec<ProgressWarning> {
        std::mem::take(&mut self.warnings)
    }

    /// Re-reads the file (to see what another process recorded).
    pub fn reload(&mut self) -> Result<(), ProgressError> {
        // Moving a corrupt file aside must not race a writer; a read-only state dir still reads.
        let _lock = if self.path.exists() {
            FileLock::acquire(&self.path).ok()
        } else {
            None
        };
        let (doc, warnings) = file::load(&self.path)?;
        self.doc = doc;
        self.note(warnings);
        Ok(())
    }

    /// The stored progress of a course (empty when there is none).
    pub fn course(&self, course_id: &str) -> CourseProgress {
        self.doc.courses.get(course_id).cloned().unwrap_or_default()
    }

    pub fn course_ids(&self) -> impl Iterator<Item = &str> {
        self.doc.courses.keys().map(String::as_str)
    }

    /// Records one run of a step: status, time, attempts + 1, failure reason.
    pub fn record(
        &mut self,
        course_id: &str,
        step_id: &str,
        run: StepRun,
    ) -> Result<(), ProgressError> {
        self.update(course_id, |course| course.apply(step_id, run))
    }

    /// Remembers where the learner is, for resuming.
    pub fn set_current(
        &mut self,
        course_id: &str,
        position: Position,
    ) -> Result<(), ProgressError> {
        self.update(course_id, |course| course.current = Some(position))
    }

    /// Stores the course's version (progress of a changed course can then be told apart).
    pub fn set_version(
        &mut self,
        course_id: &str,
        version: Option<&str>,
    ) -> Result<(), ProgressError> {
        let version = version.map(str::to_owned);
        if self
            .doc
            .courses
            .get(course_id)
            .is_some_and(|c| c.version == version)
        {
            return Ok(());
        }
        self.update(course_id, |course| course.version = version)
    }

    /// Forgets the given steps of a course, or the whole course with `None`. A reset that
    /// removes the step the learner was on also drops the resume position.
    pub fn reset(
        &mut self,
        course_id: &str,
        step_ids: Option<&[String]>,
    ) -> Result<(), ProgressError> {
        match step_ids {
            None => self.transaction(|doc| {
                let existed = doc.courses.remove(course_id).is_some();
                existed | doc.malformed.remove(course_id).is_some()
            }),
            Some(ids) => self.update(course_id, |course| {
                for id in ids {
                    course.steps.remove(id);
                    course.tasks.remove(id);
                }
                let on_removed = course
                    .current
                    .as_ref()
                    .and_then(|p| p.step_id.as_ref())
                    .is_some_and(|s| ids.contains(s));
                if on_removed {
                    course.current = None;
                }
            }),
        }
    }

    /// Applies `change` to the on-disk state of one course and writes it back atomically.
    pub fn update(
        &mut self,
        course_id: &str,
        change: impl FnOnce(&mut CourseProgress),
    ) -> Result<(), ProgressError> {
        self.transaction(|doc| {
            // A malformed entry is replaced (the transaction keeps a copy of the old file).
            doc.malformed.remove(course_id);
            change(doc.courses.entry(course_id.to_owned()).or_default());
            true
        })
    }

    /// Lock, re-read, change, write. `change` returns false when there is nothing to write.
    fn transaction(
        &mut self,
        change: impl FnOnce(&mut Document) -> bool,
    ) -> Result<(), ProgressError> {
        let _lock = FileLock::acquire(&self.path)?;
        let (mut doc, warnings) = file::load(&self.path)?;
        self.note(warnings);
        let malformed_before: Vec<String> = doc.malformed.keys().cloned().collect();
        if change(&mut doc) {
            // Overwriting an entry we could not read: keep a copy of the old file first.
            for course_id in malformed_before
                .into_iter()
                .filter(|id| !doc.malformed.contains_key(id))
            {
                if doc.courses.contains_key(&course_id) {
                    let backup = file::copy_aside(&self.path)?;
                    self.warnings
                        .push(ProgressWarning::ReplacedMalformedCourse { course_id, backup });
                }
            }
            file::write_atomic(&self.path, &doc.to_json())?;
        }
        self.doc = doc;
        Ok(())
    }

    fn note(&mut self, warnings: Vec<ProgressWarning>) {
        for warning in warnings {
            if let ProgressWarning::MalformedCourse { course_id, .. } = &warning
                && !self.reported_malformed.insert(course_id.clone())
            {
                continue;
            }
            self.warnings.push(warning);
        }
    }
}
