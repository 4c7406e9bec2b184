//! The TUI's part of a live class (`class join`): `L` opens a small form (address, code,
//! name); the join itself (a request, the doctor-free snapshot) runs on a thread and answers
//! with `Msg::ClassJoined`; the feed then rides on the progress thread, and the status bar
//! says whether the class receives the learner's results.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Widget, Wrap};

use super::msg::Effect;
use super::state::{App, Overlay};
use super::theme::UiStyles;
use crate::lesson::Course;
use crate::progress::CourseProgress;
use crate::progress::export::Scrubber;
use crate::progress::live::protocol::{MAX_NAME, new_learner_id};
use crate::progress::live::{LinkStatus, LiveFeed, LiveFiles, Membership, client, feed};

const LABELS: [&str; 3] = ["Class address", "Join code", "Your name"];

/// The join form: three fields, one focused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JoinForm {
    pub fields: [String; 3],
    pub focus: usize,
    /// Why the last try failed.
    pub error: Option<String>,
    /// Joining: keys wait for the answer.
    pub busy: bool,
}

/// `L`: the form.
pub fn open_form(app: &mut App) {
    app.view.overlay = Some(Overlay::JoinClass(JoinForm::default()));
}

pub fn on_form_key(app: &mut App, mut form: JoinForm, key: KeyEvent, effects: &mut Vec<Effect>) {
    if form.busy {
        if key.code == KeyCode::Esc {
            app.view.overlay = None;
        }
        return;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Esc => {
            app.view.overlay = None;
            return;
        }
        KeyCode::Tab | KeyCode::Down => form.focus = (form.focus + 1) % 3,
        KeyCode::BackTab | KeyCode::Up => form.focus = (form.focus + 2) % 3,
        KeyCode::Backspace => {
            form.fields[form.focus].pop();
        }
        KeyCode::Char('u') if ctrl => form.fields[form.focus].clear(),
        KeyCode::Char(c) if !ctrl && form.fields[form.focus].chars().count() < 200 => {
            form.fields[form.focus].push(c)
        }
        KeyCode::Enter => {
            if form.fields[form.focus].trim().is_empty() {
                form.error = Some(format!("{} is needed", LABELS[form.focus]));
            } else if let Some(empty) = form.fields.iter().position(|f| f.trim().is_empty()) {
                form.focus = empty;
                form.error = None;
            } else if let Err(why) = check(&form) {
                form.error = Some(why);
            } else {
                form.busy = true;
                form.error = None;
                let [url, code, name] = form.fields.clone().map(|f| f.trim().to_owned());
                effects.push(Effect::JoinClass { url, code, name });
            }
        }
        _ => {}
    }
    app.view.overlay = Some(Overlay::JoinClass(form));
}

fn check(form: &JoinForm) -> Result<(), String> {
    client::normalize_url(&form.fields[0])?;
    let name = form.fields[2].trim();
    if name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        return Err(format!(
            "Your name: at most {MAX_NAME} printable characters"
        ));
    }
    Ok(())
}

/// The answer of [`join_blocking`]: close the form and attach the feed, or say what failed.
pub fn on_joined(app: &mut App, result: Result<String, String>, effects: &mut Vec<Effect>) {
    match result {
        Ok(text) => {
            if matches!(app.view.overlay, Some(Overlay::JoinClass(_))) {
                app.view.overlay = None;
            }
            super::update::notify(app, text, false);
            effects.push(Effect::AttachClass);
        }
        Err(why) => match app.view.overlay.as_mut() {
            Some(Overlay::JoinClass(form)) => {
                form.busy = false;
                form.error = Some(why);
            }
            _ => super::update::notify(app, why, true),
        },
    }
}

/// Joins on the calling thread (the loop runs it on its own): checks the address and code,
/// saves the membership and sends `progress` (the course's record so far, from the world's
/// store). The text for the status bar.
pub fn join_blocking(
    course: &Course,
    (url, code, name): (&str, &str, &str),
    workspace: Option<&std::path::Path>,
    progress: Result<CourseProgress, String>,
) -> Result<String, String> {
    let url = client::normalize_url(url)?;
    let hello = client::hello(&url, code).map_err(|e| e.to_string())?;
    let progress = progress?;
    let files = LiveFiles::default_location().map_err(|e| e.to_string())?;
    let membership = Membership {
        url: url.clone(),
        code: code.to_owned(),
        name: name.to_owned(),
        learner: new_learner_id(),
        course_id: course.id.clone(),
        next_seq: 1,
        joined_at: std::time::SystemTime::now(),
    };
    feed::join(
        &files,
        membership,
        course,
        &progress,
        None,
        &Scrubber::from_env(workspace),
    )
    .map_err(|e| e.to_string())?;
    let sent = client::flush(&files).is_ok();
    let class = crate::progress::class::printable(&hello.class);
    Ok(if sent {
        format!("joined `{class}`: your results are sent as they happen")
    } else {
        format!("joined `{class}`: results are queued until it can be reached")
    })
}

/// Whether a class is joined on this machine for this course (reads a small file: cheap
/// enough before each save).
pub fn joined(course_id: &str) -> bool {
    LiveFiles::default_location()
        .ok()
        .and_then(|files| files.membership().ok().flatten())
        .is_some_and(|joined| joined.course_id == course_id)
}

/// The feed of the class joined for this course, if any; the status bar follows its link.
pub fn attach(
    app: &mut App,
    progress: &CourseProgress,
    workspace: Option<&std::path::Path>,
) -> Option<LiveFeed> {
    let feed = LiveFeed::open_default(&app.course, progress, workspace)?;
    app.class_link = Some(feed.shared_status());
    Some(feed)
}

/// What the status bar shows, and whether it is a problem.
pub fn indicator(app: &App) -> Option<(String, bool)> {
    let status = app.class_link.as_ref()?.get();
    if status == LinkStatus::Left {
        return None;
    }
    let bad = matches!(
        status,
        LinkStatus::Offline { .. } | LinkStatus::Refused { .. }
    );
    Some((status.short(), bad))
}

pub struct JoinFormView<'a> {
    pub form: &'a JoinForm,
    pub theme: UiStyles,
}

impl JoinFormView<'_> {
    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let mut lines = vec![
            Line::from("Send your step and task results to your instructor's live class."),
            Line::from(Span::styled(
                "Only what `progress export` holds: no path, no output beyond a failure line.",
                theme.dim,
            )),
            Line::from(""),
        ];
        for (i, label) in LABELS.iter().enumerate() {
            let focused = i == self.form.focus;
            let cursor = if focused && !self.form.busy {
                "▏"
            } else {
                ""
            };
            lines.push(Line::from(vec![
                Span::styled(if focused { "▶ " } else { "  " }, theme.accent),
                Span::styled(format!("{label:<14}"), theme.dim),
                Span::styled(
                    format!("{}{cursor}", self.form.fields[i]),
                    if focused { theme.focus } else { theme.dim },
                ),
            ]));
        }
        lines.push(Line::from(""));
        if self.form.busy {
            lines.push(Line::from(Span::styled("Joining …", theme.accent)));
        } else if let Some(error) = &self.form.error {
            lines.push(Line::from(Span::styled(error.clone(), theme.fail)));
        }
        lines.push(theme.keys_line(&[
            (" Tab ", " next field  ".into()),
            (" Enter ", " join  ".into()),
            (" Esc ", " cancel".into()),
        ]));
        let width = area.width.saturating_sub(4).min(84);
        let rect = super::view::centered(area, width, lines.len() as u16 + 4);
        Clear.render(rect, buf);
        let block = Block::bordered()
            .border_type(BorderType::Rounded)
            .border_style(theme.accent)
            .title(Span::styled(" Join a live class ", theme.title));
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block.padding(ratatui::widgets::Padding::horizontal(1)))
            .render(rect, buf);
    }
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::tui::testing::app;

    fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
        let mut effects = Vec::new();
        let Some(Overlay::JoinClass(form)) = app.view.overlay.clone() else {
            panic!("the form is open");
        };
        on_form_key(
            app,
            form,
            KeyEvent::new(code, KeyModifiers::NONE),
            &mut effects,
        );
        effects
    }

    fn type_text(app: &mut App, text: &str) {
        for c in text.chars() {
            press(app, KeyCode::Char(c));
        }
    }

    fn form(app: &App) -> JoinForm {
        match &app.view.overlay {
            Some(Overlay::JoinClass(form)) => form.clone(),
            other => panic!("no form: {other:?}"),
        }
    }

    #[test]
    fn the_form_asks_for_each_field_then_joins_on_a_thread() {
        let mut app = app();
        open_form(&mut app);
        type_text(&mut app, "192.168.1.20:7878");
        assert!(press(&mut app, KeyCode::Enter).is_empty());
        assert_eq!(form(&app).focus, 1, "Enter moves on to the empty code");
        type_text(&mut app, "KPQ-7X4");
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "Ada");
        let effects = press(&mut app, KeyCode::Enter);
        assert!(matches!(
            effects.as_slice(),
            [Effect::JoinClass { url, code, name }]
                if url == "192.168.1.20:7878" && code == "KPQ-7X4" && name == "Ada"
        ));
        assert!(form(&app).busy);

        let mut effects = Vec::new();
        on_joined(
            &mut app,
            Err("the class refused the join code".into()),
            &mut effects,
        );
        assert_eq!(
            form(&app).error.as_deref(),
            Some("the class refused the join code")
        );
        assert!(!form(&app).busy);
        on_joined(&mut app, Ok("joined".into()), &mut effects);
        assert!(app.view.overlay.is_none());
        assert!(matches!(effects.as_slice(), [Effect::AttachClass]));
    }

    #[test]
    fn a_tls_address_is_refused_in_the_form() {
        let mut app = app();
        open_form(&mut app);
        type_text(&mut app, "https://class.example");
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "X");
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "Ada");
        assert!(press(&mut app, KeyCode::Enter).is_empty());
        assert!(form(&app).error.unwrap().contains("plain http"));
        press(&mut app, KeyCode::Esc);
        assert!(app.view.overlay.is_none());
    }
}
