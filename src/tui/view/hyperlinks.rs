//! OSC 8 hyperlinks in the TUI: after a chapter row is drawn, every cell of a link's text
//! holds the escape sequence around its own character, with its width forced to the
//! character's (ratatui measures a symbol by its text, escapes included). A cell per link
//! rather than one sequence across the link: ratatui redraws only the cells that changed,
//! and each one must carry its link by itself.

use std::num::NonZeroU16;

use ratatui::buffer::{Buffer, CellDiffOption};

use crate::render::{LinkRegion, osc8_hyperlink};

/// Makes the link text of rendered row `row`, drawn at `(x, y)` over `width` columns,
/// clickable.
pub fn link_cells(
    buf: &mut Buffer,
    (x, y, width): (u16, u16, u16),
    row: usize,
    links: &[LinkRegion],
) {
    for link in links.iter().filter(|l| l.row == row) {
        for column in link.columns.clone() {
            let Ok(column) = u16::try_from(column) else {
                break;
            };
            if column >= width {
                break;
            }
            let Some(cell) = buf.cell_mut((x + column, y)) else {
                break;
            };
            let symbol = cell.symbol().to_string();
            // The trailing half of a wide character has an empty symbol: nothing to wrap.
            let Some(cell_width) = NonZeroU16::new(crate::render::symbol_width(&symbol)) else {
                continue;
            };
            cell.set_symbol(&osc8_hyperlink(&symbol, &link.url))
                .set_diff_option(CellDiffOption::ForcedWidth(cell_width));
        }
    }
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Rect;

    use super::*;

    #[test]
    fn link_cells_carry_the_sequence_and_keep_their_width() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 1));
        buf.set_string(0, 0, "see docs", ratatui::style::Style::new());
        let links = [LinkRegion {
            row: 3,
            columns: 4..8,
            url: "https://docs.docker.com".into(),
        }];
        link_cells(&mut buf, (0, 0, 10), 3, &links);
        assert_eq!(buf[(3, 0)].symbol(), " ");
        assert_eq!(
            buf[(4, 0)].symbol(),
            "\u{1b}]8;;https://docs.docker.com\u{1b}\\d\u{1b}]8;;\u{1b}\\"
        );
        assert_eq!(
            buf[(4, 0)].diff_option,
            CellDiffOption::ForcedWidth(NonZeroU16::MIN)
        );
        link_cells(&mut buf, (0, 0, 10), 2, &links);
        assert_eq!(buf[(9, 0)].symbol(), " ", "other rows untouched");
    }
}
