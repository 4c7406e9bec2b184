//! The docker CLI calls bundles need, each bounded in time: a hard timeout for short queries,
//! an inactivity timeout for streams (`save`, `load`, `pull`) whose length depends on the images.

use std::ffi::OsString;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};

use std::time::Duration;

use super::BundleError;
use super::watchdog::{ActivityReader, ActivityWriter, Watchdog, read_all, read_tail};

/// Short queries (`image inspect`, `version`).
const QUERY_TIMEOUT: Duration = Duration::from_secs(30);
/// A stream with no progress for this long is considered hung and killed.
const STALL_TIMEOUT: Duration = Duration::from_secs(300);

/// Keeps "What's next" hints out of the output we parse.
const NO_HINTS: (&str, &str) = ("DOCKER_CLI_HINTS", "false");

fn spawn_error(err: io::Error) -> BundleError {
    match err.kind() {
        io::ErrorKind::NotFound => BundleError::DockerNotFound,
        _ => BundleError::Spawn(err),
    }
}

/// What `docker image inspect` says about an image present locally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageInfo {
    pub id: String,
    pub size: u64,
    /// `os/architecture`, e.g. `linux/amd64`.
    pub platform: String,
}

/// The docker CLI (`docker` on PATH, or another program for tests).
#[derive(Debug, Clone)]
pub struct DockerCli {
    program: OsString,
    stall_timeout: Duration,
}

impl Default for DockerCli {
    fn default() -> Self {
        DockerCli {
            program: "docker".into(),
            stall_timeout: STALL_TIMEOUT,
        }
    }
}

impl DockerCli {
    pub fn new(program: impl Into<OsString>) -> Self {
        DockerCli {
            program: program.into(),
            ..DockerCli::default()
        }
    }

    pub fn with_stall_timeout(mut self, timeout: Duration) -> Self {
        self.stall_timeout = timeout;
        self
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.program);
        cmd.args(args).env(NO_HINTS.0, NO_HINTS.1);
        cmd
    }

    /// Starts a streaming command (`pull`, `save`, `load`) with stdout and stderr piped.
    fn spawn_piped(&self, args: &[&str], stdin: Stdio) -> Result<Child, BundleError> {
        self.command(args)
            .stdin(stdin)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(spawn_error)
    }

    /// Runs a short command to completion: `(exit code, stdout, stderr)`; at `timeout` its
    /// process group is stopped (`runner::capture`).
    fn query(
        &self,
        args: &[&str],
        timeout: Duration,
    ) -> Result<(Option<i32>, String, String), BundleError> {
        let out = crate::runner::capture(&self.program, args, &[NO_HINTS], timeout)
            .map_err(spawn_error)?;
        if out.timed_out {
            return Err(BundleError::Timeout {
                command: args.join(" "),
                secs: timeout.as_secs(),
            });
        }
        Ok((out.exit_code, out.stdout, out.stderr))
    }

    /// The image's id, size and platform, or `None` when it is not present locally.
    pub fn inspect(&self, image: &str) -> Result<Option<ImageInfo>, BundleError> {
        let format = "{{.Id}} {{.Size}} {{.Os}}/{{.Architecture}}";
        let (code, stdout, stderr) = self.query(
            &["image", "inspect", "--format", format, image],
            QUERY_TIMEOUT,
        )?;
        if code != Some(0) {
            if stderr.to_lowercase().contains("no such image") || stderr.contains("No such object")
            {
                return Ok(None);
            }
            return Err(failed(&format!("image inspect {image}"), code, &stderr));
        }
        let mut parts = stdout.split_whitespace();
        let (Some(id), Some(size), Some(platform)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(failed(
                &format!("image inspect {image}"),
                code,
                &format!("unexpected output: {stdout}"),
            ));
        };
        Ok(Some(ImageInfo {
            id: id.to_owned(),
            size: size.parse().unwrap_or(0),
            platform: platform.to_owned(),
        }))
    }

    /// Whether a container of that name exists (running or not).
    pub fn container_exists(&self, name: &str) -> Result<bool, BundleError> {
        let (code, _, stderr) = self.query(
            &["container", "inspect", "--format", "{{.Id}}", name],
            QUERY_TIMEOUT,
        )?;
        match code {
            Some(0) => Ok(true),
            _ if stderr.contains("No such container") || stderr.contains("No such object") => {
                Ok(false)
            }
            _ => Err(failed(&format!("container inspect {name}"), code, &stderr)),
        }
    }

    /// `docker rm -f NAME`: stops and removes the container.
    pub fn remove_container(&self, name: &str) -> Result<(), BundleError> {
        let (code, _, stderr) = self.query(&["rm", "-f", name], QUERY_TIMEOUT)?;
        if code != Some(0) {
            return Err(failed(&format!("rm -f {name}"), code, &stderr));
        }
        Ok(())
    }

    /// The engine's `os/arch` (Go style, e.g. `linux/amd64`).
    pub fn engine_platform(&self) -> Result<String, BundleError> {
        let (code, stdout, stderr) = self.query(
            &["version", "--format", "{{.Server.Os}}/{{.Server.Arch}}"],
            QUERY_TIMEOUT,
        )?;
        if code != Some(0) {
            return Err(failed("version", code, &stderr));
        }
        Ok(stdout.trim().to_owned())
    }

    /// `docker pull`, each output line passed to `on_line`.
    pub fn pull(&self, image: &str, on_line: &mut dyn FnMut(&str)) -> Result<(), BundleError> {
        let mut child = self.spawn_piped(&["pull", image], Stdio::null())?;
        let stderr = read_tail(child.stderr.take());
        let stdout = child.stdout.take().expect("piped");
        let watch = Watchdog::start(child, self.stall_timeout);
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            watch.activity();
            on_line(&line);
        }
        watch.finish(&format!("pull {image}"), stderr)
    }

    /// `docker save IMAGES…`: hands the stream to `consume` as it arrives.
    pub fn save(
        &self,
        images: &[String],
        consume: &mut dyn FnMut(&mut dyn Read) -> Result<(), BundleError>,
    ) -> Result<(), BundleError> {
        let mut args = vec!["save"];
        args.extend(images.iter().map(String::as_str));
        let mut child = self.spawn_piped(&args, Stdio::null())?;
        let stderr = read_tail(child.stderr.take());
        let stdout = child.stdout.take().expect("piped");
        let watch = Watchdog::start(child, self.stall_timeout);
        let mut reader = ActivityReader {
            inner: stdout,
            watch: &watch,
        };
        let consumed = consume(&mut reader);
        if consumed.is_err() {
            // Nobody reads the pipe any more: stop docker save rather than wait for it.
            watch.kill();
        }
        let finished = watch.finish("save", stderr);
        // A killed or failed `docker save` explains a broken stream better than the stream does.
        finished.and(consumed)
    }

    /// `docker load`: `produce` writes the image stream into it. Returns docker's output.
    pub fn load(
        &self,
        produce: &mut dyn FnMut(&mut dyn Write) -> Result<(), BundleError>,
    ) -> Result<String, BundleError> {
        let mut child = self.spawn_piped(&["load"], Stdio::piped())?;
        let stdout = read_all(child.stdout.take());
        let stderr = read_tail(child.stderr.take());
        let stdin = child.stdin.take().expect("piped");
        let watch = Watchdog::start(child, self.stall_timeout);
        let mut writer = ActivityWriter {
            inner: stdin,
            watch: &watch,
        };
        let produced = produce(&mut writer);
        drop(writer); // EOF for docker load
        let finished = watch.finish("load", stderr);
        finished.and(produced)?;
        Ok(String::from_utf8_lossy(&stdout.join().unwrap_or_default()).into_owned())
    }
}

pub(super) fn failed(command: &str, code: Option<i32>, stderr: &str) -> BundleError {
    BundleError::Docker {
        command: command.to_owned(),
        code: code.map_or_else(|| "none: killed".to_owned(), |c| c.to_string()),
        stderr: stderr.trim().to_owned(),
    }
}

#[cfg(all(test, unix))]
#[path = "docker_tests.rs"]
mod tests;
