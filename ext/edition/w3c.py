"""The notes as W3C Web Annotations (https://www.w3.org/TR/annotation-model/).

Export: per text one ``AnnotationCollection`` (JSON-LD) whose page holds an
``Annotation`` per note. The target is the text's page; its selectors are
alternatives for the same passage: a ``TextQuoteSelector`` (exact, prefix,
suffix), a ``TextPositionSelector`` on the reading text (below) and, for
passages in a numbered paragraph, a ``FragmentSelector`` for the ¶ anchor
refined by the quote. The body is a ``Choice`` of the same note as HTML,
plain text and the Markdown source (``language: en``); the creator is the
note's contributor; the motivation follows the note's kind.

The *reading text* of a page, which TextPositionSelector offsets count in
(Unicode code points), is the text's blocks (headings, paragraphs,
attribution lines) as they read, joined by one line feed each.

Import is :mod:`edition.annotation_import`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from docutils import nodes

from .anchoring import Block, Placement, locate
from .annotations import Note
from .errors import EditionError
from .markup import render_blocks, render_sources
from .texts import TextDocument

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
#: Notes' sources travel as Dublin Core references (plain strings in the
#: note's own Markdown subset), declared beside the Web Annotation context.
CONTEXT = [ANNO_CONTEXT, {"dcterms": "http://purl.org/dc/terms/"}]
SOURCES_KEY = "dcterms:references"

#: The note's kind as a W3C motivation, and back (one to one).
MOTIVATIONS = {
    "editorial": "commenting",
    "translation": "describing",
    "sic": "assessing",
    "source": "identifying",
}
KINDS = {motivation: kind for kind, motivation in MOTIVATIONS.items()}

#: Characters of context kept on each side in a TextQuoteSelector.
CONTEXT_CHARS = 32
#: Where the build and `edition export` put the collections, under the site root.
FOLDER = "annotations"


@dataclass(frozen=True)
class Site:
    """Where the edition lives: ``base`` ends with ``/``; pages are ``base + docname + suffix``."""

    base: str
    suffix: str = ".html"

    def page(self, docname: str) -> str:
        return f"{self.base}{docname}{self.suffix}"

    def collection(self, text_id: str) -> str:
        return f"{self.base}{FOLDER}/{text_id}.jsonld"


def normalise_base(url: str) -> str:
    return url if url.endswith("/") else url + "/"


@dataclass(frozen=True)
class ReadingText:
    """A text's reading text and where each anchorable block starts in it."""

    text: str
    blocks: tuple[Block, ...]  # paragraphs and attribution lines, as the notes anchor to them
    starts: tuple[int, ...]  # offset of each of those blocks in ``text``

    @classmethod
    def of(cls, document: TextDocument) -> ReadingText:
        parts, blocks, starts, offset = [], [], [], 0
        for block in document.blocks:
            if block.kind in ("paragraph", "attribution"):
                blocks.append(Block.of(block.text, block.number))
                starts.append(offset)
            parts.append(block.text)
            offset += len(block.text) + 1
        return cls("\n".join(parts), tuple(blocks), tuple(starts))

    def span(self, placement: Placement) -> tuple[int, int]:
        start = self.starts[placement.block]
        return start + placement.start, start + placement.end


# --- rendering a note body outside Sphinx ------------------------------------------


def _html(node: nodes.Node) -> str:
    if isinstance(node, nodes.Text):
        return html.escape(str(node), quote=False)
    inner = "".join(_html(child) for child in node.children)
    if isinstance(node, nodes.paragraph):
        return f"<p>{inner}</p>"
    if isinstance(node, nodes.emphasis):
        return f"<em>{inner}</em>"
    if isinstance(node, nodes.strong):
        return f"<strong>{inner}</strong>"
    if isinstance(node, nodes.literal):
        return f"<code>{inner}</code>"
    if isinstance(node, nodes.reference) and node.get("refuri"):
        return f'<a href="{html.escape(node["refuri"])}">{inner}</a>'
    return inner  # roles (glossary, persons, works) read as their text


def note_html(note: Note) -> str:
    parts = render_blocks(note.body)
    if note.sources:
        parts.append(render_sources(note.sources))
    return "".join(_html(p) for p in parts)


def note_plain(note: Note) -> str:
    parts = render_blocks(note.body)
    if note.sources:
        parts.append(render_sources(note.sources))
    return "\n\n".join(p.astext() for p in parts)


# --- export ---------------------------------------------------------------------------


def _selectors(reading: ReadingText, placement: Placement) -> list[dict]:
    start, end = reading.span(placement)
    text = reading.text
    exact = text[start:end]
    quote = {
        "type": "TextQuoteSelector",
        "exact": exact,
        "prefix": text[max(0, start - CONTEXT_CHARS) : start],
        "suffix": text[end : end + CONTEXT_CHARS],
    }
    # Empty context (a passage at the very start or end) is left out, not sent as "".
    quote = {k: v for k, v in quote.items() if v != "" or k == "exact"}
    selectors = [quote, {"type": "TextPositionSelector", "start": start, "end": end}]
    number = reading.blocks[placement.block].number
    if number is not None:
        selectors.append(
            {
                "type": "FragmentSelector",
                "conformsTo": "http://tools.ietf.org/rfc/rfc3986",
                "value": f"p-{number}",
                "refinedBy": {"type": "TextQuoteSelector", "exact": exact},
            }
        )
    return selectors


def annotation(note: Note, placement: Placement, reading: ReadingText, document: TextDocument, site: Site) -> dict:
    page = site.page(document.docname)
    result: dict = {
        "id": f"{page}#note-{note.id}",
        "type": "Annotation",
        "motivation": MOTIVATIONS[note.kind],
        "body": {
            "type": "Choice",
            "items": [
                {"type": "TextualBody", "format": "text/html", "language": "en", "value": note_html(note)},
                {"type": "TextualBody", "format": "text/plain", "language": "en", "value": note_plain(note)},
                {"type": "TextualBody", "format": "text/markdown", "language": "en", "value": note.body},
            ],
        },
        "target": {"source": page, "selector": _selectors(reading, placement)},
    }
    if note.contributor:
        result["creator"] = {"name": note.contributor}
    if note.sources:
        result[SOURCES_KEY] = list(note.sources)
    return result


class ExportError(EditionError):
    """A note that cannot be exported (the build and `edition check` report it first)."""


def collection(document: TextDocument, notes: Sequence[Note], site: Site) -> dict:
    """The AnnotationCollection of one text, its notes in reading order."""
    reading = ReadingText.of(document)
    placed = []
    for order, note in enumerate(notes):
        result = locate(note.anchor, reading.blocks)
        if not isinstance(result, Placement):
            raise ExportError(f"note '{note.id}' does not anchor: {result.message}; run `edition check`")
        placed.append((result.block, result.end, order, note, result))
    placed.sort(key=lambda item: item[:3])
    items = [annotation(note, placement, reading, document, site) for *_, note, placement in placed]
    collection_id = site.collection(document.text_id)
    title = document.meta.get("title_en") or document.meta.get("title") or document.text_id
    result: dict = {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"Notes on {title}",
        "total": len(items),
    }
    if items:
        page = {"id": f"{collection_id}#page-1", "type": "AnnotationPage", "startIndex": 0, "items": items}
        result["first"] = page
        result["last"] = page["id"]
    return result


def annotations_of(collection_data: dict) -> list[dict]:
    """The annotations of an exported collection, each as it would stand alone."""
    first = collection_data.get("first")
    items = first.get("items", []) if isinstance(first, dict) else []
    return [{"@context": collection_data["@context"], **item} for item in items]
