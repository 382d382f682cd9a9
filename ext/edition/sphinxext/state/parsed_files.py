"""Annotation files, parsed once per content and kept between builds.

The build validates every annotation file before reading
(``check_annotations``), and the transforms need them again; parallel
workers are forked after that check, so they inherit what it parsed. The
parsed files are saved in the doctree folder, so an incremental build parses
only the files whose bytes changed (at 200 texts, the glossary, persons and
works files alone take seconds). Entries are keyed by the SHA-256 of the
file's bytes, so a stale entry can never be used, and the whole cache by a
fingerprint of the package's code, so a changed loader starts afresh.
Each entry is pickled on its own and kept so: a build that parsed one
changed file pickles that one, not the whole cache again (at 2,000 texts
that was a second of every incremental build).
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ...model.annotations import NotesFile, load_notes_file
from ...base.errors import Diagnostic, EditionError
from ...base.files import atomic_file
from ...intake.gate import read_bytes

CACHE_FILE = "edition-parsed.pickle"
#: How the file holds its entries: each pickled on its own, kept as bytes.
LAYOUT = 2

PACKAGE = Path(__file__).resolve().parents[2]


def _code_fingerprint() -> str:
    """The loaders, the data model and the schemas: all that shapes a parsed file."""
    digest = hashlib.sha256()
    pure = [p for p in PACKAGE.rglob("*.py") if "sphinxext" not in p.relative_to(PACKAGE).parts]
    for path in sorted([*pure, *PACKAGE.glob("schemas/*.json")]):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class ParsedFiles:
    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], tuple[str, Any]] = {}
        #: Each restored entry as it was saved (pickled on its own): saved again as
        #: it is, so that a build which parsed one file does not pickle them all.
        self._saved: dict[tuple[str, str], bytes] = {}
        self._fingerprint = _code_fingerprint()
        self._changed = False

    def load(self, path: Path, loader: Callable[..., Any], *args: Any) -> Any:
        """``loader(path, *args)``, from the cache when the bytes (and *args*) are the same."""
        try:
            digest = hashlib.sha256(read_bytes(path))
        except EditionError:
            return loader(path, *args)  # the loader reports it, through the same intake

        # Sets are hashed sorted: their order changes with each process's string hashing.
        digest.update(repr([sorted(a) if isinstance(a, (set, frozenset)) else a for a in args]).encode())
        key = (str(path), f"{loader.__module__}.{loader.__qualname__}")
        cached = self._entries.get(key)
        if cached is not None and cached[0] == digest.hexdigest():
            return cached[1]
        result = loader(path, *args)
        self._entries[key] = (digest.hexdigest(), result)
        self._saved.pop(key, None)
        self._changed = True
        return result

    def load_notes(self, path: Path) -> tuple[NotesFile | None, list[Diagnostic]]:
        notes_file, diagnostics = self.load(path, load_notes_file)
        return notes_file, list(diagnostics)

    def retain(self, paths: set[str]) -> None:
        """Forget files that are gone, so the saved cache does not grow."""
        for key in [key for key in self._entries if key[0] not in paths]:
            del self._entries[key]
            self._saved.pop(key, None)
            self._changed = True

    def restore(self, folder: Path) -> None:
        """Take over the entries saved by an earlier build, if they fit this code."""
        try:
            with open(folder / CACHE_FILE, "rb") as file:
                saved = pickle.load(file)  # noqa: S301 - our own file in the build folder, like Sphinx's env
            if saved.get("fingerprint") != self._fingerprint or saved.get("layout") != LAYOUT:
                return
            restored = {key: (digest, pickle.loads(blob)) for key, (digest, blob) in saved["entries"].items()}  # noqa: S301
        except Exception:  # noqa: BLE001 - a missing or unreadable cache only costs time
            return
        for key, entry in restored.items():
            if key not in self._entries:
                self._entries[key] = entry
                self._saved[key] = saved["entries"][key][1]

    def save(self, folder: Path) -> None:
        if not self._changed:
            return
        entries = {}
        for key, (digest, result) in self._entries.items():
            blob = self._saved.get(key)
            if blob is None:
                blob = self._saved[key] = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
            entries[key] = (digest, blob)
        with atomic_file(folder / CACHE_FILE, binary=True) as file:
            pickle.dump({"fingerprint": self._fingerprint, "layout": LAYOUT, "entries": entries}, file,
                        pickle.HIGHEST_PROTOCOL)
        self._changed = False


#: One per process; parallel workers inherit the main process's entries.
PARSED = ParsedFiles()
