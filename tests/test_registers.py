"""Works quoted and persons: registers, linked citations, indices, bad input."""

from __future__ import annotations

import re

import shutil

import pytest

from conftest import ANNOTATIONS, line_of, KO_DOC, RU_DOC, fold, sphinx_build
from support import copy_project, run_edition
from edition.model.registers import load_persons, load_works
from reading import article, entry_href, listed_passages, page, register_entry, source_passages, source_uses


@pytest.fixture(scope="module")
def registers():
    persons, problems = load_persons(ANNOTATIONS / "persons.yaml")
    assert not [p for p in problems if p.severity == "error"], problems
    works, problems = load_works(ANNOTATIONS / "works.yaml", {p.id for p in persons})
    assert not [p for p in problems if p.severity == "error"], problems
    return {p.id: p for p in persons}, {w.id: w for w in works}


def test_registers_are_complete(registers):
    persons, works = registers
    assert len(persons) >= 45 and len(works) >= 35
    for person in persons.values():
        assert any(person.forms.values()) and person.identification, person.id
    assert {"Троцкий", "Троцкого", "Троцким"} <= set(persons["trotsky"].forms["ru"])


def work_links(tag):
    return [a for a in tag.select("a.reference") if a.select_one(".edition-work")]


def test_every_attribution_links_to_its_work(html_build):
    soup = page(html_build / f"{KO_DOC}.html")
    attributions = article(soup).select("blockquote p.attribution")
    assert len(attributions) == 17
    unlinked = [fold(a.get_text(""))[:60] for a in attributions if not work_links(a)]
    assert not unlinked


def href_of(soup, text):
    for a in work_links(article(soup)):
        if text in a.get_text(""):
            return a["href"]
    raise AssertionError(f"no work link on {text!r}")


def work_of(text):
    """The work a wording in the Korean text refers to, linked or not (the policy
    links the first per section), as the lexer finds it in the source."""
    for use in source_uses():
        if use.docname == KO_DOC and use.key.startswith("work:") and text in use.wording:
            return use.key
    raise AssertionError(f"{text!r} is not recognised as a work")


def test_variant_wordings_reach_one_entry(html_build):
    soup = page(html_build / f"{KO_DOC}.html")
    one = href_of(soup, "반대파의 오류들 – 실제의 것과 근거 없이 주장된 것들")
    other = href_of(soup, "반대파의 오류들 - 실제 오류와 근거 없이 주장된 것들")
    assert one == other and one.startswith("../works-") and "#work-" in one


def test_draft_program_critique_is_the_third_international_after_lenin(html_build):
    soup = page(html_build / f"{KO_DOC}.html")
    keys = {work_of(t) for t in ("공산주의 인터내셔널 강령초안 비판", "레닌 이후의 제3인터내셔널", "레닌 이후의 제3 인터내셔널")}
    assert keys == {"work:third-international-after-lenin"}
    assert href_of(soup, "레닌 이후의 제3 인터내셔널") == "../" + entry_href(
        html_build, "works", "work-third-international-after-lenin")


def test_russian_text_links_trotskys_platform(html_build):
    soup = page(html_build / f"{RU_DOC}.html")
    assert href_of(soup, "Проблемы развития СССР") == "../" + entry_href(
        html_build, "works", "work-trotsky-1931-draft-platform")


def test_trotsky_is_one_person_in_both_texts(html_build):
    hrefs = set()
    for doc, form in ((KO_DOC, "트로츠키"), (RU_DOC, "Троц")):
        links = [a for a in article(page(html_build / f"{doc}.html")).select("a.reference")
                 if a.select_one(".edition-key-person-trotsky")]
        assert links and all(form in a.get_text() for a in links)
        hrefs |= {a["href"] for a in links}
    assert hrefs == {"../" + entry_href(html_build, "persons", "person-trotsky")}


def passages(html_build, key):
    """(doc, ¶) of every occurrence of *key* ("person-trotsky") in the texts,
    linked or not; each must be a numbered paragraph of the built page."""
    found = source_passages(key.replace("-", ":", 1))
    for doc, number in found:
        assert page(html_build / f"{doc}.html").find("p", id=f"p-{number}", class_="edition-para"), (doc, number)
    return found


def index_passages(build, index, name, suffix=".html"):
    soup = page(build / f"{index}{suffix}")
    book_index = soup.select(".edition-book-index li")
    if book_index:  # the e-book's (tests/test_epub_book.py): ¶ numbers and ranges, each end a link
        found = set()
        for item in book_index:
            if not fold(item.get_text(" ")).startswith(name):
                continue
            for doc, first, last in re.findall(
                    rf'href="([^"#]+){re.escape(suffix)}#p-(\d+)">\d+</a>(?:–<a href="[^"#]+#p-(\d+)")?', str(item)):
                found.update((doc, n) for n in range(int(first), int(last or first) + 1))
        return found
    rows = soup.select("table.modindextable tr")
    found, inside = set(), False
    for row in rows:
        cells = row.find_all("td")
        if not cells:
            continue
        text = fold(row.get_text(" "))
        link = row.find("a")
        is_sub = link is not None and "#p-" in link.get("href", "")
        if not is_sub:
            inside = text.startswith(name)
            continue
        if inside:
            doc = link["href"].split(suffix)[0]
            first, _, last = text.split("¶")[1].split()[0].partition("–")  # a range: "4–13"
            found |= {(doc, number) for number in range(int(first), int(last or first) + 1)}
    return found


@pytest.mark.parametrize(
    "index,name,key",
    [("edition-persons", "Ciliga, Ante", "person-ciliga"),
     ("edition-persons", "Trotsky, Leon", "person-trotsky"),
     ("edition-works", "Trotsky, The Draft Program of the Communist International", "work-third-international-after-lenin")],
)
def test_indices_list_exactly_the_passages(html_build, epub_build, index, name, key):
    """The web indices list each entry once, with how many passages of how
    many texts name it, and link to its entry, which lists them (the e-book's
    indices list the passages themselves, as print does)."""
    in_texts = passages(html_build, key)
    assert in_texts
    assert index_passages(epub_build, index, name, ".xhtml") == in_texts
    rows = [row for row in page(html_build / f"{index}.html").select("table.modindextable tr")
            if fold(row.get_text(" ")).startswith(name)]
    assert len(rows) == 1
    texts = len({doc for doc, _ in in_texts})
    count = f"{len(in_texts)} passage{'s' * (len(in_texts) != 1)} of {texts} text{'s' * (texts != 1)}"
    assert count in fold(rows[0].get_text(" "))
    href = rows[0].find("a")["href"]
    assert href == entry_href(html_build, index.split("-")[1], href.split("#")[1])
    assert listed_passages(html_build, index.split("-")[1], href.split("#")[1]) == in_texts


def test_cross_text_entries(html_build):
    docs = {doc for doc, _ in passages(html_build, "person-ciliga")} | {doc for doc, _ in passages(html_build, "person-trotsky")}
    assert {KO_DOC, RU_DOC} <= docs  # other texts may name them too
    decists = {doc for doc, _ in passages(html_build, "term-democratic-centralists")}
    assert {KO_DOC, RU_DOC} <= decists


def test_register_pages_and_roles(html_build):
    for register, anchor in (("persons", "person-trotsky"), ("works", "work-revolution-betrayed")):
        line = page(html_build / f"{register}.html").find(id=anchor)  # the A–Z list keeps the anchor
        assert line is not None
    _, entry = register_entry(html_build, "persons", "person-trotsky")
    assert "1879–1940" in entry.get_text()


# --- bad input ---------------------------------------------------------------------

PERSON = """  - id: {id}
    name: {name}
    sort_name: {sort}
    born: 1900
    died: 1950
    forms:
      en: [{en}]
      ko: [{ko}]
      ru: [{ru}]
    identification: Someone.
"""
WORK = """  - id: {id}
    author: {author}
    title: {title}
    title_en: {title}
    cited_as:
      ko: [{cited}]
    date: {date}
    url: {url}
"""


def persons_file(*entries):
    return "persons:\n" + "".join(entries)


def person(id="alpha", name="Alpha", en="Alpha", ko="알파인", ru="Альфа"):
    return PERSON.format(id=id, name=name, sort=name, en=en, ko=ko, ru=ru)


def works_file(*entries):
    return "works:\n" + "".join(entries)


def work(id="w1", author="trotsky", title="A Title", cited="트로츠키와 러시아 좌익반대파", date="'1928-05-23'", url="null"):
    return WORK.format(id=id, author=author, title=title, cited=cited, date=date, url=url)


BAD = {
    "duplicate-person": ("persons.yaml", persons_file(person(), person(en="Beta", ko="베타인", ru="Бета")),
                         "duplicate person id 'alpha'", ("id: alpha", 2), "error"),
    "duplicate-work": ("works.yaml", works_file(work(), work(cited="다른 제목")), "duplicate work id 'w1'", ("id: w1", 2), "error"),
    "title-claimed-twice": ("works.yaml", works_file(work(), work(id="w2")),
                            "is already claimed by work 'w1'", ("ko: [트로츠키와", 2), "error"),
    "unknown-author": ("works.yaml", works_file(work(author="nobody")), "author 'nobody' of 'w1' is not a known person",
                       "author: nobody", "error"),
    "bad-date": ("works.yaml", works_file(work(date="'May 1928'")), "'May 1928' is not a date", "date:", "error"),
    "bad-month": ("works.yaml", works_file(work(date="'1928-13'")), "is not a date", "date:", "error"),
    "bad-url": ("works.yaml", works_file(work(url="'javascript:alert(1)'")), "is not a web address", "url:", "error"),
    "uncited": ("works.yaml", works_file(work(cited="어디에도 없는 제목")), "work 'w1' is cited by no text", "- id: w1", "warning"),
}


@pytest.fixture
def project(tmp_path):
    copy_project(tmp_path)
    shutil.rmtree(tmp_path / "annotations" / "notes")  # their roles need the real registers
    return tmp_path



@pytest.mark.parametrize("name", BAD)
def test_bad_register_input(project, name):
    filename, content, message, at, severity = BAD[name]
    if filename == "works.yaml" and "trotsky" in content:
        pass  # the real persons.yaml stays, so author 'trotsky' is known
    (project / "annotations" / filename).write_text(content, encoding="utf-8")
    result = run_edition("check", "--docs", "docs", "--annotations", "annotations", cwd=project)
    assert "Traceback" not in result.stderr
    where = f"annotations/{filename}:{line_of(content, at)}: {severity}: "
    assert any(l.startswith(where) and message in l for l in result.stderr.splitlines()), result.stderr
    assert result.returncode == (1 if severity == "error" else 0)


def test_an_entry_needs_forms_only_where_it_is_written(tmp_path):
    from edition.model.glossary import load_glossary

    persons_file = tmp_path / "persons.yaml"
    persons_file.write_text(
        "persons:\n- id: dewey\n  name: John Dewey\n  sort_name: Dewey, John\n  forms:\n    en: [Dewey]\n"
        "  identification: American philosopher.\n", encoding="utf-8")
    persons, problems = load_persons(persons_file)
    assert not problems and dict(persons[0].forms) == {"en": ("Dewey",)}
    glossary_file = tmp_path / "glossary.yaml"
    glossary_file.write_text(
        "entries:\n- id: thermidor\n  headword: Thermidor\n  forms:\n    de: [Thermidor]\n"
        "  definition: The month.\n", encoding="utf-8")
    entries, problems = load_glossary(glossary_file)
    assert not problems
    # The English headword is an English form, listed or not; German is data like any other language.
    assert {(f.lang, f.text) for f in entries[0].lexicon_forms()} == {("en", "Thermidor"), ("de", "Thermidor")}
    persons_file.write_text(persons_file.read_text().replace("    en: [Dewey]\n", "    {}\n").replace("  forms:\n    {}", "  forms: {}"), encoding="utf-8")
    _, problems = load_persons(persons_file)
    assert problems and all(p.severity == "error" for p in problems)
