//! Rendered lines as text for a stream (`docker-guide show`): ANSI SGR sequences for a terminal,
//! or plain text. Spans never hold escape codes; styles become SGR only here.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use unicode_width::UnicodeWidthChar;

use super::LinkRegion;

/// The lines as plain text, one per row, trailing spaces removed.
pub fn lines_to_plain(lines: &[Line<'_>]) -> String {
    let mut out = String::new();
    push_plain(lines, &mut out);
    out
}

/// [`lines_to_plain`], appended to `out`.
pub fn push_plain(lines: &[Line<'_>], out: &mut String) {
    for line in lines {
        // Straight into the output, trimmed there: no `String` per line.
        let start = out.len();
        for span in &line.spans {
            out.push_str(&span.content);
        }
        let kept = out[start..].trim_end().len();
        out.truncate(start + kept);
        out.push('\n');
    }
}

/// The lines with their styles as ANSI SGR sequences; every line ends with the attributes
/// reset, so a cut-off stream never leaves the terminal styled.
pub fn to_ansi(lines: &[Line<'_>]) -> String {
    to_ansi_with_links(lines, &[])
}

/// [`to_ansi`], with the text of each link wrapped in an OSC 8 hyperlink (for terminals that
/// understand it; others ignore the sequence or, rarely, print it: decide before calling).
pub fn to_ansi_with_links(lines: &[Line<'_>], links: &[LinkRegion]) -> String {
    let mut out = String::new();
    push_ansi_with_links(lines, links, &mut out);
    out
}

/// [`to_ansi_with_links`], appended to `out`.
pub fn push_ansi_with_links(lines: &[Line<'_>], links: &[LinkRegion], out: &mut String) {
    // By row once: filtering every link for every row was quadratic in a long document.
    let mut sorted: Vec<&LinkRegion> = links.iter().collect();
    sorted.sort_by_key(|l| (l.row, l.columns.start));
    let mut rest = sorted.as_slice();
    for (index, line) in lines.iter().enumerate() {
        let skip = rest.iter().take_while(|l| l.row < index).count();
        rest = &rest[skip..];
        let here = rest.iter().take_while(|l| l.row == index).count();
        line_to_ansi(line, &rest[..here], out);
        out.push('\n');
    }
}

fn line_to_ansi(line: &Line<'_>, regions: &[&LinkRegion], out: &mut String) {
    // Written straight into `out` and trimmed there: a `String` per row and a character loop
    // per span were a fifth of a coloured `show` of the CommonMark spec.
    let start = out.len();
    let mut current = Style::new();
    let mut column = 0;
    let mut next = 0;
    let mut open = false;
    for span in &line.spans {
        let style = line.style.patch(span.style);
        if style != current {
            push_sgr(style, out);
            current = style;
        }
        if !open && next >= regions.len() {
            // No link left to open or close on this row: columns no longer matter.
            out.push_str(&span.content);
            continue;
        }
        for c in span.content.chars() {
            if !open && let Some(region) = regions.get(next).filter(|r| column >= r.columns.start) {
                out.push_str(&osc8_open(&region.url));
                open = true;
            }
            out.push(c);
            column += UnicodeWidthChar::width(c).unwrap_or(0);
            if open && regions.get(next).is_some_and(|r| column >= r.columns.end) {
                out.push_str(OSC8_CLOSE);
                open = false;
                next += 1;
            }
        }
    }
    if open {
        out.push_str(OSC8_CLOSE);
    }
    if current != Style::new() {
        // Trailing padding in a styled span (a focused bar) must stay; plain padding goes.
        out.push_str("\x1b[0m");
    } else {
        let kept = out[start..].trim_end().len();
        out.truncate(start + kept);
    }
}

const OSC8_CLOSE: &str = "\x1b]8;;\x1b\\";

fn osc8_open(url: &str) -> String {
    let url: String = url.chars().filter(|c| !c.is_control()).collect();
    format!("\x1b]8;;{url}\x1b\\")
}

/// An OSC 8 hyperlink around `text`.
pub fn osc8_hyperlink(text: &str, url: &str) -> String {
    format!("{}{text}{OSC8_CLOSE}", osc8_open(url))
}

/// Appends the SGR sequence that sets exactly `style` (it starts with a reset).
fn push_sgr(style: Style, out: &mut String) {
    out.push_str("\x1b[0");
    let m = style.add_modifier - style.sub_modifier;
    for (flag, code) in [
        (Modifier::BOLD, ";1"),
        (Modifier::DIM, ";2"),
        (Modifier::ITALIC, ";3"),
        (Modifier::UNDERLINED, ";4"),
        (Modifier::SLOW_BLINK, ";5"),
        (Modifier::RAPID_BLINK, ";6"),
        (Modifier::REVERSED, ";7"),
        (Modifier::HIDDEN, ";8"),
        (Modifier::CROSSED_OUT, ";9"),
    ] {
        if m.contains(flag) {
            out.push_str(code);
        }
    }
    for (color, background) in [(style.fg, false), (style.bg, true)] {
        if let Some(color) = color {
            push_color_code(color, background, out);
        }
    }
    out.push('m');
}

/// `;` and the SGR code of a colour, written into `out` (nothing for `Reset`). Formatting a
/// `String` per code was a third of writing a coloured `show` of the CommonMark spec.
fn push_color_code(color: Color, background: bool, out: &mut String) {
    let base = if background { 40 } else { 30 };
    let bright = if background { 100 } else { 90 };
    let code = match color {
        Color::Reset => return,
        Color::Black => base,
        Color::Red => base + 1,
        Color::Green => base + 2,
        Color::Yellow => base + 3,
        Color::Blue => base + 4,
        Color::Magenta => base + 5,
        Color::Cyan => base + 6,
        Color::Gray => base + 7,
        Color::DarkGray => bright,
        Color::LightRed => bright + 1,
        Color::LightGreen => bright + 2,
        Color::LightYellow => bright + 3,
        Color::LightBlue => bright + 4,
        Color::LightMagenta => bright + 5,
        Color::LightCyan => bright + 6,
        Color::White => bright + 7,
        Color::Indexed(i) => {
            out.push(';');
            push_number(base + 8, out);
            out.push_str(";5;");
            push_number(i, out);
            return;
        }
        Color::Rgb(r, g, b) => {
            out.push(';');
            push_number(base + 8, out);
            out.push_str(";2");
            for part in [r, g, b] {
                out.push(';');
                push_number(part, out);
            }
            return;
        }
    };
    out.push(';');
    push_number(code, out);
}

/// A number of at most three digits, in decimal.
fn push_number(n: u8, out: &mut String) {
    if n >= 100 {
        out.push(char::from(b'0' + n / 100));
    }
    if n >= 10 {
        out.push(char::from(b'0' + n / 10 % 10));
    }
    out.push(char::from(b'0' + n % 10));
}

#[cfg(test)]
fn color_code(color: Color, background: bool) -> Option<String> {
    let mut out = String::new();
    push_color_code(color, background, &mut out);
    out.strip_prefix(';').map(str::to_string)
}

/// Whether the terminal is known to understand OSC 8 hyperlinks (the detection of the
/// `supports-hyperlinks` crate: `FORCE_HYPERLINK` decides, else known terminals). Unknown
/// terminals and tmux/screen get none: some print the sequence.
pub fn hyperlinks_supported(var: impl Fn(&str) -> Option<String>) -> bool {
    if let Some(force) = var("FORCE_HYPERLINK") {
        return !force.is_empty() && force != "0";
    }
    if var("TMUX").is_some() || var("STY").is_some() {
        return false;
    }
    if [
        "DOMTERM",
        "WT_SESSION",
        "KONSOLE_VERSION",
        "KITTY_WINDOW_ID",
    ]
    .iter()
    .any(|name| var(name).is_some())
    {
        return true;
    }
    if var("VTE_VERSION")
        .and_then(|v| v.parse::<u32>().ok())
        .is_some_and(|v| v >= 5000)
    {
        return true;
    }
    let program = var("TERM_PROGRAM").unwrap_or_default();
    let term = var("TERM").unwrap_or_default();
    ["iTerm.app", "WezTerm", "vscode", "ghostty", "Hyper"].contains(&program.as_str())
        || [
            "xterm-kitty",
            "alacritty",
            "foot",
            "xterm-ghostty",
            "wezterm",
        ]
        .contains(&term.as_str())
}

#[cfg(test)]
mod tests {
    use ratatui::text::Span;

    use super::*;

    #[test]
    fn styles_become_sgr_and_reset_at_line_end() {
        let lines = vec![Line::from(vec![
            Span::styled(
                "bold",
                Style::new().add_modifier(Modifier::BOLD).fg(Color::Cyan),
            ),
            Span::raw(" plain  "),
        ])];
        assert_eq!(to_ansi(&lines), "\x1b[0;1;36mbold\x1b[0m plain\n");
    }

    #[test]
    fn plain_drops_styles_and_trailing_space() {
        let lines = vec![
            Line::from(vec![
                Span::styled("a ", Style::new().fg(Color::Red)),
                Span::raw("b  "),
            ]),
            Line::default(),
        ];
        assert_eq!(lines_to_plain(&lines), "a b\n\n");
    }

    #[test]
    fn colours_map_to_ansi_codes() {
        assert_eq!(color_code(Color::DarkGray, false).as_deref(), Some("90"));
        assert_eq!(color_code(Color::Blue, true).as_deref(), Some("44"));
        assert_eq!(
            color_code(Color::Indexed(208), false).as_deref(),
            Some("38;5;208")
        );
        assert_eq!(color_code(Color::Reset, false), None);
        // Numbers of one, two and three digits.
        assert_eq!(
            color_code(Color::Rgb(0, 42, 255), false).as_deref(),
            Some("38;2;0;42;255")
        );
        assert_eq!(
            color_code(Color::Indexed(5), true).as_deref(),
            Some("48;5;5")
        );
        assert_eq!(color_code(Color::LightRed, true).as_deref(), Some("101"));
        assert_eq!(color_code(Color::White, false).as_deref(), Some("97"));
    }

    #[test]
    fn link_regions_become_osc8_hyperlinks() {
        let lines = vec![Line::from(vec![
            Span::raw("see "),
            Span::styled("the docs", Style::new().fg(Color::Blue)),
            Span::raw(" now"),
        ])];
        let links = [LinkRegion {
            row: 0,
            columns: 4..12,
            url: "https://docs.docker.com".into(),
        }];
        assert_eq!(
            to_ansi_with_links(&lines, &links),
            "see \x1b[0;34m\x1b]8;;https://docs.docker.com\x1b\\the docs\x1b]8;;\x1b\\\x1b[0m now\n"
        );
    }

    #[test]
    fn links_land_on_their_own_rows_in_any_order() {
        let lines: Vec<Line<'_>> = ["a b", "c d", "e f"].into_iter().map(Line::raw).collect();
        let link = |row: usize, columns: std::ops::Range<usize>, url: &str| LinkRegion {
            row,
            columns,
            url: url.into(),
        };
        let links = [
            link(2, 2..3, "https://f"),
            link(0, 0..1, "https://a"),
            link(2, 0..1, "https://e"),
        ];
        let open = |url: &str| format!("\x1b]8;;{url}\x1b\\");
        let close = "\x1b]8;;\x1b\\";
        assert_eq!(
            to_ansi_with_links(&lines, &links),
            format!(
                "{}a{close} b\nc d\n{}e{close} {}f{close}\n",
                open("https://a"),
                open("https://e"),
                open("https://f")
            )
        );
    }

    #[test]
    fn hyperlink_hook_strips_control_characters_from_the_url() {
        assert_eq!(
            osc8_hyperlink("docs", "https://x.y/\x1b"),
            "\x1b]8;;https://x.y/\x1b\\docs\x1b]8;;\x1b\\"
        );
    }
}
