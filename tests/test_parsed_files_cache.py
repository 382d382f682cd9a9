"""The cache of parsed annotation files between builds (edition/sphinxext/state/parsed_files.py):
a build that parsed one changed file pickles that one alone, and what the next build
restores is what was parsed, whatever files changed or went in between."""

from __future__ import annotations

import pickle

from edition.sphinxext.state import parsed_files
from edition.sphinxext.state.parsed_files import CACHE_FILE, ParsedFiles

CALLS: list[str] = []


def parse(path):
    """A made-up loader: the file's lines, and a note of each call."""
    CALLS.append(path.name)
    return {"lines": path.read_text(encoding="utf-8").splitlines(), "name": path.name}


def test_one_changed_file_is_parsed_and_pickled_alone(tmp_path, monkeypatch):
    files = [tmp_path / f"{name}.yaml" for name in ("a", "b", "c")]
    for path in files:
        path.write_text(f"{path.stem}: 1\nnote: Ж 한\n", encoding="utf-8")
    doctrees = tmp_path / "doctrees"
    first = ParsedFiles()
    expected = [first.load(path, parse) for path in files]
    first.save(doctrees)

    files[1].write_text("b: 2\n", encoding="utf-8")
    second = ParsedFiles()
    second.restore(doctrees)
    CALLS.clear()
    results = [second.load(path, parse) for path in files]
    assert CALLS == ["b.yaml"]
    assert results[0] == expected[0] and results[2] == expected[2]
    assert results[1] == {"lines": ["b: 2"], "name": "b.yaml"}

    pickled = []
    dumps = pickle.dumps
    monkeypatch.setattr(parsed_files.pickle, "dumps", lambda obj, *a: pickled.append(obj) or dumps(obj, *a))
    second.retain({str(files[1]), str(files[2])})  # a.yaml is gone
    second.save(doctrees)
    assert pickled == [results[1]]

    third = ParsedFiles()
    third.restore(doctrees)
    CALLS.clear()
    assert [third.load(path, parse) for path in files[1:]] == results[1:]
    assert CALLS == []
    assert third.load(files[0], parse) == expected[0] and CALLS == ["a.yaml"]  # forgotten, parsed again


def test_an_unreadable_or_foreign_cache_only_costs_time(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    doctrees = tmp_path / "doctrees"
    doctrees.mkdir()
    for content in (b"not a pickle", pickle.dumps({"fingerprint": ParsedFiles()._fingerprint, "entries": {
            (str(path), f"{__name__}.parse"): ("0" * 64, {"lines": ["stale"]})}})):
        (doctrees / CACHE_FILE).write_bytes(content)
        cache = ParsedFiles()
        cache.restore(doctrees)
        CALLS.clear()
        assert cache.load(path, parse) == {"lines": ["a: 1"], "name": "a.yaml"} and CALLS == ["a.yaml"]
