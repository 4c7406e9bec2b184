//! Bundles whose `images.tar` disagrees with their manifest, or whose members are not what
//! `bundle create` writes (issue 12 items 4 and 13): refused before `docker load`, with the
//! right message. The inner archives are built here in docker save's legacy layout.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

use sha2::{Digest, Sha256};

use super::archive::hex;
use super::*;

/// A tar of `(name, bytes)` regular files.
fn tar(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, bytes) in files {
        out.extend_from_slice(&archive::header(name, bytes.len() as u64, 0));
        out.extend_from_slice(bytes);
        out.resize(out.len().div_ceil(512) * 512, 0);
    }
    out.resize(out.len() + 1024, 0);
    out
}

/// A saved image: its config, and its id (the config's sha256).
fn config(n: u8) -> (Vec<u8>, String) {
    let config = format!("{{\"architecture\":\"amd64\",\"n\":{n}}}").into_bytes();
    let hex_id = hex(&Sha256::digest(&config));
    (config, hex_id)
}

/// `images.tar` as docker save writes it: `manifest.json` naming each config and its tags.
fn saved(images: &[(u8, &[&str])]) -> Vec<u8> {
    let configs: Vec<(Vec<u8>, String)> = images.iter().map(|(n, _)| config(*n)).collect();
    let manifest: Vec<serde_json::Value> = images
        .iter()
        .zip(&configs)
        .map(|((_, tags), (_, id))| {
            serde_json::json!({"Config": format!("{id}.json"), "RepoTags": tags, "Layers": []})
        })
        .collect();
    let manifest = serde_json::to_vec(&manifest).unwrap();
    let names: Vec<String> = configs.iter().map(|(_, id)| format!("{id}.json")).collect();
    let mut files: Vec<(&str, &[u8])> = vec![("manifest.json", &manifest)];
    for ((bytes, _), name) in configs.iter().zip(&names) {
        files.push((name, bytes));
    }
    tar(&files)
}

fn write_bundle(dir: &Path, inner: &[u8], named: &[(&str, String)]) -> PathBuf {
    let path = dir.join("b.dgbundle");
    let mut writer = super::archive::tests::writer_at(&path);
    let (size, sha256) = writer.images(&mut &inner[..], &mut |_| {}).unwrap();
    let images = named
        .iter()
        .map(|(name, id)| ManifestImage {
            name: (*name).into(),
            id: id.clone(),
            size: 1,
            platform: "linux/amd64".into(),
        })
        .collect();
    let course = BundleCourse {
        id: "c".into(),
        version: None,
    };
    let manifest = Manifest::new(
        course,
        images,
        ImagesTar { size, sha256 },
        UNIX_EPOCH + Duration::from_secs(1_790_000_000),
    );
    writer.finish(&manifest.to_json()).unwrap();
    path
}

fn id(n: u8) -> String {
    format!("sha256:{}", config(n).1)
}

fn verify(path: &Path) -> Result<Manifest, BundleError> {
    read_manifest(path, &mut |_| {}).map(|(_, _, m)| m)
}

#[test]
fn a_consistent_bundle_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let inner = saved(&[(1, &["dg-test-a:1"]), (2, &["python:3.12-slim"])]);
    let path = write_bundle(
        dir.path(),
        &inner,
        &[("dg-test-a:1", id(1)), ("python:3.12-slim", id(2))],
    );
    assert_eq!(verify(&path).unwrap().images.len(), 2);
}

#[test]
fn an_inner_archive_that_would_retag_another_image_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // The manifest names only dg-test-a; images.tar would also tag python:3.12-slim.
    let inner = saved(&[(1, &["dg-test-a:1", "python:3.12-slim"])]);
    let path = write_bundle(dir.path(), &inner, &[("dg-test-a:1", id(1))]);
    let err = verify(&path).unwrap_err();
    assert!(err.is_damaged_bundle());
    let text = err.to_string();
    assert!(
        text.contains("would tag `python:3.12-slim`") && text.contains("nothing was loaded"),
        "{text}"
    );

    // Another image under the manifest's own name.
    let inner = saved(&[(9, &["dg-test-a:1"])]);
    let path = write_bundle(dir.path(), &inner, &[("dg-test-a:1", id(1))]);
    let text = verify(&path).unwrap_err().to_string();
    assert!(text.contains("but the manifest says"), "{text}");
}

#[test]
fn an_inner_archive_without_the_named_image_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let inner = saved(&[]);
    let path = write_bundle(dir.path(), &inner, &[("python:3.12-slim", id(2))]);
    let text = verify(&path).unwrap_err().to_string();
    assert!(text.contains("images.tar holds no image"), "{text}");

    let inner = tar(&[("hello.txt", b"hi")]);
    let path = write_bundle(dir.path(), &inner, &[("python:3.12-slim", id(2))]);
    let text = verify(&path).unwrap_err().to_string();
    assert!(text.contains("images.tar has no `manifest.json`"), "{text}");
}

/// Item 13: a manifest naming `python:3.12-slim` with a wrong id is refused before loading
/// (it said "another image holds this name; remove it", deleting the learner's image).
#[test]
fn a_wrong_id_in_the_manifest_never_suggests_removing_the_learners_image() {
    let dir = tempfile::tempdir().unwrap();
    let inner = saved(&[(2, &["python:3.12-slim"])]);
    let path = write_bundle(dir.path(), &inner, &[("python:3.12-slim", id(3))]);
    let text = verify(&path).unwrap_err().to_string();
    assert!(text.contains("`python:3.12-slim`"), "{text}");
    assert!(!text.contains("remove"), "{text}");
}

/// Item 13: `images.tar` stored as a symlink said "truncated … copy it again".
#[test]
fn an_images_member_stored_as_a_link_is_not_called_truncated() {
    let dir = tempfile::tempdir().unwrap();
    let inner = saved(&[(1, &["dg-test-a:1"])]);
    let path = write_bundle(dir.path(), &inner, &[("dg-test-a:1", id(1))]);
    let mut bytes = std::fs::read(&path).unwrap();
    // Turn the first header into a symlink to /etc/passwd with no data.
    let mut header = archive::header("images.tar", 0, 0);
    header[156] = b'2';
    header[157..168].copy_from_slice(b"/etc/passwd");
    header[148..156].fill(b' ');
    let sum: u32 = header.iter().map(|&b| u32::from(b)).sum();
    header[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    let manifest_at = 512 + inner.len().div_ceil(512) * 512;
    let mut linked = header.to_vec();
    linked.extend_from_slice(&bytes[manifest_at..]);
    bytes = linked;
    std::fs::write(&path, &bytes).unwrap();
    let err = verify(&path).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, BundleError::NotABundle(_)), "{text}");
    assert!(text.contains("`images.tar` stored as a link"), "{text}");
}

/// Item 13: a bundle cut to 100 bytes said "not a docker-guide bundle".
#[test]
fn a_bundle_cut_inside_its_first_header_is_truncated() {
    let dir = tempfile::tempdir().unwrap();
    let inner = saved(&[(1, &["dg-test-a:1"])]);
    let path = write_bundle(dir.path(), &inner, &[("dg-test-a:1", id(1))]);
    for cut in [511u64, 100, 5] {
        OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(cut)
            .unwrap();
        let err = verify(&path).unwrap_err();
        assert!(matches!(err, BundleError::Truncated { .. }), "{cut}: {err}");
    }
    // Something else of 100 bytes is still not ours.
    File::create(&path)
        .unwrap()
        .write_all(&[b'x'; 100])
        .unwrap();
    assert!(matches!(
        verify(&path).unwrap_err(),
        BundleError::NotABundle(_)
    ));
}
