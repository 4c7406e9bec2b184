//! Inline content for the writer: the style stack, links (text, then the URL dimmed unless
//! it is the text), images, task markers.

use ratatui::style::Style;
use ratatui::text::Span;

use super::cells::sanitize;
use super::wrap::Piece;
use super::writer::{Container, Writer};

impl Writer<'_> {
    pub(super) fn push_style(&mut self, style: Style) {
        let current = self.current_style();
        self.styles.push(current.patch(style));
    }

    pub(super) fn current_style(&self) -> Style {
        self.styles.last().copied().unwrap_or_default()
    }

    /// Adds inline text in the current style patched with `style`.
    pub(super) fn push_inline(&mut self, text: &str, style: Style) {
        let style = self.current_style().patch(style);
        self.inline.push(Piece::Text(sanitize(text), style));
    }

    /// Prose text; a bare URL in it (`https://…`) becomes a link, as GitHub makes it one.
    pub(super) fn push_prose(&mut self, text: &str) {
        if !self.open_links.is_empty() || !text.contains("://") {
            self.push_inline(text, Style::new());
            return;
        }
        let mut rest = text;
        while let Some((start, end)) = find_url(rest) {
            if start > 0 {
                self.push_inline(&rest[..start], Style::new());
            }
            let url = &rest[start..end];
            self.start_link(url);
            self.push_inline(url, Style::new());
            self.styles.pop();
            self.inline.push(Piece::LinkEnd);
            rest = &rest[end..];
        }
        if !rest.is_empty() {
            self.push_inline(rest, Style::new());
        }
    }

    pub(super) fn start_link(&mut self, url: &str) {
        self.push_style(self.theme.link);
        self.open_links.push((url.to_string(), self.inline.len()));
        let id = u32::try_from(self.link_urls.len()).unwrap_or(u32::MAX);
        self.link_urls.push(url.to_string());
        self.inline.push(Piece::LinkStart(id));
    }

    pub(super) fn end_link(&mut self) {
        self.styles.pop();
        self.inline.push(Piece::LinkEnd);
        let Some((url, start)) = self.open_links.pop() else {
            return;
        };
        let text: String = self.inline[start.min(self.inline.len())..]
            .iter()
            .filter_map(|p| match p {
                Piece::Text(t, _) => Some(t.as_str()),
                Piece::Break | Piece::LinkStart(_) | Piece::LinkEnd => None,
            })
            .collect();
        let same = text == url || url.strip_prefix("mailto:") == Some(text.as_str());
        if !url.is_empty() && !same {
            let style = self.current_style().patch(self.theme.link_url);
            self.inline
                .push(Piece::Text(sanitize(&format!(" ({url})")), style));
        }
    }

    pub(super) fn end_image(&mut self) {
        if let Some((url, start)) = self.images.pop()
            && self.inline.len() == start
        {
            // No alt text: name the image by its file.
            let name = url.rsplit('/').next().unwrap_or(&url).to_string();
            self.push_inline(&name, Style::new());
        }
        self.push_inline("]", Style::new());
        self.styles.pop();
    }

    pub(super) fn task_marker(&mut self, done: bool) {
        let (text, style) = if done {
            ("☑ ", self.theme.task_done)
        } else {
            ("☐ ", self.theme.task_open)
        };
        if let Some(Container::Item { marker, width, .. }) = self.containers.last_mut() {
            *marker = vec![Span::styled(text, style)];
            *width = 2;
        }
    }
}

/// The first bare `http(s)://` URL in `text`: its byte range, without trailing punctuation.
fn find_url(text: &str) -> Option<(usize, usize)> {
    let start = ["https://", "http://"]
        .iter()
        .filter_map(|scheme| text.find(scheme))
        .min()?;
    // A scheme inside a word (`xhttps://`) is not a URL start.
    if text[..start]
        .chars()
        .last()
        .is_some_and(|c| c.is_alphanumeric())
    {
        return None;
    }
    let len = text[start..]
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
        .unwrap_or(text.len() - start);
    let mut url = &text[start..start + len];
    loop {
        let trimmed = url.trim_end_matches(['.', ',', ';', ':', '!', '?', '\'', '*', '_']);
        // A closing parenthesis belongs to the URL only when it opened one.
        let trimmed = match trimmed.strip_suffix(')') {
            Some(inner) if inner.matches('(').count() < trimmed.matches(')').count() => inner,
            _ => trimmed,
        };
        if trimmed.len() == url.len() {
            break;
        }
        url = trimmed;
    }
    (url.len() > "https://".len()).then_some((start, start + url.len()))
}

#[cfg(test)]
mod tests {
    use super::find_url;

    #[test]
    fn bare_urls_end_before_trailing_punctuation() {
        let url = |t: &str| find_url(t).map(|(s, e)| t[s..e].to_string());
        assert_eq!(
            url("see https://docs.docker.com.").as_deref(),
            Some("https://docs.docker.com")
        );
        assert_eq!(
            url("(at https://en.wikipedia.org/wiki/Foo_(bar)), ok").as_deref(),
            Some("https://en.wikipedia.org/wiki/Foo_(bar)")
        );
        assert_eq!(url("(https://x.io/a)").as_deref(), Some("https://x.io/a"));
        assert_eq!(url("no url here"), None);
        assert_eq!(url("https:// alone"), None);
    }
}
