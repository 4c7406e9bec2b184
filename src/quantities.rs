//! Quantities as people read them, shared by the doctor (disk, memory), bundles (sizes),
//! the commands and the TUI (counts).

/// `1 step`, `3 steps`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Bytes in binary units with one decimal: `512` → `512 B`, `1536` → `1.5 KiB`,
/// `25_276_502_016` → `23.5 GiB`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::{human_bytes, plural};

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(plural(1, "line"), "1 line");
        assert_eq!(plural(0, "line"), "0 lines");
        assert_eq!(plural(12, "error"), "12 errors");
    }

    #[test]
    fn bytes_read_like_df() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(25_276_502_016), "23.5 GiB");
        assert_eq!(human_bytes(u64::MAX), "16777216.0 TiB");
    }
}
