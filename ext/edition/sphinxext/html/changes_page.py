"""The Changes page (``{edition-changes}``): for each release, what changed in
the apparatus since the release before, as ``edition diff`` finds it.

The releases are the repository's ``v<version>`` tags, read with git when the
page is read; each one is checked and compared (:mod:`edition.review.revisions`,
:mod:`edition.review.apparatus_diff`). A copy of the edition without its git history
(a tarball) has no releases to list, and the page says so rather than
guessing. Every note, entry and text that still exists links to where it is
now; what has since gone is named without a link.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

from ...model.annotations import load_notes_file
from ...formats.citation import CFF_FILE
from ...review.apparatus_diff import (ApparatusDiff, Citation, EntryChange, NoteChange, Passage, TextChange, citation_label,
                             diff_apparatus, field_label, label_lang)
from ...base.errors import EditionError
from ...intake.gate import survey
from ...base.markup import ROLE_RENDERERS
from ...review.revisions import git, read_revision, release_tags
from ...reading.texts import short_label, text_front_matters
from ..state.records import CHANGES_READ_IN, build_state, running_builder
from .. import priorities

logger = logging.getLogger(__name__)

#: The role that links each register's entries.
ENTRY_ROLES = {"glossary": "term", "persons": "person", "works": "work"}
REGISTER_NAMES = {"glossary": "glossary entry", "persons": "person", "works": "work"}


@dataclass(frozen=True)
class Release:
    tag: str
    date: str  # of the tagged commit, YYYY-MM-DD
    diff: ApparatusDiff | None  # None for the first release, or when it could not be worked out
    problem: str = ""


@lru_cache(maxsize=64)
def _diff(repo: Path, old: str, new: str, docs: str, annotations: str) -> ApparatusDiff:
    """One comparison per pair of commits and process (the tags name commits, which do not change)."""
    before = read_revision(repo, old, docs, annotations)
    after = read_revision(repo, new, docs, annotations)
    return diff_apparatus(before.result, after.result, old, new)


def _release_date(repo: Path, commit: str) -> str:
    """The release's date as its CITATION.cff records it (`edition release` writes it), else its commit's."""
    try:
        cff = yaml.safe_load(str(git(repo, "show", f"{commit}:{CFF_FILE}")))
        released = cff.get("date-released") if isinstance(cff, dict) else None
        if released:
            return str(released)
    except (EditionError, yaml.YAMLError):
        pass
    return str(git(repo, "log", "-1", "--format=%cs", commit)).strip()


def release_history(srcdir: Path, annotations_dir: Path) -> list[Release] | None:
    """The releases, newest first; None when *srcdir* is not in a git repository."""
    try:
        top = Path(str(git(srcdir, "rev-parse", "--show-toplevel")).strip())
    except EditionError:
        return None
    try:
        docs = srcdir.resolve().relative_to(top.resolve()).as_posix()
        annotations = annotations_dir.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        return None  # the sources are not in the repository
    tags = release_tags(top)
    releases = []
    for index, tag in enumerate(tags):
        commit = str(git(top, "rev-parse", f"{tag}^{{commit}}")).strip()
        date = _release_date(top, commit)
        if index == 0:
            releases.append(Release(tag, date, None))
            continue
        previous = str(git(top, "rev-parse", f"{tags[index - 1]}^{{commit}}")).strip()
        try:
            diff = _diff(top, previous, commit, docs, annotations)
        except EditionError as exc:
            releases.append(Release(tag, date, None, str(exc)))
            continue
        releases.append(Release(tag, date, ApparatusDiff(tags[index - 1], tag, diff.notes, diff.entries, diff.texts)))
    return releases[::-1]


# --- links ------------------------------------------------------------------------------


class note_link(nodes.Inline, nodes.Element):
    """A link to a note's passage (its marker in the text), made by :class:`ResolveNoteLinks` for each builder."""


class ResolveNoteLinks(SphinxPostTransform):
    default_priority = priorities.AFTER_REFERENCES

    def run(self, **kwargs) -> None:
        for node in list(self.document.findall(note_link)):
            target = node["docname"]
            if target in self.env.all_docs:
                content = nodes.inline("", "", *node.children)
                # In print a note is a footnote, with no label of its own: the link goes to its text.
                builder = running_builder(self.env)
                anchor = "" if builder.format == "latex" else node["anchor"]
                node.replace_self(make_refnode(builder, self.env.docname, target, anchor, content))
            else:
                node.replace_self(node.children)


def _quiet(node: nodes.Node) -> nodes.Node:
    """A cross-reference that becomes plain words, without a warning, if its target is gone."""
    for xref in node.findall(addnodes.pending_xref):
        xref["refwarn"] = False
    return node


def _notes_files(env) -> list:
    """The notes files this build checked (:func:`.notes.check_annotations`), else read here."""
    found = build_state(env).notes_files
    if found is not None:
        return found
    files = []
    for path in survey(Path(env.config.edition_annotations_dir)).notes:
        notes_file, _ = load_notes_file(path)
        if notes_file is not None:
            files.append(notes_file)
    return files


class _Current:
    """What exists in the edition being built: notes (id -> text docname) and texts."""

    def __init__(self, env):
        srcdir = Path(env.srcdir)
        # A text whose front matter cannot be read is reported once, by text_list; skip it here.
        fronts = {str(meta["edition-text"]): (docname, meta) for _, docname, meta in text_front_matters(srcdir, [])}
        self.texts = {text_id: docname for text_id, (docname, _) in fronts.items()}
        self.meta = {text_id: meta for text_id, (_, meta) in fronts.items()}
        self.notes: dict[str, str] = {}
        for notes_file in _notes_files(env):
            if notes_file.text_id in self.texts:
                for note in notes_file.notes:
                    self.notes[note.id] = self.texts[notes_file.text_id]

    @property
    def key(self) -> tuple:
        return tuple(sorted(self.texts.items())), tuple(sorted(self.notes.items()))

    def note(self, note_id: str) -> nodes.Node:
        words = nodes.literal(note_id, note_id)
        if note_id not in self.notes:
            return words
        return note_link("", words, docname=self.notes[note_id], anchor=f"noteref-{note_id}")  # the passage

    def citation(self, citation: Citation) -> list[nodes.Node]:
        """A work's stand-off citation: its words, marked with the text's language,
        its ¶ and the text's name, linked to the text; plain where the text is gone."""
        meta = self.meta.get(citation.text_id)
        if meta is None:
            return [nodes.Text(citation_label(citation))]
        lang = str(meta.get("lang") or "")
        words = _title(citation.exact, lang or "en")
        where = f"¶{citation.paragraph} of " if citation.paragraph else ""
        name = _title(short_label(meta, citation.text_id), label_lang(meta, lang))
        return [nodes.Text("“"), words, nodes.Text(f"” in {where}"), self.text(citation.text_id, name)]

    def text(self, text_id: str, title: nodes.inline) -> nodes.Node:
        """*title* (from :func:`_title`), linked to the text; the link goes inside the
        language mark (Sphinx puts a document link's words in an element of its own)."""
        if text_id not in self.texts:
            return title
        words = title.astext()
        xref = addnodes.pending_xref(
            "", nodes.inline(words, words), refdomain="std", reftype="doc",
            reftarget="/" + self.texts[text_id], refexplicit=True, refwarn=False,
        )
        return nodes.inline("", "", xref, classes=title["classes"])


def _title(title: str, lang: str) -> nodes.inline:
    """A text's name, marked with its language where it is not the apparatus's English."""
    return nodes.inline(title, title, classes=[] if lang == "en" else [f"language-{lang}"])


def _where(passage: Passage | None) -> list[nodes.Node]:
    if passage is None:
        return [nodes.Text("no passage")]
    return [_title(passage.text_title, passage.title_lang), nodes.Text(f", {passage.label}")]


def _note_item(change: NoteChange, current: _Current) -> nodes.list_item:
    paragraph = nodes.paragraph()
    paragraph += nodes.Text("Note ")
    paragraph += current.note(change.id)
    if change.change == "added":
        parts = [" added on ", *_where(change.new.passage)]
    elif change.change == "removed":
        parts = [" removed (it was on ", *_where(change.old.passage), ")"]
    elif change.change == "renamed":
        parts = [f" renamed from {change.old_id}, on ", *_where(change.new.passage)]
    elif change.change == "moved":
        parts = [" moved from ", *_where(change.old.passage), " to ", *_where(change.new.passage)]
    else:
        parts = [f" changed ({', '.join(change.fields)}), on ", *_where(change.new.passage)]
    paragraph += [nodes.Text(p) if isinstance(p, str) else p for p in parts]
    return nodes.list_item("", paragraph)


def _entry_item(change: EntryChange, current: _Current) -> nodes.list_item:
    state = change.new or change.old
    paragraph = nodes.paragraph()
    paragraph += nodes.Text(REGISTER_NAMES[change.register].capitalize() + " ")
    if change.change == "removed":
        paragraph += nodes.inline(state.title, state.title)
    else:
        paragraph += _quiet(ROLE_RENDERERS[ENTRY_ROLES[change.register]](f"{state.title} <{change.id}>"))
    details = {"renamed": f" (id {change.old_id} is now {change.id})"}.get(change.change, "")
    if change.change == "changed":
        details = f" ({', '.join(map(field_label, change.fields))})"
    paragraph += nodes.Text(f" {change.change}{details}")
    forms = []
    if change.forms_added and change.change == "changed":
        forms.append("forms added: " + ", ".join(f"{form} ({lang})" for lang, form in change.forms_added))
    if change.forms_dropped:
        forms.append("forms dropped: " + ", ".join(f"{form} ({lang})" for lang, form in change.forms_dropped))
    if forms:
        paragraph += nodes.Text("; " + "; ".join(forms))
    for label, citations in (("citations added", change.citations_added), ("citations dropped", change.citations_dropped)):
        for index, citation in enumerate(citations):
            paragraph += nodes.Text(f"; {label}: " if index == 0 else ", ")
            paragraph += current.citation(citation)
    return nodes.list_item("", paragraph)


def _text_item(change: TextChange, current: _Current) -> nodes.list_item:
    paragraph = nodes.paragraph()
    paragraph += nodes.Text("Text ")
    title = _title(change.title, change.title_lang)
    paragraph += current.text(change.text_id, title) if change.change != "removed" else title
    label = {"added": "added", "removed": "removed", "reimported": "re-imported from its source"}[change.change]
    paragraph += nodes.Text(f" {label}")
    return nodes.list_item("", paragraph)


def _release_section(release: Release, current: _Current, document) -> nodes.section:
    title = f"Version {release.tag[1:]} ({release.date})"
    section = nodes.section(ids=[nodes.make_id(f"release-{release.tag}")], names=[nodes.fully_normalize_name(title)])
    section += nodes.title(title, title)
    if release.problem:
        section += nodes.paragraph(text=f"What changed in this release could not be worked out: {release.problem}")
    elif release.diff is None:
        section += nodes.paragraph(text="The first release: there is no earlier one to compare it with.")
    elif release.diff.empty:
        section += nodes.paragraph(text=f"Nothing in the apparatus changed since {release.diff.base}.")
    else:
        diff = release.diff
        section += nodes.paragraph(text=f"Changes since {diff.base}:")
        items = nodes.bullet_list()
        items += [_text_item(c, current) for c in diff.texts]
        items += [_note_item(c, current) for c in diff.notes]
        items += [_entry_item(c, current) for c in diff.entries]
        section += items
    return section


def _tags_state(env) -> tuple | None:
    """The release tags and the commits they name, or None outside a git repository."""
    srcdir = Path(env.srcdir)
    try:
        top = Path(str(git(srcdir, "rev-parse", "--show-toplevel")).strip())
        listed = str(git(top, "for-each-ref", "--format=%(refname:short) %(objectname) %(*objectname)", "refs/tags/v*"))
    except EditionError:
        return None
    return tuple(sorted(line for line in listed.splitlines() if line.strip()))


def _state(env) -> tuple:
    """What the page says depends on: the releases and, if there are any, which notes
    and texts exist now (the page links those)."""
    tags = _tags_state(env)
    return tags, _Current(env).key if tags else None


def reread_if_changed(app, env, added, changed, removed) -> list[str]:
    """env-get-outdated: git is not a file Sphinx watches; a new tag, or a note or
    text added or removed, re-reads the page (an edited note does not)."""
    pages = {doc: state for doc, state in CHANGES_READ_IN.all(env).items() if doc not in removed}
    if not pages:
        return []
    now = _state(env)
    return sorted(doc for doc, state in pages.items() if state != now)


class ChangesDirective(SphinxDirective):
    """``{edition-changes}``: one section per release, newest first."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        CHANGES_READ_IN.set(self.env, self.env.docname, _state(self.env))
        releases = release_history(Path(self.env.srcdir), Path(self.config.edition_annotations_dir))
        if releases is None:
            return [nodes.paragraph(text=(
                "This copy of the edition was built without its git history, so it cannot list "
                "its releases or what changed in them."))]
        if not releases:
            return [nodes.paragraph(text="No release of the edition has been made yet.")]
        current = _Current(self.env)
        return [_release_section(r, current, self.state.document) for r in releases]
