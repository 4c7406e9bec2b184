//! The hand-written tar code of `bundle::archive` against the `tar` crate, both ways:
//! listing a tar of 5,000 members (a third with names past 100 bytes, GNU and PAX records)
//! and writing a 64 MiB member. Before timing, it checks that both list the same names,
//! offsets and sizes, and that the crate reads a bundle `ArchiveWriter` wrote.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use docker_guide::bundle::archive::{ArchiveWriter, Member, members};

const MEMBERS: usize = 5_000;
const PAYLOAD: usize = 64 << 20;

fn name(i: usize) -> String {
    match i % 3 {
        0 => format!("blobs/sha256/{i:064x}"),
        1 => format!("{}/{i}.json", "long-folder-name".repeat(8)),
        _ => format!("layer-{i}/layer.tar"),
    }
}

/// A tar of `MEMBERS` small files, long names as GNU records (and PAX for every tenth).
fn many_members(path: &Path) {
    let mut builder = tar::Builder::new(File::create(path).unwrap());
    for i in 0..MEMBERS {
        let data = vec![b'x'; 100 + i % 900];
        let mut header = if i % 10 == 0 {
            tar::Header::new_ustar()
        } else {
            tar::Header::new_gnu()
        };
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        if i % 10 == 0 && name(i).len() > 100 {
            let path = name(i);
            builder
                .append_pax_extensions([("path", path.as_bytes())])
                .unwrap();
            header.set_path(&path[..90]).unwrap();
            header.set_cksum();
            builder.append(&header, &data[..]).unwrap();
        } else {
            builder
                .append_data(&mut header, name(i), &data[..])
                .unwrap();
        }
    }
    builder.into_inner().unwrap().sync_all().unwrap();
}

fn ours(path: &Path) -> Vec<(String, u64, u64)> {
    let mut file = File::open(path).unwrap();
    members(&mut file)
        .unwrap()
        .into_iter()
        .map(|m: Member| (m.name, m.offset, m.size))
        .collect()
}

fn crate_tar(path: &Path) -> Vec<(String, u64, u64)> {
    let mut archive = tar::Archive::new(File::open(path).unwrap());
    archive
        .entries_with_seek()
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let name = entry.path().unwrap().to_string_lossy().into_owned();
            (name, entry.raw_file_position(), entry.size())
        })
        .collect()
}

fn write_ours(path: &Path, payload: &[u8]) {
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
        .unwrap();
    let mut writer = ArchiveWriter::new(file, 1_790_000_000);
    writer.images(&mut &payload[..], &mut |_| {}).unwrap();
    writer.finish(b"{}").unwrap();
}

/// The crate needs the size before the data: fine here, but `bundle create` streams
/// `docker save`, whose size is known only at its end.
fn write_crate(path: &Path, payload: &[u8]) {
    let mut builder = tar::Builder::new(File::create(path).unwrap());
    let mut header = tar::Header::new_ustar();
    header.set_size(payload.len() as u64);
    header.set_mode(0o644);
    header.set_mtime(1_790_000_000);
    builder
        .append_data(&mut header, "images.tar", payload)
        .unwrap();
    let mut header = tar::Header::new_ustar();
    header.set_size(2);
    header.set_mode(0o644);
    builder
        .append_data(&mut header, "manifest.json", &b"{}"[..])
        .unwrap();
    let mut file = builder.into_inner().unwrap();
    file.flush().unwrap();
    file.sync_all().unwrap();
}

fn check(dir: &Path) {
    let many = dir.join("many.tar");
    many_members(&many);
    let (a, b) = (ours(&many), crate_tar(&many));
    println!(
        "bundle_archive: {} members; ours and the tar crate list the same names, offsets and sizes: {}",
        a.len(),
        a == b
    );
    let bundle = dir.join("bundle.tar");
    write_ours(&bundle, &[7u8; 5000]);
    let read_back = crate_tar(&bundle);
    let mut file = File::open(&bundle).unwrap();
    let mut bytes = Vec::new();
    file.seek(SeekFrom::Start(read_back[0].1)).unwrap();
    file.take(read_back[0].2).read_to_end(&mut bytes).unwrap();
    println!(
        "bundle_archive: the tar crate reads a bundle ArchiveWriter wrote: {}",
        read_back.iter().map(|m| m.0.as_str()).collect::<Vec<_>>()
            == ["images.tar", "manifest.json"]
            && bytes == [7u8; 5000]
    );
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    check(dir.path());
    let many = dir.path().join("many.tar");
    let mut group = c.benchmark_group("tar_list_5000_members");
    group.sample_size(20);
    group.bench_function("hand_written", |b| b.iter(|| ours(&many).len()));
    group.bench_function("tar_crate", |b| b.iter(|| crate_tar(&many).len()));
    group.finish();

    let payload = vec![0x5au8; PAYLOAD];
    let out = dir.path().join("out.tar");
    let mut group = c.benchmark_group("tar_write_64MiB");
    group.sample_size(10);
    group.bench_function("hand_written", |b| b.iter(|| write_ours(&out, &payload)));
    group.bench_function("tar_crate", |b| b.iter(|| write_crate(&out, &payload)));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
