"""Citing the edition in the build: tags for Zotero, the Cite menus' data,
the downloadable citations, the "How to cite" block and the W3C copy.

The facts come from CITATION.cff (:mod:`edition.formats.citation`) and each text's
front matter; the canonical address is Sphinx's ``html_baseurl`` (taken from
the ``url`` of CITATION.cff when conf.py sets none). Without one the build
writes no absolute addresses: no URL tags, no W3C copy (annotation ids must be
absolute), and the Cite menus give citations without a link and say why. It says so
once, as an info line (builds run with -W).
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import json
import re
from functools import lru_cache
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ...formats.citation import (
    CFF_FILE,
    Edition,
    Item,
    Locus,
    bibtex,
    chicago,
    csl_citation,
    csl_json,
    edition_item,
    load_edition,
    meta_tags,
    page_item,
    text_item,
)
from ...formats.citation import versioned_url
from ...base.errors import EditionError
from ...review.revisions import at_release
from ...formats.annotation_export import write_collections
from ...reading.contract import reading_blocks
from ...reading.texts import TEXT_ID_KEY, TextDocument
from ...formats.w3c import FOLDER
from ..state.records import build_state, edition_domain

logger = logging.getLogger(__name__)

#: Placeholders in the Cite menu's templates, filled in by edition-cite.js for one ¶ or note.
NUMBER, FRAGMENT, URL = "EDITIONNUMBER", "EDITIONFRAGMENT", "https://edition.invalid/EDITIONURL"
#: Where the per-text citation files go in the HTML output.
CITE_FOLDER = "cite"


def citation_path(config) -> Path:
    """CITATION.cff: edition_citation_file (set by :func:`setup_base_url` when empty)."""
    return Path(config.edition_citation_file)


@lru_cache(maxsize=4)  # the last versions of the files: a long-lived process does not keep every one
def _load(path: Path, mtime: float) -> Edition | None:
    try:
        return load_edition(path)
    except EditionError:
        return None  # reported once, by say_base_url


def edition_of(config) -> Edition:
    """The edition's citation data: CITATION.cff, or, where a project has none (a
    test or benchmark corpus) or it is broken (and reported), the Sphinx project's
    own title, author and version."""
    path = citation_path(config)
    try:
        edition = _load(path, path.stat().st_mtime)
    except OSError:
        edition = None
    return edition or Edition(
        title=config.project, editors=tuple(a for a in (config.author,) if a.strip()), version=config.version
    )


def setup_base_url(app, config) -> None:
    """config-inited: html_baseurl from CITATION.cff when conf.py sets none."""
    if not config.edition_citation_file:
        # The repository layout: conf/ beside CITATION.cff.
        config.edition_citation_file = str(Path(app.confdir).parent / CFF_FILE)
    edition = edition_of(config)
    if not config.html_baseurl and edition.url:
        # A release's pages are cited at its versioned copy, which will not change.
        release = at_release(Path(config.edition_citation_file).parent, edition.version)
        config.html_baseurl = versioned_url(edition) if release else edition.url


#: The HTML builders that get citation tags and Cite menus (EPUB has its own metadata).
CITING_BUILDERS = ("html", "dirhtml")


def say_base_url(app) -> None:
    """builder-inited: a broken CITATION.cff is an error (at the file, no traceback);
    one info line when pages will carry no absolute address."""
    path = citation_path(app.config)
    if path.exists():
        try:
            load_edition(path)
        except EditionError as exc:
            logger.error(f"{exc}", type="edition", subtype="citation")
            app.statuscode = 1
    if app.builder.name in CITING_BUILDERS and not app.config.html_baseurl:
        logger.info(
            "edition: no html_baseurl (and no 'url' in CITATION.cff): citation tags and Cite menus "
            "carry no absolute addresses and the W3C annotation copy is not written; set 'url' in "
            "CITATION.cff to where the edition is published"
        )


def base_url(config) -> str:
    base = config.html_baseurl
    return base if not base or base.endswith("/") else base + "/"


def page_url(app, docname: str) -> str:
    base = base_url(app.config)
    return base + app.builder.get_target_uri(docname) if base else ""


def item_for(app, pagename: str, title: str = "") -> tuple[Item, bool]:
    """The page's own item: its text; the edition on the home page; the page itself
    (part of the edition) on every other page."""
    meta = app.env.metadata.get(pagename, {})
    edition = edition_of(app.config)
    if TEXT_ID_KEY in meta:
        return text_item(edition, meta, page_url(app, pagename)), True
    if pagename == app.config.root_doc:
        return edition_item(edition, base_url(app.config)), False
    url = page_url(app, pagename) if pagename in app.env.all_docs else (
        base_url(app.config) + pagename + app.builder.out_suffix if base_url(app.config) else "")
    return page_item(edition, title, url), False


#: Titles of Sphinx's own pages, whose templates set them (not in the page context).
_SPECIAL_PAGES = {"genindex": "Index", "search": "Search", "py-modindex": "Module Index"}


def _plain_title(title: str) -> str:
    """The page title Sphinx gives the template (HTML) as text."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", title or "")).split())


def _templates(item: Item) -> dict:
    """The three forms for the text and, with placeholders, for any ¶ or note."""
    # Without a canonical address the citations carry no link (the menu says why);
    # the address a reader happens to see (localhost, file:) is never made one.
    template_item = dataclasses.replace(item, url=URL) if item.url else item
    loci = {
        "text": None,
        "paragraph": Locus(paragraph=NUMBER, fragment=FRAGMENT),  # type: ignore[arg-type]
        "note": Locus(note=NUMBER, fragment=FRAGMENT),  # type: ignore[arg-type]
    }
    return {
        name: {
            "chicago": chicago(template_item, locus),
            "bibtex": bibtex(template_item, locus),
            "csl": json.dumps([csl_json(template_item, locus)], ensure_ascii=False, indent=2),
            # The ¶ or note as CSL locator and label, for citeproc-based tools.
            **({"csl_citation": json.dumps(csl_citation(template_item, locus), ensure_ascii=False, indent=2)}
               if locus else {}),
        }
        for name, locus in loci.items()
    }


def _script_json(data) -> str:
    # Inside <script>, "</script" or "<!--" would change how the rest is parsed: no "<" at all.
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def page_context(app, pagename, templatename, context, doctree) -> None:
    """html-page-context: the citation tags; on a text, the Cite menu's data and files."""
    if app.builder.name not in CITING_BUILDERS:
        return
    title = _plain_title(context.get("title") or context.get("indextitle") or "") or _SPECIAL_PAGES.get(
        pagename, pagename.rpartition("/")[2].replace("-", " ").capitalize())
    item, is_text = item_for(app, pagename, title)
    tags = "".join(
        f'<meta name="{html.escape(name)}" content="{html.escape(value)}" />\n' for name, value in meta_tags(item)
    )
    context["metatags"] = context.get("metatags", "") + tags
    if not is_text or doctree is None:
        return
    files = {}
    folder = Path(app.builder.outdir) / CITE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for suffix, content in (
        ("bib", bibtex(item)),
        ("json", json.dumps([csl_json(item)], ensure_ascii=False, indent=2) + "\n"),
        ("txt", chicago(item) + "\n"),
    ):
        name = f"{item.text_id}.{suffix}"
        (folder / name).write_text(content, encoding="utf-8")
        files[suffix] = context["pathto"](f"{CITE_FOLDER}/{name}", 1)
    data = {
        "url": item.url,
        "placeholders": {"number": NUMBER, "fragment": FRAGMENT, "url": URL},
        "templates": _templates(item),
        "downloads": files,
    }
    context["body"] = context.get("body", "") + (
        f'<script type="application/json" id="edition-cite-data">{_script_json(data)}</script>\n'
    )


def write_w3c_copy(app, exception) -> None:
    """build-finished: the notes as W3C annotations, when the edition has an address.

    From what the build read (each text's doctree and the notes files checked
    before reading), with positions counted in the pages it wrote: no text is
    parsed again."""
    # Pages are docname + out_suffix in the html builder only (dirhtml makes folders).
    if exception is not None or app.builder.name != "html" or not app.config.html_baseurl:
        return
    if app.statuscode:  # annotation errors, reported with their files: a copy would lack notes
        logger.warning("edition: W3C annotations not written: the annotation files have errors (listed above)",
                       type="edition", subtype="w3c")
        return
    env = app.env
    texts = [
        TextDocument(Path(env.doc2path(docname)), docname, env.metadata[docname],
                     tuple(reading_blocks(env.get_doctree(docname))))
        for docname in sorted(env.found_docs) if TEXT_ID_KEY in env.metadata.get(docname, {})
    ]
    try:
        write_collections(
            texts, build_state(app.env).notes_files or (), base_url(app.config),
            Path(app.builder.outdir) / FOLDER, suffix=app.builder.out_suffix, html=Path(app.builder.outdir),
        )
    except EditionError as exc:  # the build has reported the annotation errors already
        logger.warning(f"edition: W3C annotations not written: {exc}", type="edition", subtype="w3c")


def outdated_by_citation_data(app, env, added, changed, removed) -> list[str]:
    """env-get-outdated: every page shows CITATION.cff's data (tags, Cite menus): when
    the file changes, all of them are written again."""
    try:
        digest = hashlib.sha256(citation_path(app.config).read_bytes()).hexdigest()
    except OSError:
        digest = ""
    data = edition_domain(env).data
    previous, data["citation_digest"] = data["citation_digest"], digest
    if previous is None or previous == digest:
        return []
    return sorted(env.found_docs - set(added) - set(changed) - set(removed))


# --- "How to cite this edition" -------------------------------------------------------------


class HowToCiteDirective(SphinxDirective):
    """The edition's citation, from CITATION.cff: a Chicago note and BibTeX."""

    def run(self) -> list[nodes.Node]:
        path = citation_path(self.config)
        if path.exists():  # a missing dependency would re-read this page on every build
            self.env.note_dependency(str(path))
        item = edition_item(edition_of(self.config), base_url(self.config))
        container = nodes.container(classes=["edition-how-to-cite"])
        container += _chicago_paragraph(chicago(item))
        container += nodes.paragraph("", "In BibTeX:")
        block = bibtex(item)
        container += nodes.literal_block(block, block, language="bibtex", classes=["edition-bibtex"])
        return [container]


def _chicago_paragraph(text: str) -> nodes.paragraph:
    """*…* spans of a Chicago note as emphasis; everything else as text."""
    paragraph = nodes.paragraph(classes=["edition-chicago"])
    for index, part in enumerate(text.split("*")):
        if part:
            paragraph += nodes.emphasis(part, part) if index % 2 else nodes.Text(part)
    return paragraph
