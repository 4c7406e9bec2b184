//! A probe made of captured outputs (src/doctor/fixtures/) for the unit tests.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::probe::{
    BindError, CommandOutput, CommandSpec, DiskSpace, OsFamily, PathInfo, PathKind, Platform,
    Probe, UserInfo,
};

pub const VERSION: &str = "docker version --format '{{json .}}'";
pub const INFO: &str = "docker info --format '{{json .}}'";
pub const CONTEXTS: &str = "docker context ls --format '{{json .}}'";
pub const DOCKER_V: &str = "docker --version";
pub const COMPOSE: &str = "docker compose version";
pub const COMPOSE_V1: &str = "docker-compose version --short";
pub const BUILDX: &str = "docker buildx version";
pub const CLIENT_INFO: &str = "docker info --format '{{json .ClientInfo}}'";
pub const PULL: &str = "docker pull --quiet hello-world:latest";
pub const SYSTEM_DF: &str = "docker system df --format '{{json .}}'";
pub const SOCKET: &str = "/var/run/docker.sock";

/// A captured output: `# how`, `$ command`, `exit: N`, `--- stdout`, `--- stderr`.
pub fn fixture(name: &str) -> CommandOutput {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/doctor/fixtures")
        .join(format!("{name}.txt"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (head, rest) = text.split_once("--- stdout\n").expect("--- stdout marker");
    let (stdout, stderr) = rest.split_once("--- stderr\n").expect("--- stderr marker");
    let exit = head
        .lines()
        .find_map(|l| l.strip_prefix("exit: "))
        .and_then(|c| c.trim().parse().ok())
        .expect("exit: line");
    CommandOutput::exited(exit, stdout, stderr)
}

pub struct FakeProbe {
    pub commands: HashMap<String, CommandOutput>,
    pub on_path: HashMap<String, PathBuf>,
    pub env: HashMap<String, String>,
    pub paths: HashMap<PathBuf, PathInfo>,
    pub files: HashMap<PathBuf, String>,
    pub ports: HashMap<u16, BindError>,
    pub disk: Option<DiskSpace>,
    pub platform: Platform,
    pub user: UserInfo,
    /// Every command run, as displayed.
    pub calls: Mutex<Vec<String>>,
    /// A command whose run panics (to test that a crashing check cannot hang the others).
    pub panic_on: Option<String>,
}

impl FakeProbe {
    /// Nothing installed, Linux amd64, user alice (uid 1000, groups 1000).
    pub fn empty() -> Self {
        FakeProbe {
            commands: HashMap::new(),
            on_path: HashMap::new(),
            env: HashMap::new(),
            paths: HashMap::new(),
            files: HashMap::new(),
            ports: HashMap::new(),
            disk: None,
            platform: Platform {
                os: OsFamily::Linux,
                arch: "amd64".into(),
                wsl: false,
            },
            user: UserInfo {
                uid: 1000,
                groups: vec![1000],
                name: Some("alice".into()),
            },
            calls: Mutex::new(Vec::new()),
            panic_on: None,
        }
    }

    /// This machine as captured: CLI 28.2, engine 20.10, compose shim, no buildx, alice in docker group.
    pub fn healthy() -> Self {
        let mut fake = FakeProbe::empty()
            .program("docker", "/usr/local/bin/docker")
            .program("docker-compose", "/usr/bin/docker-compose")
            .cmd(DOCKER_V, "dockerv_28")
            .cmd(VERSION, "version_healthy_28")
            .cmd(INFO, "info_healthy_28")
            .cmd(CONTEXTS, "context_ls_default_28")
            .cmd(CLIENT_INFO, "clientinfo_shim_28")
            .cmd(COMPOSE, "compose_shim_28")
            .cmd(BUILDX, "buildx_missing_28")
            .socket(SOCKET, 0o660, 999, true)
            .file(
                "/etc/group",
                "root:x:0:\ndocker:x:999:alice\nalice:x:1000:\n",
            );
        fake.user.groups.push(999);
        fake.disk = Some(DiskSpace {
            available: 40 * 1024 * 1024 * 1024,
            total: 100 * 1024 * 1024 * 1024,
        });
        fake
    }

    pub fn cmd(mut self, display: &str, fixture_name: &str) -> Self {
        self.commands.insert(display.into(), fixture(fixture_name));
        self
    }

    pub fn output(mut self, display: &str, output: CommandOutput) -> Self {
        self.commands.insert(display.into(), output);
        self
    }

    pub fn program(mut self, name: &str, path: &str) -> Self {
        self.on_path.insert(name.into(), PathBuf::from(path));
        self
    }

    pub fn env(mut self, name: &str, value: &str) -> Self {
        self.env.insert(name.into(), value.into());
        self
    }

    pub fn socket(mut self, path: &str, mode: u32, gid: u32, read_write: bool) -> Self {
        self.paths.insert(
            PathBuf::from(path),
            PathInfo {
                kind: PathKind::Socket,
                mode,
                gid,
                read_write,
            },
        );
        self
    }

    pub fn file(mut self, path: &str, text: &str) -> Self {
        self.files.insert(PathBuf::from(path), text.into());
        self
    }

    pub fn calls(&self) -> Vec<String> {
        self.calls.lock().expect("calls lock").clone()
    }
}

impl Probe for FakeProbe {
    fn run(&self, spec: &CommandSpec) -> CommandOutput {
        let display = spec.display();
        self.calls.lock().expect("calls lock").push(display.clone());
        if self.panic_on.as_deref() == Some(display.as_str()) {
            panic!("FakeProbe told to panic on `{display}`");
        }
        self.commands
            .get(&display)
            .cloned()
            .unwrap_or_else(|| CommandOutput {
                spawn_error: Some(format!("FakeProbe has no output for `{display}`")),
                ..Default::default()
            })
    }

    fn which(&self, program: &str) -> Option<PathBuf> {
        self.on_path.get(program).cloned()
    }

    fn env(&self, name: &str) -> Option<String> {
        self.env.get(name).cloned()
    }

    fn path_info(&self, path: &Path) -> Option<PathInfo> {
        self.paths.get(path).copied()
    }

    fn read_to_string(&self, path: &Path) -> Option<String> {
        self.files.get(path).cloned()
    }

    fn bind_tcp(&self, port: u16) -> Result<(), BindError> {
        self.ports.get(&port).cloned().map_or(Ok(()), Err)
    }

    fn disk_space(&self, _path: &Path) -> Option<DiskSpace> {
        self.disk
    }

    fn platform(&self) -> Platform {
        self.platform.clone()
    }

    fn user(&self) -> UserInfo {
        self.user.clone()
    }
}
