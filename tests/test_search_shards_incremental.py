"""An incremental build's split of the search index (edition/search_shards.py) equals
a full split: the shards of scripts whose terms did not change are kept as the last
build wrote them, and nothing else differs, whatever changed in between (pages'
terms changed, terms gone, new scripts, a shard falling under the threshold).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from edition.presentation.search_shards import MANIFEST_KEY, PreviousSplit, loads_shard, merge_index, split_index

#: Letters of several scripts, and characters of none (a term of digits goes to "common").
LETTERS = "abcжзы한국αβ中ა12"
TERMS = st.text(alphabet=LETTERS, min_size=1, max_size=4)
DOCS = st.one_of(st.integers(0, 30), st.lists(st.integers(0, 30), max_size=6, unique=True).map(sorted))
INDICES = st.dictionaries(TERMS, DOCS, max_size=40)


def sphinx_index(terms: dict, titleterms: dict) -> dict:
    return {"alltitles": {}, "docnames": ["a", "b"], "envversion": {"sphinx": 66}, "filenames": ["a.md", "b.md"],
            "indexentries": {}, "objects": {}, "objnames": {}, "objtypes": {}, "terms": terms,
            "titles": ["A", "B"], "titleterms": titleterms}


def previous_of(index: dict, min_bytes: int) -> PreviousSplit | None:
    """What the next build reads back from the files a full split wrote (sphinxext/html/search.py)."""
    core, files = split_index(index, min_bytes)
    if not files:
        return None
    shards = dict(loads_shard(text) for text in files.values())
    return PreviousSplit(merge_index(core, shards, ordered=False), files, core[MANIFEST_KEY], min_bytes)


@settings(max_examples=300, deadline=None)
@given(before=INDICES, before_titles=INDICES, after=INDICES, after_titles=INDICES,
       kept=st.sets(TERMS, max_size=30), min_bytes=st.sampled_from([1, 40, 80, 200]))
def test_an_incremental_split_is_the_full_split(before, before_titles, after, after_titles, kept, min_bytes):
    # The next build's index: some terms as they were, others changed, gone or new.
    terms = {**{t: d for t, d in before.items() if t in kept}, **after}
    titleterms = {**{t: d for t, d in before_titles.items() if t in kept}, **after_titles}
    previous = previous_of(sphinx_index(before, before_titles), min_bytes)
    index = sphinx_index(terms, titleterms)
    assert split_index(index, min_bytes, previous) == split_index(index, min_bytes)


def test_an_unchanged_script_keeps_its_file_and_a_changed_one_is_written_anew():
    before = sphinx_index({"alpha": [0, 1], "beta": 1, "한국": [0, 1], "국가": 0}, {})
    previous = previous_of(before, 1)
    # Page b loses "beta": only the Latin shard changes.
    after = sphinx_index({"alpha": [0, 1], "beta": [], "한국": [0, 1], "국가": 0}, {})
    core, files = split_index(after, 1, previous)
    assert files["searchindex-hangul.js"] is previous.files["searchindex-hangul.js"]
    assert files["searchindex-latin.js"] != previous.files["searchindex-latin.js"]
    assert "beta" not in loads_shard(files["searchindex-latin.js"])[1]["terms"]
    assert (core, files) == split_index(after, 1)


def test_a_changed_threshold_splits_afresh():
    index = sphinx_index({"alpha": [0, 1], "한국": [0, 1]}, {})
    previous = previous_of(index, 1)
    assert split_index(index, 10**9, previous) == (index, {})
