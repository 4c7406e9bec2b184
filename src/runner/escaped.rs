//! Finding and stopping every process a step started, including those that left its process
//! group (`setsid cmd &`, a daemonizing server): each step run carries a unique
//! `DOCKER_GUIDE_RUN` token in its environment, which its descendants inherit, and `/proc`
//! tells which live processes hold it. Linux only; elsewhere only the process group is known.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[cfg(unix)]
use nix::sys::signal::{Signal, kill};
#[cfg(unix)]
use nix::unistd::Pid;

/// Set on every process the runner starts: a token unique to one run of one command.
pub const RUN_ENV: &str = "DOCKER_GUIDE_RUN";

/// How often liveness is polled while waiting for stopped processes to go.
const POLL: Duration = Duration::from_millis(25);

static NEXT_TOKEN: AtomicU64 = AtomicU64::new(1);

/// A token no other run of this or another docker-guide process carries.
pub(crate) fn new_token() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        NEXT_TOKEN.fetch_add(1, Ordering::Relaxed)
    )
}

/// A live process carrying a run's token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Marked {
    pub pid: i32,
    /// Its process group: a process outside the step's group escaped it.
    pub pgid: i32,
    /// argv, as `/proc/PID/cmdline` has it.
    pub argv: Vec<String>,
    /// Its environment (for a docker client: which engine it talks to).
    pub env: Vec<(String, String)>,
}

impl Marked {
    /// `pid 123 \`sleep 1000\``, for messages (the command cut at 60 characters).
    pub fn describe(&self) -> String {
        let mut command = self.argv.join(" ");
        if command.chars().count() > 60 {
            command = command.chars().take(59).collect::<String>() + "…";
        }
        let command = crate::lesson::printable_line(&command).into_owned();
        format!("pid {} `{command}`", self.pid)
    }
}

/// Every process `/proc` lists: its pid and its `/proc/PID` folder (none when `/proc` can't
/// be read). The one walk behind finding escaped step processes and `reset`'s leftovers.
#[cfg(target_os = "linux")]
pub fn proc_processes() -> impl Iterator<Item = (i32, std::path::PathBuf)> {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let pid = entry.file_name().to_str()?.parse::<i32>().ok()?;
            Some((pid, entry.path()))
        })
}

/// The live processes (not zombies, not us) whose environment holds `RUN_ENV=token`.
#[cfg(target_os = "linux")]
pub(crate) fn marked(token: &str) -> Vec<Marked> {
    marked_among(token, &|_| true)
}

/// [`marked`], looking only at the pids `candidate` accepts.
#[cfg(target_os = "linux")]
fn marked_among(token: &str, candidate: &dyn Fn(i32) -> bool) -> Vec<Marked> {
    let needle = format!("{RUN_ENV}={token}");
    let finder = memchr::memmem::Finder::new(needle.as_bytes());
    let me = std::process::id() as i32;
    let mut found = Vec::new();
    // One buffer for every process: `fs::read` on a /proc file (size 0) starts at 32 bytes
    // and doubles, ~8 reads for a usual environment, for each of the machine's processes.
    let mut environ = Vec::with_capacity(64 * 1024);
    for (pid, dir) in proc_processes() {
        if pid == me || !candidate(pid) {
            continue;
        }
        environ.clear();
        let read = std::fs::File::open(dir.join("environ"))
            .and_then(|mut file| std::io::Read::read_to_end(&mut file, &mut environ));
        if read.is_err() || !holds(&environ, &finder) {
            continue;
        }
        let Some((state, pgid)) = stat_state_and_pgid(pid) else {
            continue;
        };
        if state == 'Z' || state == 'X' {
            continue;
        }
        let argv = std::fs::read(dir.join("cmdline"))
            .unwrap_or_default()
            .split(|&b| b == 0)
            .filter(|a| !a.is_empty())
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        let env = environ
            .split(|&b| b == 0)
            .filter_map(|v| {
                let v = String::from_utf8_lossy(v);
                let (k, val) = v.split_once('=')?;
                Some((k.to_owned(), val.to_owned()))
            })
            .collect();
        found.push(Marked {
            pid,
            pgid,
            argv,
            env,
        });
    }
    found
}

/// How soon after its start a step must end for [`stop_left`] to look only at the pids given
/// out since: 32,768 pids (the smallest usual `pid_max`) in 100 ms is 327,680 forks or threads
/// a second, far past what a machine does, so the pids cannot have wrapped past the step's.
const YOUNG: Duration = Duration::from_millis(100);

/// What a step that ended by itself `ran` after its start left running, stopped (see
/// [`stop_all`]). Most steps leave nothing; for one that ended within [`YOUNG`], whatever
/// carries its token was started after its shell (pid `pgid`), so only the pids given out
/// since then are read (the machine's other processes are most of the scan).
#[cfg(unix)]
pub(crate) fn stop_left(token: &str, pgid: i32, ran: Duration) -> Vec<Marked> {
    #[cfg(target_os = "linux")]
    if ran < YOUNG
        && !group_alive(pgid)
        && let Some(new) = pids_since(pgid)
        && marked_among(token, &new).is_empty()
    {
        return Vec::new();
    }
    let _ = ran;
    stop_all(token, pgid, super::KILL_GRACE, &mut || false)
}

/// Which pids were given out from `first` on (the kernel's last pid read now), wrapping past
/// `pid_max` to the lowest; None when the kernel does not say, or `pid_max` is unusually low.
#[cfg(target_os = "linux")]
fn pids_since(first: i32) -> Option<impl Fn(i32) -> bool> {
    let read =
        |path: &str| -> Option<i32> { std::fs::read_to_string(path).ok()?.trim().parse().ok() };
    let last = read("/proc/sys/kernel/ns_last_pid")?;
    let max = read("/proc/sys/kernel/pid_max")?;
    (max >= 32_768 && first > 0).then(|| given_out(first, last))
}

/// The pids from `first` to `last`, through the wrap when `last` is below `first`.
#[cfg(target_os = "linux")]
fn given_out(first: i32, last: i32) -> impl Fn(i32) -> bool {
    move |pid| {
        if last >= first {
            (first..=last).contains(&pid)
        } else {
            pid >= first || pid <= last
        }
    }
}

/// Whether the NUL-separated `environ` has an entry equal to `finder`'s needle: a substring
/// search (the scan reads every process's environment), then the entry's bounds checked.
#[cfg(target_os = "linux")]
fn holds(environ: &[u8], finder: &memchr::memmem::Finder) -> bool {
    let len = finder.needle().len();
    finder.find_iter(environ).any(|at| {
        (at == 0 || environ[at - 1] == 0) && environ.get(at + len).is_none_or(|&b| b == 0)
    })
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn marked(_token: &str) -> Vec<Marked> {
    Vec::new()
}

/// State letter and process group of `pid`, from `/proc/PID/stat` (the command name in
/// parentheses may hold spaces and parentheses: fields are counted after the last `)`).
#[cfg(target_os = "linux")]
fn stat_state_and_pgid(pid: i32) -> Option<(char, i32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let _ppid = fields.next()?;
    let pgid = fields.next()?.parse().ok()?;
    Some((state, pgid))
}

/// Stops the step's process group and every process carrying `token`: SIGTERM, then SIGKILL
/// to whatever is left after `grace` (or at once when `hurry` says so). Returns the marked
/// processes that were alive when it began.
#[cfg(unix)]
pub(crate) fn stop_all(
    token: &str,
    pgid: i32,
    grace: Duration,
    hurry: &mut dyn FnMut() -> bool,
) -> Vec<Marked> {
    // The group checked before the scan: gone then, and nothing carrying the token found
    // after, means nothing is left to stop (most steps), so the second /proc scan below —
    // half of `run`'s cost over the bare command for a quick step — is skipped.
    let group_gone = !group_alive(pgid);
    let alive = marked(token);
    if alive.is_empty() && group_gone {
        return alive;
    }
    let signal_all = |signal: Signal, procs: &[Marked]| {
        super::spawn::signal_group(pgid, signal);
        for p in procs {
            let _ = kill(Pid::from_raw(p.pid), signal);
        }
    };
    signal_all(Signal::SIGTERM, &alive);
    let deadline = Instant::now() + grace;
    let mut left;
    loop {
        let group_gone = !group_alive(pgid);
        left = marked(token);
        if left.is_empty() && group_gone {
            return alive;
        }
        if Instant::now() >= deadline || hurry() {
            break;
        }
        std::thread::sleep(POLL);
    }
    signal_all(Signal::SIGKILL, &left);
    alive
}

/// Stops a cancelled or timed-out step: the containers of its live `docker run` clients
/// (found before the clients die), then its processes, then those containers. Returns the
/// notes for the learner.
#[cfg(unix)]
pub(crate) fn stop_step(token: &str, pgid: i32, hurry: &mut dyn FnMut() -> bool) -> Vec<String> {
    let grace = super::KILL_GRACE;
    let containers = super::containers::run_by(&marked(token));
    let stopped = stop_all(token, pgid, grace, hurry);
    let mut notes: Vec<String> = note(&stopped, pgid, false).into_iter().collect();
    notes.extend(
        super::containers::stop(&containers, grace)
            .into_iter()
            .map(|line| format!("\n[docker-guide] {line}\n")),
    );
    notes
}

/// Whether any process of group `pgid` still exists.
#[cfg(unix)]
fn group_alive(pgid: i32) -> bool {
    // No signal: only checks that the group exists.
    pgid > 0 && nix::sys::signal::killpg(Pid::from_raw(pgid), None).is_ok()
}

/// What the learner reads when processes outlived their step: named, with what was done.
pub(crate) fn note(procs: &[Marked], step_pgid: i32, step_ended: bool) -> Option<String> {
    if procs.is_empty() {
        return None;
    }
    let named: Vec<String> = procs.iter().map(Marked::describe).collect();
    let escaped = procs.iter().any(|p| p.pgid != step_pgid);
    let mut text = String::from("\n[docker-guide] ");
    if step_ended {
        text.push_str(&format!(
            "still running after the step ended{}: {}; stopped. A server the lesson keeps running needs the `background` attribute (with `ready=`).",
            if escaped { " (it left the step's process group)" } else { "" },
            named.join(", ")
        ));
    } else if escaped {
        text.push_str(&format!(
            "escaped the step's process group: {}; stopped.",
            named.join(", ")
        ));
    } else {
        return None;
    }
    text.push('\n');
    Some(text)
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn the_pids_given_out_since_a_step_began_wrap_past_pid_max() {
        let new = given_out(100, 200);
        assert!(new(100) && new(150) && new(200));
        assert!(!new(99) && !new(201) && !new(1));
        let wrapped = given_out(32_000, 300);
        assert!(wrapped(32_000) && wrapped(32_767) && wrapped(2) && wrapped(300));
        assert!(!wrapped(301) && !wrapped(31_999));
        // A live process started now has a pid the kernel says was given out.
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .unwrap();
        let since = pids_since(child.id() as i32).expect("ns_last_pid and pid_max");
        assert!(since(child.id() as i32));
        let _ = child.kill();
        let _ = child.wait();
    }

    #[test]
    fn a_quick_step_that_left_a_process_behind_has_it_found_among_the_new_pids() {
        // The step's shell: gone already, its pid the first of the step's.
        let mut shell = std::process::Command::new("true").spawn().unwrap();
        let first = shell.id() as i32;
        shell.wait().unwrap();
        let token = new_token();
        let mut escaped = std::process::Command::new("setsid")
            .args(["sleep", "30"])
            .env(RUN_ENV, &token)
            .spawn()
            .unwrap();
        let stopped = stop_left(&token, first, Duration::ZERO);
        assert_eq!(stopped.len(), 1, "{stopped:?}");
        assert_eq!(stopped[0].pid, escaped.id() as i32);
        let _ = escaped.wait();
        assert!(marked(&token).is_empty());
    }

    #[test]
    fn a_token_is_found_only_as_a_whole_entry() {
        let finder = memchr::memmem::Finder::new(b"DOCKER_GUIDE_RUN=7-1");
        for (environ, expected) in [
            (&b"DOCKER_GUIDE_RUN=7-1"[..], true),
            (b"A=1\0DOCKER_GUIDE_RUN=7-1\0B=2\0", true),
            (b"A=1\0DOCKER_GUIDE_RUN=7-1", true),
            (b"DOCKER_GUIDE_RUN=7-10\0", false),
            (b"XDOCKER_GUIDE_RUN=7-1\0", false),
            (b"A=DOCKER_GUIDE_RUN=7-1\0", false),
            (b"A=DOCKER_GUIDE_RUN=7-1\0DOCKER_GUIDE_RUN=7-1\0", true),
            (b"", false),
        ] {
            assert_eq!(
                holds(environ, &finder),
                expected,
                "{}",
                String::from_utf8_lossy(environ)
            );
        }
    }

    #[test]
    fn finds_a_process_that_left_the_group_by_its_token_and_stops_it() {
        let token = new_token();
        let mut child = std::process::Command::new("setsid")
            .args(["sleep", "30"])
            .env(RUN_ENV, &token)
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        let found = loop {
            let found = marked(&token);
            // Until `setsid` has exec'd `sleep`.
            let execd = found
                .first()
                .is_some_and(|p| p.argv.first().is_some_and(|a| a == "sleep"));
            if execd || Instant::now() > deadline {
                break found;
            }
            std::thread::sleep(POLL);
        };
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].argv, ["sleep", "30"]);
        assert!(found[0].describe().ends_with("`sleep 30`"));
        assert!(
            marked(&new_token()).is_empty(),
            "another token finds nothing"
        );
        let stopped = stop_all(&token, 0, Duration::from_secs(2), &mut || false);
        assert_eq!(stopped.len(), 1);
        let _ = child.wait();
        assert!(marked(&token).is_empty());
    }
}
