//! The bottom row: the keys that matter now, and a short notice on the right.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::super::state::{App, Overlay};
use super::super::theme::UiStyles;

pub struct StatusBar<'a> {
    pub app: &'a App,
    pub theme: UiStyles,
}

impl StatusBar<'_> {
    fn hints(&self) -> Vec<(&'static str, &'static str)> {
        let app = self.app;
        match &app.view.overlay {
            Some(Overlay::Confirm(_)) => return vec![("y", "yes"), ("n", "no")],
            Some(Overlay::Help) => return vec![("Esc", "close")],
            Some(Overlay::Doctor) => return vec![("r", "re-run checks"), ("Esc", "close")],
            Some(Overlay::Values(form)) if form.complete() => {
                return vec![("Enter", "run"), ("Tab", "next field"), ("Esc", "cancel")];
            }
            Some(Overlay::Values(_)) => {
                return vec![
                    ("type", "a value"),
                    ("Tab", "next field"),
                    ("Esc", "cancel"),
                ];
            }
            Some(Overlay::Pick(_)) => {
                return vec![("↑/↓", "choose"), ("Enter", "edit"), ("Esc", "cancel")];
            }
            Some(Overlay::JoinClass(_)) => {
                return vec![("Tab", "next field"), ("Enter", "join"), ("Esc", "cancel")];
            }
            None => {}
        }
        let mut hints = Vec::new();
        let focused_run = app.focused_step().and_then(|s| app.run_of(s));
        // On a task the learner's own keys come first.
        if app.focused_step().is_some_and(|s| s.is_task()) {
            match focused_run {
                Some(run) if run.is_running() => hints.push(("x", "stop")),
                _ => hints.push(("Enter", "check")),
            }
            hints.extend([
                ("e", "edit"),
                ("!", "shell"),
                ("h", "hint"),
                ("S", "solution"),
            ]);
            hints.extend([
                ("n/p", "step"),
                ("←/→", "chapter"),
                ("?", "help"),
                ("q", "quit"),
            ]);
            return hints;
        }
        match focused_run {
            Some(run) if run.is_running() => {
                hints.extend([("x", "stop"), ("J/K", "scroll output")])
            }
            Some(_) => hints.extend([("Enter", "run again"), ("o", "fold")]),
            None if app.focused.is_some() => hints.push(("Enter", "run")),
            None => {}
        }
        if focused_run.is_none() && app.any_running() {
            hints.push(("x", "stop"));
        }
        // What is cut on a narrow terminal comes last; `?` lists everything. A chapter
        // without steps (an introduction, a conclusion) has no step keys to offer.
        let has_steps = app.current_chapter().is_some_and(|c| !c.steps.is_empty());
        let step_keys = [("n/p", "step"), ("a", "run all"), ("c", "copy")];
        hints.extend([
            ("n/p", "step"),
            ("←/→", "chapter"),
            ("?", "help"),
            ("q", "quit"),
            ("a", "run all"),
            ("d", "doctor"),
            ("c", "copy"),
        ]);
        hints.retain(|hint| has_steps || !step_keys.contains(hint));
        hints
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        // A notice wider than the bar ends in `…` rather than being cut mid-word.
        let notice = self.app.view.notice.as_ref().map(|n| {
            let style = if n.error { theme.fail } else { theme.accent };
            let room = (area.width as usize).saturating_sub(3);
            let text = super::sidebar::fit(&n.text, room.min(n.text.width()));
            Span::styled(format!(" {text} "), style)
        });
        // A joined live class shows its link where no notice is.
        let notice = notice.or_else(|| {
            crate::tui::live::indicator(self.app).map(|(text, bad)| {
                Span::styled(
                    format!(" {text} "),
                    if bad { theme.fail } else { theme.dim },
                )
            })
        });
        let notice_w = notice.as_ref().map_or(0, |n| n.content.width()) as u16;
        let room = area.width.saturating_sub(notice_w) as usize;
        let mut spans = vec![Span::raw(" ")];
        let mut used = 1;
        for (key, what) in self.hints() {
            let w = key.width() + what.width() + 3;
            if used + w > room {
                break;
            }
            spans.push(Span::styled(key, theme.key));
            spans.push(Span::styled(format!(" {what}  "), theme.dim));
            used += w;
        }
        buf.set_line(area.x, area.y, &Line::from(spans), area.width);
        if let Some(notice) = notice {
            let x = area.right().saturating_sub(notice_w);
            buf.set_line(x, area.y, &Line::from(notice), notice_w);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::StatusBar;
    use crate::tui::testing::app;
    use crate::tui::theme::UiStyles;

    #[test]
    fn a_notice_too_wide_for_the_bar_ends_in_an_ellipsis() {
        use ratatui::buffer::Buffer;
        use ratatui::layout::Rect;
        let mut app = app();
        crate::tui::update::notify(
            &mut app,
            "this course has 5 errors: `docker-guide lint /tmp/a/long/path/to/the/course` lists them"
                .into(),
            true,
        );
        let area = Rect::new(0, 0, 60, 1);
        let mut buf = Buffer::empty(area);
        StatusBar {
            app: &app,
            theme: UiStyles::new(false),
        }
        .render(area, &mut buf);
        let row: String = (0..60).map(|x| buf[(x, 0)].symbol().to_string()).collect();
        assert!(row.trim_end().ends_with('…'), "{row}");
        assert!(row.contains("this course has 5 errors"), "{row}");
    }

    #[test]
    fn a_chapter_without_steps_offers_no_step_keys() {
        let mut app = app();
        let keys = |app: &crate::tui::state::App| -> Vec<&'static str> {
            StatusBar {
                app,
                theme: UiStyles::new(false),
            }
            .hints()
            .into_iter()
            .map(|(key, _)| key)
            .collect()
        };
        assert!(keys(&app).contains(&"n/p") && keys(&app).contains(&"c"));
        app.course.chapters[0].steps.clear();
        app.focused = None;
        let left = keys(&app);
        assert!(
            !left.iter().any(|k| ["n/p", "a", "c", "Enter"].contains(k)),
            "{left:?}"
        );
        assert!(left.contains(&"←/→") && left.contains(&"?"), "{left:?}");
    }
}
