//! Titled boxes for the writer: GitHub alerts (`> [!NOTE]`), the admonitions, directives,
//! callouts and tabs that `lesson::foreign` turned into markers, and HTML `<details>` folds.
//!
//! A box is a container: a title rule on top (`╭─ Warning ───`), a bar in the kind's colour
//! before every row inside, a closing rule. A collapsible box (a fold) shows `▾`/`▸` before
//! its title; a closed one is its title row alone. `show` draws every fold open (a page on
//! stdout cannot be unfolded); the TUI closes them by default and toggles them by index.

use std::collections::BTreeSet;

use pulldown_cmark::BlockQuoteKind;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;

use super::cells::{clip, sanitize, width};
use super::theme::Theme;
use super::writer::{Container, Writer};
use crate::lesson::foreign::{BoxSpec, box_kind};

/// Which folds are open.
#[derive(Debug, Clone, Copy)]
pub enum FoldPolicy<'a> {
    /// Every fold open (`show`: nothing hidden on a page).
    AllOpen,
    /// Each fold as its source says (`<details>` closed, `???+` open), except the folds whose
    /// index is in the set, which are the other way round.
    Toggled(&'a BTreeSet<usize>),
}

/// Where a fold's title row landed, so the TUI can toggle it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FoldRow {
    /// Row of the fold's title in the rendered lines.
    pub row: usize,
    /// The fold's number in the chapter (document order), as [`FoldPolicy::Toggled`] takes it.
    pub index: usize,
    pub open: bool,
}

/// The border and title styles of a box kind.
fn box_styles(theme: &Theme, kind: &str) -> (Style, Style) {
    let bold = Style::new().add_modifier(Modifier::BOLD);
    if !theme.color {
        return (Style::new(), bold);
    }
    let color = match box_kind(kind) {
        Some("note") => Color::Blue,
        Some("tip") => Color::Green,
        Some("important") => Color::Magenta,
        Some("warning") => Color::Yellow,
        Some("caution") => Color::Red,
        _ => return (theme.code_border, bold),
    };
    (Style::new().fg(color), bold.fg(color))
}

/// GitHub's alert kinds as box specs.
pub(super) fn alert_spec(kind: BlockQuoteKind) -> BoxSpec {
    let (kind, title) = match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    };
    BoxSpec {
        kind: kind.into(),
        title: title.into(),
        folded: None,
        len: None,
    }
}

impl Writer<'_> {
    /// Opens a box; `start` is where its marker sits in the markdown (for a sized body).
    pub(super) fn open_box(&mut self, spec: &BoxSpec, start: usize) {
        self.flush_inline(Style::new());
        self.begin_block();
        let (border, title_style) = box_styles(&self.theme, &spec.kind);
        let fold = spec.folded.map(|folded| {
            let index = self.fold_count;
            self.fold_count += 1;
            let default_open = !folded;
            let open = match self.fold_policy {
                FoldPolicy::AllOpen => true,
                FoldPolicy::Toggled(set) => default_open != set.contains(&index),
            } || self.force_open.contains(&index);
            (index, open)
        });
        let closed = fold.is_some_and(|(_, open)| !open);
        let mut top = if closed {
            vec![Span::styled("─ ", border)]
        } else {
            vec![Span::styled("╭─ ", border)]
        };
        if let Some((index, open)) = fold {
            top.push(Span::styled(if open { "▾ " } else { "▸ " }, title_style));
            if self.hidden == 0 {
                self.folds.push(FoldRow {
                    row: self.row(),
                    index,
                    open,
                });
            }
        }
        let title = sanitize(&spec.title);
        if !title.is_empty() {
            top.push(Span::styled(title, title_style));
            top.push(Span::styled(" ", border));
        }
        let used: usize = top.iter().map(|s| width(&s.content)).sum();
        let rest = self.content_width().saturating_sub(used);
        top.push(Span::styled("─".repeat(rest), border));
        let top = clip(top, self.content_width(), None);
        self.emit(top);
        self.containers.push(Container::Box {
            border,
            end: spec.len.map(|len| start + len),
            fold: fold.map(|(index, _)| index),
            closed,
        });
        if closed {
            self.hidden += 1;
        }
        self.pending_blank = false;
    }

    /// Closes the innermost container if it is a box (its closing rule unless it was folded).
    pub(super) fn close_box(&mut self) {
        self.flush_inline(Style::new());
        if !matches!(self.containers.last(), Some(Container::Box { .. })) {
            return;
        }
        let Some(Container::Box { border, closed, .. }) = self.containers.pop() else {
            return;
        };
        if closed {
            self.hidden = self.hidden.saturating_sub(1);
        } else {
            let rule = format!("╰{}", "─".repeat(self.content_width().saturating_sub(1)));
            self.emit(vec![Span::styled(rule, border)]);
        }
        self.pending_blank = true;
    }

    /// Closes the boxes opened inside the container about to end (a list item, a quote).
    pub(super) fn close_inner_boxes(&mut self) {
        while matches!(self.containers.last(), Some(Container::Box { .. })) {
            self.close_box();
        }
    }

    /// Closes the sized boxes (indented bodies) whose body ends before byte `at`.
    pub(super) fn close_ended_boxes(&mut self, at: usize) {
        while let Some(Container::Box { end: Some(end), .. }) = self.containers.last() {
            if at < *end {
                break;
            }
            self.close_box();
        }
    }

    /// Whether rows are being hidden inside a closed fold.
    pub(super) fn in_closed_fold(&self) -> bool {
        self.hidden > 0
    }

    /// A step was met inside closed folds: they must open (a step is never hidden), so the
    /// renderer draws the chapter again with them open.
    pub(super) fn step_in_closed_fold(&mut self) {
        let folds: Vec<usize> = self
            .containers
            .iter()
            .filter_map(|c| match c {
                Container::Box {
                    fold: Some(index),
                    closed: true,
                    ..
                } => Some(*index),
                _ => None,
            })
            .collect();
        self.force_open.extend(folds);
        self.redraw = true;
    }
}
