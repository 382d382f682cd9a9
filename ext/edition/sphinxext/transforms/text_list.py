"""Everything that names the edition's texts comes from their front matter.

* ``{edition-texts}`` lists every text on the home page: its title (in its
  language), the language, the English title and the publication;
* the print edition's title page names every text the same way;
* the EPUB's description names them too.

So a new text needs no change here, in ``conf.py`` or in the home page:
importing it is enough. Texts are listed in the order of their document
names (``texts/<id>``), the order of the home page's ``texts/*`` toctree.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.texescape import escape as latex_escape

from ...base.errors import EditionError, printable
from ...base.languages import language_name
from ...reading.texts import text_front_matters
from ..state.records import LISTINGS
from ..print.latex import DEFAULT, POLYGLOSSIA

logger = logging.getLogger(__name__)


def texts_of(srcdir: str | Path) -> list[tuple[Path, str, dict]]:
    """The texts' front matter, read again only when a file under *srcdir* changed.
    A document whose front matter cannot be read is left out (see front_matter_problems)."""
    return _front_matters(str(srcdir), _stamps(srcdir))[0]


def front_matter_problems(srcdir: str | Path) -> tuple[EditionError, ...]:
    """The documents whose front matter cannot be read, as errors with file and line."""
    return _front_matters(str(srcdir), _stamps(srcdir))[1]


def _stamps(srcdir: str | Path) -> tuple:
    paths = sorted(Path(srcdir).rglob("*.md"))
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)


@lru_cache(maxsize=4)  # the last versions of the files: a long-lived process does not keep every one
def _front_matters(srcdir: str, stamps: tuple) -> tuple[list[tuple[Path, str, dict]], tuple[EditionError, ...]]:
    problems: list[EditionError] = []
    texts = text_front_matters(Path(srcdir), problems)
    return texts, tuple(problems)



#: Front-matter keys a listing shows.
LISTED_KEYS = ("title", "lang", "title_en", "publication", "date", "summary")


def _listing_key(texts) -> tuple:
    return tuple((docname, *(str(meta.get(k) or "") for k in LISTED_KEYS)) for _, docname, meta in texts)


def listings_to_reread(app, env, added, changed, removed) -> list[str]:
    """The pages with a list of texts, when a text was added, removed or retitled."""
    current = _listing_key(texts_of(env.srcdir))
    return [doc for doc, shown in sorted(LISTINGS.all(env).items()) if shown != current and doc not in removed]


def _about(meta: dict) -> str:
    """One line of English on a text: its English title, then publication and date, each
    labelled, so that two fields (say "Not identified; …" and "Not stated …") never read
    as one run of text."""
    parts = []
    title_en = str(meta.get("title_en") or "")
    if title_en and title_en != meta.get("title"):
        parts.append(title_en)
    publication, date = str(meta.get("publication") or ""), str(meta.get("date") or "")
    if publication:
        parts.append(f"Publication: {publication}")
    if date and date not in publication:
        parts.append(f"Date: {date}")
    return ". ".join(p.rstrip(".") for p in parts) + ("." if parts else "")


def listing_item(docname: str, meta: dict, link: nodes.Element) -> nodes.definition_list_item:
    """One text in a list of texts: its title in its language (inside *link*, a
    reference to its page), the language, then a line on it in English."""
    title, lang = str(meta.get("title") or docname), str(meta.get("lang") or "")
    link += nodes.inline(title, title)
    term = nodes.term()
    term += nodes.inline("", "", link, classes=[f"language-{lang}"])
    term += nodes.Text(f" ({language_name(lang)})")
    definition = nodes.definition()
    about = _about(meta)
    if about:
        definition += nodes.paragraph(about, about)
    if meta.get("summary"):
        definition += nodes.paragraph(str(meta["summary"]), str(meta["summary"]))
    return nodes.definition_list_item("", term, definition)


class TextsDirective(SphinxDirective):
    """The list of texts, with their titles in their own language. (On the web,
    a long list is summed up by group: edition.sphinxext.html.navigation.)"""

    def run(self) -> list[nodes.Node]:
        listing = nodes.definition_list(classes=["edition-texts"], ids=["edition-texts"])
        texts = texts_of(self.env.srcdir)
        # Read again when a text is added, removed or its front matter changes
        # (not on every edit of a text's body: no dependency on the files).
        LISTINGS.set(self.env, self.env.docname, _listing_key(texts))
        for path, docname, meta in texts:
            link = addnodes.pending_xref(
                "", refdomain="std", reftype="doc",
                reftarget=f"/{docname}", refexplicit=True, refwarn=True, refdoc=self.env.docname,
            )
            listing += listing_item(docname, meta, link)
        return [listing]


# --- print and EPUB ---------------------------------------------------------------------


def title_page(config: Config, texts: list[tuple[Path, str, dict]]) -> str:
    """The LaTeX title page: the edition's title, then every text."""
    title, _, subtitle = config.project.partition(": ")
    lines = [
        r"\begin{titlepage}",
        r"\centering",
        r"\vspace*{35mm}",
        rf"{{\sffamily\bfseries\Huge {latex_escape(title)}\par}}",
    ]
    if subtitle:
        lines += [r"\vspace{12mm}", rf"{{\Large {latex_escape(subtitle[:1].upper() + subtitle[1:])}\par}}"]
    lines.append(r"\vspace{20mm}")
    for _, docname, meta in texts:
        text_title = latex_escape(str(meta.get("title") or docname))
        language = POLYGLOSSIA.get(str(meta.get("lang")), DEFAULT)
        if language != DEFAULT:
            text_title = rf"\foreignlanguage{{{language}}}{{{text_title}}}"
        lines.append(rf"{{\large {text_title}\par}}")
        about = _about(meta)
        if about:
            lines.append(rf"{{\small {latex_escape(about)}\par}}")
        lines.append(r"\vspace{6mm}")
    lines += [
        r"\vfill",
        r"{\large Texts reproduced verbatim, with notes, a glossary,\\ registers of works and persons, and indices\par}",
        # Editors only if named (conf.py's author): never a placeholder.
        *([r"\vspace{10mm}", rf"{{\normalsize Edited by {latex_escape(_lower_article(config.author))}\par}}"]
          if config.author.strip() else []),
        r"\end{titlepage}",
        "",
    ]
    return "\n".join(lines)


def _lower_article(name: str) -> str:
    """'The editors' → 'the editors', to follow 'Edited by'."""
    return name[:1].lower() + name[1:] if name.startswith("The ") else name


def describe_texts(texts: list[tuple[Path, str, dict]]) -> str:
    """'Texts: <title> (Korean), …' for metadata that is plain text."""
    listed = [f"{meta.get('title_en') or meta.get('title') or docname} ({language_name(str(meta.get('lang')))})"
              for _, docname, meta in texts]
    return "Texts: " + "; ".join(listed) + "; with notes, glossary and registers." if listed else ""


def fill_from_texts(app: Sphinx, config: Config) -> None:
    """Title page, PDF subject and EPUB description from the texts' front matter."""
    texts = texts_of(app.srcdir)
    # The first handler to read the front matter reports what cannot be read, as
    # an annotation error is reported: one line with file and line, and a failed build.
    for problem in front_matter_problems(app.srcdir):
        logger.error(printable(problem.message), location=str(problem.location), type="edition",
                     subtype="front-matter")
        app.statuscode = 1
    elements = config.latex_elements
    elements.setdefault("maketitle", title_page(config, texts))
    description = describe_texts(texts)
    if description:
        subject = latex_escape(description)
        elements["preamble"] = elements.get("preamble", "") + (
            "\n% The subject names the texts (edition.sphinxext.transforms.text_list).\n"
            rf"\AtBeginDocument{{\hypersetup{{pdfsubject={{{subject}}}}}}}" "\n"
        )
        if not config.epub_description or config.epub_description == "unknown":
            config.epub_description = description
