"""No page made from the registers grows with the texts (issue 25).

A made-up edition (the project with three made-up texts) is built with small
budgets, so that its registers take every shape a 2,000-text edition gives
them: letters on several pages, lists of passages on pages of their own and
chained, registers too long to list entry by entry on their own page. Every
page must then stay within what its budget allows: so many entries, so many
passages, each passage at most ``PASSAGE_BYTES`` of HTML; and every passage
the lexer finds must still be listed under its entry, none dropped.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from edition.presentation.register_paging import PASSAGE_BYTES
from reading import article, linked_paragraphs, page, project_uses, site_path
from support import sphinx_build_here

ENTRIES, INLINE, PER_PAGE, INDEX = 4, 3, 20, 20
BUDGETS = ("-D", f"edition_register_entries_per_page={ENTRIES}", "-D", f"edition_register_inline_passages={INLINE}",
           "-D", f"edition_register_passages_per_page={PER_PAGE}", "-D", f"edition_register_index_entries={INDEX}")
REGISTERS = ("glossary", "persons", "works")


@pytest.fixture(scope="module")
def bounded(tmp_path_factory):
    from support.made_up import PAGES, copy_project, run_import, write_page

    tmp = tmp_path_factory.mktemp("bounds")
    project = copy_project(tmp)
    imported = run_import(project, *[write_page(project / "sources", lang) for lang in PAGES])
    assert imported.returncode == 0, imported.stderr
    out = tmp / "html"
    result = sphinx_build_here("html", out, *BUDGETS, "-d", tmp / "doctrees", srcdir=project / "docs",
                               confdir=project / "conf")
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr[-3000:]
    return project, out


@cache
def entries_of(annotations: Path) -> tuple[tuple[str, str, str], ...]:
    from edition.checking.check import check_project

    result = check_project(annotations.parent / "docs", annotations)
    return tuple([("glossary", e.anchor, e.key) for e in result.glossary]
                 + [("persons", p.anchor, p.key) for p in result.persons]
                 + [("works", w.anchor, w.key) for w in result.works])


def letter_pages(out: Path, register: str) -> list[Path]:
    """The register's letter pages: glossary-n.html, glossary-u0416-2.html (not its passages pages)."""
    return sorted(p for p in out.glob(f"{register}-*.html")
                  if re.fullmatch(rf"{register}-(?:[a-z0-9]|u[0-9a-f]{{4}})(?:-\d+)?", p.stem))


def passages_pages(out: Path, register: str) -> list[Path]:
    return sorted(p for p in out.glob(f"{register}-*.html") if p not in letter_pages(out, register))


def passages_in(root, where: Path, out: Path) -> list[tuple[str, int]]:
    """(docname, ¶) of every passage a list of passages gives, a range as its paragraphs."""
    found = []
    for link in root.select(".edition-used-in a[href*='#p-']"):
        target, fragment = site_path(out, where, link["href"])
        doc = target.relative_to(out).with_suffix("").as_posix()
        found += [(doc, number) for number in linked_paragraphs(link, fragment)]
    return found


def entry_of(out: Path, register: str, anchor: str):
    """The entry's letter page and <dt>, wherever it is (the register page may list only letter pages)."""
    for path in letter_pages(out, register):
        entry = page(path).find("dt", id=anchor)
        if entry is not None:
            return path, entry
    raise AssertionError(f"{anchor} is on no letter page of {register}")


def listed(out: Path, register: str, anchor: str) -> list[tuple[str, int]]:
    """Every passage listed under the entry: inline, or on its chain of passages pages."""
    path, entry = entry_of(out, register, anchor)
    definition = entry.find_next_sibling("dd")
    summary = definition.select_one("p.edition-used-in-summary a")
    if summary is None:
        return passages_in(definition, path, out)
    found, seen = [], set()
    following, _ = site_path(out, path, summary["href"])
    while following is not None and following not in seen:
        seen.add(following)
        body = article(page(following))
        found += passages_in(body, following, out)
        ahead = [a for a in body.select("p.edition-register-nav a") if a.get_text() == "next"]
        following = site_path(out, following, ahead[0]["href"])[0] if ahead else None
    return found


def test_every_passage_is_listed_once(bounded):
    project, out = bounded
    docs, annotations = project / "docs", project / "annotations"
    uses = project_uses(docs, annotations)
    summarised = 0
    for register, anchor, key in entries_of(annotations):
        expected = {(u.docname, u.paragraph) for u in uses if u.key == key}
        found = listed(out, register, anchor)
        assert sorted(found) == sorted(expected), key  # none dropped, none twice
        summarised += len(expected) > INLINE
    assert summarised  # the budgets were exercised


def test_letter_pages_hold_at_most_their_budget(bounded):
    _, out = bounded
    split = 0
    for register in REGISTERS:
        pages = letter_pages(out, register)
        assert pages, register
        for path in pages:
            body = article(page(path))
            entries = body.select("dl > dt")
            assert 1 <= len(entries) <= ENTRIES, path.name
            for entry in entries:
                inline = passages_in(entry.find_next_sibling("dd"), path, out)
                assert len(inline) <= INLINE, (path.name, entry.get("id"))
            split += path.stem.endswith("-2")
    assert split  # some letter took several pages


def test_passages_pages_hold_at_most_their_budget(bounded):
    _, out = bounded
    full = 0
    for register in REGISTERS:
        for path in passages_pages(out, register):
            found = passages_in(article(page(path)), path, out)
            assert 0 < len(found) <= PER_PAGE, path.name
            full += len(found) == PER_PAGE
    assert full  # some list filled its pages


def test_each_passage_costs_at_most_its_share_of_a_page(bounded):
    """What the budgets' arithmetic rests on (conf.py): a page's lists of
    passages take at most PASSAGE_BYTES a passage, the text's name included."""
    _, out = bounded
    checked = 0
    for register in REGISTERS:
        for path in letter_pages(out, register) + passages_pages(out, register):
            for listing in article(page(path)).select("div.edition-used-in"):
                count = len(passages_in(listing, path, out))
                assert len(str(listing).encode()) <= PASSAGE_BYTES * max(count, 1), (path.name, count)
                checked += 1
    assert checked


def test_a_long_register_lists_its_letter_pages_not_its_entries(bounded):
    """Over edition_register_index_entries, the register page gives one line per
    letter page (first and last entry, how many), each linked; the page does not
    grow with the register."""
    project, out = bounded
    for register in REGISTERS:
        count = sum(1 for doc, _, _ in entries_of(project / "annotations") if doc == register)
        assert count > INDEX, register  # the made-up budget makes every register long
        soup = page(out / f"{register}.html")
        lines = soup.select("ul.edition-a-to-z-pages > li")
        pages = letter_pages(out, register)
        assert len(lines) == len(pages) and not soup.select(".edition-a-to-z li[id]")
        targets = [site_path(out, out / f"{register}.html", li.find("a")["href"])[0] for li in lines]
        assert sorted(targets) == pages
        for line, target in zip(lines, targets):
            shown = len(article(page(target)).select("dl > dt"))
            assert re.search(rf", {shown} entr(y|ies)$", line.get_text()), line.get_text()


def test_the_web_indices_of_a_long_register_list_its_letter_pages(bounded):
    """The same for the indices of persons and of works: one row per letter page."""
    _, out = bounded
    for index, register in (("edition-persons", "persons"), ("edition-works", "works")):
        soup = page(out / f"{index}.html")
        rows = soup.select("table.modindextable a[href]")
        targets = sorted(site_path(out, out / f"{index}.html", a["href"])[0] for a in rows)
        assert targets == letter_pages(out, register), index
        for row in soup.select("table.modindextable tr"):
            link = row.select_one("a[href]")
            if link is not None:
                shown = len(article(page(site_path(out, out / f"{index}.html", link["href"])[0])).select("dl > dt"))
                assert re.search(rf", {shown} entr(y|ies)$", row.get_text(" ", strip=True)), row.get_text()
