//! The official course's code blocks, highlighted at build time (build.rs runs syntect over
//! every code block of `lessons/` with the same grammars and theme the app uses, and writes
//! what each line's regions were). A block is looked up by its language and code before
//! syntect runs, so showing an official chapter loads and compiles no grammar. A block whose
//! text differs by one byte has another key and is highlighted live as before.

use syntect::highlighting::{Color, FontStyle};

use super::code_lines::block_key;

mod table {
    include!(concat!(env!("OUT_DIR"), "/highlighted-blocks.rs"));
}

/// One highlighted region of a line: its length in bytes and the index of its style.
pub(crate) type Region = (u32, u16);

/// The recorded regions of a block's highlighted lines (see `code_lines`), when build.rs
/// highlighted a block with this language token and code.
pub(crate) fn find(lang: &str, code: &str) -> Option<&'static [&'static [Region]]> {
    let key = block_key(lang, code);
    let index = table::BLOCKS.binary_search_by_key(&key, |b| b.0).ok()?;
    let (_, len, lines) = table::BLOCKS[index];
    // A 64-bit key of another text of the same length is as good as impossible; the length
    // check keeps a collision from replaying styles on text they do not fit (it would show
    // as a mismatch and fall back to live highlighting anyway).
    (len == code.len()).then_some(lines)
}

/// The foreground and font style of a recorded style index.
pub(crate) fn style(index: u16) -> Option<(Color, FontStyle)> {
    let &(r, g, b, a, font) = table::STYLES.get(usize::from(index))?;
    Some((Color { r, g, b, a }, FontStyle::from_bits_truncate(font)))
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::Parser;

    use super::*;
    use crate::lesson::{load_embedded, markdown_options};
    use crate::render::highlight::{highlight, highlight_live, syntax_for};
    use crate::render::highlight_cache::code_blocks;
    use crate::render::theme::Theme;

    #[test]
    fn every_official_block_replays_exactly_what_syntect_draws() {
        let theme = Theme::new(true);
        let course = load_embedded();
        let mut checked = 0;
        for chapter in &course.chapters {
            let events: Vec<_> = Parser::new_ext(&chapter.markdown, markdown_options()).collect();
            for (lang, code) in code_blocks(&events) {
                if syntax_for(&lang).is_none() {
                    assert!(find(&lang, &code).is_none(), "{lang} has no grammar");
                    continue;
                }
                assert!(
                    find(&lang, &code).is_some(),
                    "{}: a {lang} block was not highlighted at build time:\n{code}",
                    chapter.title
                );
                assert_eq!(
                    highlight(&code, &lang, &theme),
                    highlight_live(&code, &lang, &theme),
                    "{}: {lang} block\n{code}",
                    chapter.title
                );
                checked += 1;
            }
        }
        assert!(checked > 50, "only {checked} blocks checked");
        assert!(checked <= table::BLOCKS.len() + 50);
    }

    #[test]
    fn a_block_that_differs_by_a_byte_is_highlighted_live() {
        let theme = Theme::new(true);
        // Find an official block, change its code: no entry, and the live path draws it.
        let course = load_embedded();
        let (lang, code) = course
            .chapters
            .iter()
            .flat_map(|c| {
                let events: Vec<_> = Parser::new_ext(&c.markdown, markdown_options()).collect();
                code_blocks(&events)
            })
            .find(|(lang, code)| find(lang, code).is_some())
            .expect("an official block");
        let changed = format!("{code}# changed\n");
        assert!(find(&lang, &changed).is_none());
        assert_eq!(
            highlight(&changed, &lang, &theme),
            highlight_live(&changed, &lang, &theme)
        );
    }

    #[test]
    fn styles_are_indices_into_the_table() {
        assert!(style(0).is_some());
        assert!(style(u16::MAX).is_none());
    }
}
