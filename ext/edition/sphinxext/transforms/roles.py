"""The edition's roles in contributed prose as cross-references, in the build.

:mod:`edition.base.markup` declares the roles (so ``edition check`` knows them
however it is started) and renders them as their text; the build makes each a
``pending_xref`` that Sphinx resolves: ``{term}`` to the glossary (the std
domain's terms), ``{person}`` and ``{work}`` to the edition's domain.
"""

from __future__ import annotations

from collections.abc import Callable

from docutils import nodes
from sphinx import addnodes

from ...base.markup import ROLE_RENDERERS, split_role


def _term_role(content: str) -> nodes.Node:
    text, target = split_role(content)
    return addnodes.pending_xref(
        "", nodes.inline(text, text, classes=["edition-term", "edition-term-role"]),
        refdomain="std", reftype="term", reftarget=target, refexplicit=True, refwarn=True,
    )


def _register_role(reftype: str) -> Callable[[str], nodes.Node]:
    def render(content: str) -> nodes.Node:
        text, target = split_role(content)
        # Without text of its own, the link shows the entry's display name (the domain fills it in).
        explicit = "<" in content
        return addnodes.pending_xref(
            "", nodes.inline(text, text, classes=["edition-term", f"edition-{reftype}-role"]),
            refdomain="edition", reftype=reftype, reftarget=target, refexplicit=explicit, refwarn=True,
        )

    return render


#: Note bodies may write {term}`nep` or {term}`the New Economic Policy <nep>`,
#: {person}`trotsky` and {work}`revolution-betrayed` (or `text <id>`).
XREF_RENDERERS: dict[str, Callable[[str], nodes.Node]] = {
    "term": _term_role,
    "person": _register_role("person"),
    "work": _register_role("work"),
}


def use_cross_references() -> None:
    """Render the roles as cross-references from now on (the extension's setup)."""
    ROLE_RENDERERS.update(XREF_RENDERERS)
