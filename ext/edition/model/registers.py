"""The registers of persons and works (annotations/persons.yaml, works.yaml)
as validated, typed models, with the {person} and {work} roles of note bodies."""

from __future__ import annotations

import re

from dataclasses import dataclass, field
from pathlib import Path

from ..anchoring.lexicon import Form
from ..anchoring.work_citations import Anchor, CitedAt
from ..base.errors import Diagnostic, did_you_mean
from .annotations import markup_findings
from .entries import EntryChecks, load_entries_file
from .glossary import lookalike_warnings


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    sort_name: str
    born: int | None
    died: int | None
    forms: dict[str, tuple[str, ...]]
    identification: str
    path: str
    line: int
    form_lines: dict = field(default_factory=dict, compare=False, hash=False)
    #: Where the entry's facts were checked (Markdown, as a note's sources).
    sources: tuple[str, ...] = ()
    identification_line: int = 0

    @property
    def key(self) -> str:
        return f"person:{self.id}"

    @property
    def anchor(self) -> str:
        return f"person-{self.id}"

    @property
    def dates(self) -> str:
        if self.born is None and self.died is None:
            return ""
        return f"{self.born or '?'}–{self.died or ''}".rstrip("–") if self.died else f"b. {self.born}"

    @property
    def title(self) -> str:
        return f"{self.name} ({self.dates})" if self.dates else self.name

    @property
    def display_name(self) -> str:
        """What a {person} role without text of its own shows."""
        return self.name

    def lexicon_forms(self) -> list[Form]:
        return [Form(self.key, text, lang) for lang, texts in self.forms.items() for text in texts]


@dataclass(frozen=True)
class Work:
    id: str
    author: str | None
    title: str
    title_lang: str | None
    title_en: str
    cited_as: dict[str, tuple[str, ...]]
    date: str | None
    collection: str | None
    url: str | None
    path: str
    line: int
    form_lines: dict = field(default_factory=dict, compare=False, hash=False)
    #: Citations anchored stand-off (:mod:`.work_citations`).
    cited_at: tuple[CitedAt, ...] = ()
    #: Where the entry's facts were checked (Markdown, as a note's sources).
    sources: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"work:{self.id}"

    @property
    def anchor(self) -> str:
        return f"work-{self.id}"

    @property
    def display_name(self) -> str:
        """What a {work} role without text of its own shows: the English title."""
        return self.title_en

    @property
    def year(self) -> str:
        """The year, or "" when the date is not known (never a placeholder such as "n.d.")."""
        return self.date[:4] if self.date else ""

    @property
    def title_with_year(self) -> str:
        return f"{self.title_en} ({self.year})" if self.year else self.title_en

    def lexicon_forms(self) -> list[Form]:
        return [Form(self.key, text, lang) for lang, titles in self.cited_as.items() for text in titles]


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def readable_date(date: str) -> str:
    """"1927-05-28" → "28 May 1927", "1927-05" → "May 1927"; anything else as written."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", date.strip())
    if not match or (match[2] and not 1 <= int(match[2]) <= 12):
        return date
    year, month, day = match.groups()
    parts = ([str(int(day))] if day else []) + ([_MONTHS[int(month) - 1]] if month else []) + [year]
    return " ".join(parts)


def bibliographic_line(work: Work, persons: dict[str, Person], with_original: bool = True) -> str:
    """Author, English title (original title), date; collection. The original title only
    where the English one does not already give it (and not at all where the caller shows
    it on a line of its own); no date where none is known."""
    author = persons[work.author].name + ", " if work.author in persons else ""
    original = f" ({work.title})" if with_original and work.title not in work.title_en else ""
    date = f", {readable_date(work.date)}" if work.date else ""
    collection = f"; {work.collection}" if work.collection else ""
    return f"{author}{work.title_en}{original}{date}{collection}."


def _sources_problems(raw, path: str, entry_id: str) -> list[Diagnostic]:
    """The markup problems of an entry's sources, each at its line."""
    sources, found = raw.get("sources", []), []
    for index in range(len(sources)):
        found += markup_findings(sources, index, path, f"'{entry_id}' sources")[0]
    return found


def load_persons(path: Path) -> tuple[list[Person], list[Diagnostic]]:
    data, diagnostics = load_entries_file(path, "persons", "persons")
    if data is None:
        return [], diagnostics
    checks, persons, spath = EntryChecks(path, "person"), [], str(path)
    for raw in data["persons"]:
        if not checks.new_id(raw):
            continue
        forms, lines = checks.forms(raw["forms"], raw["id"])
        diagnostics += lookalike_warnings(forms, spath, lines)
        if raw.get("born") and raw.get("died") and raw["died"] < raw["born"]:
            diagnostics.append(Diagnostic(spath, raw.key_lines["died"], f"'{raw['id']}' died before being born"))
        diagnostics += _sources_problems(raw, spath, raw["id"])
        persons.append(Person(raw["id"], raw["name"], raw["sort_name"], raw.get("born"), raw.get("died"), forms,
                              raw["identification"], spath, raw.line, lines, tuple(raw.get("sources", ())),
                              raw.key_lines["identification"]))
    return persons, diagnostics + checks.diagnostics


def load_works(path: Path, person_ids: set[str]) -> tuple[list[Work], list[Diagnostic]]:
    data, diagnostics = load_entries_file(path, "works", "works")
    if data is None:
        return [], diagnostics
    checks, works, spath = EntryChecks(path, "work"), [], str(path)
    for raw in data["works"]:
        if not checks.new_id(raw):
            continue
        if raw["author"] is not None and raw["author"] not in person_ids:
            hint = did_you_mean(raw["author"], person_ids)
            diagnostics.append(Diagnostic(spath, raw.key_lines["author"], f"author '{raw['author']}' of '{raw['id']}' "
                                          f"is not a known person{hint}{' Otherwise' if hint else ';'} add them to persons.yaml or use "
                                          "their id"))
        cited, lines = checks.forms(raw["cited_as"], raw["id"])
        cited_at = tuple(
            CitedAt(raw["id"], item["text"], Anchor(item["exact"], item.get("prefix"), item.get("suffix"),
                                                    item.get("paragraph")), spath, item.key_lines["exact"])
            for item in raw.get("cited_at", ())
        )
        works.append(Work(raw["id"], raw["author"], raw["title"], raw.get("title_lang"), raw["title_en"], cited,
                          raw.get("date"), raw.get("collection"), raw.get("url"), spath, raw.line, lines,
                          cited_at, tuple(raw.get("sources", ()))))
        diagnostics += _sources_problems(raw, spath, raw["id"])
    return works, diagnostics + checks.diagnostics
