"""Reading-time treatment of the edition's texts: language, ¶ numbers, header.

A document is one of the edition's texts when its front matter has the
``edition-text`` key (the importer writes it). For such a document this
transform

* marks every top-level section with the text's language, which the HTML
  writer turns into ``lang="ko"``/``lang="ru"``;
* gives each paragraph of the reading text its ¶ number and a stable anchor
  ``#p-N`` (numbering is :func:`edition.reading.contract.numbered_blocks`, the reading
  contract shared with the tooling);
* gives each section a stable anchor ``#s-N`` (docutils derives ids from the
  heading's ASCII letters, which Hangul and Cyrillic headings do not have);
* replaces the ``edition-text-header`` placeholder by the title block
  (subtitle, issue line: text in the text's language) and the source box
  (the apparatus' account of where the text comes from, in English).
"""

from __future__ import annotations

import os
from pathlib import Path

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from ...reading.nodes import APPARATUS, TITLE_BLOCK, paragraph_number, text_header
from ...base.errors import EditionError
from ...reading.paragraph_numbers import read_record, record_path
from ...reading.contract import numbered_blocks, paragraph_id, paragraph_texts
from ..state.records import MISSING_FILES
from .. import priorities
from ...reading.texts import TEXT_ID_KEY

logger = logging.getLogger(__name__)

#: Front-matter fields shown in the source box, in order, with their labels.
SOURCE_FIELDS = (
    ("title_en", "Title in English"),
    ("short_title", "Short title in the indices"),  # the key to the indices' passages
    ("author", "Author"),
    ("translator", "Translator"),
    ("publication", "Publication"),
    ("date", "Date"),
    ("source_file", "Raw source"),
    ("provenance", "Provenance"),
)


def front_matter(document: nodes.document) -> dict[str, str]:
    """The front matter as docutils left it in ``docinfo`` (values as text).

    DocInfo puts it among the document's own children: no need to walk the tree."""
    meta: dict[str, str] = {}
    for docinfo in (c for c in document.children if isinstance(c, nodes.docinfo)):
        for child in docinfo.children:
            if isinstance(child, nodes.field):
                meta[child[0].astext()] = child[1].astext()
            elif isinstance(child, nodes.Element):  # bibliographic: author, date, …
                meta[child.tagname] = child.astext()
    return meta


class TextTransform(SphinxTransform):
    """A transform that applies to the edition's texts only (and needs their
    front matter, so it must run before Sphinx strips docinfo at 880)."""

    def apply(self, **kwargs) -> None:
        meta = front_matter(self.document)
        if TEXT_ID_KEY in meta:
            self.apply_to_text(meta)

    def apply_to_text(self, meta: dict[str, str]) -> None:
        raise NotImplementedError


class TextDocumentTransform(TextTransform):
    default_priority = priorities.TEXT_DOCUMENT

    def apply_to_text(self, meta: dict[str, str]) -> None:
        lang = meta.get("lang", "")
        for section in self.document.children:
            if isinstance(section, nodes.section):
                section["classes"].append(f"language-{lang}")
                # The title also stands alone (navigation, previous/next links):
                # it carries its language with it.
                title = section.next_node(nodes.title)
                if title is not None and title.children:
                    children = list(title.children)
                    title.clear()
                    title += nodes.inline("", "", *children, classes=[f"language-{lang}"])

        self._number_paragraphs()
        self._number_sections()
        for header in list(self.document.findall(text_header)):
            header.replace_self(self._render_header(meta))

    def _add_id(self, node: nodes.Element, node_id: str) -> None:
        if node_id in self.document.ids:  # pragma: no cover - guarded by construction
            raise ValueError(f"duplicate id {node_id}")
        node["ids"].insert(0, node_id)
        self.document.ids[node_id] = node

    def _number_paragraphs(self) -> None:
        numbers = self._recorded_numbers()
        paragraphs = [(node, n) for kind, node, n in numbered_blocks(self.document, numbers) if kind == "paragraph"]
        for paragraph, number in paragraphs:
            self._add_id(paragraph, paragraph_id(number))
            paragraph["classes"].append("edition-para")
            paragraph.insert(0, paragraph_number(number=number))

    def _recorded_numbers(self) -> list[int] | None:
        """The text's stable ¶ numbers (:mod:`edition.reading.paragraph_numbers`), None: count them."""
        path = record_path(Path(self.env.doc2path(self.env.docname)))
        if not os.path.lexists(path):
            MISSING_FILES.note(self.env, path)  # read again when a record appears
            return None
        self.env.note_dependency(str(path))
        try:
            record = read_record(path)
        except EditionError as exc:
            logger.warning(exc.message, location=f"{path}:{exc.line or ''}", type="edition", subtype="paragraphs")
            return None
        numbers = record.numbers_for(paragraph_texts(self.document))
        if numbers is None:
            logger.warning(
                "the recorded ¶ numbers are not this text's paragraphs; the paragraphs are counted instead. "
                "Run `edition import --check` on its source to see what changed", location=f"{path}:",
                type="edition", subtype="paragraphs")
        return numbers

    def _number_sections(self) -> None:
        for number, section in enumerate(self.document.findall(nodes.section), 1):
            self._add_id(section, f"s-{number}")

    def _render_header(self, meta: dict[str, str]) -> nodes.Element:
        header = nodes.container(classes=[TITLE_BLOCK])
        for key in ("subtitle", "issue_line"):
            if meta.get(key):
                header += nodes.paragraph(meta[key], meta[key], classes=[f"edition-{key.replace('_', '-')}"])

        box = nodes.container(classes=["edition-source", APPARATUS, "language-en"])
        box += nodes.rubric("About this text", "About this text")
        fields = nodes.field_list()
        for key, label in SOURCE_FIELDS:
            if meta.get(key):
                body = nodes.field_body("", nodes.paragraph(meta[key], meta[key]))
                fields += nodes.field("", nodes.field_name(label, label), body)
        box += fields
        header += box
        return header
