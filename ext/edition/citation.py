"""What a citation of the edition, a text, a paragraph or a note says.

Edition-wide facts (title, editors, version, release date, address) come from
one file, ``CITATION.cff`` (Citation File Format 1.2.0); a text's own facts
from its front matter, read generically (``title``, ``title_en``, ``author``,
``translator``, ``publication``, ``date``, ``lang``), so a new text needs no
code. The model (:class:`Item`) is formatted three ways: Chicago
notes-bibliography (a note form, with the ¶ or note number and permalink),
BibTeX and CSL-JSON; and as Highwire ``citation_*`` / Dublin Core tags for
Zotero. Pure functions: the Sphinx side is :mod:`edition.sphinxext.citing`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import EditionError

CFF_FILE = "CITATION.cff"


@dataclass(frozen=True)
class Edition:
    title: str
    editors: tuple[str, ...]
    version: str = ""
    date_released: str = ""  # YYYY-MM-DD, or ""
    url: str = ""  # where the HTML edition is published, or ""
    repository: str = ""
    abstract: str = ""

    @property
    def year(self) -> str:
        return self.date_released[:4]


#: Where the publish workflow puts each release's copy: ``<url>/v/<version>/``.
VERSIONS_FOLDER = "v"


def versioned_url(edition: Edition) -> str:
    """The address of this version's own, unchanging copy, or "" without a url or a version."""
    if not (edition.url and edition.version):
        return ""
    return f"{edition.url.rstrip('/')}/{VERSIONS_FOLDER}/{edition.version}/"


def _agent_name(agent: dict) -> str:
    if agent.get("name"):
        return str(agent["name"])
    return " ".join(str(agent[k]) for k in ("given-names", "name-particle", "family-names", "name-suffix") if agent.get(k))


def load_edition(path: Path) -> Edition:
    """The edition's own citation data from CITATION.cff."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EditionError("the edition's citation data is missing; create it (see README, 'How to cite')", str(path)) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        raise EditionError(
            f"not valid YAML ({str(exc).splitlines()[0]}); fix the file (Citation File Format 1.2.0)",
            str(path), mark.line + 1 if mark else None,
        ) from None
    if not isinstance(data, dict) or not data.get("title") or not data.get("authors"):
        raise EditionError("needs at least 'title' and 'authors' (Citation File Format 1.2.0)", str(path))
    released = data.get("date-released") or ""
    return Edition(
        title=str(data["title"]),
        editors=tuple(_agent_name(a) for a in data["authors"] if isinstance(a, dict)),
        version=str(data.get("version") or ""),
        date_released=str(released),
        url=str(data.get("url") or ""),
        repository=str(data.get("repository-code") or ""),
        abstract=" ".join(str(data.get("abstract") or "").split()),
    )


# --- the cited item -------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """A text of the edition, or the edition itself (``text_id`` empty)."""

    edition: Edition
    title: str
    url: str  # the page's absolute address, or "" when the edition's address is not known
    text_id: str = ""
    title_en: str = ""
    authors: tuple[str, ...] = ()
    translators: tuple[str, ...] = ()
    lang: str = "en"
    original: str = ""  # where the text was first published, as the front matter says

    @property
    def is_text(self) -> bool:
        return bool(self.text_id)


#: Front-matter values that say a fact is unknown: they are not names.
_UNKNOWN = re.compile(r"^(not (named|stated|identified)|none|unknown|n/?a)\b", re.I)


def _names(value) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(v) for v in value if v and not _UNKNOWN.match(str(v)))
    if not value or _UNKNOWN.match(str(value)):
        return ()
    return (str(value),)


def _known(value) -> str:
    return "" if not value or _UNKNOWN.match(str(value)) else str(value)


def text_item(edition: Edition, meta: dict, url: str) -> Item:
    return Item(
        edition=edition,
        title=str(meta.get("title") or meta.get("edition-text")),
        url=url,
        text_id=str(meta.get("edition-text", "")),
        title_en=str(meta.get("title_en") or ""),
        authors=_names(meta.get("author")),
        translators=_names(meta.get("translator")),
        lang=str(meta.get("lang") or "en"),
        original=_known(meta.get("publication")),
    )


def edition_item(edition: Edition, url: str) -> Item:
    return Item(edition=edition, title=edition.title, url=url)


@dataclass(frozen=True)
class Locus:
    """Where in the item: a paragraph or a note (at most one)."""

    paragraph: int | None = None
    note: int | None = None  # the note's number on the page
    fragment: str = ""  # the anchor: p-N or note-<id>

    @property
    def label(self) -> str:
        if self.note is not None:
            return f"n. {self.note}"
        if self.paragraph is not None:
            return f"¶{self.paragraph}"
        return ""


def permalink(item: Item, locus: Locus | None) -> str:
    return f"{item.url}#{locus.fragment}" if locus and locus.fragment else item.url


# --- Chicago notes-bibliography ----------------------------------------------------------


def _join(names: tuple[str, ...]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def _bracketed(title: str) -> str:
    """A translated title in square brackets (once: editors' titles may have them already)."""
    return title if title.startswith("[") and title.endswith("]") else f"[{title}]"


def _titled(item: Item) -> str:
    """The title, and its English translation in brackets when the front matter gives one."""
    if item.title_en and item.title_en != item.title:
        return f"{item.title} {_bracketed(item.title_en)}"
    return item.title


def _edition_date(edition: Edition) -> str:
    """"version 0.1, 2026", "version 0.1, n.d." or "n.d.": Chicago marks a missing date."""
    return ", ".join(p for p in (edition.version and f"version {edition.version}", edition.year or "n.d.") if p)


def chicago(item: Item, locus: Locus | None = None) -> str:
    """A Chicago (17th ed.) note for a text of the edition, or for the edition.

    Text: Author, “Title” [English title], trans. X, in *Edition*, ed. Editors
    (version, year), ¶ N, URL. *…* marks italics.
    """
    edition = item.edition
    parts = []
    if item.is_text:
        head = f"“{item.title}”"
        if item.title_en and item.title_en != item.title:
            head += f" {_bracketed(item.title_en)}"
        if item.authors:
            head = f"{_join(item.authors)}, {head}"
        parts.append(head)
        if item.translators:
            parts.append(f"trans. {_join(item.translators)}")
        parts.append(f"in *{edition.title}*, ed. {_join(edition.editors)} ({_edition_date(edition)})")
    else:
        parts.append(f"*{edition.title}*, ed. {_join(edition.editors)} ({_edition_date(edition)})")
    if locus and locus.label:
        parts.append(locus.label)
    if item.url:
        parts.append(permalink(item, locus))
    return ", ".join(parts) + "."


def plain(markdown_like: str) -> str:
    """The Chicago note without its *italics* markers (for plain-text copies)."""
    return markdown_like.replace("*", "")


# --- BibTeX ---------------------------------------------------------------------------------

_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#", "$": r"\$", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _bib(value: str) -> str:
    return "".join(_BIBTEX_SPECIAL.get(c, c) for c in value)


def bibtex_key(item: Item, locus: Locus | None = None) -> str:
    key = item.text_id or "edition"
    if locus and locus.fragment:
        key += ":" + locus.fragment
    return re.sub(r"[^A-Za-z0-9:_-]", "-", key)


def bibtex_fields(item: Item, locus: Locus | None = None) -> dict[str, str]:
    """The fields of the BibTeX entry, as values (before escaping)."""
    edition = item.edition
    fields: dict[str, str] = {}
    if item.is_text:
        fields["title"] = _titled(item)
        if item.authors:
            fields["author"] = " and ".join(item.authors)
        if item.translators:
            fields["translator"] = " and ".join(item.translators)
        fields["booktitle"] = edition.title
        fields["editor"] = " and ".join(edition.editors)
        fields["language"] = item.lang
    else:
        fields["title"] = edition.title
        fields["editor"] = " and ".join(edition.editors)
    if edition.year:
        fields["year"] = edition.year
    if edition.version:
        fields["version"] = edition.version
    if locus and locus.label:
        fields["pages"] = locus.label
    if item.url:
        fields["url"] = permalink(item, locus)
    if item.original:
        fields["note"] = f"Originally: {item.original}"
    return fields


def bibtex(item: Item, locus: Locus | None = None) -> str:
    kind = "incollection" if item.is_text else "book"
    fields = bibtex_fields(item, locus)
    # Names are protected with braces: they are corporate names or names in
    # other scripts, not "Last, First" for BibTeX to split.
    protected = {"author", "editor", "translator"}
    lines = [f"@{kind}{{{bibtex_key(item, locus)},"]
    for name, value in fields.items():
        if name == "url":  # verbatim for the url package; braces would end the field
            value = value.replace("{", "%7B").replace("}", "%7D")
        elif name in protected:
            value = " and ".join(f"{{{_bib(v)}}}" for v in value.split(" and "))
        else:
            value = _bib(value)
        lines.append(f"  {name} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


# --- CSL-JSON -------------------------------------------------------------------------------


def _csl_names(names: tuple[str, ...]) -> list[dict]:
    return [{"literal": name} for name in names]


def csl_json(item: Item, locus: Locus | None = None) -> dict:
    """One CSL-JSON item (validated against csl-data.json in the tests)."""
    edition = item.edition
    data: dict = {"id": bibtex_key(item, locus)}
    if item.url:
        data["URL"] = permalink(item, locus)
    if item.is_text:
        data["type"] = "chapter"
        # CSL has no field for a title's translation: it follows in brackets, as in Chicago.
        data["title"] = _titled(item)
        if item.authors:
            data["author"] = _csl_names(item.authors)
        if item.translators:
            data["translator"] = _csl_names(item.translators)
        data["container-title"] = edition.title
        data["editor"] = _csl_names(edition.editors)
        data["language"] = item.lang
        if item.original:
            data["note"] = f"Originally: {item.original}"
    else:
        data["type"] = "book"
        data["title"] = edition.title
        data["editor"] = _csl_names(edition.editors)
    if edition.version:
        data["version"] = edition.version
    if edition.date_released:
        data["issued"] = {"date-parts": [[int(p) for p in edition.date_released.split("-")]]}
    if locus and locus.label:
        # The locator belongs to a citation, not to the item; an item for one
        # ¶ or note says where in its note (its URL points there too).
        data["note"] = "; ".join(p for p in (data.get("note"), f"Cited at {locus.label}") if p)
    return data


# --- tags for Zotero and other readers -------------------------------------------------------


def meta_tags(item: Item) -> list[tuple[str, str]]:
    """(name, content) of the Highwire ``citation_*`` and Dublin Core tags for the item's page."""
    edition = item.edition
    tags: list[tuple[str, str]] = [("citation_title", item.title)]
    if item.is_text:
        tags += [("citation_author", a) for a in item.authors]
        tags += [("citation_editor", e) for e in edition.editors]
        tags.append(("citation_inbook_title", edition.title))
        tags.append(("citation_book_title", edition.title))
        tags.append(("citation_language", item.lang))
    else:
        tags += [("citation_author", e) for e in edition.editors]
    if edition.date_released:
        tags.append(("citation_publication_date", edition.date_released.replace("-", "/")))
    if item.url:  # only an absolute address: a relative one would name another page elsewhere
        tags.append(("citation_public_url", item.url))
    tags += [
        ("DC.title", item.title),
        *[("DC.creator", a) for a in (item.authors if item.is_text else edition.editors)],
        *[("DC.contributor", t) for t in item.translators],
        *([("DC.contributor", e) for e in edition.editors] if item.is_text else []),
        ("DC.type", "Text"),
        ("DC.language", item.lang),
        *([("DC.identifier", item.url)] if item.url else []),
    ]
    if item.is_text:
        tags.append(("DC.relation.isPartOf", edition.title))
        if item.title_en and item.title_en != item.title:
            tags.append(("DC.title.alternative", item.title_en))
        if item.original:
            tags.append(("DC.source", item.original))
    if edition.date_released:
        tags.append(("DC.date", edition.date_released))
    return tags
