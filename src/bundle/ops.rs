//! `create`, `load`, `verify` and `check`: the bundle operations, reporting progress through a
//! callback so the command decides how to show it.

use crate::quantities::human_bytes;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::archive::{self, ArchiveWriter, IMAGES_MEMBER, Member};
use super::{BundleCourse, BundleError, DockerCli, ImageInfo, ImagesTar, Manifest, ManifestImage};

/// What an operation is doing, for the command to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BundleProgress {
    /// A line for the learner (an image found, pulled, …).
    Note(String),
    /// Bytes written, hashed or loaded so far, and the total when known (`approximate`: an
    /// estimate from the images' sizes).
    Bytes {
        done: u64,
        total: Option<u64>,
        approximate: bool,
    },
}

/// Where an image stands after a load or in a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageState {
    Present,
    Missing,
    /// Present under that name but with another id than the bundle's.
    DifferentId(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedImage {
    pub name: String,
    pub expected_id: String,
    pub state: ImageState,
}

#[derive(Debug, Clone)]
pub struct LoadReport {
    pub manifest: Manifest,
    pub images: Vec<CheckedImage>,
    /// The engine's platform, when it differs from an image's (e.g. arm64 laptop, amd64 bundle).
    pub platform_warnings: Vec<String>,
}

impl LoadReport {
    pub fn all_present(&self) -> bool {
        self.images.iter().all(|i| i.state == ImageState::Present)
    }
}

/// Pulls what is missing, then writes `out` (via `out.partial`, renamed when complete).
pub fn create(
    docker: &DockerCli,
    course: BundleCourse,
    images: &[String],
    out: &Path,
    progress: &mut dyn FnMut(BundleProgress),
) -> Result<Manifest, BundleError> {
    if images.is_empty() {
        return Err(BundleError::NoImages);
    }
    let mut infos = Vec::new();
    let mut pull_failures = Vec::new();
    for (n, name) in images.iter().enumerate() {
        let count = format!("[{}/{}]", n + 1, images.len());
        if let Some(info) = docker.inspect(name)? {
            progress(BundleProgress::Note(format!(
                "{count} {name}: present ({}, {})",
                short_id(&info.id),
                human_bytes(info.size)
            )));
            infos.push((name.clone(), info));
            continue;
        }
        progress(BundleProgress::Note(format!(
            "{count} {name}: not present, pulling"
        )));
        match docker.pull(name, &mut |line| {
            progress(BundleProgress::Note(format!("    {line}")))
        }) {
            Ok(()) => match docker.inspect(name)? {
                Some(info) => {
                    progress(BundleProgress::Note(format!(
                        "{count} {name}: pulled ({})",
                        human_bytes(info.size)
                    )));
                    infos.push((name.clone(), info));
                }
                None => pull_failures.push(format!("{name} (pulled, but not found afterwards)")),
            },
            Err(err) => pull_failures.push(format!("{name} ({err})")),
        }
    }
    if !pull_failures.is_empty() {
        return Err(BundleError::PullFailed(pull_failures.join("; ")));
    }

    let partial = PathBuf::from(format!("{}.partial", out.display()));
    let result = write_archive(docker, course, &infos, &partial, progress);
    match result {
        Ok(manifest) => {
            fs::rename(&partial, out).map_err(BundleError::write)?;
            Ok(manifest)
        }
        Err(err) => {
            let _ = fs::remove_file(&partial);
            Err(err)
        }
    }
}

fn write_archive(
    docker: &DockerCli,
    course: BundleCourse,
    infos: &[(String, ImageInfo)],
    path: &Path,
    progress: &mut dyn FnMut(BundleProgress),
) -> Result<Manifest, BundleError> {
    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
        .map_err(BundleError::write)?;
    let now = SystemTime::now();
    let mut writer = ArchiveWriter::new(
        file,
        now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()),
    );
    let names: Vec<String> = infos.iter().map(|(name, _)| name.clone()).collect();
    let estimate: u64 = infos.iter().map(|(_, info)| info.size).sum();
    progress(BundleProgress::Note(format!(
        "saving {} image(s), about {} …",
        names.len(),
        human_bytes(estimate)
    )));
    let mut tar = None;
    docker.save(&names, &mut |stream| {
        tar = Some(writer.images(stream, &mut |done| {
            progress(BundleProgress::Bytes {
                done,
                total: Some(estimate),
                approximate: true,
            })
        })?);
        Ok(())
    })?;
    let (size, sha256) = tar.expect("save consumed the stream");
    // An image re-tagged while we saved would make the manifest lie: check the ids again.
    for (name, info) in infos {
        let now_id = docker.inspect(name)?.map(|i| i.id);
        if now_id.as_deref() != Some(info.id.as_str()) {
            return Err(BundleError::Stream(format!(
                "{name} changed while it was being saved; run `bundle create` again"
            )));
        }
    }
    let images = infos
        .iter()
        .map(|(name, info)| ManifestImage {
            name: name.clone(),
            id: info.id.clone(),
            size: info.size,
            platform: info.platform.clone(),
        })
        .collect();
    let manifest = Manifest::new(course, images, ImagesTar { size, sha256 }, now);
    writer.finish(&manifest.to_json())?;
    Ok(manifest)
}

/// Opens a bundle and checks its structure and checksum without touching the engine.
pub fn read_manifest(
    path: &Path,
    progress: &mut dyn FnMut(BundleProgress),
) -> Result<(File, Member, Manifest), BundleError> {
    let mut file = File::open(path).map_err(BundleError::read)?;
    let members = archive::members(&mut file)?;
    let manifest = Manifest::parse(&archive::read_manifest(&mut file, &members)?)?;
    let images = archive::find(&members, IMAGES_MEMBER)?.clone();
    if !images.regular {
        return Err(BundleError::NotABundle(
            "`images.tar` stored as a link or special file, which `bundle create` never writes",
        ));
    }
    if images.size != manifest.images_tar.size {
        return Err(BundleError::Truncated {
            member: IMAGES_MEMBER.into(),
            expected: manifest.images_tar.size,
            actual: images.size,
        });
    }
    let mut count = byte_counter(images.size, progress);
    let actual = archive::stream_member(&mut file, &images, &mut |buf| {
        count(buf.len());
        Ok(())
    })?;
    if actual != manifest.images_tar.sha256 {
        return Err(BundleError::ChecksumMismatch {
            expected: manifest.images_tar.sha256.clone(),
            actual,
        });
    }
    // What docker load would create must be what the manifest names, before it runs.
    let inner = super::inner::inner_images(&mut file, &images)?;
    super::inner::check(&manifest, &inner)?;
    Ok((file, images, manifest))
}

/// Reports each chunk streamed of a member of `total` bytes as exact byte progress.
fn byte_counter(total: u64, progress: &mut dyn FnMut(BundleProgress)) -> impl FnMut(usize) + '_ {
    let mut done = 0u64;
    move |chunk| {
        done += chunk as u64;
        progress(BundleProgress::Bytes {
            done,
            total: Some(total),
            approximate: false,
        });
    }
}

/// Verifies the bundle, loads it, then checks every image's id against the manifest.
pub fn load(
    docker: &DockerCli,
    path: &Path,
    progress: &mut dyn FnMut(BundleProgress),
) -> Result<LoadReport, BundleError> {
    progress(BundleProgress::Note(format!(
        "verifying {} …",
        path.display()
    )));
    let (mut file, member, manifest) = read_manifest(path, progress)?;
    let mut platform_warnings = Vec::new();
    if let Ok(engine) = docker.engine_platform() {
        for image in manifest.images.iter().filter(|i| i.platform != engine) {
            platform_warnings.push(format!(
                "{} is built for {}, your engine runs {engine}: it may fail with \"exec format error\" or run slowly under emulation",
                image.name, image.platform
            ));
        }
    }
    progress(BundleProgress::Note(format!(
        "checksum ok; loading {} image(s) into Docker …",
        manifest.images.len()
    )));
    let mut count = byte_counter(member.size, progress);
    let mut streamed = None;
    docker.load(&mut |stdin| {
        let sha = archive::stream_member(&mut file, &member, &mut |buf| -> io::Result<()> {
            stdin.write_all(buf)?;
            count(buf.len());
            Ok(())
        })?;
        streamed = Some(sha);
        Ok(())
    })?;
    let streamed = streamed.unwrap_or_default();
    if streamed != manifest.images_tar.sha256 {
        return Err(BundleError::ChangedDuringLoad {
            expected: manifest.images_tar.sha256.clone(),
            actual: streamed,
        });
    }
    let mut images = Vec::new();
    for image in &manifest.images {
        let state = match docker.inspect(&image.name)? {
            None => ImageState::Missing,
            Some(info) if info.id == image.id => ImageState::Present,
            Some(info) => ImageState::DifferentId(info.id),
        };
        images.push(CheckedImage {
            name: image.name.clone(),
            expected_id: image.id.clone(),
            state,
        });
    }
    Ok(LoadReport {
        manifest,
        images,
        platform_warnings,
    })
}

/// Which of `images` are present locally.
pub fn check(
    docker: &DockerCli,
    images: &[String],
) -> Result<Vec<(String, Option<ImageInfo>)>, BundleError> {
    images
        .iter()
        .map(|name| Ok((name.clone(), docker.inspect(name)?)))
        .collect()
}

/// `sha256:3e6f35a25d1e…` → `3e6f35a25d1e`.
pub fn short_id(id: &str) -> &str {
    let hex = id.strip_prefix("sha256:").unwrap_or(id);
    &hex[..hex.len().min(12)]
}
