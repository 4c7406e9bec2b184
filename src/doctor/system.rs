//! The real probe: runs commands through `runner::capture` (own process group, hard timeout),
//! asks the OS.

use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::probe::{
    BindError, CommandOutput, CommandSpec, DiskSpace, OsFamily, PathInfo, PathKind, Platform,
    Probe, UserInfo, normalize_arch,
};

/// The probe that touches the real machine.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemProbe;

impl Probe for SystemProbe {
    fn run(&self, spec: &CommandSpec) -> CommandOutput {
        run_with_timeout(spec)
    }

    fn which(&self, program: &str) -> Option<PathBuf> {
        which::which(program).ok()
    }

    fn env(&self, name: &str) -> Option<String> {
        crate::settings::inherited(name).filter(|v| !v.is_empty())
    }

    fn path_info(&self, path: &Path) -> Option<PathInfo> {
        path_info(path)
    }

    fn read_to_string(&self, path: &Path) -> Option<String> {
        std::fs::read_to_string(path).ok()
    }

    fn bind_tcp(&self, port: u16) -> Result<(), BindError> {
        match TcpListener::bind((Ipv4Addr::UNSPECIFIED, port)) {
            Ok(listener) => {
                drop(listener);
                Ok(())
            }
            Err(err) => Err(match err.kind() {
                std::io::ErrorKind::AddrInUse => BindError::InUse,
                std::io::ErrorKind::PermissionDenied => BindError::PermissionDenied,
                _ => BindError::Other(err.to_string()),
            }),
        }
    }

    fn disk_space(&self, path: &Path) -> Option<DiskSpace> {
        disk_space(path)
    }

    fn platform(&self) -> Platform {
        let os = match std::env::consts::OS {
            "linux" => OsFamily::Linux,
            "macos" => OsFamily::Macos,
            "windows" => OsFamily::Windows,
            _ => OsFamily::Other,
        };
        let wsl = os == OsFamily::Linux
            && (self.env("WSL_DISTRO_NAME").is_some()
                || std::fs::read_to_string("/proc/sys/kernel/osrelease")
                    .is_ok_and(|r| r.to_ascii_lowercase().contains("microsoft")));
        Platform {
            os,
            arch: normalize_arch(std::env::consts::ARCH),
            wsl,
        }
    }

    fn user(&self) -> UserInfo {
        user_info()
    }
}

/// The runner owns processes: its own process group, hard timeout, group stopped on timeout.
fn run_with_timeout(spec: &CommandSpec) -> CommandOutput {
    let started = Instant::now();
    let env: Vec<(&str, &str)> = spec
        .env
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    match crate::runner::capture(&spec.program, &spec.args, &env, spec.timeout) {
        Ok(out) => CommandOutput {
            exit_code: out.exit_code,
            stdout: out.stdout,
            stderr: out.stderr,
            timed_out: out.timed_out,
            duration: out.duration,
            spawn_error: None,
        },
        Err(err) => CommandOutput {
            spawn_error: Some(err.to_string()),
            duration: started.elapsed(),
            ..Default::default()
        },
    }
}

#[cfg(unix)]
fn path_info(path: &Path) -> Option<PathInfo> {
    use nix::unistd::AccessFlags;
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let meta = std::fs::metadata(path).ok()?;
    let file_type = meta.file_type();
    let kind = if file_type.is_socket() {
        PathKind::Socket
    } else if file_type.is_dir() {
        PathKind::Dir
    } else if file_type.is_file() {
        PathKind::File
    } else {
        PathKind::Other
    };
    let read_write = nix::unistd::access(path, AccessFlags::R_OK | AccessFlags::W_OK).is_ok();
    Some(PathInfo {
        kind,
        mode: meta.mode() & 0o7777,
        gid: meta.gid(),
        read_write,
    })
}

#[cfg(not(unix))]
fn path_info(path: &Path) -> Option<PathInfo> {
    let meta = std::fs::metadata(path).ok()?;
    let kind = if meta.is_dir() {
        PathKind::Dir
    } else if meta.is_file() {
        PathKind::File
    } else {
        PathKind::Other
    };
    Some(PathInfo {
        kind,
        mode: 0,
        gid: 0,
        read_write: !meta.permissions().readonly(),
    })
}

#[cfg(unix)]
fn disk_space(path: &Path) -> Option<DiskSpace> {
    let stat = nix::sys::statvfs::statvfs(path).ok()?;
    let fragment = stat.fragment_size() as u64;
    Some(DiskSpace {
        available: stat.blocks_available() as u64 * fragment,
        total: stat.blocks() as u64 * fragment,
    })
}

#[cfg(not(unix))]
fn disk_space(_path: &Path) -> Option<DiskSpace> {
    None
}

#[cfg(unix)]
fn user_info() -> UserInfo {
    use nix::unistd::{User, getgid, getgroups, getuid};
    let (uid, gid) = (getuid(), getgid());
    let mut groups: Vec<u32> = getgroups()
        .unwrap_or_default()
        .into_iter()
        .map(|g| g.as_raw())
        .collect();
    if !groups.contains(&gid.as_raw()) {
        groups.push(gid.as_raw());
    }
    // The login name of `uid` (not `$USER`, which `setpriv`/`sudo` may leave pointing
    // elsewhere).
    let name = User::from_uid(uid)
        .ok()
        .flatten()
        .map(|user| user.name)
        .or_else(|| SystemProbe.env("USER"));
    UserInfo {
        uid: uid.as_raw(),
        groups,
        name,
    }
}

#[cfg(not(unix))]
fn user_info() -> UserInfo {
    UserInfo {
        name: SystemProbe.env("USERNAME"),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn captures_streams_and_exit_code() {
        let spec = CommandSpec::new(
            "sh",
            &["-c", "echo out; echo err >&2; exit 3"],
            Duration::from_secs(5),
        );
        let out = SystemProbe.run(&spec);
        assert_eq!(out.exit_code, Some(3));
        assert_eq!(out.stdout, "out\n");
        assert_eq!(out.stderr, "err\n");
        assert!(!out.timed_out);
    }

    #[test]
    fn a_timeout_comes_back_as_a_hung_command() {
        // Stopping the whole process group is `runner::capture`'s (tested there, with a
        // grandchild that ignores SIGTERM); here: its result reaches the doctor as hung.
        let spec = CommandSpec::new("sleep", &["30"], Duration::from_millis(300));
        let out = SystemProbe.run(&spec);
        assert!(out.timed_out && out.exit_code.is_none(), "{out:?}");
        assert!(out.spawn_error.is_none() && !out.success());
        assert!(out.duration < Duration::from_secs(3), "{:?}", out.duration);
    }

    #[test]
    fn missing_program_is_a_spawn_error() {
        let spec = CommandSpec::new("dg-test-no-such-program", &[], Duration::from_secs(1));
        let out = SystemProbe.run(&spec);
        assert!(out.spawn_error.is_some());
        assert!(!out.success());
    }

    #[test]
    fn disk_space_of_root_is_known() {
        let space = SystemProbe.disk_space(Path::new("/")).expect("statvfs /");
        assert!(space.total >= space.available);
        assert!(space.total > 0);
    }

    #[test]
    fn bind_reports_a_port_in_use() {
        let held = TcpListener::bind((Ipv4Addr::UNSPECIFIED, 0)).expect("bind");
        let port = held.local_addr().expect("addr").port();
        assert_eq!(SystemProbe.bind_tcp(port), Err(BindError::InUse));
        drop(held);
        // Another process may briefly take the freed ephemeral port; retry before failing.
        let freed = (0..50).any(|_| {
            let ok = SystemProbe.bind_tcp(port).is_ok();
            if !ok {
                std::thread::sleep(Duration::from_millis(20));
            }
            ok
        });
        assert!(freed, "port {port} still busy after release");
    }
}
