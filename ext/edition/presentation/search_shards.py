"""The search index in shards by script, so a reader downloads only what a query needs.

Sphinx writes one ``searchindex.js``, and the theme loads it on every page. Its
``terms`` (every stem of every word) grow with the texts and are nearly all of
it; a reader searching in Russian has no use for the Korean ones. After Sphinx
has written the index, :func:`split_index` moves the terms (and title terms)
of each script into ``searchindex-<script>.js`` beside it, leaving the core
(pages, titles, objects) and the terms of small scripts in ``searchindex.js``.
In a shard, runs of consecutive page numbers are written as their ends
(:func:`encode_docs`), which the browser expands.
The core lists each shard with its file, a hash of its content (a cache
buster, like Sphinx's ``?v=`` on static files) and the code point ranges of
its script; ``static/edition-search-shards.js`` loads the shards whose ranges
the query's stemmed words touch before Sphinx's own search runs, and that
search is left unchanged.

The script of a letter is the first word of its Unicode name (LATIN, CYRILLIC,
HANGUL, GREEK, GEORGIAN, CJK, …; FULLWIDTH and HALFWIDTH forms go with their
script): a text in a new script gets its own shard with no change here. A term
goes to the shard of each script it has letters of (a mixed term is in both),
and one with no letters at all (numbers) to ``common``. Why this is enough for
Sphinx's search, exact and partial: a term that contains a query word contains
each of its letters, so it is in the shard of any of them; a query word with
no letters could be part of any term, so it loads every shard.

Sphinx reads ``searchindex.js`` back on an incremental build and keeps the
terms of the pages it does not rewrite. The build hands it the whole index
again, core and shards merged (``builder-inited``); if a shard is missing or
damaged, every page is re-read so the index is made afresh. On writing, a
script none of whose terms changed keeps its shard as it was
(:class:`PreviousSplit`). The files and the build's events are
:mod:`edition.sphinxext.html.search`; this module is the splitting itself, pure.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

#: The index's keys that are split: term -> page number(s).
SHARDED_KEYS = ("terms", "titleterms")
#: Where the core lists its shards.
MANIFEST_KEY = "edition_shards"
#: The shard of terms without letters.
COMMON = "common"
#: A shard file: ``EditionSearchShards.add("<script>",{…})``.
SHARD_PREFIX = "EditionSearchShards.add("
SHARD_SUFFIX = ")"
SHARD_FILE = re.compile(r"searchindex-([a-z0-9]+)\.js")
#: Name prefixes of letters that belong to the script named after them.
_FORM_PREFIXES = frozenset({"FULLWIDTH", "HALFWIDTH"})
#: Inside a JSON string these are legal, but not safe in every JavaScript
#: context (``</script>``, line separators, lone surrogates): written as \\u escapes.
_UNSAFE_IN_JS = re.compile("[<>&\u2028\u2029\ud800-\udfff]")

#: Config: a script's terms get their own file when it would be at least this
#: many bytes. Below that, one more request costs about what it saves.
CONFIG_SHARD_BYTES = "edition_search_shard_bytes"
DEFAULT_SHARD_BYTES = 32 * 1024


@lru_cache(maxsize=1 << 14)
def script_of(char: str) -> str | None:
    """The script a letter is written in, lower case (``None`` for a non-letter).

    Remembered: an index has hundreds of thousands of terms but few letters."""
    return _script_of(char)


def _script_of(char: str) -> str | None:
    if not char.isalpha():
        return None
    words = unicodedata.name(char, "").split()
    while words and words[0] in _FORM_PREFIXES:
        words = words[1:]
    if not words:
        return None
    script = re.sub(r"[^a-z0-9]", "", words[0].lower())
    return script or None


def term_scripts(term: str) -> frozenset[str]:
    """The scripts of a term's letters, or ``{COMMON}`` when it has none."""
    scripts = frozenset(s for s in map(script_of, set(term)) if s is not None)
    return scripts or frozenset({COMMON})


@lru_cache(maxsize=1)
def _script_table() -> dict[str, tuple[tuple[int, int], ...]]:
    """script -> its code point ranges, from the whole Unicode database (0.4 s, once)."""
    ranges: dict[str, list[list[int]]] = {}
    for code in range(sys.maxunicode + 1):
        script = _script_of(chr(code))
        if script is None:
            continue
        spans = ranges.setdefault(script, [])
        if spans and spans[-1][1] == code - 1:
            spans[-1][1] = code
        else:
            spans.append([code, code])
    return {script: tuple((a, b) for a, b in spans) for script, spans in ranges.items()}


def script_ranges(script: str) -> list[list[int]]:
    """The code point ranges of a script's letters (none for :data:`COMMON`)."""
    return [list(span) for span in _script_table().get(script, ())]


def encode_docs(docs: int | list[int]) -> int | list[int]:
    """A term's page numbers with each run of three or more as ``start, -end``.

    Sphinx's lists are sorted; in a large edition a word stands on many pages
    in a row, and these lists are most of an index's bytes.
    """
    if isinstance(docs, int):
        return docs
    encoded: list[int] = []
    i = 0
    while i < len(docs):
        j = i
        while j + 1 < len(docs) and docs[j + 1] == docs[j] + 1:
            j += 1
        encoded += [docs[i], -docs[j]] if j - i >= 2 else docs[i:j + 1]
        i = j + 1
    return encoded


def decode_docs(encoded: int | list[int]) -> int | list[int]:
    """Inverse of :func:`encode_docs` (``expand`` in edition-search-shards.js)."""
    if isinstance(encoded, int):
        return encoded
    docs: list[int] = []
    for number in encoded:
        if number < 0:
            docs.extend(range(docs[-1] + 1, -number + 1))
        else:
            docs.append(number)
    return docs


def dumps_shard(script: str, payload: dict[str, Any]) -> str:
    """A shard's file: JSON (UTF-8, nothing that can end a script) in a call."""
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    data = _UNSAFE_IN_JS.sub(lambda m: f"\\u{ord(m.group()):04x}", data)
    return f'{SHARD_PREFIX}{json.dumps(script)},{data}{SHARD_SUFFIX}'


def loads_shard(text: str) -> tuple[str, dict[str, Any]]:
    """(script, payload) of a shard file; ``ValueError`` when it is not one."""
    if not text.startswith(SHARD_PREFIX) or not text.endswith(SHARD_SUFFIX):
        raise ValueError("not a search index shard")
    decoder = json.JSONDecoder()
    body = text[len(SHARD_PREFIX):-len(SHARD_SUFFIX)]
    script, end = decoder.raw_decode(body)
    if not isinstance(script, str) or body[end:end + 1] != ",":
        raise ValueError("not a search index shard")
    payload = json.loads(body[end + 1:])
    if not isinstance(payload, dict) or any(not isinstance(payload.get(k), dict) for k in SHARDED_KEYS):
        raise ValueError("not a search index shard")
    return script, payload


def shard_file(script: str) -> str:
    return f"searchindex-{script}.js"


@dataclass(frozen=True)
class PreviousSplit:
    """What the last build wrote, read back: the whole index (its terms' page
    numbers decoded), its shard files and their manifest, and the threshold
    they were split at. :func:`split_index` keeps a script's shard as it was
    when none of its terms changed (an incremental build re-indexes a few pages)."""

    index: dict[str, Any]
    files: dict[str, str]
    manifest: dict[str, dict[str, Any]]
    min_bytes: int


def split_index(index: dict[str, Any], min_bytes: int,
                previous: PreviousSplit | None = None) -> tuple[dict[str, Any], dict[str, str]]:
    """The core index and ``{file name: content}`` of the shards.

    A script's terms go to a shard when its file would be at least *min_bytes*;
    a term stays in the core too unless all its scripts have a shard. Terms of
    no page (Sphinx keeps those of removed pages, with ``[]``) are left out.
    With no shard at all the index comes back as it was. With *previous*, a
    script none of whose terms changed keeps its file as it was, unwritten:
    the result is the same as without (tests/test_search_shards.py).
    """
    if previous is not None and previous.min_bytes != min_bytes:
        previous = None
    by_script: dict[str, dict[str, dict[str, Any]]] = {}
    scripts_of: dict[str, frozenset[str]] = {}
    changed: set[str] = set()
    for key in SHARDED_KEYS:
        terms = index[key]
        before = previous.index.get(key, {}) if previous is not None else {}
        for term, docs in terms.items():
            if docs == []:
                continue
            scripts = scripts_of.get(term)
            if scripts is None:
                scripts = scripts_of[term] = term_scripts(term)
            for script in scripts:
                by_script.setdefault(script, {k: {} for k in SHARDED_KEYS})[key][term] = docs
            if previous is not None and before.get(term) != docs:
                changed.update(scripts)
        for term, docs in before.items():  # terms no page has any more
            if docs != [] and terms.get(term, []) == []:
                changed.update(term_scripts(term))
    files: dict[str, str] = {}
    manifest: dict[str, dict[str, Any]] = {}
    for script in sorted(by_script):
        name = shard_file(script)
        if previous is not None and script not in changed:
            # The same terms on the same pages: the same file, or still too small for one.
            if name in previous.files and script in previous.manifest:
                files[name] = previous.files[name]
                manifest[script] = previous.manifest[script]
            continue
        payload = {key: {term: encode_docs(docs) for term, docs in terms.items()}
                   for key, terms in by_script[script].items()}
        text = dumps_shard(script, payload)
        data = text.encode("utf-8")
        if len(data) < min_bytes:
            continue
        files[name] = text
        known = previous.manifest.get(script) if previous is not None else None
        manifest[script] = {
            "file": name,
            "hash": hashlib.sha256(data).hexdigest()[:16],
            # A script's ranges depend on nothing but the Unicode database (0.4 s to make).
            "ranges": known["ranges"] if known is not None else script_ranges(script),
        }
    if not manifest:
        return index, {}
    core = dict(index)
    for key in SHARDED_KEYS:
        core[key] = {
            term: docs for term, docs in index[key].items()
            if term in scripts_of and not scripts_of[term] <= manifest.keys()
        }
    core[MANIFEST_KEY] = manifest
    return core, files


def merge_index(core: dict[str, Any], shards: dict[str, dict[str, Any]], ordered: bool = True) -> dict[str, Any]:
    """The whole index again from the core and ``{script: payload}`` (inverse of :func:`split_index`).

    *ordered*: terms in order, as Sphinx writes them; handed straight to Sphinx's
    indexer, which keeps no order, they need not be sorted."""
    index = {key: value for key, value in core.items() if key != MANIFEST_KEY}
    for key in SHARDED_KEYS:
        merged = dict(core[key])
        for payload in shards.values():
            merged.update((term, decode_docs(docs)) for term, docs in payload[key].items())
        index[key] = dict(sorted(merged.items())) if ordered else merged
    return index
