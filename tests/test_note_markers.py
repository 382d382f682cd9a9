"""Note markers placed with a block's text pieces walked once (notes._insert_marker with
*pieces*) land exactly where placing each after a fresh walk puts them: several notes
in one block, at the same offset, at the ends of text nodes, inside emphasis, and
after a text node equal to an earlier one (docutils finds a text by its characters)."""

from __future__ import annotations

import pytest
from docutils import nodes

from edition.reading.nodes import APPARATUS
from edition.reading.contract import reading_pieces
from edition.sphinxext.transforms.notes import _insert_marker


def block() -> nodes.paragraph:
    para = nodes.paragraph()
    para += nodes.Text("Раз два ")
    para += nodes.emphasis("", "", nodes.Text("три"), nodes.Text(" 한국어"))
    para += nodes.Text(" четыре")
    para += nodes.strong("", "x")
    para += nodes.Text(" четыре")  # equal to the text two siblings before
    return para


def marker(number: int) -> list[nodes.Node]:
    return [nodes.footnote_reference("", str(number), classes=[APPARATUS], refid=f"n{number}")]


LENGTH = len("Раз два три 한국어 четыре" + "x" + " четыре")


@pytest.mark.parametrize("offsets", [
    [0, 3, 3, 8, 11, 15],  # sorted, as the notes transform places them
    [4, 11, 11, 11, 22, LENGTH],
    [23, 24, 26, LENGTH - 1, LENGTH],  # in and after the second " четыре"
    list(range(0, LENGTH + 1, 2)),
])
def test_markers_walked_once_land_where_fresh_walks_put_them(offsets):
    fresh, once = block(), block()
    pieces = reading_pieces(once)
    for number, offset in enumerate(offsets, 1):
        _insert_marker(fresh, offset, marker(number))
        _insert_marker(once, offset, marker(number), pieces)
        assert [(id(text), at) for text, at in pieces] == [(id(text), at) for text, at in reading_pieces(once)]
    assert once.pformat() == fresh.pformat()
