"""Stable ¶ numbers: the numbers a published text's paragraphs carry, recorded beside it.

A ¶ number is a claim other people keep: permalinks (``#p-N``), the W3C
selectors of exported notes, "¶ N" in citations, a note's ``paragraph: N``.
An importer change (a line read as a heading instead of a paragraph), or a new
source, would silently renumber every later paragraph; the verbatim check
compares text, not numbering. So each text's numbers are recorded in
``<text>.paragraphs.yaml`` beside ``<text>.md``::

    text: trotsky-left-opposition
    paragraphs:            # in document order: [number, digest of its text, first words]
    - [1, 5d1e0c9a2b7f4e13, 'Лев Троцкий …']
    retired: []            # numbers of paragraphs that are gone, never given again

``edition import`` compares the paragraphs it produces with the record. Unless
the paragraphs are those recorded, in order (a paragraph's words may change in
place; new ones may follow the last), the import writes nothing and names the
moved paragraphs (old ¶ → new ¶, first words): ``--check`` fails the same way.
``--accept-renumbering`` writes the text anyway and keeps every recorded
paragraph's number, so old anchors, selectors and citations reach the same
paragraph; a new paragraph takes the next number never used, a vanished one's
number is retired.

Beside the document rather than in its front matter: the front matter is
generated from the source and metadata alone and is part of what ``--check``
compares with a fresh import, and it is read by every build and copied into
the outputs (docinfo, ``_sources``); the record is the *published* state a fresh
import is compared with, so it must outlive the regenerated document and leave
the pages alone.
"""

from __future__ import annotations

import difflib
import hashlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..base.errors import EditionError

SUFFIX = ".paragraphs.yaml"
HEADER = (
    "# The ¶ numbers of {text}.md as published (permalinks #p-N, W3C selectors, citations).\n"
    "# Written by `edition import`; `edition import --check` fails when an import would change them.\n"
)


def record_path(text_path: Path) -> Path:
    """docs/texts/x.md -> docs/texts/x.paragraphs.yaml"""
    return text_path.with_name(text_path.stem + SUFFIX)


def digest(text: str) -> str:
    """What identifies a paragraph's words (NFC): 64 bits of SHA-256."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()[:16]


def first_words(text: str, words: int = 6, limit: int = 48) -> str:
    """How a report names a paragraph: its first words."""
    head = " ".join(text.split()[:words])
    if len(head) > limit:
        head = head[:limit].rstrip()
    return head + ("…" if head != " ".join(text.split()) else "")


@dataclass(frozen=True)
class Entry:
    number: int
    digest: str
    begins: str


@dataclass(frozen=True)
class Record:
    """A text's recorded ¶ numbers, in document order."""

    text_id: str
    entries: tuple[Entry, ...]
    retired: tuple[int, ...] = ()

    @classmethod
    def positional(cls, text_id: str, paragraphs: Sequence[str]) -> Record:
        return cls(text_id, tuple(Entry(n, digest(t), first_words(t)) for n, t in enumerate(paragraphs, 1)))

    @property
    def numbers(self) -> list[int]:
        return [e.number for e in self.entries]

    def numbers_for(self, paragraphs: Sequence[str]) -> list[int] | None:
        """The ¶ numbers of *paragraphs* by this record: None where it cannot say
        without renumbering (:func:`compare`); words changed in place and
        paragraphs after the last keep or take their numbers as an import would."""
        renumbering = compare(self, self.text_id, paragraphs)
        return None if renumbering.moves else renumbering.record.numbers

    def dumps(self) -> str:
        data = {
            "text": self.text_id,
            "paragraphs": [[e.number, e.digest, e.begins] for e in self.entries],
            "retired": list(self.retired),
        }
        body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=None)
        return HEADER.format(text=self.text_id) + body


def read_record(path: Path) -> Record | None:
    """The record at *path*, None if there is none; EditionError if it cannot be read."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)  # where YAML stopped reading, if it says
        raise EditionError(f"the ¶ number record cannot be read ({exc.__class__.__name__}); run "
                           "`edition import` on the text's source to write it again", str(path),
                           mark.line + 1 if mark is not None else None) from None
    try:
        entries = tuple(Entry(int(n), str(d), str(b)) for n, d, b in data["paragraphs"])
        retired = tuple(int(n) for n in data.get("retired") or ())
        record = Record(str(data["text"]), entries, retired)
    except (TypeError, ValueError, KeyError, AttributeError):
        raise EditionError("the ¶ number record is not a 'text', 'paragraphs' ([number, digest, first words] "
                           "each) and 'retired'; run `edition import` on the text's source to write it again",
                           str(path)) from None
    numbers = [*record.numbers, *record.retired]
    if len(set(numbers)) != len(numbers) or any(n < 1 for n in numbers):
        raise EditionError("the ¶ number record gives a number twice (or one below 1)", str(path))
    return record


@dataclass(frozen=True)
class Move:
    old: int | None  # None: a new paragraph
    new: int | None  # None: no longer a paragraph
    begins: str
    kept: int | None = None  # its number when the renumbering is accepted (None: retired)

    def __str__(self) -> str:
        old = f"¶{self.old}" if self.old is not None else "(new)"
        new = f"¶{self.new}" if self.new is not None else "(no longer a paragraph)"
        return f"{old} → {new}: {self.begins!r}"

    @property
    def accepted(self) -> str:
        """What --accept-renumbering does instead of this move."""
        if self.old is None:
            return f"new paragraph {self.begins!r} is ¶{self.kept} (a count would make it ¶{self.new})"
        if self.new is None:
            return f"¶{self.old} {self.begins!r} is no longer a paragraph: its number is retired"
        return f"¶{self.old} {self.begins!r} keeps its number (a count would make it ¶{self.new})"


@dataclass
class Renumbering:
    """How an import's paragraphs compare with a text's record."""

    #: What a plain count of the new paragraphs would do to recorded numbers (empty: nothing).
    moves: list[Move] = field(default_factory=list)
    #: The record to write: with moves, only when the editor accepts them.
    record: Record | None = None


def compare(record: Record | None, text_id: str, paragraphs: Sequence[str]) -> Renumbering:
    """Compare the paragraphs an import produces with the text's *record*.

    The import keeps the record's numbers where the paragraphs are the recorded
    ones in order (words changed in place keep their number; paragraphs after
    the last recorded one are numbered on). Anything else (a paragraph gone, one
    inserted, one split) is listed as the moves a plain count would make, and
    the record proposed keeps every surviving paragraph's number."""
    if record is None:
        return Renumbering([], Record.positional(text_id, paragraphs))
    old = [e.digest for e in record.entries]
    new = [digest(t) for t in paragraphs]
    numbers: list[int | None] = [None] * len(paragraphs)
    gone: list[Entry] = []
    changed = False
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for i, j in zip(range(i1, i2), range(j1, j2)):
                numbers[j] = record.entries[i].number
            continue
        if tag == "insert" and i1 == len(old):
            continue  # new paragraphs after the last recorded one: numbered on
        changed = True
        kept = min(i2 - i1, j2 - j1)  # a split or merge: the first keep their numbers
        for i, j in zip(range(i1, i1 + kept), range(j1, j1 + kept)):
            numbers[j] = record.entries[i].number
        gone += record.entries[i1 + kept : i2]
    next_number = max([0, *record.numbers, *record.retired]) + 1
    for j, number in enumerate(numbers):
        if number is None:
            numbers[j], next_number = next_number, next_number + 1
    proposed = Record(
        text_id,
        tuple(Entry(n, digest(t), first_words(t)) for n, t in zip(numbers, paragraphs)),
        tuple(sorted({*record.retired, *(e.number for e in gone)})),
    )
    if not changed:
        return Renumbering([], proposed)
    # What a plain count would do: each surviving paragraph to its position.
    moves = []
    position = {n: p for p, n in enumerate(numbers, 1)}
    for entry in record.entries:
        where = position.get(entry.number) if entry not in gone else None
        if where != entry.number:
            moves.append(Move(entry.number, where, entry.begins, entry.number if where else None))
    recorded = set(record.numbers)
    moves += [Move(None, p, first_words(t), n) for p, (n, t) in enumerate(zip(numbers, paragraphs), 1)
              if n not in recorded and p in recorded]
    return Renumbering(moves, proposed)


def moves_message(path: Path, moves: Sequence[Move]) -> str:
    listed = "; ".join(str(m) for m in moves)
    return (f"this import would renumber the paragraphs recorded in {path.name} ({listed}); published "
            "permalinks, W3C selectors and citations would reach other paragraphs. If the new paragraphs "
            "are right, run `edition import --accept-renumbering` on the source: every recorded paragraph "
            "keeps its number")
