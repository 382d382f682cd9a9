"""The glossary on the real texts: linking, the glossary page, bad input."""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from conftest import ANNOTATIONS, line_of, KO_DOC, RU_DOC, sphinx_build, sphinx_build_here
from support import copy_project, run_edition
from edition.model.glossary import load_glossary
from reading import article, entry_href, listed_passages, page, register_entry, source_passages, source_uses

REQUIRED = """nep thermidor kuomintang war-communism scissors-crisis kulak nepman gosplan comintern ecci
left-opposition joint-opposition right-opposition democratic-centralists workers-opposition workers-group
triumvirate lenin-levy permanent-revolution socialism-in-one-country third-period popular-front gpu centrism
bonapartism anglo-russian-committee poum state-capitalism""".split()


@pytest.fixture(scope="module")
def entries():
    entries, diagnostics = load_glossary(ANNOTATIONS / "glossary.yaml")
    assert not [d for d in diagnostics if d.severity == "error"], diagnostics
    return {e.id: e for e in entries}


def test_the_glossary_holds_what_a_reader_needs(entries):
    assert len(entries) >= 35
    assert not [r for r in REQUIRED if r not in entries]
    for entry in entries.values():
        # Forms only in the languages where the term is written; at least one.
        assert any(entry.forms.values()), entry.id
        assert entry.sources, entry.id
    assert entries["nep"].expansion == "New Economic Policy"


def term_links(soup, key):
    return [a for a in article(soup).select("a.reference") if a.select_one(f".edition-key-term-{key}")]


def section_of(tag):
    return tag.find_parent("section")


@pytest.mark.parametrize("key", ["nep", "thermidor", "kuomintang"])
def test_every_section_using_the_term_links_it(html_build, key):
    soup = page(html_build / f"{KO_DOC}.html")
    numbers = {number for doc, number in source_passages(f"term:{key}") if doc == KO_DOC}
    assert numbers, f"{key} does not occur"
    sections = {id(section_of(soup.find(id=f"p-{n}"))) for n in numbers}
    linked = {id(section_of(a)) for a in term_links(soup, key)}
    assert sections == linked
    # First in section: one link per section, and only linked occurrences are marked.
    assert len(term_links(soup, key)) == len(linked)
    assert len(article(soup).select(f".edition-key-term-{key}")) == len(linked)
    for link in term_links(soup, key):
        assert link["href"] == "../" + entry_href(html_build, "glossary", f"gloss-{key}")


@pytest.mark.parametrize("key", ["democratic-centralists", "workers-opposition"])
def test_korean_and_russian_forms_reach_the_same_entry(html_build, key):
    hrefs = set()
    for doc in (KO_DOC, RU_DOC):
        links = term_links(page(html_build / f"{doc}.html"), key)
        assert links, f"{key} not linked in {doc}"
        hrefs |= {a["href"] for a in links}
    assert hrefs == {"../" + entry_href(html_build, "glossary", f"gloss-{key}")}


def block_text_before(tag) -> str:
    block = tag.find_parent(["p"])
    text = ""
    for node in block.descendants:
        if node is tag:
            return text
        if isinstance(node, str) and not any(
            "edition-apparatus" in (p.get("class") or []) or "edition-pn" in (p.get("class") or [])
            for p in node.parents if hasattr(p, "get")
        ):
            text += node
    raise AssertionError("tag not in its block")


@pytest.mark.parametrize("doc", [KO_DOC, RU_DOC])
def test_no_term_inside_another_word_and_none_in_headings(html_build, doc):
    soup = page(html_build / f"{doc}.html")
    body = article(soup)
    for heading in body.find_all(["h1", "h2", "h3", "h4"]):
        assert not heading.select(".edition-term"), heading.get_text()
    for term in body.select(".edition-term:not(.edition-term-role):not(.edition-term-continued)"):
        before = block_text_before(term)
        assert not before or not before[-1].isalnum(), (term.get_text(), before[-10:])
    # Kamenev (카메네프) is never NEP.
    assert not [t for t in body.select(".edition-key-term-nep") if "카메" in block_text_before(t)[-2:]]


def passages_in_texts(html_build, key):
    found = source_passages(f"term:{key}")
    for doc, number in found:
        assert page(html_build / f"{doc}.html").find("p", id=f"p-{number}", class_="edition-para"), (doc, number)
    return found


def test_glossary_page_lists_exactly_the_passages(html_build, entries):
    checked = 0
    for key in entries:
        listed = listed_passages(html_build, "glossary", f"gloss-{key}")
        in_texts = passages_in_texts(html_build, key)
        assert listed == in_texts, key
        checked += bool(in_texts)
    assert checked >= 35
    # Entries in English order (on the letter pages, in the order of the letter bar), with stable ids.
    soup = page(html_build / "glossary.html")
    headwords = []
    for link in soup.select("p.edition-letter-bar a"):
        letter_page = page(html_build / link["href"])
        headwords += [dt.get_text("").casefold() for dt in letter_page.select("dl.edition-glossary > dt")]
    assert headwords == sorted(headwords) and len(headwords) == len(entries)
    assert soup.find(id="gloss-nep") and soup.find(id="gloss-decists") is None


def test_glossary_forms_carry_their_language(html_build):
    _, entry = register_entry(html_build, "glossary", "gloss-nep")
    forms = entry.find_next_sibling("dd").select_one(".edition-forms")
    assert {s["lang"] for s in forms.select("span[lang]")} == {"en", "ko", "ru"}


def test_term_role_in_a_note_links_to_the_entry(html_build):
    soup = page(html_build / f"{KO_DOC}.html")
    note = soup.find(id="note-tax-in-kind")
    hrefs = {a["href"] for a in note.select("a.reference")}
    assert {"../" + entry_href(html_build, "glossary", f"gloss-{key}") for key in ("nep", "war-communism")} <= hrefs


def test_link_policy_is_a_setting(tmp_path):
    out = tmp_path / "every"
    result = sphinx_build_here("html", out, "-D", "edition_link_policy=every")
    assert result.returncode == 0, result.stderr
    every = len(term_links(page(out / f"{KO_DOC}.html"), "nep"))
    in_source = [u for u in source_uses() if u.key == "term:nep" and u.docname == KO_DOC]
    assert every == len(in_source) > 4
    # A bad value is refused when Sphinx starts (config-inited): no build needed to see it.
    from support import sphinx_app

    status, _, warnings = sphinx_app(tmp_path / "bad", buildername="html",
                                     confoverrides={"edition_link_policy": "sometimes"})
    assert status != 0 and "edition_link_policy must be one of" in warnings


# --- bad input -------------------------------------------------------------------------

ENTRY = """  - id: {id}
    headword: {headword}
    forms:
      en: [{en}]
      ko: [{ko}]
      ru: [{ru}]
    definition: A definition.
{extra}"""


def glossary(*entries):
    return "entries:\n" + "".join(entries)


def entry(id="alpha", headword="Alpha", en="alpha", ko="알파", ru="альфа", extra=""):
    return ENTRY.format(id=id, headword=headword, en=en, ko=ko, ru=ru, extra=extra)


BAD = {
    "no-forms": (glossary(entry().replace("      en: [alpha]\n      ko: [알파]\n      ru: [альфа]\n", "      en: []\n      ko: []\n      ru: []\n")),
                 "forms.en: must not be empty", "en: []"),
    "missing-forms": (glossary("  - id: alpha\n    headword: Alpha\n    definition: A definition.\n"),
                      "missing required key 'forms'", "- id: alpha"),
    "duplicate-id": (glossary(entry(), entry(en="beta", ko="베타", ru="бета")), "duplicate term id 'alpha'", ("id: alpha", 2)),
    "duplicate-form": (glossary(entry(ko="알파, 알파")), "'알파' is listed twice", "ko: [알파, 알파]"),
    "shared-form": (glossary(entry(), entry(id="beta", headword="Beta", en="beta", ko="알파", ru="бета")),
                    "'알파' (ko) of 'beta' is already claimed by term 'alpha'", ("ko: [알파]", 2)),
    "unknown-related": (glossary(entry(extra="    related: [gamma]\n")), "related entry 'gamma' of 'alpha' does not exist", "related"),
    "lookalike": (glossary(entry(ru="оппозиция, oппозиция")), "mixes Latin and Cyrillic", "ru:"),
}


@pytest.fixture
def project(tmp_path):
    copy_project(tmp_path)
    shutil.rmtree(tmp_path / "annotations" / "notes")  # their {term} roles need the real glossary
    return tmp_path


def check(project, *extra):
    return run_edition("check", "--docs", "docs", "--annotations", "annotations", *extra, cwd=project)



@pytest.mark.parametrize("name", BAD)
def test_bad_glossary_input(project, name):
    content, message, at = BAD[name]
    (project / "annotations" / "glossary.yaml").write_text(content, encoding="utf-8")
    result = check(project)
    assert "Traceback" not in result.stderr
    where = f"annotations/glossary.yaml:{line_of(content, at)}: "
    assert any(l.startswith(where) and message in l for l in result.stderr.splitlines()), result.stderr
    severity = "warning" if name == "lookalike" else "error"
    assert f": {severity}: " in result.stderr
    assert result.returncode == (0 if severity == "warning" else 1)


def test_bad_glossary_fails_the_build_with_the_same_message(project):
    content, message, at = BAD["shared-form"]
    (project / "annotations" / "glossary.yaml").write_text(content, encoding="utf-8")
    result = sphinx_build_here("html", project / "out", srcdir=project / "docs", confdir=project / "conf")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert f"glossary.yaml:{line_of(content, at)}: ERROR: {message}" in output


def test_report_lists_occurrences_and_warns_without_failing(project):
    path = project / "annotations" / "glossary.yaml"
    text = path.read_text(encoding="utf-8")
    # A form that never occurs, and a Russian case form taken away.
    text = text.replace("ko: [네프, 신경제정책, NEP]", "ko: [네프, 신경제정책, NEP, 네프시대]")
    text = text.replace("«децисты», «децистами»", "«децисты»") if "«децисты», «децистами»" in text else text
    path.write_text(text, encoding="utf-8")
    result = check(project, "--report")
    assert result.returncode == 0, result.stderr
    assert re.search(r"NEP \[nep\]: \d+ occurrence\(s\) in (.*, )?trotsky-left-opposition ¶2", result.stdout)
    # (Other unused forms of the entry, in other languages, may be listed on the same line.)
    assert re.search(r"forms of 'nep' that occur in no text: (.*, )?네프시대 \(ko\)", result.stderr)
    build = sphinx_build_here("html", project / "out", srcdir=project / "docs", confdir=project / "conf")
    assert build.returncode == 0  # an unused form is not a build failure


# Two builds are byte-identical: tests/test_parallel.py (the session's build and a second one, -j 2).
