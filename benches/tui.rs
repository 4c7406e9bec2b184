//! Frame cost of the TUI: one full draw of the longest official chapter at 200×60 (the
//! chapter rendering is cached, as in the app), and the redraw cost while a step streams
//! (the transcript receives lines between frames).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use docker_guide::cli::GlobalArgs;
use docker_guide::runner::RunEvent;
use docker_guide::tui::msg::Msg;
use docker_guide::tui::state::{App, Resume};
use docker_guide::tui::update::update;
use docker_guide::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const WIDTH: u16 = 200;
const HEIGHT: u16 = 60;

/// The official course opened on its longest chapter, rendered at 200×60.
fn app_on_longest_chapter() -> App {
    let course =
        docker_guide::commands::load_course(&GlobalArgs::default()).expect("the embedded course");
    let longest = (0..course.chapters.len())
        .max_by_key(|&i| course.chapters[i].markdown.len())
        .expect("a chapter");
    let resume = Resume {
        chapter: longest,
        ..Resume::default()
    };
    let mut app = App::new(course, resume, true, Instant::now());
    update(
        &mut app,
        Msg::Resize {
            width: WIDTH,
            height: HEIGHT,
        },
    );
    app.ensure_rendered();
    app
}

fn frame(c: &mut Criterion) {
    let app = app_on_longest_chapter();
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("terminal");
    c.bench_function("frame: longest chapter at 200x60", |b| {
        b.iter(|| {
            terminal
                .draw(|f| view::render(black_box(&app), f))
                .expect("draw");
        })
    });
}

fn streaming(c: &mut Criterion) {
    let mut app = app_on_longest_chapter();
    let press = |code| Msg::Key(KeyEvent::new(code, KeyModifiers::NONE));
    // Run the focused step (the loop would start it; here output is fed by hand).
    update(&mut app, press(KeyCode::Enter));
    let step_id = app
        .focused_step()
        .map(|s| s.id.clone())
        .expect("a focused step");
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("terminal");
    let mut n = 0u64;
    // ~100 coloured lines per frame: a chatty `docker build` at 6,000 lines a second.
    c.bench_function("frame while a step streams (100 lines/frame)", |b| {
        b.iter(|| {
            let mut chunk = Vec::with_capacity(100 * 48);
            for _ in 0..100 {
                n += 1;
                chunk.extend_from_slice(
                    format!("\x1b[32mStep {n}/9\x1b[0m : RUN pip install -r requirements.txt\n")
                        .as_bytes(),
                );
            }
            update(
                &mut app,
                Msg::StepEvent {
                    step_id: step_id.clone(),
                    event: RunEvent::Output(chunk),
                },
            );
            let now = app.now + Duration::from_millis(16);
            update(&mut app, Msg::Tick(now));
            terminal.draw(|f| view::render(&app, f)).expect("draw");
        })
    });
}

fn resize(c: &mut Criterion) {
    let mut app = app_on_longest_chapter();
    docker_guide::render::warm_up(&app.course.chapters, &app.render_options());
    let mut width = WIDTH;
    // Each resize re-wraps the chapter (a new width misses the render cache), then draws.
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("terminal");
    c.bench_function("resize: re-wrap the longest chapter and draw", |b| {
        b.iter(|| {
            width = if width == WIDTH { WIDTH - 1 } else { WIDTH };
            update(
                &mut app,
                Msg::Resize {
                    width,
                    height: HEIGHT,
                },
            );
            terminal.draw(|f| view::render(&app, f)).expect("draw");
        })
    });
}

criterion_group!(benches, frame, streaming, resize);
criterion_main!(benches);
