"""The HTML register pages split per letter, with long lists of passages apart.

In the ``html`` and ``dirhtml`` builders the glossary and the registers of
persons and works (the documents holding ``{edition-glossary}``,
``{edition-persons}``, ``{edition-works}``) keep their introduction and show,
instead of the entries, a letter bar and an A–Z list of every entry (name and
one line), each line still carrying the entry's anchor, so that old addresses
(``glossary.html#gloss-nep``) and Sphinx's search results land on it. The
entries themselves go on letter pages (``glossary-n.html``; a letter with more
than ``edition_register_entries_per_page`` entries on several). An entry's
list of passages stays on its letter page up to
``edition_register_inline_passages`` passages; a longer list is summed up
there and given in full on passages pages of its own
(``glossary-gloss-nep.html``, ``…-2.html``, at most
``edition_register_passages_per_page`` passages each).

Where an entry lands is a pure function of the registers and those budgets
(:mod:`edition.presentation.register_paging`), so :class:`RetargetRegisterLinks` can point
every link to an entry (from the texts, notes, see-also, the domain indices)
straight at its letter page before any page is written. The entries are moved
out of the register page's doctree when it is resolved (``doctree-resolved``,
which runs in the main process under ``-j`` too) and written by
``html-collect-pages``, through the builder's own translator. The pages are
written only when the register page is, which is only when what it lists
changes (:func:`~.glossary_page.register_docs_to_rewrite`).

Sphinx's std-domain terms and the ``edition`` domain's objects stay where
they are: LaTeX and EPUB use them as before, unsplit.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from ...base.languages import ordered_languages
from ...presentation.register_paging import LetterPage, chunked, letter_pages, page_of_entries, passages_pagenames
from ..state.records import REGISTER_KINDS, build_state, running_builder
from .glossary_page import _TextLinks, _used_in_list, used_in
from ..state.records import text_title, uses_by_key
from ..state.registry import load_registry
from .register_order import register_order
from ..settings import refuse_setting
from .. import priorities

#: The builders that split the register pages; EPUB keeps them whole.
SPLIT_BUILDERS = ("html", "dirhtml")


def split_registers(app, doctree: nodes.document, fromdocname: str) -> None:
    """doctree-resolved: in HTML, a register page's entries go to letter pages and
    their long lists of passages to passages pages."""
    if splitting(app) and fromdocname in REGISTER_KINDS.all(app.env):
        split_register_page(app, doctree, fromdocname)


def check_register_budgets(app, config) -> None:
    for name in ("edition_register_entries_per_page", "edition_register_inline_passages",
                 "edition_register_passages_per_page", "edition_register_index_entries"):
        value = config[name]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            default = app.config.values[name].default
            refuse_setting(app, f"{name} must be a whole number of at least 1, not {value!r}; "
                                f"set it in conf.py (the default is {default})", name, default)


def splits(builder, config) -> bool:
    """Whether this build splits the register pages (HTML, unless turned off)."""
    return builder.name in SPLIT_BUILDERS and config.edition_register_split


def splitting(app) -> bool:
    return splits(app.builder, app.config)


@dataclass(frozen=True)
class RegisterLayout:
    docname: str  # the register page, e.g. "glossary"
    pages: tuple[LetterPage, ...]
    page_of: dict[str, str] = field(hash=False)  # anchor -> letter page


def layouts(env) -> dict[str, RegisterLayout]:
    """Each register page's letter pages, from the registers and the budget
    alone; worked out once per version of the registers (every page's links need them)."""
    registry = load_registry(env.config)  # cached per version of the files
    kinds = tuple(sorted(REGISTER_KINDS.all(env).items()))
    per_page = env.config.edition_register_entries_per_page
    state = build_state(env)
    if state.layouts is not None and state.layouts[0] is registry and state.layouts[1:3] == (kinds, per_page):
        return state.layouts[3]
    found = {}
    for docname, kind in kinds:
        entries = [(entry.anchor, name) for entry, name in register_order(kind, env.config)]
        pages = tuple(letter_pages(docname, entries, per_page))
        found[docname] = RegisterLayout(docname, pages, page_of_entries(pages))
    state.layouts = (registry, kinds, per_page, found)
    return found


class RetargetRegisterLinks(SphinxPostTransform):
    """Links to an entry go to its letter page (after Sphinx resolved them to
    the register page: the std and edition domains stay as they are)."""

    builders = SPLIT_BUILDERS
    default_priority = priorities.AFTER_REFERENCES

    def run(self, **kwargs) -> None:
        if not self.config.edition_register_split:
            return
        found = layouts(self.env)
        if not found:
            return
        here = self.env.docname
        relative = _RelativeURIs(running_builder(self.env), here)
        by_uri = {relative(docname): layout for docname, layout in found.items()}
        own = found.get(here)
        for ref in self.document.findall(nodes.reference):
            if "refuri" in ref:
                base, hash_, anchor = ref["refuri"].partition("#")
                layout = by_uri.get(base) if hash_ else None
                if layout is not None and anchor in layout.page_of:
                    ref["refuri"] = f"{relative(layout.page_of[anchor])}#{anchor}"
            elif own is not None and ref.get("refid") in own.page_of:
                anchor = ref["refid"]
                del ref["refid"]
                ref["refuri"] = f"{relative(own.page_of[anchor])}#{anchor}"


class _RelativeURIs:
    """Addresses of pages as seen from one page, each worked out once."""

    def __init__(self, builder, fromdocname: str) -> None:
        self._builder, self._from, self._known = builder, fromdocname, {}

    def __call__(self, pagename: str) -> str:
        if pagename not in self._known:
            self._known[pagename] = self._builder.get_relative_uri(self._from, pagename)
        return self._known[pagename]


# --- the register page, its letter pages and passages pages ---------------------------


@dataclass
class GeneratedPage:
    pagename: str
    title: str
    # Docutils nodes, references already resolved; or what makes them when the page
    # is written: a passages page's nodes are made only then, so that a build does
    # not hold every list of passages of the edition from the register pages to the end.
    content: list | Callable[[], list]

    def nodes(self) -> list:
        return self.content() if callable(self.content) else self.content


def _pages_of(app) -> dict[str, list[GeneratedPage]]:
    """register docname -> its generated pages, for html-collect-pages (kept in the
    build's state: doctree-resolved runs in the main process, under -j too)."""
    return build_state(app.env).register_pages


def split_register_page(app, doctree: nodes.document, docname: str) -> None:
    """Move the entries of a register page to its letter pages, their long
    lists of passages to passages pages, and leave an A–Z list in their place."""
    layout = layouts(app.env)[docname]
    config = app.config
    uses = uses_by_key(app.env)
    register_title = text_title(app.env, docname)
    items: dict[str, nodes.definition_list_item] = {}
    list_classes: list[str] = []
    lists = [n for n in doctree.findall(nodes.definition_list) if n.get("edition_register")]
    generated: list[GeneratedPage] = []
    text_links: dict[str, _TextLinks] = {}  # per page: each text's address worked out once
    titles: dict[str, tuple] = {}  # and each text's name once for all pages
    for listing in lists:
        list_classes = list(listing["classes"])
        for item in listing.children:
            anchor = item["edition_anchor"]
            items[anchor] = item
            page = layout.page_of[anchor]
            for placeholder in list(item.findall(used_in)):
                found = _passages(uses.get(placeholder["key"], []))
                label = placeholder.get("label", "Used in: ")
                if len(found) <= config.edition_register_inline_passages:
                    links = text_links.setdefault(page, _TextLinks(app, page, titles))
                    placeholder.replace_self(_used_in_list(links, found, label))
                    continue
                names = passages_pagenames(docname, anchor, len(found), config.edition_register_passages_per_page)
                placeholder.replace_self(_summary(app, page, names, found, label))
                generated += _passages_pages(app, names, found, label, item, page, anchor, titles)
    for listing in lists[1:]:  # one register per page; a second copy of it has nothing to add
        listing.parent.remove(listing)
    if lists:  # (replace_self would give the A–Z list the entries' classes)
        lists[0].parent.replace(lists[0], _a_to_z(app, docname, layout, items))
    for index, letter_page in enumerate(layout.pages):
        content: list[nodes.Node] = [_letter_bar(app, letter_page.pagename, layout, letter_page.letter)]
        content.append(_neighbours(app, letter_page.pagename, docname, register_title,
                                   layout.pages[index - 1].pagename if letter_page.part > 1 else None,
                                   layout.pages[index + 1].pagename if letter_page.part < letter_page.parts else None))
        entries = nodes.definition_list(classes=list_classes)
        entries.extend(items.pop(anchor) for anchor in letter_page.anchors if anchor in items)
        content.append(entries)
        part = f" ({letter_page.part} of {letter_page.parts})" if letter_page.parts > 1 else ""
        generated.insert(index, GeneratedPage(letter_page.pagename, f"{register_title}: {letter_page.letter}{part}",
                                              content))
    _pages_of(app)[docname] = generated


def _passages(uses) -> list:
    """The passages a list shows: one per text and paragraph, in order."""
    found: dict[tuple, object] = {}
    for use in uses:
        found.setdefault((use.docname, use.paragraph), use)
    return list(found.values())


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def _summary(app, page: str, names: list[str], found: list, label: str) -> nodes.Element:
    para = nodes.paragraph(classes=["edition-used-in", "edition-used-in-summary", "no-search"])
    para += nodes.emphasis(label, label)
    texts = len({use.docname for use in found})
    para += nodes.Text(f"{_plural(len(found), 'passage')} of {_plural(texts, 'text')}; ")
    relative = _RelativeURIs(app.builder, page)
    link = "the list of passages" if len(names) == 1 else f"the list of passages ({len(names)} pages)"
    para += nodes.reference(link, link, refuri=relative(names[0]), internal=True)
    para += nodes.Text(".")
    return para


def _passages_pages(app, names, found, label, item, letter_page, anchor, titles) -> list[GeneratedPage]:
    title = item["edition_name"]
    chunks = chunked(found, app.config.edition_register_passages_per_page)
    pages = []
    for number, (name, chunk) in enumerate(zip(names, chunks, strict=True), start=1):
        suffix = f" ({number} of {len(names)})" if len(names) > 1 else ""
        content = partial(_passages_page, app, names, number, chunk, label, title, letter_page, anchor, titles)
        pages.append(GeneratedPage(name, f"{title}: {label.strip().rstrip(':')}{suffix}", content))
    return pages


def _passages_page(app, names, number, chunk, label, title, letter_page, anchor, titles) -> list[nodes.Node]:
    """The nodes of one passages page: where it is, and its passages."""
    name = names[number - 1]
    relative = _RelativeURIs(app.builder, name)
    nav = nodes.paragraph(classes=["edition-register-nav"])
    back = f"{title}, in the register"
    nav += nodes.reference(back, back, refuri=f"{relative(letter_page)}#{anchor}", internal=True)
    if len(names) > 1:
        nav += nodes.Text(f" · page {number} of {len(names)}")
        if number > 1:
            nav += nodes.Text(" · ")
            nav += nodes.reference("previous", "previous", refuri=relative(names[number - 2]), internal=True)
        if number < len(names):
            nav += nodes.Text(" · ")
            nav += nodes.reference("next", "next", refuri=relative(names[number]), internal=True)
    return [nav, _used_in_list(_TextLinks(app, name, titles), chunk, label)]


def _letter_bar(app, here: str, layout: RegisterLayout, current: str | None) -> nodes.Element:
    relative = _RelativeURIs(app.builder, here)
    bar = nodes.paragraph(classes=["edition-letter-bar"])
    bar += nodes.emphasis("Letters: ", "Letters: ")
    first = True
    for page in layout.pages:
        if page.part != 1:
            continue
        if not first:
            bar += nodes.Text(" ")
        first = False
        if page.letter == current:
            bar += nodes.strong(page.letter, page.letter, classes=["edition-letter-current"])
        else:
            bar += nodes.reference(page.letter, page.letter, refuri=relative(page.pagename), internal=True)
    return bar


def _neighbours(app, here, register_doc, register_title, previous, following) -> nodes.Element:
    relative = _RelativeURIs(app.builder, here)
    nav = nodes.paragraph(classes=["edition-register-nav"])
    back = f"{register_title}: all entries, A–Z" if register_title else "All entries, A–Z"
    nav += nodes.reference(back, back, refuri=relative(register_doc), internal=True)
    for word, page in (("previous page", previous), ("next page", following)):
        if page:
            nav += nodes.Text(" · ")
            nav += nodes.reference(word, word, refuri=relative(page), internal=True)
    return nav


def _a_to_z(app, docname: str, layout: RegisterLayout, items) -> list[nodes.Node]:
    """The register page's list of every entry, by letter, each line with the
    entry's own anchor (old links land on it) and a link to the entry; for a
    register of more than ``edition_register_index_entries`` entries, one line
    per letter page instead, so that the page does not grow with the register."""
    relative = _RelativeURIs(app.builder, docname)
    found: list[nodes.Node] = [_letter_bar(app, docname, layout, None)]
    if len(items) > app.config.edition_register_index_entries:
        found.append(_letter_pages_list(relative, layout, items))
        return found
    letters = nodes.container(classes=["edition-a-to-z"])
    for page in layout.pages:
        if page.part == 1:
            heading = nodes.paragraph(classes=["edition-letter"])
            heading += nodes.reference(page.letter, page.letter, refuri=relative(page.pagename), internal=True)
            letters += heading
            current = nodes.bullet_list(classes=["edition-a-to-z-list"])
            letters += current
        for anchor in page.anchors:
            item = items.get(anchor)
            if item is None:
                continue
            line = nodes.paragraph()
            name = item["edition_name"]
            line += nodes.reference(name, name, refuri=f"{relative(page.pagename)}#{anchor}", internal=True)
            if item["edition_summary"]:
                line += nodes.Text(f": {item['edition_summary']}")
            forms = item.get("edition_forms") or {}
            if forms:
                shown = nodes.inline(classes=["edition-a-to-z-forms"])
                for index, lang in enumerate(ordered_languages(forms)):
                    listed = ", ".join(forms[lang])
                    shown += nodes.Text(" · " if index else " (")
                    shown += nodes.inline(listed, listed, classes=[f"language-{lang}"])
                shown += nodes.Text(")")
                line += shown
            current += nodes.list_item("", line, ids=[anchor])
    found.append(letters)
    return found


def _letter_pages_list(relative, layout: RegisterLayout, items) -> nodes.Element:
    """Each letter page with the first and last entries on it and how many:
    "A (1 of 2): Abramovich – Azef, 40 entries"."""
    listing = nodes.bullet_list(classes=["edition-a-to-z-pages"])
    for page in layout.pages:
        anchors = [anchor for anchor in page.anchors if anchor in items]
        if not anchors:
            continue
        line = nodes.paragraph()
        label = page.letter + (f" ({page.part} of {page.parts})" if page.parts > 1 else "")
        line += nodes.reference(label, label, refuri=relative(page.pagename), internal=True)
        first, last = items[anchors[0]]["edition_name"], items[anchors[-1]]["edition_name"]
        span = first if len(anchors) == 1 else f"{first} – {last}"
        line += nodes.Text(f": {span}, {len(anchors):,} entr{'y' if len(anchors) == 1 else 'ies'}")
        listing += nodes.list_item("", line)
    return listing


def share_sidebar(app, pagename, templatename, context, doctree) -> None:
    """The generated pages share one sidebar: none of them is in a table of
    contents, and all sit beside their register page, so the theme's table
    of contents (the whole edition, the costliest part of a page) is the same
    for all of them; working it out once per build, not once per page, keeps
    the pages' cost from growing with the number of texts times pages."""
    state = build_state(app.env)
    if pagename not in state.generated or "toctree" not in context:
        return
    toctree, folder = context["toctree"], posixpath.dirname(pagename)
    shared = state.generated_toctrees

    def toctree_once(**kwargs):
        key = (folder, repr(sorted(kwargs.items())))
        if key not in shared:
            shared[key] = toctree(**kwargs)
        return shared[key]

    context["toctree"] = toctree_once


def share_theme_sidebar(app, pagename, templatename, context, doctree) -> None:
    """The same for the theme's rendering of that table of contents (pydata's
    ``generate_toctree_html``: it parses and rewrites the whole edition's
    table of contents for each page). Only its "sidebar" form is shared: a
    string, the same for every generated page of one folder."""
    state = build_state(app.env)
    if pagename not in state.generated or "generate_toctree_html" not in context:
        return
    generate, folder = context["generate_toctree_html"], posixpath.dirname(pagename)
    shared = state.generated_sidebars

    def generate_once(*args, **kwargs):
        kind = kwargs.get("kind", args[0] if args else None)
        if kind != "sidebar":
            return generate(*args, **kwargs)
        key = (folder, repr(args), repr(sorted(kwargs.items())))
        if key not in shared:
            shared[key] = generate(*args, **kwargs)
        return shared[key]

    context["generate_toctree_html"] = generate_once


def collect_register_pages(app):
    """html-collect-pages: the letter and passages pages of the register pages
    written in this build, rendered by the builder's own translator."""
    state = build_state(app.env)
    pages = state.register_pages
    state.generated = frozenset(page.pagename for found in pages.values() for page in found)
    state.generated_toctrees, state.generated_sidebars = {}, {}
    for docname in sorted(pages):
        for page in pages[docname]:
            section = nodes.section(ids=[nodes.make_id(page.pagename)])
            section += nodes.title(page.title, page.title)
            section.extend(page.nodes())
            body = app.builder.render_partial(section)["fragment"]
            yield page.pagename, {"title": page.title, "body": body}, "page.html"
    pages.clear()
