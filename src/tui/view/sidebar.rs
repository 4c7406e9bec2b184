//! The left column: chapters with their progress (or, before their first step, the author's
//! time estimate), the current one highlighted, and the course's overall progress at the bottom.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{LineGauge, Widget};
use unicode_width::UnicodeWidthStr;

use super::super::state::App;
use super::super::theme::UiStyles;

pub struct Sidebar<'a> {
    pub app: &'a App,
    pub theme: UiStyles,
}

/// Rows under the chapter list: a blank, the label and the gauge.
const FOOTER_ROWS: u16 = 3;

impl Sidebar<'_> {
    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let (app, theme) = (self.app, self.theme);
        if area.width < 4 || area.height < 2 {
            return;
        }
        // The right edge separates the sidebar from the chapter.
        for y in area.y..area.bottom() {
            if let Some(cell) = buf.cell_mut((area.right() - 1, y)) {
                cell.set_symbol("│").set_style(theme.dim);
            }
        }
        let width = area.width - 2;
        let x = area.x + 1;
        buf.set_line(x, area.y, &Line::styled("Chapters", theme.title), width);
        let list_rows = area.height.saturating_sub(1 + FOOTER_ROWS) as usize;
        for (i, chapter) in app.course.chapters.iter().enumerate().take(list_rows) {
            let y = area.y + 1 + i as u16;
            let (done, total) = app.chapter_progress(i);
            let started = done > 0
                || chapter
                    .steps
                    .iter()
                    .any(|s| app.run_of(s).is_some() || app.step_failed(s));
            let (glyph, style) = if total > 0 && done == total {
                ("✓", theme.ok)
            } else if app.open_tasks(i) > 0 {
                // A task left unsolved: the learner went on, the chapter waits for it.
                ("✎", theme.warn)
            } else if started {
                ("◐", theme.warn)
            } else {
                ("○", theme.dim)
            };
            // Before the first step, the author's time estimate helps plan a session more
            // than `0/N`; once started, the progress.
            let count = match chapter.front.minutes {
                Some(minutes) if !started => format!(" ~{minutes}m"),
                _ if total == 0 => String::new(),
                _ => format!(" {done}/{total}"),
            };
            let number = format!("{:>2} ", i + 1);
            let title_w = (width as usize).saturating_sub(number.width() + 2 + count.width());
            let current = i == app.chapter;
            let row_style = if current {
                theme.focus
            } else {
                ratatui::style::Style::new()
            };
            let line = Line::from(vec![
                Span::styled(number, if current { row_style } else { theme.dim }),
                Span::styled(format!("{glyph} "), if current { row_style } else { style }),
                Span::styled(
                    fit(&short_title(&chapter.title, title_w), title_w),
                    row_style,
                ),
                Span::styled(count, if current { row_style } else { theme.dim }),
            ]);
            if current {
                buf.set_style(Rect::new(x, y, width, 1), row_style);
            }
            buf.set_line(x, y, &line, width);
        }
        let (done, total) = app.course_progress();
        let ratio = if total == 0 {
            0.0
        } else {
            done as f64 / total as f64
        };
        let label_y = area.bottom().saturating_sub(2);
        let (title, figures) = course_label(done, total, ratio * 100.0, width as usize);
        let label = Line::from(vec![Span::styled(title, theme.title), Span::raw(figures)]);
        buf.set_line(x, label_y, &label, width);
        LineGauge::default()
            .ratio(ratio)
            .filled_style(theme.ok.add_modifier(Modifier::BOLD))
            .unfilled_style(theme.dim)
            .label("")
            .render(Rect::new(x, label_y + 1, width, 1), buf);
    }
}

/// A title that fits: `Series: part` titles keep their distinguishing part when the whole
/// does not fit (`Build and run your own container: run it` → `Run it`).
pub fn short_title(title: &str, width: usize) -> String {
    if title.width() <= width {
        return title.to_string();
    }
    match title.rsplit_once(": ") {
        Some((_, part)) if !part.trim().is_empty() => {
            let mut chars = part.trim().chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
        _ => title.to_string(),
    }
}

/// Cuts `text` to `width` columns with an ellipsis, padding to the width. Columns, not
/// chars: `format!("{:<w$}")` pads by chars, too much for wide (CJK, emoji) titles.
pub fn fit(text: &str, width: usize) -> String {
    let mut out = String::new();
    if text.width() <= width {
        out.push_str(text);
    } else {
        for ch in text.chars() {
            if out.width() + 1 + unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0) > width {
                break;
            }
            out.push(ch);
        }
        out.push('…');
    }
    let pad = width.saturating_sub(out.width());
    out.extend(std::iter::repeat_n(' ', pad));
    out
}

/// The course's progress in the words that fit `width` columns.
fn course_label(done: usize, total: usize, percent: f64, width: usize) -> (&'static str, String) {
    let long = format!("{done}/{total} steps · {percent:.0}%");
    if "Course ".width() + long.width() <= width {
        return ("Course ", long);
    }
    if long.width() <= width {
        return ("", long);
    }
    ("", format!("{done}/{total} · {percent:.0}%"))
}

#[cfg(test)]
mod tests {
    use super::{Sidebar, course_label, fit, short_title};
    use crate::tui::testing::{app, passed, press};
    use crate::tui::theme::UiStyles;
    use crate::tui::update::update;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use unicode_width::UnicodeWidthStr;

    fn sidebar_rows(app: &crate::tui::state::App) -> Vec<String> {
        let area = Rect::new(0, 0, 30, 8);
        let mut buf = Buffer::empty(area);
        Sidebar {
            app,
            theme: UiStyles::new(false),
        }
        .render(area, &mut buf);
        (0..area.height)
            .map(|y| (0..area.width).map(|x| buf[(x, y)].symbol()).collect())
            .collect()
    }

    #[test]
    fn a_chapter_not_started_shows_its_time_estimate_then_its_progress() {
        let mut app = app();
        app.course.chapters[0].front.minutes = Some(25);
        let rows = sidebar_rows(&app);
        assert!(rows[1].trim_end().ends_with("~25m│"), "{rows:#?}");
        // A chapter without an estimate shows its step count, as before.
        assert!(rows[2].trim_end().ends_with("0/2│"), "{rows:#?}");
        let first = app.course.chapters[0].steps[0].id.clone();
        press(&mut app, ratatui::crossterm::event::KeyCode::Enter);
        update(&mut app, passed(&first));
        let rows = sidebar_rows(&app);
        assert!(rows[1].contains("1/"), "{rows:#?}");
        assert!(!rows[1].contains("~25m"), "{rows:#?}");
    }

    #[test]
    fn long_series_titles_keep_their_own_part() {
        assert_eq!(
            short_title("Build and run your own container: run it", 18),
            "Run it"
        );
        assert_eq!(
            short_title("Next steps: Docker Compose", 30),
            "Next steps: Docker Compose"
        );
        assert_eq!(
            short_title("What is a container, really?", 10),
            "What is a container, really?"
        );
        assert_eq!(fit("What is a container, really?", 10), "What is a…");
        assert_eq!(fit("Short", 8), "Short   ");
    }

    #[test]
    fn wide_titles_are_padded_by_columns_so_the_count_stays() {
        assert_eq!(fit("日本語", 8), "日本語  ");
        assert_eq!(fit("Wide 日本語 🐳 title", 12).width(), 12);
        assert_eq!(fit("Wide 日本語 🐳 title", 12), "Wide 日本語…");
    }

    #[test]
    fn the_course_label_never_cuts_its_figures() {
        assert_eq!(
            course_label(25, 50, 50.0, 27),
            ("Course ", "25/50 steps · 50%".to_string())
        );
        // 80 columns: the sidebar has 22 usable columns.
        assert_eq!(
            course_label(25, 50, 50.0, 22),
            ("", "25/50 steps · 50%".to_string())
        );
        assert_eq!(
            course_label(125, 150, 83.3, 15),
            ("", "125/150 · 83%".to_string())
        );
    }
}
