"""The stand-off notes as a validated, typed model with source locations.

``annotations/notes/<text-id>.yaml`` → :class:`NotesFile` of :class:`Note`.
Loading never raises on bad input: it returns what it could read together
with :class:`~edition.base.errors.Diagnostic` findings, so that one run reports
every problem, each with its file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..anchoring.text_quotes import Anchor
from ..base.errors import Diagnostic, EditionError
from ..base.markup import check_markup, roles_in
from ..intake.gate import load as load_annotation_file
from ..intake.validation import validate_schema
from ..intake.yamlsource import LineDict, text_line

@dataclass(frozen=True)
class NoteKind:
    """What a kind of note is called wherever it shows."""

    label: str | None  # before the note's text in every output ("Translation note."); None: no label
    marker: str  # how an e-reader's screen reader names the note's marker ("Translation note 3")
    motivation: str  # the W3C Web Annotation motivation it is exported as (and read back from)


#: The kinds of note, in the order contributors are offered them (the notes
#: schema's ``kind`` enum lists the same; tests/test_package_layers.py holds them to it).
NOTE_KINDS: dict[str, NoteKind] = {
    "editorial": NoteKind(None, "Note", "commenting"),
    "translation": NoteKind("Translation note.", "Translation note", "describing"),
    "sic": NoteKind("Sic.", "Sic note", "assessing"),
    "source": NoteKind("Source.", "Source note", "identifying"),
}

#: The first line of a notes file: editors that read it check the file as it is typed.
NOTES_SCHEMA_LINE = "# yaml-language-server: $schema=../../ext/edition/schemas/notes.schema.json"


def notes_file_start(text_id: str) -> str:
    """A new notes file on *text_id*, up to its list of notes (``edition import``
    writes ``notes: []``, ``edition import-annotations`` the notes it brings)."""
    return (f"{NOTES_SCHEMA_LINE}\n"
            f"# Editorial notes on the text '{text_id}'. How to add one: CONTRIBUTING.md.\n"
            f"text: {text_id}\nnotes:")


#: The body the "Suggest a note" form writes for the contributor to replace
#: (``static/edition-select.js``); sent as it is, it is no note.
PLACEHOLDER_BODY = "Write the note here, in English."


@dataclass(frozen=True)
class Note:
    id: str
    text_id: str
    kind: str
    anchor: Anchor
    body: str
    sources: tuple[str, ...]
    contributor: str | None
    path: str
    line: int  # the note's first line
    anchor_line: int  # the line of `exact:`
    body_line: int = 0  # the first line of the body's text
    #: (role name, content, file line) of each role in the body and the
    #: sources, found once when the file is loaded (and cached with it).
    roles: tuple[tuple[str, str, int], ...] = ()
    #: The address of the annotation the note was imported from, if it was.
    provenance: str | None = None


@dataclass(frozen=True)
class NotesFile:
    path: str
    text_id: str
    notes: tuple[Note, ...]


def markup_findings(container, key, path: str, label: str) -> tuple[list[Diagnostic], list[tuple[str, str, int]]]:
    """The markup problems and the roles of the text at *container[key]*
    (a mapping's value or a list's item), each at its file line."""
    text = container[key]
    problems = [
        Diagnostic(path, text_line(container, key, p.line_offset, p.column), f"{label}: {p.message}")
        for p in check_markup(text)
    ]
    roles = [
        (name, content, text_line(container, key, offset, column)) for name, content, offset, column in roles_in(text)
    ]
    return problems, roles


def _note_from(entry: LineDict, text_id: str, path: str) -> tuple[Note, list[Diagnostic]]:
    diagnostics, roles = markup_findings(entry, "body", path, "body")
    if " ".join(entry["body"].split()) == PLACEHOLDER_BODY:
        diagnostics.append(Diagnostic(path, text_line(entry, "body", 0), f"note '{entry['id']}': the body is "
                                      f"still the form's placeholder ({PLACEHOLDER_BODY!r}); write the note"))
    sources = entry.get("sources", [])
    for index in range(len(sources)):
        problems, found = markup_findings(sources, index, path, "sources")
        diagnostics += problems
        roles += found
    anchor = entry["anchor"]
    note = Note(
        id=entry["id"],
        text_id=text_id,
        kind=entry["kind"],
        anchor=Anchor(anchor["exact"], anchor.get("prefix"), anchor.get("suffix"), anchor.get("paragraph")),
        body=entry["body"],
        sources=tuple(sources),
        contributor=entry.get("contributor"),
        path=path,
        line=entry.line,
        anchor_line=anchor.key_lines["exact"],
        body_line=text_line(entry, "body", 0),
        roles=tuple(roles),
        provenance=entry.get("provenance"),
    )
    return note, diagnostics


def load_notes_file(path: Path, content: bytes | None = None) -> tuple[NotesFile | None, list[Diagnostic]]:
    """Read and validate one notes file (schema, markup); anchors are checked elsewhere.

    *content* is the file's bytes when the caller has read them already."""
    spath = str(path)
    try:
        data = load_annotation_file(path, content)
    except EditionError as exc:
        return None, [Diagnostic.from_error(exc)]
    if data is None:
        return None, [Diagnostic(spath, 1, "the file is empty; it needs 'text:' and 'notes:'")]
    diagnostics = validate_schema(data, "notes", spath)
    if diagnostics:
        return None, diagnostics
    text_id = data["text"]
    if path.stem != text_id:
        diagnostics.append(
            Diagnostic(spath, data.key_lines["text"], f"notes on '{text_id}' belong in {text_id}.yaml; rename the file")
        )
    notes = []
    for entry in data["notes"]:
        note, found = _note_from(entry, text_id, spath)
        notes.append(note)
        diagnostics += found
    return NotesFile(spath, text_id, tuple(notes)), diagnostics
