"""Validate all stand-off annotations against the texts, without a Sphinx build.

Used by ``edition check`` and, with the same messages and locations, by the
Sphinx build before it reads any document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .anchoring import AnchorProblem, Block, Placement, locate
from .annotations import Note, NotesFile, load_notes_file
from .errors import Diagnostic
from .texts import TextDocument, load_texts


def anchor_blocks(text: TextDocument) -> list[Block]:
    """The blocks notes can anchor to, in the order the build sees them."""
    return [Block.of(b.text, b.number) for b in text.blocks if b.kind in ("paragraph", "attribution")]


@dataclass
class CheckResult:
    texts: list[TextDocument] = field(default_factory=list)
    notes_files: list[NotesFile] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def notes(self) -> list[Note]:
        return [n for f in self.notes_files for n in f.notes]


def place_notes(notes: Sequence[Note], blocks: Sequence[Block]) -> tuple[list[tuple[Note, Placement]], list[Diagnostic]]:
    placed, diagnostics = [], []
    for note in notes:
        result = locate(note.anchor, blocks)
        if isinstance(result, AnchorProblem):
            diagnostics.append(Diagnostic(note.path, note.anchor_line, f"note '{note.id}': {result.message}"))
        else:
            placed.append((note, result))
    return placed, diagnostics


def check_notes(notes_dir: Path, texts: Sequence[TextDocument]) -> tuple[list[NotesFile], list[Diagnostic]]:
    files, diagnostics = [], []
    by_text = {t.text_id: t for t in texts}
    seen_ids: dict[str, Note] = {}
    seen_texts: dict[str, str] = {}
    paths = sorted(notes_dir.glob("*.yaml")) + sorted(notes_dir.glob("*.yml")) if notes_dir.is_dir() else []
    for path in paths:
        notes_file, found = load_notes_file(path)
        diagnostics += found
        if notes_file is None:
            continue
        files.append(notes_file)
        if notes_file.text_id not in by_text:
            known = ", ".join(sorted(by_text)) or "none"
            diagnostics.append(
                Diagnostic(str(path), 1, f"unknown text '{notes_file.text_id}'; the texts are: {known}")
            )
        elif notes_file.text_id in seen_texts:
            diagnostics.append(
                Diagnostic(str(path), 1, f"notes on '{notes_file.text_id}' are already in "
                           f"{seen_texts[notes_file.text_id]}; keep one file per text")
            )
        seen_texts.setdefault(notes_file.text_id, str(path))
        for note in notes_file.notes:
            if note.id in seen_ids:
                first = seen_ids[note.id]
                diagnostics.append(
                    Diagnostic(note.path, note.line, f"duplicate note id '{note.id}' (first used at "
                               f"{Diagnostic(first.path, first.line, '').location}); ids must be unique")
                )
            seen_ids.setdefault(note.id, note)
        text = by_text.get(notes_file.text_id)
        if text is not None:
            diagnostics += place_notes(notes_file.notes, anchor_blocks(text))[1]
    return files, diagnostics


def check_project(docs: Path, annotations: Path) -> CheckResult:
    result = CheckResult()
    result.texts = load_texts(docs)
    result.notes_files, found = check_notes(annotations / "notes", result.texts)
    result.diagnostics += found
    return result
