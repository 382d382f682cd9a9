"""The web edition's navigation: one branch on each page, every text on listing pages.

The theme's sidebar inlined the whole table of contents (every text) into
every page, and worked it out anew for each: a page grew with the edition and
the build with pages × texts. Here the sidebar's navigation
(``edition-nav.html``, the template in ``edition/templates``, which the
sidebar names instead of the theme's ``sbt-sidebar-nav.html``: ``SIDEBAR``,
unless conf.py sets ``html_sidebars``) is
drawn, in the theme's markup, from a small structure this module puts in the
page's context:

* the texts' groups (one per language, :mod:`edition.presentation.text_groups`), each a
  link to its listing page; the current text's group open on at most
  ``edition_nav_texts`` texts around it; at most ``edition_nav_groups``
  groups, then a link to the full list;
* the apparatus: the other pages the home page's tables of contents include
  (glossary, registers, changes) and the domain indices.

The listing pages (``texts-<lang>.html``, ``texts-<lang>-2.html``, …, at most
``edition_texts_per_page`` texts each) are written by ``html-collect-pages``
on every build, so they are never stale; the home page lists every text, or,
when there are more than fit on one listing page, each group with its pages.
A page's navigation is a pure function of the texts' front matter and the
page, so it is the same under ``-j 2``; when it changes (a text added to the
group, a new language, a title changed) the pages that show the change are
written again (``env-get-updated``), and no others.

The EPUB's navigation and the PDF's contents are Sphinx's own, from the
toctrees: every text (they are books).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from ...presentation.text_groups import ListedText, TextGroup, group_texts, group_value, shown_groups, window
from ..state.records import build_state, edition_domain, running_builder
from ..settings import refuse_setting
from ..transforms.text_list import listing_item, texts_of
from .. import priorities

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parents[2] / "templates"

#: The builders whose pages carry this navigation (EPUB has its own, a book's).
NAV_BUILDERS = ("html", "dirhtml")

#: The id of the list of texts on the home page (the navigation links to it).
TEXTS_ID = "edition-texts"


#: The sidebar: the theme's (sphinx-book-theme's) items, its navigation replaced by ours.
SIDEBAR = ["navbar-logo.html", "icon-links.html", "search-button-field.html", "edition-nav.html"]


def add_navigation_templates(app, config) -> None:
    if str(TEMPLATES) not in config.templates_path:
        config.templates_path = [*config.templates_path, str(TEMPLATES)]
    # Set here, not in conf.py, so that conf.py builds without the extension too
    # (the benchmark's plain Sphinx), with the theme's own navigation.
    if not config.html_sidebars:
        config.html_sidebars = {"**": list(SIDEBAR)}


def check_navigation_budgets(app, config) -> None:
    for name in ("edition_nav_texts", "edition_nav_groups", "edition_texts_per_page"):
        value = config[name]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            default = app.config.values[name].default
            refuse_setting(app, f"{name} must be a whole number of at least 1, not {value!r}; "
                                f"set it in conf.py (the default is {default})", name, default)
    by = config.edition_text_groups
    if not isinstance(by, str) or not by.strip():
        refuse_setting(app, f"edition_text_groups must name what the texts are grouped by (\"lang\", \"year\" "
                            f"or a front-matter key), not {by!r}; set it in conf.py", "edition_text_groups",
                       app.config.values["edition_text_groups"].default)


def _navigating(app) -> bool:
    return app.builder.name in NAV_BUILDERS


# --- the model: worked out once per build -------------------------------------------------


@dataclass
class NavModel:
    groups: list[TextGroup]
    position: dict[str, tuple[int, int]]  # text docname -> (group, index in group)
    listing: dict[str, int]  # listing pagename -> group
    meta: dict[str, dict]  # text docname -> front matter
    apparatus: list[tuple[str, str]]  # (docname, title): the home page's other entries
    indices: list[tuple[str, str]] | None = None  # (pagename, title); the builder knows them when writing


def build_model(env) -> NavModel:
    texts = [(docname, meta) for _, docname, meta in texts_of(env.srcdir) if docname in env.found_docs]
    by = env.config.edition_text_groups
    listed = [ListedText(docname, str(meta.get("title") or docname), str(meta.get("lang") or ""),
                         group_value(meta, by)) for docname, meta in texts]
    groups = group_texts(listed, env.config.edition_texts_per_page, by)
    position = {text.docname: (g, i) for g, group in enumerate(groups) for i, text in enumerate(group.texts)}
    listing = {name: g for g, group in enumerate(groups) for name in group.pagenames}
    root = env.config.root_doc
    apparatus = [(doc, env.titles[doc].astext() if doc in env.titles else doc)
                 for doc in dict.fromkeys(env.toctree_includes.get(root, ()))
                 if doc not in position and doc in env.found_docs]
    return NavModel(groups, position, listing, dict(texts), apparatus)


def model(app) -> NavModel:
    """The navigation's model for this build (in each writing process: it is
    the same, from the same sources)."""
    state = build_state(app.env)
    if state.nav_model is None:
        state.nav_model = build_model(app.env)
    found = state.nav_model
    if found.indices is None:
        found.indices = [(name, cls.localname) for name, cls, _, _ in getattr(app.builder, "domain_indices", ())]
    return found


def forget_navigation_model(app, env) -> None:
    build_state(env).nav_model = None


# --- one page's navigation -----------------------------------------------------------------


def page_navigation(nav: NavModel, pagename: str, root_doc: str, pathto, texts_shown: int,
                    groups_shown: int) -> dict:
    """What the sidebar shows on *pagename*: plain data for the template,
    every address made by *pathto* (the page's own)."""
    here = nav.position.get(pagename)
    current_group = here[0] if here else nav.listing.get(pagename)
    current_key = nav.groups[current_group].key if current_group is not None else None
    groups, more = shown_groups(nav.groups, current_key, groups_shown)
    shown = []
    for group in groups:
        is_current = group.key == current_key
        entry = {"key": group.key, "label": group.label, "heading": group.heading,
                 "href": pathto(group.pagenames[0]), "current": is_current, "texts": [], "all": None}
        if is_current and here is not None:
            index = here[1]
            for i in window(len(group.texts), index, texts_shown):
                text = group.texts[i]
                entry["texts"].append({"title": text.title, "lang": text.lang, "href": pathto(text.docname),
                                       "current": i == index})
            if len(entry["texts"]) < len(group.texts):
                page = group.page_of(index)
                # No count in it: a text added to the group would make every page of the group stale.
                entry["all"] = {"href": pathto(page), "label": all_label(group)}
        shown.append(entry)
    home = pathto(root_doc)
    return {
        "groups": shown,
        "all_texts": {"href": f"{'' if home == '#' else home}#{TEXTS_ID}", "label": "All texts"} if more else None,
        "apparatus": [{"title": title, "href": pathto(doc), "current": doc == pagename}
                      for doc, title in (*nav.apparatus, *(nav.indices or ()))],
    }


def all_label(group: TextGroup) -> str:
    """"All texts in Korean", "All texts of 1930", "All undated texts", "All texts: <series>"."""
    if group.heading == group.label:
        return f"All texts: {group.label}"
    return f"All {group.heading[:1].lower()}{group.heading[1:]}"


def add_navigation(app, pagename, templatename, context, doctree) -> None:
    if not _navigating(app):
        return
    config = app.config
    context["edition_nav"] = page_navigation(model(app), pagename, config.root_doc, context["pathto"],
                                             config.edition_nav_texts, config.edition_nav_groups)
    # The theme's own check walks the whole table of contents on every page to
    # decide whether to show its navigation, which this one replaces.
    context["suppress_sidebar_toctree"] = lambda **kwargs: True


def pages_with_changed_navigation(app, env) -> list[str]:
    """The documents whose navigation is not what their page shows: after a
    text was added, removed, retitled or moved to another language, the pages
    whose branch names it (and every page when the groups themselves change)."""
    if not _navigating(app):
        return []
    # Worked out here, in the main process, once: the processes writing pages inherit it.
    nav = build_state(env).nav_model = build_model(env)
    config = env.config
    # Sphinx's own links to the previous and next page (the theme's footer) go
    # stale the same way: a new text is the next page of the one before it.
    relations = env.collect_relations()

    def title(doc):
        return env.titles[doc].astext() if doc in env.titles else doc

    signatures = {
        doc: repr((page_navigation(nav, doc, config.root_doc, lambda name: name, config.edition_nav_texts,
                                   config.edition_nav_groups),
                   [(other, title(other)) for other in relations.get(doc, ())[1:] if other]))
        for doc in sorted(env.found_docs)
    }
    data = edition_domain(env).data
    before, data["nav_signatures"] = data["nav_signatures"], signatures
    return [doc for doc, signature in signatures.items() if before.get(doc) != signature]


# --- the listing pages ------------------------------------------------------------------


def _relative(builder, fromname: str, toname: str) -> str:
    return builder.get_relative_uri(fromname, toname)


def listing_page(builder, nav: NavModel, group: TextGroup, number: int, pagename: str,
                 texts: tuple[ListedText, ...]) -> tuple[str, nodes.section]:
    pages = len(group.pagenames)
    title = group.heading + (f" (page {number} of {pages})" if pages > 1 else "")
    section = nodes.section(ids=[nodes.make_id(pagename)])
    section += nodes.title(title, title)
    total = len(group.texts)
    first = (number - 1) * group.per_page + 1
    intro = f"{total} text{'s' if total != 1 else ''}"
    intro += f"; {first}–{first + len(texts) - 1} on this page." if pages > 1 else "."
    section += nodes.paragraph(intro, intro)
    if pages > 1:
        section += pager(builder, group, number, pagename)
    listing = nodes.definition_list(classes=["edition-texts"])
    for text in texts:
        link = nodes.reference("", "", refuri=_relative(builder, pagename, text.docname), internal=True)
        listing += listing_item(text.docname, nav.meta.get(text.docname, {}), link)
    section += listing
    if pages > 1:
        section += pager(builder, group, number, pagename)
    return title, section


def pager(builder, group: TextGroup, number: int, pagename: str) -> nodes.Element:
    """Links to the group's other listing pages: "Pages: 1 2 3"."""
    line = nodes.paragraph(classes=["edition-pager"])
    line += nodes.Text("Pages: ")
    for n, name in enumerate(group.pagenames, start=1):
        if n > 1:
            line += nodes.Text(" ")
        label = str(n)
        if n == number:
            line += nodes.strong(label, label)
        else:
            line += nodes.reference(label, label, refuri=_relative(builder, pagename, name), internal=True)
    return line


def collect_listing_pages(app):
    """html-collect-pages: every group's listing pages, on every build (they
    are few, and so never out of date)."""
    if not _navigating(app):
        return
    nav = model(app)
    # Sphinx sets these per document it writes; a build that writes none has none yet.
    for numbers in ("fignumbers", "secnumbers"):
        if not hasattr(app.builder, numbers):
            setattr(app.builder, numbers, {})
    taken = sorted(set(nav.listing) & set(app.env.found_docs))
    for name in taken:
        logger.warning(f"the document {name!r} has the name of a listing page of texts, which is not written; "
                       "rename the document", type="edition", subtype="listing")
    for group in nav.groups:
        for number, (pagename, texts) in enumerate(group.pages(), start=1):
            if pagename in taken:
                continue
            title, section = listing_page(app.builder, nav, group, number, pagename, texts)
            body = app.builder.render_partial(section)["fragment"]
            yield pagename, {"title": title, "body": body}, "page.html"


class SummariseLongTextList(SphinxPostTransform):
    """On the web, a home page with more texts than a listing page holds lists
    the groups and their listing pages instead of every text."""

    builders = NAV_BUILDERS
    default_priority = priorities.TEXT_GROUPS

    def run(self, **kwargs) -> None:
        lists = [node for node in self.document.findall(nodes.definition_list)
                 if TEXTS_ID in node["ids"]]
        if not lists:
            return
        nav = build_model(self.env)
        if sum(len(group.texts) for group in nav.groups) <= self.config.edition_texts_per_page:
            return
        builder = running_builder(self.env)
        here = self.env.docname
        for old in lists:
            summary = nodes.bullet_list(ids=old["ids"], classes=["edition-text-groups"])
            for group in nav.groups:
                count = len(group.texts)
                line = nodes.paragraph()
                label = group.heading
                line += nodes.reference(label, label, refuri=_relative(builder, here, group.pagenames[0]),
                                        internal=True)
                line += nodes.Text(f": {count} text{'s' if count != 1 else ''}")
                if len(group.pagenames) > 1:
                    line += nodes.Text(", on pages")
                    for n, name in enumerate(group.pagenames, start=1):
                        line += nodes.Text(" ")
                        line += nodes.reference(str(n), str(n), refuri=_relative(builder, here, name),
                                                internal=True)
                summary += nodes.list_item("", line)
            old.replace_self(summary)

