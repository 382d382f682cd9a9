"""The ``edition`` domain: persons and works as Sphinx objects, their roles,
and two indices, "Index of works quoted" and "Index of persons".

Objects are declared by the register pages (``{edition-persons}``,
``{edition-works}``); the linker's references and the ``{person}``/``{work}``
roles resolve to them. The indices list, for each entry, every passage that
names or cites it, from the uses the linker records on the environment;
Sphinx renders them as ``edition-persons.html``/``edition-works.html`` and,
with page numbers, in the PDF.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator

from docutils import nodes
from sphinx.domains import Domain, Index, IndexEntry, ObjType
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

from ..languages import language_name


def collation_key(text: str) -> tuple[str, str]:
    """English index order: accents and case ignored, then the text itself."""
    base = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return (base.casefold(), text)


def initial(text: str) -> str:
    return collation_key(text)[0][:1].upper() or "#"


class RegisterIndex(Index):
    kind = ""

    def entries(self) -> list:
        from .linking import registers

        persons, works = registers(self.domain.env.config)
        return list(persons.values()) if self.kind == "person" else list(works.values())

    def label(self, entry) -> tuple[str, str, str]:
        raise NotImplementedError

    def generate(self, docnames: Iterable[str] | None = None) -> tuple[list[tuple[str, list[IndexEntry]]], bool]:
        env = self.domain.env
        from .linking import text_title, uses_by_key

        uses = uses_by_key(env)
        content: dict[str, list[IndexEntry]] = defaultdict(list)
        objects = self.domain.data["objects"]
        labels = _text_labels(env, uses)
        titles: dict[str, str] = {}
        for entry in sorted(self.entries(), key=lambda e: collation_key(self.label(e)[0])):
            name, extra, description = self.label(entry)
            docname, anchor = objects.get((self.kind, entry.id), ("", ""))
            passages = uses.get(entry.key, [])
            content[initial(name)].append(IndexEntry(name, 1 if passages else 0, docname, anchor, extra, "", description))
            seen = set()
            for use in passages:
                place = (use.docname, use.paragraph)
                if place in seen:
                    continue
                seen.add(place)
                if use.docname not in titles:
                    titles[use.docname] = text_title(env, use.docname)
                title = titles[use.docname]
                label = labels.get(use.docname, title)
                where = f"{label} ¶{use.paragraph}" if use.paragraph else label
                section = "" if use.section_title == title else use.section_title  # the text's opening
                content[initial(name)].append(IndexEntry(where, 2, use.docname, use.anchor, section, "", ""))
        return sorted(content.items()), True


def _text_labels(env, uses) -> dict[str, str]:
    """A short label per text: its language, when no two texts share one."""
    langs = {}
    for passages in uses.values():
        for use in passages:
            langs[use.docname] = use.lang
    if len(set(langs.values())) < len(langs):
        return {}
    return {doc: f"{language_name(lang)} text" for doc, lang in langs.items()}


class WorksIndex(RegisterIndex):
    name = "works"
    localname = "Index of works quoted"
    shortname = "works quoted"
    kind = "work"

    def label(self, work):
        from .linking import registers

        persons, _ = registers(self.domain.env.config)
        author = persons[work.author].sort_name.split(",")[0] + ", " if work.author in persons else ""
        return f"{author}{work.title_en}", work.year, work.title if work.title != work.title_en else ""


class PersonsIndex(RegisterIndex):
    name = "persons"
    localname = "Index of persons"
    shortname = "persons"
    kind = "person"

    def label(self, person):
        return person.sort_name, person.dates, person.identification


class EditionDomain(Domain):
    name = "edition"
    label = "Edition apparatus"
    object_types = {"person": ObjType("person", "person"), "work": ObjType("work", "work")}
    roles = {"person": XRefRole(), "work": XRefRole()}
    indices = [WorksIndex, PersonsIndex]
    initial_data = {"objects": {}}  # (objtype, id) -> (docname, anchor)
    data_version = 1

    def note_entry(self, objtype: str, entry_id: str, docname: str, anchor: str) -> None:
        self.data["objects"][(objtype, entry_id)] = (docname, anchor)

    def clear_doc(self, docname: str) -> None:
        for key, (doc, _) in list(self.data["objects"].items()):
            if doc == docname:
                del self.data["objects"][key]

    def merge_domaindata(self, docnames, otherdata: dict) -> None:
        for key, (doc, anchor) in otherdata["objects"].items():
            if doc in docnames:
                self.data["objects"][key] = (doc, anchor)

    def resolve_xref(self, env, fromdocname, builder, typ, target, node, contnode):
        where = self.data["objects"].get((typ, target))
        if where is None:
            return None
        if not node.get("refexplicit"):  # {person}`kamenev`: the entry's name, not its id
            from .linking import registers

            persons, works = registers(env.config)
            entry = (persons if typ == "person" else works).get(target)
            if entry is not None:
                contnode = nodes.inline(entry.display_name, entry.display_name, classes=contnode["classes"])
        return make_refnode(builder, fromdocname, where[0], where[1], contnode, target)

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):
        found = []
        for typ in self.object_types:
            ref = self.resolve_xref(env, fromdocname, builder, typ, target, node, contnode)
            if ref is not None:
                found.append((f"edition:{typ}", ref))
        return found

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for (typ, entry_id), (docname, anchor) in sorted(self.data["objects"].items()):
            yield entry_id, entry_id, typ, docname, anchor, 1
