"""The ``edition`` domain's two indices, "Index of works quoted" and "Index of persons".

The indices list, for each entry, every passage that
names or cites it, from the uses the linker records on the environment;
Sphinx renders them as ``edition-persons.html``/``edition-works.html`` and,
with page numbers, in the PDF.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sphinx.domains import Index, IndexEntry

from ...reading.passages import paragraph_ranges, range_label
from ...reading.contract import paragraph_id
from ...presentation.register_paging import collation_key, initial
from ...reading.texts import short_label
from ..state.records import running_builder
from ..state.records import text_title, uses_by_key
from ..state.registry import registers
from .register_split import layouts, splits


class RegisterIndex(Index):
    kind = ""

    def entries(self) -> list:
        persons, works = registers(self.domain.env.config)
        return list(persons.values()) if self.kind == "person" else list(works.values())

    def label(self, entry) -> tuple[str, str, str]:
        raise NotImplementedError

    def listing(self) -> Iterator[tuple[object, tuple[str, str, str], list[TextPassages]]]:
        """Each entry in index order, with its label and its passages per text."""
        env = self.domain.env
        uses = uses_by_key(env)
        texts = _Texts(env)
        for entry in sorted(self.entries(), key=lambda e: collation_key(self.label(e)[0])):
            yield entry, self.label(entry), texts.passages(uses.get(entry.key, []))

    def generate(self, docnames: Iterable[str] | None = None) -> tuple[list[tuple[str, list[IndexEntry]]], bool]:
        env = self.domain.env
        if splits(running_builder(env), env.config):
            return self.generate_bounded()
        content: dict[str, list[IndexEntry]] = defaultdict(list)
        objects = self.domain.data["objects"]
        for entry, (name, extra, description), passages in self.listing():
            docname, anchor = objects.get((self.kind, entry.id), ("", ""))
            content[initial(name)].append(IndexEntry(name, 1 if passages else 0, docname, anchor, extra, "", description))
            for text in passages:
                # As in print: the text's short title, its paragraphs merged into ranges,
                # each linked to its (first) paragraph.
                for use in text.uses:
                    if not use.paragraph:  # before the first paragraph (none today): the text's opening
                        content[initial(name)].append(IndexEntry(text.label, 2, use.docname, use.anchor, "", "", ""))
                for first, last in paragraph_ranges(u.paragraph for u in text.uses if u.paragraph):
                    where = f"{text.label} ¶{range_label(first, last)}"
                    content[initial(name)].append(IndexEntry(where, 2, text.docname, paragraph_id(first), "", "", ""))
        return sorted(content.items()), True


    def generate_bounded(self) -> tuple[list[tuple[str, list[IndexEntry]]], bool]:
        """The split HTML edition's index: each entry once, linked to its
        letter page, with how many passages of how many texts name it; the
        passages themselves are listed on the register pages."""
        content: dict[str, list[IndexEntry]] = defaultdict(list)
        objects = self.domain.data["objects"]
        placed = layouts(self.domain.env)
        if len(self.entries()) > self.domain.env.config.edition_register_index_entries:
            return self._letter_pages(placed), True
        for entry, (name, extra, description), passages in self.listing():
            docname, anchor = objects.get((self.kind, entry.id), ("", ""))
            layout = placed.get(docname)
            page = layout.page_of.get(anchor, docname) if layout else docname
            count = sum(len(text.uses) for text in passages)
            texts = len(passages)
            where = (f"{count:,} passage{'s' if count != 1 else ''} of {texts:,} text{'s' if texts != 1 else ''}"
                     if count else "")
            descr = f"{description} ({where})" if description and where else description or where
            content[initial(name)].append(IndexEntry(name, 0, page, anchor, extra, "", descr))
        return sorted(content.items()), True

    def _letter_pages(self, placed) -> list[tuple[str, list[IndexEntry]]]:
        """A register too long to list entry by entry on one page: its letter
        pages, each with its first and last entry and how many, as the register
        page gives them (register_split), so that this page does not grow with it."""
        objects = self.domain.data["objects"]
        names = {objects[(self.kind, entry.id)]: self.label(entry)[0] for entry in self.entries()
                 if (self.kind, entry.id) in objects}
        content: dict[str, list[IndexEntry]] = defaultdict(list)
        for layout in placed.values():
            for page in layout.pages:
                shown = [names[(layout.docname, anchor)] for anchor in page.anchors if (layout.docname, anchor) in names]
                if not shown:
                    continue
                label = page.letter + (f" ({page.part} of {page.parts})" if page.parts > 1 else "")
                span = shown[0] if len(shown) == 1 else f"{shown[0]} – {shown[-1]}"
                count = f"{len(shown):,} entr{'y' if len(shown) == 1 else 'ies'}"
                content[page.letter].append(IndexEntry(label, 0, page.pagename, "", "", "", f"{span}, {count}"))
        return sorted(content.items(), key=lambda item: collation_key(item[0]))


@dataclass(frozen=True)
class TextPassages:
    """The passages of one text where an entry occurs: one use per paragraph."""

    docname: str
    label: str  # the text's short title, from its metadata
    title: str
    uses: tuple


class _Texts:
    """Labels, titles and reading order of the texts, worked out once per index."""

    def __init__(self, env) -> None:
        self.env = env
        self._order: dict[str, int] = {}
        self._walk(env.config.root_doc)
        self._labels: dict[str, tuple[str, str]] = {}

    def _walk(self, docname: str) -> None:
        if docname in self._order:
            return
        self._order[docname] = len(self._order)
        for child in self.env.toctree_includes.get(docname, ()):
            self._walk(child)

    def order(self, docname: str) -> tuple[int, str]:
        return (self._order.get(docname, len(self._order)), docname)

    def names(self, docname: str) -> tuple[str, str]:
        if docname not in self._labels:
            title = text_title(self.env, docname)
            self._labels[docname] = (short_label(self.env.metadata.get(docname, {}), title), title)
        return self._labels[docname]

    def passages(self, uses) -> list[TextPassages]:
        by_doc: dict[str, dict] = defaultdict(dict)
        for use in uses:
            by_doc[use.docname].setdefault(use.paragraph, use)
        found = []
        for docname in sorted(by_doc, key=self.order):
            label, title = self.names(docname)
            found.append(TextPassages(docname, label, title, tuple(by_doc[docname].values())))
        return found


class WorksIndex(RegisterIndex):
    name = "works"
    localname = "Index of works quoted"
    shortname = "works quoted"
    kind = "work"

    def label(self, work):
        persons, _ = registers(self.domain.env.config)
        author = persons[work.author].sort_name.split(",")[0] + ", " if work.author in persons else ""
        return f"{author}{work.title_en}", work.year, work.title if work.title not in work.title_en else ""


class PersonsIndex(RegisterIndex):
    name = "persons"
    localname = "Index of persons"
    shortname = "persons"
    kind = "person"

    def label(self, person):
        return person.sort_name, person.dates, person.identification
