//! The bundle file: one tar holding `images.tar` (a `docker save` stream, written as it
//! arrives) and then `manifest.json`. The tar header of `images.tar` is written first with a
//! zero size and patched once the stream has ended, so no image is ever held in memory and
//! the result is a plain tar (`tar tvf` lists it).

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};

use sha2::{Digest, Sha256};

use super::BundleError;

pub const IMAGES_MEMBER: &str = "images.tar";
pub const MANIFEST_MEMBER: &str = "manifest.json";
const BLOCK: u64 = 512;
/// Largest manifest we read: a bundle of hundreds of images stays far below.
const MAX_MANIFEST: u64 = 4 << 20;

/// A member of the archive: where its data lies in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub offset: u64,
    pub size: u64,
    /// A regular file (not a link, a folder or a device).
    pub regular: bool,
}

fn padding(size: u64) -> u64 {
    (BLOCK - size % BLOCK) % BLOCK
}

/// A ustar header for a regular file. Sizes of 8 GiB and more use GNU's base-256 encoding.
pub(crate) fn header(name: &str, size: u64, mtime: u64) -> [u8; 512] {
    let mut h = [0u8; 512];
    h[..name.len()].copy_from_slice(name.as_bytes());
    octal(&mut h[100..108], 0o644);
    octal(&mut h[108..116], 0);
    octal(&mut h[116..124], 0);
    if size < 1 << 33 {
        octal(&mut h[124..136], size);
    } else {
        h[124] = 0x80;
        h[128..136].copy_from_slice(&size.to_be_bytes());
    }
    octal(&mut h[136..148], mtime);
    h[156] = b'0';
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].fill(b' ');
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    h
}

fn octal(field: &mut [u8], value: u64) {
    let text = format!("{value:0width$o}\0", width = field.len() - 1);
    field.copy_from_slice(text.as_bytes());
}

pub(crate) fn parse_size(field: &[u8]) -> Option<u64> {
    if field[0] & 0x80 != 0 {
        return Some(
            field[1..]
                .iter()
                .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)),
        );
    }
    let text = std::str::from_utf8(field).ok()?;
    let digits = text.trim_matches(|c: char| c == '\0' || c == ' ');
    if digits.is_empty() {
        Some(0)
    } else {
        u64::from_str_radix(digits, 8).ok()
    }
}

/// Writes a bundle: [`ArchiveWriter::images`] streams the images, [`ArchiveWriter::finish`]
/// adds the manifest and the tar end.
pub struct ArchiveWriter {
    file: File,
    mtime: u64,
}

impl ArchiveWriter {
    pub fn new(file: File, mtime: u64) -> ArchiveWriter {
        ArchiveWriter { file, mtime }
    }

    /// Copies `source` into the `images.tar` member, calling `on_bytes(total so far)` as it
    /// goes. Returns the size and the sha256 (hex) of what was copied.
    pub fn images(
        &mut self,
        source: &mut dyn Read,
        on_bytes: &mut dyn FnMut(u64),
    ) -> Result<(u64, String), BundleError> {
        let start = self.file.stream_position().map_err(BundleError::write)?;
        self.file
            .write_all(&header(IMAGES_MEMBER, 0, self.mtime))
            .map_err(BundleError::write)?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 1 << 20];
        let mut size = 0u64;
        loop {
            let n = match source.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(BundleError::Stream(e.to_string())),
            };
            self.file.write_all(&buf[..n]).map_err(BundleError::write)?;
            hasher.update(&buf[..n]);
            size += n as u64;
            on_bytes(size);
        }
        self.file
            .write_all(&vec![0u8; padding(size) as usize])
            .map_err(BundleError::write)?;
        let end = self.file.stream_position().map_err(BundleError::write)?;
        self.file
            .seek(SeekFrom::Start(start))
            .map_err(BundleError::write)?;
        self.file
            .write_all(&header(IMAGES_MEMBER, size, self.mtime))
            .map_err(BundleError::write)?;
        self.file
            .seek(SeekFrom::Start(end))
            .map_err(BundleError::write)?;
        Ok((size, hex(&hasher.finalize())))
    }

    /// Adds the manifest and the end-of-archive blocks, and syncs the file to disk.
    pub fn finish(mut self, manifest: &[u8]) -> Result<(), BundleError> {
        let len = manifest.len() as u64;
        self.file
            .write_all(&header(MANIFEST_MEMBER, len, self.mtime))
            .map_err(BundleError::write)?;
        self.file.write_all(manifest).map_err(BundleError::write)?;
        self.file
            .write_all(&vec![0u8; (padding(len) + 2 * BLOCK) as usize])
            .map_err(BundleError::write)?;
        self.file.sync_all().map_err(BundleError::write)
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Largest GNU long-name or PAX record read: names are short, this bounds a hostile one.
const MAX_LONG_HEADER: u64 = 1 << 20;

/// Why the headers of a tar could not be read to their end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Damage {
    /// Not a tar header (a number field or the checksum is wrong): the reason.
    Header(&'static str),
    /// A member's data runs past the end of the range: its name and where it would end.
    PastEnd { member: String, expected: u64 },
}

/// The members read from a tar's headers, up to the end of the archive or the first damage.
#[derive(Debug, Default)]
pub(crate) struct Walked {
    pub members: Vec<Member>,
    /// The offset after the last member read.
    pub next: u64,
    /// A zero block ended the archive (a file cut right after a member has none).
    pub ended: bool,
    pub damage: Option<Damage>,
}

/// Reads the tar between `start` and `end` of `file`: one header after the other, checksums
/// checked, long names resolved as tar readers do (GNU `L` records, PAX `path` records, the
/// ustar prefix), a leading `./` dropped. Both the bundle and its `images.tar` are read so.
pub(crate) fn walk(file: &mut File, start: u64, end: u64) -> Result<Walked, BundleError> {
    let mut walked = Walked {
        next: start,
        ..Walked::default()
    };
    let mut long_name: Option<String> = None;
    while walked.next + BLOCK <= end {
        let offset = walked.next;
        let mut h = [0u8; 512];
        file.seek(SeekFrom::Start(offset))
            .map_err(BundleError::read)?;
        file.read_exact(&mut h).map_err(BundleError::read)?;
        if h.iter().all(|&b| b == 0) {
            walked.ended = true;
            return Ok(walked);
        }
        let (Some(stored), Some(size)) = (parse_size(&h[148..156]), parse_size(&h[124..136]))
        else {
            walked.damage = Some(Damage::Header("a damaged tar header"));
            return Ok(walked);
        };
        h[148..156].fill(b' ');
        if u64::from(h.iter().map(|&b| u32::from(b)).sum::<u32>()) != stored {
            walked.damage = Some(Damage::Header("a tar header whose checksum does not match"));
            return Ok(walked);
        }
        let kind = h[156];
        let data = offset + BLOCK;
        if data + size > end {
            let member = long_name.take().unwrap_or_else(|| header_name(&h));
            walked.damage = Some(Damage::PastEnd {
                member,
                expected: data + size,
            });
            return Ok(walked);
        }
        match kind {
            b'L' | b'x' => {
                let mut bytes = Vec::new();
                (&mut *file)
                    .take(size.min(MAX_LONG_HEADER))
                    .read_to_end(&mut bytes)
                    .map_err(BundleError::read)?;
                long_name = if kind == b'L' {
                    let name = String::from_utf8_lossy(&bytes);
                    Some(name.trim_end_matches('\0').to_owned())
                } else {
                    pax_path(&bytes).or(long_name)
                };
            }
            b'g' => {}
            _ => {
                let name = long_name.take().unwrap_or_else(|| header_name(&h));
                walked.members.push(Member {
                    name: name.trim_start_matches("./").to_owned(),
                    offset: data,
                    size,
                    regular: matches!(kind, b'0' | 0),
                });
            }
        }
        walked.next = data + size + padding(size);
    }
    Ok(walked)
}

/// The name of a ustar header: `prefix/name` when the prefix field is used.
fn header_name(h: &[u8; 512]) -> String {
    let field = |range: std::ops::Range<usize>| {
        let bytes = &h[range];
        let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
        String::from_utf8_lossy(&bytes[..end]).into_owned()
    };
    let name = field(0..100);
    let prefix = if &h[257..262] == b"ustar" {
        field(345..500)
    } else {
        String::new()
    };
    if prefix.is_empty() {
        name
    } else {
        format!("{prefix}/{name}")
    }
}

/// The `path` record of a PAX extended header (`<len> path=<name>\n`).
fn pax_path(data: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(data);
    text.lines().find_map(|record| {
        let (_, kv) = record.split_once(' ')?;
        kv.strip_prefix("path=").map(str::to_owned)
    })
}

/// Lists the members of a bundle, checking that each lies wholly inside the file.
pub fn members(file: &mut File) -> Result<Vec<Member>, BundleError> {
    let len = file.metadata().map_err(BundleError::read)?.len();
    let walked = walk(file, 0, len)?;
    match walked.damage {
        Some(Damage::Header(why)) => return Err(BundleError::NotABundle(why)),
        Some(Damage::PastEnd { member, expected }) => {
            return Err(BundleError::Truncated {
                member,
                expected,
                actual: len,
            });
        }
        None if walked.ended => return Ok(walked.members),
        None => {}
    }
    if walked.members.is_empty() {
        // Cut inside the first header: ours starts with `images.tar`.
        if len > 0 && len < BLOCK && first_header_is_ours(file)? {
            return Err(BundleError::Truncated {
                member: IMAGES_MEMBER.into(),
                expected: BLOCK,
                actual: len,
            });
        }
        return Err(BundleError::NotABundle("no tar members"));
    }
    // A tar must end with zero blocks; a file cut right after a member is truncated.
    Err(BundleError::Truncated {
        member: "end of archive".into(),
        expected: walked.next + 2 * BLOCK,
        actual: len,
    })
}

/// Whether a file shorter than one tar block begins like a bundle's first header.
fn first_header_is_ours(file: &mut File) -> Result<bool, BundleError> {
    let mut start = Vec::new();
    file.seek(SeekFrom::Start(0)).map_err(BundleError::read)?;
    file.take(BLOCK)
        .read_to_end(&mut start)
        .map_err(BundleError::read)?;
    let name = format!("{IMAGES_MEMBER}\0");
    Ok(!start.is_empty()
        && name
            .as_bytes()
            .starts_with(&start[..start.len().min(name.len())]))
}

/// The manifest's bytes.
pub fn read_manifest(file: &mut File, members: &[Member]) -> Result<Vec<u8>, BundleError> {
    let member = find(members, MANIFEST_MEMBER)?;
    if !member.regular {
        return Err(BundleError::NotABundle(
            "`manifest.json` stored as a link or special file, which `bundle create` never writes",
        ));
    }
    if member.size > MAX_MANIFEST {
        return Err(BundleError::NotABundle("a manifest too large to be ours"));
    }
    file.seek(SeekFrom::Start(member.offset))
        .map_err(BundleError::read)?;
    let mut bytes = vec![0u8; member.size as usize];
    file.read_exact(&mut bytes).map_err(BundleError::read)?;
    Ok(bytes)
}

pub fn find<'a>(members: &'a [Member], name: &'static str) -> Result<&'a Member, BundleError> {
    members
        .iter()
        .find(|m| m.name == name)
        .ok_or(BundleError::MissingMember(name))
}

/// Reads a member's bytes through `sink`, returning their sha256 (hex).
pub fn stream_member(
    file: &mut File,
    member: &Member,
    sink: &mut dyn FnMut(&[u8]) -> io::Result<()>,
) -> Result<String, BundleError> {
    file.seek(SeekFrom::Start(member.offset))
        .map_err(BundleError::read)?;
    let mut reader = (&mut *file).take(member.size);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(BundleError::read(e)),
        };
        hasher.update(&buf[..n]);
        total += n as u64;
        sink(&buf[..n]).map_err(|e| BundleError::Stream(e.to_string()))?;
    }
    if total != member.size {
        return Err(BundleError::Truncated {
            member: member.name.clone(),
            expected: member.size,
            actual: total,
        });
    }
    Ok(hex(&hasher.finalize()))
}

#[cfg(test)]
#[path = "archive_tests.rs"]
pub(super) mod tests;
