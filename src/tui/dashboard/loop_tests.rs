//! The dashboard's loop without a terminal: a real class server on the loopback address, a
//! `TestBackend`, and a script of terminal events; what the instructor sees when it returns.

use std::cell::Cell;
use std::collections::VecDeque;
use std::net::TcpListener;
use std::sync::mpsc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use super::{POLL, ServerInfo, event_loop};
use crate::class_live::{Activity, Server};

fn key(code: KeyCode) -> Option<Event> {
    Some(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

/// How a run of the loop ended: its result, its last screen, and how many scripted events it
/// did not ask for.
struct Ended {
    result: std::io::Result<()>,
    screen: String,
    unused: usize,
}

/// Runs the loop on a fresh class until it returns: `activity` is waiting on its channel,
/// `script` answers its requests for events in turn (then nothing happens), and a signal
/// asks it to stop once it has asked `stop_after` times.
fn run(activity: Vec<Activity>, script: Vec<Option<Event>>, stop_after: usize) -> Ended {
    let dir = tempfile::tempdir().unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let (tx, rx) = mpsc::channel();
    let db = dir.path().join("class.db");
    let server = Server::start(&db, listener, "Test", Some(tx.clone())).expect("server starts");
    for item in activity {
        tx.send(item).unwrap();
    }
    let info = ServerInfo {
        code: server.shared.code().to_owned(),
        urls: vec![format!("http://{}", server.addr)],
        data: "class.db".into(),
    };
    let mut terminal = Terminal::new(TestBackend::new(120, 24)).unwrap();
    let mut script = VecDeque::from(script);
    let asked = Cell::new(0);
    let result = event_loop(
        &mut terminal,
        &server,
        &rx,
        info,
        || asked.get() >= stop_after,
        |wait| {
            assert_eq!(wait, POLL, "the loop waits for events, it does not spin");
            asked.set(asked.get() + 1);
            assert!(asked.get() < 1000, "the loop never stopped");
            Ok(script.pop_front().flatten())
        },
    );
    server.stop().unwrap();
    Ended {
        result,
        screen: terminal.backend().to_string(),
        unused: script.len(),
    }
}

#[test]
fn q_quits_after_the_first_frame_shows_the_join_code_and_how_to_join() {
    let ended = run(Vec::new(), vec![key(KeyCode::Char('q'))], usize::MAX);
    assert!(ended.result.is_ok());
    assert_eq!(ended.unused, 0);
    let screen = &ended.screen;
    assert!(screen.contains("join code "), "{screen}");
    assert!(screen.contains("No learner yet"), "{screen}");
    assert!(
        screen.contains("docker-guide class join http://127.0.0.1:"),
        "{screen}"
    );
}

#[test]
fn activity_and_keys_reach_the_screen_before_quitting() {
    let joined = Activity::Joined {
        name: "Grace".into(),
    };
    let failed = Activity::Failed {
        name: "Grace".into(),
        step: "compose".into(),
        why: "port-in-use".into(),
    };
    let script = vec![
        Some(Event::Resize(120, 24)),
        key(KeyCode::Tab),
        None,
        key(KeyCode::Char('q')),
        key(KeyCode::Char('q')),
    ];
    let ended = run(vec![joined, failed], script, usize::MAX);
    assert!(ended.result.is_ok());
    assert_eq!(ended.unused, 1, "the first q quits");
    let screen = &ended.screen;
    assert!(screen.contains("Grace joined"), "{screen}");
    assert!(
        screen.contains("Grace failed compose: port-in-use"),
        "{screen}"
    );
    // Tab switched to the class view: its key now goes back to the learners.
    assert!(screen.contains("Tab learners"), "{screen}");
}

#[test]
fn a_signal_stops_it_without_a_key() {
    let ended = run(Vec::new(), Vec::new(), 3);
    assert!(ended.result.is_ok());
    assert!(ended.screen.contains("join code "), "{}", ended.screen);
}

#[test]
fn keys_released_do_not_count() {
    let mut release = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    release.kind = ratatui::crossterm::event::KeyEventKind::Release;
    let script = vec![Some(Event::Key(release)), key(KeyCode::Char('q'))];
    let ended = run(Vec::new(), script, usize::MAX);
    assert!(ended.result.is_ok());
    assert_eq!(
        ended.unused, 0,
        "the released q was passed over, the pressed one quit"
    );
}
