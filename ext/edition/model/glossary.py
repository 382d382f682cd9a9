"""The glossary (annotations/glossary.yaml) as a validated, typed model."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..anchoring.lexicon import Form
from ..base.errors import Diagnostic, did_you_mean
from .annotations import markup_findings
from .entries import EntryChecks, load_entries_file



@dataclass(frozen=True)
class GlossaryEntry:
    id: str
    headword: str
    expansion: str | None
    forms: dict[str, tuple[str, ...]]
    definition: str
    short: str
    sources: tuple[str, ...]
    related: tuple[str, ...]
    path: str
    line: int
    form_lines: dict = field(default_factory=dict, compare=False, hash=False)
    related_lines: tuple[int, ...] = ()
    #: (role name, content, file line) of each role in the definition, short and sources.
    roles: tuple[tuple[str, str, int], ...] = ()

    @property
    def key(self) -> str:
        return f"term:{self.id}"

    @property
    def anchor(self) -> str:
        return f"gloss-{self.id}"

    @property
    def title(self) -> str:
        return f"{self.headword} ({self.expansion})" if self.expansion else self.headword

    def lexicon_forms(self) -> list[Form]:
        # The English headword is a form too, listed or not.
        english = dict.fromkeys((*self.forms.get("en", ()), self.headword))
        forms = [Form(self.key, text, "en") for text in english]
        return forms + [Form(self.key, text, lang) for lang, texts in self.forms.items() if lang != "en" for text in texts]


def first_sentence(text: str) -> str:
    """The first sentence of plain-ish *text*, for popovers."""
    flat = re.sub(r"\s+", " ", text).strip()
    match = re.match(r"(.+?[.!?])(?:\s|$)", flat)
    return match.group(1) if match else flat


def _scripts(word: str) -> set[str]:
    scripts = set()
    for char in word:
        if char.isalpha():
            name = unicodedata.name(char, "")
            scripts.add(name.split(" ")[0])
    return scripts & {"LATIN", "CYRILLIC", "GREEK"}


def lookalike_warnings(entry_forms: dict, path: str, lines: dict) -> list[Diagnostic]:
    """A word mixing Latin and Cyrillic letters is almost always a typing slip
    (Latin "o" in "оппозиция"): it would never match the text."""
    found = []
    for lang, forms in entry_forms.items():
        for form in forms:
            for word in form.split():
                if len(_scripts(word)) > 1:
                    found.append(
                        Diagnostic(
                            path, lines.get((lang, form)),
                            f"form {form!r} mixes Latin and Cyrillic letters in {word!r}; retype it "
                            "in one script (look-alike letters never match the text)",
                            "warning",
                        )
                    )
    return found


def load_glossary(path: Path) -> tuple[list[GlossaryEntry], list[Diagnostic]]:
    spath = str(path)
    data, diagnostics = load_entries_file(path, "glossary", "entries")
    if data is None:
        return [], diagnostics
    checks = EntryChecks(path, "term")
    entries: list[GlossaryEntry] = []
    for raw in data["entries"]:
        if not checks.new_id(raw):
            continue
        entry_id = raw["id"]
        forms, form_lines = checks.forms(raw["forms"], entry_id)
        diagnostics += lookalike_warnings(forms, spath, form_lines)
        roles: list[tuple[str, str, int]] = []
        for key in ("definition", "short"):
            if key in raw:
                problems, found = markup_findings(raw, key, spath, key)
                diagnostics += problems
                roles += found
        sources = raw.get("sources", [])
        for index in range(len(sources)):
            problems, found = markup_findings(sources, index, spath, "sources")
            diagnostics += problems
            roles += found
        related = raw.get("related", [])
        entries.append(
            GlossaryEntry(
                id=entry_id,
                headword=raw["headword"],
                expansion=raw.get("expansion"),
                forms=forms,
                definition=raw["definition"],
                short=raw.get("short") or first_sentence(raw["definition"]),
                sources=tuple(sources),
                related=tuple(raw.get("related", [])),
                path=spath,
                line=raw.line,
                form_lines=form_lines,
                related_lines=tuple(related.item_lines) if related else (),
                roles=tuple(roles),
            )
        )

    diagnostics += checks.diagnostics
    ids = {e.id for e in entries}
    for entry in entries:
        for index, other in enumerate(entry.related):
            if other not in ids:
                diagnostics.append(
                    Diagnostic(spath, entry.related_lines[index],
                               f"related entry '{other}' of '{entry.id}' does not exist"
                               f"{did_you_mean(other, ids) or ';'} use an id from this file")
                )
            elif other == entry.id:
                diagnostics.append(
                    Diagnostic(spath, entry.related_lines[index], f"'{entry.id}' lists itself as related")
                )
    return entries, diagnostics

