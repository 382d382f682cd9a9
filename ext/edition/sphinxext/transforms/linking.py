"""The linker half: occurrences found by :mod:`edition.anchoring.lexicon` become links.

For every text document, after notes are placed, this transform finds the
forms of every registered entry (glossary terms now; persons and works plug
in the same way) in the paragraphs and attribution lines, never in headings,
and

* gives each paragraph the back-of-book index entries of the terms in it,
  so the PDF's index gives the pages where each term is used;
* turns occurrences into cross-references as the link policy says
  (``edition_link_policy``: ``first-in-section`` by default, or
  ``first-in-paragraph``, ``every``); references are ordinary
  ``pending_xref`` nodes, resolved by Sphinx (the std domain's ``term`` for
  glossary entries), so they work in every builder;
* skips text inside existing links, literals and the apparatus;
* records every use (entry, paragraph, section) on the environment
  (:data:`USES`) for the "used in" lists and the indices;
* appends, for HTML, the short definitions of the entries linked on the page,
  hidden, for popovers and ``aria-describedby``.

Matching runs on each block's whole reading text, exactly as
``edition check --report`` does, and the hits are mapped back to text nodes.
"""

from __future__ import annotations

from typing import NamedTuple

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

from ...anchoring.lexicon import Hit
from ...reading.nodes import adopt, is_apparatus
from ...anchoring.text_quotes import Block
from ...reading.contract import anchorable_nodes, paragraph_id, reading_pieces
from ...reading.texts import TEXT_ID_KEY
from ...anchoring.work_citations import text_hits
from ..state.records import MISSING_FILES, NOTE_PROBLEMS, USES
from ..state.registry import REGISTER_FILES, LinkTarget, annotation_path, link_targets, load_registry
from .text_documents import TextTransform
from .. import priorities

logger = logging.getLogger(__name__)

POLICIES = ("first-in-section", "first-in-paragraph", "every")


class term_definitions(nodes.General, nodes.Element):
    """Short definitions of the entries linked on a page (HTML only, hidden)."""


class Use(NamedTuple):
    """An entry used in a paragraph of a text (its first occurrence there).

    A named tuple, not a dataclass: every text records hundreds, and the
    environment holding them is pickled whole by each parallel reader and at
    the end of every build (a frozen dataclass unpickles 15 times slower)."""

    key: str
    docname: str
    lang: str
    paragraph: int | None
    section_id: str
    section_title: str
    linked: bool
    anchor: str  # the id the indices link to: the paragraph's


def _eligible(text: nodes.Text) -> bool:
    """Text that may become a link: not apparatus, not already a link or literal."""
    node = text.parent
    while node is not None:
        if isinstance(node, (nodes.reference, addnodes.pending_xref, nodes.literal, nodes.title, nodes.raw)):
            return False
        node = node.parent
    return not is_apparatus(text.parent)


class AutoLinkTransform(TextTransform):
    # After notes (410): their markers are apparatus and are skipped.
    default_priority = priorities.AUTO_LINKS

    def apply_to_text(self, meta: dict[str, str]) -> None:
        for name in REGISTER_FILES:
            path = annotation_path(self.config, name)
            if path.exists():
                self.env.note_dependency(str(path))
            else:
                MISSING_FILES.note(self.env, path)
        registry_ = load_registry(self.config)
        targets, lexicon = registry_.targets, registry_.lexicon
        if not targets:
            return
        lang = meta.get("lang", "")
        policy = self.config.edition_link_policy
        docname = self.env.docname
        uses: list[Use] = []
        linked_in: set[tuple[str, int]] = set()
        section_titles: dict[str, str] = {}
        reading = []  # (kind, block, ¶ number or None, text pieces, reading text)
        paragraph = None
        for kind, block, number in list(anchorable_nodes(self.document)):
            # An attribution counts with its quotation's last paragraph.
            paragraph = number if kind == "paragraph" else paragraph
            pieces = reading_pieces(block)
            reading.append((kind, block, paragraph, pieces, "".join(str(t) for t, _ in pieces)))
        # A work's wording links only where the text cites it (edition.anchoring.work_citations).
        blocks = [Block.of(full, paragraph if kind == "paragraph" else None)
                  for kind, _, paragraph, _, full in reading]
        citations = list(registry_.citations_by_text.get(meta[TEXT_ID_KEY], ()))
        citing = text_hits(blocks, lang, lexicon, citations)
        hits_per_block, problems = citing.hits, citing.problems
        if problems:  # reported, and the build failed, with the notes' (report_note_problems)
            NOTE_PROBLEMS.set(self.env, docname, [*NOTE_PROBLEMS.all(self.env).get(docname, ()), *problems])
        for (kind, block, paragraph, pieces, full), block_hits in zip(reading, hits_per_block):
            section = _section_of(block)
            # The indices and "used in" lists point at the paragraph (an
            # attribution counts with its quotation's last paragraph).
            anchor = paragraph_id(paragraph) if paragraph else _section_id(section)
            section_id = _section_id(section)
            # One string per section, shared by its uses: pickled once, not once per use.
            section_title = section_titles.setdefault(section_id, _section_title(section))
            eligible_pieces = [_eligible(text) for text, _ in pieces]
            scope_of = {"first-in-section": id(section), "first-in-paragraph": id(block), "every": None}
            # Decide in reading order (the first occurrence in a scope is linked) ...
            by_node: dict[int, list[tuple[int, int, Hit, bool]]] = {}
            index_entries: dict[str, None] = {}
            for hit in block_hits:
                target = targets[hit.key]
                segments = _segments(pieces, hit.start, hit.end)
                # Every citation of a work is linked, whatever the policy: each is a claim of its own.
                scope = None if hit.key.startswith("work:") else scope_of[policy]
                eligible = all(eligible_pieces[i] for i, _, _ in segments)
                link = eligible and (scope is None or (hit.key, scope) not in linked_in)
                if link:
                    if scope is not None:
                        linked_in.add((hit.key, scope))
                    # A form interrupted by a note marker is linked piece by piece.
                    for n, (index, start, end) in enumerate(segments):
                        by_node.setdefault(index, []).append((start, end, hit, n == 0))
                # Occurrences that are not linked stay plain text: a node for
                # each would multiply the nodes of a text for no visible gain.
                if target.index_entry:
                    index_entries[target.index_entry] = None
                uses.append(Use(hit.key, docname, lang, paragraph, section_id, section_title, link, anchor))
            if index_entries:
                # The printed index (edition.sphinxext.print.latex) gives the page of the
                # paragraph for each term in it. Not HTML index entries: every
                # paragraph would become a search result.
                block["edition-index"] = list(index_entries)
            # ... then rewrite the text nodes, last first, so earlier offsets hold.
            for index in sorted(by_node, reverse=True):
                text = pieces[index][0]
                replacement: list[nodes.Node] = []
                position = 0
                for start, end, hit, first in by_node[index]:
                    replacement.append(nodes.Text(text[position:start]))
                    replacement.append(self._link(targets[hit.key], text[start:end], first))
                    position = end
                replacement.append(nodes.Text(text[position:]))
                text.parent.replace(text, [n for n in replacement if not (isinstance(n, nodes.Text) and not n)])
        used = sorted({u.key for u in uses if u.linked})
        # The listings and indices need each entry once per paragraph, not every
        # occurrence; fewer records keep the environment small, and parallel
        # workers pickle it whole.
        first_in_paragraph: dict[tuple[str, int | None, str], Use] = {}
        for use in uses:
            first_in_paragraph.setdefault((use.key, use.paragraph, use.section_id), use)
        self._record(list(first_in_paragraph.values()))
        if used:
            self.document += term_definitions(keys=used)

    def _link(self, target: LinkTarget, form: str, first: bool = True) -> addnodes.pending_xref:
        # The key class lets edition.js find the hidden definition (def-<slug>).
        content = nodes.inline(
            form, classes=["edition-term", f"edition-{target.key.split(':')[0]}", f"edition-key-{target.slug}"]
        )
        if not first:  # the rest of a form, after a note marker inside it
            content["classes"].append("edition-term-continued")
        xref = addnodes.pending_xref(
            "", refdomain=target.domain, reftype=target.reftype, reftarget=target.target,
            refexplicit=True, refwarn=True, refdoc=self.env.docname,
        )
        return adopt(xref, adopt(content, nodes.Text(form)))

    def _record(self, uses: list[Use]) -> None:
        USES.set(self.env, self.env.docname, uses)


def _segments(pieces, start: int, end: int) -> list[tuple[int, int, int]]:
    """(piece index, local start, local end) of the text pieces covering [start, end)."""
    found = []
    for index, (text, offset) in enumerate(pieces):
        lo, hi = max(start, offset), min(end, offset + len(text))
        if lo < hi:
            found.append((index, lo - offset, hi - offset))
    return found



def _section_of(node: nodes.Node) -> nodes.section | None:
    while node is not None and not isinstance(node, nodes.section):
        node = node.parent
    return node


def _section_id(section: nodes.section | None) -> str:
    return section["ids"][0] if section is not None and section["ids"] else ""


def _section_title(section: nodes.section | None) -> str:
    if section is None:
        return ""
    title = next(iter(section.findall(nodes.title)), None)
    return title.astext() if title is not None else ""


# --- HTML output of the hidden definitions -------------------------------------------


def visit_definitions_html(self, node: term_definitions) -> None:
    if self.builder.name.startswith("epub"):  # e-readers show the glossary entry instead
        raise nodes.SkipNode
    targets = link_targets(self.builder.config)
    self.body.append('<div class="edition-definitions edition-apparatus" hidden="hidden" lang="en">\n')
    for target in (targets[key] for key in node["keys"] if key in targets):
        self.body.append(
            f'<div id="{target.definition_id}"><p><strong>{self.encode(target.title)}</strong>: '
            f"{self.encode(target.short)}</p></div>\n"
        )
    self.body.append("</div>\n")
    raise nodes.SkipNode
