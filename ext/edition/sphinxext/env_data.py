"""Per-document data kept on the Sphinx environment.

What a transform learns about a document (the uses of entries, the notes
that failed to anchor) outlives the read: it is pickled with the
environment for incremental builds, dropped when the document is purged
and copied back from parallel workers. One class does that bookkeeping for
every such record.
"""

from __future__ import annotations

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
