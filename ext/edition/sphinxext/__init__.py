"""The edition's Sphinx extension: ``extensions = ["myst_parser", "edition.sphinxext"]``.

:func:`setup` is one table: every config value, event handler (with its named
priority, :mod:`.priorities`), node, directive, transform, builder and asset
the extension adds, in the order Sphinx runs handlers of equal priority.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config

from .. import __version__
from ..reading.directives import DIRECTIVES
from ..reading.nodes import paragraph_number, text_header
from ..presentation.text_groups import BY_LANGUAGE
from ..reading.texts import MYST_SETTINGS
from . import priorities as P
from . import writers
from .html.changes_page import ChangesDirective, ResolveNoteLinks, note_link, reread_if_changed
from .transforms.citing import (
    HowToCiteDirective,
    outdated_by_citation_data,
    page_context as citation_page_context,
    say_base_url,
    setup_base_url,
    write_w3c_copy,
)
from .state.doctree_memory import bound_doctree_caches
from .state.domain import EditionDomain
from .registers.indices import PersonsIndex, WorksIndex
from .state.records import MISSING_FILES
from .html.translators import EDITION_TRANSLATOR_BUILDERS, EditionHTMLTranslator, EpubTranslator, make_epub_reproducible
from .epub.accessibility import AccessibleEpub3Builder, replace_sphinx_check, set_agents, set_identifier
from .registers.glossary_page import (
    GlossaryDirective,
    fill_used_in,
    note_purged,
    register_docs_to_rewrite,
    remember_listings,
    used_in,
)
from .print.latex import LatexLanguages, keep_closing_lines
from .transforms.linking import POLICIES, AutoLinkTransform, term_definitions, visit_definitions_html
from .html.navigation import (
    SummariseLongTextList,
    add_navigation,
    add_navigation_templates,
    check_navigation_budgets,
    collect_listing_pages,
    forget_navigation_model,
    pages_with_changed_navigation,
)
from .transforms.notes import DropEmptyNotesSection, NotesTransform, check_annotations, report_note_problems
from .print.print_book import BookLaTeXBuilder
from .registers.print_indices import write_print_indices
from .registers.register_pages import PersonsDirective, WorksDirective
from .registers.register_split import (
    RetargetRegisterLinks,
    check_register_budgets,
    collect_register_pages,
    share_sidebar,
    share_theme_sidebar,
    split_registers,
)
from .transforms.roles import use_cross_references
from ..presentation.search import RULES_DIGEST, SEARCH_JS
from ..presentation.search_shards import CONFIG_SHARD_BYTES, DEFAULT_SHARD_BYTES
from .html.search import (
    SearchEdition,
    _reread_all as reindex_if_index_lost,
    _restore as restore_search_index,
)
from .html.selecting import page_context as selection_page_context
from .settings import refuse_setting
from .transforms.text_documents import TextDocumentTransform
from .transforms.text_list import TextsDirective, fill_from_texts, listings_to_reread

STATIC = Path(__file__).parent.parent / "static"

#: MyST syntax that would let a document inject raw HTML into a page: what the
#: edition's own settings disable (conf.py and the plain-docutils parse read them too).
UNSAFE_MYST_SYNTAX = tuple(MYST_SETTINGS["myst_disable_syntax"])


def _check_config(app: Sphinx, config: Config) -> None:
    """Refuse settings that would alter the texts or let content inject markup
    (the build goes on with the safe value, and fails: settings.py)."""
    if config.smartquotes:
        refuse_setting(
            app,
            "set smartquotes = False in conf.py; SmartQuotes rewrites the quotation marks of the "
            "texts, which must stay exactly as in the sources",
            "smartquotes", False,
        )
    disabled = list(getattr(config, "myst_disable_syntax", ()) or ())
    missing = [s for s in UNSAFE_MYST_SYNTAX if s not in disabled]
    if missing:
        refuse_setting(
            app,
            f"add {missing} to myst_disable_syntax in conf.py; raw HTML in documents would reach "
            "the pages unescaped",
            "myst_disable_syntax", disabled + missing,
        )
    if config.edition_link_policy not in POLICIES:
        refuse_setting(
            app,
            f"edition_link_policy must be one of {POLICIES}, not {config.edition_link_policy!r}",
            "edition_link_policy", POLICIES[0],
        )
    extensions = list(getattr(config, "myst_enable_extensions", ()) or ())
    if "substitution" in extensions:
        refuse_setting(
            app,
            "remove 'substitution' from myst_enable_extensions in conf.py; it evaluates Jinja "
            "templates at build time",
            "myst_enable_extensions", [e for e in extensions if e != "substitution"],
        )


def _default_paths(app: Sphinx, config: Config) -> None:
    if not config.edition_annotations_dir:
        # The repository layout: conf/ beside annotations/.
        config.edition_annotations_dir = str(Path(app.confdir).parent / "annotations")


def _add_static_path(app: Sphinx) -> None:
    if app.builder.format == "html":
        app.config.html_static_path.append(str(STATIC))
    if app.builder.name.startswith("epub"):
        app.add_css_file("edition-epub.css")  # after edition.css


# --- the table ----------------------------------------------------------------------------------
# Rebuild: "env" re-reads every document when the value changes, "html" rewrites every page,
# "" neither. Budgets and their reasons: conf/conf.py.

CONFIG_VALUES: tuple[tuple[str, Any, str, list[type]], ...] = (  # name, default, rebuild, types
    ("edition_annotations_dir", "", "env", [str]),
    ("edition_default_contributor", "The editors", "env", [str]),
    ("edition_link_policy", "first-in-section", "env", [str]),
    # The HTML register pages split per letter (register_split).
    ("edition_register_split", True, "html", [bool]),
    ("edition_register_entries_per_page", 25, "html", [int]),
    ("edition_register_inline_passages", 10, "html", [int]),
    ("edition_register_passages_per_page", 400, "html", [int]),
    ("edition_register_index_entries", 250, "html", [int]),
    # Each page's branch of the navigation; the listing pages of texts (navigation).
    ("edition_nav_texts", 9, "html", [int]),
    ("edition_nav_groups", 12, "html", [int]),
    ("edition_texts_per_page", 100, "html", [int]),
    ("edition_text_groups", BY_LANGUAGE, "html", [str]),
    # The search: its rules (a change re-indexes) and its shards (made anew on every build).
    ("edition_search_rules", RULES_DIGEST, "html", [str]),
    (CONFIG_SHARD_BYTES, DEFAULT_SHARD_BYTES, "", [int]),
    ("edition_citation_file", "", "env", [str]),
    # The selection menu's "Suggest a correction" (selecting).
    ("edition_repository", "", "html", [str]),
    ("edition_repository_branch", "main", "html", [str]),
)

#: event, handler, priority. Handlers of one event and priority run in this order.
EVENTS: tuple[tuple[str, Any, int], ...] = (
    ("config-inited", _check_config, P.DEFAULT),
    ("config-inited", _default_paths, P.DEFAULT),
    ("config-inited", fill_from_texts, P.DEFAULT),
    ("config-inited", check_register_budgets, P.DEFAULT),
    ("config-inited", add_navigation_templates, P.DEFAULT),
    ("config-inited", check_navigation_budgets, P.DEFAULT),
    ("config-inited", setup_base_url, P.DEFAULT),
    ("config-inited", set_identifier, P.AFTER_BASE_URL),
    ("config-inited", set_agents, P.AFTER_BASE_URL),
    ("builder-inited", _add_static_path, P.DEFAULT),
    ("builder-inited", check_annotations, P.DEFAULT),  # parses the annotations once, before reading
    # (validate_package_config: replace_sphinx_check, below)
    ("builder-inited", restore_search_index, P.DEFAULT),
    ("builder-inited", say_base_url, P.DEFAULT),
    ("env-get-outdated", MISSING_FILES.appeared, P.DEFAULT),
    ("env-get-outdated", listings_to_reread, P.DEFAULT),
    ("env-get-outdated", reindex_if_index_lost, P.DEFAULT),
    ("env-get-outdated", reread_if_changed, P.DEFAULT),
    ("env-get-outdated", outdated_by_citation_data, P.DEFAULT),
    ("env-before-read-docs", remember_listings, P.DEFAULT),
    ("env-before-read-docs", bound_doctree_caches, P.DEFAULT),
    # Runs before the domain's clear_doc drops the document's records (Sphinx's order).
    ("env-purge-doc", note_purged, P.DEFAULT),
    ("env-updated", report_note_problems, P.DEFAULT),
    ("env-updated", forget_navigation_model, P.DEFAULT),
    ("env-get-updated", register_docs_to_rewrite, P.DEFAULT),
    ("env-get-updated", pages_with_changed_navigation, P.DEFAULT),
    ("doctree-resolved", split_registers, P.BEFORE_USED_IN),
    ("doctree-resolved", fill_used_in, P.DEFAULT),
    ("doctree-resolved", keep_closing_lines, P.AFTER_USED_IN),
    ("html-collect-pages", collect_register_pages, P.DEFAULT),
    ("html-collect-pages", collect_listing_pages, P.DEFAULT),
    ("html-page-context", share_sidebar, P.BEFORE_THEME),
    ("html-page-context", citation_page_context, P.DEFAULT),
    ("html-page-context", selection_page_context, P.DEFAULT),
    ("html-page-context", share_theme_sidebar, P.AFTER_THEME),
    ("html-page-context", add_navigation, P.AFTER_THEME),
    ("build-finished", make_epub_reproducible, P.DEFAULT),
    ("build-finished", write_print_indices, P.DEFAULT),  # persons and works in print
    ("build-finished", write_w3c_copy, P.DEFAULT),
)

#: node, how each format renders it; override: it replaces docutils' own.
NODES: tuple[tuple[type[nodes.Element], dict, bool], ...] = (
    (paragraph_number, writers.PARAGRAPH_NUMBER, False),
    (text_header, writers.UNRENDERED, False),
    (nodes.attribution, writers.ATTRIBUTION, True),
    (used_in, writers.UNRENDERED, False),
    (term_definitions, {"html": (visit_definitions_html, None),
                        **{name: writers.UNRENDERED[name] for name in ("latex", "text", "man", "texinfo")}}, False),
    (note_link, {}, False),
)

#: The MyST directives of the edition's own pages (edition.reading.directives: those of the texts).
DIRECTIVES_OF_PAGES = {
    "edition-glossary": GlossaryDirective,
    "edition-texts": TextsDirective,
    "edition-persons": PersonsDirective,
    "edition-works": WorksDirective,
    "edition-changes": ChangesDirective,
    "edition-how-to-cite": HowToCiteDirective,
}

#: The edition domain's indices (the registers'), in this order on the pages.
DOMAIN_INDICES = (WorksIndex, PersonsIndex)

#: Read time, in priority order (priorities: text header, then notes, then links).
TRANSFORMS = (TextDocumentTransform, NotesTransform, AutoLinkTransform)
#: Write time; of equal priority, in this order.
POST_TRANSFORMS = (RetargetRegisterLinks, SummariseLongTextList, DropEmptyNotesSection, LatexLanguages,
                   ResolveNoteLinks)

#: Builders replaced by the edition's (override): EPUB with accessibility metadata, LaTeX as a book.
BUILDERS = (AccessibleEpub3Builder, BookLaTeXBuilder)
LATEX_PACKAGES = ("editionindices", "editionbook")
CSS_FILES = ("edition.css",)  # (EPUB adds edition-epub.css after it: _add_static_path)
#: In this order on every page: the search's script before the shards', the Cite dialog before the menu's.
JS_FILES = ("edition.js", SEARCH_JS, "edition-search-shards.js", "edition-cite.js", "edition-select.js",
            "edition-reading-mode.js")


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_parser")
    use_cross_references()  # {term}, {person}, {work} in notes and entries link to their entries
    for name, default, rebuild, types in CONFIG_VALUES:
        app.add_config_value(name, default, rebuild, types=types)
    for event, handler, priority in EVENTS:
        app.connect(event, handler, priority=priority)
    replace_sphinx_check(app)  # Sphinx's EPUB 3 config check gives way to validate_package_config
    for node, renderers, override in NODES:
        app.add_node(node, override=override, **renderers)
    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive, override=True)  # edition.reading.texts may have registered it with docutils
    for name, directive in DIRECTIVES_OF_PAGES.items():
        app.add_directive(name, directive)
    app.add_domain(EditionDomain)  # owns all build state (state/)
    for index in DOMAIN_INDICES:
        app.add_index_to_domain(EditionDomain.name, index)
    for transform in TRANSFORMS:
        app.add_transform(transform)
    for transform in POST_TRANSFORMS:
        app.add_post_transform(transform)
    for builder in BUILDERS:
        app.add_builder(builder, override=True)
    for builder in EDITION_TRANSLATOR_BUILDERS:
        app.set_translator(builder, EditionHTMLTranslator)
    app.set_translator("epub", EpubTranslator)
    app.add_search_language(SearchEdition)  # with html_search_language = "edition" in conf.py
    for package in LATEX_PACKAGES:
        app.add_latex_package(package)
    for css in CSS_FILES:
        app.add_css_file(css)
    for js in JS_FILES:
        app.add_js_file(js, loading_method="defer")

    # What the extension keeps on the environment is the domain's data: its
    # data_version, not env_version, says when a pickled environment is out of
    # date (env_version is written into searchindex.js; bumping it changes every build's output).
    return {"version": __version__, "env_version": 3, "parallel_read_safe": True, "parallel_write_safe": True}
