//! The probe: every read of the outside world the checks make (commands, PATH, environment,
//! files, ports, disk, OS). Checks see only this trait, so tests feed captured docker outputs.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// A command to run: program, arguments, extra environment and a hard timeout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandSpec {
    pub program: String,
    pub args: Vec<String>,
    /// Added to (not replacing) the inherited environment.
    pub env: Vec<(String, String)>,
    pub timeout: Duration,
}

impl CommandSpec {
    pub fn new(program: &str, args: &[&str], timeout: Duration) -> Self {
        CommandSpec {
            program: program.to_string(),
            args: args.iter().map(|a| a.to_string()).collect(),
            env: Vec::new(),
            timeout,
        }
    }

    /// The command as a learner would type it (arguments with spaces or braces quoted).
    pub fn display(&self) -> String {
        let mut out = self.program.clone();
        for arg in &self.args {
            out.push(' ');
            if arg.is_empty() || arg.contains([' ', '{', '}', '"', '$']) {
                out.push('\'');
                out.push_str(arg);
                out.push('\'');
            } else {
                out.push_str(arg);
            }
        }
        out
    }
}

/// What a finished (or killed) command left behind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandOutput {
    /// `None` when killed by a signal (e.g. on timeout) or never started.
    pub exit_code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub timed_out: bool,
    pub duration: Duration,
    /// Set when the program could not be started at all.
    pub spawn_error: Option<String>,
}

impl CommandOutput {
    pub fn success(&self) -> bool {
        self.exit_code == Some(0) && !self.timed_out
    }

    /// A finished command with exit code and captured streams (for fakes and tests).
    pub fn exited(exit_code: i32, stdout: &str, stderr: &str) -> Self {
        CommandOutput {
            exit_code: Some(exit_code),
            stdout: stdout.to_string(),
            stderr: stderr.to_string(),
            ..Default::default()
        }
    }

    /// A command killed after its timeout.
    pub fn hung(after: Duration) -> Self {
        CommandOutput {
            timed_out: true,
            duration: after,
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    File,
    Dir,
    Socket,
    Other,
}

/// What `stat` and `access` say about a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathInfo {
    pub kind: PathKind,
    /// Permission bits (`st_mode & 0o7777`); 0 where unknown (Windows).
    pub mode: u32,
    pub gid: u32,
    /// Whether the current user may read and write it (`access(R_OK | W_OK)`).
    pub read_write: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiskSpace {
    /// Bytes available to an unprivileged writer.
    pub available: u64,
    pub total: u64,
}

/// Why a TCP port could not be bound on the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BindError {
    InUse,
    /// Below 1024 without privileges: the test says nothing about what the engine may do.
    PermissionDenied,
    Other(String),
}

/// Host OS family, the way fixes are keyed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OsFamily {
    Linux,
    Macos,
    Windows,
    Other,
}

/// The machine the doctor runs on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Platform {
    pub os: OsFamily,
    /// Go style (`amd64`, `arm64`), comparable with the engine's.
    pub arch: String,
    /// Inside WSL (Linux under Windows): fixes go through Docker Desktop for Windows.
    pub wsl: bool,
}

/// The user the doctor runs as (Unix; empty on other systems).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserInfo {
    pub uid: u32,
    /// Primary and supplementary groups of this process.
    pub groups: Vec<u32>,
    pub name: Option<String>,
}

/// Every outside read the checks make. Implementations must be usable from several threads.
pub trait Probe: Send + Sync {
    /// Runs a command to completion or until its timeout (then kills its whole process group).
    fn run(&self, spec: &CommandSpec) -> CommandOutput;
    /// Looks a program up on PATH.
    fn which(&self, program: &str) -> Option<PathBuf>;
    fn env(&self, name: &str) -> Option<String>;
    fn path_info(&self, path: &Path) -> Option<PathInfo>;
    fn read_to_string(&self, path: &Path) -> Option<String>;
    /// Binds `0.0.0.0:port` (what `docker run -p` binds by default) and releases it.
    fn bind_tcp(&self, port: u16) -> Result<(), BindError>;
    fn disk_space(&self, path: &Path) -> Option<DiskSpace>;
    fn platform(&self) -> Platform;
    fn user(&self) -> UserInfo;
}

/// `x86_64` → `amd64`, `aarch64` → `arm64` …: `docker info` speaks uname, `docker version` Go.
pub fn normalize_arch(arch: &str) -> String {
    let lower = arch.trim().to_ascii_lowercase();
    match lower.as_str() {
        "x86_64" | "x86-64" | "amd64" | "x64" => "amd64",
        "aarch64" | "arm64" | "armv8" | "arm64e" => "arm64",
        "armv7l" | "armv7" | "armhf" | "arm" => "arm",
        "i386" | "i686" | "x86" | "386" => "386",
        "ppc64le" => "ppc64le",
        "s390x" => "s390x",
        "riscv64" => "riscv64",
        _ => return lower,
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arch_names_from_uname_and_go_agree() {
        assert_eq!(normalize_arch("x86_64"), "amd64");
        assert_eq!(normalize_arch("amd64"), "amd64");
        assert_eq!(normalize_arch("aarch64"), "arm64");
        assert_eq!(normalize_arch("arm64"), "arm64");
        assert_eq!(normalize_arch("armv7l"), "arm");
        assert_eq!(normalize_arch("mips64"), "mips64");
    }

    #[test]
    fn display_quotes_go_templates() {
        let spec = CommandSpec::new(
            "docker",
            &["version", "--format", "{{json .}}"],
            Duration::from_secs(1),
        );
        assert_eq!(spec.display(), "docker version --format '{{json .}}'");
    }
}
