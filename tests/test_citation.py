"""Citing the edition: page tags, CITATION.cff, BibTeX and CSL-JSON, the W3C copy."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ANNOTATIONS, CONF, DOCS, ROOT, sphinx_build, sphinx_build_here
from support import copy_registers, run_edition as edition
from w3c_harness import EDITION_BASE as BASE, collections

from edition.formats.citation import (
    Item,
    Locus,
    bibtex,
    bibtex_fields,
    chicago,
    csl_json,
    edition_item,
    full_title,
    load_edition,
    text_item,
)
from edition.reading.texts import load_texts

STANDARDS = Path(__file__).parent / "standards"
#: Tags that describe the page's own item; anything else (citation_reference,
#: say) would describe other works.
ALLOWED_TAGS = {
    "citation_title", "citation_author", "citation_editor", "citation_inbook_title", "citation_book_title",
    "citation_language", "citation_publication_date", "citation_public_url",
    "DC.title", "DC.creator", "DC.contributor", "DC.type", "DC.language", "DC.identifier",
    "DC.relation.isPartOf", "DC.title.alternative", "DC.source", "DC.date",
}


def tags_of(path: Path) -> list[tuple[str, str]]:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    return [
        (meta["name"], meta.get("content", ""))
        for meta in soup.head.find_all("meta", attrs={"name": True})
        if meta["name"].startswith(("citation_", "DC."))
    ]


@pytest.fixture(scope="module")
def texts():
    return {t.docname: t for t in load_texts(DOCS)}


@pytest.fixture(scope="module")
def cff():
    return load_edition(ROOT / "CITATION.cff")


@pytest.fixture(scope="module")
def based_build(tmp_path_factory) -> tuple[Path, str]:
    """The HTML edition built with an address (html_baseurl)."""
    out = tmp_path_factory.mktemp("html-based")
    result = sphinx_build_here("html", out, "-D", f"html_baseurl={BASE}")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return out, result.stdout


def pages(build: Path) -> list[Path]:
    found = sorted(p for p in build.rglob("*.html") if "_static" not in p.parts)
    assert len(found) > 5
    return found


def docname_of(build: Path, page: Path) -> str:
    return page.relative_to(build).with_suffix("").as_posix()


def test_every_page_describes_its_own_item(html_build, texts, cff):
    for page in pages(html_build):
        tags = tags_of(page)
        names = [name for name, _ in tags]
        assert set(names) <= ALLOWED_TAGS, (page, set(names) - ALLOWED_TAGS)
        assert names.count("citation_title") == 1 and names.count("DC.title") == 1, page
        values = dict(tags)
        text = texts.get(docname_of(html_build, page))
        if text is not None:  # the title with its subtitle
            title = text.meta["title"] + (f": {text.meta['subtitle']}" if text.meta.get("subtitle") else "")
            assert values["citation_title"] == title == values["DC.title"]
            assert values["citation_language"] == text.lang == values["DC.language"]
            assert ("citation_inbook_title", cff.title) in tags
            assert [v for n, v in tags if n == "citation_editor"] == list(cff.editors)
        elif docname_of(html_build, page) == "index":  # the home page cites the edition
            assert values["citation_title"] == cff.title
            assert [v for n, v in tags if n == "citation_author"] == list(cff.editors)
        else:  # an apparatus page describes itself, as part of the edition
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
            assert values["citation_title"] != cff.title, page
            assert values["citation_title"] in soup.title.get_text(), page
            assert values["DC.relation.isPartOf"] == cff.title == values["citation_inbook_title"]
        # No address without html_baseurl: nothing relative passed off as canonical.
        assert "citation_public_url" not in names and "DC.identifier" not in names


def test_with_a_base_url_every_page_has_its_canonical_address(based_build, texts):
    build, output = based_build
    assert "no html_baseurl" not in output
    for page in pages(build):
        expected = BASE + page.relative_to(build).as_posix()
        values = dict(tags_of(page))
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        if docname_of(build, page) in texts:
            assert values["citation_public_url"] == expected == values["DC.identifier"]
            assert soup.find("link", rel="canonical")["href"] == expected
        elif docname_of(build, page) == "index":
            assert values.get("citation_public_url", BASE) == BASE
        else:  # each apparatus page is cited at its own address, not the edition's
            assert values["citation_public_url"] == expected, page


def test_without_a_base_url_the_build_says_so_once_as_information(html_build):
    from conftest import SESSION_BUILDS

    result = SESSION_BUILDS["html"]  # the session's build, of the edition as it is: no html_baseurl
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("no html_baseurl") == 1
    assert "no html_baseurl" not in result.stderr  # not a warning: builds run with -W
    assert not (html_build / "annotations").exists()


def test_the_build_publishes_the_same_w3c_collections_as_the_command(based_build, tmp_path):
    build, _ = based_build
    # Positions are counted in the built pages: the command is given them too.
    result = edition("export", "--base-url", BASE, "--out", str(tmp_path), "--html", str(build))
    assert result.returncode == 0, result.stderr
    assert collections(build / "annotations") == collections(tmp_path) != {}


def test_tag_values_are_escaped(tmp_path, cff):
    hostile = {"edition-text": "x", "title": 'A "quoted" <b>title</b> & more</script><!--', "lang": "en"}
    project = tmp_path / "project"
    (project / "docs" / "texts").mkdir(parents=True)
    front = yaml.safe_dump(hostile, allow_unicode=True)
    (project / "docs" / "index.md").write_text("# Home\n\n```{toctree}\ntexts/x\n```\n", encoding="utf-8")
    (project / "docs" / "texts" / "x.md").write_text(f"---\n{front}---\n\n# Title\n\nA paragraph.\n", encoding="utf-8")
    (project / "annotations" / "notes").mkdir(parents=True)
    conf = (CONF / "conf.py").read_text(encoding="utf-8")
    (project / "conf").mkdir()
    (project / "conf" / "conf.py").write_text(conf, encoding="utf-8")
    for name in (CONF.iterdir()):
        if name.name != "conf.py" and name.is_file():
            (project / "conf" / name.name).write_bytes(name.read_bytes())
    copy_registers(project / "annotations", texts={"x"})
    (project / "CITATION.cff").write_text((ROOT / "CITATION.cff").read_text(encoding="utf-8"), encoding="utf-8")
    result = sphinx_build_here("html", project / "out", srcdir=project / "docs", confdir=project / "conf")
    if result.returncode != 0:
        pytest.fail(result.stdout[-2000:] + result.stderr[-2000:])
    page = (project / "out" / "texts" / "x.html").read_text(encoding="utf-8")
    assert ('<meta name="citation_title" content="A &quot;quoted&quot; &lt;b&gt;title&lt;/b&gt; &amp; '
            'more&lt;/script&gt;&lt;!--" />') in page
    assert "<b>title</b>" not in page.split("</head>")[0]
    # The Cite menu's data: one script element, whose JSON gives the title back unchanged.
    soup = BeautifulSoup(page, "lxml")
    (script,) = soup.select("script#edition-cite-data")
    assert "<" not in script.string
    assert hostile["title"] in json.loads(script.string)["templates"]["paragraph"]["chicago"]


# --- CITATION.cff and "How to cite" -------------------------------------------------------------


def test_citation_cff_is_valid_citation_file_format():
    schema = json.loads((STANDARDS / "cff" / "schema-1.2.0.json").read_text(encoding="utf-8"))
    data = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(data)
    # ...and the schema is not a pushover.
    broken = {k: v for k, v in data.items() if k != "authors"}
    assert not jsonschema.Draft7Validator(schema).is_valid(broken)
    assert not jsonschema.Draft7Validator(schema).is_valid({**data, "cff-version": "one"})


def test_the_home_page_cites_the_edition_from_the_same_data(html_build, cff):
    import importlib.util

    spec = importlib.util.spec_from_file_location("conf", CONF / "conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    assert conf.project == cff.title  # one title, wherever it is shown
    soup = BeautifulSoup((html_build / "index.html").read_text(encoding="utf-8"), "lxml")
    block = soup.select_one(".edition-how-to-cite")
    assert block is not None
    expected = chicago(edition_item(cff, ""))
    assert block.select_one(".edition-chicago").get_text() == expected.replace("*", "")
    assert block.select_one(".edition-chicago em").get_text() == cff.title
    assert block.select_one("pre").get_text() == bibtex(edition_item(cff, ""))


# --- the three forms ---------------------------------------------------------------------------


def items(texts, cff) -> list[tuple[Item, Locus | None]]:
    found = [(edition_item(cff, BASE), None)]
    for text in texts.values():
        item = text_item(cff, text.meta, f"{BASE}{text.docname}.html")
        found += [(item, None), (item, Locus(paragraph=3, fragment="p-3")), (item, Locus(note=7, fragment="note-x-y"))]
    # Made up: several people, a translator, characters BibTeX and JSON must escape.
    made_up = text_item(cff, {"edition-text": "made-up", "title": 'Tit{le} 50% & "so" on_', "lang": "ru",
                              "author": ["Анна Петрова", "B. Brown"], "translator": "C. Çelik",
                              "publication": "Somewhere #1, 1930"}, f"{BASE}texts/made-up.html")
    return found + [(made_up, None), (made_up, Locus(paragraph=12, fragment="p-12"))]


def test_csl_json_validates_against_the_csl_schema(texts, cff):
    vendored = STANDARDS / "csl" / "csl-data.json"
    shared = ROOT.parent / "shared" / "standards" / "csl" / "csl-data.json"
    if shared.exists():  # the vendored copy is the standard's, unchanged (a fresh clone has only the copy)
        assert vendored.read_bytes() == shared.read_bytes()
    schema = json.loads(vendored.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    data = [csl_json(item, locus) for item, locus in items(texts, cff)]
    validator.validate(data)
    assert not validator.is_valid([{**data[0], "type": "not-a-csl-type"}])
    for (item, locus), entry in zip(items(texts, cff), data):
        assert entry["title"].startswith(item.title)
        if locus:
            assert entry["URL"].endswith("#" + locus.fragment)


def test_bibtex_reads_back_to_the_same_fields(texts, cff):
    import bibtexparser
    from bibtexparser.middlewares import LatexDecodingMiddleware

    for item, locus in items(texts, cff):
        source = bibtex(item, locus)
        library = bibtexparser.parse_string(source, append_middleware=[LatexDecodingMiddleware()])
        assert not library.failed_blocks, source
        (entry,) = library.entries
        parsed = {f.key: f.value for f in entry.fields}
        expected = bibtex_fields(item, locus)
        assert set(parsed) == set(expected), source
        for key, value in expected.items():
            got = parsed[key]
            if isinstance(value, tuple):  # names: whole ones in braces (never split), others "Family, Given"
                whole = [getattr(v, "literal", v) for v in value if isinstance(v, str) or v.literal]
                assert all(f"{{{name}}}" in source for name in whole), source
                assert got.count(" and ") == len(value) - 1, (key, got, value)
                continue
            assert got.strip("{}") == value, (key, got, value)


def test_chicago_note_names_the_place_and_the_permalink(texts, cff):
    for item, locus in items(texts, cff):
        note = chicago(item, locus)
        assert note.endswith(".")
        if item.is_text:
            assert full_title(item) in note and f"*{cff.title}*" in note
        if locus:
            assert f", {locus.label}, {item.url}#{locus.fragment}." in note
    assert "¶12" in chicago(*items(texts, cff)[-1]) and "n. 7" in chicago(items(texts, cff)[3][0], Locus(note=7, fragment="note-a"))


def test_a_changed_citation_file_reaches_every_page_on_an_incremental_build(tmp_path, texts):
    cff = tmp_path / "CITATION.cff"
    cff.write_text((ROOT / "CITATION.cff").read_text(encoding="utf-8"), encoding="utf-8")
    out, doctrees = tmp_path / "out", tmp_path / "doctrees"
    args = ("-d", str(doctrees), "-D", f"edition_citation_file={cff}")
    assert sphinx_build("html", out, *args).returncode == 0
    cff.write_text(cff.read_text(encoding="utf-8").replace("title: \"", "title: \"Renamed: "), encoding="utf-8")
    result = sphinx_build("html", out, *args)
    assert result.returncode == 0, result.stderr
    for docname in texts:
        tags = tags_of(out / f"{docname}.html")
        assert dict(tags)["citation_inbook_title"].startswith("Renamed: ")
    assert dict(tags_of(out / "glossary.html"))["DC.relation.isPartOf"].startswith("Renamed: ")


def test_a_broken_citation_file_fails_the_build_at_the_file(tmp_path):
    broken = tmp_path / "CITATION.cff"
    broken.write_text("cff-version: 1.2.0\ntitle: [unclosed\n", encoding="utf-8")
    result = sphinx_build("html", tmp_path / "out", "-D", f"edition_citation_file={broken}")
    assert result.returncode != 0
    assert f"{broken}:" in result.stderr and "not valid YAML" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    broken.write_text("cff-version: 1.2.0\nmessage: hi\n", encoding="utf-8")  # no title, no authors
    result = sphinx_build("html", tmp_path / "out", "-D", f"edition_citation_file={broken}")
    assert result.returncode != 0 and "needs at least 'title' and 'authors'" in result.stderr


@pytest.mark.parametrize("url, problem", [
    ("javascript:alert(1)", "not an absolute http(s) address"),
    ("https://example.org/edition/?lang=en", "has a query"),
    ("https://example.org/edition/#top", "has a fragment"),
    (" https://example.org/edition/", "spaces or control characters"),
    ("/edition/", "not an absolute http(s) address"),
])
def test_citation_url_is_held_to_the_commands_rule(tmp_path, url, problem):
    """CITATION.cff's url becomes every page's canonical address: the rule --base-url
    follows (addresses.site_address) holds for it, reported at its line."""
    from edition.formats.citation import load_edition
    from edition.base.errors import EditionError

    cff = tmp_path / "CITATION.cff"
    cff.write_text(f"cff-version: 1.2.0\nmessage: Cite it.\ntitle: T\nauthors:\n  - name: A. N. Editor\n"
                   f"url: {json.dumps(url)}\n", encoding="utf-8")
    with pytest.raises(EditionError) as raised:
        load_edition(cff)
    assert problem in raised.value.message and raised.value.line == 6


def test_a_bad_citation_url_fails_the_build_and_reaches_no_page(tmp_path):
    cff = tmp_path / "CITATION.cff"
    cff.write_text((ROOT / "CITATION.cff").read_text(encoding="utf-8") + 'url: "javascript:alert(1)"\n',
                   encoding="utf-8")
    result = sphinx_build_here("html", tmp_path / "out", "-D", f"edition_citation_file={cff}")
    assert result.returncode != 0 and "Traceback" not in result.stdout + result.stderr
    assert f"{cff}:" in result.stderr and "cannot be the edition's address" in result.stderr
    assert not any("javascript:alert" in page.read_text(encoding="utf-8")
                   for page in (tmp_path / "out").rglob("*.html"))
