//! Plain-text tables for the `progress` and `class` reports: columns padded by display width.

use unicode_width::UnicodeWidthStr;

/// Lays out `rows` under `headers`, two spaces between columns, indented by `indent` spaces.
/// The last column is not padded (no trailing spaces).
pub fn render(indent: usize, headers: &[&str], rows: &[Vec<String>]) -> String {
    let columns = headers.len();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(columns) {
            widths[i] = widths[i].max(cell.width());
        }
    }
    let mut out = String::new();
    let header_row: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
    for row in std::iter::once(&header_row).chain(rows) {
        let mut line = " ".repeat(indent);
        for (i, cell) in row.iter().enumerate().take(columns) {
            line.push_str(cell);
            if i + 1 < columns {
                line.push_str(&" ".repeat(widths[i] - cell.width() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `95` → `1m 35s`, `3720` → `1h 02m`, `40` → `40s`.
pub fn short_duration(secs: u64) -> String {
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m {:02}s", secs / 60, secs % 60),
        _ => format!("{}h {:02}m", secs / 3600, secs % 3600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_by_display_width() {
        let rows = vec![
            vec!["Zoë".to_string(), "3".into(), "x".into()],
            vec!["Bob".into(), "12".into(), "".into()],
        ];
        let text = render(2, &["NAME", "N", "NOTE"], &rows);
        assert_eq!(text, "  NAME  N   NOTE\n  Zoë   3   x\n  Bob   12\n");
    }

    #[test]
    fn durations_are_short() {
        assert_eq!(short_duration(40), "40s");
        assert_eq!(short_duration(95), "1m 35s");
        assert_eq!(short_duration(3720), "1h 02m");
    }
}
