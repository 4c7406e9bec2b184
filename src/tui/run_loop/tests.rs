//! The loop end to end against fakes: a `TestBackend` screen, a fake step starter, a fake
//! console and the doctor's fake probe. Key → effect → runner event → message → screen.

use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use super::EventLoop;
use crate::doctor::fake::FakeProbe;
use crate::progress::{StepStatus, Store};
use crate::runner::{FailReason, RunEvent, StepIds, StepOutcome, StepSpec};
use crate::tui::msg::Msg;
use crate::tui::state::App;
use crate::tui::testing;
use crate::tui::world::{Console, Options, RunningStep, Sink, StepStarter, World};

/// What the fakes saw, shared with the test.
#[derive(Default)]
struct Log {
    /// Steps started: (step id, spec).
    started: Vec<(String, StepSpec)>,
    /// The sink of each started step, for the test to send its events.
    sinks: Vec<(String, Sink)>,
    cancelled: Vec<String>,
    /// Interactive steps run: (step id, script, title).
    interactive: Vec<(String, String, String)>,
    clipboard: Vec<String>,
    /// How often the console was asked to listen (again after each hand-over).
    listens: usize,
    /// Sends keys "typed" by the learner, once the loop listens.
    keys: Option<Sender<Msg>>,
}

type Shared = Arc<Mutex<Log>>;

struct FakeSteps(Shared);

impl StepStarter for FakeSteps {
    fn start(
        &mut self,
        spec: StepSpec,
        ids: &StepIds,
        sink: Sink,
    ) -> Result<Box<dyn RunningStep>, String> {
        if spec.script.contains("cannot-spawn") {
            return Err("no such shell".into());
        }
        let mut log = self.0.lock().unwrap();
        log.started.push((ids.step.clone(), spec));
        log.sinks.push((ids.step.clone(), sink));
        Ok(Box::new(FakeRunning(ids.step.clone(), self.0.clone())))
    }

    fn run_interactive(&mut self, spec: &StepSpec, ids: &StepIds, title: &str) -> StepOutcome {
        let mut log = self.0.lock().unwrap();
        log.interactive
            .push((ids.step.clone(), spec.script.clone(), title.to_string()));
        StepOutcome::passed(Duration::ZERO, Some(0))
    }
}

struct FakeRunning(String, Shared);

impl RunningStep for FakeRunning {
    fn cancel(&self) {
        self.1.lock().unwrap().cancelled.push(self.0.clone());
    }

    fn wait(&self, _timeout: Duration) -> bool {
        true
    }
}

struct FakeConsole(Shared);

impl Console for FakeConsole {
    fn listen(&mut self, tx: Sender<Msg>) {
        let mut log = self.0.lock().unwrap();
        log.listens += 1;
        log.keys = Some(tx);
    }

    fn stop_listening(&mut self) {
        self.0.lock().unwrap().keys = None;
    }

    fn hand_over(&mut self, f: &mut dyn FnMut()) -> std::io::Result<()> {
        f();
        Ok(())
    }

    fn suspend(&mut self) -> std::io::Result<()> {
        Ok(())
    }

    fn copy_to_clipboard(&mut self, text: &str) -> std::io::Result<()> {
        self.0.lock().unwrap().clipboard.push(text.to_string());
        Ok(())
    }
}

/// Whether step `step_id` ran and ended.
fn finished(app: &App, step_id: &str) -> bool {
    app.runs.get(step_id).is_some_and(|run| !run.is_running())
}

struct Harness {
    runtime: EventLoop<TestBackend>,
    app: App,
    log: Shared,
    dir: tempfile::TempDir,
}

fn harness() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let log = Shared::default();
    let world = World {
        terminal: Terminal::new(TestBackend::new(100, 30)).unwrap(),
        console: Box::new(FakeConsole(log.clone())),
        steps: Box::new(FakeSteps(log.clone())),
        probe: Arc::new(FakeProbe::empty()),
        store: Store::open(&dir.path().join("progress.json")).map_err(|e| e.to_string()),
        clock: Instant::now,
        signals: None,
        options: Options {
            workspace_dir: Some(dir.path().join("workspace")),
            color: false,
            lint_command: "docker-guide lint".into(),
            exit_after_first_frame: false,
            hyperlinks: false,
        },
    };
    let mut app = testing::app();
    let mut runtime = EventLoop::new(world, &mut app);
    runtime.begin(&mut app).unwrap();
    // The header says the doctor is checking; it starts once the first frame is drawn.
    assert!(app.doctor.running && runtime.first_frame_pending);
    runtime.draw(&mut app).unwrap();
    assert!(!runtime.first_frame_pending);
    let mut harness = Harness {
        runtime,
        app,
        log,
        dir,
    };
    // The doctor starts after the first frame (the fake probe: nothing installed) and
    // reports before the first look.
    harness.settle(|app| !app.doctor.running);
    harness
}

impl Harness {
    /// Applies what arrives until `done` holds (at most 5 s), then draws a frame.
    fn settle(&mut self, done: impl Fn(&App) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            while let Ok(msg) = self.runtime.rx.try_recv() {
                self.runtime.dispatch(&mut self.app, msg);
            }
            if done(&self.app) || Instant::now() > deadline {
                break;
            }
            if let Ok(msg) = self.runtime.rx.recv_timeout(Duration::from_millis(20)) {
                self.runtime.dispatch(&mut self.app, msg);
            }
        }
        self.runtime.draw(&mut self.app).unwrap();
    }

    /// The learner presses `code` (through the console's channel, as a terminal would).
    fn press(&mut self, code: KeyCode) {
        let keys = self
            .log
            .lock()
            .unwrap()
            .keys
            .clone()
            .expect("the loop listens");
        keys.send(testing::key(code)).unwrap();
        self.settle(|_| true);
    }

    /// The fake runner reports `event` for `step_id`, from another thread like the real one.
    fn runner_sends(&mut self, step_id: &str, event: RunEvent) {
        let log = self.log.clone();
        let id = step_id.to_string();
        std::thread::spawn(move || {
            let mut log = log.lock().unwrap();
            let (_, sink) = log.sinks.iter_mut().find(|(s, _)| *s == id).unwrap();
            sink(event);
        })
        .join()
        .unwrap();
    }

    fn screen(&self) -> String {
        let buffer = self.runtime.terminal.backend().buffer();
        let width = buffer.area.width as usize;
        let symbols: Vec<&str> = buffer.content.iter().map(|c| c.symbol()).collect();
        symbols
            .chunks(width)
            .map(|row| row.concat())
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn quit(mut self) -> (Shared, tempfile::TempDir) {
        self.press(KeyCode::Char('q'));
        assert!(self.app.quitting, "q quits when nothing runs");
        self.runtime.shutdown(&mut self.app);
        (self.log, self.dir)
    }
}

#[test]
fn enter_runs_the_step_and_its_output_and_end_reach_the_screen_and_the_store() {
    let mut h = harness();
    assert!(h.screen().contains("First steps"), "{}", h.screen());

    h.press(KeyCode::Enter);
    {
        let log = h.log.lock().unwrap();
        let (id, spec) = log.started.last().expect("Enter started the focused step");
        assert_eq!(id, "first-steps-1");
        assert!(
            spec.script.contains("echo hello-from-step"),
            "{}",
            spec.script
        );
        assert!(spec.cwd.starts_with(h.dir.path().join("workspace")));
    }
    assert!(h.app.any_running());

    h.runner_sends(
        "first-steps-1",
        RunEvent::Output(b"hello from the fake\n".to_vec()),
    );
    h.runner_sends(
        "first-steps-1",
        RunEvent::Finished(StepOutcome::passed(Duration::from_millis(5), Some(0))),
    );
    h.settle(|h| !h.any_running());
    assert!(finished(&h.app, "first-steps-1"));
    let screen = h.screen();
    assert!(screen.contains("hello from the fake"), "{screen}");

    let (_, dir) = h.quit();
    let mut store = Store::open(&dir.path().join("progress.json")).unwrap();
    let progress = store.course("test-course");
    assert_eq!(
        progress.steps.get("first-steps-1").map(|r| r.status),
        Some(StepStatus::Passed),
        "the pass reached the store through the loop's writer"
    );
    let _ = store.take_warnings();
}

#[test]
fn x_cancels_through_the_starter_and_the_cancelled_end_shows() {
    let mut h = harness();
    h.press(KeyCode::Enter);
    h.press(KeyCode::Char('x'));
    assert_eq!(h.log.lock().unwrap().cancelled, ["first-steps-1"]);
    h.runner_sends(
        "first-steps-1",
        RunEvent::Finished(StepOutcome::failed(
            FailReason::Cancelled,
            Duration::ZERO,
            None,
        )),
    );
    h.settle(|h| !h.any_running());
    assert!(h.screen().contains("cancelled"), "{}", h.screen());
    h.quit();
}

#[test]
fn quitting_with_a_step_running_asks_then_stops_it() {
    let mut h = harness();
    h.press(KeyCode::Enter);
    h.press(KeyCode::Char('q'));
    assert!(!h.app.quitting, "a running step makes q ask first");
    assert!(h.screen().contains("running"), "{}", h.screen());
    h.press(KeyCode::Char('y'));
    assert!(h.app.quitting);
    h.runtime.shutdown(&mut h.app);
    assert!(
        h.log
            .lock()
            .unwrap()
            .cancelled
            .contains(&"first-steps-1".to_string()),
        "shutdown cancels what still runs"
    );
}

#[test]
fn a_spawn_error_ends_the_step_as_a_failure_on_screen() {
    let mut h = harness();
    let chapter = &mut h.app.course.chapters[0];
    chapter.steps[0].code = "cannot-spawn".into();
    chapter.steps[0].kind = crate::lesson::StepKind::Command {
        script: "cannot-spawn".into(),
    };
    h.press(KeyCode::Enter);
    h.settle(|h| !h.any_running());
    assert!(finished(&h.app, "first-steps-1"));
    assert!(h.screen().contains("no such shell"), "{}", h.screen());
}

#[test]
fn copy_goes_to_the_console_clipboard() {
    let mut h = harness();
    h.press(KeyCode::Char('c'));
    assert_eq!(h.log.lock().unwrap().clipboard, ["echo hello-from-step"]);
}

#[test]
fn an_interactive_step_hands_the_terminal_over_and_listens_again() {
    let mut h = harness();
    h.press(KeyCode::Right);
    h.press(KeyCode::Right);
    assert_eq!(h.app.chapter, 2, "the chapter with the interactive step");
    let listens = h.log.lock().unwrap().listens;
    h.app.focused = Some(2);
    h.press(KeyCode::Enter);
    h.settle(|app| finished(app, "more-3"));
    assert!(
        finished(&h.app, "more-3"),
        "the fake's interactive run ended it"
    );
    assert_eq!(h.log.lock().unwrap().listens, listens + 1);
    let log = h.log.lock().unwrap();
    assert!(log.started.is_empty(), "not started as a piped step");
    assert_eq!(log.interactive.len(), 1);
    assert_eq!(log.interactive[0].0, "more-3");
    assert!(
        log.interactive[0]
            .1
            .contains("docker run -it --rm alpine sh")
    );
    assert_eq!(log.interactive[0].2, "docker run -it --rm alpine sh");
}

/// The whole `run`, with keys arriving while it loops: the console types `q` once it listens.
#[test]
fn run_draws_and_quits_on_q() {
    let h = harness();
    let Harness {
        mut runtime,
        mut app,
        log,
        dir: _dir,
    } = h;
    let keys = log.lock().unwrap().keys.clone().unwrap();
    keys.send(testing::key(KeyCode::Char('j'))).unwrap();
    keys.send(testing::key(KeyCode::Char('q'))).unwrap();
    runtime.run(&mut app).unwrap();
    assert!(app.quitting);
    let screen: String = runtime
        .terminal
        .backend()
        .buffer()
        .content
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(screen.contains("First steps"));
}
