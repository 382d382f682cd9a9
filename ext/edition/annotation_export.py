"""``edition export --format w3c`` and the build's copy: texts + notes → JSON-LD files."""

from __future__ import annotations

import json
from pathlib import Path

from .check import check_notes
from .intake import survey
from .errors import EditionError
from .texts import load_texts
from .w3c import Site, collection


def dumps(data: dict) -> str:
    """Stable JSON: the same notes give the same bytes."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def export_collections(docs: Path, annotations: Path, base: str, out: Path, suffix: str = ".html") -> list[Path]:
    texts = load_texts(docs)
    # Through the intake gate, as `edition check` and the build read the notes.
    files = survey(annotations)
    notes_files, diagnostics = check_notes(files.notes, texts)
    diagnostics = files.diagnostics + diagnostics
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors:
        raise EditionError(
            f"{len(errors)} error(s) in the annotation files, first: {errors[0].format()}; "
            "fix them (`edition check` lists all) before exporting"
        )
    notes_by_text = {f.text_id: f.notes for f in notes_files}
    site = Site(base, suffix)
    written = []
    from .importer import write_atomically

    for text in texts:
        data = collection(text, notes_by_text.get(text.text_id, ()), site)
        path = out / f"{text.text_id}.jsonld"
        write_atomically(path, dumps(data))
        written.append(path)
    return written
