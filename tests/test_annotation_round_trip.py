"""Empty the notes, export them, import the export: the notes files come back byte for byte.

On the edition's own notes and on a made-up text whose notes use every anchor form (exact
alone, with prefix, suffix, both, a ¶), every kind, sources, names that need quoting, bodies
with and without a final line end. The files are in the notes' house style (CONTRIBUTING.md:
strings in double quotes, bodies as literal blocks, names unquoted where YAML allows), which
is how the importer writes; what the W3C terms cannot carry (the anchor's wording) travels
as the edition's own ``edition:anchor`` property.
In-process (``edition.cli.commands.main``)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import ANNOTATIONS, DOCS
from support import copy_registers
from edition.cli.commands import main
from test_annotation_import_cases import BASE, TEXT

MADE_UP_NOTES = """# yaml-language-server: $schema=../../ext/edition/schemas/notes.schema.json
# Notes on a made-up text.
text: made-up
notes:
  - id: stronger
    kind: editorial
    anchor:
      exact: "grew stronger"
    body: |
      They *did*.
    contributor: Alice A.
    provenance: "https://hypothes.is/a/AbC123"

  - id: gpu-second
    kind: translation
    anchor:
      exact: "the prisons of the GPU"
      suffix: " became"
    body: |-
      The second one, written before the first.
    sources:
      - "A. Author, *A Book* (Paris, 1990)."

  - id: opposition-three
    kind: sic
    anchor:
      exact: "opposition"
      paragraph: 3
    body: |-
      One line: with a colon, and no line end.
    contributor: "O'Brien #2"

  - id: the-first-opposition
    kind: source
    anchor:
      exact: "The opposition"
      prefix: "1932. "
      suffix: " wrote"
    body: |
      Two paragraphs.

      The second.
"""


def emptied(path: Path) -> None:
    """The notes file with its entries removed: what precedes 'notes:' stays."""
    content = path.read_text(encoding="utf-8")
    head = re.split(r"^notes:.*$", content, maxsplit=1, flags=re.M)[0]
    path.write_text(head + "notes: []\n", encoding="utf-8")


def round_trip(docs: Path, annotations: Path, work: Path, capsys) -> dict[str, tuple[bytes, bytes]]:
    copy = work / "annotations"
    shutil.copytree(annotations, copy)
    out = work / "export"
    site = ["--docs", str(docs), "--base-url", BASE]
    assert main(["export", "--annotations", str(annotations), "--out", str(out), *site]) == 0
    for path in (copy / "notes").glob("*.yaml"):
        emptied(path)
    for exported in sorted(out.glob("*.jsonld")):
        code = main(["import-annotations", str(exported), "--annotations", str(copy), *site])
        assert code == 0, capsys.readouterr().err
    capsys.readouterr()
    return {p.name: (p.read_bytes(), (copy / "notes" / p.name).read_bytes())
            for p in sorted((annotations / "notes").glob("*.yaml"))}


def test_the_editions_notes_come_back_byte_for_byte(tmp_path, capsys):
    files = round_trip(DOCS, ANNOTATIONS, tmp_path, capsys)
    assert files
    for name, (before, after) in files.items():
        assert after.decode() == before.decode(), name


@pytest.fixture
def made_up(tmp_path: Path) -> tuple[Path, Path]:
    docs = tmp_path / "docs"
    (docs / "texts").mkdir(parents=True)
    (docs / "texts" / "made-up.md").write_text(TEXT, encoding="utf-8")
    annotations = tmp_path / "annotations"
    (annotations / "notes").mkdir(parents=True)
    copy_registers(annotations, texts={"made-up"})
    (annotations / "notes" / "made-up.yaml").write_text(MADE_UP_NOTES, encoding="utf-8")
    return docs, annotations


def test_a_made_up_texts_notes_come_back_byte_for_byte(made_up, tmp_path, capsys):
    docs, annotations = made_up
    files = round_trip(docs, annotations, tmp_path / "work", capsys)
    (before, after), = files.values()
    assert after.decode() == before.decode()


def test_the_export_says_what_the_round_trip_needs(made_up, tmp_path, capsys):
    import json

    docs, annotations = made_up
    out = tmp_path / "export"
    assert main(["export", "--docs", str(docs), "--annotations", str(annotations), "--out", str(out),
                 "--base-url", BASE]) == 0
    capsys.readouterr()
    data = json.loads((out / "made-up.jsonld").read_text(encoding="utf-8"))
    context = data["@context"]
    assert context[0] == "http://www.w3.org/ns/anno.jsonld" and context[1]["edition"] == f"{BASE}annotations/terms#"
    items = data["first"]["items"]
    # The notes file's order (gpu-second stands before the-first-opposition, which reads earlier).
    assert [i["id"].rpartition("#note-")[2] for i in items] == [
        "stronger", "gpu-second", "opposition-three", "the-first-opposition"]
    assert items[1]["edition:anchor"] == {"exact": "the prisons of the GPU", "suffix": " became"}
    assert items[2]["edition:anchor"] == {"exact": "opposition", "paragraph": 3}
    assert items[0]["via"] == "https://hypothes.is/a/AbC123" and "via" not in items[1]
    fragments = [s for i in items for s in i["target"]["selector"] if s["type"] == "FragmentSelector"]
    assert fragments and {s["conformsTo"] for s in fragments} == {"http://tools.ietf.org/rfc/rfc3236"}


def test_the_edition_s_own_export_read_as_expanded_json_ld_keeps_the_anchor(made_up, tmp_path, capsys):
    """What a JSON-LD processor makes of the export (expanded) comes back as the same notes."""
    import json

    from pyld import jsonld

    from edition.formats.jsonld_forms import _loader
    from edition.formats.w3c import annotations_of

    docs, annotations = made_up
    out = tmp_path / "export"
    assert main(["export", "--docs", str(docs), "--annotations", str(annotations), "--out", str(out),
                 "--base-url", BASE]) == 0
    data = json.loads((out / "made-up.jsonld").read_text(encoding="utf-8"))
    expanded = [jsonld.expand(a, {"documentLoader": _loader})[0] for a in annotations_of(data)]
    (tmp_path / "expanded.json").write_text(json.dumps(expanded, ensure_ascii=False), encoding="utf-8")
    before = (annotations / "notes" / "made-up.yaml").read_bytes()
    emptied(annotations / "notes" / "made-up.yaml")
    assert main(["import-annotations", str(tmp_path / "expanded.json"), "--docs", str(docs), "--annotations",
                 str(annotations), "--base-url", BASE]) == 0, capsys.readouterr().err
    assert (annotations / "notes" / "made-up.yaml").read_bytes().decode() == before.decode()
