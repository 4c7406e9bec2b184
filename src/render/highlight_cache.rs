//! Highlighted code blocks kept per (colour, language, code), so a re-render at another
//! width highlights nothing again, and highlighted ahead on several threads for a one-shot
//! `show`.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, LazyLock, Mutex};

use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};
use ratatui::text::Span;

use super::highlight::{highlight, lang_token, syntax_for};
use super::precomputed;
use super::theme::Theme;

/// Highlighted rows of one code block.
pub(crate) type Rows = Arc<Vec<Vec<Span<'static>>>>;

/// syntect with the pure-Rust regex engine costs tens of microseconds per line, so results
/// are kept: re-rendering a chapter at another width (a resize) highlights nothing again.
struct CacheEntry {
    color: bool,
    lang: String,
    code: String,
    rows: Rows,
}

/// Entries kept before the cache starts over (a whole course holds a few hundred blocks).
const CACHE_LIMIT: usize = 2048;
static CACHE: LazyLock<Mutex<HashMap<u64, CacheEntry>>> = LazyLock::new(Default::default);

/// Forgets every highlighted block (benchmarks use it to measure a cold render).
pub fn clear_highlight_cache() {
    CACHE.lock().unwrap_or_else(|e| e.into_inner()).clear();
}

fn cache_key(code: &str, lang: &str, theme: &Theme) -> u64 {
    let mut hasher = DefaultHasher::new();
    (theme.color, lang, code).hash(&mut hasher);
    hasher.finish()
}

/// Whether `entry` holds this block (keys are hashes: two blocks may share one).
fn holds(entry: &CacheEntry, code: &str, lang: &str, theme: &Theme) -> bool {
    entry.color == theme.color && entry.lang == lang && entry.code == code
}

fn cached(key: u64, code: &str, lang: &str, theme: &Theme) -> Option<Rows> {
    let cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .get(&key)
        .filter(|e| holds(e, code, lang, theme))
        .map(|e| Arc::clone(&e.rows))
}

/// [`highlight`], remembered per (colour, language, code).
pub(crate) fn highlight_cached(code: &str, lang: &str, theme: &Theme) -> Rows {
    let key = cache_key(code, lang, theme);
    if let Some(rows) = cached(key, code, lang, theme) {
        return rows;
    }
    let rows = Arc::new(highlight(code, lang, theme));
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if cache.len() >= CACHE_LIMIT {
        cache.clear();
    }
    let entry = CacheEntry {
        color: theme.color,
        lang: lang.to_string(),
        code: code.to_string(),
        rows: Arc::clone(&rows),
    };
    cache.insert(key, entry);
    rows
}

/// The rows of a code block for the renderer to own. Without colour a block is cut into rows
/// in less time than the cache takes to hash and copy it: not kept. In a one-shot process
/// (`show`, [`enable_parallel_highlighting`]) a cached block is taken out of the cache: the
/// renderer reads each block once, and copying its rows was 3 % of a `show`.
pub(crate) fn code_rows(code: &str, lang: &str, theme: &Theme) -> Vec<Vec<Span<'static>>> {
    if !theme.color {
        return highlight(code, lang, theme);
    }
    if !parallel_enabled() {
        return highlight_cached(code, lang, theme).as_ref().clone();
    }
    let key = cache_key(code, lang, theme);
    let taken = {
        let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
        match cache.get(&key) {
            Some(e) if holds(e, code, lang, theme) => cache.remove(&key),
            _ => None,
        }
    };
    match taken {
        Some(entry) => Arc::try_unwrap(entry.rows).unwrap_or_else(|rows| rows.as_ref().clone()),
        None => highlight(code, lang, theme),
    }
}

/// The (language token, code) of every code block among a document's events, as the
/// renderer asks the cache for them.
pub(crate) fn code_blocks<'a, 'e: 'a>(
    events: impl IntoIterator<Item = &'a Event<'e>>,
) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(String, String)> = None;
    for event in events {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => lang_token(info),
                    CodeBlockKind::Indented => String::new(),
                };
                current = Some((lang, String::new()));
            }
            Event::Text(text) => {
                if let Some((_, code)) = &mut current {
                    code.push_str(text);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(current.take()),
            _ => {}
        }
    }
    blocks
}

/// Whether renders highlight their uncached blocks on several threads first
/// ([`enable_parallel_highlighting`]).
static PARALLEL: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Lets every later render highlight its uncached code blocks on all cores first, and take
/// each block out of the cache as it draws it (`code_rows`: a one-shot process reads each
/// block once). For one-shot processes (`show`): once a process has started a thread, glibc's
/// malloc takes its locking path for good, which made the TUI's frame bench ~30% slower, and
/// the TUI warms its cache on a thread of its own anyway.
pub fn enable_parallel_highlighting() {
    PARALLEL.store(true, std::sync::atomic::Ordering::Relaxed);
}

pub(crate) fn parallel_enabled() -> bool {
    PARALLEL.load(std::sync::atomic::Ordering::Relaxed)
}

/// Fewer lines to highlight than this are done in order by the renderer: a thread costs
/// ~50 µs to start, a line of code ~50 µs to highlight.
const PARALLEL_MIN_LINES: usize = 40;

/// Highlights into the cache, on up to 4 cores, the blocks that are not there yet, so a
/// chapter's first render in `show` takes the time of its largest
/// share instead of the sum: syntect is most of a coloured render. Blocks are dealt largest
/// first to the least loaded thread; the calling thread takes a share too.
pub(crate) fn highlight_in_parallel(blocks: &[(String, String)], theme: &Theme) {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    highlight_on(blocks, theme, cores);
}

fn highlight_on(blocks: &[(String, String)], theme: &Theme, cores: usize) {
    if !theme.color {
        return;
    }
    let mut todo: Vec<(&str, &str, usize)> = blocks
        .iter()
        .filter(|(lang, code)| {
            // Blocks highlighted at build time cost nothing: no grammar is loaded for them.
            precomputed::find(lang, code).is_none()
                && syntax_for(lang).is_some()
                && cached(cache_key(code, lang, theme), code, lang, theme).is_none()
        })
        .map(|(lang, code)| (lang.as_str(), code.as_str(), code.lines().count()))
        .collect();
    // No more than the cache has room for: past its limit it starts over, which would drop
    // what this pass highlighted before the renderer reads it, and every block would be
    // highlighted twice (a chapter of 5,000 steps took 17.8× the time of 500). The rest, in
    // document order, is highlighted once by the renderer.
    let room = CACHE_LIMIT.saturating_sub(CACHE.lock().unwrap_or_else(|e| e.into_inner()).len());
    todo.truncate(room);
    let lines: usize = todo.iter().map(|b| b.2).sum();
    let threads = cores.min(4).min(lines / PARALLEL_MIN_LINES).min(todo.len());
    if threads < 2 {
        return;
    }
    todo.sort_by_key(|b| std::cmp::Reverse(b.2));
    let mut shares: Vec<(usize, Vec<(&str, &str)>)> = vec![(0, Vec::new()); threads];
    for (lang, code, n) in todo {
        if let Some(share) = shares.iter_mut().min_by_key(|share| share.0) {
            share.0 += n;
            share.1.push((lang, code));
        }
    }
    let run = |share: &[(&str, &str)]| {
        for (lang, code) in share {
            highlight_cached(code, lang, theme);
        }
    };
    std::thread::scope(|scope| {
        for (_, share) in &shares[1..] {
            scope.spawn(|| run(share));
        }
        run(&shares[0].1);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_blocks_are_read_as_the_renderer_reads_them() {
        let md = "# T\n\n```sh {id=a}\necho a\necho b\n```\n\n    indented\n\n~~~Python,x\nprint(1)\n~~~\n";
        let events: Vec<_> = pulldown_cmark::Parser::new(md).collect();
        assert_eq!(
            code_blocks(&events),
            [
                ("sh".to_string(), "echo a\necho b\n".to_string()),
                (String::new(), "indented\n".to_string()),
                ("python".to_string(), "print(1)\n".to_string()),
            ]
        );
    }

    #[test]
    fn blocks_highlighted_in_parallel_land_in_the_cache_as_in_order() {
        let theme = Theme::new(true);
        // Unique code, so no other test has cached it.
        let blocks: Vec<(String, String)> = (0..6)
            .map(|n| {
                let lang = ["python", "sh", "dockerfile"][n % 3].to_string();
                let line = match n % 3 {
                    0 => format!("def f{n}(x):\n    return x + {n}  # parallel\n"),
                    1 => format!("docker run --rm -e N={n} app | grep -c x\n"),
                    _ => format!("RUN echo {n} && pip install x=={n}\n"),
                };
                (lang, line.repeat(20))
            })
            .chain([("example".to_string(), "not code\n".repeat(100))])
            .collect();
        highlight_on(&blocks, &theme, 2);
        for (lang, code) in &blocks[..6] {
            let rows = cached(cache_key(code, lang, &theme), code, lang, &theme)
                .unwrap_or_else(|| panic!("{lang} block not cached"));
            assert_eq!(*rows, highlight(code, lang, &theme), "{lang}");
        }
        let (lang, code) = &blocks[6];
        assert!(
            cached(cache_key(code, lang, &theme), code, lang, &theme).is_none(),
            "a language without a syntax is left to the renderer"
        );
        // Without colour nothing is worth highlighting ahead.
        let plain = Theme::new(false);
        highlight_on(&blocks, &plain, 2);
        let (lang, code) = &blocks[0];
        assert!(cached(cache_key(code, lang, &plain), code, lang, &plain).is_none());
    }
}
