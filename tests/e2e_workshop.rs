//! Workshop tools on the real Docker engine: bundles of locally built images (no pulls), and
//! the example workshop pack. Skipped loudly without an engine; mandatory with DOCKER_GUIDE_E2E=1.

use std::fs::{self, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use docker_guide::bundle::{self, BundleCourse, BundleError, DockerCli, ImageState};

fn engine_available() -> bool {
    let Ok(mut child) = Command::new("docker")
        .args(["version", "--format", "{{.Server.Version}}"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    else {
        return false;
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return status.success(),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return false;
            }
        }
    }
}

/// False (after a loud message) when the test must be skipped; panics under DOCKER_GUIDE_E2E=1.
fn require_engine(test: &str) -> bool {
    if engine_available() {
        return true;
    }
    if std::env::var("DOCKER_GUIDE_E2E").as_deref() == Ok("1") {
        panic!("{test}: DOCKER_GUIDE_E2E=1 but no Docker engine is reachable");
    }
    eprintln!(
        "\n!!!!! SKIPPED {test}: no Docker engine reachable (set DOCKER_GUIDE_E2E=1 to make this fatal) !!!!!\n"
    );
    false
}

fn docker(args: &[&str]) -> std::process::Output {
    Command::new("docker")
        .args(args)
        .output()
        .expect("docker runs")
}

/// Tiny images made with `docker import` from a one-file tar, removed on drop.
struct TestImages {
    names: Vec<String>,
}

impl TestImages {
    fn build(tag: &str, count: usize) -> TestImages {
        let dir = tempfile::tempdir().unwrap();
        let names: Vec<String> = (0..count)
            .map(|i| format!("dg-test-bundle-{tag}-{}-{i}:1", std::process::id()))
            .collect();
        for (i, name) in names.iter().enumerate() {
            fs::write(
                dir.path().join("hello.txt"),
                format!("image {i} of {name}\n"),
            )
            .unwrap();
            let tar = dir.path().join(format!("{i}.tar"));
            let status = Command::new("tar")
                .arg("-C")
                .arg(dir.path())
                .arg("-cf")
                .arg(&tar)
                .arg("hello.txt")
                .status()
                .unwrap();
            assert!(status.success());
            let out = docker(&["import", tar.to_str().unwrap(), name]);
            assert!(
                out.status.success(),
                "docker import: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        TestImages { names }
    }

    fn remove(&self) {
        for name in &self.names {
            let _ = docker(&["image", "rm", "-f", name]);
        }
    }

    fn present(&self) -> Vec<bool> {
        self.names
            .iter()
            .map(|n| docker(&["image", "inspect", n]).status.success())
            .collect()
    }
}

impl Drop for TestImages {
    fn drop(&mut self) {
        self.remove();
    }
}

fn course() -> BundleCourse {
    BundleCourse {
        id: "dg-test-course".into(),
        version: Some("1".into()),
    }
}

fn create_bundle(images: &TestImages, dir: &Path) -> PathBuf {
    let path = dir.join("bundle.tar");
    let mut notes = Vec::new();
    let manifest = bundle::create(
        &DockerCli::default(),
        course(),
        &images.names,
        &path,
        &mut |p| notes.push(p),
    )
    .unwrap();
    assert_eq!(manifest.images.len(), images.names.len());
    assert!(
        manifest.images.iter().all(|i| i.id.starts_with("sha256:")),
        "{manifest:?}"
    );
    assert!(!dir.join("bundle.tar.partial").exists());
    path
}

#[test]
fn bundle_round_trip_restores_removed_images_with_their_ids() {
    if !require_engine("bundle_round_trip_restores_removed_images_with_their_ids") {
        return;
    }
    let images = TestImages::build("rt", 2);
    let dir = tempfile::tempdir().unwrap();
    let path = create_bundle(&images, dir.path());
    images.remove();
    assert_eq!(images.present(), [false, false]);

    let report = bundle::load(&DockerCli::default(), &path, &mut |_| {}).unwrap();
    assert!(report.all_present(), "{:?}", report.images);
    assert_eq!(images.present(), [true, true]);
    for image in &report.images {
        let id = docker(&["image", "inspect", "--format", "{{.Id}}", &image.name]);
        assert_eq!(
            String::from_utf8_lossy(&id.stdout).trim(),
            image.expected_id
        );
    }
    let checked = bundle::check(&DockerCli::default(), &images.names).unwrap();
    assert!(checked.iter().all(|(_, info)| info.is_some()));
}

#[test]
fn altered_and_truncated_bundles_are_refused_before_loading() {
    if !require_engine("altered_and_truncated_bundles_are_refused_before_loading") {
        return;
    }
    let images = TestImages::build("bad", 1);
    let dir = tempfile::tempdir().unwrap();
    let path = create_bundle(&images, dir.path());
    images.remove();

    // Flip one byte inside images.tar (its data starts after the first 512-byte header).
    let altered = dir.path().join("altered.tar");
    fs::copy(&path, &altered).unwrap();
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(&altered)
        .unwrap();
    let mut byte = [0u8; 1];
    file.seek(SeekFrom::Start(2000)).unwrap();
    file.read_exact(&mut byte).unwrap();
    file.seek(SeekFrom::Start(2000)).unwrap();
    file.write_all(&[byte[0] ^ 0xff]).unwrap();
    drop(file);
    let err = bundle::load(&DockerCli::default(), &altered, &mut |_| {}).unwrap_err();
    assert!(matches!(err, BundleError::ChecksumMismatch { .. }), "{err}");
    assert!(err.to_string().contains("nothing was loaded"), "{err}");
    assert_eq!(images.present(), [false]);

    let truncated = dir.path().join("truncated.tar");
    let bytes = fs::read(&path).unwrap();
    fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let err = bundle::load(&DockerCli::default(), &truncated, &mut |_| {}).unwrap_err();
    assert!(matches!(err, BundleError::Truncated { .. }), "{err}");
    assert_eq!(images.present(), [false]);

    // The intact bundle still loads.
    let report = bundle::load(&DockerCli::default(), &path, &mut |_| {}).unwrap();
    assert_eq!(report.images[0].state, ImageState::Present);
}

#[test]
fn creating_a_bundle_of_an_image_that_cannot_be_pulled_fails_cleanly() {
    if !require_engine("creating_a_bundle_of_an_image_that_cannot_be_pulled_fails_cleanly") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.tar");
    let missing = vec![format!(
        "dg-test-bundle-missing-{}:never",
        std::process::id()
    )];
    let err = bundle::create(
        &DockerCli::default(),
        course(),
        &missing,
        &path,
        &mut |_| {},
    )
    .unwrap_err();
    assert!(matches!(err, BundleError::PullFailed(_)), "{err}");
    assert!(!path.exists() && !dir.path().join("b.tar.partial").exists());
}

fn bin() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("docker-guide").unwrap();
    cmd.env_remove("DOCKER_GUIDE_LESSONS")
        .env_remove("DOCKER_GUIDE_WORKSPACE");
    cmd
}

/// A one-chapter course folder whose `course.toml` lists `images`.
fn course_folder(dir: &Path, images: &[String]) -> PathBuf {
    let course = dir.join("course");
    fs::create_dir_all(&course).unwrap();
    let list: Vec<String> = images.iter().map(|i| format!("{i:?}")).collect();
    let toml = format!(
        "id = \"dg-test-course\"\ntitle = \"Bundle test\"\nversion = \"2\"\nimages = [{}]\n",
        list.join(", ")
    );
    fs::write(course.join("course.toml"), toml).unwrap();
    fs::write(
        course.join("01-intro.md"),
        "# Intro\n\nNothing to run here.\n",
    )
    .unwrap();
    course
}

#[test]
fn bundle_commands_create_check_verify_and_load_a_course_offline() {
    if !require_engine("bundle_commands_create_check_verify_and_load_a_course_offline") {
        return;
    }
    use predicates::prelude::*;
    let images = TestImages::build("cli", 2);
    let dir = tempfile::tempdir().unwrap();
    let course = course_folder(dir.path(), &images.names);
    let file = dir.path().join("class.tar");

    bin()
        .arg("--lessons")
        .arg(&course)
        .args(["bundle", "check"])
        .assert()
        .success()
        .stdout(predicate::str::contains("2 of 2 present."));
    bin()
        .arg("--lessons")
        .arg(&course)
        .args(["bundle", "create"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("2 image(s)"))
        .stderr(predicate::str::contains("[2/2]"));
    bin()
        .args(["bundle", "verify"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "intact bundle of `dg-test-course`",
        ))
        .stdout(predicate::str::contains(&images.names[1]));

    images.remove();
    let out = bin()
        .arg("--lessons")
        .arg(&course)
        .args(["bundle", "check", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["present"].as_u64(), v["total"].as_u64()),
        (Some(0), Some(2))
    );

    bin()
        .args(["bundle", "load"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("2 of 2 image(s) available"));
    assert_eq!(images.present(), [true, true]);

    // A damaged copy is refused with a clear message and exit 2.
    let damaged = dir.path().join("damaged.tar");
    let mut bytes = fs::read(&file).unwrap();
    bytes[1500] ^= 0x55;
    fs::write(&damaged, bytes).unwrap();
    bin()
        .args(["bundle", "load"])
        .arg(&damaged)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("damaged or was altered"))
        .stderr(predicate::str::contains("nothing was loaded"));
}

/// Removes the named containers when the test ends, passed or not.
struct ContainerGuard(Vec<String>);

impl Drop for ContainerGuard {
    fn drop(&mut self) {
        for name in &self.0 {
            let _ = docker(&["rm", "-f", name]);
        }
    }
}

/// Removes an image the test may have built.
struct ImageGuard(String);

impl Drop for ImageGuard {
    fn drop(&mut self) {
        let _ = docker(&["image", "rm", "-f", &self.0]);
    }
}

/// A learner's machine for the CLI: its own HOME, state and data dirs.
fn learner_cmd(home: &Path) -> assert_cmd::Command {
    let mut cmd = bin();
    cmd.env("HOME", home)
        .env("XDG_STATE_HOME", home.join(".local/state"))
        .env("XDG_DATA_HOME", home.join(".local/share"));
    cmd
}

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
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let workspace = home.join(".local/share/docker-guide/workspaces/dg-test-reset");
    fs::create_dir_all(&workspace).unwrap();
    fs::write(workspace.join(".docker-guide-assets.json"), "{}").unwrap();
    fs::write(workspace.join("notes.txt"), "x").unwrap();
    let mut step = Command::new("sleep")
        .arg("300")
        .current_dir(&workspace)
        .env("DOCKER_CLI_HINTS", "false")
        .env("PAGER", "cat")
        .env("BUILDKIT_PROGRESS", "plain")
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
