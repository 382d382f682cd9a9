"""The notes as W3C Web Annotations (https://www.w3.org/TR/annotation-model/).

Export: per text one ``AnnotationCollection`` (JSON-LD) whose page holds an
``Annotation`` per note. The target is the text's page; its selectors are
alternatives for the same passage: a ``TextQuoteSelector`` (exact, prefix,
suffix), a ``TextPositionSelector`` and, for passages in a numbered
paragraph, a ``FragmentSelector`` for the ¶ anchor refined by the quote.

Selectors describe the published page: quote and context are characters of
its ``document.body.textContent`` and positions count them
(:mod:`edition.reading.page_text`). With the built page at hand (the build's copy,
``edition export --html``) that is exact; without it, the context is taken
from the passage's own block (which stands in the page as it reads) and no
position is claimed, since none could be counted. The body is a ``Choice`` of the same note as HTML,
plain text and the Markdown source (``language: en``); the creator is the
note's contributor; the motivation follows the note's kind.

The *reading text* (the text's blocks joined by line feeds,
:class:`edition.reading.contract.ReadingText`) is how import places notes; it is not what
positions in exported annotations count.

Import is :mod:`edition.formats.annotation_import`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from docutils import nodes

from ..anchoring.text_quotes import Placement, locate
from ..model.annotations import NOTE_KINDS, Note
from ..base.addresses import normalise_base, site_address  # noqa: F401  (the commands import them from here)
from ..base.errors import EditionError
from ..base.markup import render_blocks, render_sources
from ..reading.contract import ReadingText, paragraph_id
from ..reading.page_text import PageText
from ..reading.texts import TextDocument

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
#: Notes' sources travel as Dublin Core references (plain strings in the
#: note's own Markdown subset), declared beside the Web Annotation context.
CONTEXT = [ANNO_CONTEXT, {"dcterms": "http://purl.org/dc/terms/"}]
SOURCES_KEY = "dcterms:references"
#: The note's anchor as its notes file words it (exact, and any prefix, suffix and
#: paragraph), which W3C terms cannot say: an import of the edition's own export
#: writes the note back as it was. A term of the edition's own vocabulary, whose
#: IRI is under the edition's address (:func:`context`).
ANCHOR_KEY = "edition:anchor"


def context(site: Site) -> list:
    terms = f"{site.base}{FOLDER}/terms#"
    # The anchor is a JSON literal (JSON-LD 1.1 @json): a processor keeps it as written,
    # rather than reading "exact" in it as oa:exact and dropping "paragraph".
    return [ANNO_CONTEXT, {**CONTEXT[1], "edition": terms, ANCHOR_KEY: {"@id": f"{terms}anchor", "@type": "@json"}}]

#: The note's kind as a W3C motivation, and back (one to one).
MOTIVATIONS = {name: kind.motivation for name, kind in NOTE_KINDS.items()}
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


def page_key(url: str) -> tuple[str, str] | None:
    """What identifies a page whatever form its address takes: http or https, default
    port or not, host case, ``.html`` or extensionless or a folder (``dirhtml``,
    GitHub Pages), query and fragment dropped."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower() + (f":{port}" if port not in (None, 80, 443) else "")
    path = unquote(parts.path)
    for ending in ("/index.html", "/index.htm", ".html", ".htm", "/"):
        if path.endswith(ending):
            path = path[: -len(ending)]
            break
    return host, path


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


def _selectors(reading: ReadingText, placement: Placement, page: PageText | None) -> list[dict]:
    block = reading.blocks[placement.block]
    exact = block.text[placement.start : placement.end]
    if page is not None:  # the characters of the published page, counted there
        text, offset = page.text, page.blocks[placement.block][0]
    else:  # the block stands in the page as it reads; what lies around it is unknown here
        text, offset = block.text, 0
    start, end = offset + placement.start, offset + placement.end
    quote = {
        "type": "TextQuoteSelector",
        "exact": exact,
        "prefix": text[max(0, start - CONTEXT_CHARS) : start],
        "suffix": text[end : end + CONTEXT_CHARS],
    }
    # Empty context (a passage at the very start or end) is left out, not sent as "".
    quote = {k: v for k, v in quote.items() if v != "" or k == "exact"}
    selectors = [quote]
    if page is not None:
        selectors.append({"type": "TextPositionSelector", "start": start, "end": end})
    if block.number is not None:
        selectors.append(
            {
                "type": "FragmentSelector",
                "conformsTo": "http://tools.ietf.org/rfc/rfc3236",
                "value": paragraph_id(block.number),
                "refinedBy": {"type": "TextQuoteSelector", "exact": exact},
            }
        )
    return selectors


def check_page(reading: ReadingText, page: PageText, where: str) -> None:
    """The published page must hold the text's blocks, in order, character for character."""
    if len(page.blocks) != len(reading.blocks):
        raise ExportError(
            f"{where} has {len(page.blocks)} text blocks where the text has {len(reading.blocks)}; "
            "build the HTML edition again from the same sources before exporting"
        )
    for block, (start, end) in zip(reading.blocks, page.blocks):
        if page.text[start:end] != block.text:
            raise ExportError(
                f"{where} does not read as the text at {block.label} (the page has "
                f"{page.text[start:end][:60]!r}); build the HTML edition again from the same sources"
            )


def annotation(
    note: Note, placement: Placement, reading: ReadingText, document: TextDocument, site: Site,
    page: PageText | None = None,
) -> dict:
    address = site.page(document.docname)
    result: dict = {
        "id": f"{address}#note-{note.id}",
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
        "target": {"source": address, "selector": _selectors(reading, placement, page)},
    }
    if note.contributor:
        result["creator"] = {"name": note.contributor}
    if note.sources:
        result[SOURCES_KEY] = list(note.sources)
    if note.provenance:  # the annotation it was imported from
        result["via"] = note.provenance
    anchor = note.anchor
    result[ANCHOR_KEY] = {
        key: value
        for key, value in (("exact", anchor.exact), ("prefix", anchor.prefix), ("suffix", anchor.suffix),
                           ("paragraph", anchor.paragraph))
        if value is not None
    }
    return result


class ExportError(EditionError):
    """A note that cannot be exported (the build and `edition check` report it first)."""


def collection(document: TextDocument, notes: Sequence[Note], site: Site, page: PageText | None = None) -> dict:
    """The AnnotationCollection of one text, its notes in the order of its notes file
    (the editors' order: an import writes them back in it); *page* is the text's
    published page, when there is one to count positions in."""
    reading = ReadingText.of(document)
    if page is not None:
        check_page(reading, page, f"the page of {document.docname}")
    items = []
    for note in notes:
        result = locate(note.anchor, reading.blocks)
        if not isinstance(result, Placement):
            raise ExportError(f"note '{note.id}' does not anchor: {result.message}; run `edition check`")
        items.append(annotation(note, result, reading, document, site, page))
    collection_id = site.collection(document.text_id)
    title = document.meta.get("title_en") or document.meta.get("title") or document.text_id
    result: dict = {
        "@context": context(site),
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
