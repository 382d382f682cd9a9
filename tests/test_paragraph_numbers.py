"""Stable ¶ numbers (edition.reading.paragraph_numbers): an import that would renumber a
published text's paragraphs fails, names the moved paragraphs, and, accepted,
keeps every old ¶ number (its permalink) on the same paragraph."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from edition.importer import text_import as importer
from edition.reading.paragraph_numbers import Record, compare, read_record, record_path
from edition.reading.texts import load_text, load_texts
from support import DOCS, keep_only_texts, project_text_ids, run_edition, sphinx_build_here
from support.made_up import copy_project

# A made-up scraped page: one short unpunctuated line ("Second thoughts") the
# importer reads as a heading; the test makes it read that line as a paragraph.
SOURCE = """\
Site | Home | Archive
A Made-up Chronicle
The first paragraph opens the chronicle and says where it stands.
Second thoughts
The second paragraph follows the heading and argues the case at length.
The third paragraph closes the argument and names the sources used.
"""
META = """\
id: made-up-chronicle
lang: en
title: A Made-up Chronicle
begins_with: A Made-up Chronicle
ends_with: The third paragraph closes the argument and names the sources used.
"""
FLIPPED = "Second thoughts"


def write_source(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "950_made_up_chronicle.txt"
    source.write_text(SOURCE, encoding="utf-8")
    source.with_name(source.stem + ".meta.yaml").write_text(META, encoding="utf-8")
    return source


def flip_heading(monkeypatch) -> None:
    """The importer's heuristic changed: the short line is now a paragraph."""
    original = importer._is_heading
    monkeypatch.setattr(importer, "_is_heading", lambda text: text != FLIPPED and original(text))


def edition(project: Path, *args):
    return run_edition("import", "--out", "docs/texts", "--annotations", "annotations", *args, cwd=project)


@pytest.fixture
def imported(tmp_path) -> tuple[Path, Path]:
    project = tmp_path / "project"
    source = write_source(project / "sources")
    (project / "docs" / "texts").mkdir(parents=True)
    result = edition(project, source)
    assert result.returncode == 0, result.stderr
    return project, source


def test_an_import_records_the_paragraph_numbers(imported):
    project, source = imported
    text = project / "docs" / "texts" / "made-up-chronicle.md"
    record = read_record(record_path(text))
    assert record is not None and record.text_id == "made-up-chronicle"
    assert record.numbers == [1, 2, 3]
    assert [e.begins.split()[1] for e in record.entries] == ["first", "second", "third"]
    assert edition(project, "--check", source).returncode == 0


def test_a_heading_read_as_a_paragraph_fails_import_check_naming_the_moved_paragraphs(imported, monkeypatch):
    project, source = imported
    flip_heading(monkeypatch)
    result = edition(project, "--check", source)
    assert result.returncode == 1
    # Old ¶ → new ¶ with each paragraph's first words; the new paragraph takes ¶2's place.
    assert "¶2 → ¶3: 'The second paragraph follows the heading…'" in result.stderr
    assert "¶3 → ¶4: 'The third paragraph closes the argument…'" in result.stderr
    assert "(new) → ¶2: 'Second thoughts'" in result.stderr
    assert "¶1 →" not in result.stderr  # the first paragraph does not move
    assert "--accept-renumbering" in result.stderr


def test_without_acceptance_an_import_that_renumbers_writes_nothing(imported, monkeypatch):
    project, source = imported
    text = project / "docs" / "texts" / "made-up-chronicle.md"
    before = text.read_text(encoding="utf-8"), record_path(text).read_text(encoding="utf-8")
    flip_heading(monkeypatch)
    result = edition(project, source)
    assert result.returncode == 1 and "nothing was written" in result.stderr
    assert (text.read_text(encoding="utf-8"), record_path(text).read_text(encoding="utf-8")) == before


def test_an_accepted_renumbering_keeps_every_old_number_on_its_paragraph(imported, monkeypatch):
    project, source = imported
    flip_heading(monkeypatch)
    result = edition(project, "--accept-renumbering", source)
    assert result.returncode == 0, result.stderr
    assert "new paragraph 'Second thoughts' is ¶4 (a count would make it ¶2)" in result.stdout
    assert "¶2 'The second paragraph follows the heading…' keeps its number (a count would make it ¶3)" \
        in result.stdout
    text = load_text(project / "docs" / "texts" / "made-up-chronicle.md", project / "docs")
    numbered = {b.number: b.text.split()[1] for b in text.paragraphs}
    # The old ¶2 and ¶3 keep their numbers; the new paragraph takes one never used.
    assert numbered == {1: "first", 2: "second", 3: "third", 4: "thoughts"}
    assert [b.number for b in text.paragraphs] == [1, 4, 2, 3]
    # Accepted, the text and its record agree: --check passes with the new heuristic ...
    assert edition(project, "--check", source).returncode == 0
    # ... and fails with the old one, which would now drop the recorded ¶4.
    monkeypatch.undo()
    result = edition(project, "--check", source)
    assert result.returncode == 1 and "¶4 → (no longer a paragraph): 'Second thoughts'" in result.stderr


def test_the_html_keeps_the_old_anchors_after_an_accepted_renumbering(tmp_path, monkeypatch):
    project = copy_project(tmp_path)
    source = write_source(project / "sources")
    assert edition(project, source).returncode == 0
    keep_only_texts(project, {"made-up-chronicle"})
    flip_heading(monkeypatch)
    assert edition(project, "--accept-renumbering", source).returncode == 0
    out = tmp_path / "html"
    result = sphinx_build_here("html", out, "-q", srcdir=project / "docs", confdir=project / "conf")
    assert result.returncode == 0, result.stderr
    page = (out / "texts" / "made-up-chronicle.html").read_text(encoding="utf-8")
    anchors = dict(re.findall(r'<p class="edition-para" id="p-(\d+)">.*?(first|second|third|thoughts)', page))
    assert anchors == {"1": "first", "2": "second", "3": "third", "4": "thoughts"}


def test_compare_keeps_numbers_for_words_changed_in_place_and_numbers_new_paragraphs_on():
    record = Record.positional("t", ["one a", "two b", "three c"])
    same = compare(record, "t", ["one a", "two B", "three c", "four d"])
    assert same.moves == [] and same.record.numbers == [1, 2, 3, 4]
    gone = compare(record, "t", ["one a", "three c"])
    assert [str(m) for m in gone.moves] == ["¶2 → (no longer a paragraph): 'two b'", "¶3 → ¶2: 'three c'"]
    assert gone.record.numbers == [1, 3] and gone.record.retired == (2,)
    # A retired number is never given again.
    back = compare(gone.record, "t", ["one a", "three c", "five e"])
    assert back.moves == [] and back.record.numbers == [1, 3, 4]


def test_the_real_texts_have_their_numbers_recorded_and_counted():
    for text in load_texts(DOCS):
        record = read_record(record_path(text.path))
        assert record is not None, f"{text.path}: no ¶ number record"
        assert record.numbers_for([b.text for b in text.paragraphs]) == [b.number for b in text.paragraphs]


def test_a_text_whose_paragraphs_no_longer_fit_its_record_fails_check_and_the_build(tmp_path):
    """A paragraph deleted by hand from a published text: `edition check` names the
    record, and the -W build fails with a warning at it instead of quietly renumbering."""
    project = copy_project(tmp_path)
    text_id = sorted(project_text_ids(project))[0]
    keep_only_texts(project, {text_id})
    text = next((project / "docs" / "texts").glob(f"{text_id}.md"))
    loaded = load_text(text, project / "docs")
    second = loaded.paragraphs[1].text
    source = text.read_text(encoding="utf-8")
    assert source.count(second) == 1
    text.write_text(source.replace(second + "\n", "", 1), encoding="utf-8")
    check = run_edition("check", "--docs", "docs", "--annotations", "annotations", cwd=project)
    assert check.returncode == 1
    assert f"{text_id}.paragraphs.yaml:1: error: the recorded ¶ numbers do not fit {text_id}.md" in check.stderr
    out = tmp_path / "html"
    build = sphinx_build_here("html", out, "-q", srcdir=project / "docs", confdir=project / "conf")
    assert build.returncode != 0
    assert f"{text_id}.paragraphs.yaml" in build.stderr and "recorded ¶ numbers are not this text's" in build.stderr


@pytest.mark.parametrize("content, line", [
    ("text: x\nparagraphs: [[1, abc, 'Words'\n  - :\n", 3),   # broken YAML: where it stops
    ("\xff\xfe not UTF-8", None),                               # unreadable: the file alone
])
def test_an_unreadable_record_is_named_at_its_line_by_check_and_the_build(tmp_path, content, line):
    """A ¶ record broken by hand (or by a merge) is an error at file:line in `edition
    check` and a -W build failure at the same place, never a traceback."""
    project = copy_project(tmp_path)
    text_id = sorted(project_text_ids(project))[0]
    keep_only_texts(project, {text_id})
    record = project / "docs" / "texts" / f"{text_id}.paragraphs.yaml"
    record.write_bytes(content.encode("utf-8") if line else b"\xff\xfe not UTF-8")
    where = f"{text_id}.paragraphs.yaml:{line}:" if line else f"{text_id}.paragraphs.yaml:"
    check = run_edition("check", "--docs", "docs", "--annotations", "annotations", cwd=project)
    assert check.returncode == 1
    assert f"{where} error: the ¶ number record cannot be read" in check.stderr, check.stderr
    assert "Traceback" not in check.stderr
    build = sphinx_build_here("html", tmp_path / "html", "-q", srcdir=project / "docs", confdir=project / "conf")
    assert build.returncode != 0
    # Sphinx prints a location without a line as "file::".
    assert f"{where}{'' if line else ':'} WARNING: the ¶ number record cannot be read" in build.stderr, build.stderr
    assert "Traceback" not in build.stderr


def test_a_note_on_a_retired_paragraph_number_is_told_which_numbers_are_gone():
    from edition.anchoring.text_quotes import Anchor, AnchorProblem, Block, locate

    blocks = [Block.of("one a", 1), Block.of("three c", 3)]
    problem = locate(Anchor("two", paragraph=2), blocks)
    assert isinstance(problem, AnchorProblem)
    assert problem.message == "paragraph 2 does not exist; the text has ¶1–¶3 (no ¶2: retired)"
    assert "retired" not in locate(Anchor("x", paragraph=9), [Block.of("one a", 1)]).message
