"""How the edition's nodes look in each output format."""

from __future__ import annotations

from docutils import nodes

from ..reading.contract import paragraph_id


def _visit_pn_html(self, node: nodes.Element) -> None:
    number = node["number"]
    # The number is CSS-generated content (data-pn), so it is not part of the
    # text: copying a paragraph does not copy it and search does not index it.
    self.body.append(
        f'<a class="edition-pn" href="#{paragraph_id(number)}" data-pn="{number}" '
        f'aria-label="Paragraph {number}" title="Link to paragraph {number}"></a>'
    )
    raise nodes.SkipNode


def _visit_pn_latex(self, node: nodes.Element) -> None:
    # The label makes #p-N a target in print too (used-in lists, indices).
    number = node["number"]
    self.body.append(self.hypertarget(paragraph_id(number), anchor=False) + r"\edparnum{%d}" % number)
    raise nodes.SkipNode


def _skip(self, node: nodes.Element) -> None:
    raise nodes.SkipNode


def _visit_attribution_html(self, node: nodes.Element) -> None:
    # The source keeps its own dash ("- 레닌, …"); the docutils default would
    # put an em dash in front of it.
    self.body.append(self.starttag(node, "p", "", CLASS="attribution"))


def _depart_attribution_html(self, node: nodes.Element) -> None:
    self.body.append("</p>\n")


def _visit_attribution_latex(self, node: nodes.Element) -> None:
    self.body.append("\n\\begin{flushright}\n")


def _depart_attribution_latex(self, node: nodes.Element) -> None:
    self.body.append("\n\\end{flushright}\n")


_SKIP = (_skip, None)
PARAGRAPH_NUMBER = {
    "html": (_visit_pn_html, None),
    "latex": (_visit_pn_latex, None),
    "text": _SKIP,
    "man": _SKIP,
    "texinfo": _SKIP,
}
UNRENDERED = {name: _SKIP for name in ("html", "latex", "text", "man", "texinfo")}
ATTRIBUTION = {
    "html": (_visit_attribution_html, _depart_attribution_html),
    "latex": (_visit_attribution_latex, _depart_attribution_latex),
}
