"""Concepts the code states once, and the data files that must say the same:
the note kinds and the id pattern (the JSON schemas), the notes-file opening,
atomic writes, the MyST settings that keep raw HTML out."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest
import yaml

from edition.model.annotations import NOTE_KINDS, NOTES_SCHEMA_LINE, notes_file_start
from edition.base.files import atomic_file, write_atomically
from edition.intake.gate import ID_PATTERN, NOTES_FILE_NAME, is_id
from edition.reading.texts import MYST_SETTINGS
from edition.formats.w3c import KINDS, MOTIVATIONS
from support import ROOT

SCHEMAS = ROOT / "ext" / "edition" / "schemas"


def test_the_notes_schema_offers_the_note_kinds_the_code_knows():
    schema = json.loads((SCHEMAS / "notes.schema.json").read_text(encoding="utf-8"))
    kinds = [node["enum"] for node in _walk(schema) if isinstance(node, dict) and "enum" in node
             and "editorial" in node["enum"]]
    assert kinds == [list(NOTE_KINDS)]
    # Every kind is exported as its own motivation, and read back as itself.
    assert {KINDS[MOTIVATIONS[kind]] for kind in NOTE_KINDS} == set(NOTE_KINDS)


def _walk(node):
    yield node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    for child in children:
        yield from _walk(child)


SAMPLES = ["nep", "trotsky-1923", "a", "9", "-nep", "nep-", "ne--p", "Nep", "nep ", "nep\n", "né", "n_p", ""]


@pytest.mark.parametrize("schema", sorted(p.name for p in SCHEMAS.glob("*.schema.json")))
def test_every_id_pattern_in_the_schemas_is_the_id_pattern(schema):
    data = json.loads((SCHEMAS / schema).read_text(encoding="utf-8"))
    patterns = {n["pattern"] for n in _walk(data) if isinstance(n, dict) and isinstance(n.get("pattern"), str)
                and "a-z0-9" in n["pattern"]}
    for pattern in patterns:
        # JSON Schema patterns are ECMA regexes searched anywhere; "$" there does not
        # match before a final line feed, which Python's does: compare with \Z.
        anchored = re.compile(pattern.replace("$", r"\Z"))
        assert [s for s in SAMPLES if anchored.search(s)] == [s for s in SAMPLES if is_id(s)], pattern


def test_an_id_is_whole():
    assert is_id("nep") and not is_id("nep\n") and not is_id(None)
    assert NOTES_FILE_NAME.fullmatch("nep.yaml") and not NOTES_FILE_NAME.fullmatch("Nep.yaml")
    assert re.fullmatch(ID_PATTERN, "ciliga-gpu-prisons")


def test_a_new_notes_file_opens_with_the_schema_line_and_is_valid_yaml():
    start = notes_file_start("made-up-text")
    assert start.splitlines()[0] == NOTES_SCHEMA_LINE
    assert yaml.safe_load(start + " []\n") == {"text": "made-up-text", "notes": []}


def test_atomic_writes_replace_whole_files_and_leave_nothing_behind_on_failure(tmp_path):
    target = tmp_path / "deep" / "file.txt"
    write_atomically(target, "first\n")
    os.chmod(target, 0o664)
    write_atomically(target, "ünïcode\n")
    assert target.read_text(encoding="utf-8") == "ünïcode\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o664  # the existing file's mode is kept
    write_atomically(tmp_path / "bytes.bin", b"\x00\x01")
    assert (tmp_path / "bytes.bin").read_bytes() == b"\x00\x01"
    assert stat.S_IMODE((tmp_path / "bytes.bin").stat().st_mode) == 0o644
    with pytest.raises(RuntimeError), atomic_file(target) as handle:
        handle.write("half")
        raise RuntimeError("the writer failed")
    assert target.read_text(encoding="utf-8") == "ünïcode\n"
    assert sorted(p.name for p in (tmp_path / "deep").iterdir()) == ["file.txt"]


def test_the_extension_refuses_exactly_the_syntax_the_settings_disable():
    from edition.sphinxext import UNSAFE_MYST_SYNTAX

    assert set(UNSAFE_MYST_SYNTAX) == set(MYST_SETTINGS["myst_disable_syntax"]) >= {"html_block", "html_inline"}
