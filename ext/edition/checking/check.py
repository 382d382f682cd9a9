"""Validate all stand-off annotations against the texts, without a Sphinx build.

Used by ``edition check`` and, with the same messages and locations, by the
Sphinx build before it reads any document.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..anchoring.lexicon import Hit, Lexicon, near_misses
from ..anchoring.text_quotes import AnchorProblem, Block, Placement, locate
from ..anchoring.work_citations import text_hits
from ..base.errors import Diagnostic, EditionError, did_you_mean
from ..base.markup import split_role
from ..intake.gate import survey
from ..model.annotations import Note, NotesFile, load_notes_file
from ..model.glossary import GlossaryEntry, load_glossary
from ..model.registers import Person, Work, load_persons, load_works
from ..reading import contract as reading
from ..reading.paragraph_numbers import read_record, record_path
from ..reading.texts import TextDocument, load_texts
from .spelling import apparatus_prose, spelling_warnings, spellings


def anchor_blocks(text: TextDocument) -> list[Block]:
    """The blocks notes can anchor to, in the order the build sees them."""
    return reading.anchor_blocks(text.blocks)


@dataclass
class LoadedProject:
    """A project as `edition check` reads it: its texts, notes and registers, and
    what checking them found."""

    texts: list[TextDocument] = field(default_factory=list)
    notes_files: list[NotesFile] = field(default_factory=list)
    glossary: list[GlossaryEntry] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    works: list[Work] = field(default_factory=list)
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


def check_notes_files(files: Sequence[NotesFile], text_ids: Collection[str] | None) -> list[Diagnostic]:
    """What no single file can know: one file per text, unique note ids and,
    given the texts' ids, that every file is on an existing text."""
    diagnostics = []
    seen_ids: dict[str, Note] = {}
    seen_texts: dict[str, str] = {}
    for notes_file in files:
        path = notes_file.path
        if text_ids is not None and notes_file.text_id not in text_ids:
            diagnostics.append(unknown_text(notes_file, text_ids))
        elif notes_file.text_id in seen_texts:
            diagnostics.append(
                Diagnostic(path, 1, f"notes on '{notes_file.text_id}' are already in "
                           f"{seen_texts[notes_file.text_id]}; keep one file per text")
            )
        seen_texts.setdefault(notes_file.text_id, path)
        for note in notes_file.notes:
            if note.id in seen_ids:
                first = seen_ids[note.id]
                diagnostics.append(
                    Diagnostic(note.path, note.line, f"duplicate note id '{note.id}' (first used at "
                               f"{Diagnostic(first.path, first.line, '').location}); ids must be unique")
                )
            seen_ids.setdefault(note.id, note)
    return diagnostics


def unknown_text(notes_file: NotesFile, text_ids: Collection[str]) -> Diagnostic:
    known = ", ".join(sorted(text_ids)) or "none"
    hint = did_you_mean(notes_file.text_id, text_ids)
    return Diagnostic(notes_file.path, 1, f"unknown text '{notes_file.text_id}'{hint or ';'} the texts are: {known}")


def check_notes(paths: Sequence[Path], texts: Sequence[TextDocument]) -> tuple[list[NotesFile], list[Diagnostic]]:
    files, diagnostics = [], []
    for path in paths:
        notes_file, found = load_notes_file(path)
        diagnostics += found
        if notes_file is not None:
            files.append(notes_file)
    by_text = {t.text_id: t for t in texts}
    diagnostics += check_notes_files(files, by_text)
    for notes_file in files:
        text = by_text.get(notes_file.text_id)
        if text is not None:
            diagnostics += place_notes(notes_file.notes, anchor_blocks(text))[1]
    return files, diagnostics


@dataclass(frozen=True)
class Occurrence:
    text_id: str
    paragraph: int | None
    hit: Hit


def find_occurrences(texts: Sequence[TextDocument], lexicon: Lexicon) -> list[Occurrence]:
    found = []
    for text in texts:
        for block in text.anchorable:
            found += [Occurrence(text.text_id, block.number, h) for h in lexicon.find(block.text, text.lang)]
    return found


def coverage_report(result: LoadedProject) -> tuple[list[str], list[Diagnostic]]:
    """Per term, where its forms occur; warnings for unused forms and near misses."""
    forms = [f for e in result.glossary for f in e.lexicon_forms()]
    lexicon = Lexicon(forms)
    occurrences = find_occurrences(result.texts, lexicon)
    lines, warnings = [], []
    used_forms = {(o.hit.key, o.hit.form) for o in occurrences}
    text_languages = {text.lang for text in result.texts}
    for entry in sorted(result.glossary, key=lambda e: e.headword.casefold()):
        counts: dict[str, int] = {}
        for o in occurrences:
            if o.hit.key == entry.key:
                where = f"{o.text_id} ¶{o.paragraph}" if o.paragraph else f"{o.text_id} (attribution)"
                counts[where] = counts.get(where, 0) + 1
        listed = ", ".join(f"{w}" + (f" ×{n}" if n > 1 else "") for w, n in counts.items())
        total = sum(counts.values())
        lines.append(f"{entry.headword} [{entry.id}]: {total} occurrence(s)" + (f" in {listed}" if listed else ""))
        unused = []
        # Forms in a language no text is written in cannot occur; they are not reported.
        for lang in sorted(text_languages & set(entry.forms)):
            for form in entry.forms[lang]:
                capital = form[:1].upper() + form[1:]
                if (entry.key, form) not in used_forms and (entry.key, capital) not in used_forms:
                    unused.append((lang, form))
        if unused:
            first = entry.form_lines.get(unused[0])
            listed_unused = ", ".join(f"{form} ({lang})" for lang, form in unused)
            warnings.append(
                Diagnostic(entry.path, first, f"forms of '{entry.id}' that occur in no text: {listed_unused}", "warning")
            )
    for text in result.texts:
        text_hits = [o.hit for o in occurrences if o.text_id == text.text_id]
        for block in text.anchorable:
            for word, key in near_misses(block.text, text.lang, forms, text_hits):
                where = f"¶{block.number}" if block.number else "an attribution"
                warnings.append(
                    Diagnostic(str(text.path), block.line,
                               f"{word!r} in {where} looks like '{key.split(':', 1)[1]}' but is not linked; "
                               "if it is that term, add the form to annotations/glossary.yaml", "warning")
                )
    return lines, warnings


def check_project(docs: Path, annotations: Path, texts: Sequence[TextDocument] | None = None) -> LoadedProject:
    """Everything `edition check` reports (*texts*: the texts of *docs*, if loaded already)."""
    result = LoadedProject()
    result.texts = list(texts) if texts is not None else load_texts(docs)
    files = survey(annotations)
    result.diagnostics += files.diagnostics
    result.notes_files, found = check_notes(files.notes, result.texts)
    result.diagnostics += found
    result.glossary, found = load_glossary(annotations / "glossary.yaml")
    result.diagnostics += found
    result.persons, found = load_persons(annotations / "persons.yaml")
    result.diagnostics += found
    result.works, found = load_works(annotations / "works.yaml", {p.id for p in result.persons})
    result.diagnostics += found
    result.diagnostics += check_paragraph_records(result.texts)
    result.diagnostics += check_shared_forms(result)
    result.diagnostics += check_role_targets(result)
    result.diagnostics += check_uncited_works(result)
    result.diagnostics += spelling_warnings(apparatus_prose(result), spellings(result.persons))
    return result


def check_paragraph_records(texts: Sequence[TextDocument]) -> list[Diagnostic]:
    """Each text's recorded ¶ numbers still fit it (:mod:`.paragraph_numbers`): a text
    edited by hand, or imported without its record, would renumber its paragraphs."""
    found = []
    for text in texts:
        path = record_path(text.path)
        try:
            record = read_record(path)
        except EditionError as exc:
            found.append(Diagnostic(str(path), exc.line, exc.message))
            continue
        if record is not None and record.numbers_for([b.text for b in text.paragraphs]) is None:
            found.append(Diagnostic(str(path), 1, f"the recorded ¶ numbers do not fit {text.path.name}: its "
                                    "paragraphs are counted instead, which moves published ones; run "
                                    "`edition import --check` on its source to see which"))
    return found


def all_entries(result: LoadedProject) -> list:
    """Every linkable entry: glossary terms, persons, works."""
    return [*result.glossary, *result.persons, *result.works]


def check_shared_forms(result: LoadedProject) -> list[Diagnostic]:
    """A string in a text can link to one entry only, across all registers."""
    owner: dict[tuple[str, str], object] = {}
    found = []
    for entry in all_entries(result):
        for form in entry.lexicon_forms():
            first = owner.setdefault((form.lang, form.text), entry)
            if first is not entry:
                found.append(
                    Diagnostic(entry.path, entry.form_lines.get((form.lang, form.text), entry.line),
                               f"{form.text!r} ({form.lang}) of '{entry.key}' is also a form of "
                               f"'{first.key}' ({Diagnostic(first.path, first.line, '').location}); "
                               "a string in the texts can link to one entry only")
                )
    return found


def check_uncited_works(result: LoadedProject) -> list[Diagnostic]:
    """Works no text cites, stand-off citations that cannot be placed, and
    wordings that are mostly ordinary words in a text (:mod:`.work_citations`)."""
    lexicon = Lexicon(f for w in result.works for f in w.lexicon_forms())
    cited: set[str] = set()
    found: list[Diagnostic] = []
    by_text = {t.text_id: t for t in result.texts}
    for work in result.works:
        for citation in work.cited_at:
            if citation.text_id not in by_text:
                known = ", ".join(sorted(by_text)) or "none"
                found.append(Diagnostic(citation.path, citation.line,
                                        f"citation of work '{work.id}': unknown text '{citation.text_id}'"
                                        f"{did_you_mean(citation.text_id, by_text) or ';'} the texts are: {known}"))
    for text in result.texts:
        blocks = anchor_blocks(text)
        citations = [c for w in result.works for c in w.cited_at if c.text_id == text.text_id]
        citing = text_hits(blocks, text.lang, lexicon, citations)
        found += citing.problems
        cited |= {hit.key for block in citing.hits for hit in block}
        found += ordinary_word_warnings(result.works, text, citing.contexts)
    found += [
        Diagnostic(w.path, w.line, f"work '{w.id}' is cited by no text (none of its cited_as wordings occurs in a "
                   "citing context, and it has no cited_at); check the wording or remove the entry", "warning")
        for w in result.works if w.key not in cited
    ]
    return found


def ordinary_word_warnings(works: Sequence[Work], text: TextDocument, counts) -> list[Diagnostic]:
    """A wording that stands in *text* mostly outside citing contexts (and
    uncovered by stand-off citations) is an ordinary word there, names
    something else as well, or is cited bare: listed in cited_as it would
    link whichever of those uses happen to be quoted."""
    found = []
    folded: dict[tuple[str, str], tuple[int, int]] = {}  # a capitalised variant counts with its form
    for (key, wording), (c, o) in counts.items():
        before = folded.get((key, wording.casefold()), (0, 0))
        folded[(key, wording.casefold())] = (before[0] + c, before[1] + o)
    for work in works:
        for form in work.cited_as.get(text.lang, ()):
            citing, outside = folded.get((work.key, form.casefold()), (0, 0))
            if outside > citing:
                found.append(Diagnostic(
                    work.path, work.form_lines.get((text.lang, form), work.line),
                    f"{form!r} of work '{work.id}' stands {outside} time(s) in '{text.text_id}' outside a citing "
                    f"context (title marks, an attribution line, a bracketed source) and {citing} time(s) in one; "
                    "outside, it is not linked. Anchor each of those that cites the work under the work's "
                    "cited_at; where it is an ordinary word (or names something else), remove it from cited_as "
                    "and anchor its citations under cited_at (CONTRIBUTING.md, \"Works\")", "warning"))
    return found


def check_role_targets(result: LoadedProject) -> list[Diagnostic]:
    """Every {term}, {person} and {work} in a field that takes markup (note
    bodies and sources, glossary definitions, short definitions and sources)
    names an existing entry: reported at its line in the annotation file, not
    where the build would meet it in a page."""
    known = {
        "term": ({e.id for e in result.glossary}, "glossary.yaml", "nep"),
        "person": ({p.id for p in result.persons}, "persons.yaml", "trotsky"),
        "work": ({w.id for w in result.works}, "works.yaml", "revolution-betrayed"),
    }
    found = []
    holders = [(n, f"note '{n.id}'") for n in result.notes]
    holders += [(e, f"glossary entry '{e.id}'") for e in result.glossary]
    for holder, label in holders:
        for name, content, line in holder.roles:
            target = split_role(content)[1]
            if name in known and target not in known[name][0]:
                ids, where, example = known[name]
                hint = did_you_mean(target, ids) or f"; use one of its ids (e.g. {{{name}}}`{example}`)"
                found.append(
                    Diagnostic(holder.path, line, f"{label}: {{{name}}} '{target}' is not an id in "
                               f"annotations/{where}{hint}")
                )
    return found
