"""What changed in the apparatus between two states of the edition.

Pure functions over two :class:`~edition.checking.check.LoadedProject` (each side read
through the same intake and checks as ``edition check``): notes added,
removed, renamed, changed (kind, body, sources) or moved (anchored to another
passage), register and glossary entries added, removed, renamed or changed
(with the forms added and dropped), texts added, removed or re-imported.
Where the two sides come from (git revisions, a work tree) is
:mod:`edition.review.revisions`; how the result is shown is :mod:`edition.review.diff_report`.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..anchoring.text_quotes import AnchorProblem, locate
from ..checking.check import LoadedProject, anchor_blocks
from ..reading.texts import SHORT_LABEL_KEYS, TextDocument, short_label

#: Characters of the text shown either side of a note's passage.
CONTEXT = 80

#: The registers, as (name in the output, attribute of LoadedProject, its forms field).
REGISTERS = (("glossary", "glossary", "forms"), ("persons", "persons", "forms"), ("works", "works", "cited_as"))
#: Fields of an entry that are where it was read, not what it says.
_LOCATION_FIELDS = {"id", "path", "line", "form_lines", "related_lines", "roles"}
#: The field of a work that holds its stand-off citations, reported one by one as citations.
CITATIONS_FIELD = "cited_at"


@dataclass(frozen=True, order=True)
class Citation:
    """A stand-off citation of a work as a reviewer reads it: which text, which
    ¶, which words (what it says, not where in works.yaml it was written)."""

    text_id: str
    paragraph: int | None
    exact: str
    prefix: str | None = None
    suffix: str | None = None


def citation(cited_at) -> Citation:
    anchor = cited_at.anchor
    return Citation(cited_at.text_id, anchor.paragraph, anchor.exact, anchor.prefix, anchor.suffix)


def field_label(name: str) -> str:
    """An entry's field as a reviewer reads it: a work's cited_at are its citations."""
    return "citations" if name == CITATIONS_FIELD else name


def citation_label(c: Citation) -> str:
    """Plain text: where a stand-off citation is and the words it links."""
    where = f"¶{c.paragraph} of {c.text_id}" if c.paragraph else c.text_id
    return f"“{c.exact}” in {where}"


@dataclass(frozen=True)
class Passage:
    """Where a note is anchored, with some of the text around it."""

    text_id: str
    docname: str
    text_title: str
    title_lang: str  # "en" for the apparatus's own names of a text, else the text's language
    paragraph: int | None  # ¶ number; None on an attribution line
    before: str
    exact: str
    after: str
    #: The how-manieth occurrence of *exact* in its block (a second "the" is another passage).
    occurrence: int = 0

    @property
    def label(self) -> str:
        return f"¶{self.paragraph}" if self.paragraph else "attribution line"

    @property
    def key(self) -> tuple:
        return (self.text_id, self.paragraph, self.exact, self.occurrence)


@dataclass(frozen=True)
class NoteState:
    """A note on one side, as a reviewer needs to see it."""

    id: str
    text_id: str
    kind: str
    body: str
    sources: tuple[str, ...]
    passage: Passage | None
    path: str
    line: int

    def content(self) -> tuple:
        """Everything but the id: what makes two notes with different ids the same note."""
        return (self.text_id, self.kind, self.body, self.sources, self.passage and self.passage.key)


@dataclass(frozen=True)
class NoteChange:
    change: str  # added | removed | renamed | moved | changed
    id: str  # the id on the newer side (the old one for a removed note)
    old: NoteState | None
    new: NoteState | None
    fields: tuple[str, ...] = ()  # of a changed note: kind, body, sources, anchor
    old_id: str = ""  # of a renamed note


@dataclass(frozen=True)
class EntryState:
    register: str
    id: str
    title: str
    values: tuple[tuple[str, object], ...]  # (field, value), in the model's order
    forms: frozenset[tuple[str, str]]  # (lang, form)
    path: str
    line: int

    def content(self) -> tuple:
        return self.values


@dataclass(frozen=True)
class EntryChange:
    change: str  # added | removed | renamed | changed
    register: str
    id: str
    old: EntryState | None
    new: EntryState | None
    fields: tuple[str, ...] = ()
    forms_added: tuple[tuple[str, str], ...] = ()
    forms_dropped: tuple[tuple[str, str], ...] = ()
    old_id: str = ""
    #: Of a work: stand-off citations (cited_at) added and dropped; a moved one is both.
    citations_added: tuple[Citation, ...] = ()
    citations_dropped: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class TextChange:
    change: str  # added | removed | reimported
    text_id: str
    docname: str
    title: str
    lang: str
    title_lang: str
    paragraphs_before: int | None
    paragraphs_after: int | None


@dataclass(frozen=True)
class ApparatusDiff:
    base: str  # how each side is named to the reader (a revision, "the work tree")
    head: str
    notes: tuple[NoteChange, ...] = ()
    entries: tuple[EntryChange, ...] = ()
    texts: tuple[TextChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.notes or self.entries or self.texts)

    def to_json(self) -> dict:
        """Plain data (for ``--format json``): every field, nothing rendered."""

        def plain(value):
            if dataclasses.is_dataclass(value):
                return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
            if isinstance(value, (tuple, list, frozenset, set)):
                items = [plain(v) for v in value]
                if not isinstance(value, (frozenset, set)):
                    return items
                # Citations become dicts, which do not order: by their JSON, keys sorted.
                return sorted(items, key=lambda v: json.dumps(v, sort_keys=True) if isinstance(v, dict) else v)
            return value

        data = plain(self)
        for entry in data["entries"]:
            for side in ("old", "new"):
                if entry[side]:
                    entry[side]["values"] = dict(entry[side]["values"])
        return data


# --- one side -------------------------------------------------------------------------


def title_lang(text: TextDocument) -> str:
    """The language of the name :func:`~edition.reading.texts.short_label` gives *text*: a
    short title or English title is the apparatus's (English); a bare title is the text's."""
    return label_lang(text.meta, text.lang)


def label_lang(meta: dict, lang: str) -> str:
    """:func:`title_lang` from a text's front matter *meta* and its language *lang*."""
    chosen = next((key for key in SHORT_LABEL_KEYS if str(meta.get(key) or "").strip()), "")
    return lang if chosen == "title" else "en"


def _passage(text: TextDocument, note) -> Passage | None:
    blocks = anchor_blocks(text)
    placement = locate(note.anchor, blocks)
    if isinstance(placement, AnchorProblem):  # only on a side that failed the check
        return None
    block = blocks[placement.block]
    exact = block.text[placement.start : placement.end]
    return Passage(
        text_id=text.text_id,
        docname=text.docname,
        text_title=short_label(text.meta, text.text_id),
        title_lang=title_lang(text),
        paragraph=block.number,
        before=block.text[max(0, placement.start - CONTEXT) : placement.start],
        exact=exact,
        after=block.text[placement.end : placement.end + CONTEXT],
        occurrence=block.text.count(exact, 0, placement.start),
    )


def note_states(result: LoadedProject) -> dict[str, NoteState]:
    texts = {t.text_id: t for t in result.texts}
    states = {}
    for note in result.notes:
        text = texts.get(note.text_id)
        states[note.id] = NoteState(
            id=note.id, text_id=note.text_id, kind=note.kind, body=note.body, sources=tuple(note.sources),
            passage=_passage(text, note) if text else None, path=note.path, line=note.line,
        )
    return states


def _frozen(value):
    """A hashable copy of an entry's value (forms are a dict of tuples)."""
    if isinstance(value, dict):
        return tuple((k, _frozen(v)) for k, v in value.items())
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


def entry_states(result: LoadedProject, register: str) -> dict[str, EntryState]:
    attribute, forms_field = next((a, f) for name, a, f in REGISTERS if name == register)
    states = {}
    for entry in getattr(result, attribute):
        values = tuple(
            (f.name, _frozen(getattr(entry, f.name)))
            for f in dataclasses.fields(entry) if f.name not in _LOCATION_FIELDS | {CITATIONS_FIELD}
        )
        if hasattr(entry, CITATIONS_FIELD):
            # By what they say: the file and line they were read from differ between two checkouts.
            values += ((CITATIONS_FIELD, frozenset(citation(c) for c in getattr(entry, CITATIONS_FIELD))),)
        forms = getattr(entry, forms_field)
        states[entry.id] = EntryState(
            register=register, id=entry.id, title=entry.title, values=values,
            forms=frozenset((lang, form) for lang, items in forms.items() for form in items),
            path=entry.path, line=entry.line,
        )
    return states


# --- comparing ------------------------------------------------------------------------


def _renames(removed: dict, added: dict) -> dict[str, str]:
    """new id -> old id, where an id went and another came with exactly the same content.

    Only one-to-one matches count: two removed notes with the same content
    cannot say which of them was renamed."""
    by_content: dict[tuple, list[str]] = {}
    for old_id, state in removed.items():
        by_content.setdefault(state.content(), []).append(old_id)
    new_by_content: dict[tuple, list[str]] = {}
    for new_id, state in added.items():
        new_by_content.setdefault(state.content(), []).append(new_id)
    return {
        new_ids[0]: by_content[content][0]
        for content, new_ids in new_by_content.items()
        if len(new_ids) == 1 and len(by_content.get(content, ())) == 1
    }


def _paired(old: dict, new: dict) -> tuple[dict, dict, dict[str, str]]:
    removed = {k: v for k, v in old.items() if k not in new}
    added = {k: v for k, v in new.items() if k not in old}
    renamed = _renames(removed, added)
    for new_id, old_id in renamed.items():
        del added[new_id], removed[old_id]
    return removed, added, renamed


def diff_notes(old: dict[str, NoteState], new: dict[str, NoteState]) -> list[NoteChange]:
    removed, added, renamed = _paired(old, new)
    changes = [NoteChange("added", i, None, s) for i, s in added.items()]
    changes += [NoteChange("removed", i, s, None) for i, s in removed.items()]
    changes += [NoteChange("renamed", i, old[o], new[i], old_id=o) for i, o in renamed.items()]
    for note_id in old.keys() & new.keys():
        a, b = old[note_id], new[note_id]
        fields = [name for name in ("kind", "body", "sources") if getattr(a, name) != getattr(b, name)]
        if (a.passage and a.passage.key) != (b.passage and b.passage.key):
            fields.append("anchor")
        if fields:
            change = "moved" if fields == ["anchor"] else "changed"
            changes.append(NoteChange(change, note_id, a, b, tuple(fields)))
    return sorted(changes, key=_note_order)


def _note_order(change: NoteChange) -> tuple:
    state = change.new or change.old
    passage = state.passage
    return (state.text_id, passage.paragraph or 0 if passage else 0, change.id)


def diff_entries(old: dict[str, EntryState], new: dict[str, EntryState]) -> list[EntryChange]:
    removed, added, renamed = _paired(old, new)
    changes = [EntryChange("added", s.register, i, None, s, forms_added=tuple(sorted(s.forms))) for i, s in added.items()]
    changes += [EntryChange("removed", s.register, i, s, None) for i, s in removed.items()]
    changes += [EntryChange("renamed", new[i].register, i, old[o], new[i], old_id=o) for i, o in renamed.items()]
    for entry_id in old.keys() & new.keys():
        a, b = old[entry_id], new[entry_id]
        before, after = dict(a.values), dict(b.values)
        fields = tuple(name for name in after if before.get(name) != after[name])
        if fields:
            cited_before, cited_after = before.get(CITATIONS_FIELD, frozenset()), after.get(CITATIONS_FIELD, frozenset())
            changes.append(EntryChange(
                "changed", b.register, entry_id, a, b, fields,
                forms_added=tuple(sorted(b.forms - a.forms)), forms_dropped=tuple(sorted(a.forms - b.forms)),
                citations_added=tuple(sorted(cited_after - cited_before, key=_citation_order)),
                citations_dropped=tuple(sorted(cited_before - cited_after, key=_citation_order)),
            ))
    return sorted(changes, key=lambda c: c.id)


def _citation_order(c: Citation) -> tuple:
    return (c.text_id, c.paragraph or 0, c.exact, c.prefix or "", c.suffix or "")


def _reading(text: TextDocument) -> tuple:
    return tuple((b.kind, b.text) for b in text.blocks)


def diff_texts(old: Sequence[TextDocument], new: Sequence[TextDocument]) -> list[TextChange]:
    before, after = {t.text_id: t for t in old}, {t.text_id: t for t in new}

    def change(kind: str, a: TextDocument | None, b: TextDocument | None) -> TextChange:
        text = b or a
        return TextChange(
            kind, text.text_id, text.docname, short_label(text.meta, text.text_id), text.lang, title_lang(text),
            len(a.paragraphs) if a else None, len(b.paragraphs) if b else None,
        )

    changes = [change("added", None, t) for i, t in after.items() if i not in before]
    changes += [change("removed", t, None) for i, t in before.items() if i not in after]
    # Re-imported: what a reader reads changed (front matter alone is not the text).
    changes += [
        change("reimported", before[i], t) for i, t in after.items()
        if i in before and _reading(before[i]) != _reading(t)
    ]
    return sorted(changes, key=lambda c: c.text_id)


def diff_apparatus(old: LoadedProject, new: LoadedProject, base: str = "base", head: str = "head") -> ApparatusDiff:
    entries: list[EntryChange] = []
    for register, _, _ in REGISTERS:
        entries += diff_entries(entry_states(old, register), entry_states(new, register))
    return ApparatusDiff(
        base=base,
        head=head,
        notes=tuple(diff_notes(note_states(old), note_states(new))),
        entries=tuple(entries),
        texts=tuple(diff_texts(old.texts, new.texts)),
    )


def changed_ids(diff: ApparatusDiff) -> list[str]:
    """Every id the diff names, once per change (notes, entries, texts)."""
    found: Iterable[str] = [c.id for c in diff.notes] + [c.id for c in diff.entries] + [c.text_id for c in diff.texts]
    return list(found)
