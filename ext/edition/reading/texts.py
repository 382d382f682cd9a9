"""The edition's texts as documents: front matter, the MyST parse without Sphinx,
and each text's reading blocks (what the blocks are and how they are numbered is
:mod:`edition.reading.contract`, the reading contract).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
import yaml
from docutils import nodes
from docutils.core import publish_doctree

from ..base.errors import EditionError
from .contract import ReadingBlock, anchorable_blocks, reading_blocks
from .contract import paragraph_texts
from .directives import register_docutils_directives
from .paragraph_numbers import read_record, record_path

#: Front-matter key that marks a document as one of the edition's texts.
TEXT_ID_KEY = "edition-text"

#: Front-matter keys that name a text briefly (printed indices), in order of preference.
SHORT_LABEL_KEYS = ("short_title", "title_en", "title")


def short_label(meta: dict, fallback: str) -> str:
    """How the apparatus names a text in a list of passages: its short title."""
    for key in SHORT_LABEL_KEYS:
        value = meta.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return fallback


# --- parsing MyST without Sphinx ------------------------------------------------

#: The MyST settings the edition uses, shared with ``conf/conf.py`` so the
#: plain-docutils parse and the Sphinx build read texts identically.
MYST_SETTINGS = {
    # Contributed and imported text is untrusted: no raw HTML of any kind.
    "myst_disable_syntax": ["html_block", "html_inline"],
    "myst_enable_extensions": ["deflist"],
}


def parse_myst(source: str, path: str = "<string>") -> nodes.document:
    """Parse MyST source into a doctree with docutils alone (no Sphinx)."""
    # MyST's docutils parser only when a text is parsed outside Sphinx: the build and
    # the readers of front matter never need it, and it is slow to import.
    from myst_parser.parsers.docutils_ import Parser

    register_docutils_directives()
    warnings = io.StringIO()
    doctree = publish_doctree(
        source,
        source_path=path,
        parser=Parser(),
        settings_overrides={
            **MYST_SETTINGS,
            "smart_quotes": False,
            "warning_stream": warnings,
            "report_level": 2,
            "halt_level": 5,
            "input_encoding": "unicode",
            "output_encoding": "unicode",
        },
    )
    problems = warnings.getvalue().strip()
    if problems:
        raise EditionError(f"MyST parse problem: {problems.splitlines()[0]}", path)
    return doctree


def split_front_matter(source: str, path: str = "<string>") -> tuple[dict, str]:
    """Return (front matter, body) of a MyST document."""
    if not source.startswith("---\n"):
        return {}, source
    end = source.find("\n---\n", 4)
    if end < 0:
        raise EditionError("front matter opened with '---' is never closed", path, 1)
    try:
        # libyaml where installed: every build reads every text's front matter.
        meta = yaml.load(source[4:end], Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    except yaml.YAMLError as exc:
        # Where the construct that went wrong begins (an unclosed bracket's line), else where
        # the parser stopped; counted from the file's first line (the '---').
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        what = getattr(exc, "problem", None) or "cannot be read"
        raise EditionError(f"front matter is not valid YAML ({what}); fix the YAML between the '---' lines",
                           path, line) from None
    if not isinstance(meta, dict):
        raise EditionError("front matter must be a mapping of keys to values", path, 1)
    return meta, source[end + 5 :]


@dataclass(frozen=True)
class TextDocument:
    """One of the edition's texts as the build will read it."""

    path: Path
    docname: str
    meta: dict
    blocks: tuple[ReadingBlock, ...]

    @property
    def text_id(self) -> str:
        return str(self.meta[TEXT_ID_KEY])

    @property
    def lang(self) -> str:
        return str(self.meta["lang"])

    @property
    def paragraphs(self) -> list[ReadingBlock]:
        return [b for b in self.blocks if b.kind == "paragraph"]

    @property
    def anchorable(self) -> list[ReadingBlock]:
        """The blocks notes anchor to and links are made in (:mod:`edition.reading.contract`)."""
        return anchorable_blocks(self.blocks)


def load_text(path: Path, srcdir: Path) -> TextDocument:
    source = path.read_text(encoding="utf-8")
    meta, _ = split_front_matter(source, str(path))
    doctree = parse_myst(source, str(path))
    docname = path.relative_to(srcdir).with_suffix("").as_posix()
    return TextDocument(path, docname, meta, tuple(reading_blocks(doctree, recorded_numbers(path, doctree))))


def recorded_numbers(path: Path, doctree: nodes.Node) -> list[int] | None:
    """The ¶ numbers recorded beside the text at *path*, if they are its paragraphs'
    (:mod:`edition.reading.paragraph_numbers`); None: count them. A record that does not fit
    the text is reported by `edition import --check` (and the build)."""
    try:
        record = read_record(record_path(path))
    except EditionError:
        return None
    if record is None:
        return None
    return record.numbers_for(paragraph_texts(doctree))


def _head(path: Path, chunk: int = 8192) -> str:
    """The start of a document, up to the end of its front matter (not the whole text)."""
    with path.open("rb") as handle:
        data = handle.read(chunk)
        if not data.startswith(b"---\n"):
            return ""
        while b"\n---\n" not in data[3:]:
            more = handle.read(chunk)
            if not more:
                break
            data += more
    end = data.find(b"\n---\n", 3)
    return (data[: end + 5] if end >= 0 else data).decode("utf-8")


def text_front_matters(srcdir: Path, problems: list[EditionError] | None = None) -> list[tuple[Path, str, dict]]:
    """(path, docname, front matter) of every text under *srcdir*, by docname.

    Front matter only, no MyST parse: the home page's list of texts, the
    print title page and the EPUB metadata read this before any build. With
    *problems*, a document whose front matter cannot be read is left out and
    its error added there (the build reports it); without, the error is raised."""
    found = []
    for path in sorted(srcdir.rglob("*.md")):
        try:
            meta, _ = split_front_matter(_head(path), str(path))
        except EditionError as exc:
            if problems is None:
                raise
            problems.append(exc)
            continue
        if TEXT_ID_KEY in meta:
            found.append((path, path.relative_to(srcdir).with_suffix("").as_posix(), meta))
    return found


def load_texts(srcdir: Path) -> list[TextDocument]:
    """Every document under *srcdir* whose front matter marks it as a text."""
    return [load_text(path, srcdir) for path, _, _ in text_front_matters(srcdir)]
