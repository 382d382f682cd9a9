"""Citations against what the Chicago Manual (17th ed.) and the formats' rules say.

The expected notes below were written from the rules, not from the output:
- a note gives the author's name as it stands, the title in quotation marks with
  its subtitle after a colon (CMOS 8.163, 14.89), a comma or period that follows
  a closing quotation mark inside it (6.9), "trans." for the translator (14.103),
  the collection in italics with "ed." and its editors (14.106), then the locator
  and the URL (14.161);
- an organisation that issued an unsigned piece stands as its author (14.69);
  "unsigned" is not a name, so it never appears as one;
- a title the editors supplied is set in brackets, not in quotation marks
  (14.59); a translated title follows in brackets (11.6);
- a text with no known author begins with its title (14.79), and nothing stands
  in for unknown editors or dates ("The editors", "n.d." are placeholders, not facts).
BibTeX: an organisation's name in an extra pair of braces, so that it is not
split into persons (at "and") or inverted (at a comma); ¶ and note numbers are
not pages. CSL-JSON: names in parts where known, an organisation as ``literal``,
the first publication as ``original-title``/``original-date``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import DOCS, ROOT

from edition.formats.citation import Locus, bibtex, chicago, csl_json, load_edition, meta_tags, text_item
from edition.reading.texts import load_texts

BASE = "https://ed.example/"

MADE_UP_CFF = """cff-version: 1.2.0
message: Please cite it so.
type: dataset
title: A Made-up Edition
version: "1.2"
date-released: 2024-05-01
authors:
  - given-names: Jane
    family-names: Doe
  - given-names: Ludwig
    name-particle: van
    family-names: Beethoven
"""

TRANSLATED_ARTICLE = {
    "edition-text": "river-crossing",
    "lang": "en",
    "title": "The River Crossing",
    "subtitle": "Notes from Exile",
    "author": "Anna Petrova",
    "translator": "John Smith",
    "publication": "Byulleten' Oppozitsii no. 12 (1930), in Russian",
    "original": {"title": "Переправа", "container-title": "Byulleten' Oppozitsii", "issue": "12",
                 "date": "1930", "language": "ru"},
}

UNSIGNED_ARTICLE = {
    "edition-text": "bread-and-land",
    "lang": "en",
    "title": "What Is to Be Done About Bread?",
    "author": "Committee for Bread, Peace and Land, unsigned article",
    "translator": "Not named in the source",
    "original": {"container-title": "Workers' Bulletin", "issue": "3", "date": "Spring 1931"},
}


@pytest.fixture()
def made_up_edition(tmp_path):
    path = tmp_path / "CITATION.cff"
    path.write_text(MADE_UP_CFF, encoding="utf-8")
    return load_edition(path)


# --- a translated periodical article ----------------------------------------------------------


def test_translated_periodical_article(made_up_edition):
    item = text_item(made_up_edition, TRANSLATED_ARTICLE, f"{BASE}texts/river-crossing.html")
    locus = Locus(paragraph=3, fragment="p-3")
    assert chicago(item, locus) == (
        "Anna Petrova, “The River Crossing: Notes from Exile,” trans. John Smith, originally published as "
        "“Переправа,” *Byulleten' Oppozitsii*, no. 12 (1930), in *A Made-up Edition*, ed. Jane Doe and "
        "Ludwig van Beethoven (version 1.2, 2024), ¶3, https://ed.example/texts/river-crossing.html#p-3."
    )
    assert csl_json(item, locus) == {
        "id": "river-crossing:p-3",
        "URL": "https://ed.example/texts/river-crossing.html#p-3",
        "type": "chapter",
        "title": "The River Crossing: Notes from Exile",
        "author": [{"literal": "Anna Petrova"}],
        "translator": [{"literal": "John Smith"}],
        "container-title": "A Made-up Edition",
        "editor": [{"family": "Doe", "given": "Jane"}, {"family": "van Beethoven", "given": "Ludwig"}],
        "language": "en",
        "original-title": "Переправа",
        "original-date": {"date-parts": [[1930]]},
        "note": "Originally published as “Переправа,” Byulleten' Oppozitsii, no. 12 (1930). Cited at ¶3",
        "version": "1.2",
        "issued": {"date-parts": [[2024, 5, 1]]},
    }
    entry = bibtex(item, locus)
    assert entry.startswith("@incollection{river-crossing:p-3,\n")
    fields = dict(re.findall(r"^  (\w+) = \{(.*)\},$", entry, re.M))
    assert fields["title"] == "{The River Crossing: Notes from Exile}"  # kept as written by bibliography styles
    assert fields["author"] == "{Anna Petrova}" and fields["translator"] == "{John Smith}"
    assert fields["editor"] == "Doe, Jane and van Beethoven, Ludwig"
    assert fields["booktitle"] == "{A Made-up Edition}"
    assert fields["year"] == "2024" and fields["origtitle"] == "Переправа" and fields["origdate"] == "1930"
    assert "pages" not in fields  # a ¶ is not a page
    assert fields["url"] == "https://ed.example/texts/river-crossing.html#p-3"


# --- an unsigned article by an organisation ---------------------------------------------------


def test_unsigned_corporate_article(made_up_edition):
    item = text_item(made_up_edition, UNSIGNED_ARTICLE, f"{BASE}texts/bread-and-land.html")
    locus = Locus(note=4, fragment="note-bread")
    # The question mark takes the place of the comma (CMOS 6.119).
    assert chicago(item, locus) == (
        "Committee for Bread, Peace and Land, “What Is to Be Done About Bread?” originally published in "
        "*Workers' Bulletin*, no. 3 (Spring 1931), in *A Made-up Edition*, ed. Jane Doe and Ludwig van "
        "Beethoven (version 1.2, 2024), n. 4, https://ed.example/texts/bread-and-land.html#note-bread."
    )
    data = csl_json(item, locus)
    assert data["author"] == [{"literal": "Committee for Bread, Peace and Land"}]  # one organisation
    assert "translator" not in data  # "Not named in the source" is not a name
    assert data["note"].startswith("Unsigned. Originally published in Workers' Bulletin, no. 3 (Spring 1931)")
    assert "original-title" not in data
    entry = bibtex(item, locus)
    assert "  author = {{Committee for Bread, Peace and Land}},\n" in entry  # never two persons
    assert "unsigned" not in re.search(r"author = (.*)", entry)[1].lower()
    assert "pages" not in entry and "Cited at n. 4" in entry
    tags = meta_tags(item)
    assert [v for n, v in tags if n == "citation_author"] == ["Committee for Bread, Peace and Land"]
    assert not any("unsigned" in v.lower() for n, v in tags if n in ("citation_author", "DC.creator"))


# --- the Russian text, as the edition has it ---------------------------------------------------


def test_the_russian_text_with_no_author_and_an_editors_title(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717200000")  # 2024-06-01: CITATION.cff has no release date
    edition = load_edition(ROOT / "CITATION.cff")
    texts = [t for t in load_texts(DOCS) if t.lang == "ru"]
    assert texts, "the edition has a Russian text"
    for text in texts:
        item = text_item(edition, text.meta, f"{BASE}{text.docname}.html")
        note = chicago(item, Locus(paragraph=2, fragment="p-2"))
        title = text.meta["title"]
        if title.startswith("[") and title.endswith("]"):  # supplied by the editors: brackets, no quotes
            assert note.startswith(title) and f"“{title}" not in note
        assert "n.d." not in note and "The editors" not in note and ", ed." not in note  # no named editor
        assert f"(version {edition.version}, 2024), ¶2, {BASE}{text.docname}.html#p-2." in note
        data = csl_json(item)
        assert data["issued"] == {"date-parts": [[2024, 6, 1]]} and "editor" not in data
        assert "author" not in data  # "Not named in the source" is not a name
        entry = bibtex(item)
        assert "year = {2024}" in entry and "editor" not in entry and "author" not in entry
        tags = dict(meta_tags(item))
        # What Google Scholar needs of every page it indexes, author or none.
        assert tags["citation_title"] and tags["citation_publication_date"] == "2024/06/01"


def test_the_edition_date_comes_from_citation_cff_before_the_build(made_up_edition, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717200000")
    assert made_up_edition.date_released == "2024-05-01"


# --- every page's tags, and no placeholder in any output -----------------------------------------

PLACEHOLDERS = re.compile(r"\bn\.d\.|\bThe editors\b|localhost|\bfile:")


def test_every_page_has_parseable_citation_tags(html_build):
    pages = sorted(p for p in html_build.rglob("*.html") if "_static" not in p.parts)
    assert len(pages) > 5
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        tags = [(m["name"], m.get("content", "")) for m in soup.find_all("meta", attrs={"name": True})
                if m["name"].startswith(("citation_", "DC."))]
        names = [n for n, _ in tags]
        assert names.count("citation_title") == 1, page
        assert "citation_publication_date" in names, page
        date = dict(tags)["citation_publication_date"]
        assert re.fullmatch(r"\d{4}/\d{2}/\d{2}", date), (page, date)
        for name, value in tags:
            assert value.strip(), (page, name)
            assert not PLACEHOLDERS.search(value), (page, name, value)
            if name == "citation_author":
                # Zotero reads "Last, First" at a comma: an author tag is one whole name, never
                # a qualifier ("unsigned article") glued to it.
                assert "unsigned" not in value.lower(), (page, value)


def test_no_placeholder_in_any_html_output(html_build):
    checked = 0
    for path in html_build.rglob("*"):
        if path.suffix not in (".html", ".txt", ".bib", ".json", ".jsonld") or "_static" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        # Prose may say "by the editors"; a placeholder is a name, a date or an address.
        for match in PLACEHOLDERS.finditer(text):
            context = text[max(0, match.start() - 60): match.end() + 20]
            assert False, f"{path.relative_to(html_build)}: {context!r}"
        checked += 1
    assert checked > 10


def test_no_placeholder_in_the_epub_text(epub_build):
    checked = 0
    for path in epub_build.rglob("*.xhtml"):
        text = path.read_text(encoding="utf-8")
        assert not PLACEHOLDERS.search(text), (path.name, PLACEHOLDERS.search(text)[0])
        checked += 1
    assert checked


def test_the_build_cites_each_texts_first_publication_from_its_metadata(html_build):
    """The front matter's 'original' reaches the published citations (Sphinx keeps it as text)."""
    with_original = [t for t in load_texts(DOCS) if isinstance(t.meta.get("original"), dict)]
    assert with_original, "premise: a text says where it was first published"
    for text in with_original:
        first = text.meta["original"]
        note = (html_build / "cite" / f"{text.text_id}.txt").read_text(encoding="utf-8")
        assert f"*{first['container-title']}*" in note, note
        if first.get("issue"):
            assert f"no. {first['issue']}" in note, note
        if first.get("title"):
            assert f"originally published as “{first['title']}," in note, note
        data = json.loads((html_build / "cite" / f"{text.text_id}.json").read_text(encoding="utf-8"))[0]
        if first.get("title"):
            assert data["original-title"] == first["title"]
        if first.get("date"):
            assert "original-date" in data


def test_paragraph_and_note_locators_are_csl_locator_and_label(made_up_edition):
    import jsonschema

    from edition.formats.citation import csl_citation

    schema = json.loads((Path(__file__).parent / "standards" / "csl" / "csl-data.json").read_text(encoding="utf-8"))
    item = text_item(made_up_edition, UNSIGNED_ARTICLE, f"{BASE}texts/bread-and-land.html")
    for locus, locator, label in ((Locus(paragraph=12, fragment="p-12"), "12", "paragraph"),
                                  (Locus(note=4, fragment="note-bread"), "4", "note")):
        (cite,) = csl_citation(item, locus)["citationItems"]
        assert (cite["locator"], cite["label"]) == (locator, label)
        assert cite["id"] == cite["itemData"]["id"] == "bread-and-land"
        jsonschema.Draft7Validator(schema).validate([cite["itemData"]])
        assert "pages" not in bibtex(item, locus) and "page" not in cite["itemData"]
    assert "locator" not in csl_citation(item)["citationItems"][0]
