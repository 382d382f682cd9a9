"""A build's memory that does not grow with the number of texts.

Sphinx keeps every document it reads in memory until it writes it
(``env._write_doc_doctree_cache``), so a serial build holds all doctrees at
once between reading and writing; and every doctree it loads back from the
doctree folder stays in memory as bytes for the rest of the build
(``env._pickled_doctree_cache``). An edition text's doctree is large (notes,
links, ¶ numbers: about 0.5 MB pickled, several times that as nodes), so at
2,000 texts these two alone would take gigabytes.

Here both are bounded: the first :data:`DOCTREES_KEPT` documents read stay in
memory (they are written first: Sphinx reads and writes in the same sorted
order), every later one is loaded back from the doctree folder when it is
written, as Sphinx itself does in an incremental or parallel build, and
loaded doctrees are not kept as bytes. The output is the same either way:
what is loaded is what was saved. Both attributes are private to Sphinx;
if a version of Sphinx no longer has them, nothing is replaced.
"""

from __future__ import annotations

from typing import Any

#: Doctrees kept in memory between reading and writing; the rest are read back from disk.
DOCTREES_KEPT = 150


class FirstKept(dict):
    """A dict that takes at most *limit* entries: further ones are not kept
    (a reader of the dict then falls back to the disk, as on a miss)."""

    def __init__(self, limit: int, *args: Any) -> None:
        super().__init__(*args)
        self.limit = limit

    def __setitem__(self, key, value) -> None:
        if key in self or len(self) < self.limit:
            super().__setitem__(key, value)

    def __reduce__(self):  # pickled (never, today) as what it is
        return (type(self), (self.limit, dict(self)))


def bound_doctree_caches(app, env, docnames) -> None:
    """env-before-read-docs: bound Sphinx's two caches of doctrees for this build."""
    written = getattr(env, "_write_doc_doctree_cache", None)
    if isinstance(written, dict) and not isinstance(written, FirstKept):
        env._write_doc_doctree_cache = FirstKept(DOCTREES_KEPT, written)
    loaded = getattr(env, "_pickled_doctree_cache", None)
    if isinstance(loaded, dict) and not isinstance(loaded, FirstKept):
        # The bytes of a loaded doctree are not kept: each document is loaded once per write.
        env._pickled_doctree_cache = FirstKept(0)
