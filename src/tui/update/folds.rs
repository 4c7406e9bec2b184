//! `z` (or a click on its title) opens or closes a folded section (`<details>`, `???`, a
//! dropdown): `z` the first one whose title is on screen. The renderer draws folds as
//! `App::render_cache` says; a fold holding a step is always open.

use super::super::layout::{self, Segment, doc_layout};
use super::super::state::App;
use super::notify;
use crate::render::FoldRow;

/// Each fold's title as a document row (the rows the chapter pane draws), in order.
fn fold_rows(app: &App) -> Vec<(usize, FoldRow)> {
    let layout = doc_layout(app);
    let folds = &app.render_cache.chapter.folds;
    let mut rows = Vec::new();
    for placed in &layout.placed {
        if let Segment::Chapter { from, to } = placed.segment {
            for fold in folds.iter().filter(|f| (from..to).contains(&f.row)) {
                rows.push((placed.top + fold.row - from, *fold));
            }
        }
    }
    rows
}

fn toggle(app: &mut App, fold: FoldRow) {
    let toggled = &mut app.render_cache.toggled_folds;
    if !toggled.remove(&fold.index) {
        toggled.insert(fold.index);
    }
    // Drawn again at once; the rows above the fold do not move.
    app.render_cache.key = None;
    app.ensure_rendered();
}

/// Toggles the first fold whose title row is in view; says so when there is none.
pub fn toggle_fold_in_view(app: &mut App) {
    app.ensure_rendered();
    let total = doc_layout(app).total;
    let view = layout::viewport_rows(app);
    let scroll = app.view.scroll.min(total.saturating_sub(view));
    let rows = fold_rows(app);
    let in_view = rows
        .iter()
        .find(|(doc_row, _)| (scroll..scroll + view).contains(doc_row));
    match in_view {
        Some((_, fold)) => toggle(app, *fold),
        None => {
            let text = if rows.is_empty() {
                "no folded section in this chapter"
            } else {
                "no folded section on screen: scroll to one (▸) and press z"
            };
            notify(app, text.into(), false);
        }
    }
}

/// A click on a fold's title row toggles it; `false` when the row is no fold title.
pub fn toggle_fold_at(app: &mut App, doc_row: usize) -> bool {
    let hit = fold_rows(app).into_iter().find(|(row, _)| *row == doc_row);
    match hit {
        Some((_, fold)) => {
            toggle(app, fold);
            true
        }
        None => false,
    }
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
        // A click on the title row toggles it too.
        let (row, _) = super::fold_rows(&app)[0];
        assert!(super::toggle_fold_at(&mut app, row));
        assert!(chapter_text(&app).contains("They pull faster."));
        assert!(!super::toggle_fold_at(&mut app, row + 1), "not a title row");
    }

    #[test]
    fn z_without_a_fold_says_so() {
        let mut app = app();
        press(&mut app, KeyCode::Char('z'));
        let notice = app.view.notice.as_ref().map(|n| n.text.clone());
        assert_eq!(notice.as_deref(), Some("no folded section in this chapter"));
    }
}
