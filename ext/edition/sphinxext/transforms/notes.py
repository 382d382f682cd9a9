"""Editorial notes in the build: markers after their passages, notes at the end.

Notes become standard docutils footnotes, so every builder knows them: the
HTML writer gives numbered, two-way linked notes (``doc-noteref`` /
``doc-footnote`` roles), the LaTeX writer real footnotes at the foot of the
page, the EPUB writer (see :mod:`.epub`) EPUB 3 footnotes. ``edition.js``
adds popovers and margin notes in HTML.
"""

from __future__ import annotations

import os
from pathlib import Path

from docutils import nodes
from sphinx.errors import SphinxError
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from ...anchoring.text_quotes import Block
from ...model.annotations import NOTE_KINDS, Note
from ...checking.check import (
    LoadedProject,
    check_notes_files,
    check_role_targets,
    check_shared_forms,
    place_notes,
    unknown_text,
)
from ...base.errors import Diagnostic, EditionError
from ...intake.gate import max_file_bytes, survey
from ...base.markup import render_blocks, render_sources
from ...reading.nodes import APPARATUS, adopt, is_apparatus, text_element
from ...reading.contract import anchorable_nodes, reading_pieces, reading_text
from ...reading.texts import TEXT_ID_KEY
from ..state.registry import REGISTER_FILES, annotation_path, load_registry
from ..state.records import MISSING_FILES, NOTE_PROBLEMS, build_state
from ..state.parsed_files import PARSED
from .text_documents import TextTransform
from .. import priorities

logger = logging.getLogger(__name__)

KIND_LABELS = {name: kind.label for name, kind in NOTE_KINDS.items() if kind.label}




class AnnotationError(SphinxError):
    category = "Annotation error"


def check_annotations(app) -> None:
    """Before reading: validate every annotation file, as `edition check` does.

    Here: each notes file (syntax, schema, markup), what spans files (one
    file per text, unique note ids) and the registers (glossary, persons,
    works, forms shared between entries, roles in note bodies). Anchors are
    checked where the notes are placed (:class:`NotesTransform`) and
    reported, with files on unknown texts, once all texts are read
    (:func:`report_note_problems`); re-parsing every text here would double
    the cost of reading.

    Errors are logged at their file and line and make the build exit non-zero
    (Sphinx would print a traceback for an exception, which contributors
    should never see). The notes of a file with errors are left out of this
    build; the reported errors say which.
    """
    try:
        max_file_bytes()  # a bad setting is one error here, not one per file
    except EditionError as exc:
        logger.error(str(exc), type="edition", subtype="annotations")
        app.statuscode = 1
        return
    doctrees = Path(app.doctreedir)
    PARSED.restore(doctrees)
    files = survey(annotation_path(app.config))
    notes_files, diagnostics, paths = [], list(files.diagnostics), files.notes
    for path in paths:
        notes_file, found = PARSED.load_notes(path)
        diagnostics += found
        if notes_file is not None:
            notes_files.append(notes_file)
    build_state(app.env).notes_files = notes_files
    diagnostics += check_notes_files(notes_files, text_ids=None)

    registry = load_registry(app.config)
    PARSED.retain({str(p) for p in paths} | {str(annotation_path(app.config, n)) for n in REGISTER_FILES})
    PARSED.save(doctrees)
    diagnostics += registry.diagnostics
    entries = LoadedProject(
        notes_files=notes_files,
        glossary=list(registry.glossary),
        persons=list(registry.persons.values()),
        works=list(registry.works.values()),
    )
    diagnostics += check_shared_forms(entries) + check_role_targets(entries)
    _fail_on(app, diagnostics)


def _fail_on(app, diagnostics: list[Diagnostic]) -> None:
    # Only errors stop a build; warnings (unused forms, uncited works, look-alike
    # letters) are for `edition check` and would otherwise fail every -W build.
    errors = [d for d in diagnostics if d.severity == "error"]
    for diagnostic in errors:
        # Sphinx reads a location without ":" as a document name; "file:" is its
        # own form for a file without a line (a file name that is not allowed).
        location = diagnostic.location if diagnostic.line else f"{diagnostic.location}:"
        logger.error(diagnostic.safe_message, location=location, type="edition", subtype="annotations")
    if errors:
        count = len(errors)
        logger.error(
            f"{count} error{'s' * (count != 1)} in the annotation files (listed above with file and "
            "line); the notes of those files are left out until they are fixed. `edition check` "
            "shows the same list without a build.",
            type="edition",
            subtype="annotations",
        )
        app.statuscode = 1


def report_note_problems(app, env) -> None:
    """After reading: notes on unknown texts, and every anchor that failed.

    Anchor problems are kept on the environment per text, so a rebuild that
    re-reads nothing still reports them and fails until they are fixed."""
    text_ids = {meta[TEXT_ID_KEY] for meta in env.metadata.values() if TEXT_ID_KEY in meta}
    diagnostics = [
        unknown_text(notes_file, text_ids)
        for notes_file in build_state(env).notes_files or ()
        if notes_file.text_id not in text_ids
    ]
    problems = NOTE_PROBLEMS.all(env)
    for docname in sorted(problems):
        diagnostics += problems[docname]
    _fail_on(app, diagnostics)


class NotesTransform(TextTransform):
    # After TextDocumentTransform (400) has numbered the paragraphs.
    default_priority = priorities.NOTES

    def apply_to_text(self, meta: dict[str, str]) -> None:
        notes_dir = annotation_path(self.config, "notes")
        path = notes_dir / f"{meta[TEXT_ID_KEY]}.yaml"
        if not os.path.lexists(path):
            MISSING_FILES.note(self.env, path)  # read again when a notes file for it appears
            return
        self.env.note_dependency(str(path))
        notes_file, diagnostics = PARSED.load_notes(path)
        if diagnostics or notes_file is None:
            return  # check_annotations has reported these and failed the build

        # Numbered as TextDocumentTransform numbered them: one reading contract.
        anchorable = list(anchorable_nodes(self.document))
        targets = [node for _, node, _ in anchorable]
        blocks = [Block.of(reading_text(node), number) for _, node, number in anchorable]
        placed, problems = place_notes(notes_file.notes, blocks)
        if problems:  # reported, and the build failed, by report_note_problems
            NOTE_PROBLEMS.set(self.env, self.env.docname, problems)

        file_order = {note.id: i for i, note in enumerate(notes_file.notes)}
        placed.sort(key=lambda item: (item[1].block, item[1].end, file_order[item[0].id]))
        footnotes = []
        pieces: dict[int, list] = {}  # per block, its text pieces, walked once for all its notes
        for number, (note, placement) in enumerate(placed, 1):
            block = targets[placement.block]
            if placement.block not in pieces:
                pieces[placement.block] = reading_pieces(block)
            _insert_marker(block, placement.end, _markers(note, number), pieces[placement.block])
            footnotes.append(self._footnote(note, number))
        if footnotes:
            self._append_notes_section(footnotes)

    def _footnote(self, note: Note, number: int) -> nodes.footnote:
        footnote = nodes.footnote(
            ids=[f"note-{note.id}"],
            backrefs=[f"noteref-{note.id}"],
            classes=["edition-note", f"edition-note-{note.kind}"],
        )
        # adopt(): the footnote is not in the document yet (nodes.adopt says why).
        adopt(footnote, adopt(nodes.label(""), nodes.Text(str(number))))
        body = render_blocks(note.body)
        if note.kind in KIND_LABELS and body:
            label = KIND_LABELS[note.kind]
            body[0].insert(0, nodes.Text(" "))
            body[0].insert(0, nodes.strong(label, label, classes=["edition-note-kind"]))
        adopt(footnote, *body)
        if note.sources:
            sources = render_sources(note.sources)
            sources["classes"].append("edition-note-sources")
            adopt(footnote, sources)
        if note.contributor and note.contributor != self.config.edition_default_contributor:
            credit = f"Contributed by {note.contributor}."
            adopt(footnote, text_element(nodes.paragraph, credit, classes=["edition-note-credit"]))
        self.document.ids[footnote["ids"][0]] = footnote
        return footnote

    def _append_notes_section(self, footnotes: list[nodes.footnote]) -> None:
        top = next((c for c in self.document.children if isinstance(c, nodes.section)), None)
        if top is None:  # pragma: no cover - imported texts always have a title
            return
        section = nodes.section(ids=["notes"], classes=["edition-notes", APPARATUS, "language-en"])
        adopt(section, text_element(nodes.title, "Notes"), *footnotes)
        self.document.ids["notes"] = section
        top += section



def _markers(note: Note, number: int) -> list[nodes.Node]:
    ref = adopt(nodes.footnote_reference(
        "",
        ids=[f"noteref-{note.id}"],
        refid=f"note-{note.id}",
        classes=[APPARATUS, "edition-noteref", f"edition-noteref-{note.kind}"],
    ), nodes.Text(str(number)))
    if note.kind == "sic":
        sic = text_element(nodes.inline, "[sic]", classes=[APPARATUS, "edition-sic"])
        return [sic, ref]
    return [ref]


def _insert_marker(block: nodes.Element, offset: int, markers: list[nodes.Node],
                   pieces: list[tuple[nodes.Text, int]] | None = None) -> None:
    """Insert *markers* at character *offset* of the block's reading text.

    *pieces*: the block's :func:`reading_pieces`, kept up to date here (markers are
    apparatus, outside the reading text), so a block is walked once for all its notes."""
    if pieces is None:
        pieces = reading_pieces(block)
    for at, (text, position) in enumerate(pieces):
        length = len(text)
        if offset <= position + length:
            parent = text.parent
            index = parent.index(text)
            cut = offset - position
            if cut < length:
                before, after = nodes.Text(text[:cut]), nodes.Text(text[cut:])
                # docutils finds a text by its characters: an equal one before it is the one replaced.
                found = parent.children[index] is text
                parent.replace(text, [before, *markers, after])
                if found:
                    pieces[at:at + 1] = [(before, position), (after, position + cut)]
                else:  # walk the block again
                    pieces[:] = reading_pieces(block)
                return
            # At the end of this text node: after any markers already placed here.
            index += 1
            while index < len(parent) and is_apparatus(parent[index]):
                index += 1
            for marker in reversed(markers):
                parent.insert(index, marker)
            return
    raise AnnotationError(f"internal error: offset {offset} is past the end of the block")


class DropEmptyNotesSection(SphinxPostTransform):
    """In LaTeX the notes move to the foot of their pages; drop the emptied heading."""

    default_priority = priorities.AFTER_LATEX_FOOTNOTES
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        for section in list(self.document.findall(nodes.section)):
            if "edition-notes" in section["classes"] and not list(section.findall(nodes.footnote)):
                section.parent.remove(section)
