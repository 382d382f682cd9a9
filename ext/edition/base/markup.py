"""The safe Markdown subset of contributed prose (note bodies, sources).

Contributed text is untrusted. Rather than parse it with the full MyST
parser (which runs directives such as ``{include}`` or ``{raw}`` while
parsing) and clean up afterwards, it is tokenised with markdown-it, checked
against an allow-list of token types, and only then turned into docutils
nodes by the small renderer below, which knows nothing else. Whatever is not
on the list is an error naming the line and what to write instead; nothing is
dropped silently.

Allowed: paragraphs, *emphasis*, **strong**, ``code``, line breaks, links
with http/https targets, and the edition's roles (:data:`ROLES`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from docutils import nodes
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.myst_role import myst_role_plugin

MAX_NESTING = 8
ALLOWED_SCHEMES = ("http", "https")

#: The edition's roles in contributed prose: {term}`nep`, {person}`trotsky`,
#: {work}`revolution-betrayed`, each also as {role}`text <id>`. Declared here,
#: so whatever imports this module checks them alike.
ROLES = ("term", "person", "work")
_ROLE_TARGET = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)


def split_role(content: str) -> tuple[str, str]:
    """``text <target>`` or ``target`` → (text, target)."""
    match = _ROLE_TARGET.match(content.strip())
    if match and match.group("text"):
        return match.group("text"), match.group("target").strip()
    return content.strip(), content.strip()


def _plain_role(name: str) -> Callable[[str], nodes.Node]:
    def render(content: str) -> nodes.Node:
        text = split_role(content)[0]
        return nodes.inline(text, text, classes=["edition-term", f"edition-{name}-role"])

    return render


#: Role name -> function building the node for the role's content: its text,
#: outside Sphinx (the W3C export's bodies); the Sphinx extension puts
#: cross-references in their place when it is set up (edition.sphinxext.transforms.roles).
ROLE_RENDERERS: dict[str, Callable[[str], nodes.Node]] = {name: _plain_role(name) for name in ROLES}

_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)

_BLOCK_HINTS = {
    "html_block": "raw HTML is not allowed; write plain text with Markdown emphasis and links",
    "code_block": "indented text becomes a code block, which is not allowed; remove the indentation",
    "heading_open": "headings are not allowed in a note; use **strong** text",
    "bullet_list_open": "lists are not allowed in a note; write sentences or separate paragraphs",
    "ordered_list_open": "lists are not allowed in a note; write sentences or separate paragraphs",
    "blockquote_open": "block quotes are not allowed in a note; quote inline with quotation marks",
    "hr": "horizontal rules are not allowed in a note",
    "table_open": "tables are not allowed in a note",
}
_INLINE_HINTS = {
    "html_inline": "inline HTML is not allowed; use *emphasis*, **strong** or [text](https://…)",
    "image": "images are not allowed in a note",
}
_INLINE_ALLOWED = {
    "text", "softbreak", "hardbreak", "em_open", "em_close", "strong_open", "strong_close",
    "code_inline", "link_open", "link_close", "myst_role",
}


@dataclass(frozen=True)
class MarkupProblem:
    line_offset: int  # 0-based line within the checked text
    message: str
    column: int = 0  # where on that line (0-based), when known


def _child_positions(token: Token, first_line: int) -> list[tuple[int, int]]:
    """(line, column) in the checked text where each inline child of *token*
    starts, found by walking the paragraph's own source (``token.content``):
    markdown-it gives inline tokens no positions, and a paragraph of folded
    YAML text is one long line whose words stand on several lines of the file."""
    content, cursor, positions = token.content, 0, []
    for child in token.children or ():
        probe = child.content or child.markup or {"link_open": "[", "link_close": "]", "softbreak": "\n"}.get(
            child.type, "")
        if child.type == "myst_role":
            probe = "{" + child.meta.get("name", "") + "}"
        at = content.find(probe, cursor) if probe else -1
        if at < 0:
            at = cursor
        else:
            cursor = at + len(probe)
        positions.append((first_line + content.count("\n", 0, at), at - (content.rfind("\n", 0, at) + 1)))
    return positions


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": 100})
    md.use(myst_role_plugin)
    # Accept every link target here so that a rejected scheme is reported,
    # not left behind as literal text.
    md.validateLink = lambda url: True
    return md


_MD = _parser()


@lru_cache(maxsize=1 << 13)
def _tokens(text: str) -> tuple[Token, ...]:
    """The parse of *text*, shared by the markup check, the roles and the
    rendering: a full build loads every note before reading, then renders it.
    (Tokens are only read; the cache holds the notes of a few hundred texts.)"""
    return tuple(_MD.parse(text))


def _line(token: Token, default: int) -> int:
    return token.map[0] if token.map else default


def _visible(text: str) -> bool:
    """True if *text* has a character that shows once rendered (not a space,
    a zero-width or other format character, a control)."""
    return any(unicodedata.category(char)[0] not in "ZC" for char in text)


def _shows_something(tokens: tuple[Token, ...]) -> bool:
    """Whether the rendered text has anything visible: entities (``&#8203;``,
    ``&nbsp;``) are decoded by now, and a link reference definition alone
    renders nothing."""
    for token in tokens:
        for child in token.children or ():
            if child.type in ("text", "code_inline") and _visible(child.content):
                return True
            if child.type == "myst_role" and _visible(child.content):
                return True
    return False


_ROLE_NAME_AT_END = re.compile(r"\{[\w-]+\}\Z")
_ROLE_OPENING = re.compile(r"\{([\w-]+)\}\Z")


def unclosed_backtick(text: str) -> MarkupProblem | None:
    """A backtick that is never closed, as one problem saying so, or None.

    Markdown leaves an unmatched backtick as a literal character, and pairs
    the others differently from what the writer meant: an unclosed
    {person}`trotsky takes the next role's opening backtick as its end, and
    what follows reads as raw HTML (`` <id>` ``) or as a role target a hundred
    characters long. So this is looked for first, and reported alone."""
    if not any(child.type == "text" and "`" in child.content
               for token in _tokens(text) if token.type == "inline" for child in token.children or ()):
        return None
    ticks = [m.start() for m in re.finditer(r"(?<!`)`(?!`)", text)]  # single backticks (``code`` aside)
    unclosed = ticks[-1] if ticks else text.index("`")
    for opening, closing in zip(ticks[::2], ticks[1::2]):
        if _ROLE_NAME_AT_END.search(text, opening + 1, closing) and "\n\n" not in text[opening:closing]:
            unclosed = opening  # it swallowed the next role's name: the writer's pair ended before
            break
    line = text.count("\n", 0, unclosed)
    column = unclosed - (text.rfind("\n", 0, unclosed) + 1)
    role = _ROLE_OPENING.search(text, 0, unclosed)
    shown = text[unclosed : unclosed + 30].split("\n")[0]
    what = f"the backtick after {{{role.group(1)}}}" if role else "a backtick"
    example = f"{{{role.group(1)}}}`id`" if role else "`code`"
    return MarkupProblem(line, f"{what} is never closed ({shown!r}); close it with a second backtick, "
                         f"as in {example}", column)


def check_markup(text: str) -> list[MarkupProblem]:
    """Everything in *text* that is outside the safe subset."""
    problems: list[MarkupProblem] = []
    if not text.strip():
        return [MarkupProblem(0, "the text is empty; write the note or remove it")]
    unclosed = unclosed_backtick(text)
    if unclosed is not None:
        return [unclosed]
    for match in _TEMPLATE.finditer(text):
        problems.append(
            MarkupProblem(
                text.count("\n", 0, match.start()),
                f"template syntax {match.group()[:30]!r} is not allowed: nothing is evaluated at "
                "build time; remove the braces",
            )
        )
    line = 0
    for token in _tokens(text):
        line = _line(token, line)
        if token.type == "fence":
            info = token.info.strip()
            what = f"directive {info.split()[0]}" if info.startswith("{") else "code blocks"
            problems.append(
                MarkupProblem(line, f"{what} not allowed in a note; notes may not run or include anything")
            )
        elif token.type in _BLOCK_HINTS:
            problems.append(MarkupProblem(line, _BLOCK_HINTS[token.type]))
        elif token.type == "inline":
            problems += _check_inline(token, line)
        elif token.type not in ("paragraph_open", "paragraph_close") and not token.type.endswith("_close"):
            problems.append(MarkupProblem(line, f"{token.type.replace('_open', '')} is not allowed in a note"))
    if not problems and not _shows_something(_tokens(text)):
        problems.append(
            MarkupProblem(0, "the text shows nothing once rendered (only spaces, invisible characters "
                          "or link definitions); write the text or remove it")
        )
    # Report each construct once (a list, for example, opens several tokens).
    seen, unique = set(), []
    for problem in problems:
        if problem.message not in seen:
            seen.add(problem.message)
            unique.append(problem)
    return unique


def _check_inline(token: Token, first_line: int) -> list[MarkupProblem]:
    problems = []
    depth = 0
    in_link = False
    for child, (line, column) in zip(token.children or (), _child_positions(token, first_line)):
        problems_before = len(problems)
        if child.type in _INLINE_HINTS:
            problems.append(MarkupProblem(line, _INLINE_HINTS[child.type]))
        elif child.type not in _INLINE_ALLOWED:
            problems.append(MarkupProblem(line, f"{child.type} is not allowed in a note"))
        elif child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            scheme = urlsplit(href).scheme.lower()
            if scheme not in ALLOWED_SCHEMES:
                problems.append(
                    MarkupProblem(
                        line,
                        f"link target {href[:60]!r} is not allowed; links must be full http:// or "
                        "https:// addresses",
                    )
                )
        elif child.type == "myst_role":
            name = child.meta.get("name", "")
            if in_link:
                problems.append(
                    MarkupProblem(line, f"the role {{{name}}} is inside the text of a link: a link cannot "
                                  "hold another link; move the role out of the [link text]")
                )
            elif name not in ROLES:
                allowed = ", ".join(sorted(ROLES))
                problems.append(
                    MarkupProblem(line, f"unknown role {{{name}}}; roles allowed in notes: {allowed}")
                )
        if child.type in ("link_open", "link_close"):
            in_link = child.type == "link_open"
        if child.type.endswith("_open"):
            depth += 1
            if depth > MAX_NESTING:
                problems.append(
                    MarkupProblem(line, f"markup nested more than {MAX_NESTING} deep; simplify it")
                )
                break
        elif child.type.endswith("_close"):
            depth -= 1
        problems[problems_before:] = [MarkupProblem(p.line_offset, p.message, column) for p in problems[problems_before:]]
    return problems


def roles_in(text: str) -> list[tuple[str, str, int, int]]:
    """(role name, content, line offset, column) of every role in *text*;
    none while a backtick is unclosed (they would be misread: check_markup
    reports that instead)."""
    if unclosed_backtick(text) is not None:
        return []
    found, line = [], 0
    for token in _tokens(text):
        line = _line(token, line)
        if token.type == "inline":
            for child, (offset, column) in zip(token.children or (), _child_positions(token, line)):
                if child.type == "myst_role":
                    found.append((child.meta.get("name", ""), child.content, offset, column))
    return found


# --- rendering (only ever called on text that passed check_markup) ---------------


def render_blocks(text: str) -> list[nodes.Element]:
    """Paragraph nodes for checked *text*."""
    paragraphs = []
    for token in _tokens(text):
        if token.type == "inline":
            paragraph = nodes.paragraph()
            paragraph.extend(_render_inline(token.children or []))
            paragraphs.append(paragraph)
    return paragraphs


def render_inline(text: str) -> list[nodes.Node]:
    """Inline nodes for checked one-paragraph *text* (several paragraphs are joined)."""
    result: list[nodes.Node] = []
    for paragraph in render_blocks(text):
        if result:
            result.append(nodes.Text(" "))
        result.extend(paragraph.children)
    return result


def _render_inline(children: list[Token]) -> list[nodes.Node]:
    root = nodes.inline()
    stack: list[nodes.Element] = [root]
    for child in children:
        top = stack[-1]
        if child.type == "text":
            top += nodes.Text(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            top += nodes.Text(" " if child.type == "softbreak" else "\n")
        elif child.type == "code_inline":
            top += nodes.literal(child.content, child.content)
        elif child.type == "myst_role":
            top += ROLE_RENDERERS[child.meta["name"]](child.content)
        elif child.type in ("em_open", "strong_open", "link_open"):
            if child.type == "link_open":
                node = nodes.reference("", "", refuri=str(child.attrs["href"]))
            else:
                node = nodes.emphasis() if child.type == "em_open" else nodes.strong()
            top += node
            stack.append(node)
        elif child.type.endswith("_close"):
            stack.pop()
    return list(root.children)


def render_sources(sources) -> nodes.paragraph:
    """"Source: …" / "Sources: a. b." as a paragraph of the note or entry."""
    paragraph = nodes.paragraph(classes=["edition-sources"])
    label = "Sources: " if len(sources) > 1 else "Source: "
    paragraph += nodes.emphasis(label, label)
    for index, source in enumerate(sources):
        if index:
            # Bibliographic lines usually end with a full stop already.
            paragraph += nodes.Text(" " if sources[index - 1].rstrip().endswith(".") else "; ")
        paragraph.extend(render_inline(source))
    return paragraph
