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
