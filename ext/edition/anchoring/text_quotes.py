"""Find where a note belongs: W3C TextQuoteSelector matching, pure functions.

Matching runs on a normalised copy of each block of the reading text, with a
map from every normalised offset back to the original, so the text itself is
never changed. Normalisation: NFC (decomposed Hangul pasted from macOS matches
composed text), every run of whitespace (NBSP and the other Unicode spaces,
tabs, line ends) as one space, and soft hyphens, zero-width characters, BOMs
and carriage returns dropped. Anchors are normalised the same way.

A unique match is a :class:`Placement`; none (an orphan) or several (an
ambiguous anchor) is an :class:`AnchorProblem` whose message says what to do.
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

#: Characters that are invisible in print and ignored when matching.
IGNORED = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff\r")


def _continues_cluster(char: str) -> bool:
    """True if *char* composes with what precedes it (combining marks, Hangul V/T jamo)."""
    code = ord(char)
    return (
        unicodedata.combining(char) != 0
        or 0x1160 <= code <= 0x11FF
        or 0xD7B0 <= code <= 0xD7FF
    )


# Anything normalisation would change: invisible characters, whitespace other
# than a single plain space.
_NEEDS_WORK = re.compile("[" + "".join(sorted(IGNORED)) + r"]|[^\S ]|  ")


def normalise(text: str) -> tuple[str, list[int]]:
    """Return the normalised text and, for each of its offsets, the original offset.

    The map has one entry more than the normalised text: its last entry is
    ``len(text)``, so a match ending at the end maps to the end.
    """
    if unicodedata.is_normalized("NFC", text) and not _NEEDS_WORK.search(text):
        return text, list(range(len(text) + 1))  # the usual case: nothing to do
    out: list[str] = []
    offsets: list[int] = []
    i, n = 0, len(text)
    while i < n:
        start = i
        i += 1
        while i < n and _continues_cluster(text[i]):
            i += 1
        cluster = "".join(c for c in text[start:i] if c not in IGNORED)
        if not cluster:
            continue
        if cluster.isspace():
            if out and out[-1] == " ":
                continue
            out.append(" ")
            offsets.append(start)
            continue
        for char in unicodedata.normalize("NFC", cluster):
            out.append(char)
            offsets.append(start)
    offsets.append(n)
    return "".join(out), offsets


def normalise_text(text: str) -> str:
    return normalise(text)[0]


@dataclass(frozen=True)
class Block:
    """One block of the reading text (a paragraph or an attribution line)."""

    text: str
    number: int | None  # ¶ number; None for attribution lines
    normalised: str
    offsets: tuple[int, ...]

    @classmethod
    def of(cls, text: str, number: int | None) -> Block:
        norm, offsets = normalise(text)
        return cls(text, number, norm, tuple(offsets))

    @property
    def label(self) -> str:
        return f"¶{self.number}" if self.number else "an attribution line"


@dataclass(frozen=True)
class Anchor:
    exact: str
    prefix: str | None = None
    suffix: str | None = None
    paragraph: int | None = None


@dataclass(frozen=True)
class Placement:
    block: int  # index into the block list
    start: int  # original offsets of the passage in the block's text
    end: int  # the marker goes here


@dataclass(frozen=True)
class AnchorProblem:
    message: str


def _matches(anchor: Anchor, blocks: Sequence[Block]) -> list[tuple[int, int, int]]:
    exact = normalise_text(anchor.exact)
    prefix = normalise_text(anchor.prefix) if anchor.prefix else ""
    suffix = normalise_text(anchor.suffix) if anchor.suffix else ""
    found = []
    for index, block in enumerate(blocks):
        if anchor.paragraph is not None and block.number != anchor.paragraph:
            continue
        text = block.normalised
        at = text.find(exact)
        while at >= 0:
            end = at + len(exact)
            # endswith/startswith with bounds: slicing would copy the text at every hit.
            if text.endswith(prefix, 0, at) and text.startswith(suffix, end):
                found.append((index, at, end))
            at = text.find(exact, at + 1)
    return found


def _excerpt(block: Block, start: int, end: int, context: int = 12) -> str:
    left = block.normalised[max(0, start - context) : start]
    right = block.normalised[end : end + context]
    return f"…{left}[{block.normalised[start:end]}]{right}…"


#: The closest-passage hint compares at most this many characters of the
#: anchor: the cost of a missing anchor stays bounded however long it is.
HINT_QUERY = 100
_SEED = 4  # k-grams of this length vote for where the passage may start …
_SEEDS = 24  # … at most this many of them, spread over the query …
_SEED_HITS = 256  # … ignoring any that occurs more often than this (no information)
_CANDIDATES = 8  # the best-voted starts are compared in full


def _closest(exact: str, blocks: Sequence[Block]) -> tuple[float, int, int, int] | None:
    """The passage most like *exact*: (similarity, block, start, end) in normalised offsets.

    Indexed, not exhaustive: a few k-grams of the anchor's first
    :data:`HINT_QUERY` characters vote for start positions in the text, and
    only the best-voted :data:`_CANDIDATES` windows are compared character by
    character. (Comparing against every block took about 15 s for a missing
    anchor of 500 characters.)"""
    query = exact[:HINT_QUERY]
    if len(query) < 2 * _SEED:
        return _closest_short(query, blocks, len(exact))
    joined = "\x00".join(b.normalised for b in blocks)
    starts, at = [], 0
    for block in blocks:
        starts.append(at)
        at += len(block.normalised) + 1
    votes: dict[int, int] = {}
    step = max(1, (len(query) - _SEED) // (_SEEDS - 1))
    for offset in range(0, len(query) - _SEED + 1, step):
        gram = query[offset : offset + _SEED]
        hits, at = [], joined.find(gram)
        while at >= 0 and len(hits) <= _SEED_HITS:
            hits.append(at)
            at = joined.find(gram, at + 1)
        if len(hits) > _SEED_HITS:
            continue
        for hit in hits:
            votes[hit - offset] = votes.get(hit - offset, 0) + 1
    best = None
    for start in sorted(votes, key=lambda s: (-votes[s], s))[:_CANDIDATES]:
        index = max(0, bisect.bisect_right(starts, max(0, start)) - 1)
        text = blocks[index].normalised
        local = min(max(0, start - starts[index]), len(text))
        ratio = difflib.SequenceMatcher(None, text[local : local + len(query)], query, autojunk=False).ratio()
        if best is None or ratio > best[0]:
            best = (ratio, index, local, min(len(text), local + len(exact)))
    return best


def _closest_short(query: str, blocks: Sequence[Block], length: int) -> tuple[float, int, int, int] | None:
    """:func:`_closest` for a query too short to index (under 2 k-grams): cheap to compare everywhere."""
    best = None
    for index, block in enumerate(blocks):
        text = block.normalised
        matcher = difflib.SequenceMatcher(None, text, query, autojunk=False)
        match = matcher.find_longest_match(0, len(text), 0, len(query))
        if match.size == 0:
            continue
        start = max(0, match.a - match.b)
        end = min(len(text), start + length)
        ratio = difflib.SequenceMatcher(None, text[start:end], query, autojunk=False).ratio()
        if best is None or ratio > best[0]:
            best = (ratio, index, start, end)
    return best


def locate(anchor: Anchor, blocks: Sequence[Block]) -> Placement | AnchorProblem:
    """Where *anchor* points in *blocks*, or why it cannot be placed."""
    if anchor.paragraph is not None and not any(b.number == anchor.paragraph for b in blocks):
        numbers = {b.number for b in blocks if b.number}
        last = max(numbers, default=0)
        # After an accepted renumbering (edition.reading.paragraph_numbers) some numbers are no longer used.
        gaps = [n for n in range(1, last + 1) if n not in numbers]
        retired = f" (no ¶{', ¶'.join(map(str, gaps))}: retired)" if gaps else ""
        return AnchorProblem(f"paragraph {anchor.paragraph} does not exist; the text has ¶1–¶{last}{retired}")
    found = _matches(anchor, blocks)
    if len(found) == 1:
        index, start, end = found[0]
        offsets = blocks[index].offsets
        return Placement(index, offsets[start], offsets[end])
    if not found:
        where = f" in ¶{anchor.paragraph}" if anchor.paragraph else ""
        message = f"anchor not found{where}: no passage reads {anchor.exact[:60]!r}"
        if anchor.prefix or anchor.suffix:
            without = Anchor(anchor.exact, paragraph=anchor.paragraph)
            if _matches(without, blocks):
                return AnchorProblem(
                    message + " with the given prefix/suffix; the passage itself occurs, so check "
                    "the prefix and suffix against the text"
                )
        if anchor.paragraph is not None:
            elsewhere = _matches(Anchor(anchor.exact, anchor.prefix, anchor.suffix), blocks)
            if elsewhere:
                labels = list(dict.fromkeys(blocks[i].label for i, _, _ in elsewhere))
                where = ", ".join(labels[:6]) + (f" and {len(labels) - 6} more" if len(labels) > 6 else "")
                fix = (f"write 'paragraph: {blocks[elsewhere[0][0]].number}'" if len(elsewhere) == 1
                       and blocks[elsewhere[0][0]].number else "correct 'paragraph:'")
                return AnchorProblem(f"{message}; the passage occurs in {where}: {fix}")
        scope = [b for b in blocks if anchor.paragraph is None or b.number == anchor.paragraph]
        closest = _closest(normalise_text(anchor.exact), scope)
        if closest and closest[0] >= 0.5:
            ratio, index, start, end = closest
            block = scope[index]
            passage = block.normalised[start:end]
            shown = passage if len(passage) <= 2 * HINT_QUERY else passage[: 2 * HINT_QUERY] + "…"
            message += (
                f"; the closest passage is in {block.label} ({ratio:.0%} alike): "
                f"{shown!r}; copy the passage from the text exactly"
            )
        else:
            message += "; copy the passage from the text exactly (same spelling and punctuation)"
        return AnchorProblem(message)
    listed = "; ".join(f"{blocks[i].label} {_excerpt(blocks[i], s, e)}" for i, s, e in found[:6])
    more = f" and {len(found) - 6} more" if len(found) > 6 else ""
    return AnchorProblem(
        f"anchor is ambiguous: {anchor.exact[:60]!r} occurs {len(found)} times ({listed}{more}); "
        "add 'paragraph: N', or 'prefix'/'suffix' with the words right before or after it"
    )


def occurrences(anchor: Anchor, blocks: Sequence[Block]) -> list[Placement]:
    """Every place *anchor* matches (original offsets), in reading order."""
    return [
        Placement(index, blocks[index].offsets[start], blocks[index].offsets[end])
        for index, start, end in _matches(anchor, blocks)
    ]
