"""The registers (glossary, persons, works) as this build reads them.

Loaded once per version of the three files and per process (check_annotations
loads them before reading, so parallel workers, forked later, inherit them),
from the parsed-files cache; every stage reads them: the linker, the register
pages, the domain, the indices.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from ...anchoring.lexicon import Lexicon
from ...base.errors import Diagnostic
from ...base.markup import render_inline
from ...intake.gate import REGISTER_FILES
from ...model.glossary import GlossaryEntry, load_glossary
from ...model.registers import Person, Work, bibliographic_line, load_persons, load_works
from .parsed_files import PARSED

__all__ = ["REGISTER_FILES", "LinkTarget", "Registry", "annotation_path", "glossary_entries", "glossary_path",
           "link_targets", "load_registry", "registers"]


@dataclass(frozen=True)
class LinkTarget:
    """What the linker needs to know about one entry of any registry."""

    key: str  # "term:nep"
    title: str  # "NEP (New Economic Policy)"
    short: str  # one line, plain text
    index_entry: str | None  # "NEP" in the general index; persons and works have their own indices
    domain: str
    reftype: str
    target: str

    @cached_property  # once per entry, not once per link made (frozen: kept in __dict__)
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9-]", "-", self.key)

    @property
    def definition_id(self) -> str:
        return f"def-{self.slug}"


def glossary_target(entry: GlossaryEntry) -> LinkTarget:
    short = "".join(n.astext() for n in render_inline(entry.short))
    return LinkTarget(entry.key, entry.title, short, entry.headword, "std", "term", entry.id)


def person_target(person: Person) -> LinkTarget:
    return LinkTarget(person.key, person.title, person.identification, None, "edition", "person", person.id)


def work_target(work: Work, persons: dict[str, Person]) -> LinkTarget:
    return LinkTarget(work.key, work.title_with_year, bibliographic_line(work, persons), None,
                      "edition", "work", work.id)


def annotation_path(config, *parts: str) -> Path:
    """A path in the annotations folder (``edition_annotations_dir``)."""
    return Path(config.edition_annotations_dir, *parts)


def glossary_path(config) -> Path:
    return annotation_path(config, "glossary.yaml")




@dataclass(frozen=True)
class Registry:
    glossary: tuple[GlossaryEntry, ...]
    persons: dict[str, Person]
    works: dict[str, Work]
    targets: dict[str, LinkTarget]
    lexicon: Lexicon
    diagnostics: tuple[Diagnostic, ...]  # of the three files, as loaded
    #: text id -> the works' stand-off citations in it, in works.yaml order: each text
    #: looks up its own, rather than walking every citation of every text.
    citations_by_text: dict[str, tuple] = field(default_factory=dict)


@lru_cache(maxsize=4)  # the last versions of the files: a long-lived process does not keep every one
def _load_registry(stamps: tuple[tuple[str, int, int], ...]) -> Registry:
    """Loaded once per version of the files and per process: check_annotations
    loads it before reading, so parallel workers, forked later, inherit it.
    A file with errors contributes nothing: check_annotations reports the
    errors and fails the build."""
    paths = {Path(path).name: Path(path) for path, *_ in stamps}
    found: list[Diagnostic] = []

    def load(name, loader, *args):
        if name not in paths:
            return [], []
        entries, diagnostics = PARSED.load(paths[name], loader, *args)
        found.extend(diagnostics)
        return entries, diagnostics

    def ok(loaded):
        entries, diagnostics = loaded
        return [] if any(d.severity == "error" for d in diagnostics) else entries

    glossary = ok(load("glossary.yaml", load_glossary))
    all_persons, person_diagnostics = load("persons.yaml", load_persons)
    persons = ok((all_persons, person_diagnostics))
    # Works are checked against every person entry, so an error in one person
    # is reported once, not again for each of that person's works.
    works = ok(load("works.yaml", load_works, {p.id for p in all_persons}))
    by_person = {p.id: p for p in persons}
    targets = {e.key: glossary_target(e) for e in glossary}
    targets.update({p.key: person_target(p) for p in persons})
    targets.update({w.key: work_target(w, by_person) for w in works})
    lexicon = Lexicon(f for entry in (*glossary, *persons, *works) for f in entry.lexicon_forms())
    citations: dict[str, list] = {}
    for work in works:
        for citation in work.cited_at:
            citations.setdefault(citation.text_id, []).append(citation)
    return Registry(tuple(glossary), by_person, {w.id: w for w in works}, targets, lexicon, tuple(found),
                    {text_id: tuple(found_in) for text_id, found_in in citations.items()})


def load_registry(config) -> Registry:
    # Asked for at every cross-reference resolved (tens of thousands a build): plain
    # strings and one lstat a file, not paths (pathlib was 5% of a build here).
    stamps = []
    for name in REGISTER_FILES:
        path = os.path.join(config.edition_annotations_dir, name)
        try:
            stat = os.lstat(path)  # the intake refuses links, dangling or not
        except OSError:
            continue
        stamps.append((path, stat.st_mtime_ns, stat.st_size))
    return _load_registry(tuple(stamps))


def glossary_entries(config) -> tuple[GlossaryEntry, ...]:
    return load_registry(config).glossary


def registers(config) -> tuple[dict[str, Person], dict[str, Work]]:
    registry_ = load_registry(config)
    return registry_.persons, registry_.works


def link_targets(config) -> dict[str, LinkTarget]:
    """Every linkable entry, by key ("term:nep")."""
    return load_registry(config).targets
