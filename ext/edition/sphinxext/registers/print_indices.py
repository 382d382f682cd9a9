"""The printed indices of persons and works: book indices made by upmendex.

Sphinx prints a domain index as one line per locator, which for these
indices meant one line per paragraph. In print, each person and work is one
index entry instead, followed by its passages per text, the text named by
its short title (``short_title`` in the text's metadata) and its paragraphs
by number, consecutive ones merged into ranges:

    Bukharin, N. I. (1888–1938), Left Opposition ¶5, 7, 8, 20–22; GPU prisons ¶2

The locators are the passages of the HTML indices (the same listing of the
``edition`` domain), so every passage the web edition lists can be found in
print. They are written, with the paragraph numbers as "pages", to
``<index>.edidx`` files beside the LaTeX sources; latexmk runs upmendex on
them (``conf/latexmkrc``), which sorts the entries as it sorts the general
index and merges the ranges. ``editionindices.sty`` prints them before the
general index and links each number to its paragraph. Every string from the
registers and the texts' metadata is escaped here, for LaTeX and for
upmendex; none becomes raw LaTeX.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.util import texescape
from sphinx.util.fileutil import copy_asset_file

from ..state.records import edition_domain
from .indices import RegisterIndex

TEXINPUTS = Path(__file__).parents[2] / "texinputs"
#: The files editionindices.sty expects beside the LaTeX sources.
SUPPORT_FILES = ("editionindices.sty", "editionindices.ist")
#: The list of indices to print, read by editionindices.sty.
INDEX_LIST = "edition-indices.list"  # not .tex: the Makefile typesets every .tex


def latex_text(text: str, engine: str) -> str:
    """*text* as LaTeX that prints exactly it."""
    texescape.init()  # idempotent; the LaTeX builder has usually done it
    return texescape.escape(text, engine)


def index_field(text: str, engine: str) -> str:
    """*text* as LaTeX that upmendex passes through unchanged (as Sphinx quotes
    its own index entries): its special characters are quoted."""
    value = latex_text(text, engine)
    value = value.replace(r"\{", r"\sphinxleftcurlybrace{}").replace(r"\}", r"\sphinxrightcurlybrace{}")
    value = value.replace('"', '""').replace("@", '"@').replace("!", '"!')
    return value.replace("|", r"\textbar{}")


def label_field(label: str) -> str:
    """A LaTeX label name (docname:anchor), detokenized where it is used."""
    # Docnames and anchors are the edition's own ([a-z0-9/_-]); nothing to quote
    # for upmendex, and braces cannot occur.
    return "".join(c for c in label if c.isalnum() or c in "/:-_.")


def index_entry_lines(sort_name: str, shown: str, target: str, passages, engine: str) -> list[str]:
    """The upmendex input for one entry: an ``\\indexentry`` per text and
    paragraph, the paragraph number as locator. *sort_name* and *shown* are
    plain text (escaped here); *passages* are :class:`~.domain.TextPassages`."""
    head = f"{index_field(sort_name, engine)}@\\edindexentry{{{label_field(target)}}}{{{index_field(shown, engine)}}}"
    lines = []
    for order, text in enumerate(passages, start=1):
        sub = f"{order:03d}@\\edindextext{{{index_field(text.label, engine)}}}"
        encap = f"edindexpar{{{label_field(text.docname)}}}"
        for use in text.uses:
            # A use outside the numbered paragraphs (none today) has the text's opening as its place.
            lines.append(f"\\indexentry{{{head}!{sub}|{encap}}}{{{use.paragraph or 0}}}")
    return lines


def index_lines(index: RegisterIndex, engine: str) -> list[str]:
    """The upmendex input of one register index, in the HTML index's order."""
    lines = []
    objects = index.domain.data["objects"]
    for entry, (name, extra, _), passages in index.listing():
        if not passages:
            continue  # named nowhere in the texts: nothing to find in print
        docname, anchor = objects.get((index.kind, entry.id), ("", ""))
        shown = f"{name} ({extra})" if extra else name
        lines += index_entry_lines(name, shown, f"{docname}:{anchor}", passages, engine)
    return lines


def write_print_indices(app, exception) -> None:
    """After a LaTeX build: the register indices' upmendex input, the list
    of indices to print and the macros that print them."""
    if exception is not None or app.builder.format != "latex":
        return
    outdir = Path(app.builder.outdir)
    engine = app.config.latex_engine
    domain = edition_domain(app.env)
    printed = []
    for index_cls in domain.indices:
        index = index_cls(domain)
        name = f"{domain.name}-{index.name}"
        lines = index_lines(index, engine)
        (outdir / f"{name}.edidx").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        if lines:
            printed.append(f"\\edprintindex{{{name}}}{{{latex_text(index.localname, engine)}}}\n")
    (outdir / INDEX_LIST).write_text("".join(printed), encoding="utf-8")
    for name in SUPPORT_FILES:
        copy_asset_file(TEXINPUTS / name, outdir, force=True)
