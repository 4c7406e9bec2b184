#!/usr/bin/env python3
"""Turn a terminal capture with SGR colours (`tmux capture-pane -e -p`) into an SVG image.

usage: ansi2svg.py [--cols N] [--title TEXT] < capture.ansi > screenshot.svg

Standard library only. Understands the SGR codes tmux emits: bold, dim, italic, underline,
reverse, the 16 ANSI colours, the 256-colour palette and 24-bit colour. Every cell is placed at
its column, so box drawing lines up whatever the viewer's font.
"""

import argparse
import html
import re
import sys
import unicodedata

# A dark palette close to common terminal defaults (index 0-15).
PALETTE16 = [
    "#1e1e2e", "#e0556b", "#7fc97f", "#e5c07b", "#6c9ef8", "#c678dd", "#56b6c2", "#c8ccd4",
    "#5c6370", "#ff6b81", "#98e698", "#ffd580", "#8cb4ff", "#e09bf0", "#7fd8e0", "#ffffff",
]
DEFAULT_FG = "#d4d7dd"
DEFAULT_BG = "#16161e"
CELL_W = 8.6
CELL_H = 18
FONT = "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace"

SGR = re.compile(r"\x1b\[([0-9;:]*)m")
OTHER_ESCAPE = re.compile(r"\x1b(\[[0-9;?]*[A-Za-ln-z]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][A-Z0-9])")


def color256(n):
    if n < 16:
        return PALETTE16[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        r, g, b = steps[n // 36], steps[(n // 6) % 6], steps[n % 6]
        return f"#{r:02x}{g:02x}{b:02x}"
    level = 8 + (n - 232) * 10
    return f"#{level:02x}{level:02x}{level:02x}"


class Style:
    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = None
        self.bg = None
        self.bold = self.dim = self.italic = self.underline = self.reverse = False

    def key(self):
        return (self.fg, self.bg, self.bold, self.dim, self.italic, self.underline, self.reverse)

    def apply(self, params):
        codes = [int(p) if p else 0 for p in re.split("[;:]", params)] if params else [0]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                self.reset()
            elif c == 1:
                self.bold = True
            elif c == 2:
                self.dim = True
            elif c == 3:
                self.italic = True
            elif c == 4:
                self.underline = True
            elif c == 7:
                self.reverse = True
            elif c == 22:
                self.bold = self.dim = False
            elif c == 23:
                self.italic = False
            elif c == 24:
                self.underline = False
            elif c == 27:
                self.reverse = False
            elif 30 <= c <= 37:
                self.fg = PALETTE16[c - 30]
            elif 90 <= c <= 97:
                self.fg = PALETTE16[c - 90 + 8]
            elif 40 <= c <= 47:
                self.bg = PALETTE16[c - 40]
            elif 100 <= c <= 107:
                self.bg = PALETTE16[c - 100 + 8]
            elif c == 39:
                self.fg = None
            elif c == 49:
                self.bg = None
            elif c in (38, 48) and i + 1 < len(codes):
                if codes[i + 1] == 5 and i + 2 < len(codes):
                    value = color256(codes[i + 2])
                    i += 2
                elif codes[i + 1] == 2 and i + 4 < len(codes):
                    value = "#{:02x}{:02x}{:02x}".format(*codes[i + 2:i + 5])
                    i += 4
                else:
                    value = None
                if c == 38:
                    self.fg = value
                else:
                    self.bg = value
            i += 1


def cell_width(ch):
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def parse(text):
    """Rows of runs: (column, text, style key)."""
    rows = []
    style = Style()
    for raw in text.split("\n"):
        raw = OTHER_ESCAPE.sub("", raw)
        runs = []
        col = 0
        pos = 0
        for match in list(SGR.finditer(raw)) + [None]:
            end = match.start() if match else len(raw)
            chunk = raw[pos:end]
            if chunk:
                runs.append((col, chunk, style.key()))
                col += sum(cell_width(ch) for ch in chunk)
            if match:
                style.apply(match.group(1))
                pos = match.end()
        rows.append(runs)
    while rows and not rows[-1]:
        rows.pop()
    return rows


def svg(rows, cols, title):
    height_rows = len(rows)
    pad = 14
    bar = 30
    width = cols * CELL_W + 2 * pad
    height = height_rows * CELL_H + 2 * pad + bar
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{html.escape(title)}">',
        f"<title>{html.escape(title)}</title>",
        f'<rect width="100%" height="100%" rx="8" fill="{DEFAULT_BG}"/>',
        '<circle cx="20" cy="15" r="6" fill="#ff5f57"/><circle cx="40" cy="15" r="6" fill="#febc2e"/>'
        '<circle cx="60" cy="15" r="6" fill="#28c840"/>',
        f'<text x="{width / 2:.0f}" y="19" fill="#8b8fa3" font-family="{FONT}" font-size="12" '
        f'text-anchor="middle">{html.escape(title)}</text>',
        f'<g font-family="{FONT}" font-size="14" xml:space="preserve">',
    ]
    for y, runs in enumerate(rows):
        top = pad + bar + y * CELL_H
        baseline = top + CELL_H - 5
        for col, text, (fg, bg, bold, dim, italic, underline, reverse) in runs:
            fg = fg or DEFAULT_FG
            if reverse:
                fg, bg = (bg or DEFAULT_BG), fg
            cells = sum(cell_width(ch) for ch in text)
            x = pad + col * CELL_W
            if bg:
                out.append(f'<rect x="{x:.1f}" y="{top}" width="{cells * CELL_W:.1f}" height="{CELL_H}" fill="{bg}"/>')
            if not text.strip():
                continue
            attrs = [f'fill="{fg}"']
            if bold:
                attrs.append('font-weight="bold"')
            if dim:
                attrs.append('opacity="0.6"')
            if italic:
                attrs.append('font-style="italic"')
            if underline:
                attrs.append('text-decoration="underline"')
            # One <tspan> per character keeps every glyph in its cell.
            c = col
            spans = []
            for ch in text:
                w = cell_width(ch)
                if ch != " ":
                    spans.append(f'<tspan x="{pad + c * CELL_W:.1f}">{html.escape(ch)}</tspan>')
                c += w
            out.append(f'<text y="{baseline}" {" ".join(attrs)}>{"".join(spans)}</text>')
    out.append("</g></svg>")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cols", type=int, default=0, help="width in cells (default: widest row)")
    parser.add_argument("--title", default="docker-guide")
    args = parser.parse_args()
    rows = parse(sys.stdin.read())
    cols = args.cols or max((r[-1][0] + sum(cell_width(ch) for ch in r[-1][1]) for r in rows if r), default=80)
    sys.stdout.write(svg(rows, cols, args.title))


if __name__ == "__main__":
    main()
