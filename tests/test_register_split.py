"""The HTML register pages split per letter (issue 18).

Checked on the real project and on a copy with three made-up texts built
with tiny budgets (so that letters split, lists go to passages pages and
those pages chunk): every passage the lexer finds is still listed under its
entry, every link on the register pages and every link to an entry resolves,
the pages land where the pure layout says, ``-j 2`` gives the same files, a
note edit rewrites none of them, and print is as it was."""

from __future__ import annotations

import filecmp
import os
import re
from functools import cache
from pathlib import Path

import pytest

from conftest import ANNOTATIONS, DOCS, sphinx_build, sphinx_build_here
from edition.presentation.register_paging import letter_pages, page_of_entries
from reading import article, linked_paragraphs, listed_passages, page, project_uses, register_entry, site_path

#: The project's register documents and which entries each holds.
REGISTER_DOCS = {"glossary": "glossary", "persons": "persons", "works": "works"}
TINY = ("-D", "edition_register_entries_per_page=3", "-D", "edition_register_inline_passages=2",
        "-D", "edition_register_passages_per_page=3")


@cache
def entries_of(annotations: Path) -> tuple[tuple[str, str, str], ...]:
    """(register doc, anchor, key) of every entry, from the annotation files."""
    from edition.checking.check import check_project

    result = check_project(annotations.parent / "docs", annotations)
    found = [("glossary", e.anchor, e.key) for e in result.glossary]
    found += [("persons", p.anchor, p.key) for p in result.persons]
    found += [("works", w.anchor, w.key) for w in result.works]
    return tuple(found)


def passages_of(docs: Path, annotations: Path, key: str) -> set[tuple[str, int]]:
    return {(u.docname, u.paragraph) for u in project_uses(docs, annotations) if u.key == key}


def html_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.html") if "_static" not in p.parts)


@cache
def ids_in(path: Path) -> frozenset[str]:
    return frozenset(re.findall(r'\bid="([^"]+)"', path.read_text(encoding="utf-8")))


def broken_links(root: Path, pages, only=lambda href: True) -> list[str]:
    broken = []
    for source in pages:
        for tag in article(page(source)).select("a[href]") + page(source).select("nav a[href]"):
            href = tag["href"]
            if re.match(r"^[a-z]+:", href) or not only(href):
                continue
            target, fragment = site_path(root, source, href)
            if not target.exists():
                broken.append(f"{source.relative_to(root)}: {href} (no file)")
            elif fragment and fragment not in ids_in(target):
                broken.append(f"{source.relative_to(root)}: {href} (no id)")
    return broken


def entry_link(href: str) -> bool:
    return bool(re.search(r"#(gloss|person|work)-", href))


def register_pages(root: Path) -> list[Path]:
    """The register pages and every page made from them, and the domain indices."""
    names = tuple(f"{doc}-" for doc in REGISTER_DOCS) + ("edition-",)
    return [p for p in html_files(root) if p.parent == root
            and (p.stem in REGISTER_DOCS or p.name.startswith(names))]


# --- the real project ------------------------------------------------------------------


def test_every_passage_is_still_listed(html_build):
    checked = 0
    for register, anchor, key in entries_of(ANNOTATIONS):
        expected = passages_of(DOCS, ANNOTATIONS, key)
        assert listed_passages(html_build, register, anchor) == expected, key
        checked += bool(expected)
    assert checked  # some entry is named somewhere


def test_every_link_resolves(html_build):
    assert not broken_links(html_build, register_pages(html_build))
    texts = [p for p in html_files(html_build) if p.parent.name == "texts"]
    assert texts
    assert not broken_links(html_build, texts, only=entry_link)


def test_links_to_entries_go_to_their_letter_page(html_build):
    """From the texts, notes and see-also straight to the entry, not via the A–Z list."""
    seen = 0
    for source in html_files(html_build):
        for tag in page(source).select("a[href]"):
            if entry_link(tag["href"]):
                target, _ = site_path(html_build, source, tag["href"])
                if source.stem in REGISTER_DOCS and source.parent == html_build:
                    continue  # the A–Z list itself
                assert target.stem not in REGISTER_DOCS, (source, tag["href"])
                seen += 1
    assert seen


def test_old_addresses_land_on_the_entry_line(html_build):
    """glossary.html#gloss-… (and Sphinx's search results) still find the entry."""
    for register, anchor, _ in entries_of(ANNOTATIONS):
        path, entry = register_entry(html_build, register, anchor)
        assert path.stem.startswith(f"{register}-")
        assert entry.get_text(strip=True)


def test_domain_indices_list_each_entry_once(html_build):
    for index, register in (("edition-persons", "persons"), ("edition-works", "works")):
        soup = page(html_build / f"{index}.html")
        links = soup.select("table.modindextable a[href]")
        anchors = [a["href"].split("#")[1] for a in links]
        assert not [a for a in anchors if a.startswith("p-")]  # no passage rows
        expected = [anchor for doc, anchor, _ in entries_of(ANNOTATIONS) if doc == register]
        assert sorted(anchors) == sorted(expected)


# --- a made-up project with tiny budgets ---------------------------------------------


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    from support.made_up import PAGES, copy_project, run_import, write_page

    tmp = tmp_path_factory.mktemp("split")
    project = copy_project(tmp)
    imported = run_import(project, *[write_page(project / "sources", lang) for lang in PAGES])
    assert imported.returncode == 0, imported.stderr
    builds = {}
    # The serial build in this process (one clean build: nothing to leak), -j 2 in its own.
    for name, jobs, run in (("serial", (), sphinx_build_here), ("parallel", ("-j", "2"), sphinx_build)):
        out = tmp / name
        result = run("html", out, *TINY, *jobs, "-d", str(tmp / f"doctrees-{name}"),
                     srcdir=project / "docs", confdir=project / "conf")
        assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr[-3000:]
        builds[name] = out
    return {"root": project, "tmp": tmp, **builds}


def test_pages_land_where_the_layout_says(tiny):
    from edition.sphinxext.registers.register_order import register_order

    out = tiny["serial"]

    class Config:  # what register_order reads
        edition_annotations_dir = str(tiny["root"] / "annotations")

    for register, kind in (("glossary", "glossary"), ("persons", "person"), ("works", "work")):
        ordered = register_order(kind, Config)
        pages = letter_pages(register, [(e.anchor, name) for e, name in ordered], 3)
        where = page_of_entries(pages)
        assert any(p.parts > 1 for p in pages)  # the budget splits some letter
        for entry, _ in ordered:
            path, _ = register_entry(out, register, entry.anchor)
            assert path.stem == where[entry.anchor]
        # The A–Z list: every entry once, by letter, each line with its anchor.
        lines = page(out / f"{register}.html").select(".edition-a-to-z li")
        assert [li["id"] for li in lines] == [anchor for p in pages for anchor in p.anchors]


def test_every_passage_is_listed_with_tiny_budgets(tiny):
    out, project = tiny["serial"], tiny["root"]
    docs, annotations = project / "docs", project / "annotations"
    summarised = chunked = 0
    for register, anchor, key in entries_of(annotations):
        expected = passages_of(docs, annotations, key)
        assert listed_passages(out, register, anchor) == expected, key
        if len(expected) > 2:
            path, entry = register_entry(out, register, anchor)
            summary = entry.find_next_sibling("dd").select_one("p.edition-used-in-summary")
            assert summary is not None, key
            summarised += 1
            chunked += len(expected) > 3
    assert summarised and chunked  # the budgets were exercised


def test_made_up_texts_are_listed(tiny):
    """The imported texts' passages appear under their entries like any other."""
    out = tiny["serial"]
    new_docs = {p.stem for p in (tiny["root"] / "docs" / "texts").glob("made-up-*.md")}
    assert new_docs
    listed = set()
    for register, anchor, key in entries_of(tiny["root"] / "annotations"):
        listed |= {doc for doc, _ in listed_passages(out, register, anchor)}
    assert {f"texts/{doc}" for doc in new_docs} <= listed


def test_every_link_resolves_with_tiny_budgets(tiny):
    out = tiny["serial"]
    assert not broken_links(out, register_pages(out))
    texts = [p for p in html_files(out) if p.parent.name == "texts"]
    assert not broken_links(out, texts, only=entry_link)


def test_passages_pages_chain_and_say_where_they_are(tiny):
    out = tiny["serial"]
    chained = [p for p in html_files(out) if re.fullmatch(r"(glossary|persons|works)-(gloss|person|work)-.+-\d+", p.stem)]
    assert chained
    for path in chained:
        soup = page(path)
        nav = soup.select_one("p.edition-register-nav")
        words = [a.get_text() for a in nav.select("a")]
        assert "previous" in words and re.search(r"page \d+ of \d+", nav.get_text())
        assert soup.find("h1") and soup.html["lang"] == "en"
        assert soup.select_one(".bd-sidebar-primary")  # the theme's sidebar


def test_parallel_build_gives_the_same_pages(tiny):
    serial, parallel = tiny["serial"], tiny["parallel"]
    names = sorted(p.relative_to(serial) for p in html_files(serial))
    assert names == sorted(p.relative_to(parallel) for p in html_files(parallel))
    different = [n for n in names if not filecmp.cmp(serial / n, parallel / n, shallow=False)]
    assert not different


def test_a_note_edit_rewrites_no_register_page(tiny, tmp_path):
    import shutil

    project = tiny["root"]
    out, doctrees = tmp_path / "out", tmp_path / "doctrees"
    shutil.copytree(tiny["serial"], out)
    shutil.copytree(tiny["tmp"] / "doctrees-serial", doctrees)
    generated = register_pages(out)
    stamps = {p: p.stat().st_mtime_ns for p in generated}
    notes = project / "annotations" / "notes" / "ciliga-gpu-prisons.yaml"
    original = notes.read_text(encoding="utf-8")
    try:
        notes.write_text(original.replace("Ante Ciliga", "Ante Ciliga (edited)", 1), encoding="utf-8")
        later = os.stat(notes).st_mtime + 5
        os.utime(notes, (later, later))
        result = sphinx_build("html", out, *TINY, "-d", str(doctrees), srcdir=project / "docs",
                              confdir=project / "conf")
        assert result.returncode == 0, result.stderr
        assert "ciliga-gpu-prisons" in result.stdout
        changed = [p.name for p in generated if p.stat().st_mtime_ns != stamps[p] and not p.stem.startswith("edition-")]
        assert not changed
    finally:
        notes.write_text(original, encoding="utf-8")


# --- print stays as it was -------------------------------------------------------------


def test_print_is_the_same_with_and_without_the_split(tmp_path):
    """The split is HTML only: the LaTeX sources and the indices' upmendex
    input are the same byte for byte, and the register chapters carry every entry."""
    outputs = {}
    for setting in ("1", "0"):
        out = tmp_path / f"latex-{setting}"
        result = sphinx_build("latex", out, "-D", f"edition_register_split={setting}", *TINY,
                              "-d", str(tmp_path / f"doctrees-{setting}"))
        assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr[-3000:]
        outputs[setting] = out
    for name in ("edition.tex", "edition-persons.edidx", "edition-works.edidx", "edition-indices.list"):
        assert (outputs["1"] / name).read_bytes() == (outputs["0"] / name).read_bytes(), name
    tex = (outputs["1"] / "edition.tex").read_text(encoding="utf-8")
    for register, anchor, _ in entries_of(ANNOTATIONS):
        assert f"{register}:{anchor}" in tex, anchor


def test_the_unsplit_html_lists_every_passage_on_the_register_page(tmp_path):
    """With the split turned off the register pages are whole, as before."""
    out = tmp_path / "html"
    result = sphinx_build_here("html", out, "-D", "edition_register_split=0", "-d", str(tmp_path / "doctrees"))
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr[-3000:]
    assert not [p for p in html_files(out) if p.stem.startswith(("glossary-", "persons-", "works-"))]
    soups = {register: page(out / f"{register}.html") for register in REGISTER_DOCS}
    for register, anchor, key in entries_of(ANNOTATIONS):
        entry = soups[register].find(id=anchor)
        found = set()
        for a in entry.find_next_sibling("dd").select(".edition-used-in a[href*='#p-']"):
            target, fragment = site_path(out, out / f"{register}.html", a["href"])
            found |= {(target.relative_to(out).with_suffix("").as_posix(), n) for n in linked_paragraphs(a, fragment)}
        assert found == passages_of(DOCS, ANNOTATIONS, key), key


# --- readers: the theme, axe, the Nu checker ------------------------------------------


def split_pages(out: Path) -> dict[str, str]:
    """A letter page (one of several for its letter) and a passages page (not the first of its entry)."""
    letter = next(p for p in html_files(out) if re.fullmatch(r"(glossary|persons|works)-[a-z0-9]+-\d+", p.stem))
    passages = next(p for p in html_files(out)
                    if re.fullmatch(r"(glossary|persons|works)-(gloss|person|work)-.+-\d+", p.stem))
    return {"letter": letter.name, "passages": passages.name}


@pytest.mark.parametrize("mode", ("light", "dark"))
@pytest.mark.parametrize("kind", ("letter", "passages"))
def test_axe_finds_no_serious_violation_on_split_pages(chromium, tiny, kind, mode):
    from conftest import node_tool
    from support.browser import open_page, serious_violations

    axe = node_tool("axe-core/axe.min.js", "accessibility tests")
    shown = open_page(chromium, tiny["serial"], split_pages(tiny["serial"])[kind], mode)
    assert shown.locator("article h1").count() == 1
    assert serious_violations(shown, axe) == []


@pytest.mark.slow  # Java
def test_nu_html_checker_finds_no_error_on_split_pages(tiny):
    import subprocess

    from conftest import node_tool, require_tool

    require_tool("java", "the Nu HTML Checker runs on Java")
    vnu = node_tool("vnu-jar/build/dist/vnu.jar", "HTML validation")
    out = tiny["serial"]
    pages = [str(out / name) for name in (*split_pages(out).values(), "glossary.html", "edition-persons.html")]
    result = subprocess.run(["java", "-jar", str(vnu), "--errors-only", "--format", "text", *pages],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dirhtml_links_resolve(tmp_path):
    out = tmp_path / "dirhtml"
    result = sphinx_build_here("dirhtml", out, "-d", str(tmp_path / "doctrees"))
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr[-3000:]
    pages = [p for p in html_files(out) if p.parent.name.startswith(("glossary", "persons", "works", "edition-"))]
    assert any(p.parent.name.startswith("glossary-") for p in pages)
    assert not broken_links(out, pages)
    texts = [p for p in html_files(out) if p.parent.parent.name == "texts"]
    assert texts and not broken_links(out, texts, only=entry_link)


@pytest.mark.parametrize("setting", ["edition_register_entries_per_page=0", "edition_register_passages_per_page=-3"])
def test_a_budget_below_one_is_one_clear_error(tmp_path, setting):
    """Given with -D (sphinx-build's overrides): checked when the HTML builder starts."""
    from support import sphinx_app

    name, value = setting.split("=")
    status, out, err = sphinx_app(tmp_path, buildername="html", confoverrides={name: value})
    # One error line naming conf.py, no traceback (tests/test_settings.py).
    assert status != 0
    assert f"{name} must be a whole number of at least 1" in err
    assert "Traceback" not in out + err
