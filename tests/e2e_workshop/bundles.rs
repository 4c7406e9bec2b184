//! Bundles: create → remove → load → verify, damaged copies refused, through the library and the CLI.

use std::fs::{self, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use docker_guide::bundle::{self, BundleCourse, BundleError, DockerCli, ImageState};

use super::{bin, docker, require_engine};

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

    // A damaged copy is refused with a clear message naming the file, and exit 1 (the thing
    // checked failed): by `load` and by `verify`; so is a copy cut short.
    let damaged = dir.path().join("damaged.tar");
    let bytes = fs::read(&file).unwrap();
    let mut flipped = bytes.clone();
    flipped[1500] ^= 0x55;
    fs::write(&damaged, flipped).unwrap();
    for command in ["load", "verify"] {
        bin()
            .args(["bundle", command])
            .arg(&damaged)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(damaged.display().to_string()))
            .stderr(predicate::str::contains("damaged or was altered"))
            .stderr(predicate::str::contains("nothing was loaded"));
    }
    let truncated = dir.path().join("truncated.tar");
    fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    bin()
        .args(["bundle", "verify"])
        .arg(&truncated)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("truncated"));
    // No file at all is a usage error (exit 2) that names the path.
    let missing = dir.path().join("nowhere.tar");
    bin()
        .args(["bundle", "verify"])
        .arg(&missing)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(missing.display().to_string()));
}
