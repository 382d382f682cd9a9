"""Per-document data kept on the Sphinx environment.

What a transform learns about a document (the uses of entries, the notes
that failed to anchor) outlives the read: it is pickled with the
environment for incremental builds, dropped when the document is purged
and copied back from parallel workers. One class does that bookkeeping for
every such record.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class PerDocument:
    def __init__(self, attribute: str) -> None:
        self.attribute = attribute  # the name on the environment, e.g. "edition_uses"

    def all(self, env) -> dict[str, Any]:
        if not hasattr(env, self.attribute):
            setattr(env, self.attribute, {})
        return getattr(env, self.attribute)

    def set(self, env, docname: str, value: Any) -> None:
        self.all(env)[docname] = value

    def connect(self, app) -> None:
        app.connect("env-purge-doc", self.purge)
        app.connect("env-merge-info", self.merge)

    def purge(self, app, env, docname: str) -> None:
        self.all(env).pop(docname, None)

    def merge(self, app, env, docnames, other) -> None:
        mine, theirs = self.all(env), getattr(other, self.attribute, {})
        for docname in docnames:
            if docname in theirs:
                mine[docname] = theirs[docname]


class MissingFiles(PerDocument):
    """Files a document would depend on if they existed (a text's notes file).

    Sphinx takes a dependency that is not a file for a changed one, so a
    folder as a stand-in would re-read the document on every build. Instead
    the document is re-read when one of its missing files appears."""

    def note(self, env, path) -> None:
        self.all(env).setdefault(env.docname, []).append(str(path))

    def connect(self, app) -> None:
        super().connect(app)
        app.connect("env-get-outdated", self.appeared)

    def appeared(self, app, env, added, changed, removed) -> list[str]:
        return [doc for doc, paths in sorted(self.all(env).items())
                if doc not in removed and any(Path(p).exists() for p in paths)]


MISSING_FILES = MissingFiles("edition_missing_files")


#: Per text, the notes and stand-off citations that could not be placed (reported after every read).
NOTE_PROBLEMS = PerDocument("edition_note_problems")
