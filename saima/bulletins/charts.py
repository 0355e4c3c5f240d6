"""Bar charts drawn on the server, with no browser: SVG for the PDF, PNG for the DOCX.

One layout (``layout``) gives the rectangles and texts; ``svg`` and ``png`` only paint them, so
the two documents show the same chart. Bars carry their tone in words too (红榜/黑榜), never in
colour alone.
"""

from __future__ import annotations

import functools
import io
import subprocess
from dataclasses import dataclass
from xml.sax.saxutils import escape

from saima.bulletins.content import Chart

WIDTH = 640
ROW = 26
LABEL_W = 150
VALUE_W = 90
TOP = 8
FONT_SIZE = 13
COLOURS = {"red": "#c00000", "black": "#333333", "": "#4a6fa5"}
TAGS = {"red": "红榜", "black": "黑榜", "": ""}


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str  # "start" | "end"
    fill: str = "#000000"


def layout(chart: Chart) -> tuple[float, float, list[Rect], list[Text]]:
    """Width, height, rectangles and texts of a horizontal bar chart (one bar a row)."""
    bars = chart.bars
    height = TOP * 2 + ROW * max(len(bars), 1)
    span = max((abs(bar.value) for bar in bars), default=1.0) or 1.0
    plot_w = WIDTH - LABEL_W - VALUE_W
    rects: list[Rect] = []
    texts: list[Text] = []
    for i, bar in enumerate(bars):
        y = TOP + i * ROW
        w = max(1.0, plot_w * abs(bar.value) / span)
        colour = COLOURS.get(bar.tone, COLOURS[""])
        rects.append(Rect(LABEL_W, y + 4, w, ROW - 8, colour))
        texts.append(Text(LABEL_W - 6, y + ROW / 2 + FONT_SIZE / 2 - 2, bar.label, "end"))
        tag = TAGS.get(bar.tone, "")
        value = f"{bar.value:.2f}" + (f" {tag}" if tag else "")
        texts.append(Text(LABEL_W + w + 6, y + ROW / 2 + FONT_SIZE / 2 - 2, value, "start", colour))
    return WIDTH, height, rects, texts


def svg(chart: Chart) -> str:
    width, height, rects, texts = layout(chart)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(chart.caption)}">',
        f"<title>{escape(chart.caption)}</title>",
    ]
    for r in rects:
        parts.append(
            f'<rect x="{r.x:.1f}" y="{r.y:.1f}" width="{r.w:.1f}" height="{r.h:.1f}" fill="{r.fill}"/>'
        )
    for t in texts:
        parts.append(
            f'<text x="{t.x:.1f}" y="{t.y:.1f}" text-anchor="{t.anchor}" fill="{t.fill}" '
            f'font-family="Noto Sans CJK SC, sans-serif" font-size="{FONT_SIZE}">{escape(t.text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


@functools.cache
def _font_file() -> tuple[str, int]:
    """The CJK sans font file and face index fontconfig picks (Debian: fonts-noto-cjk)."""
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}:%{index}", "Noto Sans CJK SC"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout
        path, _, index = found.rpartition(":")
        return path, int(index or 0)
    except (OSError, subprocess.SubprocessError, ValueError):
        return "", 0


def png(chart: Chart, scale: int = 2) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    width, height, rects, texts = layout(chart)
    image = Image.new("RGB", (int(width * scale), int(height * scale)), "white")
    draw = ImageDraw.Draw(image)
    path, index = _font_file()
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont
    if path:
        font = ImageFont.truetype(path, FONT_SIZE * scale, index=index)
    else:
        font = ImageFont.load_default()
    for r in rects:
        box = (r.x * scale, r.y * scale, (r.x + r.w) * scale, (r.y + r.h) * scale)
        draw.rectangle(box, fill=r.fill)
    for t in texts:
        anchor = "rs" if t.anchor == "end" else "ls"
        draw.text((t.x * scale, t.y * scale), t.text, fill=t.fill, font=font, anchor=anchor)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
