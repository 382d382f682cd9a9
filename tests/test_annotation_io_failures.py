"""`edition import-annotations` and `edition export` on input that used to end in a
traceback: every failure is one line naming the file or the annotation, and what
they publish is readable by everyone (0644). In-process (``edition.cli.commands.main``)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from edition.cli.commands import main
from test_annotation_import_cases import BASE, PAGE, project, row, search_api  # noqa: F401 (fixture)


def args(project: Path, *extra: str) -> list[str]:
    return ["--docs", str(project / "docs"), "--annotations", str(project / "annotations"),
            "--citation", str(project / "CITATION.cff"), "--base-url", BASE, *extra]


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err.strip()


class Nested:
    """A value nested *depth* objects deep, written as JSON text (json.dumps itself
    gives up near Python's recursion limit)."""

    def __init__(self, depth: int) -> None:
        self.text = '{"x":' * depth + '"deep"' + "}" * depth


def as_json(value) -> str:
    if isinstance(value, Nested):
        return value.text
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k)}:{as_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(as_json(v) for v in value) + "]"
    return json.dumps(value)


def nested(depth: int) -> Nested:
    return Nested(depth)


# Deep enough to hurt anything recursive (the old importer hashed an id-less annotation
# with json.dumps, RecursionError), shallow enough for the JSON parser under pytest.
@pytest.mark.parametrize("case, annotation, reason", [
    ("id-less, a body nested 700 deep", {"type": "Annotation", "body": nested(700), "target": {
        "source": PAGE, "selector": {"type": "TextQuoteSelector", "exact": "grew stronger"}}},
     "it has no textual body (a highlight without a note?)"),
    ("id-less, a target nested 700 deep", {"type": "Annotation", "body": "x", "target": nested(700)},
     "its target names no page"),
    ("id-less, a creator nested 700 deep", {"type": "Annotation", "bodyValue": "A note.", "creator": nested(700),
                                            "target": {"source": PAGE, "selector": {
                                                "type": "TextQuoteSelector", "exact": "grew stronger"}}},
     None),
])
def test_deep_nesting_is_one_refusal(project, capsys, case, annotation, reason):
    path = project / "import.json"
    path.write_text(as_json([annotation]), encoding="utf-8")
    code = main(["import-annotations", str(path), *args(project)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    refusals = [line for line in err.splitlines() if line.startswith("refused: ")]
    if reason is None:  # nothing wrong but the depth of a part the note does not use
        assert code == 0 and refusals == []
    else:
        assert code == 1 and refusals == [f"refused: annotation 1: {reason}"]


def test_a_file_nested_past_the_parser_is_one_error(project, capsys):
    path = project / "import.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert main(["import-annotations", str(path), *args(project)]) == 1
    assert "the JSON is nested too deeply" in one_line_error(capsys)


@pytest.mark.parametrize("case, make", [
    ("a folder", lambda p: p.mkdir()),
    ("a missing file", lambda p: None),
])
def test_import_on_something_not_a_file(project, capsys, case, make):
    target = project / "export-folder"
    make(target)
    assert main(["import-annotations", str(target), *args(project)]) == 1
    err = one_line_error(capsys)
    assert err.startswith(f"error: {target}") and ("not a file" in err or "cannot read the file" in err)


@pytest.mark.parametrize("case, out", [
    ("--out names a file", lambda p: (p / "taken.txt", (p / "taken.txt").write_text("x"))[0]),
    ("--out lies under a file", lambda p: (p / "taken.txt", (p / "taken.txt").write_text("x"))[0] / "sub"),
])
def test_export_out_that_cannot_be_a_folder(project, capsys, case, out):
    target = out(project)
    assert main(["export", "--out", str(target), *args(project)]) == 1
    err = one_line_error(capsys)
    assert "taken.txt" in err and ("is a file, not a folder" in err or "cannot be written" in err)
    assert (project / "taken.txt").read_text() == "x"


def unwritable_folder(project: Path) -> Path:
    """A folder this process cannot write into: a read-only one, or, for root (whom
    permissions do not stop, as under CI), a folder of the kernel's sysfs."""
    if os.geteuid() != 0:
        folder = project / "locked"
        folder.mkdir()
        folder.chmod(0o555)
        return folder
    folder = Path("/sys/kernel")
    try:
        (folder / "edition-probe").write_text("x")
    except OSError:
        return folder
    pytest.fail("no folder this process cannot write into (root, and /sys/kernel is writable)")


def test_export_into_an_unwritable_folder(project, capsys):
    folder = unwritable_folder(project)
    try:
        assert main(["export", "--out", str(folder), *args(project)]) == 1
        err = one_line_error(capsys)
        assert str(folder) in err and "cannot be written (" in err and "); check --out" in err, err
    finally:
        if folder.is_relative_to(project):
            folder.chmod(0o755)


def test_published_and_rewritten_files_are_readable_by_everyone(project, capsys):
    old = os.umask(0o022)
    try:
        notes = project / "annotations" / "notes" / "made-up.yaml"
        notes.chmod(0o600)  # as the old importer left it
        path = project / "import.json"
        path.write_text(json.dumps(search_api(row("grew stronger"))), encoding="utf-8")
        assert main(["import-annotations", str(path), *args(project)]) == 0
        assert stat.S_IMODE(notes.stat().st_mode) == 0o644
        out = project / "out"
        assert main(["export", "--out", str(out), *args(project)]) == 0
        written = list(out.glob("*.jsonld"))
        assert written and all(stat.S_IMODE(p.stat().st_mode) == 0o644 for p in written)
    finally:
        os.umask(old)
    capsys.readouterr()
