"""The glossary page: ``{edition-glossary}`` renders annotations/glossary.yaml.

Entries are registered as terms of Sphinx's std domain (under their stable
id), so the linker's references, the ``{term}`` role of note bodies and
Sphinx's own ``:term:`` all resolve to them. Each entry's "used in" list is
filled at write time from the uses the linker recorded on the environment,
so it lists exactly the passages of every text where the term occurs.
"""

from __future__ import annotations

from collections import defaultdict

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ...model.glossary import GlossaryEntry
from ...base.languages import language_name, ordered_languages
from ...base.markup import render_blocks, render_inline, render_sources
from ...reading.nodes import adopt, text_element
from ...reading.passages import paragraph_ranges, range_label
from ...reading.contract import paragraph_id
from ...reading.texts import short_label
from ..state.records import REGISTER_KINDS, USES, build_state
from ..state.records import text_title, uses_by_key
from ..state.registry import glossary_path
from .register_order import register_order



class used_in(nodes.General, nodes.Element):
    """Placeholder for an entry's list of passages, filled at write time."""


class GlossaryDirective(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(str(glossary_path(self.config)))
        note_register_doc(self.env, "glossary")
        entries = [entry for entry, _ in register_order("glossary", self.config)]
        by_id = {e.id: e for e in entries}
        glossary = nodes.definition_list(classes=["glossary", "edition-glossary"], edition_register="glossary")
        std = self.env.domains.standard_domain
        for entry in entries:
            item = self._entry(entry, by_id, std)
            short = "".join(n.astext() for n in render_inline(entry.short))
            mark_register_item(item, entry.anchor, entry.title, short, entry.forms)
            glossary += item
        return [glossary]

    def _entry(self, entry: GlossaryEntry, by_id, std) -> nodes.definition_list_item:
        item = nodes.definition_list_item()
        term = nodes.term("", "", ids=[entry.anchor])
        term += nodes.Text(entry.headword)
        if entry.expansion:
            term += nodes.inline("", f" ({entry.expansion})", classes=["edition-expansion"])
        self.state.document.ids[entry.anchor] = term
        std.note_object("term", entry.id, entry.anchor, location=(self.env.docname, self.lineno))
        item += term

        definition = nodes.definition()
        forms = nodes.paragraph(classes=["edition-forms"])
        for index, lang in enumerate(ordered_languages(entry.forms)):
            if index:
                forms += nodes.Text(" · ")
            forms += nodes.emphasis(language_name(lang), language_name(lang))
            forms += nodes.Text(": ")
            listed = ", ".join(entry.forms.get(lang, ()))
            forms += nodes.inline(listed, listed, classes=[f"language-{lang}"])
        definition += forms
        definition.extend(render_blocks(entry.definition))
        if entry.sources:
            definition += render_sources(entry.sources)
        related = [by_id[r] for r in entry.related if r in by_id]
        if related:
            para = nodes.paragraph(classes=["edition-related"])
            para += nodes.emphasis("See also: ", "See also: ")
            for index, other in enumerate(related):
                if index:
                    para += nodes.Text(", ")
                para += nodes.reference(other.headword, other.headword, refid=other.anchor, internal=True)
            definition += para
        definition += used_in(key=entry.key)
        item += definition
        return item


def fill_used_in(app, doctree: nodes.document, fromdocname: str) -> None:
    """Replace each placeholder by the passages where the entry occurs (in HTML, a
    register page's have been moved to its letter pages already: register_split)."""
    placeholders = list(doctree.findall(used_in))
    if not placeholders:
        return
    uses = uses_by_key(app.env)
    texts = _TextLinks(app, fromdocname)
    for placeholder in placeholders:
        if app.builder.format == "latex" and not placeholder.get("in_print", True):
            placeholder.parent.remove(placeholder)  # an index gives these passages in print
            continue
        label = placeholder.get("label", "Used in: ")
        placeholder.replace_self(_used_in_list(texts, uses.get(placeholder["key"], []), label))


class _TextLinks:
    """Each text's URI and short name as seen from one page, worked out once
    per page rather than once per entry and text. Names are the same from
    every page: pages written together can share them (*titles*)."""

    def __init__(self, app, fromdocname: str, titles: dict[str, tuple[str, str | None]] | None = None) -> None:
        self._app, self._from = app, fromdocname
        self._uris: dict[str, str] = {}
        self._titles: dict[str, tuple[str, str | None]] = {} if titles is None else titles

    def uri(self, docname: str) -> str:
        if docname not in self._uris:
            self._uris[docname] = self._app.builder.get_relative_uri(self._from, docname)
        return self._uris[docname]

    def title(self, docname: str) -> tuple[str, str | None]:
        """The text's name in a list of passages, as the printed indices give
        it (its ``short_title``), and its language if that is the title in the
        text's own language rather than an English name."""
        if docname not in self._titles:
            meta = self._app.env.metadata.get(docname, {})
            title = text_title(self._app.env, docname)
            label = short_label(meta, title)
            own = label in (title, meta.get("title")) and not meta.get("short_title") and not meta.get("title_en")
            self._titles[docname] = (label, str(meta.get("lang", "")) or None if own else None)
        return self._titles[docname]


def _used_in_list(texts: _TextLinks, uses, label: str = "Used in: ") -> nodes.Element:
    """The passages of *uses* as a book's index gives them: each text by its
    short title, its paragraphs by number, three or more consecutive ones as
    a range ("Left Opposition ¶2, 5, 6, 20–22"); each number or range links to
    its (first) paragraph."""
    # "no-search": Sphinx's search leaves these lists out, so that a word of a
    # text's title finds the text itself, not every entry that lists it.
    # Built with adopt(), as docutils' += would, minus its search for a document that a
    # list not yet on a page does not have (a register's lists are hundreds of thousands of nodes).
    para = nodes.paragraph(classes=["edition-used-in", "no-search"])
    adopt(para, text_element(nodes.emphasis, label))
    if not uses:
        adopt(para, nodes.Text("no passage of the texts."))
        return para
    container = adopt(nodes.container(classes=["edition-used-in", "no-search"]), para)
    by_doc: dict[str, list] = defaultdict(list)
    for use in uses:
        by_doc[use.docname].append(use)
    listing = nodes.bullet_list()
    for docname, doc_uses in by_doc.items():
        uri = texts.uri(docname)
        item = nodes.paragraph()
        title, lang = texts.title(docname)
        name = text_element(nodes.inline, title, classes=[f"language-{lang}"] if lang else [])
        adopt(item, adopt(nodes.reference("", refuri=uri, internal=True), name))
        numbered = [use.paragraph for use in doc_uses if use.paragraph]
        if len(numbered) < len(doc_uses):  # before the first paragraph (none today): the text's opening
            adopt(item, nodes.Text(" (opening)"))
        for r_index, (first, last) in enumerate(paragraph_ranges(numbered)):
            shown = range_label(first, last)
            adopt(item, nodes.Text(" ¶" if r_index == 0 else ", "),
                  text_element(nodes.reference, shown, refuri=f"{uri}#{paragraph_id(first)}", internal=True))
        adopt(listing, adopt(nodes.list_item(""), item))
    adopt(container, listing)
    return container


def note_register_doc(env, kind: str) -> None:
    """Remember that this document lists uses (glossary, registers), and which register it holds."""
    REGISTER_KINDS.set(env, env.docname, kind)


def mark_register_item(item: nodes.definition_list_item, anchor: str, name: str, summary: str, forms: dict) -> None:
    """What the HTML letter pages need to know of an entry: its anchor, and the
    name, one-line summary and forms (language -> forms) the register page's
    A–Z list shows, so that the search finds the register by any form."""
    item["edition_anchor"], item["edition_name"], item["edition_summary"] = anchor, name, summary
    item["edition_forms"] = {lang: tuple(found) for lang, found in forms.items() if found}


def listing_of(env, docname: str) -> tuple | None:
    """All that the pages listing uses show of one text: its title and, per
    use, the entry, language, paragraph and section."""
    uses = USES.all(env).get(docname)
    if not uses:
        return None
    return text_title(env, docname), tuple((u.key, u.lang, u.paragraph, u.section_title) for u in uses)


def remember_listings(app, env, docnames: list[str]) -> None:
    """Before reading: what the documents about to be (re-)read showed on the listing pages."""
    build_state(env).listings_before = {docname: listing_of(env, docname) for docname in docnames}


def note_purged(app, env, docname: str) -> None:
    # env-purge-doc runs before the domain's clear_doc drops the document's
    # uses: a removed text that had uses changes the listings. Re-read
    # documents are compared after reading.
    state = build_state(env)
    if docname not in state.listings_before and listing_of(env, docname) is not None:
        state.listings_changed = True


def register_docs_to_rewrite(app, env) -> list[str]:
    """Rewrite the pages listing uses when what they list has changed: a note
    edit or a typo fix elsewhere leaves them (the largest pages) alone."""
    state = build_state(env)
    changed = state.listings_changed or any(
        listing_of(env, docname) != listing for docname, listing in state.listings_before.items()
    )
    return sorted(REGISTER_KINDS.all(env)) if changed else []
