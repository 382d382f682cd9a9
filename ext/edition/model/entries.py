"""What the glossary and the registers share: loading an entries file, and
checking ids and forms across its entries (each with file and line)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..anchoring.formrules import REASON_KEY, form_problem
from ..base.errors import Diagnostic, EditionError
from ..intake.gate import load as load_annotation_file
from ..intake.validation import validate_schema
from ..intake.yamlsource import LineDict


def load_entries_file(path: Path, schema: str, top_key: str) -> tuple[Any | None, list[Diagnostic]]:
    """The validated data of *path*, or None with the reasons; nothing if it is absent."""
    if not os.path.lexists(path):  # a dangling symbolic link is not "absent": the intake refuses it
        return None, []
    try:
        data = load_annotation_file(path)
    except EditionError as exc:
        return None, [Diagnostic.from_error(exc)]
    if data is None:
        return None, [Diagnostic(str(path), 1, f"the file is empty; it needs '{top_key}:'")]
    diagnostics = validate_schema(data, schema, str(path))
    return (None if diagnostics else data), diagnostics


class EntryChecks:
    """Ids and forms seen so far in one file: duplicates become diagnostics."""

    def __init__(self, path: Path, kind: str):
        self.path, self.kind = str(path), kind
        self.ids: dict[str, int] = {}
        self.owners: dict[tuple[str, str], tuple[str, int]] = {}
        self.diagnostics: list[Diagnostic] = []
        self.reason: str | None = None  # the current entry's REASON_KEY, see forms()

    def new_id(self, raw: LineDict) -> bool:
        """Record the entry's id; False (and a diagnostic) if it was already used."""
        entry_id, line = raw["id"], raw.key_lines["id"]
        self.reason = raw.get(REASON_KEY)
        if entry_id in self.ids:
            self.diagnostics.append(
                Diagnostic(self.path, line, f"duplicate {self.kind} id '{entry_id}' (first on line "
                           f"{self.ids[entry_id]}); ids must be unique")
            )
            return False
        self.ids[entry_id] = line
        return True

    def forms(self, raw_forms: LineDict, entry_id: str) -> tuple[dict[str, tuple[str, ...]], dict]:
        """The entry's forms per language, each at most once and owned by one
        entry, none that would link everywhere (:mod:`.formrules`; the entry's
        reason for allowing such forms was recorded by :meth:`new_id`)."""
        forms, lines = {}, {}
        for lang, items in raw_forms.items():
            kept: list[str] = []
            for index, form in enumerate(items):
                line = items.item_lines[index]
                lines[(lang, form)] = line
                problem = form_problem(form, lang, self.reason)
                if problem:
                    self.diagnostics.append(Diagnostic(self.path, line, f"'{entry_id}': {problem}"))
                    continue
                if form in kept:
                    self.diagnostics.append(
                        Diagnostic(self.path, line, f"{form!r} is listed twice in '{entry_id}'; remove one"))
                    continue
                owner = self.owners.get((lang, form))
                if owner:
                    self.diagnostics.append(
                        Diagnostic(self.path, line, f"{form!r} ({lang}) of '{entry_id}' is already claimed by "
                                   f"{self.kind} '{owner[0]}' (line {owner[1]}); a form can name only one entry")
                    )
                    continue
                self.owners[(lang, form)] = (entry_id, line)
                kept.append(form)
            forms[lang] = tuple(kept)
        return forms, lines
