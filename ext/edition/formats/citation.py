"""What a citation of the edition, a text, a paragraph or a note says.

Edition-wide facts (title, editors, version, release date, address) come from
one file, ``CITATION.cff`` (Citation File Format 1.2.0); a text's own facts
from its front matter, read generically (``title``, ``title_en``, ``author``,
``translator``, ``publication``, ``date``, ``lang``), so a new text needs no
code. The model (:class:`Item`) is formatted three ways: Chicago
notes-bibliography (a note form, with the ¶ or note number and permalink),
BibTeX and CSL-JSON; and as Highwire ``citation_*`` / Dublin Core tags for
Zotero. Pure functions: the Sphinx side is :mod:`edition.sphinxext.transforms.citing`.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..base.addresses import site_address
from ..base.errors import EditionError

CFF_FILE = "CITATION.cff"


@dataclass(frozen=True)
class Name:
    """A person's or an organisation's name: parts when CITATION.cff gives them, else whole."""

    family: str = ""
    given: str = ""
    literal: str = ""  # an organisation, or a name whose parts are not known

    @property
    def text(self) -> str:
        return self.literal or " ".join(p for p in (self.given, self.family) if p)

    def csl(self) -> dict:
        if self.literal:
            return {"literal": self.literal}
        return {k: v for k, v in (("family", self.family), ("given", self.given)) if v}


@dataclass(frozen=True)
class Edition:
    title: str
    editors: tuple[str, ...]
    version: str = ""
    date_released: str = ""  # YYYY-MM-DD, or ""
    url: str = ""  # where the HTML edition is published, or ""
    repository: str = ""
    abstract: str = ""
    editor_names: tuple[Name, ...] = ()  # the editors' names in parts (CSL, BibTeX); same order

    @property
    def names(self) -> tuple[Name, ...]:
        return self.editor_names if len(self.editor_names) == len(self.editors) else tuple(
            Name(literal=e) for e in self.editors)

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


#: Names that stand for nobody in particular ("The editors"): not names, so never cited as one.
_UNNAMED = re.compile(r"^(the )?(editors?|editorial (board|team)|authors?|anonymous|unknown)$", re.I)


def is_placeholder_name(name: str) -> bool:
    """True for a name that stands for nobody in particular, such as "The editors"."""
    return bool(_UNNAMED.match(name.strip()))


def build_date() -> str:
    """The build's date (YYYY-MM-DD): SOURCE_DATE_EPOCH (reproducible builds), else today."""
    try:
        epoch = int(os.environ.get("SOURCE_DATE_EPOCH", ""))
    except ValueError:
        epoch = 0
    return time.strftime("%Y-%m-%d", time.gmtime(epoch if epoch > 0 else None))


def _agent_name(agent: dict) -> str:
    return _agent(agent).text


def _agent(agent: dict) -> Name:
    """A CFF person (given-names, name-particle, family-names, name-suffix) or entity (name)."""
    if agent.get("name"):
        return Name(literal=str(agent["name"]))
    family = " ".join(str(agent[k]) for k in ("name-particle", "family-names") if agent.get(k))
    given = str(agent.get("given-names") or "")
    if agent.get("name-suffix"):
        family = f"{family}, {agent['name-suffix']}" if family else str(agent["name-suffix"])
    return Name(family=family, given=given) if family else Name(literal=given)


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
    if data.get("url"):
        # The address goes into every page's canonical link and every annotation id: one rule
        # for it wherever it is given (addresses.site_address), reported at its line here.
        try:
            site_address(data["url"], "url")
        except EditionError as exc:
            line = next((n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                         if text.startswith("url:")), None)
            raise EditionError(exc.message, str(path), line) from None
    # The edition's date: its release, failing that the build's (reproducible) date; never "n.d.".
    released = data.get("date-released") or build_date()
    named = tuple(
        n for n in (_agent(a) for a in data["authors"] if isinstance(a, dict))
        if n.text and not is_placeholder_name(n.text)
    )
    return Edition(
        title=str(data["title"]),
        editors=tuple(n.text for n in named),
        editor_names=named,
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
    original: str = ""  # where the text was first published, as the front matter says (free text)
    first_published: tuple[tuple[str, str], ...] = ()  # the same, structured ('original' in the front matter)
    subtitle: str = ""
    page: bool = False  # an apparatus page of the edition (glossary, register, search)
    unsigned: bool = False  # the author is an organisation and the piece bears no signature

    @property
    def is_text(self) -> bool:
        return bool(self.text_id)


#: Front-matter values that say a fact is unknown: they are not names.
_UNKNOWN = re.compile(r"^(not (named|stated|identified)|none|unknown|n/?a)\b", re.I)


#: A qualifier after a name saying the piece is unsigned ("ICL, unsigned article").
_UNSIGNED = re.compile(r",?\s*\(?unsigned( article| editorial| piece)?\)?\s*$", re.I)


def _names(value) -> tuple[str, ...]:
    """Names as the front matter gives them (persons or organisations), each one whole."""
    values = value if isinstance(value, list) else [value]
    names = []
    for v in values:
        name = _UNSIGNED.sub("", str(v or "")).strip()
        if name and not _UNKNOWN.match(name):
            names.append(name)
    return tuple(names)


def _unsigned(value) -> bool:
    values = value if isinstance(value, list) else [value]
    return any(_UNSIGNED.search(str(v or "")) for v in values)


def _known(value) -> str:
    return "" if not value or _UNKNOWN.match(str(value)) else str(value)


def text_item(edition: Edition, meta: dict, url: str) -> Item:
    return Item(
        edition=edition,
        title=str(meta.get("title") or meta.get("edition-text")),
        url=url,
        text_id=str(meta.get("edition-text", "")),
        title_en=str(meta.get("title_en") or ""),
        subtitle=str(meta.get("subtitle") or ""),
        authors=_names(meta.get("author")),
        unsigned=_unsigned(meta.get("author")),
        translators=_names(meta.get("translator")),
        lang=str(meta.get("lang") or "en"),
        original=_known(meta.get("publication")),
        first_published=_first_published(meta.get("original")),
    )


def _first_published(value) -> tuple[tuple[str, str], ...]:
    """The front matter's 'original' mapping (Sphinx keeps it as JSON text)."""
    if isinstance(value, str) and value.startswith("{"):
        try:
            value = json.loads(value)
        except ValueError:
            return ()
    if not isinstance(value, dict):
        return ()
    return tuple((str(k), str(v)) for k, v in value.items() if str(v).strip())


_SEASONS = {"spring": 1, "summer": 2, "autumn": 3, "fall": 3, "winter": 4}


def csl_date(value: str) -> dict:
    """A date as the front matter writes it ("1927-05-28", "Spring 2001", "1930") in CSL-JSON."""
    value = value.strip()
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        return {"date-parts": [[int(p) for p in value.split("-")]]}
    season = re.fullmatch(r"(?i)(spring|summer|autumn|fall|winter) (\d{4})", value)
    if season:
        return {"date-parts": [[int(season[2])]], "season": _SEASONS[season[1].lower()]}
    return {"literal": value}


def first_publication(item: Item, markup: bool = True) -> str:
    """Where the text first appeared, Chicago style: “Title,” *Periodical* (edition), no. 56 (Spring 2001).
    *…* marks italics (left out when *markup* is false)."""
    data = dict(item.first_published)
    if not data:
        return ""
    star = "*" if markup else ""
    container = data.get("container-title", "")
    where = f"{star}{container}{star}" if container else ""
    if data.get("edition"):
        where += f" ({data['edition']})"
    if data.get("volume"):
        where += f" {data['volume']}"
    if data.get("issue"):
        where += f"{',' if not data.get('volume') else ''} no. {data['issue']}"
    if data.get("date"):
        where += f" ({data['date']})"
    where = where.strip()
    if data.get("title"):
        title = f"“{data['title']},”" if where else f"“{data['title']}”"
        return f"originally published as {title} {where}".rstrip()
    return f"originally published in {where}"


def edition_item(edition: Edition, url: str) -> Item:
    return Item(edition=edition, title=edition.title, url=url)


def page_item(edition: Edition, title: str, url: str) -> Item:
    """One of the edition's own pages (a glossary letter, a register page, search): itself, part of the edition."""
    return Item(edition=edition, title=title or edition.title, url=url, page=True)


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


def full_title(item: Item) -> str:
    """Title and subtitle, joined by a colon (Chicago 8.163)."""
    if item.subtitle:
        return f"{item.title}{'' if item.title.endswith(('?', '!', ':')) else ':'} {item.subtitle}"
    return item.title


def _titled(item: Item) -> str:
    """The title, and its English translation in brackets when the front matter gives one."""
    if item.title_en and item.title_en != item.title:
        return f"{full_title(item)} {_bracketed(item.title_en)}"
    return full_title(item)


def _edition_date(edition: Edition) -> str:
    """"version 0.1, 2026" or "2026"; the date is always known (CITATION.cff or the build)."""
    return ", ".join(p for p in (edition.version and f"version {edition.version}", edition.year) if p)


def _editors(edition: Edition) -> str:
    return f", ed. {_join(edition.editors)}" if edition.editors else ""


def _quoted_title(item: Item) -> str:
    """The title in quotation marks; a title the editors supplied stays in its brackets, unquoted (CMOS 14.59)."""
    title = full_title(item)
    head = title if title.startswith("[") and title.endswith("]") else f"“{title}”"
    if item.title_en and item.title_en != item.title:
        head += f" {_bracketed(item.title_en)}"
    return head


def chicago(item: Item, locus: Locus | None = None) -> str:
    """A Chicago (17th ed.) note for a text of the edition, or for the edition.

    Text: Author, “Title: Subtitle,” [English title,] trans. X, originally published
    in …, in *Edition*, ed. Editors (version, year), ¶ N, URL. An organisation's
    unsigned piece names the organisation as author (CMOS 14.69); a text with no
    known author begins with its title; editors are named only if CITATION.cff
    names them. *…* marks italics.
    """
    edition = item.edition
    parts = []
    if item.is_text:
        # An organisation's unsigned piece: the organisation is the author (CMOS 14.69);
        # "unsigned" is not a name and Chicago does not print it.
        head = _quoted_title(item)
        if item.authors:
            head = f"{_join(item.authors)}, {head}"
        parts.append(head)
        if item.translators:
            parts.append(f"trans. {_join(item.translators)}")
        if item.first_published:
            parts.append(first_publication(item))
        elif item.original:
            parts.append(f"originally published in {item.original}")
        parts.append(f"in *{edition.title}*{_editors(edition)} ({_edition_date(edition)})")
    else:
        parts.append(f"*{edition.title}*{_editors(edition)} ({_edition_date(edition)})")
    if locus and locus.label:
        parts.append(locus.label)
    if item.url:
        parts.append(permalink(item, locus))
    return _punctuated(parts)


def _punctuated(parts: list[str]) -> str:
    """Parts joined by commas, ending with a period; a comma or period that follows a
    closing quotation mark goes inside it (CMOS 6.9), and none follows a title's own
    question or exclamation mark (6.119)."""
    out = ""
    for index, part in enumerate(parts):
        mark = "." if index == len(parts) - 1 else ","
        if part.endswith(("?”", "!”", "?", "!")):  # the title's own mark stands for it (CMOS 6.119)
            out += part
        elif part.endswith("”"):
            out += part[:-1] + mark + "”"
        else:
            out += part + mark
        if index < len(parts) - 1:
            out += " "
    return out


# --- BibTeX ---------------------------------------------------------------------------------

_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#", "$": r"\$", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _bib(value: str) -> str:
    return "".join(_BIBTEX_SPECIAL.get(c, c) for c in value)


def bibtex_key(item: Item, locus: Locus | None = None) -> str:
    key = item.text_id or "edition"
    if locus and locus.fragment:
        key += ":" + locus.fragment
    return re.sub(r"[^A-Za-z0-9:_-]", "-", key)


def bibtex_fields(item: Item, locus: Locus | None = None) -> dict[str, str | tuple]:
    """The fields of the BibTeX entry, as values (before escaping); names as tuples
    (of strings, each an unparsed whole, or of :class:`Name`)."""
    edition = item.edition
    fields: dict[str, str | tuple[str, ...]] = {}
    notes = []
    if item.is_text:
        fields["title"] = _titled(item)
        if item.authors:
            fields["author"] = item.authors
        if item.translators:
            fields["translator"] = item.translators
        fields["booktitle"] = edition.title
        if edition.editors:
            fields["editor"] = edition.names
        fields["language"] = item.lang
        if item.unsigned:
            notes.append("Unsigned")
        first = dict(item.first_published)
        if first.get("title"):
            fields["origtitle"] = first["title"]
        if first.get("language"):
            fields["origlanguage"] = first["language"]
        if re.match(r".*\b(\d{4})\b", first.get("date", "")):
            fields["origdate"] = re.search(r"\b(\d{4})\b", first["date"])[1]
        if first:
            published = first_publication(item, markup=False)
            notes.append(published[0].upper() + published[1:])
        elif item.original:
            notes.append(f"Originally published in {item.original}")
    else:
        fields["title"] = edition.title
        if edition.editors:
            fields["editor"] = edition.names
    if edition.year:
        fields["year"] = edition.year
    if edition.version:
        fields["version"] = edition.version
    if locus and locus.label:
        # A ¶ or note is not a page: BibTeX has no field for it, so it is said in words.
        notes.append(f"Cited at {locus.label}")
    if item.url:
        fields["url"] = permalink(item, locus)
    if notes:
        fields["note"] = ". ".join(notes)
    return fields


def _bibtex_name(name: str | Name) -> str:
    """"Family, Given" for a name in parts; anything else whole in braces: organisations
    (even with "and" or a comma in them) and names in other scripts are not for BibTeX
    to split."""
    if isinstance(name, Name) and not name.literal:
        return ", ".join(_bib(p) for p in (name.family, name.given) if p)
    return f"{{{_bib(name.text if isinstance(name, Name) else name)}}}"


def bibtex(item: Item, locus: Locus | None = None) -> str:
    kind = "incollection" if item.is_text else "book"
    fields = bibtex_fields(item, locus)
    lines = [f"@{kind}{{{bibtex_key(item, locus)},"]
    for name, value in fields.items():
        if isinstance(value, tuple):
            value = " and ".join(_bibtex_name(v) for v in value)
        elif name == "url":  # verbatim for the url package; braces would end the field
            value = value.replace("{", "%7B").replace("}", "%7D")
        elif name == "title" or name == "booktitle":
            value = f"{{{_bib(value)}}}"  # as written: styles must not lower-case it
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
        if edition.editors:
            data["editor"] = [n.csl() for n in edition.names]
        data["language"] = item.lang
        first = dict(item.first_published)
        if first.get("title"):
            data["original-title"] = first["title"]
        if first.get("date"):
            data["original-date"] = csl_date(first["date"])
        published = first_publication(item, markup=False) or (
            f"originally published in {item.original}" if item.original else "")
        notes = (["Unsigned"] if item.unsigned else []) + ([published[0].upper() + published[1:]] if published else [])
        if notes:
            data["note"] = ". ".join(notes)
    else:
        data["type"] = "book"
        data["title"] = edition.title
        if edition.editors:
            data["editor"] = [n.csl() for n in edition.names]
    if edition.version:
        data["version"] = edition.version
    if edition.date_released:
        data["issued"] = {"date-parts": [[int(p) for p in edition.date_released.split("-")]]}
    if locus and locus.label:
        # The locator belongs to a citation, not to the item; an item for one
        # ¶ or note says where in its note (its URL points there too).
        data["note"] = ". ".join(p for p in (data.get("note"), f"Cited at {locus.label}") if p)
    return data


def csl_citation(item: Item, locus: Locus | None = None) -> dict:
    """A CSL citation (the citeproc-js form): the item, and where in it as CSL ``locator``
    and ``label`` ("paragraph", "note"). An item cannot say this (csl-data has no label)."""
    data = csl_json(item)
    cite: dict = {"id": data["id"], "itemData": data}
    if locus and locus.note is not None:
        cite.update(locator=str(locus.note), label="note")
    elif locus and locus.paragraph is not None:
        cite.update(locator=str(locus.paragraph), label="paragraph")
    return {"citationItems": [cite], "properties": {"noteIndex": 0}}


# --- tags for Zotero and other readers -------------------------------------------------------


def meta_tags(item: Item) -> list[tuple[str, str]]:
    """(name, content) of the Highwire ``citation_*`` and Dublin Core tags for the item's page.

    Google Scholar needs a title and a date on every page it indexes (and an
    author where one is known: none is invented for an unsigned or unknown text);
    Zotero reads the same tags. An apparatus page describes itself, as part of
    the edition, never as the edition."""
    edition = item.edition
    title = full_title(item)
    tags: list[tuple[str, str]] = [("citation_title", title)]
    if item.is_text:
        tags += [("citation_author", a) for a in item.authors]
        tags += [("citation_editor", e) for e in edition.editors]
        tags.append(("citation_inbook_title", edition.title))
        tags.append(("citation_book_title", edition.title))
        tags.append(("citation_language", item.lang))
    elif item.page:
        tags += [("citation_author", e) for e in edition.editors]
        tags.append(("citation_inbook_title", edition.title))
        tags.append(("citation_language", item.lang))
    else:
        tags += [("citation_author", e) for e in edition.editors]
    if edition.date_released:
        tags.append(("citation_publication_date", edition.date_released.replace("-", "/")))
    if item.url:  # only an absolute address: a relative one would name another page elsewhere
        tags.append(("citation_public_url", item.url))
    tags += [
        ("DC.title", title),
        *[("DC.creator", a) for a in (item.authors if item.is_text else edition.editors)],
        *[("DC.contributor", t) for t in item.translators],
        *([("DC.contributor", e) for e in edition.editors] if item.is_text else []),
        ("DC.type", "Text"),
        ("DC.language", item.lang),
        *([("DC.identifier", item.url)] if item.url else []),
    ]
    if item.is_text or item.page:
        tags.append(("DC.relation.isPartOf", edition.title))
    if item.is_text:
        if item.title_en and item.title_en != item.title:
            tags.append(("DC.title.alternative", item.title_en))
        if item.original:
            tags.append(("DC.source", item.original))
    if edition.date_released:
        tags.append(("DC.date", edition.date_released))
    return tags
