//! Keeping the screen still while output changes. A box above the screen that grows (a
//! server's log) would push the text the learner reads down; the focused step's own box, live
//! under its code, is followed so its newest lines stay in view.

use super::super::layout::{self, Segment, doc_layout};
use super::super::state::App;
use super::{locate, max_scroll, scroll_into_view};

pub struct ViewAnchor {
    scroll: usize,
    chapter: usize,
    /// `(chapter row, document row)` of the first chapter row on screen.
    row: Option<(usize, usize)>,
    /// The focused step whose output changes while its header is on screen.
    follow: Option<usize>,
}

impl ViewAnchor {
    /// What the learner sees before step `step_id`'s output changes (or the banner, `None`).
    pub fn before(app: &App, step_id: Option<&str>) -> Self {
        let layout = doc_layout(app);
        let row = layout.placed.iter().find_map(|p| match p.segment {
            Segment::Chapter { from, .. } if p.top + p.rows > app.view.scroll => {
                let skip = app.view.scroll.saturating_sub(p.top);
                Some((from + skip, p.top + skip))
            }
            _ => None,
        });
        let view = layout::viewport_rows(app);
        let follow = step_id
            .and_then(|id| locate(app, id))
            .filter(|&(chapter, index)| chapter == app.chapter && app.focused == Some(index))
            .map(|(_, index)| index)
            .filter(|&index| {
                layout
                    .rows_of(index)
                    .is_some_and(|r| (app.view.scroll..app.view.scroll + view).contains(&r.header))
            });
        Self {
            scroll: app.view.scroll,
            chapter: app.chapter,
            row,
            follow,
        }
    }

    /// Puts the screen back where it was, unless the update moved it on purpose.
    pub fn restore(self, app: &mut App) {
        if app.chapter != self.chapter || app.view.scroll != self.scroll {
            return;
        }
        if let Some(step) = self.follow {
            scroll_into_view(app, step);
            return;
        }
        // At the top, what appears there (the requires banner) is meant to be seen.
        if self.scroll == 0 {
            return;
        }
        let Some((chapter_row, old_top)) = self.row else {
            return;
        };
        let layout = doc_layout(app);
        let new_top = layout.placed.iter().find_map(|p| match p.segment {
            Segment::Chapter { from, to } if (from..to).contains(&chapter_row) => {
                Some(p.top + chapter_row - from)
            }
            _ => None,
        });
        if let Some(new_top) = new_top {
            let moved = new_top as isize - old_top as isize;
            app.view.scroll = app
                .view
                .scroll
                .saturating_add_signed(moved)
                .min(max_scroll(app));
        }
    }
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::KeyCode;

    use super::super::update;
    use crate::tui::layout::{self, Segment, doc_layout};
    use crate::tui::msg::Msg;
    use crate::tui::state::{App, Resume};
    use crate::tui::testing::*;

    fn small(chapter: usize) -> App {
        let mut app = app_with(Resume {
            chapter,
            ..Resume::default()
        });
        resize(&mut app, 80, 15);
        app
    }

    /// The chapter row at the top of the screen.
    fn chapter_row_on_top(app: &App) -> Option<usize> {
        doc_layout(app).placed.iter().find_map(|p| match p.segment {
            Segment::Chapter { from, .. } if (p.top..p.top + p.rows).contains(&app.view.scroll) => {
                Some(from + app.view.scroll - p.top)
            }
            _ => None,
        })
    }

    #[test]
    fn a_box_growing_above_the_screen_does_not_move_the_text() {
        // A step still printing (a server's log) while the learner reads on further down.
        let mut app = small(0);
        press(&mut app, KeyCode::Enter);
        update(&mut app, output("first-steps-1", "booting\n"));
        app.focused = Some(2);
        let below_box = doc_layout(&app).rows_of(0).unwrap().end + 1;
        assert!(below_box <= super::max_scroll(&app));
        app.view.scroll = below_box;
        let top = chapter_row_on_top(&app).expect("chapter text on top");
        for i in 0..5 {
            update(
                &mut app,
                output("first-steps-1", &format!("GET /health {i}\n")),
            );
        }
        assert!(app.view.scroll > below_box, "the box above grew");
        assert_eq!(chapter_row_on_top(&app), Some(top), "the same text on top");
        update(&mut app, passed("first-steps-1"));
        assert_eq!(chapter_row_on_top(&app), Some(top), "its result line too");
    }

    #[test]
    fn the_focused_running_step_is_followed_as_its_output_grows() {
        let mut app = small(0);
        press(&mut app, KeyCode::Enter);
        let view = layout::viewport_rows(&app);
        for i in 0..10 {
            update(&mut app, output("first-steps-1", &format!("line {i}\n")));
            let rows = doc_layout(&app).rows_of(0).unwrap();
            assert!(
                rows.end <= app.view.scroll + view,
                "the box's bottom is on screen"
            );
            assert!(
                rows.header >= app.view.scroll,
                "and so is the step's header"
            );
        }
    }

    #[test]
    fn a_banner_appearing_at_the_top_is_seen() {
        let mut app = small(1);
        assert_eq!(app.view.scroll, 0);
        update(&mut app, Msg::DoctorDone(daemon_down()));
        assert_eq!(app.view.scroll, 0);
        assert!(
            matches!(doc_layout(&app).placed[0].segment, Segment::Banner),
            "the failing requires show first"
        );
    }
}
