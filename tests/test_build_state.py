"""Build state has one owner: two builds in one process behave as two processes.

The edition keeps what a build learns in its domain (sphinxext/state), never
on the application, the builder or a module: an editor's tool, a test run or
a server that builds several times in one process must re-read and rewrite
exactly what a fresh ``sphinx-build`` would.
"""

from __future__ import annotations

import os
import re

import pytest

from support import copy_project, keep_only_texts, sphinx_build, sphinx_build_here

TEXT = "ciliga-gpu-prisons"
REGISTER_PAGES = {"glossary", "persons", "works"}


def _listed(output: str, phase: str) -> list[str]:
    return sorted(re.findall(rf"{phase}\.\.\. \[\s*\d+%\] (\S+)", output))


def _edit_note(project) -> None:
    notes = project / "annotations" / "notes" / f"{TEXT}.yaml"
    text = notes.read_text(encoding="utf-8")
    assert "Ante Ciliga" in text
    notes.write_text(text.replace("Ante Ciliga", "Ante Ciliga (edited)", 1), encoding="utf-8")
    later = os.stat(notes).st_mtime + 5
    os.utime(notes, (later, later))


def _builds(project, run):
    out, doctrees = project / "out", project / "doctrees"
    return lambda: run("html", out, "-d", str(doctrees), srcdir=project / "docs", confdir=project / "conf")


@pytest.fixture
def twins(tmp_path):
    """Two copies of one small project: one built in fresh processes, one in this one."""
    return [keep_only_texts(copy_project(tmp_path / name), {TEXT}) for name in ("fresh", "here")]


def test_an_incremental_build_in_process_does_what_a_fresh_process_does(twins, tmp_path):
    fresh, here = twins
    # Another build in this process first: whatever it leaves behind must not reach the next ones.
    other = keep_only_texts(copy_project(tmp_path / "other"), {TEXT})
    assert _builds(other, sphinx_build_here)().returncode == 0

    seen = {}
    for name, project, run in (("fresh", fresh, sphinx_build), ("here", here, sphinx_build_here)):
        build = _builds(project, run)
        first = build()
        assert first.returncode == 0, first.stderr
        _edit_note(project)
        second = build()
        assert second.returncode == 0, second.stderr
        seen[name] = (_listed(second.stdout, "reading sources"), _listed(second.stdout, "writing output"))

    assert seen["here"] == seen["fresh"]
    read, written = seen["fresh"]
    assert read == [f"texts/{TEXT}"]
    assert not REGISTER_PAGES & set(written), written


def _domain(data=None):
    from types import SimpleNamespace

    from edition.sphinxext.state.domain import EditionDomain

    return EditionDomain(SimpleNamespace(domaindata={} if data is None else data))


def test_the_domain_clears_and_merges_every_record():
    """One clear_doc and one merge_domaindata for all per-document records: a record
    added to RECORDS is purged and merged without any other wiring."""
    from edition.sphinxext.state.records import RECORDS

    assert len({record.name for record in RECORDS}) == len(RECORDS) >= 6
    domain = _domain()
    for record in RECORDS:
        for doc in ("kept", "purged"):
            domain.data[record.name][doc] = f"{record.name} of {doc}"
    domain.note_entry("person", "someone", "purged", "person-someone")
    domain.clear_doc("purged")
    assert all(list(domain.data[record.name]) == ["kept"] for record in RECORDS)
    assert domain.data["objects"] == {}

    worker = _domain()  # a parallel worker read "new" (and knows "other", which it did not read)
    for record in RECORDS:
        worker.data[record.name].update({"new": f"{record.name} of new", "other": "stale"})
    worker.note_entry("work", "book", "new", "work-book")
    domain.merge_domaindata({"new"}, worker.data)
    for record in RECORDS:
        assert domain.data[record.name] == {"kept": f"{record.name} of kept", "new": f"{record.name} of new"}
    assert domain.data["objects"] == {("work", "book"): ("new", "work-book")}


def test_each_application_starts_with_a_fresh_build_state():
    """The working state of a build sits on the domain instance, never pickled,
    never shared: a second environment (a second build) starts from nothing."""
    first, second = _domain(), _domain()
    first.build.listings_changed = True
    first.build.register_pages["glossary"] = ["a page"]
    assert second.build.listings_changed is False and second.build.register_pages == {}
    assert "build" not in first.data  # the data is what Sphinx pickles


def test_no_build_state_outside_the_domain():
    """No edition attribute on the application, the builder or the environment:
    state there outlives the build or escapes the domain's clear_doc and merge."""
    import re

    from support import ROOT

    pattern = re.compile(r"\b(app|builder|env)\s*\.\s*_?edition_\w+\s*=|"
                         r"setattr\([\w.]*(app|builder|env)\s*,\s*[\"']_?edition_")
    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
             for path in sorted((ROOT / "ext" / "edition" / "sphinxext").rglob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert found == []
