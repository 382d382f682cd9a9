"""An :class:`~edition.review.apparatus_diff.ApparatusDiff` as a reviewer reads it: Markdown or JSON.

The Markdown goes into a pull request's job summary, where GitHub renders it:
everything that comes from the project (note bodies, passages, headwords,
forms, file names) is escaped, so no contributed text can add a link, an
image, HTML or a heading of its own. A note's body is shown rendered, from the
same safe subset the build renders (:mod:`edition.base.markup`): emphasis, strong,
code and http(s) links, and each role as the words it shows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from docutils import nodes

from .apparatus_diff import (CONTEXT, ApparatusDiff, Citation, EntryChange, NoteChange, NoteState, Passage, TextChange,
                             field_label)
from ..base.markup import render_blocks
from ..intake.gate import describe

# The roles are registered by the modules that define them; a body that names
# them must render here as in the build.
from ..model import glossary as _glossary, registers as _registers  # noqa: F401

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
#: Characters that would hide or reorder what a reviewer sees, or break a line.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def escape(text: str) -> str:
    """*text* as literal Markdown: every ASCII punctuation mark backslash-escaped
    (CommonMark allows it for each), invisible characters named, lines joined."""
    text = _INVISIBLE.sub(lambda m: f"⟨{describe(m.group())}⟩" if m.group() not in "\n\t" else " ", text)
    return _PUNCTUATION.sub(r"\\\1", text).replace("\n", " ")


def _code(text: str) -> str:
    """A code span that holds *text* whatever backticks it contains."""
    text = _INVISIBLE.sub(lambda m: f"⟨{describe(m.group())}⟩", text).replace("\n", " ")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}"


def _url(url: str) -> str:
    """A link target that cannot end the link early or open HTML."""
    return re.sub(r"[\s()<>\\\[\]`\"']", lambda m: "%{:02X}".format(ord(m.group())), url)


def _inline(node: nodes.Node) -> str:
    if isinstance(node, nodes.Text):
        return escape(str(node))
    if isinstance(node, nodes.literal):
        return _code(node.astext())
    inner = "".join(_inline(child) for child in node.children)
    if isinstance(node, nodes.emphasis):
        return f"*{inner}*"
    if isinstance(node, nodes.strong):
        return f"**{inner}**"
    if isinstance(node, nodes.reference) and str(node.get("refuri", "")).startswith(("http://", "https://")):
        return f"[{inner}]({_url(node['refuri'])})"
    return inner  # a role: the words it shows


def rendered(markup: str) -> list[str]:
    """Checked note markup as Markdown paragraphs."""
    return ["".join(_inline(child) for child in paragraph.children) for paragraph in render_blocks(markup)]


def rendered_text(markup: str) -> str:
    """Checked note markup as the plain words a reader sees."""
    return "\n\n".join(paragraph.astext() for paragraph in render_blocks(markup))


# --- Markdown ---------------------------------------------------------------------------


def _where(passage: Passage | None) -> str:
    if passage is None:
        return "not anchored"
    return f"{escape(passage.text_title)} ({_code(passage.text_id)}), {passage.label}"


def _passage(passage: Passage | None) -> list[str]:
    if passage is None:
        return []
    before = ("…" if len(passage.before) >= CONTEXT else "") + escape(passage.before)
    after = escape(passage.after) + ("…" if len(passage.after) >= CONTEXT else "")
    return [f"> {before}**{escape(passage.exact)}**{after}", ""]


def _note(state: NoteState, heading: str) -> list[str]:
    lines = [f"#### {heading}", "", f"{escape(state.kind)} note on {_where(state.passage)}", ""]
    lines += _passage(state.passage)
    for paragraph in rendered(state.body):
        lines += [paragraph, ""]
    return lines + _sources(state.sources)


def _sources(sources: tuple[str, ...]) -> list[str]:
    if not sources:
        return []
    label = "Sources" if len(sources) > 1 else "Source"
    return [f"*{label}:* " + " ".join(" ".join(rendered(s)) for s in sources), ""]


def _note_change(change: NoteChange) -> list[str]:
    if change.change == "added":
        return _note(change.new, f"{_code(change.id)} added")
    if change.change == "removed":
        return _note(change.old, f"{_code(change.id)} removed")
    if change.change == "renamed":
        return [f"#### {_code(change.old_id)} renamed {_code(change.id)}", "",
                f"Same note, on {_where(change.new.passage)}; links to `#note-{change.old_id}` no longer reach it.", ""]
    old, new = change.old, change.new
    heading = "moved" if change.change == "moved" else f"changed: {', '.join(change.fields)}"
    lines = [f"#### {_code(change.id)} {heading}", ""]
    if "anchor" in change.fields:
        lines += [f"From {_where(old.passage)}:", ""] + _passage(old.passage)
        lines += [f"to {_where(new.passage)}:", ""] + _passage(new.passage)
        if change.change == "moved":
            return lines
    else:
        lines += [f"{escape(new.kind)} note on {_where(new.passage)}", ""] + _passage(new.passage)
    for paragraph in rendered(new.body):
        lines += [paragraph, ""]
    lines += _sources(new.sources)
    if "body" in change.fields:
        lines += ["<details><summary>Body before</summary>", ""]
        for paragraph in rendered(old.body):
            lines += [paragraph, ""]
        lines += ["</details>", ""]
    if "sources" in change.fields:
        lines += ["<details><summary>Sources before</summary>", ""] + (_sources(old.sources) or ["None.", ""])
        lines += ["</details>", ""]
    if "kind" in change.fields:
        lines += [f"Kind was {escape(old.kind)}, is {escape(new.kind)}.", ""]
    return lines


def _forms(forms: Iterable[tuple[str, str]]) -> str:
    return ", ".join(f"{escape(form)} ({escape(lang)})" for lang, form in forms)


def _citations(citations: Iterable[Citation]) -> str:
    return ", ".join(f"“{escape(c.exact)}” in {f'¶{c.paragraph} of ' if c.paragraph else ''}{_code(c.text_id)}"
                     for c in citations)


def _entry_change(change: EntryChange) -> list[str]:
    state = change.new or change.old
    title = f"{escape(state.title)} ({_code(change.id)}, {change.register})"
    if change.change == "renamed":
        return [f"- {escape(state.title)}: id {_code(change.old_id)} renamed {_code(change.id)} ({change.register})"]
    line = f"- {title} {change.change}"
    if change.change == "changed":
        line += ": " + ", ".join(map(field_label, change.fields))
    lines = [line]
    if change.forms_added:
        lines.append(f"  - forms added: {_forms(change.forms_added)}")
    if change.forms_dropped:
        lines.append(f"  - forms dropped: {_forms(change.forms_dropped)}")
    if change.citations_added:
        lines.append(f"  - citations added: {_citations(change.citations_added)}")
    if change.citations_dropped:
        lines.append(f"  - citations dropped: {_citations(change.citations_dropped)}")
    return lines


def _text_change(change: TextChange) -> str:
    title = f"{escape(change.title)} ({_code(change.text_id)}, {escape(change.lang)})"
    if change.change == "added":
        return f"- {title} added: {_count(range(change.paragraphs_after), 'paragraph')}"
    if change.change == "removed":
        return f"- {title} removed"
    return (f"- {title} re-imported: {_count(range(change.paragraphs_before), 'paragraph')} before, "
            f"{change.paragraphs_after} now")


def _count(changes, what: str) -> str:
    return f"{len(changes)} {what}{'s' * (len(changes) != 1)}"


def markdown(diff: ApparatusDiff) -> str:
    lines = [f"## Apparatus changes from {escape(diff.base)} to {escape(diff.head)}", ""]
    if diff.empty:
        return "\n".join(lines + ["No note, register or glossary entry, or text changed.", ""])
    lines += [f"{_count(diff.notes, 'note')}, {_count(diff.entries, 'register entry')}, "
              f"{_count(diff.texts, 'text')} changed.".replace("entrys", "entries"), ""]
    if diff.texts:
        lines += ["### Texts", ""] + [_text_change(c) for c in diff.texts] + [""]
    if diff.notes:
        lines += ["### Notes", ""]
        for change in diff.notes:
            lines += _note_change(change)
    if diff.entries:
        lines += ["### Glossary and registers", ""] + [line for c in diff.entries for line in _entry_change(c)] + [""]
    return "\n".join(lines)


def to_json(diff: ApparatusDiff) -> str:
    data = diff.to_json()
    for change in data["notes"]:
        for side in ("old", "new"):
            if change[side]:
                change[side]["body_text"] = rendered_text(change[side]["body"])
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
