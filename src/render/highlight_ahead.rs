//! Code blocks highlighted on other threads while `show` parses and draws. A coloured `show`
//! of the CommonMark spec spent 40 % of its time loading and compiling grammars before it
//! drew a row. Now each chapter's markdown is handed to a worker as it is read
//! ([`highlight_ahead_of`], before the parse), which looks for its fenced blocks; the writer
//! queues the rest when it starts; worker threads highlight them into the cache in order. The writer never waits for one:
//! a block not ready yet is drawn without syntax styles and restyled when it is, before its
//! rows are printed (`ahead`).

use std::borrow::Cow;
use std::collections::{HashSet, VecDeque};
use std::panic::AssertUnwindSafe;
use std::sync::{Condvar, LazyLock, Mutex, MutexGuard};

use super::fences::fenced_blocks;
use super::highlight::is_highlighted_live;
use super::highlight_cache::{
    CACHE_LIMIT, cache_key, cache_len, highlight_cached, parallel_enabled,
};
use super::theme::Theme;

/// Blocks are highlighted ahead for coloured output only.
static THEME: LazyLock<Theme> = LazyLock::new(|| Theme::new(true));

#[derive(Default)]
struct Queue {
    /// Markdown to look through for fenced blocks (first: blocks are found sooner).
    texts: VecDeque<String>,
    todo: VecDeque<(String, String)>,
    /// Blocks queued or being highlighted (cache keys).
    pending: HashSet<u64>,
    /// Every block ever queued: none is highlighted twice.
    seen: HashSet<u64>,
    workers: usize,
}

#[derive(Default)]
struct Ahead {
    queue: Mutex<Queue>,
    /// A block was queued.
    work: Condvar,
    /// A block was highlighted.
    done: Condvar,
}

static AHEAD: LazyLock<Ahead> = LazyLock::new(Ahead::default);

fn lock() -> MutexGuard<'static, Queue> {
    AHEAD.queue.lock().unwrap_or_else(|e| e.into_inner())
}

/// Threads that highlight ahead: one fewer than the cores (the writer has one), at most 3.
pub(crate) fn worker_count() -> usize {
    // Asked once: std reads the affinity mask and the cgroup's CPU quota files each time.
    static COUNT: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *COUNT.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        cores.saturating_sub(1).min(3)
    })
}

/// Whether the writer may draw a block before its highlighting is ready: in `show`
/// ([`super::enable_parallel_highlighting`]), in colour, with a core to spare.
pub(crate) fn active(theme: &Theme) -> bool {
    theme.color && parallel_enabled() && worker_count() > 0
}

/// Has a worker look through a chapter's markdown for fenced code blocks and queue them, as
/// the markdown is read before it is parsed (a hook `show` gives the lesson loader when its
/// output is coloured). The copy costs the writer's thread less than the look did (2 M
/// instructions on the CommonMark spec).
pub fn highlight_ahead_of(markdown: &str) {
    if active(&THEME) {
        let mut queue = lock();
        queue.texts.push_back(markdown.to_string());
        start_workers(queue);
    }
}

/// Queues the blocks that are highlighted live, have not been queued before, and fit in the
/// cache (past its limit it starts over, which would drop what was highlighted ahead: a
/// chapter of 5,000 steps); starts the workers the first time.
pub(crate) fn queue<'a>(blocks: impl IntoIterator<Item = (String, Cow<'a, str>)>) {
    let threads = worker_count();
    if threads == 0 {
        return;
    }
    let cached = cache_len();
    let mut queue = lock();
    for (lang, code) in blocks {
        if queue.pending.len() + cached >= CACHE_LIMIT || !is_highlighted_live(&lang, &code) {
            continue;
        }
        let key = cache_key(&code, &lang, &THEME);
        if queue.seen.insert(key) {
            queue.pending.insert(key);
            queue.todo.push_back((lang, code.into_owned()));
        }
    }
    start_workers(queue);
}

/// Starts workers for what is queued, up to [`worker_count`], and wakes them.
fn start_workers(mut queue: MutexGuard<'static, Queue>) {
    let started = queue.workers;
    let jobs = queue.texts.len() + queue.todo.len();
    while queue.workers < worker_count().min(jobs) {
        match std::thread::Builder::new().spawn(work) {
            Ok(_) => queue.workers += 1,
            Err(_) => break,
        }
    }
    if queue.workers == 0 {
        // No thread could start: nothing is pending, the writer highlights every block.
        queue.texts.clear();
        queue.todo.clear();
        queue.pending.clear();
    }
    let first = started == 0 && queue.workers > 0;
    drop(queue);
    if first && !IN_WORKER.get() {
        grow_heaps_in_large_steps();
        leave_cpu_to_workers();
    }
    AHEAD.work.notify_all();
}

thread_local! {
    /// Set on worker threads: a worker that queues blocks (from a text it looked through)
    /// never moves itself off its core.
    static IN_WORKER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A worker: looks through texts and highlights queued blocks until the process ends.
fn work() {
    IN_WORKER.set(true);
    let mut queue = lock();
    loop {
        if let Some(text) = queue.texts.pop_front() {
            drop(queue);
            self::queue(fenced_blocks(&text));
            queue = lock();
            continue;
        }
        let Some((lang, code)) = queue.todo.pop_front() else {
            queue = AHEAD.work.wait(queue).unwrap_or_else(|e| e.into_inner());
            continue;
        };
        drop(queue);
        // A grammar that panics leaves the block out of the cache: the writer highlights it
        // itself (and meets the same panic there, where it is reported).
        let _ = std::panic::catch_unwind(AssertUnwindSafe(|| {
            highlight_cached(&code, &lang, &THEME);
        }));
        queue = lock();
        queue.pending.remove(&cache_key(&code, &lang, &THEME));
        AHEAD.done.notify_all();
    }
}

/// Waits until a block is no longer queued or being highlighted ahead.
pub(crate) fn wait_for(code: &str, lang: &str) {
    let key = cache_key(code, lang, &THEME);
    let mut queue = lock();
    while queue.pending.contains(&key) {
        queue = AHEAD.done.wait(queue).unwrap_or_else(|e| e.into_inner());
    }
}

/// Moves the calling thread to another core than the one it runs on, then lets it run
/// anywhere again. Linux starts a new thread on its parent's core and spreads the two only at
/// a later load balance: measured here, 6 of 8 `show`s ran the first worker on the writer's
/// core for milliseconds (the two took turns on one core while the other idled). The parent
/// moving away leaves the core to the worker it just started.
#[cfg(target_os = "linux")]
fn leave_cpu_to_workers() {
    use nix::sched::{CpuSet, sched_getaffinity, sched_getcpu, sched_setaffinity};
    use nix::unistd::Pid;
    let this = Pid::from_raw(0);
    let (Ok(allowed), Ok(here)) = (sched_getaffinity(this), sched_getcpu()) else {
        return;
    };
    let mut others = allowed;
    if others.unset(here).is_err()
        || !(0..CpuSet::count()).any(|cpu| others.is_set(cpu).unwrap_or(false))
    {
        return;
    }
    if sched_setaffinity(this, &others).is_ok() {
        let _ = sched_setaffinity(this, &allowed);
    }
}

#[cfg(not(target_os = "linux"))]
fn leave_cpu_to_workers() {}

/// Has glibc's allocator grow a heap by 32 MB of address space at a time (pages are only
/// backed when touched). A worker's heap otherwise grew by a few pages per `mprotect` call:
/// 193 of them for the CommonMark spec, and the writer on the other core slowed by 4 % (each
/// changes the process's memory map, which both threads share).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn grow_heaps_in_large_steps() {
    // SAFETY: `mallopt` sets one of glibc's allocator tunables; any size is valid for
    // M_TOP_PAD, and it is set before the worker threads allocate.
    unsafe {
        nix::libc::mallopt(nix::libc::M_TOP_PAD, 32 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn grow_heaps_in_large_steps() {}
