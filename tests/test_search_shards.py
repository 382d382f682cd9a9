"""The search index in shards by script (edition/presentation/search_shards.py).

First the splitting on its own, on made-up indices (scripts the edition does
not have, mixed terms, hostile strings), then built sites in Chromium: the
edition as it is (its largest script in a shard, the others in the core), and
a copy with made-up English and Greek texts built with a one-byte threshold,
so that every script is a shard. A query loads exactly the shards of its
words' scripts and finds what Sphinx's unsharded search finds.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sphinx.search import js_index

from conftest import KO_DOC, RU_DOC, sphinx_build, sphinx_build_here
from edition.presentation.search_shards import (
    COMMON,
    MANIFEST_KEY,
    decode_docs,
    dumps_shard,
    encode_docs,
    loads_shard,
    merge_index,
    script_of,
    script_ranges,
    shard_file,
    split_index,
    term_scripts,
)
from support.search import GLOSSARY_DOC, KO_PARTICLE_ONLY, QuietHandler, result_docs

EPOCH = os.environ.get("SOURCE_DATE_EPOCH") or "1700000000"
SHARD = re.compile(r"/searchindex-([a-z0-9]+)\.js$")


def needed_shards(word: str, manifest: dict) -> set[str]:
    """Python twin of scriptsFor() in edition-search-shards.js, for one stemmed word."""
    if not any(c.isalpha() for c in word):
        return set(manifest)
    return {
        script for script, entry in manifest.items()
        for c in word if any(a <= ord(c) <= b for a, b in entry["ranges"])
    }


def made_up_index(terms: dict[str, object], titleterms: dict[str, object] | None = None) -> dict:
    """An index shaped like Sphinx's (the keys the splitting leaves alone included)."""
    return {
        "alltitles": {"Ἀρχή": [[0, None]]}, "docnames": ["a", "b"], "envversion": {"sphinx": 66},
        "filenames": ["a.md", "b.md"], "indexentries": {}, "objects": {}, "objnames": {}, "objtypes": {},
        "terms": terms, "titles": ["A", "B"], "titleterms": titleterms or {},
    }


# --- the splitting on its own ---------------------------------------------------


@pytest.mark.parametrize(("char", "script"), [
    ("a", "latin"), ("Ж", "cyrillic"), ("한", "hangul"), ("ㄱ", "hangul"), ("ﾡ", "hangul"),  # halfwidth
    ("Ａ", "latin"),  # fullwidth
    ("λ", "greek"), ("ა", "georgian"), ("א", "hebrew"), ("中", "cjk"), ("ß", "latin"),
    ("1", None), ("_", None), ("²", None), ("-", None),
])
def test_the_script_of_a_letter_comes_from_its_unicode_name(char, script):
    assert script_of(char) == script


def test_term_scripts():
    assert term_scripts("2001년") == {"hangul"}
    assert term_scripts("1927") == {COMMON}
    assert term_scripts("nep네프") == {"latin", "hangul"}


def test_ranges_hold_exactly_the_letters_of_their_script():
    for script in ("latin", "hangul", "georgian"):
        ranges = script_ranges(script)
        assert ranges == sorted(ranges)
        for a, b in ranges:
            assert script_of(chr(a)) == script and script_of(chr(b)) == script
            assert a == 0 or script_of(chr(a - 1)) != script
    assert script_ranges(COMMON) == []


def test_every_script_gets_its_shard_and_the_core_keeps_the_rest():
    terms = {
        "노선": [0, 1], "децист": 0, "prison": 1, "γραφειοκρατ": 0, "ბიუროკრატ": 1,  # Greek, Georgian: new
        "1927": [0, 1], "nep네프": 1,
    }
    index = made_up_index(terms | {"gone": []}, {"노선": 0, "ἀρχή": 1})  # "gone": a removed page's
    core, files = split_index(index, 1)
    manifest = core[MANIFEST_KEY]
    assert set(manifest) == {"hangul", "cyrillic", "latin", "greek", "georgian", COMMON}
    assert set(files) == {shard_file(s) for s in manifest}
    assert core["terms"] == {} and core["titleterms"] == {}
    shards = dict(loads_shard(text) for text in files.values())
    assert shards["georgian"]["terms"] == {"ბიუროკრატ": 1}
    assert shards["greek"]["titleterms"] == {"ἀρχή": 1}
    assert shards[COMMON]["terms"] == {"1927": [0, 1]}
    # A mixed term is in the shard of each of its scripts.
    assert "nep네프" in shards["latin"]["terms"] and "nep네프" in shards["hangul"]["terms"]
    # What is not split is untouched, and the whole comes back as it was.
    assert {k: v for k, v in core.items() if k not in ("terms", "titleterms", MANIFEST_KEY)} == {
        k: v for k, v in index.items() if k not in ("terms", "titleterms")}
    assert merge_index(core, shards) == {**index, "terms": dict(sorted(terms.items())),
                                         "titleterms": dict(sorted(index["titleterms"].items()))}
    assert json.loads(json.dumps(core)) == core  # plain JSON, as searchindex.js needs


def test_small_scripts_stay_in_the_core():
    terms = {f"노선{i}": i for i in range(2000)} | {"децист": 0, "prison": 1, "nep네프": 1}
    index = made_up_index(terms)
    hangul_bytes = len(dumps_shard("hangul", {"terms": {k: v for k, v in terms.items() if "노" in k or "네" in k},
                                              "titleterms": {}}).encode())
    core, files = split_index(index, hangul_bytes)
    assert set(core[MANIFEST_KEY]) == {"hangul"} and set(files) == {"searchindex-hangul.js"}
    # The mixed term is in the Hangul shard and, its Latin letters having no shard, in the core.
    assert set(core["terms"]) == {"децист", "prison", "nep네프"}


def test_below_the_threshold_nothing_changes():
    index = made_up_index({"노선": 0, "децист": 1})
    core, files = split_index(index, 10**9)
    assert core is index and files == {}


@pytest.mark.parametrize(("docs", "encoded"), [
    (7, 7), ([1, 2], [1, 2]), ([0, 1, 2], [0, -2]), ([3, 4, 5, 6, 9, 11, 12, 13], [3, -6, 9, 11, -13]),
])
def test_runs_of_pages_are_written_as_their_ends(docs, encoded):
    assert encode_docs(docs) == encoded
    assert decode_docs(encoded) == docs


@given(st.sets(st.integers(min_value=0, max_value=300)).map(sorted))
def test_page_runs_round_trip(docs):
    assert decode_docs(encode_docs(docs)) == docs
    assert len(encode_docs(docs)) <= len(docs)


def test_hostile_strings_cannot_leave_the_shard():
    hostile = "</script><script>alert('x')</script>\"\\\u2028\u2029&<!--\ud800"
    text = dumps_shard("latin", {"terms": {hostile: 0, "plain": 1}, "titleterms": {}})
    for unsafe in ("<", ">", "\u2028", "\u2029", "\ud800"):
        assert unsafe not in text
    text.encode("utf-8")  # writable: no lone surrogate left raw
    assert loads_shard(text) == ("latin", {"terms": {hostile: 0, "plain": 1}, "titleterms": {}})


@pytest.mark.parametrize("bad", ["", "Search.setIndex({})", 'EditionSearchShards.add("x",[])',
                                 'EditionSearchShards.add(1,{"terms":{},"titleterms":{}})'])
def test_a_damaged_shard_is_refused(bad):
    with pytest.raises(ValueError):
        loads_shard(bad)


ALPHABETS = "abcxyzéß" + "абвжя" + "가나다한글" + "αβγλ" + "აბგ" + "0123_"


@settings(max_examples=150, deadline=None)
@given(
    terms=st.lists(st.text(alphabet=ALPHABETS, min_size=1, max_size=6), min_size=1, max_size=25, unique=True),
    min_bytes=st.sampled_from([1, 60, 200, 10**9]),
)
def test_every_word_inside_a_term_loads_a_shard_holding_it(terms, min_bytes):
    """What Sphinx's search looks up, exact or partial, is there once the needed shards are."""
    index = made_up_index({t: i for i, t in enumerate(terms)})
    core, files = split_index(index, min_bytes)
    manifest = core.get(MANIFEST_KEY, {})
    shards = dict(loads_shard(text) for text in files.values())
    assert merge_index(core, shards)["terms"] == dict(sorted(index["terms"].items()))
    for term in terms:
        for start in range(len(term)):
            for end in range(start + 1, len(term) + 1):
                word = term[start:end]
                available = set(core["terms"]).union(*(shards[s]["terms"] for s in needed_shards(word, manifest)))
                assert term in available, (word, term, sorted(needed_shards(word, manifest)))


# --- built sites in the browser -------------------------------------------------


GREEK_PAGE = """\
Αρχείο | Αρχική
Η γραφειοκρατία και ο Thermidor
Η γραφειοκρατία κυβερνά στο όνομα της εργατικής τάξης, έγραφε η αντιπολίτευση.
Ένας αναγνώστης έστειλε: </script><script>alert("x")</script> 'εισαγωγικά' \\ &amp; <!-- σχόλιο
Ο Thermidor της επανάστασης ήρθε χωρίς θόρυβο.
© Αρχείο
"""

GREEK_META = """\
id: made-up-thermidor-el
lang: el
title_en: The Bureaucracy and the Thermidor
publication: A made-up page for the tests
begins_with: Η γραφειοκρατία και ο Thermidor
ends_with: Ο Thermidor της επανάστασης ήρθε χωρίς θόρυβο.
"""
GREEK_DOC = "texts/made-up-thermidor-el"
ENGLISH_DOC = "texts/made-up-lessons"


def serve(directory: Path):
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="module")
def made_up_project(tmp_path_factory):
    """A copy of the project with made-up English and Greek texts: its root."""
    from support.made_up import copy_project, run_import, write_page

    project = copy_project(tmp_path_factory.mktemp("shards"))
    greek = project / "sources" / "950_made_up_el.txt"
    greek.write_text(GREEK_PAGE, encoding="utf-8")
    greek.with_name(greek.stem + ".meta.yaml").write_text(GREEK_META, encoding="utf-8")
    result = run_import(project, write_page(project / "sources", "en"), greek)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def build(project: Path, out: Path, *extra: str, doctrees: Path | None = None, here: bool = False):
    """A sharded build in its own process, or with *here* in this one (a single clean build only:
    rebuilds and -j 2 need their own process)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    result = (sphinx_build_here if here else sphinx_build)(
        "html", out, "-D", "edition_search_shard_bytes=1", *extra,
        "-d", str(doctrees or out.with_name(out.name + "-doctrees")),
        srcdir=project / "docs", confdir=project / "conf", env=env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return out


def index_files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("searchindex*.js"))}


def manifest_of(out: Path) -> dict:
    return js_index.loads((out / "searchindex.js").read_text(encoding="utf-8")).get(MANIFEST_KEY, {})


@pytest.fixture(scope="module")
def all_sharded(made_up_project, tmp_path_factory):
    return build(made_up_project, tmp_path_factory.mktemp("all-sharded") / "html", here=True)


@pytest.fixture(scope="module")
def unsharded(tmp_path_factory):
    """The edition with a threshold no script reaches: Sphinx's own index."""
    out = tmp_path_factory.mktemp("unsharded") / "html"
    result = sphinx_build("html", out, "-D", "edition_search_shard_bytes=1000000000")
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr
    return out


@pytest.fixture(scope="module")
def sites(html_build, all_sharded, unsharded):
    servers = {}
    for name, directory in (("edition", html_build), ("made-up", all_sharded), ("unsharded", unsharded)):
        servers[name] = serve(directory)
    yield {name: url for name, (_, url) in servers.items()}
    for server, _ in servers.values():
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def search(chromium):
    """(site, query, route=None) -> (result docs, shard scripts requested, the page)."""
    contexts = []

    def run(site: str, query: str, route=None, wait_for_results: bool = True):
        ctx = chromium.new_context()
        contexts.append(ctx)
        page = ctx.new_page()
        errors, requested = [], []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("request", lambda req: requested.append(urlsplit(req.url).path))
        if route:
            page.route(*route)
        page.goto(f"{site}search.html?q={quote(query)}")
        if wait_for_results:
            page.wait_for_function(
                "() => { const s = document.querySelector('#search-results p.search-summary');"
                " return s && s.textContent.trim().length > 0; }", timeout=20000)
        assert not errors, errors
        shards = sorted(m.group(1) for path in requested if (m := SHARD.search(path)))
        return result_docs(page, site), shards, page

    yield run
    for ctx in contexts:
        ctx.close()


def scripts_of_query(query: str) -> set[str]:
    return {s for s in map(script_of, query) if s is not None}


@pytest.mark.parametrize(("query", "doc"), [
    (KO_PARTICLE_ONLY[0], KO_DOC),
    ("децистов", RU_DOC),
    ("Thermidor", ENGLISH_DOC),
    ("γραφειοκρατία", GREEK_DOC),  # a script the edition's own texts do not have
])
def test_a_query_loads_only_its_scripts_shard(search, sites, all_sharded, query, doc):
    manifest = manifest_of(all_sharded)
    assert {"hangul", "cyrillic", "latin", "greek"} <= set(manifest)
    docs, shards, _ = search(sites["made-up"], query)
    assert doc in docs
    assert shards == sorted(scripts_of_query(query)), shards


@pytest.mark.parametrize(("query", "doc"), [
    ("신경제정책 нэп", GLOSSARY_DOC),  # one entry's Korean and Russian forms
    ("Thermidor γραφειοκρατία", GREEK_DOC),
])
def test_a_query_in_two_scripts_loads_both_and_finds_the_page(search, sites, query, doc):
    docs, shards, _ = search(sites["made-up"], query)
    assert doc in docs
    assert shards == sorted(scripts_of_query(query)) and len(shards) == 2


def test_results_are_those_of_the_unsharded_index(search, sites, html_build, unsharded):
    # Put together again, the shards and the core are Sphinx's index byte for byte.
    core = js_index.loads((html_build / "searchindex.js").read_text(encoding="utf-8"))
    shards = dict(loads_shard((html_build / shard_file(s)).read_text(encoding="utf-8")) for s in core[MANIFEST_KEY])
    assert js_index.dumps(merge_index(core, shards)) == (unsharded / "searchindex.js").read_text(encoding="utf-8")
    assert not list(unsharded.glob("searchindex-*.js"))
    for query in (KO_PARTICLE_ONLY[1], "Цилигой", "NEP", "prison"):
        sharded, _, _ = search(sites["edition"], query)
        whole, shards, _ = search(sites["unsharded"], query)
        assert shards == []
        assert sharded == whole and whole, query


def test_the_edition_shards_its_largest_script_and_a_page_loads_no_shard(search, sites, html_build, chromium):
    manifest = manifest_of(html_build)
    assert manifest, "the edition's index has no shard at the default threshold"
    core_terms = js_index.loads((html_build / "searchindex.js").read_text(encoding="utf-8"))["terms"]
    for script in ("hangul", "cyrillic", "latin"):
        if script not in manifest:
            assert any(script in term_scripts(t) for t in core_terms), script
    for query in (KO_PARTICLE_ONLY[0], "децистов", "NEP"):
        _, shards, _ = search(sites["edition"], query)
        assert shards == sorted(scripts_of_query(query) & set(manifest)), (query, shards)
    # A reader who does not search downloads the core only.
    ctx = chromium.new_context()
    page = ctx.new_page()
    requested = []
    page.on("request", lambda req: requested.append(urlsplit(req.url).path))
    page.goto(sites["edition"] + KO_DOC + ".html")
    page.wait_for_load_state("load")
    ctx.close()
    assert any(path.endswith("/searchindex.js") for path in requested)
    assert not [path for path in requested if SHARD.search(path)]


def test_a_word_without_letters_loads_every_shard_and_the_browser_has_sphinxs_index(
        search, sites, html_build, all_sharded, unsharded):
    whole = js_index.loads((unsharded / "searchindex.js").read_text(encoding="utf-8"))
    _, shards, page = search(sites["edition"], "1_2")
    assert shards == sorted(manifest_of(html_build))
    in_browser = page.evaluate("() => [Search._index.terms, Search._index.titleterms]")
    assert in_browser == [whole["terms"], whole["titleterms"]]  # runs of pages expanded as Sphinx lists them
    _, shards, _ = search(sites["made-up"], "1_2")
    assert shards == sorted(manifest_of(all_sharded)) and len(shards) > 3


@pytest.mark.parametrize("failure", ["abort", "empty"])
def test_a_shard_that_does_not_load_is_reported(search, sites, failure):
    def handle(route):
        if failure == "abort":
            route.abort()
        else:
            route.fulfill(status=200, content_type="text/javascript", body="/* not a shard */")

    _, _, page = search(sites["made-up"], KO_PARTICLE_ONLY[0], route=("**/searchindex-hangul.js*", handle),
                        wait_for_results=False)
    page.wait_for_selector(".edition-search-error", timeout=20000)
    message = page.locator(".edition-search-error").inner_text()
    assert "searchindex-hangul.js" in message and "could not be loaded" in message
    assert page.get_attribute(".edition-search-error", "role") == "alert"


def test_the_hostile_line_reaches_the_page_as_text_and_its_words_are_found(search, sites, all_sharded):
    html = (all_sharded / f"{GREEK_DOC}.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;/script&gt;&lt;script&gt;alert" in html
    for name, content in index_files(all_sharded).items():
        if name != "searchindex.js":
            assert b"<" not in content and "\u2028".encode() not in content, name
    docs, shards, page = search(sites["made-up"], "alert εισαγωγικά")
    assert GREEK_DOC in docs and shards == ["greek", "latin"]


# --- reproducible, parallel, incremental ---------------------------------------


def test_shards_are_byte_identical_under_j2(made_up_project, all_sharded, tmp_path):
    parallel = build(made_up_project, tmp_path / "html-j2", "-j", "2")
    assert index_files(parallel) == index_files(all_sharded)
    assert len(index_files(parallel)) > 1


def test_incremental_builds_keep_core_and_shards_consistent(made_up_project, tmp_path):
    from edition.reading.texts import TEXT_ID_KEY, text_front_matters
    from support import keep_only_texts

    project = tmp_path / "project"
    shutil.copytree(made_up_project, project)
    # Seven builds: the Korean texts, the bulk of every build, are left out. The Latin, Greek and
    # Cyrillic pages (and the registers' Hangul forms) still give the index several shards.
    keep_only_texts(project, {meta[TEXT_ID_KEY] for _, _, meta in text_front_matters(project / "docs")
                              if meta.get("lang") != "ko"})
    out, doctrees = tmp_path / "html", tmp_path / "doctrees"
    build(project, out, doctrees=doctrees)
    assert "searchindex-greek.js" in index_files(out)

    def fresh(name: str) -> dict[str, bytes]:
        return index_files(build(project, tmp_path / name, doctrees=tmp_path / f"{name}-doctrees", here=True))

    # One page changes: only its terms change, in the core and the shards alike.
    index_md = project / "docs" / "index.md"
    index_md.write_text(index_md.read_text(encoding="utf-8") + "\nΝέα λέξη: ξυλοκόπος.\n", encoding="utf-8")
    build(project, out, doctrees=doctrees)
    assert index_files(out) == fresh("fresh-1")

    # A shard lost from the output: every page is indexed again, nothing is missing.
    (out / "searchindex-cyrillic.js").unlink()
    build(project, out, doctrees=doctrees)
    assert index_files(out) == fresh("fresh-2")

    # The only Greek pages go: so does the Greek shard.
    for path in ((project / "docs" / f"{GREEK_DOC}.md"), project / "annotations" / "notes" / "made-up-thermidor-el.yaml"):
        path.unlink()
    index_md.write_text(index_md.read_text(encoding="utf-8").replace("\nΝέα λέξη: ξυλοκόπος.\n", ""),
                        encoding="utf-8")
    build(project, out, doctrees=doctrees)
    assert "searchindex-greek.js" not in index_files(out)
    assert index_files(out) == fresh("fresh-3")
