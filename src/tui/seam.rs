//! PROVISIONAL stand-ins for the contract types of modules being built in parallel
//! (TEAM.md "Shared contracts"). Each item mirrors the agreed signature so the TUI compiles
//! and its tests run before the real modules land; at merge this file becomes
//! `pub use crate::{render, runner, doctor, progress};` and is then removed.
#![allow(dead_code)]

pub use crate::render;

pub mod runner {
    use std::path::{Path, PathBuf};
    use std::time::Duration;

    use crate::lesson::{Course, Ready};

    #[derive(Debug, Clone)]
    pub struct Transcript {
        max_lines: usize,
        /// The last entry is the current (maybe partial) line.
        lines: std::collections::VecDeque<String>,
        dropped: usize,
    }

    impl Transcript {
        pub fn new(max_lines: usize) -> Self {
            Self {
                max_lines,
                lines: std::collections::VecDeque::from([String::new()]),
                dropped: 0,
            }
        }
        pub fn push(&mut self, bytes: &[u8]) {
            for ch in String::from_utf8_lossy(bytes).chars() {
                if ch == '\n' {
                    self.lines.push_back(String::new());
                    if self.lines.len() > self.max_lines + 1 {
                        self.lines.pop_front();
                        self.dropped += 1;
                    }
                } else if let Some(last) = self.lines.back_mut() {
                    last.push(ch);
                }
            }
        }
        pub fn lines(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator + '_ {
            let complete =
                self.lines.len() - usize::from(self.lines.back().is_some_and(String::is_empty));
            self.lines.iter().take(complete).map(String::as_str)
        }
        pub fn line_count(&self) -> usize {
            self.lines().len()
        }
        pub fn dropped(&self) -> usize {
            self.dropped
        }
        pub fn plain_text(&self) -> String {
            self.lines().collect::<Vec<_>>().join("\n")
        }
    }

    #[derive(Debug, Clone)]
    pub struct StepSpec {
        pub script: String,
        pub cwd: PathBuf,
        pub timeout: Duration,
        pub exit: i32,
        pub expect: Option<String>,
        pub check: Option<String>,
        pub background: Option<Ready>,
        pub columns: u16,
        pub max_lines: usize,
    }

    #[derive(Debug, Clone)]
    pub enum RunEvent {
        Output(Vec<u8>),
        Ready,
        Finished(StepOutcome),
    }

    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct StepOutcome {
        pub result: StepResult,
        pub duration: Duration,
        pub exit_code: Option<i32>,
        pub explanation: Option<&'static Explanation>,
    }

    impl StepOutcome {
        pub fn passed(duration: Duration, exit_code: Option<i32>) -> Self {
            Self {
                result: StepResult::Passed,
                duration,
                exit_code,
                explanation: None,
            }
        }
        pub fn failed(reason: FailReason, duration: Duration, exit_code: Option<i32>) -> Self {
            Self {
                result: StepResult::Failed(reason),
                duration,
                exit_code,
                explanation: None,
            }
        }
    }

    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum StepResult {
        Passed,
        Failed(FailReason),
        Skipped(String),
    }

    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum FailReason {
        ExitCode {
            expected: i32,
            got: i32,
        },
        Signal {
            signal: i32,
        },
        ExpectNotMatched {
            pattern: String,
        },
        CheckFailed {
            command: String,
            exit_code: Option<i32>,
        },
        TimedOut {
            after: Duration,
        },
        Cancelled,
        BackgroundExited {
            exit_code: Option<i32>,
        },
        NotReady {
            after: Duration,
        },
        Spawn(String),
    }

    impl std::fmt::Display for StepResult {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            match self {
                StepResult::Passed => f.write_str("passed"),
                StepResult::Failed(reason) => write!(f, "failed: {reason}"),
                StepResult::Skipped(why) => write!(f, "skipped: {why}"),
            }
        }
    }

    impl std::fmt::Display for FailReason {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            match self {
                FailReason::ExitCode { expected: 0, got } => write!(f, "exit code {got}"),
                FailReason::ExitCode { expected, got } => {
                    write!(f, "exit code {got}, expected {expected}")
                }
                FailReason::Signal { signal } => write!(f, "killed by signal {signal}"),
                FailReason::ExpectNotMatched { pattern } => {
                    write!(f, "output did not match `{pattern}`")
                }
                FailReason::CheckFailed { command, .. } => write!(f, "check `{command}` failed"),
                FailReason::TimedOut { after } => {
                    write!(f, "timed out after {} s", after.as_secs())
                }
                FailReason::Cancelled => f.write_str("cancelled"),
                FailReason::BackgroundExited { .. } => f.write_str("background process exited"),
                FailReason::NotReady { after } => {
                    write!(f, "not ready after {} s", after.as_secs())
                }
                FailReason::Spawn(message) => write!(f, "could not start: {message}"),
            }
        }
    }

    #[derive(Debug, PartialEq, Eq)]
    pub struct Explanation {
        pub id: &'static str,
        pub cause: &'static str,
        pub fix: Fix,
    }

    #[derive(Debug, PartialEq, Eq)]
    pub struct Fix {
        pub linux: &'static str,
        pub macos: Option<&'static str>,
        pub windows: Option<&'static str>,
    }

    impl Fix {
        pub fn here(&self) -> &'static str {
            self.linux
        }
    }

    pub fn explain_failure(_output: &str, _exit_code: Option<i32>) -> Option<&'static Explanation> {
        None
    }

    #[derive(Debug)]
    pub struct RunnerError(pub String);
    impl std::fmt::Display for RunnerError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(&self.0)
        }
    }

    pub struct StepHandle;
    impl StepHandle {
        pub fn cancel(&self) {}
        pub fn is_running(&self) -> bool {
            false
        }
        pub fn pgid(&self) -> i32 {
            0
        }
        pub fn wait(&self, _timeout: Duration) -> bool {
            true
        }
    }

    pub fn start(
        _spec: StepSpec,
        _sink: impl FnMut(RunEvent) + Send + 'static,
    ) -> Result<StepHandle, RunnerError> {
        Err(RunnerError("runner not merged yet".into()))
    }

    pub struct CleanupResult {
        pub command: String,
    }
    impl CleanupResult {
        pub fn succeeded(&self) -> bool {
            true
        }
    }
    pub fn run_cleanup(
        _commands: &[String],
        _cwd: &Path,
        _timeout: Duration,
    ) -> Vec<CleanupResult> {
        Vec::new()
    }

    #[derive(Debug, Clone)]
    pub struct Workspace {
        pub root: PathBuf,
    }
    impl Workspace {
        pub fn chapter_dir(
            &self,
            chapter: &crate::lesson::Chapter,
        ) -> Result<PathBuf, RunnerError> {
            Ok(self
                .root
                .join(chapter.front.workdir.as_deref().unwrap_or("")))
        }
    }

    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum FileWrite {
        Created(PathBuf),
        Unchanged(PathBuf),
        Replaced(PathBuf),
        Differs(PathBuf),
    }
    impl FileWrite {
        pub fn path(&self) -> &Path {
            match self {
                FileWrite::Created(p)
                | FileWrite::Unchanged(p)
                | FileWrite::Replaced(p)
                | FileWrite::Differs(p) => p,
            }
        }
    }

    pub fn write_file_step(
        _ws: &Path,
        _rel: &str,
        _contents: &str,
        _overwrite: bool,
    ) -> Result<FileWrite, RunnerError> {
        Err(RunnerError("runner not merged yet".into()))
    }

    pub fn run_interactive(_spec: &StepSpec) -> StepOutcome {
        StepOutcome::failed(
            FailReason::Spawn("runner not merged yet".into()),
            Duration::ZERO,
            None,
        )
    }
    pub fn workspace_for(_course: &Course, dir: Option<&Path>) -> Result<Workspace, RunnerError> {
        Ok(Workspace {
            root: dir
                .map(Path::to_path_buf)
                .unwrap_or_else(std::env::temp_dir),
        })
    }
}

pub use crate::doctor;
pub use crate::progress;

pub use crate::commands::load_course;
