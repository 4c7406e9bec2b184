//! Highlighted code blocks kept per (colour, language, code), so a re-render at another
//! width highlights nothing again, and highlighted ahead on several threads for a one-shot
//! `show`.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, LazyLock, Mutex};

use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};
use ratatui::text::Span;

use super::highlight::{highlight, lang_token};
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
pub(super) const CACHE_LIMIT: usize = 2048;
static CACHE: LazyLock<Mutex<HashMap<u64, CacheEntry>>> = LazyLock::new(Default::default);

/// How many blocks the cache holds.
pub(super) fn cache_len() -> usize {
    CACHE.lock().unwrap_or_else(|e| e.into_inner()).len()
}

/// Forgets every highlighted block (benchmarks use it to measure a cold render).
pub fn clear_highlight_cache() {
    CACHE.lock().unwrap_or_else(|e| e.into_inner()).clear();
}

pub(super) fn cache_key(code: &str, lang: &str, theme: &Theme) -> u64 {
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
    take_ready(code, lang, theme).unwrap_or_else(|| highlight(code, lang, theme))
}

/// The (language token, code) of every code block among a document's events, as the
/// renderer asks the cache for them.
pub(crate) fn code_blocks<'a, 'e: 'a>(
    events: impl IntoIterator<Item = &'a Event<'e>>,
) -> Vec<(String, String)> {
    code_blocks_where(events, |_| true)
}

/// [`code_blocks`] of the languages `keep` accepts: no other block's code is copied.
pub(crate) fn code_blocks_where<'a, 'e: 'a>(
    events: impl IntoIterator<Item = &'a Event<'e>>,
    keep: impl Fn(&str) -> bool,
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
                current = keep(&lang).then(|| (lang, String::new()));
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

/// Lets every later render highlight its uncached code blocks on the other cores while it
/// draws (`highlight_ahead`), and take each block out of the cache as it draws it (`code_rows`: a
/// one-shot process reads each block once). For one-shot processes (`show`): once a process has started a thread, glibc's
/// malloc takes its locking path for good, which made the TUI's frame bench ~30% slower, and
/// the TUI warms its cache on a thread of its own anyway.
pub fn enable_parallel_highlighting() {
    PARALLEL.store(true, std::sync::atomic::Ordering::Relaxed);
}

pub(crate) fn parallel_enabled() -> bool {
    PARALLEL.load(std::sync::atomic::Ordering::Relaxed)
}

/// A block's highlighted rows when they are in the cache, taken out of it; never waits.
pub(crate) fn take_ready(code: &str, lang: &str, theme: &Theme) -> Option<Vec<Vec<Span<'static>>>> {
    let key = cache_key(code, lang, theme);
    let entry = {
        let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
        match cache.get(&key) {
            Some(e) if holds(e, code, lang, theme) => cache.remove(&key),
            _ => None,
        }
    }?;
    Some(Arc::try_unwrap(entry.rows).unwrap_or_else(|rows| rows.as_ref().clone()))
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
}
