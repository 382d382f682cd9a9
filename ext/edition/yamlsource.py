"""Load contributed YAML safely, keeping the line of every key and item.

Contributors' files are untrusted and mistakes are expected, so loading:

* decodes strictly as UTF-8 (a BOM and CRLF line ends are fine) and names the
  line of an undecodable byte;
* uses the safe loader (no Python objects) and refuses aliases (no
  "billion laughs");
* refuses duplicate keys, which plain PyYAML silently overwrites (a note
  would be lost without a word);
* returns :class:`LineDict`/:class:`LineList`, which remember where each key
  and item stood, so that every later error can name its line.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .errors import EditionError


class LineDict(dict):
    """A mapping that knows the line of itself, of each key and of each value."""

    line: int = 0
    key_lines: dict
    value_lines: dict
    #: Keys whose values are block scalars (``|``/``>``): their text starts a line later.
    block_keys: set


class LineList(list):
    line: int = 0
    item_lines: list


#: libyaml's parser when PyYAML has it (the wheels do): several times faster
#: than the pure-Python one, with the same marks. The constructor stays Python.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _refuse_aliases(text: str) -> None:
    """Raise at the first alias. (libyaml composes nodes in C, so this cannot
    hook compose_node; an alias needs a '*', so most files are never scanned.)"""
    if "*" not in text:
        return
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise EditionError(
                "YAML aliases (*name) are not allowed in annotation files; write the value out",
                None,
                event.start_mark.line + 1,
            )


class _Loader(_SafeLoader):
    def construct_mapping(self, node: MappingNode, deep: bool = False) -> LineDict:
        if not isinstance(node, MappingNode):  # pragma: no cover - PyYAML guards this
            raise yaml.constructor.ConstructorError(None, None, "expected a mapping", node.start_mark)
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines, mapping.value_lines, mapping.block_keys = {}, {}, set()
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise EditionError("a key must be a plain word", None, key_node.start_mark.line + 1) from None
            if key in mapping:
                raise EditionError(
                    f"key '{key}' appears twice in the same entry (first on line "
                    f"{mapping.key_lines[key]}); keep one",
                    None,
                    key_node.start_mark.line + 1,
                )
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.key_lines[key] = key_node.start_mark.line + 1
            mapping.value_lines[key] = value_node.start_mark.line + 1
            if isinstance(value_node, ScalarNode) and value_node.style in ("|", ">"):
                mapping.block_keys.add(key)
        return mapping

    def construct_sequence(self, node: SequenceNode, deep: bool = False) -> LineList:
        items = LineList(self.construct_object(child, deep=True) for child in node.value)
        items.line = node.start_mark.line + 1
        items.item_lines = [child.start_mark.line + 1 for child in node.value]
        return items


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)


def decode(data: bytes, path: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EditionError(
            f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded; save the file as UTF-8",
            path,
            data.count(b"\n", 0, exc.start) + 1,
        ) from None
    return text.removeprefix("\ufeff")


def load_yaml(path: Path, data: bytes | None = None) -> Any:
    """Load one annotation file (or *data*, its bytes, when already read);
    raise :class:`EditionError` with file and line."""
    text = decode(path.read_bytes() if data is None else data, str(path))
    try:
        _refuse_aliases(text)
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except EditionError as exc:
        raise EditionError(exc.message, str(path), exc.line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "malformed YAML"
        context = f" ({exc.context})" if exc.context else ""
        raise EditionError(
            f"broken YAML: {problem}{context}; check indentation and quoting on this line",
            str(path),
            mark.line + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise EditionError(f"broken YAML: {exc}", str(path)) from None


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
