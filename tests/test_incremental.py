"""Incremental builds: editing a notes file re-reads exactly the text it annotates.

Each test follows one text through several builds; the project copy holds that
text alone (support.keep_only_texts), as the other texts would only add time.
"""

from __future__ import annotations

import os
import re

import pytest

from conftest import sphinx_build
from support import copy_project, keep_only_texts
from edition.sphinxext.state.parsed_files import CACHE_FILE
from reading import listed_passages


def read_documents(output: str) -> list[str]:
    """The documents Sphinx says it (re-)read."""
    return re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", output)


def written_documents(output: str) -> list[str]:
    return re.findall(r"writing output\.\.\. \[\s*\d+%\] (\S+)", output)


TEXT = "ciliga-gpu-prisons"


@pytest.fixture
def project(tmp_path):
    return keep_only_texts(copy_project(tmp_path), {TEXT})


def test_editing_a_note_rereads_only_its_text(project):
    tmp_path = project
    out, doctrees = tmp_path / "out", tmp_path / "doctrees"
    build = lambda: sphinx_build(  # noqa: E731
        "html", out, "-d", str(doctrees), srcdir=tmp_path / "docs", confdir=tmp_path / "conf"
    )
    first = build()
    assert first.returncode == 0, first.stderr
    docs = tmp_path / "docs"
    every_document = sorted(p.relative_to(docs).with_suffix("").as_posix() for p in docs.rglob("*.md"))
    assert sorted(read_documents(first.stdout)) == every_document

    unchanged = build()
    assert read_documents(unchanged.stdout) == []

    notes = tmp_path / "annotations" / "notes" / "ciliga-gpu-prisons.yaml"
    text = notes.read_text(encoding="utf-8")
    assert "Ante Ciliga" in text
    notes.write_text(text.replace("Ante Ciliga", "Ante Ciliga (edited)", 1), encoding="utf-8")
    later = os.stat(notes).st_mtime + 5
    os.utime(notes, (later, later))

    second = build()
    assert second.returncode == 0, second.stderr
    assert read_documents(second.stdout) == ["texts/ciliga-gpu-prisons"]
    assert "1 changed" in second.stdout
    page = (out / "texts" / "ciliga-gpu-prisons.html").read_text(encoding="utf-8")
    assert "Ante Ciliga (edited)" in page
    # A note does not change which passages use which entries: the glossary and
    # registers (the largest pages) are not rewritten.
    written = written_documents(second.stdout)
    assert "texts/ciliga-gpu-prisons" in written
    assert not {"glossary", "persons", "works"} & set(written), written

    # Editing the text so that a paragraph no longer uses an entry rewrites the
    # pages that list uses, and they drop that paragraph.
    listed = lambda: listed_passages(out, "glossary", "gloss-gpu")  # noqa: E731
    assert ("texts/ciliga-gpu-prisons", 1) in listed()
    source = tmp_path / "docs" / "texts" / "ciliga-gpu-prisons.md"
    text = source.read_text(encoding="utf-8")
    first_paragraph = next(p for p in text.split("\n\n") if "ГПУ" in p and not p.startswith(("#", "-", "%", "(", ">")))
    source.write_text(text.replace(first_paragraph, first_paragraph.replace("ГПУ", "Г.П.У."), 1), encoding="utf-8")
    notes.write_text(notes.read_text(encoding="utf-8").replace('"тюрьмы ГПУ"', '"тюрьмы Г.П.У."'), encoding="utf-8")
    third = build()
    assert third.returncode == 0, third.stderr
    assert read_documents(third.stdout) == ["texts/ciliga-gpu-prisons"]
    assert {"glossary", "persons", "works"} <= set(written_documents(third.stdout))
    assert ("texts/ciliga-gpu-prisons", 1) not in listed()


def test_anchor_errors_fail_every_build_until_fixed(project):
    """Anchors are checked while a text is read; a rebuild that reads nothing
    must still report the error and fail, or a second run would pass silently."""
    tmp_path = project
    out, doctrees = tmp_path / "out", tmp_path / "doctrees"
    build = lambda: sphinx_build(  # noqa: E731
        "html", out, "-d", str(doctrees), srcdir=tmp_path / "docs", confdir=tmp_path / "conf"
    )
    notes = tmp_path / "annotations" / "notes" / "ciliga-gpu-prisons.yaml"
    original = notes.read_text(encoding="utf-8")
    exact = re.search(r"exact: (\S.*)", original).group(1)
    broken = original.replace(f"exact: {exact}", "exact: no such passage anywhere", 1)
    assert broken != original
    notes.write_text(broken, encoding="utf-8")
    line = next(n for n, l in enumerate(broken.splitlines(), 1) if "no such passage anywhere" in l)

    for attempt in ("first", "unchanged"):
        result = build()
        output = result.stdout + result.stderr
        assert result.returncode != 0, (attempt, output[-2000:])
        assert f"ciliga-gpu-prisons.yaml:{line}: ERROR: " in output and "anchor not found" in output, output[-2000:]
        assert "Traceback" not in output
    assert read_documents(result.stdout) == []  # the second build re-read nothing

    # A damaged cache of parsed annotation files costs time, never correctness.
    assert (doctrees / CACHE_FILE).stat().st_size > 1000
    (doctrees / CACHE_FILE).write_bytes(b"not a pickle")
    notes.write_text(original, encoding="utf-8")
    later = os.stat(notes).st_mtime + 5
    os.utime(notes, (later, later))
    fixed = build()
    assert fixed.returncode == 0, fixed.stderr
    assert read_documents(fixed.stdout) == ["texts/ciliga-gpu-prisons"]


def test_a_text_without_notes_is_read_again_only_when_its_notes_file_appears(project):
    tmp_path = project
    notes = tmp_path / "annotations" / "notes" / "ciliga-gpu-prisons.yaml"
    kept = notes.read_text(encoding="utf-8")
    notes.unlink()
    out, doctrees = tmp_path / "out", tmp_path / "doctrees"
    build = lambda: sphinx_build(  # noqa: E731
        "html", out, "-d", str(doctrees), srcdir=tmp_path / "docs", confdir=tmp_path / "conf"
    )
    assert build().returncode == 0
    unchanged = build()
    assert unchanged.returncode == 0, unchanged.stderr
    assert read_documents(unchanged.stdout) == []  # nothing changed: nothing is read

    notes.write_text(kept, encoding="utf-8")
    appeared = build()
    assert appeared.returncode == 0, appeared.stderr
    assert read_documents(appeared.stdout) == ["texts/ciliga-gpu-prisons"]
    assert "Ante Ciliga" in (out / "texts" / "ciliga-gpu-prisons.html").read_text(encoding="utf-8")

    # A text's front matter changes: the home page's list of texts is read again.
    source = tmp_path / "docs" / "texts" / "ciliga-gpu-prisons.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("\ntitle_en: ", "\ntitle_en: Retitled ", 1), encoding="utf-8")
    retitled = build()
    assert retitled.returncode == 0, retitled.stderr
    assert sorted(read_documents(retitled.stdout)) == ["index", "texts/ciliga-gpu-prisons"]
    assert "Retitled" in (out / "index.html").read_text(encoding="utf-8")
