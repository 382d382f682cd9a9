"""HTML search for a Korean and a Russian text with an English apparatus.

Sphinx has no Korean search language and one language per index. Its English
default splits Korean on spaces, so the index holds words with their particles
attached (트로츠키는); ``searchtools.js`` only matches parts of words for
queries of three characters or more, so a two-syllable name that never stands
bare (네프를, 네프의) cannot be found at all. Russian words are indexed as
written, so a query in another case (децистов) misses the text's «децистами».

:class:`SearchEdition` fixes both, on both sides of the search:

* Hangul words are indexed as written *and* with their particles stripped
  (:func:`strip_particles`: 국민당으로부터의 → 국민당); queries are stripped the
  same way before the lookup, so 네프를, 네프 or 네프의 all find 네프.
* Cyrillic words are indexed by their Snowball Russian stem, Latin words by
  their Snowball English stem (as Sphinx does now for English).

The browser side (``js_splitter_code``, ``js_stemmer_code``, embedded in
``_static/language_data.js``) is generated from the same particle lists and
Snowball's JavaScript stemmers shipped with Sphinx, so what is indexed and
what is searched agree; ``tests/test_search.py`` checks the two against each
other on every word of the texts.

This module holds the rules (pure Python, no Sphinx); the search language
Sphinx uses, its browser code and the wiring, ``setup_search(app)`` in the
extension's ``setup()`` with ``html_search_language = "edition"`` in
``conf.py``, are :mod:`edition.sphinxext.html.search`. The index Sphinx writes is
then split by script (``edition/presentation/search_shards.py``).
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from importlib import metadata

from ..anchoring.lexicon import KO_PARTICLES


#: The code for ``html_search_language``.
LANG = "edition"

#: Particles the search does not strip, of those the linker knows to follow a
#: noun (:data:`edition.anchoring.lexicon.KO_PARTICLES`). The linker only looks behind a
#: form it knows; the search strips from every word, where a single syllable
#: such as 나, 며, 인, 란, 께 more often ends the word itself (하나, 그러나) and
#: 였고, 였던, 이었고, 이었던, 이나, 이란 end verbs and copulas. 마저, 조차, 한테
#: would be safe: stripping them changes the index (and RULES_DIGEST), so it
#: waits for a change that checks search results with them.
NOT_STRIPPED: frozenset[str] = frozenset("께 나 란 며 인 이나 이란 였고 였던 이었고 이었던 마저 조차 한테".split())

#: Korean particles and copula endings, stripped from the end of a Hangul word.
#: Longest first: the first that ends the word is the one removed.
PARTICLES: tuple[str, ...] = tuple(sorted(
    (p for p in KO_PARTICLES if p not in NOT_STRIPPED), key=lambda p: (-len(p), p),
))

#: Particles that can follow another one (국민당으로부터+의, 에서+는, 과+의,
#: 까지+도, 만+을): when the last particle stripped is one of these, a second
#: particle before it is stripped too.
FOLLOWERS: frozenset[str] = frozenset("의 는 은 도 만 을 를".split())

#: Nouns whose last syllable looks like a particle (사회주의, 노동자국가,
#: 관료제도): a word ending in one keeps that syllable. Two-syllable words are
#: safe anyway (:data:`MIN_STEM`); these protect the compounds.
PROTECTED: tuple[str, ...] = tuple("""
    주의 회의 논의 합의 동의 결의 협의 토의 제의 정의
    국가 평가 대가 제도 정도 태도 지도 결과 효과
    """.split())

#: The plural suffix, stripped before the particles (노동자들이 → 노동자).
PLURAL = "들"

#: Particles are only stripped when at least this many characters remain.
MIN_STEM = 2

_HANGUL = re.compile("[\uac00-\ud7a3]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")

#: Snippets and highlights in the browser (in edition/static/).
SEARCH_JS = "edition-search.js"


def _strip_one(word: str, choices: tuple[str, ...]) -> tuple[str, str | None]:
    for particle in choices:
        if not word.endswith(particle) or len(word) - len(particle) < MIN_STEM:
            continue
        if any(word.endswith(noun) and len(noun) > len(particle) for noun in PROTECTED):
            continue
        return word[: -len(particle)], particle
    return word, None


@lru_cache(maxsize=1 << 16)  # words repeat: the index feeds every word of every page through here
def strip_particles(word: str) -> str:
    """The word without its trailing Korean particles (and plural 들).

    Deterministic and mirrored exactly by ``stripParticles`` in
    ``SearchEdition.js_stemmer_code`` (:mod:`edition.sphinxext.html.search`): at most one particle, or two when the last is one
    of :data:`FOLLOWERS`, then a plural 들; never leaving fewer than :data:`MIN_STEM`
    characters, never cutting into a :data:`PROTECTED` noun. Words without
    Hangul come back unchanged.
    """
    if not _HANGUL.search(word):
        return word
    stem, last = _strip_one(word, PARTICLES)
    if last in FOLLOWERS:
        stem, _ = _strip_one(stem, PARTICLES)
    stem, _ = _strip_one(stem, (PLURAL,))
    return stem


JS_STEMMER_TEMPLATE = """
/* edition.presentation.search: Korean particles stripped, Russian and English stemmed
 * (Snowball). Mirrors edition/presentation/search.py; generated from its lists. */
var EditionSearch = (function () {
  var PARTICLES = %(particles)s;
  var FOLLOWERS = new Set(%(followers)s);
  var PROTECTED = %(protected)s;
  var PLURAL = %(plural)s;
  var MIN_STEM = %(min_stem)d;
  var HANGUL = /[\\uac00-\\ud7a3]/;
  var CYRILLIC = /[\\u0400-\\u04ff]/;
  var russian = new RussianStemmer();
  var english = new EnglishStemmer();
  /* Lengths in code points, as Python counts them. */
  var len = function (s) { return Array.from(s).length; };
  var stripOne = function (word, choices) {
    for (var i = 0; i < choices.length; i++) {
      var p = choices[i];
      if (!word.endsWith(p) || len(word) - len(p) < MIN_STEM) continue;
      if (PROTECTED.some(function (noun) {
        return word.endsWith(noun) && len(noun) > len(p);
      })) continue;
      return [word.slice(0, word.length - p.length), p];
    }
    return [word, null];
  };
  var stripParticles = function (word) {
    if (!HANGUL.test(word)) return word;
    var r = stripOne(word, PARTICLES);
    var stem = r[0];
    if (r[1] !== null && FOLLOWERS.has(r[1])) stem = stripOne(stem, PARTICLES)[0];
    return stripOne(stem, [PLURAL])[0];
  };
  /* The index-side stem of a word as written (Python's stem()). */
  var stemScript = function (word) {
    word = word.toLowerCase();
    if (HANGUL.test(word)) return word;
    if (CYRILLIC.test(word)) return russian.stemWord(word);
    return english.stemWord(word);
  };
  /* The query-side stem: particles off, then the script's stemmer. */
  var stemQuery = function (word) {
    return stemScript(stripParticles(word.toLowerCase()));
  };
  return {
    stripParticles: stripParticles,
    stemScript: stemScript,
    stemQuery: stemQuery,
    /* Every index term a word of the text stands under. */
    termsOf: function (word) {
      var terms = [stemScript(word)];
      var stripped = stripParticles(word);
      if (stripped !== word) terms.push(stemScript(stripped));
      return terms;
    },
  };
})();

var Stemmer = function () {
  this.stemWord = function (word) {
    return EditionSearch.stemQuery(word);
  };
};
window.Stemmer = Stemmer;
window.EditionSearch = EditionSearch;
"""

#: ``splitQuery``: NFC (Hangul typed on macOS arrives decomposed), then runs of
#: letters, digits and underscores, which is what Python's ``\\w+`` finds.
JS_SPLITTER_CODE = """
var splitQuery = function (query) {
  return query.normalize("NFC").match(/[\\p{L}\\p{N}_]+/gu) || [];
};
window.splitQuery = splitQuery;
"""


def stem_script(word: str, russian, english) -> str:
    """The index-side stem of a word as written: Hangul as it is, Cyrillic by the
    Russian and the rest by the English Snowball stemmer (*russian*, *english*)."""
    word = word.lower()
    if _HANGUL.search(word):
        return word
    if _CYRILLIC.search(word):
        return russian.stemWord(word)
    return english.stemWord(word)


#: A digest of what decides the index's terms. Registered as an "html" config
#: value (never set in conf.py): when the rules change, the build info changes
#: and Sphinx rewrites every page, so an incremental build keeps no terms made
#: by the old rules.
RULES_DIGEST = hashlib.sha256(json.dumps(
    [PARTICLES, sorted(FOLLOWERS), PROTECTED, PLURAL, MIN_STEM, metadata.version("snowballstemmer")],
    ensure_ascii=False,
).encode()).hexdigest()[:16]
