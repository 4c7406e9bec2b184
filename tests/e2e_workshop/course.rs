//! A course's life on the real engine: reset after a crash, and the example workshop pack.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::{ContainerGuard, ImageGuard, docker, learner_cmd, require_engine};

#[test]
fn reset_after_a_crash_stops_leftovers_runs_cleanups_and_clears_everything() {
    if !require_engine("reset_after_a_crash_stops_leftovers_runs_cleanups_and_clears_everything") {
        return;
    }
    use predicates::prelude::*;
    let pid = std::process::id();
    let (web, worker) = (
        format!("dg-test-reset-web-{pid}"),
        format!("dg-test-reset-worker-{pid}"),
    );
    let _guard = ContainerGuard(vec![web.clone(), worker.clone()]);
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let course = dir.path().join("course");
    fs::create_dir_all(&course).unwrap();
    fs::write(
        course.join("course.toml"),
        "id = \"dg-test-reset\"\ntitle = \"Reset test\"\nimages = [\"python:3.12-slim\"]\n",
    )
    .unwrap();
    fs::write(
        course.join("01-serve.md"),
        format!(
            "+++\ncleanup = [\"docker rm -f {web}\"]\n+++\n\n# Serve\n\n\
             ```sh {{id=web}}\ndocker run -d --name {web} python:3.12-slim sleep 300\n```\n\n\
             ```sh {{id=worker}}\ndocker run -d --name {worker} python:3.12-slim sleep 300\n```\n"
        ),
    )
    .unwrap();
    // What a crashed session leaves: two containers, a step process, a workspace, progress.
    for name in [&web, &worker] {
        let out = docker(&[
            "run",
            "-d",
            "--name",
            name,
            "python:3.12-slim",
            "sleep",
            "300",
        ]);
        crate::common::assert_success(&out);
    }
    let workspace = home.join(".local/share/docker-guide/workspaces/dg-test-reset");
    fs::create_dir_all(&workspace).unwrap();
    fs::write(workspace.join(".docker-guide-assets.json"), "{}").unwrap();
    fs::write(workspace.join("notes.txt"), "x").unwrap();
    let mut step = Command::new("sleep")
        .arg("300")
        .current_dir(&workspace)
        .env("DOCKER_GUIDE_STEP", "web")
        .env("DOCKER_GUIDE_COURSE", "dg-test-reset")
        .spawn()
        .unwrap();
    let state = home.join(".local/state/docker-guide");
    fs::create_dir_all(&state).unwrap();
    let progress = r#"{"schema":1,"courses":{"dg-test-reset":{"steps":{"web":{"status":"passed","last_run":"2026-11-26T09:00:00Z","attempts":1}}},
        "other":{"steps":{"x":{"status":"passed","last_run":"2026-11-26T09:00:00Z","attempts":1}}}}}"#;
    fs::write(state.join("progress.json"), progress).unwrap();

    // Without a terminal and without --yes: refused, nothing touched.
    learner_cmd(&home)
        .arg("--lessons")
        .arg(&course)
        .arg("reset")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--yes"));
    assert!(workspace.exists() && docker(&["container", "inspect", &web]).status.success());

    learner_cmd(&home)
        .arg("--lessons")
        .arg(&course)
        .args(["reset", "--yes"])
        .timeout(Duration::from_secs(120))
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "stopping step process {}",
            step.id()
        )))
        .stdout(predicate::str::contains(format!("✓ docker rm -f {web}")))
        .stdout(predicate::str::contains(format!(
            "✓ removed container {worker}"
        )))
        .stdout(predicate::str::contains("cleared the progress"));
    assert!(step.wait().is_ok());
    assert!(!docker(&["container", "inspect", &web]).status.success());
    assert!(!docker(&["container", "inspect", &worker]).status.success());
    assert!(!workspace.exists());
    let stored: serde_json::Value =
        serde_json::from_slice(&fs::read(state.join("progress.json")).unwrap()).unwrap();
    assert!(stored["courses"]["dg-test-reset"].is_null());
    assert!(stored["courses"]["other"].is_object());
}

/// A port nobody listens on right now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The example pack, copied with test names (`dg-test-…`) and a free port.
fn example_pack_copy(dir: &Path) -> (PathBuf, String) {
    let prefix = format!("dg-test-pack-{}-", std::process::id());
    let port = free_port().to_string();
    let pack = dir.join("pack");
    fs::create_dir_all(&pack).unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/workshop-pack");
    for entry in fs::read_dir(source).unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path)
            .unwrap()
            .replace("workshop-pack-", &prefix)
            .replace("18765", &port);
        fs::write(pack.join(path.file_name().unwrap()), text).unwrap();
    }
    (pack, prefix)
}

#[test]
fn the_example_workshop_pack_lints_clean_and_runs_end_to_end() {
    if !require_engine("the_example_workshop_pack_lints_clean_and_runs_end_to_end") {
        return;
    }
    use predicates::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let (pack, prefix) = example_pack_copy(dir.path());
    let _guard = ContainerGuard(vec![format!("{prefix}web")]);
    let _image_guard = ImageGuard(format!("{prefix}app"));
    let image = format!("{prefix}app");

    learner_cmd(&home)
        .arg("--lessons")
        .arg(&pack)
        .arg("lint")
        .assert()
        .success();
    learner_cmd(&home)
        .arg("--lessons")
        .arg(&pack)
        .args(["run", "all", "--yes"])
        .timeout(Duration::from_secs(600))
        .assert()
        .success();
    let out = learner_cmd(&home)
        .arg("--lessons")
        .arg(&pack)
        .args(["progress", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["passed"].as_u64(), v["total"].as_u64()),
        (Some(9), Some(9)),
        "{v}"
    );
    // The chapter's cleanup ran at the end of the run: nothing of the pack is left.
    assert!(
        !docker(&["container", "inspect", &format!("{prefix}web")])
            .status
            .success()
    );
    assert!(!docker(&["image", "inspect", &image]).status.success());

    learner_cmd(&home)
        .arg("--lessons")
        .arg(&pack)
        .args(["reset", "--yes"])
        .assert()
        .success()
        .stdout(predicate::str::contains("cleared the progress"));
}
