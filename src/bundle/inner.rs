//! What `images.tar` really holds, read from its own `manifest.json` (the `docker save`
//! format, legacy or OCI) before anything reaches `docker load`: each image's tags and its
//! id (the sha256 of its config, computed here, as `docker load` computes it). A bundle whose
//! `images.tar` would tag another image than its manifest names could otherwise retag any
//! local image (`python:3.12-slim` → the bundle's), with a correct checksum over the file.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

use sha2::{Digest, Sha256};

use super::archive::{Damage, Member, hex, walk};
use super::{BundleError, Manifest};
use crate::lesson::normalize_image;

/// Largest inner `manifest.json` or image config read; docker's are a few KiB.
const MAX_JSON: u64 = 16 << 20;

/// One image of `images.tar`: the names `docker load` gives it, and its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InnerImage {
    pub repo_tags: Vec<String>,
    pub id: String,
}

fn inconsistent(why: String) -> BundleError {
    BundleError::Inconsistent(why)
}

/// Lists `images.tar`'s files by name (long names resolved as tar readers do).
fn entries(file: &mut File, member: &Member) -> Result<HashMap<String, Member>, BundleError> {
    let walked = walk(file, member.offset, member.offset + member.size)?;
    match walked.damage {
        Some(Damage::Header(_)) => Err(inconsistent("images.tar has a damaged tar header".into())),
        Some(Damage::PastEnd { .. }) => Err(inconsistent(
            "images.tar has a member that runs past its end".into(),
        )),
        None => Ok(walked
            .members
            .into_iter()
            .map(|m| (m.name.clone(), m))
            .collect()),
    }
}

fn read_at(file: &mut File, offset: u64, size: u64) -> Result<Vec<u8>, BundleError> {
    file.seek(SeekFrom::Start(offset))
        .map_err(BundleError::read)?;
    let mut bytes = vec![0u8; size as usize];
    file.read_exact(&mut bytes).map_err(BundleError::read)?;
    Ok(bytes)
}

/// The images `docker load` would create from `images.tar`.
pub(crate) fn inner_images(
    file: &mut File,
    member: &Member,
) -> Result<Vec<InnerImage>, BundleError> {
    let files = entries(file, member)?;
    let read_json = |file: &mut File, name: &str| -> Result<Vec<u8>, BundleError> {
        let entry = files
            .get(name)
            .ok_or_else(|| inconsistent(format!("images.tar has no `{name}`")))?;
        if !entry.regular {
            return Err(inconsistent(format!("images.tar holds `{name}` as a link")));
        }
        if entry.size > MAX_JSON {
            return Err(inconsistent(format!("images.tar's `{name}` is too large")));
        }
        read_at(file, entry.offset, entry.size)
    };
    let manifest = read_json(file, "manifest.json")?;
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Saved {
        config: String,
        #[serde(default)]
        repo_tags: Option<Vec<String>>,
    }
    let saved: Vec<Saved> = serde_json::from_slice(&manifest)
        .map_err(|e| inconsistent(format!("images.tar's manifest.json is unreadable: {e}")))?;
    saved
        .into_iter()
        .map(|image| {
            let config = read_json(file, image.config.trim_start_matches("./"))?;
            Ok(InnerImage {
                repo_tags: image.repo_tags.unwrap_or_default(),
                id: format!("sha256:{}", hex(&Sha256::digest(&config))),
            })
        })
        .collect()
}

/// Every image the manifest names is in `images.tar` with the manifest's id, and
/// `images.tar` tags nothing the manifest does not name with that id.
pub(crate) fn check(manifest: &Manifest, inner: &[InnerImage]) -> Result<(), BundleError> {
    if inner.is_empty() {
        return Err(inconsistent("images.tar holds no image".into()));
    }
    let short = |id: &str| super::short_id(id).to_owned();
    for image in inner {
        for tag in &image.repo_tags {
            let named = manifest
                .images
                .iter()
                .find(|m| normalize_image(&m.name) == normalize_image(tag));
            match named {
                Some(m) if m.id == image.id => {}
                Some(m) => {
                    return Err(inconsistent(format!(
                        "images.tar would tag `{tag}` as image {}, but the manifest says {}",
                        short(&image.id),
                        short(&m.id)
                    )));
                }
                None => {
                    return Err(inconsistent(format!(
                        "images.tar would tag `{tag}` (image {}), which the manifest does not name",
                        short(&image.id)
                    )));
                }
            }
        }
    }
    for named in &manifest.images {
        let held = inner.iter().any(|image| {
            image.id == named.id
                && image
                    .repo_tags
                    .iter()
                    .any(|t| normalize_image(t) == normalize_image(&named.name))
        });
        if !held {
            return Err(inconsistent(format!(
                "the manifest names `{}` (image {}) but images.tar does not hold it",
                named.name,
                short(&named.id)
            )));
        }
    }
    Ok(())
}
