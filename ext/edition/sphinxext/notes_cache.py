"""Parsed notes files, parsed once per content and kept between builds.

The build validates every notes file before reading (``check_annotations``)
and each text's transform needs its own file again; parallel workers are
forked after that check, so they inherit the parsed files. The cache is
saved in the doctree folder, so an incremental build parses only the files
whose bytes changed. Entries are keyed by the SHA-256 of the file's bytes,
so a stale entry can never be used, and the whole cache by a fingerprint of
the code that parses, so a changed loader starts afresh.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from ..annotations import NotesFile, load_notes_file
from ..errors import Diagnostic

CACHE_FILE = "edition-notes.pickle"

#: The modules whose output is cached: a change to any of them empties the cache.
_PARSING_CODE = ("annotations.py", "yamlsource.py", "markup.py", "errors.py", "schemas/notes.schema.json")


def _code_fingerprint() -> str:
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for name in _PARSING_CODE:
        digest.update(name.encode())
        digest.update((package / name).read_bytes())
    return digest.hexdigest()


class NotesCache:
    def __init__(self) -> None:
        self._entries: dict[str, tuple[str, NotesFile | None, tuple[Diagnostic, ...]]] = {}
        self._fingerprint = _code_fingerprint()
        self._changed = False

    def load(self, path: Path) -> tuple[NotesFile | None, list[Diagnostic]]:
        """:func:`edition.annotations.load_notes_file`, from the cache when the bytes are the same."""
        content = path.read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        cached = self._entries.get(str(path))
        if cached is not None and cached[0] == digest:
            return cached[1], list(cached[2])
        notes_file, diagnostics = load_notes_file(path, content)
        self._entries[str(path)] = (digest, notes_file, tuple(diagnostics))
        self._changed = True
        return notes_file, diagnostics

    def retain(self, paths: set[str]) -> None:
        """Forget files that are gone, so the saved cache does not grow."""
        for key in set(self._entries) - paths:
            del self._entries[key]
            self._changed = True

    def restore(self, folder: Path) -> None:
        """Take over the entries saved by an earlier build, if they fit this code."""
        try:
            with open(folder / CACHE_FILE, "rb") as file:
                saved = pickle.load(file)  # noqa: S301 - our own file in the build folder, like Sphinx's env
            if saved.get("fingerprint") == self._fingerprint:
                for key, entry in saved["entries"].items():
                    self._entries.setdefault(key, entry)
        except Exception:  # noqa: BLE001 - a missing or unreadable cache only costs time
            return

    def save(self, folder: Path) -> None:
        if not self._changed:
            return
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f"{CACHE_FILE}.tmp"
        with open(temporary, "wb") as file:
            pickle.dump({"fingerprint": self._fingerprint, "entries": self._entries}, file, pickle.HIGHEST_PROTOCOL)
        temporary.replace(folder / CACHE_FILE)
        self._changed = False


#: One per process; parallel workers inherit the main process's entries.
NOTES = NotesCache()
