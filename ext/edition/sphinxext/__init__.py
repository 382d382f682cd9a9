"""The edition's Sphinx extension: ``extensions = ["myst_parser", "edition.sphinxext"]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config

from .. import __version__
from .roles import use_cross_references
from .search import setup_search
from ..reading.directives import DIRECTIVES
from ..reading.nodes import paragraph_number, text_header
from ..reading.texts import MYST_SETTINGS
from . import writers
from .epub import EDITION_TRANSLATOR_BUILDERS, EditionHTMLTranslator, EpubTranslator, make_epub_reproducible
from .epub_accessibility import AccessibleEpub3Builder, replace_sphinx_check, set_agents, set_identifier
from .latex import LatexLanguages, keep_closing_lines
from .domain import EditionDomain
from .glossary_page import (
    GlossaryDirective,
    fill_used_in,
    merge_register_docs,
    note_purged,
    register_docs_to_rewrite,
    remember_listings,
    REGISTER_KINDS,
    used_in,
)
from .register_pages import PersonsDirective, WorksDirective
from .settings import refuse_setting
from .register_split import setup_register_split
from .navigation import setup_navigation
from .print_indices import write_print_indices
from .print_book import BookLaTeXBuilder
from .linking import POLICIES, USES, AutoLinkTransform, term_definitions, visit_definitions_html
from .notes import (
    DropEmptyNotesSection,
    NotesTransform,
    check_annotations,
    NOTE_PROBLEMS,
    report_note_problems,
)
from .selecting import setup as setup_selection_menu
from .text_documents import TextDocumentTransform
from .text_list import LISTINGS, TextsDirective, fill_from_texts, listings_to_reread
from .env_data import MISSING_FILES
from .doctree_memory import setup as setup_doctree_memory
from .changes_page import setup_changes_page
from .citing import (
    HowToCiteDirective,
    outdated_by_citation_data,
    page_context,
    say_base_url,
    setup_base_url,
    write_w3c_copy,
)

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


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_parser")
    use_cross_references()  # {term}, {person}, {work} in notes and entries link to their entries
    app.add_config_value("edition_annotations_dir", "", "env", types=[str])
    app.add_config_value("edition_default_contributor", "The editors", "env", types=[str])
    app.add_config_value("edition_link_policy", "first-in-section", "env", types=[str])
    app.connect("config-inited", _check_config)
    app.connect("config-inited", _default_paths)
    app.connect("config-inited", fill_from_texts)
    app.connect("builder-inited", _add_static_path)
    app.connect("builder-inited", check_annotations)

    for name, directive in DIRECTIVES.items():
        app.add_directive(name, directive, override=True)  # edition.reading.texts may have registered it with docutils
    app.add_node(paragraph_number, **writers.PARAGRAPH_NUMBER)
    app.add_node(text_header, **writers.UNRENDERED)
    app.add_node(nodes.attribution, override=True, **writers.ATTRIBUTION)
    for builder in EDITION_TRANSLATOR_BUILDERS:
        app.set_translator(builder, EditionHTMLTranslator)
    app.add_builder(AccessibleEpub3Builder, override=True)
    app.connect("config-inited", set_identifier, priority=600)  # after setup_base_url (CITATION.cff)
    app.connect("config-inited", set_agents, priority=600)
    replace_sphinx_check(app)
    app.set_translator("epub", EpubTranslator)
    app.connect("build-finished", make_epub_reproducible)
    # The indices of persons and works in print (with latex_domain_indices = False).
    app.connect("build-finished", write_print_indices)
    app.add_latex_package("editionindices")
    # The print edition as a book: front matter, the texts as chapters, back matter.
    app.add_builder(BookLaTeXBuilder, override=True)
    app.add_latex_package("editionbook")
    app.add_transform(TextDocumentTransform)
    app.add_transform(NotesTransform)
    app.add_transform(AutoLinkTransform)
    app.add_directive("edition-glossary", GlossaryDirective)
    app.add_directive("edition-texts", TextsDirective)
    app.add_domain(EditionDomain)
    app.add_directive("edition-persons", PersonsDirective)
    app.add_directive("edition-works", WorksDirective)
    app.add_node(used_in, **writers.UNRENDERED)
    app.add_node(
        term_definitions,
        html=(visit_definitions_html, None),
        **{name: writers.UNRENDERED[name] for name in ("latex", "text", "man", "texinfo")},
    )
    USES.connect(app)
    MISSING_FILES.connect(app)
    LISTINGS.connect(app)
    app.connect("env-get-outdated", listings_to_reread)
    NOTE_PROBLEMS.connect(app)
    app.connect("env-updated", report_note_problems)
    app.connect("env-purge-doc", note_purged, priority=400)  # before USES.purge (500)
    app.connect("env-before-read-docs", remember_listings)
    app.connect("env-merge-info", merge_register_docs)
    app.connect("env-get-updated", register_docs_to_rewrite)
    app.connect("doctree-resolved", fill_used_in)
    app.connect("doctree-resolved", keep_closing_lines, priority=600)  # after fill_used_in
    REGISTER_KINDS.connect(app)
    setup_register_split(app)  # HTML: register pages per letter, long passage lists apart
    setup_navigation(app)  # HTML: each page's branch of the navigation; listing pages of texts
    setup_doctree_memory(app)  # at most so many doctrees in memory, however many texts
    app.add_post_transform(DropEmptyNotesSection)
    app.add_post_transform(LatexLanguages)
    app.add_css_file("edition.css")
    app.add_js_file("edition.js", loading_method="defer")
    setup_search(app)
    setup_changes_page(app)  # per release, what edition diff finds since the one before
    app.add_config_value("edition_citation_file", "", "env", types=[str])
    app.connect("config-inited", setup_base_url)
    app.connect("builder-inited", say_base_url)
    app.connect("html-page-context", page_context)
    app.connect("build-finished", write_w3c_copy)
    app.connect("env-get-outdated", outdated_by_citation_data)
    app.add_directive("edition-how-to-cite", HowToCiteDirective)
    app.add_js_file("edition-cite.js", loading_method="defer")
    setup_selection_menu(app)  # after edition-cite.js: the menu's Cite opens its dialog

    # env_version: bump when what the extension keeps on the environment changes
    # shape, so that an environment pickled by older code is rebuilt, not misread.
    return {"version": __version__, "env_version": 3, "parallel_read_safe": True, "parallel_write_safe": True}
