"""Load contributed YAML safely, keeping the line of every key and item.

Contributors' files are untrusted and mistakes are expected, so loading:

* takes text that :mod:`.intake` has read and screened (size, encoding,
  control characters);
* refuses nesting deeper than :data:`MAX_DEPTH` and aliases on the event
  stream, before a tree is built;
* uses the safe loader (no Python objects; no aliases, so no "billion
  laughs");
* takes only words (strings) as keys, and refuses duplicate keys, which
  plain PyYAML silently overwrites (a note would be lost without a word);
* returns :class:`LineDict`/:class:`LineList`, which remember where each key
  and item stood, so that every later error can name its line, as an editor
  counts lines (``\n`` only: the intake refuses the other separators YAML
  would count), also inside folded and quoted text (:func:`text_line`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ..base.errors import EditionError


class LineDict(dict):
    """A mapping that knows the line of itself, of each key and of each value."""

    line: int = 0
    key_lines: dict
    value_lines: dict
    #: Keys whose values are block scalars (``|``/``>``): their text starts a line later.
    block_keys: set
    #: Key -> the file line of each line of its text, for texts whose lines are
    #: not the file's one to one (see :func:`text_line`).
    line_maps: dict


class LineList(list):
    line: int = 0
    item_lines: list
    line_maps: dict  # index -> as LineDict.line_maps


#: libyaml's parser when PyYAML has it (the wheels do): several times faster
#: than the pure-Python one, with the same marks. The constructor stays Python.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


#: How deep mappings and lists may nest. The annotation files need 4 levels;
#: a deeper file is a mistake or an attack (1,000 levels of ``[`` overflowed
#: the Python constructor, 100,000 crashed libyaml's composer).
MAX_DEPTH = 16

_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _screen_events(text: str) -> None:
    """Refuse aliases and nesting deeper than :data:`MAX_DEPTH` on the event
    stream, before any tree is built; stops at the first offence, so a deep
    file costs no more than its first :data:`MAX_DEPTH` levels."""
    depth = 0
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, _OPEN):
            depth += 1
            if depth > MAX_DEPTH:
                raise EditionError(
                    f"mappings and lists nest more than {MAX_DEPTH} deep here; the annotation files "
                    "need at most 4 levels: check the brackets and the indentation",
                    None,
                    event.start_mark.line + 1,
                )
        elif isinstance(event, _CLOSE):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            raise EditionError(
                "YAML aliases (*name) are not allowed in annotation files; write the value out",
                None,
                event.start_mark.line + 1,
            )


def _align_lines(value: str, source: str, start: int, end: int, first_line: int) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Where the text of a scalar written at *source[start:end]* stands in the
    file, for styles that do not keep lines one to one (folded, quoted, plain
    over several lines): for each line of *value*, (column, file line) at each
    column where the file line changes.

    Walks the value and the source together: each visible character of the
    value is the next occurrence of that character in the source (folding and
    indentation only remove whitespace)."""
    lines: list[list[tuple[int, int]]] = [[]]
    at, line, column = start, first_line, 0
    for char in value:
        if char == "\n":
            lines.append([])
            column = 0
            continue
        column += 1
        if char.isspace():
            continue
        # Nearby only: an escape (\x41) is written differently in the source.
        found = source.find(char, at, min(end, at + 64))
        if found < 0:
            continue
        line += source.count("\n", at, found)
        at = found + 1
        if not lines[-1] or lines[-1][-1][1] != line:
            lines[-1].append((column - 1, line))
    known = first_line
    for breaks in lines:  # a line with nothing visible stands where the last one ended
        if not breaks:
            breaks.append((0, known))
        known = breaks[-1][1]
    return tuple(tuple(breaks) for breaks in lines)


class _Loader(_SafeLoader):
    def __init__(self, stream: str):
        super().__init__(stream)
        self.source = stream  # libyaml's marks carry no buffer

    def _line_map(self, node: yaml.Node, value: Any) -> tuple | None:
        """Where the lines of a scalar's value stand in the file, if not one to one."""
        if not isinstance(node, ScalarNode) or node.style == "|" or not isinstance(value, str):
            return None
        if node.start_mark.line == node.end_mark.line:
            return None
        start, line = node.start_mark.index, node.start_mark.line + 1
        if node.style == ">":  # the text starts on the line below the indicator
            start, line = self.source.find("\n", start) + 1, line + 1
        return _align_lines(value, self.source, start, node.end_mark.index, line)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> LineDict:
        if not isinstance(node, MappingNode):  # pragma: no cover - PyYAML guards this
            raise yaml.constructor.ConstructorError(None, None, "expected a mapping", node.start_mark)
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines, mapping.value_lines, mapping.block_keys = {}, {}, set()
        mapping.line_maps = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise EditionError("a key must be a plain word", None, key_node.start_mark.line + 1)
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise EditionError(
                    f"a key must be a word, not {type(key).__name__.replace('int', 'a number')} "
                    f"({key_node.value[:40]!r}); keys are words such as 'id' or 'body'",
                    None,
                    key_node.start_mark.line + 1,
                )
            if key in mapping:
                raise EditionError(
                    f"key {key[:60]!r} appears twice in the same entry (first on line "
                    f"{mapping.key_lines[key]}); keep one",
                    None,
                    key_node.start_mark.line + 1,
                )
            value = mapping[key] = self.construct_object(value_node, deep=True)
            mapping.key_lines[key] = key_node.start_mark.line + 1
            mapping.value_lines[key] = value_node.start_mark.line + 1
            if isinstance(value_node, ScalarNode) and value_node.style in ("|", ">"):
                mapping.block_keys.add(key)
            line_map = self._line_map(value_node, value)
            if line_map:
                mapping.line_maps[key] = line_map
        return mapping

    def construct_sequence(self, node: SequenceNode, deep: bool = False) -> LineList:
        items = LineList(self.construct_object(child, deep=True) for child in node.value)
        items.line = node.start_mark.line + 1
        items.item_lines = [child.start_mark.line + 1 for child in node.value]
        items.line_maps = {}
        for index, child in enumerate(node.value):
            line_map = self._line_map(child, items[index])
            if line_map:
                items.line_maps[index] = line_map
        return items


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)


def parse_yaml(text: str, path: str) -> Any:
    """Parse the decoded *text* of one annotation file (see :mod:`.intake`,
    which reads and screens it); raise :class:`EditionError` with file and line."""
    try:
        _screen_events(text)
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except EditionError as exc:
        raise EditionError(exc.message, path, exc.line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "malformed YAML"
        context = f" ({exc.context})" if exc.context else ""
        raise EditionError(
            f"broken YAML: {problem}{context}; check indentation and quoting on this line",
            path,
            # An error at the end of the stream may be marked past the last line.
            min(mark.line + 1, text.count("\n") + 1) if mark else 1,
        ) from None
    except yaml.YAMLError as exc:
        raise EditionError(f"broken YAML: {exc}", path, 1) from None


def line_of(data: Any, path: Iterable[Any]) -> int | None:
    """The line of the deepest known element on *path* (keys and indices) in *data*."""
    line = getattr(data, "line", None)
    node = data
    for step in path:
        if isinstance(node, LineDict) and step in node:
            line = node.key_lines.get(step, line)
            node = node[step]
        elif isinstance(node, LineList) and isinstance(step, int) and step < len(node):
            line = node.item_lines[step]
            node = node[step]
        else:
            break
    return line


def text_start_line(mapping: LineDict, key: str) -> int:
    """First line of the text of *mapping[key]* (block scalars start below their key)."""
    return mapping.value_lines[key] + (1 if key in mapping.block_keys else 0)


def text_line(container: LineDict | LineList, key: Any, offset: int, column: int = 0) -> int:
    """The file line of line *offset* (0-based), at *column*, of the text at
    *container[key]*, as an editor counts lines, whatever the scalar's style."""
    line_map = getattr(container, "line_maps", {}).get(key)
    if line_map:
        breaks = line_map[min(offset, len(line_map) - 1)]
        return next((line for start, line in reversed(breaks) if start <= column), breaks[0][1])
    if isinstance(container, LineList):
        return container.item_lines[key] + offset
    return text_start_line(container, key) + offset
