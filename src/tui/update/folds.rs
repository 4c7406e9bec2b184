//! `z`: opens or closes the folded section (`<details>`, `???`, a dropdown) whose title is
//! the first one on screen. The renderer draws folds as `App::render_cache` says; a fold
//! holding a step is always open.

use super::super::layout::{self, Segment, doc_layout};
use super::super::state::App;
use super::notify;

/// Toggles the first fold whose title row is in view; says so when there is none.
pub fn toggle_fold_in_view(app: &mut App) {
    app.ensure_rendered();
    let layout = doc_layout(app);
    let view = layout::viewport_rows(app);
    let scroll = app.scroll.min(layout.total.saturating_sub(view));
    let folds = &app.render_cache.chapter.folds;
    let in_view = layout.placed.iter().find_map(|placed| {
        let Segment::Chapter { from, to } = placed.segment else {
            return None;
        };
        folds
            .iter()
            .filter(|f| (from..to).contains(&f.row))
            .map(|f| (placed.top + f.row - from, f))
            .find(|(doc_row, _)| (scroll..scroll + view).contains(doc_row))
            .map(|(_, f)| *f)
    });
    let Some(fold) = in_view else {
        let text = if folds.is_empty() {
            "no folded section in this chapter"
        } else {
            "no folded section on screen: scroll to one (▸) and press z"
        };
        notify(app, text.into(), false);
        return;
    };
    let toggled = &mut app.render_cache.toggled_folds;
    if !toggled.remove(&fold.index) {
        toggled.insert(fold.index);
    }
    // Drawn again on the next frame; the rows above the fold do not move.
    app.render_cache.key = None;
    app.ensure_rendered();
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::KeyCode;

    use crate::render::lines_to_plain;
    use crate::tui::testing::{app, press};

    fn chapter_text(app: &crate::tui::state::App) -> String {
        lines_to_plain(&app.render_cache.chapter.lines)
    }

    #[test]
    fn z_opens_and_closes_the_fold_on_screen() {
        let mut app = app();
        let md = "# Folds\n\n<details>\n<summary>Why slim images?</summary>\n\nThey pull faster.\n\n</details>\n";
        let (chapter, _) = crate::lesson::parse_chapter("f.md", "f.md", md);
        app.course.chapters[0] = chapter;
        app.render_cache.key = None;
        app.ensure_rendered();
        assert!(chapter_text(&app).contains("▸ Why slim images?"));
        assert!(!chapter_text(&app).contains("They pull faster."));
        press(&mut app, KeyCode::Char('z'));
        assert!(chapter_text(&app).contains("▾ Why slim images?"));
        assert!(chapter_text(&app).contains("They pull faster."));
        press(&mut app, KeyCode::Char('z'));
        assert!(!chapter_text(&app).contains("They pull faster."));
    }

    #[test]
    fn z_without_a_fold_says_so() {
        let mut app = app();
        press(&mut app, KeyCode::Char('z'));
        let notice = app.notice.as_ref().map(|n| n.text.clone());
        assert_eq!(notice.as_deref(), Some("no folded section in this chapter"));
    }
}
