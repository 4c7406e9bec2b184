//! The style palette: every style the renderer uses, in one place. Colours are ANSI-16 so they
//! follow the user's terminal theme (dark or light); monochrome keeps only modifiers.

use ratatui::style::{Color, Modifier, Style};

/// Styles for every element the renderer draws.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    pub heading1: Style,
    pub heading2: Style,
    pub heading3: Style,
    /// The `###` marker shown before level 3+ headings so levels stay distinct without colour.
    pub heading_marker: Style,
    pub emphasis: Style,
    pub strong: Style,
    pub strikethrough: Style,
    pub code_inline: Style,
    pub link: Style,
    pub link_url: Style,
    pub image: Style,
    pub html: Style,
    pub quote_bar: Style,
    /// The kind of a GitHub alert quote (`> [!NOTE]`).
    pub alert_label: Style,
    pub list_marker: Style,
    pub task_done: Style,
    pub task_open: Style,
    pub rule: Style,
    pub table_border: Style,
    pub table_header: Style,
    pub code_border: Style,
    pub code_label: Style,
    /// The `…` that marks a code line cut at the right edge.
    pub code_clip: Style,
    /// Sample output lines of `console` blocks.
    pub console_output: Style,
    pub console_prompt: Style,
    pub footnote_ref: Style,
    pub footnote_label: Style,
    pub step_label: Style,
    pub step_detail: Style,
    pub badge_not_run: Style,
    pub badge_running: Style,
    pub badge_passed: Style,
    pub badge_failed: Style,
    pub badge_skipped: Style,
    /// Added to the step label (and badge) of the focused step.
    pub step_focus: Style,
}

impl Theme {
    pub fn new(color: bool) -> Theme {
        if color {
            Theme::colored()
        } else {
            Theme::monochrome()
        }
    }

    fn colored() -> Theme {
        let plain = Style::new();
        let bold = plain.add_modifier(Modifier::BOLD);
        let dim = plain.add_modifier(Modifier::DIM);
        Theme {
            color: true,
            heading1: bold.fg(Color::Cyan).add_modifier(Modifier::UNDERLINED),
            heading2: bold.fg(Color::Cyan),
            heading3: bold,
            heading_marker: dim,
            emphasis: plain.add_modifier(Modifier::ITALIC),
            strong: bold,
            strikethrough: plain.add_modifier(Modifier::CROSSED_OUT),
            code_inline: plain.fg(Color::Magenta),
            link: plain.fg(Color::Blue).add_modifier(Modifier::UNDERLINED),
            link_url: dim,
            image: plain.fg(Color::Blue).add_modifier(Modifier::ITALIC),
            html: dim,
            quote_bar: plain.fg(Color::Green),
            alert_label: bold.fg(Color::Green),
            list_marker: plain.fg(Color::Cyan),
            task_done: plain.fg(Color::Green),
            task_open: plain.fg(Color::Cyan),
            rule: dim,
            table_border: dim,
            table_header: bold,
            code_border: dim,
            code_label: dim.add_modifier(Modifier::ITALIC),
            code_clip: plain.fg(Color::Yellow),
            console_output: dim,
            console_prompt: plain.fg(Color::Green).add_modifier(Modifier::BOLD),
            footnote_ref: plain.fg(Color::Cyan),
            footnote_label: bold.fg(Color::Cyan),
            // Not yellow: palette yellow is faint on light backgrounds.
            step_label: bold.fg(Color::Blue),
            step_detail: plain,
            badge_not_run: dim,
            badge_running: bold.fg(Color::Yellow),
            badge_passed: bold.fg(Color::Green),
            badge_failed: bold.fg(Color::Red),
            badge_skipped: dim,
            step_focus: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
        }
    }

    /// No colours (NO_COLOR): focus and status still show through bold, reverse and underline.
    fn monochrome() -> Theme {
        let c = Theme::colored();
        let strip = |s: Style| Style {
            fg: None,
            bg: None,
            underline_color: None,
            ..s
        };
        let bold = Style::new().add_modifier(Modifier::BOLD);
        Theme {
            color: false,
            heading1: strip(c.heading1),
            heading2: strip(c.heading2),
            heading3: strip(c.heading3),
            heading_marker: strip(c.heading_marker),
            emphasis: strip(c.emphasis),
            strong: strip(c.strong),
            strikethrough: strip(c.strikethrough),
            code_inline: bold,
            link: strip(c.link),
            link_url: strip(c.link_url),
            image: strip(c.image),
            html: strip(c.html),
            quote_bar: strip(c.quote_bar),
            alert_label: strip(c.alert_label),
            list_marker: strip(c.list_marker),
            task_done: bold,
            task_open: strip(c.task_open),
            rule: strip(c.rule),
            table_border: strip(c.table_border),
            table_header: strip(c.table_header),
            code_border: strip(c.code_border),
            code_label: strip(c.code_label),
            code_clip: bold,
            console_output: strip(c.console_output),
            console_prompt: bold,
            footnote_ref: Style::new().add_modifier(Modifier::UNDERLINED),
            footnote_label: bold,
            step_label: bold,
            step_detail: strip(c.step_detail),
            badge_not_run: strip(c.badge_not_run),
            badge_running: bold,
            badge_passed: bold,
            badge_failed: bold.add_modifier(Modifier::UNDERLINED),
            badge_skipped: strip(c.badge_skipped),
            step_focus: c.step_focus,
        }
    }

    /// Drops colours from a style when the theme is monochrome (used for syntax colours).
    pub fn adapt(&self, style: Style) -> Style {
        if self.color {
            style
        } else {
            Style {
                fg: None,
                bg: None,
                underline_color: None,
                ..style
            }
        }
    }
}
