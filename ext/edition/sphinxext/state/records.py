"""What the edition keeps of a build, all of it owned by the ``edition`` domain.

Two kinds of state, one owner (:class:`~.domain.EditionDomain`, beside this module):

- **Per-document records** (:class:`PerDocument`): what a transform learns
  about a document (the uses of entries, the notes that failed to anchor…)
  outlives the read. They live in the domain's data, so Sphinx pickles them
  with the environment for incremental builds; the domain's one
  ``clear_doc`` drops a purged document from every record and its one
  ``merge_domaindata`` copies them back from parallel workers. A new record
  is one line in :data:`RECORDS`; nothing else to connect.
- **This build's working state** (:class:`BuildState`): what one run works out
  and hands from one event to a later one (the notes files checked before
  reading, the listings before reading, the generated register pages…). It
  sits on the domain *instance*, which Sphinx makes anew for each application
  and never pickles, so nothing of one build reaches the next one run in the
  same process (a test, an editor's tool, a server).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The domain's name, and the key of its data on the environment.
DOMAIN = "edition"


class PerDocument:
    """One per-document record: docname -> what was learnt about it."""

    def __init__(self, name: str) -> None:
        self.name = name  # the key in the domain's data, e.g. "uses"

    def all(self, env) -> dict[str, Any]:
        return env.domaindata[DOMAIN][self.name]

    def set(self, env, docname: str, value: Any) -> None:
        self.all(env)[docname] = value


class MissingFiles(PerDocument):
    """Files a document would depend on if they existed (a text's notes file).

    Sphinx takes a dependency that is not a file for a changed one, so a
    folder as a stand-in would re-read the document on every build. Instead
    the document is re-read when one of its missing files appears."""

    def note(self, env, path) -> None:
        self.all(env).setdefault(env.docname, []).append(str(path))

    def appeared(self, app, env, added, changed, removed) -> list[str]:
        """env-get-outdated."""
        return [doc for doc, paths in sorted(self.all(env).items())
                if doc not in removed and any(Path(p).exists() for p in paths)]


#: Per text, every use of an entry (for the "used in" lists and the indices).
USES = PerDocument("uses")
#: Per page listing texts ({edition-texts}), what it listed when read.
LISTINGS = PerDocument("text_listings")
#: Per register page, the register it holds: "glossary", "person" or "work".
REGISTER_KINDS = PerDocument("register_kinds")
#: Per text, the notes and stand-off citations that could not be placed (reported after every read).
NOTE_PROBLEMS = PerDocument("note_problems")
#: Per document, the files it would depend on if they existed.
MISSING_FILES = MissingFiles("missing_files")
#: Per Changes page, the state (releases, notes and texts) it was read in.
CHANGES_READ_IN = PerDocument("changes_read_in")

#: Every per-document record: the domain clears and merges exactly these.
RECORDS: tuple[PerDocument, ...] = (USES, LISTINGS, REGISTER_KINDS, NOTE_PROBLEMS, MISSING_FILES, CHANGES_READ_IN)

#: Whole-project values kept between builds (not per document): key -> initial value.
PROJECT_VALUES: dict[str, Any] = {
    "citation_digest": None,  # SHA-256 of CITATION.cff when last read (every page shows its data)
    "nav_signatures": {},  # docname -> the navigation its page was written with
}


def uses_by_key(env) -> dict[str, list]:
    """Every recorded use, per entry key, in document order."""
    grouped: dict[str, list[Use]] = {}
    all_uses = USES.all(env)
    for docname in sorted(all_uses):
        for use in all_uses[docname]:
            grouped.setdefault(use.key, []).append(use)
    return grouped


def text_title(env, docname: str) -> str:
    """A document's title as plain text (its name when it has none)."""
    return env.titles[docname].astext() if docname in env.titles else docname


@dataclass
class BuildState:
    """What one build works out and hands from one event to a later one; never pickled."""

    #: The notes files check_annotations parsed at builder-inited (None: not checked in this build).
    notes_files: list | None = None
    #: What the documents about to be (re-)read showed on the listing pages, before reading.
    listings_before: dict[str, Any] = field(default_factory=dict)
    #: Whether a purged document changed what the listing pages show.
    listings_changed: bool = False
    #: The register pages' letter pages, with what they were worked out from.
    layouts: tuple | None = None
    #: register docname -> the letter and passages pages to write (html-collect-pages).
    register_pages: dict[str, list] = field(default_factory=dict)
    #: The names of those pages, and the sidebars they share, once collected.
    generated: frozenset[str] = frozenset()
    generated_toctrees: dict = field(default_factory=dict)
    generated_sidebars: dict = field(default_factory=dict)
    #: The navigation's model (worked out in the main process; writers inherit it).
    nav_model: Any = None
    #: The search index on disk was unusable: every page is indexed again.
    reindex_all: bool = False


def edition_domain(env):
    """The ``edition`` domain of this environment: the owner of all build state."""
    return env.domains[DOMAIN]


def build_state(env) -> BuildState:
    """This build's working state (see :class:`BuildState`)."""
    return edition_domain(env).build


def running_builder(env):
    """The running builder, where Sphinx hands none over (post-transforms, domain
    indices): Sphinx's own post-transforms find it the same way (``env._app``;
    ``env.app`` and ``SphinxTransform.app`` are deprecated)."""
    return env._app.builder
