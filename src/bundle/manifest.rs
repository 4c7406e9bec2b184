//! The bundle's manifest: what is inside, for which course, and the checksum that lets
//! `bundle load` refuse a damaged file before anything reaches the engine.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::BundleError;
use crate::progress::export::EXPORT_SCHEMA;

/// The `schema` of manifests this version writes and reads.
pub const MANIFEST_SCHEMA: &str = "docker-guide.bundle/v1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub schema: String,
    pub course: BundleCourse,
    pub docker_guide_version: String,
    /// RFC 3339.
    pub created_at: String,
    pub images: Vec<ManifestImage>,
    pub images_tar: ImagesTar,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleCourse {
    pub id: String,
    pub version: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestImage {
    /// As the course names it, e.g. `python:3.12-slim`.
    pub name: String,
    /// The image id (`sha256:…` of its config): what `docker image inspect` reports after loading.
    pub id: String,
    /// Bytes, as `docker image inspect` reports (uncompressed).
    pub size: u64,
    /// e.g. `linux/amd64`.
    pub platform: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImagesTar {
    pub size: u64,
    pub sha256: String,
}

impl Manifest {
    pub fn new(
        course: BundleCourse,
        images: Vec<ManifestImage>,
        images_tar: ImagesTar,
        created_at: SystemTime,
    ) -> Self {
        Manifest {
            schema: MANIFEST_SCHEMA.to_owned(),
            course,
            docker_guide_version: env!("CARGO_PKG_VERSION").to_owned(),
            created_at: humantime::format_rfc3339_seconds(created_at).to_string(),
            images,
            images_tar,
        }
    }

    pub fn to_json(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("manifest serializes");
        bytes.push(b'\n');
        bytes
    }

    pub fn parse(bytes: &[u8]) -> Result<Manifest, BundleError> {
        let value: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| BundleError::BadManifest(e.to_string()))?;
        // docker-guide never writes one (image names cannot hold them); printed, they would
        // reach the learner's terminal as escape sequences.
        if has_control_chars(&value) {
            return Err(BundleError::BadManifest(
                "it holds control characters: not written by docker-guide".into(),
            ));
        }
        match value.get("schema").and_then(|s| s.as_str()) {
            Some(MANIFEST_SCHEMA) => {}
            // A progress export handed over by mistake deserves a precise message.
            Some(EXPORT_SCHEMA) => {
                return Err(BundleError::BadManifest(
                    "this is a progress export, not a bundle".into(),
                ));
            }
            Some(other) => {
                return Err(BundleError::BadManifest(format!(
                    "schema `{other}` is not understood (this docker-guide reads {MANIFEST_SCHEMA})"
                )));
            }
            None => return Err(BundleError::BadManifest("no `schema` field".into())),
        }
        serde_json::from_value(value).map_err(|e| BundleError::BadManifest(e.to_string()))
    }

    /// Sum of the images' sizes: an estimate of the `docker save` stream's length.
    pub fn total_image_size(&self) -> u64 {
        self.images.iter().map(|i| i.size).sum()
    }
}

/// Any string in `value` (keys too) with a control character.
fn has_control_chars(value: &serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::String(text) => text.chars().any(char::is_control),
        Value::Array(items) => items.iter().any(has_control_chars),
        Value::Object(fields) => fields
            .iter()
            .any(|(key, v)| key.chars().any(char::is_control) || has_control_chars(v)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest_json(course_id: &str) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({
            "schema": MANIFEST_SCHEMA,
            "course": { "id": course_id, "version": "1" },
            "docker_guide_version": "0.1.0",
            "created_at": "2026-11-26T07:26:16Z",
            "images": [{ "name": "dg-test-tiny:1", "id": "sha256:abc", "size": 1, "platform": "linux/amd64" }],
            "images_tar": { "size": 1, "sha256": "00" },
        }))
        .unwrap()
    }

    #[test]
    fn a_manifest_with_escape_sequences_is_refused() {
        assert!(Manifest::parse(&manifest_json("course")).is_ok());
        let err = Manifest::parse(&manifest_json("c\u{1b}]0;pwned\u{7}")).unwrap_err();
        assert!(err.is_damaged_bundle(), "{err}");
        assert!(err.to_string().contains("control characters"), "{err}");
    }
}
