use std::fs::OpenOptions;
use std::process::Command;

use super::*;

/// A writer of a new bundle at `path` (emptied if it exists), its members dated 2026-09-21.
pub(in crate::bundle) fn writer_at(path: &std::path::Path) -> ArchiveWriter {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
        .unwrap();
    ArchiveWriter::new(file, 1_790_000_000)
}

fn write_bundle(dir: &std::path::Path, payload: &[u8], manifest: &[u8]) -> std::path::PathBuf {
    let path = dir.join("b.tar");
    let mut writer = writer_at(&path);
    let mut seen = Vec::new();
    let (size, sha) = writer
        .images(&mut &payload[..], &mut |n| seen.push(n))
        .unwrap();
    assert_eq!(size, payload.len() as u64);
    assert_eq!(seen.last().copied().unwrap_or(0), payload.len() as u64);
    assert_eq!(sha, hex(&Sha256::digest(payload)));
    writer.finish(manifest).unwrap();
    path
}

#[test]
fn a_written_bundle_is_a_plain_tar_with_both_members() {
    let dir = tempfile::tempdir().unwrap();
    let payload: Vec<u8> = (0..3000u32).flat_map(|i| i.to_le_bytes()).collect();
    let path = write_bundle(dir.path(), &payload, b"{\"m\":1}");
    let listing = Command::new("tar").arg("tvf").arg(&path).output().unwrap();
    assert!(
        listing.status.success(),
        "{}",
        String::from_utf8_lossy(&listing.stderr)
    );
    let listing = String::from_utf8_lossy(&listing.stdout);
    assert!(
        listing.contains("12000") && listing.contains("images.tar"),
        "{listing}"
    );
    assert!(listing.contains("manifest.json"), "{listing}");

    let mut file = File::open(&path).unwrap();
    let members = members(&mut file).unwrap();
    assert_eq!(
        members
            .iter()
            .map(|m| (m.name.as_str(), m.size))
            .collect::<Vec<_>>(),
        [("images.tar", 12000), ("manifest.json", 7)]
    );
    assert_eq!(read_manifest(&mut file, &members).unwrap(), b"{\"m\":1}");
    let mut copy = Vec::new();
    let sha = stream_member(
        &mut file,
        find(&members, IMAGES_MEMBER).unwrap(),
        &mut |b| {
            copy.extend_from_slice(b);
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(copy, payload);
    assert_eq!(sha, hex(&Sha256::digest(&payload)));
}

#[test]
fn a_truncated_bundle_is_recognised_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_bundle(dir.path(), &[7u8; 5000], b"{}");
    let full = std::fs::metadata(&path).unwrap().len();
    for cut in [full - 1024, 3000, 600] {
        let file = OpenOptions::new().write(true).open(&path).unwrap();
        file.set_len(cut).unwrap();
        let err = members(&mut File::open(&path).unwrap()).unwrap_err();
        assert!(
            matches!(err, BundleError::Truncated { .. }),
            "cut at {cut}: {err}"
        );
    }
}

#[test]
fn other_files_are_not_bundles() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.json");
    std::fs::write(&path, vec![b'{'; 2048]).unwrap();
    let err = members(&mut File::open(&path).unwrap()).unwrap_err();
    assert!(matches!(err, BundleError::NotABundle(_)), "{err}");
    std::fs::write(&path, b"").unwrap();
    assert!(matches!(
        members(&mut File::open(&path).unwrap()),
        Err(BundleError::NotABundle(_))
    ));
}

#[test]
fn sizes_of_8_gib_and_more_use_base_256() {
    let big = 9u64 << 30;
    let h = header("images.tar", big, 0);
    assert_eq!(h[124], 0x80);
    assert_eq!(parse_size(&h[124..136]), Some(big));
    let small = header("images.tar", 12345, 0);
    assert_eq!(parse_size(&small[124..136]), Some(12345));
}

#[test]
fn long_names_read_as_tar_writes_them_in_every_format() {
    // A bundle (or an `images.tar`) repacked by another tool may hold names past the 100
    // bytes of a plain header: GNU tar writes an `L` record, PAX a `path` record, ustar the
    // prefix field. All three must read back as the full name.
    let dir = tempfile::tempdir().unwrap();
    let folder = "d".repeat(60);
    let long = format!("{folder}/{}.json", "n".repeat(70));
    let src = dir.path().join("src");
    std::fs::create_dir_all(src.join(&folder)).unwrap();
    std::fs::write(src.join(&long), b"{\"long\":true}").unwrap();
    std::fs::write(src.join("images.tar"), [7u8; 600]).unwrap();
    for format in ["gnu", "pax", "ustar"] {
        let out = dir.path().join(format!("{format}.tar"));
        let status = Command::new("tar")
            .args(["--format", format, "-cf"])
            .arg(&out)
            .arg("-C")
            .arg(&src)
            .args(["images.tar", long.as_str()])
            .status()
            .unwrap();
        assert!(status.success(), "tar --format {format}");
        let mut file = File::open(&out).unwrap();
        let found = members(&mut file).unwrap();
        let names: Vec<&str> = found.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["images.tar", long.as_str()], "{format}");
        let json = find(&found, "images.tar").map(|_| &found[1]).unwrap();
        let mut bytes = Vec::new();
        stream_member(&mut file, json, &mut |b| {
            bytes.extend_from_slice(b);
            Ok(())
        })
        .unwrap();
        assert_eq!(bytes, b"{\"long\":true}", "{format}");
        assert_eq!((found[0].size, found[0].regular), (600, true), "{format}");
    }
}
