"""The reading contract: what of a text readers, notes, links and citations address.

Every stage that numbers, anchors to or counts in a text asks here, so the build,
``edition check``, the importer's self-check and the W3C export and import cannot
disagree:

* **blocks**: a text's headings, paragraphs and quotation attribution lines, in
  document order, the apparatus (note markers, ¶ numbers, source box, title block,
  notes) left out (:func:`iter_reading_nodes`);
* **block text**: the characters of a block's text nodes outside the apparatus
  (:func:`reading_text`, :func:`reading_pieces`);
* **anchorable**: paragraphs and attribution lines; headings never
  (:data:`ANCHORABLE`, :func:`anchor_blocks`);
* **¶ numbers**: the paragraphs, counted from 1 in document order, unless the
  text's recorded numbers say otherwise (after an accepted renumbering:
  :mod:`edition.reading.paragraph_numbers`); an attribution line has none of its own
  (:func:`numbered_blocks`); a paragraph's permalink is ``#p-N`` (:func:`paragraph_id`);
* **reading-text offsets**: the blocks joined by line feeds (:class:`ReadingText`),
  where the W3C import places notes. Exported selectors count in the published page
  instead (:mod:`edition.reading.page_text`), in which the anchorable blocks stand in the
  same order, character for character.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from docutils import nodes

from ..anchoring.text_quotes import Block, Placement
from .nodes import is_apparatus, paragraph_number_of

BlockKind = Literal["heading", "paragraph", "attribution"]

#: The kinds of block notes anchor to, links are made in and W3C selectors address.
ANCHORABLE: frozenset[BlockKind] = frozenset({"paragraph", "attribution"})


def paragraph_id(number: int) -> str:
    """The permalink id of ¶ *number* (``#p-N`` in every output)."""
    return f"p-{number}"


@dataclass(frozen=True)
class ReadingBlock:
    kind: BlockKind
    text: str
    #: ¶ number for paragraphs (1-based, in document order), else None.
    number: int | None
    #: Line of the block in the MyST source, where docutils knows it.
    line: int | None
    in_quote: bool = False

    @property
    def anchorable(self) -> bool:
        return self.kind in ANCHORABLE


def iter_reading_nodes(doctree: nodes.Node) -> Iterator[tuple[BlockKind, nodes.Element]]:
    """Yield the reading text's blocks in document order, skipping apparatus."""
    for node in doctree.findall(nodes.Element):
        # Neither the apparatus nor what a parser says about the text (an INFO
        # message on two headings with the same words stays in the tree until
        # Sphinx filters it, after the texts are numbered).
        if is_apparatus(node) or isinstance(node.parent, nodes.system_message):
            continue
        if isinstance(node, nodes.title) and isinstance(node.parent, nodes.section):
            yield "heading", node
        elif isinstance(node, nodes.paragraph):
            yield "paragraph", node
        elif isinstance(node, nodes.attribution):
            yield "attribution", node


def numbered_blocks(
    doctree: nodes.Node, numbers: Sequence[int] | None = None
) -> Iterator[tuple[BlockKind, nodes.Element, int | None]]:
    """Each block with its ¶ number (paragraphs only; None for the others).

    A paragraph the build has numbered already keeps that number; otherwise the
    n-th paragraph is ¶ *numbers*[n-1] (a text's recorded stable numbers, which
    differ from the positions only after an accepted renumbering:
    :mod:`edition.reading.paragraph_numbers`), or ¶ n."""
    position = 0
    for kind, node in iter_reading_nodes(doctree):
        if kind == "paragraph":
            position += 1
            given = paragraph_number_of(node)
            if given is None:
                given = numbers[position - 1] if numbers is not None else position
            yield kind, node, given
        else:
            yield kind, node, None


def anchorable_nodes(doctree: nodes.Node) -> Iterator[tuple[BlockKind, nodes.Element, int | None]]:
    """The anchorable blocks with the ¶ numbers the build gave them, in document order."""
    return ((kind, node, number) for kind, node, number in numbered_blocks(doctree) if kind in ANCHORABLE)


def reading_pieces(node: nodes.Element) -> list[tuple[nodes.Text, int]]:
    """The block's text nodes outside the apparatus, each with its offset in the block's text."""
    pieces, offset = [], 0
    for text in node.findall(nodes.Text):
        if is_apparatus(text.parent):
            continue
        pieces.append((text, offset))
        offset += len(text)
    return pieces


def reading_text(node: nodes.Element) -> str:
    """The text of *node* without the apparatus inside it (note markers, ¶ numbers)."""
    return "".join(t.astext() for t in node.findall(nodes.Text) if not is_apparatus(t.parent))


def paragraph_texts(doctree: nodes.Node) -> list[str]:
    """The text of each paragraph, in order: what a text's ¶ numbers are recorded for."""
    return [reading_text(node) for kind, node in iter_reading_nodes(doctree) if kind == "paragraph"]


def reading_blocks(doctree: nodes.Node, numbers: Sequence[int] | None = None) -> list[ReadingBlock]:
    return [
        ReadingBlock(
            kind=kind,
            text=reading_text(node),
            number=number,
            line=node.line,
            in_quote=any(isinstance(a, nodes.block_quote) for a in _ancestors(node)),
        )
        for kind, node, number in numbered_blocks(doctree, numbers)
    ]


def _ancestors(node: nodes.Node) -> Iterator[nodes.Node]:
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def anchorable_blocks(blocks: Iterable[ReadingBlock]) -> list[ReadingBlock]:
    """The blocks notes anchor to and links are made in: paragraphs and attributions."""
    return [b for b in blocks if b.kind in ANCHORABLE]


def anchor_blocks(blocks: Iterable[ReadingBlock]) -> list[Block]:
    """The anchorable blocks as :mod:`edition.anchoring.text_quotes` matches in them."""
    return [Block.of(b.text, b.number) for b in anchorable_blocks(blocks)]


@dataclass(frozen=True)
class ReadingText:
    """A text's reading text and where each anchorable block starts in it."""

    text: str
    blocks: tuple[Block, ...]  # paragraphs and attribution lines, as the notes anchor to them
    starts: tuple[int, ...]  # offset of each of those blocks in ``text``

    @classmethod
    def of(cls, document) -> ReadingText:
        """*document*: anything with the ``blocks`` of a text (a :class:`edition.reading.texts.TextDocument`)."""
        return cls.of_blocks(document.blocks)

    @classmethod
    def of_blocks(cls, reading: Iterable[ReadingBlock]) -> ReadingText:
        parts, blocks, starts, offset = [], [], [], 0
        for block in reading:
            if block.kind in ANCHORABLE:
                blocks.append(Block.of(block.text, block.number))
                starts.append(offset)
            parts.append(block.text)
            offset += len(block.text) + 1
        return cls("\n".join(parts), tuple(blocks), tuple(starts))

    def span(self, placement: Placement) -> tuple[int, int]:
        start = self.starts[placement.block]
        return start + placement.start, start + placement.end
