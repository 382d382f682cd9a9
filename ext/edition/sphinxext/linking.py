"""The linker half: occurrences found by :mod:`edition.lexicon` become links.

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

import os
import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import NamedTuple
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

from ..errors import Diagnostic
from ..glossary import GlossaryEntry, load_glossary
from ..intake import REGISTER_FILES
from ..registers import Person, Work, bibliographic_line, load_persons, load_works
from ..lexicon import Hit, Lexicon
from ..markup import render_inline
from ..nodes import adopt, is_apparatus
from ..anchoring import Block
from ..reading import anchorable_nodes, paragraph_id, reading_pieces
from ..texts import TEXT_ID_KEY
from ..work_citations import text_hits
from .env_data import MISSING_FILES, NOTE_PROBLEMS, PerDocument
from .parsed_files import PARSED
from .text_documents import TextTransform

logger = logging.getLogger(__name__)

POLICIES = ("first-in-section", "first-in-paragraph", "every")

#: Per text, every use of an entry (for the "used in" lists and the indices).
USES = PerDocument("edition_uses")


def uses_by_key(env) -> dict[str, list[Use]]:
    """Every recorded use, per entry key, in document order."""
    grouped: dict[str, list[Use]] = {}
    all_uses = USES.all(env)
    for docname in sorted(all_uses):
        for use in all_uses[docname]:
            grouped.setdefault(use.key, []).append(use)
    return grouped


def text_title(env, docname: str) -> str:
    """A document's title as plain text (its name when it has none)."""
    return env.titles[docname].astext() if docname in env.titles else docname


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


@dataclass(frozen=True)
class LinkTarget:
    """What the linker needs to know about one entry of any registry."""

    key: str  # "term:nep"
    title: str  # "NEP (New Economic Policy)"
    short: str  # one line, plain text
    index_entry: str | None  # "NEP" in the general index; persons and works have their own indices
    domain: str
    reftype: str
    target: str

    @cached_property  # once per entry, not once per link made (frozen: kept in __dict__)
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9-]", "-", self.key)

    @property
    def definition_id(self) -> str:
        return f"def-{self.slug}"


def glossary_target(entry: GlossaryEntry) -> LinkTarget:
    short = "".join(n.astext() for n in render_inline(entry.short))
    return LinkTarget(entry.key, entry.title, short, entry.headword, "std", "term", entry.id)


def person_target(person: Person) -> LinkTarget:
    return LinkTarget(person.key, person.title, person.identification, None, "edition", "person", person.id)


def work_target(work: Work, persons: dict[str, Person]) -> LinkTarget:
    return LinkTarget(work.key, work.title_with_year, bibliographic_line(work, persons), None,
                      "edition", "work", work.id)


def annotation_path(config, *parts: str) -> Path:
    """A path in the annotations folder (``edition_annotations_dir``)."""
    return Path(config.edition_annotations_dir, *parts)


def glossary_path(config) -> Path:
    return annotation_path(config, "glossary.yaml")




@dataclass(frozen=True)
class Registry:
    glossary: tuple[GlossaryEntry, ...]
    persons: dict[str, Person]
    works: dict[str, Work]
    targets: dict[str, LinkTarget]
    lexicon: Lexicon
    diagnostics: tuple[Diagnostic, ...]  # of the three files, as loaded
    #: text id -> the works' stand-off citations in it, in works.yaml order: each text
    #: looks up its own, rather than walking every citation of every text.
    citations_by_text: dict[str, tuple] = field(default_factory=dict)


@cache
def _load_registry(stamps: tuple[tuple[str, int, int], ...]) -> Registry:
    """Loaded once per version of the files and per process: check_annotations
    loads it before reading, so parallel workers, forked later, inherit it.
    A file with errors contributes nothing: check_annotations reports the
    errors and fails the build."""
    paths = {Path(path).name: Path(path) for path, *_ in stamps}
    found: list[Diagnostic] = []

    def load(name, loader, *args):
        if name not in paths:
            return [], []
        entries, diagnostics = PARSED.load(paths[name], loader, *args)
        found.extend(diagnostics)
        return entries, diagnostics

    def ok(loaded):
        entries, diagnostics = loaded
        return [] if any(d.severity == "error" for d in diagnostics) else entries

    glossary = ok(load("glossary.yaml", load_glossary))
    all_persons, person_diagnostics = load("persons.yaml", load_persons)
    persons = ok((all_persons, person_diagnostics))
    # Works are checked against every person entry, so an error in one person
    # is reported once, not again for each of that person's works.
    works = ok(load("works.yaml", load_works, {p.id for p in all_persons}))
    by_person = {p.id: p for p in persons}
    targets = {e.key: glossary_target(e) for e in glossary}
    targets.update({p.key: person_target(p) for p in persons})
    targets.update({w.key: work_target(w, by_person) for w in works})
    lexicon = Lexicon(f for entry in (*glossary, *persons, *works) for f in entry.lexicon_forms())
    citations: dict[str, list] = {}
    for work in works:
        for citation in work.cited_at:
            citations.setdefault(citation.text_id, []).append(citation)
    return Registry(tuple(glossary), by_person, {w.id: w for w in works}, targets, lexicon, tuple(found),
                    {text_id: tuple(found_in) for text_id, found_in in citations.items()})


def load_registry(config) -> Registry:
    # Asked for at every cross-reference resolved (tens of thousands a build): plain
    # strings and one lstat a file, not paths (pathlib was 5% of a build here).
    stamps = []
    for name in REGISTER_FILES:
        path = os.path.join(config.edition_annotations_dir, name)
        try:
            stat = os.lstat(path)  # the intake refuses links, dangling or not
        except OSError:
            continue
        stamps.append((path, stat.st_mtime_ns, stat.st_size))
    return _load_registry(tuple(stamps))


def glossary_entries(config) -> tuple[GlossaryEntry, ...]:
    return load_registry(config).glossary


def registers(config) -> tuple[dict[str, Person], dict[str, Work]]:
    registry_ = load_registry(config)
    return registry_.persons, registry_.works


def link_targets(config) -> dict[str, LinkTarget]:
    """Every linkable entry, by key ("term:nep")."""
    return load_registry(config).targets


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
    default_priority = 420

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
        # A work's wording links only where the text cites it (edition.work_citations).
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
                # The printed index (edition.sphinxext.latex) gives the page of the
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
