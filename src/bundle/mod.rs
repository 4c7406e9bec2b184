//! Offline image bundles for workshops: one file holding every image a course needs, made with
//! `docker save` and loaded with `docker load`, with a manifest that is checked before anything
//! is loaded and an image-by-image verification after. Talks to the engine only through the
//! docker CLI, every call with a timeout; image data is streamed, never held in memory.

pub mod archive;
pub mod docker;
mod inner;
#[cfg(test)]
mod inner_tests;
pub mod manifest;
mod ops;
mod watchdog;

use std::io;

pub use docker::{DockerCli, ImageInfo};
pub use manifest::{BundleCourse, ImagesTar, MANIFEST_SCHEMA, Manifest, ManifestImage};
pub use ops::{
    BundleProgress, CheckedImage, ImageState, LoadReport, check, create, load, read_manifest,
    short_id,
};

#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error(
        "the docker CLI was not found on PATH (install Docker, then run `docker-guide doctor`)"
    )]
    DockerNotFound,
    #[error(
        "`docker {command}` did not finish within {secs} s (is the engine responding? try `docker-guide doctor`)"
    )]
    Timeout { command: String, secs: u64 },
    #[error(
        "`docker {command}` failed (exit code {code}): {stderr} (`docker-guide doctor` says why and how to fix it)"
    )]
    Docker {
        command: String,
        code: String,
        stderr: String,
    },
    #[error("cannot run docker: {0}")]
    Spawn(io::Error),
    #[error("cannot read the bundle: {0}")]
    Read(io::Error),
    #[error("cannot write the bundle: {0}")]
    Write(io::Error),
    #[error("the image stream broke off: {0}")]
    Stream(String),
    #[error("this file is not a docker-guide bundle: it has {0}")]
    NotABundle(&'static str),
    #[error(
        "the bundle is truncated: `{member}` needs {expected} bytes but the file has {actual} (copy it again)"
    )]
    Truncated {
        member: String,
        expected: u64,
        actual: u64,
    },
    #[error("the bundle has no `{0}` (not a docker-guide bundle, or damaged)")]
    MissingMember(&'static str),
    #[error("the bundle's manifest is unreadable: {0}")]
    BadManifest(String),
    #[error(
        "the bundle is damaged or was altered: the images' checksum is {actual}, the manifest says {expected}; nothing was loaded (copy it again from the original)"
    )]
    ChecksumMismatch { expected: String, actual: String },
    #[error(
        "the bundle changed while it was being loaded (checksum {actual}, expected {expected}); load it again"
    )]
    ChangedDuringLoad { expected: String, actual: String },
    #[error(
        "the bundle's images do not match its manifest: {0}; nothing was loaded (the bundle was altered or not made by `docker-guide bundle create`: ask for a fresh one)"
    )]
    Inconsistent(String),
    #[error("these images are missing and could not be pulled: {0}")]
    PullFailed(String),
    #[error("the course lists no images: nothing to bundle")]
    NoImages,
}

impl BundleError {
    /// The file was read but is not an intact bundle (cut short, altered, not ours): what
    /// `verify` and `load` check, so they exit 1 for it, not 2.
    pub fn is_damaged_bundle(&self) -> bool {
        matches!(
            self,
            BundleError::NotABundle(_)
                | BundleError::Truncated { .. }
                | BundleError::MissingMember(_)
                | BundleError::BadManifest(_)
                | BundleError::ChecksumMismatch { .. }
                | BundleError::ChangedDuringLoad { .. }
                | BundleError::Inconsistent(_)
        )
    }

    pub(crate) fn read(e: io::Error) -> Self {
        BundleError::Read(e)
    }

    pub(crate) fn write(e: io::Error) -> Self {
        BundleError::Write(e)
    }
}
