"""The order of each register's entries and the name each is filed under.

One definition for the register pages (which print the entries in this
order) and for the HTML letter pages (which file them by the name's letter),
so that where an entry lands depends on the registers alone."""

from __future__ import annotations

from ...presentation.register_paging import collation_key
from ..state.registry import glossary_entries, registers


def register_order(kind: str, config) -> list[tuple[object, str]]:
    """(entry, name it is filed under) for every entry of one register, in order."""
    persons, works = registers(config)
    if kind == "glossary":
        entries = sorted(glossary_entries(config), key=lambda e: (e.headword.casefold(), e.id))
        return [(entry, entry.headword) for entry in entries]
    if kind == "person":
        return [(p, p.sort_name) for p in sorted(persons.values(), key=lambda p: collation_key(p.sort_name))]

    def sort_name(work) -> str:  # as the register has always sorted works: author, then title
        author = persons[work.author].sort_name if work.author in persons else ""
        return f"{author} {work.title_en}"

    ordered = sorted(works.values(), key=lambda w: collation_key(sort_name(w)))
    return [(work, sort_name(work).strip()) for work in ordered]
