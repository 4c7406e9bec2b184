use std::time::{Duration, SystemTime};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::model::{Dashboard, ServerInfo, SortBy};
use super::view;
use crate::class_live::state::Row;
use crate::progress::class::summarize;
use crate::progress::export::{ExportFailure, ExportStatus};

fn row(name: &str, state: ExportStatus, minutes: u64, passed: usize) -> Row {
    Row {
        id: name.to_lowercase(),
        name: name.into(),
        chapter: Some((2, "build".into())),
        step: Some("compose".into()),
        is_task: false,
        state,
        attempts: 2,
        time_here: Duration::from_secs(minutes * 60),
        stuck: state == ExportStatus::Failed,
        passed,
        total: 9,
        last_failure: (state == ExportStatus::Failed).then(|| {
            (
                "compose".to_owned(),
                ExportFailure {
                    summary: "exit code 125".into(),
                    explanation_id: Some("port-in-use".into()),
                    at: SystemTime::now(),
                },
            )
        }),
        doctor_failing: 0,
        left: false,
    }
}

fn rows() -> Vec<Row> {
    vec![
        row("Ada", ExportStatus::Passed, 30, 8),
        row("Ben", ExportStatus::Failed, 5, 3),
        row("Cy", ExportStatus::Failed, 12, 4),
    ]
}

fn key(dash: &mut Dashboard, code: KeyCode, shown: usize) {
    dash.key(KeyEvent::new(code, KeyModifiers::NONE), shown);
}

fn names(rows: &[Row]) -> Vec<&str> {
    rows.iter().map(|r| r.name.as_str()).collect()
}

#[test]
fn stuck_first_then_other_sorts_and_filters() {
    let mut dash = Dashboard::new(ServerInfo::default());
    assert_eq!(names(&dash.visible(rows())), ["Cy", "Ben", "Ada"]);
    key(&mut dash, KeyCode::Char('s'), 3);
    assert_eq!(dash.sort, SortBy::Name);
    assert_eq!(names(&dash.visible(rows())), ["Ada", "Ben", "Cy"]);
    key(&mut dash, KeyCode::Char('s'), 3);
    assert_eq!(names(&dash.visible(rows())), ["Ben", "Cy", "Ada"]);
    key(&mut dash, KeyCode::Char('f'), 3);
    assert_eq!(names(&dash.visible(rows())), ["Ben", "Cy"]);
    key(&mut dash, KeyCode::Char('/'), 2);
    for c in "cy".chars() {
        key(&mut dash, KeyCode::Char(c), 2);
    }
    key(&mut dash, KeyCode::Enter, 1);
    assert_eq!(names(&dash.visible(rows())), ["Cy"]);
    key(&mut dash, KeyCode::Esc, 1);
    assert_eq!(dash.visible(rows()).len(), 3);
    key(&mut dash, KeyCode::Char('q'), 3);
    assert!(dash.quit);
}

#[test]
fn the_dashboard_shows_rows_and_a_learners_last_failure() {
    let mut dash = Dashboard::new(ServerInfo {
        code: "KPQ-7X4".into(),
        urls: vec!["http://192.168.1.20:7878".into()],
        data: "class.db".into(),
    });
    let visible = dash.visible(rows());
    let mut terminal = Terminal::new(TestBackend::new(120, 20)).unwrap();
    let summary = summarize(Vec::new(), None);
    let screen = |terminal: &mut Terminal<TestBackend>, dash: &Dashboard| {
        terminal
            .draw(|f| view::draw(f, dash, &visible, &summary))
            .unwrap();
        let buffer = terminal.backend().buffer().clone();
        (0..buffer.area.height)
            .map(|y| {
                (0..buffer.area.width)
                    .map(|x| buffer[(x, y)].symbol().to_string())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let text = screen(&mut terminal, &dash);
    assert!(text.contains("join code KPQ-7X4"), "{text}");
    assert!(text.contains("3 learner(s), 2 stuck"), "{text}");
    let cy = text.lines().position(|l| l.contains("Cy")).unwrap();
    let ada = text.lines().position(|l| l.contains("Ada")).unwrap();
    assert!(cy < ada, "stuck first:\n{text}");
    assert!(
        text.contains("FAILING") && text.contains("compose: port-in-use"),
        "{text}"
    );

    key(&mut dash, KeyCode::Enter, visible.len());
    let text = screen(&mut terminal, &dash);
    assert!(text.contains("Cy: last failure"), "{text}");
    assert!(text.contains("exit code 125"), "{text}");
    assert!(
        text.contains("port-in-use:"),
        "the known error's cause: {text}"
    );
}
