"""One spelling per name in the apparatus: registered names and terms as their entries write them.

The notes, glossary definitions and register entries are written in English
by many hands, and a name transliterated from Russian has several spellings
(Budenny, Budyonny; Yegorov, Egorov). The register of persons holds the
edition's spelling: a person's ``name`` and ``sort_name``. (Glossary terms
are left out: their listed forms are inflections, Bolshevik and Bolsheviks,
not spellings.) Listed
English forms may keep other spellings, so that a text written so is still
linked, but the apparatus uses the entry's own. This module finds, in the
apparatus's running prose (not in sources, which print titles as they were
printed, nor inside quotation marks, where a spelling is mentioned rather than
used):

* a listed English form of an entry that spells a word of its name
  differently ("Budyonny" for S. M. Budenny), unless the entry's spelling
  stands just before it ("Ioffe (Joffe; …)" gives the other spelling);
* a capitalised word that is almost a word of an entry's name but none of
  its forms ("Zinovyev" for Zinoviev).

Pure functions over the loaded entries; `edition check` reports the findings
as warnings at the file and line of the prose.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..base.errors import Diagnostic

#: How alike two spellings must be to be one name written two ways.
VARIANT_RATIO = 0.75
#: … and how alike an unlisted word must be to a name to be a misspelling of it.
NEAR_MISS_RATIO = 0.85
# A capitalised word of the Latin script, hyphenated names whole (Antonov-Ovseenko, Maurín).
_LATIN_WORD = re.compile(r"(?<![^\W\d_])[A-ZÀ-ÖØ-Þ][^\W\d_]{3,}(?:-[^\W\d_]+)*")
_QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”]*”|‘[^’]*’|«[^»]*»")


@dataclass(frozen=True)
class Spelling:
    """An entry's own spelling of one name word and the other spellings it knows."""

    word: str  # "Budenny"
    entry: str  # "person 'budenny'"
    shown: str  # "S. M. Budenny"
    variants: frozenset[str]  # listed forms that spell it otherwise: {"Budyonny"}
    listed: frozenset[str]  # every word of every listed form


@dataclass(frozen=True)
class Prose:
    """A piece of apparatus prose and where it starts."""

    text: str
    path: str
    line: int
    label: str  # "note 'x'"


def _words(text: str) -> list[str]:
    return _LATIN_WORD.findall(text)


@lru_cache(maxsize=1 << 14)  # the same words recur in every note, and every check reads them all
def _alike(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.casefold(), b.casefold()).ratio()


@lru_cache(maxsize=1 << 16)
def _at_least(a: str, b: str, ratio: float) -> bool:
    """Whether _alike(a, b) >= ratio; difflib's cheap upper bounds of the ratio
    (from the words' lengths, then their letters) rule out most pairs first."""
    matcher = difflib.SequenceMatcher(None, a.casefold(), b.casefold())
    return matcher.real_quick_ratio() >= ratio and matcher.quick_ratio() >= ratio and _alike(a, b) >= ratio


def spellings(persons: Iterable) -> list[Spelling]:
    found = []
    for person in persons:
        own = set(_words(person.name)) | set(_words(person.sort_name))
        listed = {w for form in person.forms.get("en", ()) for w in _words(form)}
        for word in own:
            variants = {w for w in listed - own if w[:1] and _at_least(w, word, VARIANT_RATIO)}
            found.append(Spelling(word, f"person '{person.id}'", person.name, frozenset(variants),
                                  frozenset(listed | own)))
    return found


def spelling_warnings(prose: Iterable[Prose], known: list[Spelling]) -> list[Diagnostic]:
    """Every other spelling of a registered name in *prose*, as a warning."""
    variants = {v: s for s in known for v in s.variants}
    words = {s.word for s in known} | {w for s in known for w in s.listed}
    by_initial: dict[str, list[Spelling]] = {}
    for spelling in known:
        if len(spelling.word) >= 5:
            by_initial.setdefault(spelling.word[0], []).append(spelling)
    found = []
    for piece in prose:
        unquoted = _QUOTED.sub(lambda m: " " * len(m.group()), piece.text)
        for match in _LATIN_WORD.finditer(unquoted):
            word = match.group().rstrip("'’")
            word = word[:-2] if word.endswith(("'s", "’s")) else word
            line = piece.line + unquoted.count("\n", 0, match.start())
            if word in variants:
                spelling = variants[word]
                if spelling.word in unquoted[max(0, match.start() - 60) : match.start()]:
                    continue  # "Ioffe (Joffe; 1883–1927)": the other spelling given as such
                found.append(Diagnostic(piece.path, line, f"{piece.label}: '{word}' spells {spelling.shown} "
                                        f"({spelling.entry}) otherwise than its entry; write '{spelling.word}'",
                                        "warning"))
                continue
            if word in words or len(word) < 5:
                continue
            close = [s for s in by_initial.get(word[0], ()) if _at_least(word, s.word, NEAR_MISS_RATIO)
                     and not word.casefold().startswith(s.word.casefold())]
            if close:
                spelling = max(close, key=lambda s: _alike(word, s.word))
                found.append(Diagnostic(piece.path, line, f"{piece.label}: '{word}' looks like '{spelling.word}' "
                                        f"({spelling.shown}, {spelling.entry}) but is none of its forms; write "
                                        f"'{spelling.word}', or list the spelling as a form if the texts use it",
                                        "warning"))
    return found


def apparatus_prose(result) -> list[Prose]:
    """The running prose of the apparatus in a check's result: note bodies,
    glossary definitions and short definitions, persons' identifications."""
    prose = [Prose(n.body, n.path, n.body_line, f"note '{n.id}'") for n in result.notes]
    for entry in result.glossary:
        prose.append(Prose(entry.definition, entry.path, entry.line, f"glossary entry '{entry.id}'"))
        if entry.short:
            prose.append(Prose(entry.short, entry.path, entry.line, f"glossary entry '{entry.id}' (short)"))
    prose += [Prose(p.identification, p.path, p.identification_line or p.line, f"person '{p.id}'")
              for p in result.persons]
    return prose
