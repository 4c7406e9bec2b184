//! Small centred questions (quit while running, confirm a step, overwrite a file, run despite
//! failing requires) and the "stopping" notice shown while quitting.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Widget, Wrap};

use super::super::state::{App, Confirm};
use super::super::theme::UiStyles;
use super::centered;

pub struct Dialog {
    title: String,
    lines: Vec<Line<'static>>,
    theme: UiStyles,
    with_answers: bool,
}

impl Dialog {
    pub fn confirm(app: &App, confirm: &Confirm, theme: UiStyles) -> Self {
        let step_name = |i: usize| {
            let cmd = app
                .step(i)
                .map(|s| s.copy_text().lines().next().unwrap_or("").to_string());
            format!(
                "step {}{}",
                i + 1,
                cmd.map(|c| format!(": {c}")).unwrap_or_default()
            )
        };
        let (title, text) = match confirm {
            Confirm::Quit => {
                let running = app.runs.values().filter(|r| r.is_running()).count();
                (
                    "Quit?".to_string(),
                    match running {
                        1 => "A step is still running. Quitting stops it and runs the chapter's cleanup.".to_string(),
                        n => format!("{n} steps are still running. Quitting stops them and runs the chapters' cleanup."),
                    },
                )
            }
            Confirm::RunStep { step } => (
                "Run this step?".to_string(),
                format!(
                    "{} asks for a confirmation before it runs.",
                    step_name(*step)
                ),
            ),
            Confirm::Requires { step, failing } => (
                "Setup not ready".to_string(),
                format!(
                    "This chapter needs {} and the doctor says it is not ready. Run {} anyway?",
                    failing.join(", "),
                    step_name(*step)
                ),
            ),
            Confirm::ShowSolution { .. } => (
                "Show the solution?".to_string(),
                "You learn most by finding it yourself: a hint (h) may be enough. The solution \
                 is shown in the card and your progress notes you looked."
                    .to_string(),
            ),
            Confirm::ApplySolution { step } => {
                let count = app
                    .step(*step)
                    .and_then(|s| s.task.as_ref())
                    .map_or(0, |t| t.solution.len());
                (
                    "Apply the solution?".to_string(),
                    format!(
                        "This runs the solution's {} in the workspace, then the check. A file \
                         you changed is not replaced without asking.",
                        crate::quantities::plural(count, "step")
                    ),
                )
            }
            Confirm::OverwriteSolution { path, .. } => (
                "Replace your file?".to_string(),
                format!(
                    "{path} in the workspace differs from the solution's. Replace it with the \
                     solution's (n keeps yours and stops applying)?"
                ),
            ),
            Confirm::Overwrite { path, .. } => (
                "Replace the file?".to_string(),
                format!("{path} in the workspace differs from this step's content. Replace it?"),
            ),
        };
        Self {
            title,
            lines: vec![Line::from(text)],
            theme,
            with_answers: true,
        }
    }

    pub fn stopping(theme: UiStyles) -> Self {
        Self {
            title: "Quitting".into(),
            lines: vec![Line::from("Stopping steps and running cleanups…")],
            theme,
            with_answers: false,
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let mut lines = self.lines.clone();
        if self.with_answers {
            lines.push(Line::from(""));
            lines.push(theme.keys_line(&[(" y ", " yes    ".into()), (" n ", " no".into())]));
        }
        let width = 56u16;
        let text_rows: usize = lines
            .iter()
            .map(|l| l.width().div_ceil(width as usize - 4).max(1))
            .sum();
        let rect = centered(area, width, text_rows as u16 + 2);
        Clear.render(rect, buf);
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme.warn)
            .title(Span::styled(format!(" {} ", self.title), theme.title));
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(block.padding(ratatui::widgets::Padding::horizontal(1)))
            .render(rect, buf);
    }
}
