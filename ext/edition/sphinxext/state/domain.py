"""The ``edition`` domain: the owner of all the edition's build state.

Its data (pickled with the environment) holds the targets of the persons
and works (declared by the register pages, ``{edition-persons}`` and
``{edition-works}``; the ``{person}``/``{work}`` roles and the linker's
references resolve to them) and every per-document record
(:mod:`.records`), cleared and merged here and only here. Its instance
holds this build's working state. Its two indices, "Index of works quoted"
and "Index of persons", are the registers' (:mod:`..registers.indices`),
added to it by ``setup()``.
"""

from __future__ import annotations

from collections.abc import Iterator

from docutils import nodes
from sphinx.domains import Domain, ObjType
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

from .registry import link_targets, registers
from .records import DOMAIN, PROJECT_VALUES, RECORDS, BuildState


class EditionDomain(Domain):
    """The owner of all the edition's build state (records.py): the entries'
    targets and every per-document record in its data (pickled, cleared and
    merged here and only here), this build's working state on the instance."""

    name = DOMAIN
    label = "Edition apparatus"
    object_types = {"person": ObjType("person", "person"), "work": ObjType("work", "work")}
    roles = {"person": XRefRole(), "work": XRefRole()}
    indices = []  # the registers' WorksIndex and PersonsIndex: added by setup()
    # objects: (objtype, id) -> (docname, anchor); then one dict per record, and the project values.
    initial_data = {"objects": {}, **{record.name: {} for record in RECORDS}, **PROJECT_VALUES}
    # Bump when the shape of the data changes: an environment pickled by older code is then rebuilt.
    data_version = 2

    def __init__(self, env) -> None:
        super().__init__(env)
        self.build = BuildState()  # a new application makes a new domain: nothing carries over

    def note_entry(self, objtype: str, entry_id: str, docname: str, anchor: str) -> None:
        self.data["objects"][(objtype, entry_id)] = (docname, anchor)

    def clear_doc(self, docname: str) -> None:
        for key, (doc, _) in list(self.data["objects"].items()):
            if doc == docname:
                del self.data["objects"][key]
        for record in RECORDS:
            self.data[record.name].pop(docname, None)

    def merge_domaindata(self, docnames, otherdata: dict) -> None:
        for key, (doc, anchor) in otherdata["objects"].items():
            if doc in docnames:
                self.data["objects"][key] = (doc, anchor)
        for record in RECORDS:
            mine, theirs = self.data[record.name], otherdata[record.name]
            for docname in docnames:
                if docname in theirs:
                    mine[docname] = theirs[docname]

    def resolve_xref(self, env, fromdocname, builder, typ, target, node, contnode):
        where = self.data["objects"].get((typ, target))
        if where is None:
            return None
        linked = link_targets(env.config).get(f"{typ}:{target}")
        if not node.get("refexplicit") and linked is not None:  # {person}`kamenev`: the entry's name, not its id
            persons, works = registers(env.config)
            entry = (persons if typ == "person" else works).get(target)
            if entry is not None:
                contnode = nodes.inline(entry.display_name, entry.display_name, classes=contnode["classes"])
        # The link's tooltip names the entry ("Leon Trotsky (1879–1940)"), never its id.
        title = linked.title if linked is not None else ""
        return make_refnode(builder, fromdocname, where[0], where[1], contnode, title)

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):
        found = []
        for typ in self.object_types:
            ref = self.resolve_xref(env, fromdocname, builder, typ, target, node, contnode)
            if ref is not None:
                found.append((f"edition:{typ}", ref))
        return found

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        """For the search: each entry under its name or English title (what a
        reader types and reads in the results), never its id."""
        targets = link_targets(self.env.config)
        for (typ, entry_id), (docname, anchor) in sorted(self.data["objects"].items()):
            target = targets.get(f"{typ}:{entry_id}")
            shown = target.title if target is not None else entry_id
            yield entry_id, shown, typ, docname, anchor, 1
