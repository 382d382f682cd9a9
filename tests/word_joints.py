"""Word joints in print: is every space between two words of a text on the page?

The texts are verbatim, spaces included. A space lost in typesetting (xeCJK
drops one before a link, for instance) shows on the page but not in tests that
fold whitespace, so this module reads the PDF as a reader sees it: word boxes
from ``pdftotext -bbox-layout``, a word boundary wherever two boxes on a line
have a gap between them, and the width of that gap measured (a space is at least
``MIN_SPACE_PT`` wide; the glue between two Hangul syllables is narrower). Note
numbers are in the boxes too, the ¶ numbers in the margin are left out; the
matching allows for note markers, hyphenation and page breaks.

A *joint* is a place where two words of a text meet with letters on both sides
("저작 배반당한", "и Троцкий"). Each is looked for in document order, from where
the previous one was found, as the last letters of the first word, then a space,
a line break (Hangul may break between any two syllables, so a joint at a line
end cannot be checked: counted apart) or nothing (run together: the failure),
then the first letters of the second word.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

#: A gap between two word boxes is a word boundary when at least this fraction
#: of the line's height (pdftotext splits words at smaller gaps too: a note
#: number sits 0.5 pt from its word).
BOUNDARY_GAP = 0.06
#: The narrowest a space between two words of the body text can be: Noto
#: Serif's 2.6 pt space at 10 pt, shrunk to its limit in a tight justified line.
#: The glue xeCJK puts between two syllables is narrower in all but the loosest
#: lines (0 pt plus 0.96 pt).
MIN_SPACE_PT = 1.7

LETTERS_AT_JOINT = 4  # letters of each word around the joint used to find it
WINDOW = 30000  # characters searched ahead: a page break brings footnotes and a running head

# The end of a page: its footnotes and number, then the next page's running head.
_PAGE_BREAK = r"\n(?:.*\n){0,300}?\f\n(?:.*\n){0,6}?"
# A note marker: its number, after "[sic]" for a sic note (print sets [sic] a word space
# after its word).
_MARK = r"(?:[ \u00a0]?\[sic\])?\d{0,3}"
# Inside a word: a note marker, a line or page break (hyphenated or not).
_INWORD = _MARK + r"(?:[-\u2010\u00ad]?(?:" + _PAGE_BREAK + r"|\n))?"


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@dataclass(frozen=True)
class Gap:
    left: str
    right: str
    width: float  # points
    height: float  # of the line


def read_pages(pdf: Path) -> list[list[list[tuple[str, float, float, float, float]]]]:
    """Pages -> lines -> words (text, xMin, yMin, xMax, yMax), margin notes left out."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    xml = re.sub(rb"<!DOCTYPE[^>]*>", b"", xml)
    root = ET.fromstring(xml)
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    pages = []
    for page in root.iterfind(".//h:page", ns):
        lines = []
        for line in page.iterfind(".//h:line", ns):
            words = [(w.text or "", *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
                     for w in line.iterfind("h:word", ns)]
            if words:
                lines.append(words)
        # The text block's right edge is where full lines end; what starts beyond it
        # is in the margin (the ¶ numbers).
        full = [l[-1][3] for l in lines if len(l) >= 3]
        right = max(full) if full else float(page.get("width"))
        pages.append([[w for w in l if w[1] <= right + 1] for l in lines if any(w[1] <= right + 1 for w in l)])
    return pages


@dataclass
class Stream:
    """The PDF as text: words joined by a space where there is a gap between
    them, lines by newlines, pages by a form feed line; and each space's width."""

    text: str
    widths: dict[int, float]  # offset of a space in text -> its width on the page (pt)
    gaps: list[Gap]


def page_stream(pages) -> Stream:
    out: list[str] = []
    widths: dict[int, float] = {}
    gaps: list[Gap] = []
    offset = 0
    for lines in pages:
        for words in lines:
            height = max(w[4] - w[2] for w in words)
            text = _nfkc(words[0][0])
            for (left, _, _, lx, _), (right, rx, _, _, _) in zip(words, words[1:]):
                width = rx - lx
                gaps.append(Gap(left, right, width, height))
                if width >= BOUNDARY_GAP * height:
                    widths[offset + len(text)] = width
                    text += " "
                text += _nfkc(right)
            out.append(text)
            offset += len(text) + 1
        out.append("\f")
        offset += 2
    return Stream("\n".join(out) + "\n", widths, gaps)


def _letters(chars: str) -> str:
    return _INWORD.join(re.escape(c) for c in chars)


@dataclass
class JointReport:
    checked: int = 0
    spaced: int = 0
    #: (width in pt, joint) of every space found, for the rendered check.
    space_widths: list[tuple[float, str]] = field(default_factory=list)
    at_line_end: int = 0
    run_together: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)


def joints(text: str):
    """(first word, second word) for every two words of *text* that meet at a space with letters on both sides."""
    words = _nfkc(text).split()
    for left, right in zip(words, words[1:]):
        if left[-1].isalpha() and right[0].isalpha():
            yield left, right


def _edge_letters(word: str, at_end: bool) -> str:
    run = re.search(r"[^\W\d_]+$" if at_end else r"^[^\W\d_]+", word).group(0)
    return run[-LETTERS_AT_JOINT:] if at_end else run[:LETTERS_AT_JOINT]


def check_joints(stream: Stream, blocks: list[str], report: JointReport | None = None) -> JointReport:
    """Find every joint of *blocks* (one text's blocks, in order) in *stream*."""
    report = report or JointReport()
    widths, stream = stream.widths, stream.text
    position = 0
    for block in blocks:
        # A block's first joint is looked for anywhere ahead (the text starts after
        # the front matter, a block after a heading, a quotation, a page of notes);
        # the others near the one before.
        for number, (left, right) in enumerate(joints(block)):
            report.checked += 1
            tail, head = _edge_letters(left, True), _edge_letters(right, False)
            pattern = re.compile(
                _letters(tail)
                + "(?:(?P<gap>" + _MARK + r"[ \n]+\d{0,3})|" + _MARK + _PAGE_BREAK + "|(?P<none>" + _MARK + "))"
                + "(?P<head>" + _letters(head) + ")"
            )
            found = pattern.search(stream, position, len(stream) if number == 0 else position + WINDOW)
            where = f"{left} {right}"
            if found is None:
                report.not_found.append(where)
                continue
            gap = found.group("gap")
            if gap is not None and " " in gap:
                report.spaced += 1
                at = found.start("gap")
                width = max(widths[at + i] for i, c in enumerate(gap) if c == " ")
                report.space_widths.append((width, where))
            elif found.group("none") is not None:
                report.run_together.append(f"{where}  (printed: {stream[found.start():found.end()]!r})")
            else:
                report.at_line_end += 1
            position = found.start("head")
    return report


def check_pdf(pdf: Path, texts) -> dict[str, JointReport]:
    """A report per text (keyed by its id) for a built PDF."""
    stream = page_stream(read_pages(pdf))
    return {text.text_id: check_joints(stream, [b.text for b in text.blocks]) for text in texts}
