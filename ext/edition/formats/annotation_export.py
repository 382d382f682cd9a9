"""``edition export --format w3c`` and the build's copy: texts + notes → JSON-LD files."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from ..base.errors import EditionError
from ..base.files import write_atomically
from ..checking.check import check_notes
from ..intake.gate import survey
from ..model.annotations import NotesFile
from ..reading.page_text import page_text
from ..reading.texts import TextDocument, load_texts
from .w3c import Site, collection


def dumps(data: dict) -> str:
    """Stable JSON: the same notes give the same bytes."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def export_collections(
    docs: Path, annotations: Path, base: str, out: Path, suffix: str = ".html", html: Path | None = None
) -> list[Path]:
    """Write each text's AnnotationCollection into *out*. *html* is a built HTML
    edition (pages ``docname + suffix``): positions are then counted in its pages."""
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
    return write_collections(texts, notes_files, base, out, suffix, html)


def write_collections(
    texts: Sequence[TextDocument], notes_files: Sequence[NotesFile], base: str, out: Path,
    suffix: str = ".html", html: Path | None = None,
) -> list[Path]:
    """Write the collections of *texts* with the notes of *notes_files* (checked
    already: by :func:`export_collections`, or by the build that read them)."""
    notes_by_text = {f.text_id: f.notes for f in notes_files}
    site = Site(base, suffix)
    written = []
    if out.exists() and not out.is_dir():
        raise EditionError("is a file, not a folder; give --out a folder to write the collections into", str(out))
    collections = []
    for text in texts:
        page = None
        if html is not None:
            built = html / f"{text.docname}{suffix}"
            try:
                page = page_text(built.read_text(encoding="utf-8"))
            except OSError as exc:
                raise EditionError(
                    f"no built page for {text.docname} ({exc.strerror}); build the HTML edition "
                    f"(make html) into {html} before exporting from it", str(built)
                ) from None
        data = collection(text, notes_by_text.get(text.text_id, ()), site, page)
        collections.append((out / f"{text.text_id}.jsonld", dumps(data)))
    # Every collection is made before any is written: an error leaves the folder as it was.
    for path, content in collections:
        try:
            write_atomically(path, content)
        except OSError as exc:
            raise EditionError(f"cannot be written ({exc.strerror}); check --out", str(path)) from None
        written.append(path)
    return written
