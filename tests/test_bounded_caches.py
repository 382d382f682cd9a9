"""The caches that keep a large build's memory flat give what a fresh build gives (issue 25).

Sphinx's doctrees are kept in memory for only so many documents
(:mod:`edition.sphinxext.state.doctree_memory`); here for one, so that every other
page is written from a doctree loaded back from disk. The parsed annotation
files are kept between builds (:mod:`edition.sphinxext.state.parsed_files`). On a
made-up edition (the project with three made-up texts), a full build, then an
edit of a note and of a glossary entry and an incremental build, must give
exactly the pages a fresh build of the edited project gives, with the edits
on them: a cache that served stale or another document's data would differ.
"""

from __future__ import annotations

import filecmp
import os
import shutil
from pathlib import Path

import pytest

from edition.sphinxext.state import doctree_memory
from reading import page
from support import sphinx_build_here

NOTE_EDIT = "An edited note, to be found on its page."
ENTRY_EDIT = "An edited definition, to be found on its letter page."


def _touch_later(path: Path) -> None:
    later = path.stat().st_mtime + 5
    os.utime(path, (later, later))


def add_paragraph(yaml_text: str, key: str, paragraph: str) -> str:
    """The first ``key: |`` block of a YAML file with *paragraph* added at its end
    (its first sentence, the entry's one-line summary, stays as it was)."""
    lines = yaml_text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == f"{key}: |")
    indent = len(lines[start]) - len(lines[start].lstrip()) + 2
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) >= indent):
        end += 1
    while not lines[end - 1].strip():
        end -= 1
    return "".join(lines[:end] + ["\n", " " * indent + paragraph + "\n"] + lines[end:])


def html_pages(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for p in root.rglob("*.html"))


def build(project: Path, out: Path, doctrees: Path):
    result = sphinx_build_here("html", out, "-d", doctrees, srcdir=project / "docs", confdir=project / "conf")
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr[-3000:]
    return result


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    from support.made_up import PAGES, copy_project, run_import, write_page

    tmp = tmp_path_factory.mktemp("caches")
    project = copy_project(tmp)
    imported = run_import(project, *[write_page(project / "sources", lang) for lang in PAGES])
    assert imported.returncode == 0, imported.stderr
    kept = doctree_memory.DOCTREES_KEPT
    doctree_memory.DOCTREES_KEPT = 1  # every page but the first written from disk
    try:
        out, doctrees = tmp / "incremental", tmp / "doctrees"
        build(project, out, doctrees)
        before = {p: (out / p).read_bytes() for p in html_pages(out)}

        notes = sorted((project / "annotations" / "notes").glob("*.yaml"))[0]
        text = notes.read_text(encoding="utf-8")
        notes.write_text(add_paragraph(text, "body", NOTE_EDIT), encoding="utf-8")
        _touch_later(notes)
        glossary = project / "annotations" / "glossary.yaml"
        text = glossary.read_text(encoding="utf-8")
        glossary.write_text(add_paragraph(text, "definition", ENTRY_EDIT), encoding="utf-8")
        _touch_later(glossary)
        rebuilt = build(project, out, doctrees)
    finally:
        doctree_memory.DOCTREES_KEPT = kept
    fresh = tmp / "fresh"
    build(project, fresh, tmp / "doctrees-fresh")
    return {"out": out, "fresh": fresh, "before": before, "log": rebuilt.stdout, "notes": notes}


def test_an_incremental_build_gives_the_pages_of_a_fresh_one(edited):
    out, fresh = edited["out"], edited["fresh"]
    assert html_pages(out) == html_pages(fresh)
    different = [str(p) for p in html_pages(out) if not filecmp.cmp(out / p, fresh / p, shallow=False)]
    assert not different


def test_the_edits_are_on_their_pages(edited):
    out, before = edited["out"], edited["before"]
    text_id = edited["notes"].stem
    text_page = next(p for p in html_pages(out) if p.stem == text_id)
    assert NOTE_EDIT in page(out / text_page).select_one("section#notes").get_text(" ")
    assert NOTE_EDIT.encode() not in before[text_page]
    holding = [p for p in html_pages(out) if ENTRY_EDIT in (out / p).read_text(encoding="utf-8")]
    assert holding and all(p.stem.startswith("glossary-") for p in holding), holding
    changed = [p for p in html_pages(out) if (out / p).read_bytes() != before.get(p)]
    assert text_page in changed


def test_pages_written_from_disk_are_those_written_from_memory(edited, tmp_path, monkeypatch):
    """A full build keeping no doctree in memory gives the fresh build's pages
    (which kept them all: the default for a small edition)."""
    out = tmp_path / "from-disk"
    project = edited["notes"].parents[2]
    monkeypatch.setattr(doctree_memory, "DOCTREES_KEPT", 0)
    build(project, out, tmp_path / "doctrees")
    different = [str(p) for p in html_pages(out)
                 if not filecmp.cmp(out / p, edited["fresh"] / p, shallow=False)]
    assert not different


def test_doctree_cache_keeps_the_first_documents_only():
    cache = doctree_memory.FirstKept(2)
    for name in ("a", "b", "c"):
        cache[name] = name.upper()
    assert dict(cache) == {"a": "A", "b": "B"}
    cache["a"] = "A2"  # a document read again replaces its own entry
    assert cache.pop("a") == "A2" and "c" not in cache
    cache["c"] = "C"  # room again once one is written
    assert cache["c"] == "C"
    empty = doctree_memory.FirstKept(0)
    empty["x"] = 1
    assert "x" not in empty and len(empty) == 0
