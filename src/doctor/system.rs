//! The real probe: runs commands in their own process group with a hard timeout, asks the OS.

use std::io::Read;
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Instant;

use super::probe::{
    BindError, CommandOutput, CommandSpec, DiskSpace, OsFamily, PathInfo, PathKind, Platform,
    Probe, UserInfo, normalize_arch,
};

/// Output kept per stream; docker's JSON is a few KiB, this only guards against floods.
const MAX_CAPTURE: u64 = 4 * 1024 * 1024;

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
        std::env::var(name).ok().filter(|v| !v.is_empty())
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
            && (std::env::var_os("WSL_DISTRO_NAME").is_some()
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

fn run_with_timeout(spec: &CommandSpec) -> CommandOutput {
    let started = Instant::now();
    let mut command = Command::new(&spec.program);
    command
        .args(&spec.args)
        .envs(spec.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Own process group: on timeout the CLI and any plugin it started die together.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(err) => {
            return CommandOutput {
                spawn_error: Some(err.to_string()),
                duration: started.elapsed(),
                ..Default::default()
            };
        }
    };
    let pid = child.id();
    let stdout = child.stdout.take().map(spawn_reader);
    let stderr = child.stderr.take().map(spawn_reader);
    let (done_tx, done_rx) = mpsc::channel();
    let waiter = thread::spawn(move || {
        let status = child.wait();
        let _ = done_tx.send(());
        status
    });
    let timed_out = done_rx.recv_timeout(spec.timeout).is_err();
    if timed_out {
        kill_group(pid);
    }
    let status = waiter.join().ok().and_then(|s| s.ok());
    let collect = |reader: Option<thread::JoinHandle<Vec<u8>>>| {
        reader
            .and_then(|r| r.join().ok())
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default()
    };
    CommandOutput {
        exit_code: if timed_out {
            None
        } else {
            status.and_then(|s| s.code())
        },
        stdout: collect(stdout),
        stderr: collect(stderr),
        timed_out,
        duration: started.elapsed(),
        spawn_error: None,
    }
}

fn spawn_reader(mut stream: impl Read + Send + 'static) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = (&mut stream).take(MAX_CAPTURE).read_to_end(&mut buf);
        // Keep draining past the cap so a chatty child never blocks on a full pipe.
        let _ = std::io::copy(&mut stream, &mut std::io::sink());
        buf
    })
}

#[cfg(unix)]
fn kill_group(pid: u32) {
    // SAFETY: killpg only sends a signal; the group id is the child's pid (process_group(0)).
    unsafe {
        libc::killpg(pid as libc::pid_t, libc::SIGKILL);
    }
}

#[cfg(not(unix))]
fn kill_group(pid: u32) {
    let _ = Command::new("taskkill")
        .args(["/T", "/F", "/PID", &pid.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

#[cfg(unix)]
fn path_info(path: &Path) -> Option<PathInfo> {
    use std::os::unix::ffi::OsStrExt;
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
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    // SAFETY: c_path is a valid NUL-terminated string for the duration of the call.
    let read_write = unsafe { libc::access(c_path.as_ptr(), libc::R_OK | libc::W_OK) } == 0;
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
    use std::os::unix::ffi::OsStrExt;
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    // SAFETY: statvfs fills the zeroed struct; c_path outlives the call.
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(c_path.as_ptr(), &mut stat) } != 0 {
        return None;
    }
    let fragment = stat.f_frsize as u64;
    Some(DiskSpace {
        available: stat.f_bavail as u64 * fragment,
        total: stat.f_blocks as u64 * fragment,
    })
}

#[cfg(not(unix))]
fn disk_space(_path: &Path) -> Option<DiskSpace> {
    None
}

#[cfg(unix)]
fn user_info() -> UserInfo {
    // SAFETY: plain libc getters; the buffer is sized from the first call.
    let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
    let count = unsafe { libc::getgroups(0, std::ptr::null_mut()) };
    let mut groups = vec![0 as libc::gid_t; count.max(0) as usize];
    let filled = unsafe { libc::getgroups(count, groups.as_mut_ptr()) };
    groups.truncate(filled.max(0) as usize);
    if !groups.contains(&gid) {
        groups.push(gid);
    }
    let name = user_name(uid).or_else(|| std::env::var("USER").ok());
    UserInfo { uid, groups, name }
}

/// The login name of `uid` (not `$USER`, which `setpriv`/`sudo` may leave pointing elsewhere).
#[cfg(unix)]
fn user_name(uid: libc::uid_t) -> Option<String> {
    let mut buf = vec![0 as libc::c_char; 4096];
    // SAFETY: getpwuid_r writes into pwd and buf (sized above) and sets result on success.
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    let rc = unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result) };
    if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
        return None;
    }
    // SAFETY: pw_name points into buf, NUL-terminated, alive until buf drops.
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    Some(name.to_string_lossy().into_owned())
}

#[cfg(not(unix))]
fn user_info() -> UserInfo {
    UserInfo {
        name: std::env::var("USERNAME").ok(),
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
    fn timeout_kills_the_whole_group_including_grandchildren() {
        // The grandchild keeps stdout open: only killing the group lets the readers finish.
        let spec = CommandSpec::new(
            "sh",
            &["-c", "sleep 30 & echo started; wait"],
            Duration::from_millis(300),
        );
        let started = Instant::now();
        let out = SystemProbe.run(&spec);
        assert!(out.timed_out);
        assert_eq!(out.exit_code, None);
        assert_eq!(out.stdout, "started\n");
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
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
