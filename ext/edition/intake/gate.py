"""The intake gate: every annotation file passes here before it is parsed.

Pull requests come from strangers and from hurried editors, so nothing about
``annotations/`` is taken on trust. :func:`survey` lists the folder and
reports every name that is not an annotation file (a ``.yml``, a ``.YAML``,
a trailing space, a subfolder, a symbolic link), so that nothing is silently
left out. :func:`load` reads one file, only if it is a regular file within
the size cap (checked before reading), decodes it strictly as UTF-8, refuses
invisible and control characters in the raw text, parses it
(:mod:`.yamlsource`) and refuses the same characters again in every decoded
value (a YAML escape such as ``"\\u202e"`` can write what the raw check
cannot see).

``edition check`` and the Sphinx build both go through here, so they report
the same errors at the same file and line.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..base.errors import Diagnostic, EditionError
from .yamlsource import parse_yaml

#: The size cap of one annotation file. The largest real file is about 60 kB
#: and the benchmark's 1,000-entry glossary about 1 MB; a 50 MB file took
#: over a minute to check. ``EDITION_MAX_FILE_BYTES`` overrides it (for the
#: check and the build alike; ``edition check --max-file-bytes`` sets it).
DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_FILE_BYTES_ENV = "EDITION_MAX_FILE_BYTES"

REGISTER_FILES = ("glossary.yaml", "persons.yaml", "works.yaml")
NOTES_FOLDER = "notes"
#: The id of a text, a note or a register entry: runs of lower-case letters and digits
#: joined by single hyphens (the schemas' ``pattern`` says the same: tests/test_package_layers.py).
ID_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
#: A notes file is ``<text-id>.yaml``: the text id's own pattern, lower-case ``.yaml``.
NOTES_FILE_NAME = re.compile(rf"\A{ID_PATTERN}\.yaml\Z")


def is_id(value: object) -> bool:
    """Whether *value* is an id (:data:`ID_PATTERN`), whole: no line end after it."""
    return isinstance(value, str) and re.fullmatch(ID_PATTERN, value) is not None

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
#: Never allowed in an annotation file, raw or decoded: C0 and C1 controls
#: (tab and newline aside), DEL, lone surrogates, noncharacters, the bidi
#: embedding, override and isolate controls (they reorder what a reviewer
#: sees), and the separators YAML counts as line breaks but editors do not.
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # \r apart: see below
_INVISIBLE = "\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff" + _NONCHARACTERS
UNSAFE_CHARACTER = re.compile(f"[\r{_CONTROLS}{_INVISIBLE}]")
#: In the raw file a carriage return may end a line (CRLF), nowhere else.
_UNSAFE_RAW = re.compile(f"\r(?!\n)|[{_CONTROLS}{_INVISIBLE}]")


def max_file_bytes() -> int:
    value = os.environ.get(MAX_FILE_BYTES_ENV, "").strip()
    if not value:
        return DEFAULT_MAX_FILE_BYTES
    if not value.isascii() or not value.isdigit() or int(value) < 1:
        raise EditionError(f"{MAX_FILE_BYTES_ENV}={value!r} must be a positive whole number of bytes")
    return int(value)


def describe(char: str) -> str:
    """``U+202E (RIGHT-TO-LEFT OVERRIDE)``: a character named, never printed."""
    kind = {"Cc": "a control character", "Cs": "a lone surrogate"}.get(unicodedata.category(char), "a noncharacter")
    name = unicodedata.name(char, "") or {0x85: "NEXT LINE"}.get(ord(char), kind)
    return f"U+{ord(char):04X} ({name})"


def _character_message(char: str, where: str) -> str:
    return (
        f"{where} {describe(char)}; control, bidi and other invisible characters are not allowed in "
        "annotation files (they can hide or reorder what a reviewer sees): delete it"
    )


# --- the folder ---------------------------------------------------------------


@dataclass
class Survey:
    """What :func:`survey` found: the notes files to read, and what is wrong."""

    notes: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _kind(entry: os.DirEntry) -> str | None:
    """Why *entry* cannot be an annotation file, or None for a regular file."""
    mode = entry.stat(follow_symlinks=False).st_mode
    if stat.S_ISLNK(mode):
        return "is a symbolic link; annotation files must be regular files in the repository"
    if stat.S_ISDIR(mode):
        return "is a folder"
    if not stat.S_ISREG(mode):
        return "is not a regular file (a device, pipe or socket)"
    return None


def survey(annotations: Path) -> Survey:
    """The notes files under *annotations*, and an error for every other name.

    The register files themselves are read (and refused if they are not
    regular files) by :func:`load`; a missing folder or file is no error."""
    found = Survey()
    layout = f"the annotations folder holds {', '.join(REGISTER_FILES)} and {NOTES_FOLDER}/<text-id>.yaml"
    for entry in _entries(annotations, found):
        if entry.name in REGISTER_FILES:
            continue
        if entry.name == NOTES_FOLDER and not entry.is_symlink() and entry.is_dir():
            continue
        problem = _kind(entry) or "is not an annotation file"
        found.diagnostics.append(Diagnostic(entry.path, None, f"{problem}; nothing here is read: {layout}"))
    notes = annotations / NOTES_FOLDER
    if notes.is_symlink() or not notes.is_dir():
        return found  # reported above if it is there
    for entry in _entries(notes, found):
        problem = _kind(entry)
        if problem is None and NOTES_FILE_NAME.match(entry.name):
            found.notes.append(Path(entry.path))
            continue
        if problem is None:
            problem = "is not a notes file name"
        found.diagnostics.append(
            Diagnostic(entry.path, None, f"{problem}; it is not read. Notes files sit directly in "
                       f"{NOTES_FOLDER}/ and are named <text-id>.yaml (lower case, ending in .yaml): rename or "
                       "remove it")
        )
    found.notes.sort()
    return found


def _entries(folder: Path, found: Survey) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as listing:
            return sorted(listing, key=lambda e: e.name)
    except FileNotFoundError:
        return []
    except OSError as exc:
        found.diagnostics.append(Diagnostic(str(folder), None, f"cannot be listed ({exc.strerror})"))
    return []


# --- one file -----------------------------------------------------------------


def read_bytes(path: Path) -> bytes:
    """The bytes of *path* if it is a regular file within the size cap."""
    spath = str(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise EditionError("the file does not exist (it may have been removed while being read)", spath) from None
    if stat.S_ISLNK(info.st_mode):
        raise EditionError("is a symbolic link; annotation files must be regular files in the repository", spath)
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a device, pipe or socket"
        raise EditionError(f"is {kind}, not a regular file; annotation files must be regular files", spath)
    limit = max_file_bytes()
    too_big = (
        f"is over the size limit of {limit:,} bytes for an annotation file; split or shorten it "
        f"(or raise {MAX_FILE_BYTES_ENV})"
    )
    if info.st_size > limit:
        raise EditionError(too_big, spath)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise EditionError(f"cannot be read ({exc.strerror})", spath) from None
    with os.fdopen(descriptor, "rb") as file:
        # Read at most one byte more than allowed: the file may have grown.
        data = file.read(limit + 1)
    if len(data) > limit:
        raise EditionError(too_big, spath)
    return data


def decode(data: bytes, path: str) -> str:
    """Strict UTF-8 (a BOM and CRLF line ends are fine), without unsafe characters."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EditionError(
            f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded; save the file as UTF-8",
            path,
            data.count(b"\n", 0, exc.start) + 1,
        ) from None
    text = text.removeprefix("\ufeff")
    bad = _UNSAFE_RAW.search(text)
    if bad:
        line_start = text.rfind("\n", 0, bad.start()) + 1
        raise EditionError(
            _character_message(bad.group(), f"column {bad.start() - line_start + 1} holds"),
            path,
            text.count("\n", 0, bad.start()) + 1,
        )
    return text


def load(path: Path, data: bytes | None = None) -> Any:
    """The parsed content of one annotation file (*data*: its bytes, if read
    already); :class:`EditionError` with file and line for anything refused."""
    spath = str(path)
    text = decode(read_bytes(path) if data is None else data, spath)
    content = parse_yaml(text, spath)
    _refuse_unsafe_values(content, spath)
    return content


def _refuse_unsafe_values(content: Any, path: str) -> None:
    """Every decoded key and string value, again: YAML escapes write any character."""
    stack: list[tuple[Any, int | None]] = [(content, getattr(content, "line", 1))]
    while stack:
        value, line = stack.pop()
        if isinstance(value, str):
            bad = UNSAFE_CHARACTER.search(value)
            if bad:
                offset = value.count("\n", 0, bad.start())
                raise EditionError(
                    _character_message(bad.group(), "a key or value holds"), path, (line or 1) + offset
                )
        elif isinstance(value, dict):
            key_lines, value_lines = getattr(value, "key_lines", {}), getattr(value, "value_lines", {})
            for key, item in value.items():
                stack.append((key, key_lines.get(key, line)))
                stack.append((item, value_lines.get(key, line)))
        elif isinstance(value, list):
            item_lines = getattr(value, "item_lines", ())
            for index, item in enumerate(value):
                stack.append((item, item_lines[index] if index < len(item_lines) else line))
