"""Find the surface forms of glossary terms, persons and works in a text.

This is the lexer half of the linker (after Ferrocene's autoglossary): it
knows nothing of Sphinx and only answers "which listed forms stand where in
this string". Rules, the same for every kind of entry:

* a form must start a word (nothing word-like right before it), so 네프 is
  not found inside 카메네프;
* in Korean text a form may be followed by particles and endings
  (국민당으로부터의, 네프를, 테르미도르의) and nothing else: a form followed
  by other letters is part of another word and not a hit;
* in Russian (and other) text a form must end a word; inflected forms are
  listed explicitly (децисты, децистами), and a form is also found with a
  capital first letter at the start of a sentence, or with every word
  capitalised («Рабочей Оппозиции»);
* in English a form may take a plural or possessive ending (kulaks, NEP's);
* what differs between languages is one :class:`LanguageProfile` each;
* the longest form wins at a position (네프맨 before 네프), then the
  leftmost; the result depends on nothing but the text and the forms.

All forms of a language are compiled into tries, one per first letter, and
one pattern finds where a form may start; matching costs one pass over the
text and one trie walk per candidate, whatever the number of forms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Particles and endings that may follow a Korean noun, longest first within
# each group. The plural 들 may come first; a second particle may follow the
# first (으로부터 + 의, 에서 + 는).
_KO_PLURAL = "들"
_KO_FIRST = sorted(
    """으로부터 로부터 에서부터 에게서 에서 에게 한테 으로써 로써 으로서 로서 으로 로 까지 부터
    처럼 보다 마저 조차 이라는 라는 이라고 라고 이었다 였다 이었던 였던 이었고 였고 이다 이며 이고 이나
    이란 란 인 과 와 의 을 를 은 는 이 가 에 도 만 께 나 며""".split(),
    key=lambda s: (-len(s), s),
)
#: Every particle or ending that may follow a Korean noun (the search strips a subset: edition.presentation.search).
KO_PARTICLES: tuple[str, ...] = tuple(_KO_FIRST)
_KO_SECOND = sorted("의 은 는 도 만 을 를 과 와 이 가 로 으로 에".split(), key=lambda s: (-len(s), s))
KO_SUFFIX = (
    f"(?:{_KO_PLURAL})?(?:{'|'.join(_KO_FIRST)})?(?:{'|'.join(_KO_SECOND)})?"
)
_WORD = r"[^\W_]"  # a letter or digit in any script


@dataclass(frozen=True)
class Form:
    key: str  # what the form refers to, e.g. "term:nep", "person:trotsky"
    text: str
    lang: str


@dataclass(frozen=True)
class Hit:
    start: int
    end: int  # end of the form itself (particles are not part of the link)
    word_end: int  # end of the word, particles included
    key: str
    form: str


def _trie_pattern(words: Iterable[str]) -> str:
    """A regular expression matching any of *words*, preferring longer ones."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        if "" in node:  # a word may end here: try the longer ones first
            return f"(?:{body})?" if len(branches) == 1 else f"{body}?"
        return body

    return build(trie)


@dataclass(frozen=True)
class LanguageProfile:
    """How forms of one language stand in running text. Adding a language
    (German, French, …) is a profile here plus forms in the annotations."""

    #: What may follow a form inside its word (Korean particles, English
    #: plural and possessive), as a regular expression; not part of the link.
    suffix: str = ""
    #: A cased script: a form is also found with a capital first letter
    #: (sentence start) and with every word capitalised (names such as
    #: «Рабочей Оппозиции»); never with a capital inside a word.
    cased: bool = True
    #: The marks that open and close a quotation or a title in the language's
    #: typography (:mod:`edition.anchoring.work_citations`: a work's wording filling
    #: them is a citation). Opening and closing marks are matched loosely
    #: (scraped texts mix “…" ), so they are listed as two sets.
    opening_marks: tuple[str, ...] = ('"', "“", "‘", "'", "«", "„", "‹", "‚")
    closing_marks: tuple[str, ...] = ('"', "”", "’", "'", "»", "“", "›", "‘")
    #: Brackets around a source reference: (Carr, *Foundations*, vol. 2).
    source_brackets: tuple[tuple[str, str], ...] = (("(", ")"), ("[", "]"))


_EN_SUFFIX = r"(?:(?<=[sxz])es|(?<![sxz])s)?(?:['’]s|(?<=s)['’])?"

PROFILES: dict[str, LanguageProfile] = {
    # Korean titles stand in 「」『』 (books) 《》〈〉, also written << >> and < >
    # in plain-text sources, and in the Western quotation marks.
    "ko": LanguageProfile(
        suffix=KO_SUFFIX, cased=False,
        opening_marks=("「", "『", "《", "〈", "<<", "≪", "<", '"', "“", "‘", "'", "«"),
        closing_marks=("」", "』", "》", "〉", ">>", "≫", ">", '"', "”", "’", "'", "»"),
        source_brackets=(("(", ")"), ("[", "]"), ("（", "）"), ("［", "］")),
    ),
    # Russian: «ёлочки», „лапки“, and the Western marks of typed texts.
    "ru": LanguageProfile(
        opening_marks=("«", "„", "“", '"', "‚"),
        closing_marks=("»", "“", "”", '"', "‘"),
    ),
    "en": LanguageProfile(
        suffix=_EN_SUFFIX, opening_marks=('"', "“", "‘", "'"), closing_marks=('"', "”", "’", "'"),
    ),
}
#: A language without a profile: a cased script whose forms are listed in full.
DEFAULT_PROFILE = LanguageProfile()


def profile(lang: str) -> LanguageProfile:
    return PROFILES.get(lang, DEFAULT_PROFILE)


def _capitalised(word: str) -> str:
    return word[:1].upper() + word[1:]


def _variants(form: str, lang: str) -> set[str]:
    variants = {form}
    if profile(lang).cased:
        variants.add(_capitalised(form))  # sentence-initial capital
        variants.add(" ".join(_capitalised(word) for word in form.split(" ")))  # a capitalised name
    return variants


class _Tries(dict):
    """First letter -> the compiled trie of the forms starting with it, compiled
    when a text first has a word starting with that letter: a large register
    has thousands of first letters (Hangul syllables), most of which the texts
    being built never reach, and each pattern carries the language's suffixes."""

    def __init__(self, by_first: dict[str, list[str]], suffix: str):
        super().__init__()
        self._by_first, self._suffix = by_first, suffix

    def __missing__(self, first: str) -> re.Pattern:
        pattern = re.compile(f"(?P<form>{_trie_pattern(self._by_first[first])})(?P<suffix>{self._suffix})(?!{_WORD})")
        self[first] = pattern
        return pattern


class Lexicon:
    """All forms, compiled per language."""

    def __init__(self, forms: Iterable[Form]):
        self._keys: dict[tuple[str, str], str] = {}
        by_lang: dict[str, set[str]] = {}
        for form in forms:
            for variant in _variants(form.text, form.lang):
                self._keys.setdefault((form.lang, variant), form.key)
                by_lang.setdefault(form.lang, set()).add(variant)
        self._matchers = {lang: self._compile(lang, words) for lang, words in by_lang.items()}

    @staticmethod
    def _compile(lang: str, words: set[str]) -> tuple[re.Pattern, _Tries]:
        """A pattern for the places a form may start (a word start with a
        possible first letter) and, per first letter, the trie of its forms.

        One pattern with the whole trie gives the same hits, but Python's
        regex engine tries the alternatives of a branch one by one: with a
        thousand first letters that made matching four times slower."""
        by_first: dict[str, list[str]] = {}
        for word in words:
            by_first.setdefault(word[0], []).append(word)
        starts = re.compile(f"(?<!{_WORD})[{''.join(re.escape(c) for c in sorted(by_first))}]")
        return starts, _Tries(by_first, profile(lang).suffix)

    def find(self, text: str, lang: str) -> list[Hit]:
        if lang not in self._matchers:
            return []
        starts, tries = self._matchers[lang]
        hits: list[Hit] = []
        end = 0  # hits do not overlap: the leftmost wins, then the longest
        for start_match in starts.finditer(text):
            start = start_match.start()
            if start < end:
                continue
            match = tries[text[start]].match(text, start)
            if match is None:
                continue
            form = match.group("form")
            hits.append(Hit(start, match.end("form"), match.end(), self._keys[(lang, form)], form))
            end = match.end()
        return hits


# --- near misses, for the coverage report ------------------------------------------

_KO_WORD = re.compile(r"[가-힣A-Za-z0-9]+")
# A word of a cased script (Cyrillic, Latin, …), hyphenated compounds whole.
_CASED_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?")


def near_misses(text: str, lang: str, forms: Iterable[Form], found: Iterable[Hit]) -> list[tuple[str, str]]:
    """Words that look like a listed form but were not found: (word, key).

    Korean: a word that starts with a form but goes on with letters that are
    not particles (an unlisted compound or ending). Other languages: a word that
    shares a form's stem (all but its last two letters, at least four) but
    is not listed (a missing case form)."""
    spans = [(h.start, h.word_end) for h in found]

    def covered(start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in spans)

    misses: dict[str, str] = {}
    if lang == "ko":
        starts = sorted(((f.text, f.key) for f in forms if f.lang == "ko"), key=lambda p: -len(p[0]))
        for match in _KO_WORD.finditer(text):
            if covered(match.start(), match.end()):
                continue
            word = match.group()
            for form, key in starts:
                if word.startswith(form) and word != form and len(form) >= 2:
                    misses.setdefault(word, key)
                    break
    else:
        # A missing case form shares all but the last few letters of a listed one.
        stems: dict[str, str] = {}
        listed = set()
        for form in forms:
            if form.lang != lang or " " in form.text:
                continue
            word = form.text.lower()
            listed.add(word)
            for length in range(max(4, len(word) - 3), len(word)):
                stems.setdefault(word[:length], form.key)
        for match in _CASED_WORD.finditer(text):
            word = match.group().lower()
            if word in listed or covered(match.start(), match.end()):
                continue
            for length in range(len(word) - 1, 3, -1):
                if word[:length] in stems and len(word) - length <= 3:
                    misses.setdefault(match.group(), stems[word[:length]])
                    break
    return sorted(misses.items())
