"""Page breaks in print, as a reader sees them: widow and club lines, headings
at a page foot, read from ``pdftotext -bbox-layout``.

The body text is justified and paragraphs are set apart by space (Sphinx's
``parskip``), so from the lines' boxes alone:

* a line is *full* when it reaches the right edge of the lines that start where
  it starts (the measure of its block: body, quotation, list item);
* a paragraph runs on from one page to the next when the last body line of the
  page is full and the next page's first body line starts where it starts;
* a *widow* is then a next-page first line that is not full (it ends the
  paragraph, alone);
* a *club* is a page's last line that starts a paragraph (more space above it
  than between lines, or nothing above it) and runs on.

Body lines are those of the body's type size or larger inside the text block:
running heads and feet, footnotes (smaller type) and the ¶
numbers in the margin are left out. The type size of a word is its box's
height over its script's ratio (Noto Serif's boxes are 1.36 times the size,
Noto Serif CJK's Hangul 1.0). A *heading at a page foot* is an outline entry (a chapter
or section heading) with fewer than two body lines below it on its page.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

#: Lines set smaller than this (pt) are not body text: the body is 10 pt, the
#: indices 9 pt, footnotes 8 pt.
BODY_MIN_SIZE = 8.7
#: A word's box height over its type size: Latin, Cyrillic, digits (Noto Serif) and Hangul.
BOX_RATIO, HANGUL_BOX_RATIO = 1.36, 1.0
#: How far a full line may stop short of its block's right edge (pt).
FULL_TOLERANCE = 4.0
#: Lines starting within this distance (pt) belong to the same block.
SAME_START = 12.0
#: The running head sits above this, the running foot below BODY_BOTTOM (pt from the top).
HEAD_ZONE = 55.0
#: Space between two lines above this many line pitches: a new paragraph.
PARAGRAPH_GAP = 1.25


@dataclass(frozen=True)
class Line:
    x_min: float
    y_min: float
    x_max: float
    y_max: float
    text: str
    size: float  # the type size of its largest word (pt)

    @property
    def height(self) -> float:
        return self.y_max - self.y_min


def _hangul_only(word: str) -> bool:
    """Set in the CJK font only (a bracket or a digit is set in Noto Serif and makes the box taller)."""
    return bool(word) and all("\uac00" <= c <= "\ud7a3" for c in word)


def type_size(word: str, height: float) -> float:
    return height / (HANGUL_BOX_RATIO if _hangul_only(word) else BOX_RATIO)


@dataclass
class Page:
    number: int  # 1-based index in the PDF
    height: float
    width: float
    lines: list[Line]  # body lines, top to bottom


def read_pages(pdf: Path, first: int | None = None, last: int | None = None) -> list[Page]:
    args = ["pdftotext", "-bbox-layout"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    xml = subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    root = ET.fromstring(re.sub(r'\sxmlns="[^"]+"', "", xml, count=1))
    pages = []
    for index, page in enumerate(root.iter("page"), start=first or 1):
        height, width = float(page.get("height")), float(page.get("width"))
        lines = []
        for line in page.iter("line"):
            words = [(w.text or "", float(w.get("yMax")) - float(w.get("yMin"))) for w in line.iter("word")]
            size = max((type_size(text, height) for text, height in words), default=0.0)
            box = Line(*(float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")),
                       " ".join(text for text, _ in words), size)
            lines.append(box)
        pages.append(Page(index, height, width, body_lines(lines, height, width)))
    return pages


def body_lines(lines: list[Line], height: float, width: float) -> list[Line]:
    """The body's lines: not the running head or foot, footnotes or margin numbers."""
    bottom = height - HEAD_ZONE  # the foot line (page number, section) is below the text block
    kept = [
        line for line in lines
        if line.size >= BODY_MIN_SIZE and HEAD_ZONE < line.y_min and line.y_max < bottom
        and line.x_min < width * 0.85  # the margin's ¶ numbers
    ]
    return sorted(kept, key=lambda l: (l.y_min, l.x_min))


def measure(line: Line, lines: list[Line]) -> float:
    """The right edge of the block *line* belongs to, on its page."""
    return max(l.x_max for l in lines if abs(l.x_min - line.x_min) < SAME_START)


def is_full(line: Line, lines: list[Line]) -> bool:
    return line.x_max >= measure(line, lines) - FULL_TOLERANCE


def pitch(lines: list[Line]) -> float:
    """The usual distance between two lines of a paragraph on the page."""
    steps = [round(b.y_max - a.y_max, 1) for a, b in zip(lines, lines[1:]) if b.y_max - a.y_max > 1]
    return statistics.mode(steps) if steps else 12.0


def starts_paragraph(line: Line, lines: list[Line]) -> bool:
    at = lines.index(line)
    if at == 0:
        return True
    above = lines[at - 1]
    return line.y_max - above.y_max > PARAGRAPH_GAP * pitch(lines) or not is_full(above, lines)


@dataclass(frozen=True)
class Break:
    page: int
    kind: str  # "widow", "club"
    line: str


def bad_breaks(pages: list[Page]) -> list[Break]:
    """Widow and club lines at each break between two pages of running text."""
    found = []
    for page, following in zip(pages, pages[1:]):
        if not page.lines or not following.lines:
            continue
        last, first = page.lines[-1], following.lines[0]
        # The same block: starting where it starts, set in the same size (not a heading).
        same_block = abs(first.x_min - last.x_min) < SAME_START and abs(first.size - last.size) < 0.5
        if not (same_block and is_full(last, page.lines)):
            continue  # the paragraph ends on this page
        if first.x_max < measure(last, page.lines) - FULL_TOLERANCE:
            found.append(Break(following.number, "widow", first.text))
        if starts_paragraph(last, page.lines):
            found.append(Break(page.number, "club", last.text))
    return found


def lines_below(page: Page, top: float) -> list[Line]:
    """Body lines of *page* starting at or below *top* (pt from the page's top)."""
    return [line for line in page.lines if line.y_min >= top - 2]


def heading_at_foot(page: Page, top: float) -> bool:
    """Is the heading whose top is at *top* followed by fewer than two body lines on its page?"""
    below = lines_below(page, top)
    if not below:
        return True
    # The heading's own lines (a long one wraps) are set larger than the body.
    heading = below[0].size
    body = [line for line in below[1:] if line.size < heading - 0.5 or line.size < 10.5]
    return len(body) < 2
