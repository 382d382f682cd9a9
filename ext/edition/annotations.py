"""The stand-off notes as a validated, typed model with source locations.

``annotations/notes/<text-id>.yaml`` → :class:`NotesFile` of :class:`Note`.
Loading never raises on bad input: it returns what it could read together
with :class:`~edition.errors.Diagnostic` findings, so that one run reports
every problem, each with its file and line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from .anchoring import Anchor
from .errors import Diagnostic, EditionError
from .markup import check_markup, roles_in
from .intake import load as load_annotation_file
from .yamlsource import LineDict, line_of, text_start_line

SCHEMAS = Path(__file__).parent / "schemas"
NOTE_KINDS = ("editorial", "translation", "sic", "source")


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
    #: (role name, content, line offset in the body) of each role in the body,
    #: found once when the file is loaded (and cached with it).
    roles: tuple[tuple[str, str, int], ...] = ()


@dataclass(frozen=True)
class NotesFile:
    path: str
    text_id: str
    notes: tuple[Note, ...]


@cache
def schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


@cache
def _validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema(name))


def _schema_message(error: jsonschema.ValidationError) -> str:
    """A contributor-readable sentence for a schema violation."""
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".")
    where = f"{where}: " if where else ""
    validator, value = error.validator, error.validator_value
    field = error.absolute_path[-1] if error.absolute_path else None
    if field == "date" and validator in ("pattern", "type", "anyOf"):
        return f"{where}{error.instance!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 1928-05-23)"
    if field == "url" and validator in ("anyOf", "pattern", "type"):
        return f"{where}{str(error.instance)[:60]!r} is not a web address; write a full http(s):// URL, or null"
    if field == "author" and validator == "anyOf":
        return f"{where}{error.instance!r} is not a person id; use an id from persons.yaml, or null"
    if validator == "additionalProperties":
        allowed = ", ".join(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return f"{where}unknown key {', '.join(map(repr, extra))}; allowed keys: {allowed}"
    if validator == "required":
        missing = [k for k in value if k not in error.instance]
        return f"{where}missing required key {', '.join(map(repr, missing))}"
    if validator == "type":
        got = type(error.instance).__name__.replace("str", "text").replace("LineDict", "mapping")
        got = got.replace("LineList", "list").replace("int", "number").replace("NoneType", "nothing")
        want = value if isinstance(value, str) else " or ".join(value)
        want = {"string": "text", "integer": "a whole number", "object": "a mapping", "array": "a list"}.get(want, want)
        return f"{where}must be {want}, not {got}"
    if validator == "enum":
        return f"{where}{error.instance!r} is not allowed; use one of: {', '.join(value)}"
    if validator == "pattern":
        return (
            f"{where}{str(error.instance)[:60]!r} is not a valid id; use lower-case letters, digits "
            "and single hyphens (e.g. lenin-levy-1924)"
        )
    if validator == "maxLength":
        return f"{where}is {len(error.instance)} characters long; the limit is {value}: shorten it or split it"
    if validator == "minLength":
        return f"{where}is empty; write it or remove the key"
    if validator == "minItems":
        return f"{where}must not be empty; list at least {value}"
    if validator == "minProperties":
        return f"{where}must not be empty"
    if validator == "minimum":
        return f"{where}must be at least {value}"
    return f"{where}{error.message[:200]}"


def validate_schema(data: Any, name: str, path: str) -> list[Diagnostic]:
    validator = _validator(name)
    found = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        where = list(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            # Point at the first unknown key, not at the entry it sits in.
            extra = [k for k in error.instance if k not in error.schema.get("properties", {})]
            where += extra[:1]
        found.append(Diagnostic(path, line_of(data, where), _schema_message(error)))
    return found


def _note_from(entry: LineDict, text_id: str, path: str) -> tuple[Note, list[Diagnostic]]:
    diagnostics = []
    body_line = text_start_line(entry, "body")
    for problem in check_markup(entry["body"]):
        diagnostics.append(Diagnostic(path, body_line + problem.line_offset, f"body: {problem.message}"))
    sources = entry.get("sources", [])
    for index, source in enumerate(sources):
        for problem in check_markup(source):
            diagnostics.append(Diagnostic(path, sources.item_lines[index], f"sources: {problem.message}"))
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
        body_line=body_line,
        roles=tuple(roles_in(entry["body"])),
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
