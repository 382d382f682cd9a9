"""Where a text cites a work: which occurrences of a work's wording are citations.

A link to a work claims "the text cites this work here". A work's wording is
often also an ordinary word (제국주의 "imperialism" and Lenin's
*Imperialism*; 비판 "criticism" and Trotsky's "Critique"), so a wording in
``cited_as`` is a citation only in a *citing context* of the text:

* **quoted**: it fills a pair of the quotation or title marks of the text's
  language (:class:`~edition.anchoring.lexicon.LanguageProfile`), closing punctuation of
  the title aside: "비판"은, «Проблемы развития СССР», “Where Is Britain
  Going?”;
* **attribution**: it stands in the attribution line under a quotation
  ("— 트로츠키, 레닌 이후의 제3 인터내셔널");
* **source**: it is an item of a parenthesised or bracketed source reference,
  standing right after the bracket or a separator (, ; :) and followed by the
  closing bracket, a separator, a bracket or a number (year, volume):
  "(나의 일생)", "(E.H Carr, 볼셰비키 혁명 1917-1923, 2권)", "(새로운 방침[1923])".

Anywhere else the wording is not linked and not listed. A citation the rule
cannot see (a bare title in running prose: "그의 1916년 저작 제국주의에서") is
anchored stand-off under the work's ``cited_at``, with text, exact, prefix,
suffix and paragraph exactly as a note's anchor, and is linked as anchored.

Pure functions over strings and hits; the linker, ``edition check`` and the
tests all decide through here, so they cannot disagree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..base.errors import Diagnostic
from .lexicon import Hit, LanguageProfile, profile
from .text_quotes import Anchor, AnchorProblem, Block, locate

WORK_PREFIX = "work:"
#: Punctuation a title may end with before its closing mark ("…가고 있는가?").
_TITLE_END = re.compile(r"[?!.,…]*")
_SEPARATORS = ",;:，；："
_NUMBER_AFTER = re.compile(r"\s*[0-9]")


@dataclass(frozen=True)
class CitedAt:
    """A citation anchored stand-off in works.yaml (``cited_at``)."""

    work_id: str
    text_id: str
    anchor: Anchor
    path: str
    line: int  # the line of `exact:`


def is_work(hit: Hit) -> bool:
    return hit.key.startswith(WORK_PREFIX)


def _quoted(text: str, start: int, end: int, lang_profile: LanguageProfile) -> bool:
    if not any(text.endswith(mark, 0, start) for mark in lang_profile.opening_marks):
        return False
    after = _TITLE_END.match(text, end).end()
    return any(text.startswith(mark, after) for mark in lang_profile.closing_marks)


def _enclosing_bracket(text: str, start: int, end: int, brackets) -> tuple[int, int] | None:
    """The (opening, closing) offsets of the innermost bracket pair around [start, end)."""
    opening = {o: c for o, c in brackets}
    closing = {c: o for o, c in brackets}
    depth: dict[str, int] = {}
    for at in range(start - 1, -1, -1):
        char = text[at]
        if char in closing:
            depth[closing[char]] = depth.get(closing[char], 0) + 1
        elif char in opening:
            if depth.get(char):
                depth[char] -= 1
                continue
            close_char, nested = opening[char], 0
            for to in range(end, len(text)):
                if text[to] == char:
                    nested += 1
                elif text[to] == close_char:
                    if nested == 0:
                        return at, to
                    nested -= 1
            return None
    return None


def _source_item(text: str, start: int, end: int, lang_profile: LanguageProfile) -> bool:
    pair = _enclosing_bracket(text, start, end, lang_profile.source_brackets)
    if pair is None:
        return False
    before = text[pair[0] + 1 : start].rstrip()
    if before and before[-1] not in _SEPARATORS:
        return False
    rest = text[end:]
    stops = _SEPARATORS + "".join(c for pair_ in lang_profile.source_brackets for c in pair_)
    return rest[:1] in tuple(stops) or bool(_NUMBER_AFTER.match(rest))


def citing_context(text: str, hit: Hit, lang: str, attribution: bool = False) -> str | None:
    """Why the occurrence *hit* of a work's wording in *text* is a citation
    ("attribution", "quoted", "source"), or None: an ordinary word there."""
    if attribution:
        return "attribution"
    lang_profile = profile(lang)
    if _quoted(text, hit.start, hit.end, lang_profile):
        return "quoted"
    if _source_item(text, hit.start, hit.end, lang_profile):
        return "source"
    return None


def place_cited_at(citations: Sequence[CitedAt], blocks: Sequence[Block]) -> tuple[list[tuple[int, Hit]], list[Diagnostic]]:
    """The stand-off citations of one text as (block index, hit), and why any cannot be placed."""
    placed, problems = [], []
    for citation in citations:
        result = locate(citation.anchor, blocks)
        if isinstance(result, AnchorProblem):
            problems.append(Diagnostic(citation.path, citation.line,
                                       f"citation of work '{citation.work_id}' in '{citation.text_id}': {result.message}"))
            continue
        form = blocks[result.block].text[result.start : result.end]
        placed.append((result.block, Hit(result.start, result.end, result.end, WORK_PREFIX + citation.work_id, form)))
    return placed, problems


def block_hits(text: str, lang: str, hits: Sequence[Hit], attribution: bool, standoff: Sequence[Hit] = ()) -> list[Hit]:
    """The occurrences in one block that stand: every hit of a glossary term or
    person, a work's only in a citing context, and the stand-off citations
    (which win over any hit they overlap), in reading order."""
    kept = [
        hit for hit in hits
        if not any(s.start < hit.word_end and hit.start < s.end for s in standoff)
        and (not is_work(hit) or citing_context(text, hit, lang, attribution))
    ]
    return sorted([*kept, *standoff], key=lambda h: (h.start, h.end))


@dataclass
class TextCitations:
    """One text's occurrences after the rule (:func:`text_hits`)."""

    #: Per block, the occurrences that stand, in reading order.
    hits: list[list[Hit]]
    #: Stand-off citations that could not be placed.
    problems: list[Diagnostic]
    #: Per (work key, wording as found): (occurrences in a citing context,
    #: occurrences outside one that no stand-off citation covers).
    contexts: dict[tuple[str, str], tuple[int, int]]


def text_hits(blocks: Sequence[Block], lang: str, lexicon, citations: Sequence[CitedAt]) -> TextCitations:
    """The occurrences of entries in one text's blocks (paragraphs, and
    attribution lines: the blocks without a number) under the rule."""
    placed, problems = place_cited_at(citations, blocks)
    standoff: dict[int, list[Hit]] = {}
    for index, hit in placed:
        standoff.setdefault(index, []).append(hit)
    found, contexts = [], {}
    for index, block in enumerate(blocks):
        hits, anchored = lexicon.find(block.text, lang), standoff.get(index, ())
        found.append(block_hits(block.text, lang, hits, block.number is None, anchored))
        for hit in hits:
            if not is_work(hit) or any(s.start < hit.word_end and hit.start < s.end for s in anchored):
                continue
            citing, outside = contexts.get((hit.key, hit.form), (0, 0))
            if citing_context(block.text, hit, lang, block.number is None):
                citing += 1
            else:
                outside += 1
            contexts[(hit.key, hit.form)] = (citing, outside)
    return TextCitations(found, problems, contexts)
