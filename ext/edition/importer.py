"""Turn a raw scraped text into a MyST document that reproduces it verbatim.

Data flows one way:

    raw bytes --decode--> lines --analyse--> RawText (header + typed blocks)
              --render--> MyST source --verify--> written atomically

The raw texts put one paragraph on one line. Structure is recognised from
typography alone, so the importer works on texts it has never seen:

* a header ends with a bracketed issue line (``[스파르타시스트 56호, 2001년 봄]``);
  the line before it is the title, a short line before that (after the plain
  issue line) the subtitle, and everything above is site chrome, kept as
  provenance in front matter and left out of the reading text;
* a short line without closing punctuation is a section heading;
* a line that opens with a quotation mark and is followed by an attribution
  line (``- 트로츠키, "…" 날짜 (모음집)``, with or without the dash) is a
  quotation; so is a run of lines opening with a quotation mark after a line
  ending in a colon, up to the line that closes the quotation marks;
* everything else is a paragraph.

Nothing in a line is ever changed: only whitespace at the ends of a line is
dropped (Markdown cannot keep it). Before writing, the generated document is
parsed back and every block compared with its source line; any difference is
an error, so a half-right document is never written.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml

from .errors import EditionError
from .texts import TEXT_ID_KEY, parse_myst, reading_blocks

# --- decoding ------------------------------------------------------------------

_NEWLINE = re.compile(r"\r\n|\r|\n")
# C0/C1 controls other than tab and the newlines split on above.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def decode_raw(data: bytes, path: str) -> list[str]:
    """Decode a raw text into lines (BOM dropped, any newline convention)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EditionError(
            f"not UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start} cannot be decoded; "
            "convert the file to UTF-8 (e.g. iconv -f CP949 -t UTF-8) and import again",
            path,
            data.count(b"\n", 0, exc.start) + 1,
        ) from None
    text = text.removeprefix("\ufeff")
    lines = _NEWLINE.split(text)
    for number, line in enumerate(lines, 1):
        bad = _CONTROL.search(line)
        if bad:
            raise EditionError(
                f"control character U+{ord(bad.group()):04X} in the text; this does not look "
                "like a plain text file (remove the character or check the file)",
                path,
                number,
            )
    if not any(_clean(line) for line in lines):
        raise EditionError("the file is empty: there is no text to import", path)
    return lines


def _clean(line: str) -> str:
    # str.strip() also removes NBSP and the other Unicode spaces, which is what
    # scraped "empty" lines (a lone NBSP) need.
    return line.strip()


# --- analysis --------------------------------------------------------------------

BlockKind = Literal["heading", "paragraph", "quote", "attribution"]


@dataclass
class Block:
    kind: BlockKind
    lines: list[str]  # several for a quotation of several paragraphs
    line_numbers: list[int]
    attribution: str | None = None
    attribution_line: int | None = None


@dataclass
class RawText:
    navigation: list[str] = field(default_factory=list)
    title: str | None = None
    subtitle: str | None = None
    issue_line: str | None = None
    blocks: list[Block] = field(default_factory=list)


OPENING_QUOTES = "\"“„«‘'"
_TERMINAL = tuple(".!?:;,…。")
HEADING_MAX = 60
ATTRIBUTION_MAX = 250
# "- 레닌, "…"", "트로츠키, "…"", "-트로츠키, …": a dash, or a short name and a
# comma followed by a quoted title.
_ATTRIBUTION = re.compile(r"^(?:[-–—]|[^\s,\"“«]{1,30}(?: [^\s,\"“«]{1,30}){0,3}, ?[\"“«])")
_BRACKETED = re.compile(r"^\[(.+)\]$")


def analyse(lines: list[str], path: str) -> RawText:
    numbered = [(n, _clean(line)) for n, line in enumerate(lines, 1) if _clean(line)]
    raw = RawText()
    body = _split_header(numbered, raw)
    raw.blocks = _classify(body)
    if not any(b.kind in ("paragraph", "quote") for b in raw.blocks):
        raise EditionError(
            "no recognisable structure: no line reads as running text (every line is short "
            "and unpunctuated, so it would be a heading); check that this is the right file",
            path,
        )
    return raw


def _split_header(numbered: list[tuple[int, str]], raw: RawText) -> list[tuple[int, str]]:
    """Find the title block; return the body lines after it."""
    for index, (_, text) in enumerate(numbered[:25]):
        match = _BRACKETED.match(text)
        if not (match and re.search(r"\d", match.group(1))) or index == 0:
            continue
        issue = match.group(1)
        raw.issue_line = text
        raw.title = numbered[index - 1][1]
        head = [t for _, t in numbered[: index - 1]]
        # A subtitle is only recognised between the plain issue line and the title.
        if issue in head:
            after_issue = head[head.index(issue) + 1 :]
            if len(after_issue) == 1 and len(after_issue[0]) <= HEADING_MAX:
                raw.subtitle = after_issue[0]
                head = head[: head.index(issue) + 1]
        raw.navigation = head
        return numbered[index + 1 :]
    return numbered


def _opens_quote(text: str) -> bool:
    return text[:1] in OPENING_QUOTES


def _is_attribution(text: str) -> bool:
    return len(text) <= ATTRIBUTION_MAX and bool(_ATTRIBUTION.match(text))


def _is_heading(text: str) -> bool:
    return len(text) <= HEADING_MAX and not text.endswith(_TERMINAL)


def _is_open(lines: list[str]) -> bool:
    """Do *lines*, read as one passage, leave a quotation mark open?

    Directional marks («», “”) are counted as pairs; straight double quotes
    cannot be told apart, so an odd number of them counts as open."""
    joined = "".join(lines)
    count = joined.count
    depth = count("«") - count("»") + count("“") - count("”") + count("‘") - count("’")
    # German „…“ closes with the mark that opens English quotations.
    depth += count("„") - 2 * min(count("„"), count("“"))
    return depth > 0 or joined.count('"') % 2 == 1


def _quotation_end(numbered: list[tuple[int, str]], start: int) -> int:
    """Index just after the quotation that opens at *start*.

    A quotation goes on over lines that open with a quotation mark (the
    convention for quoting several paragraphs) and over lines read while its
    marks are still open; it stops before an attribution line. A quotation
    whose marks never close takes only its first line."""
    end = start + 1
    while end < len(numbered):
        text = numbered[end][1]
        if _is_attribution(text):
            break
        lines = [t for _, t in numbered[start:end]]
        if _opens_quote(text) or _is_open(lines):
            end += 1
        else:
            break
    if end == len(numbered) and _is_open([t for _, t in numbered[start:end]]):
        return start + 1
    return end


def _classify(numbered: list[tuple[int, str]]) -> list[Block]:
    blocks: list[Block] = []
    i = 0
    while i < len(numbered):
        number, text = numbered[i]
        if _opens_quote(text):
            end = _quotation_end(numbered, i)
            lines, line_numbers = [t for _, t in numbered[i:end]], [n for n, _ in numbered[i:end]]
            prev = blocks[-1] if blocks else None
            if end < len(numbered) and _is_attribution(numbered[end][1]):
                blocks.append(Block("quote", lines, line_numbers, *reversed(numbered[end])))
                i = end + 1
                continue
            if prev and prev.kind == "paragraph" and prev.lines[-1].endswith(":"):
                # Introduced by a colon, with no attribution line.
                blocks.append(Block("quote", lines, line_numbers))
                i = end
                continue
        kind = "heading" if _is_heading(text) else "paragraph"
        blocks.append(Block(kind, [text], [number]))
        i += 1
    return blocks


# --- rendering MyST ----------------------------------------------------------------

# Characters that can start Markdown/MyST inline syntax anywhere in a line.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>{}$|~&!#])")
# Characters that only mean something at the start of a line.
_LINE_START_SPECIAL = re.compile(r"^([-+=>%(:])")
_ORDERED_LIST = re.compile(r"^(\d{1,9})([.)])")


def escape_markdown(text: str) -> str:
    """Backslash-escape *text* so MyST renders exactly these characters."""
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    text = _ORDERED_LIST.sub(r"\1\\\2", text)
    return _LINE_START_SPECIAL.sub(r"\\\1", text)


def render_myst(raw: RawText, meta: dict, source_name: str) -> str:
    front = {TEXT_ID_KEY: meta["id"], "lang": meta["lang"]}
    front["title"] = raw.title or meta.get("title")
    if raw.subtitle:
        front["subtitle"] = raw.subtitle
    if raw.issue_line:
        front["issue_line"] = raw.issue_line
    for key in ("title_en", "short_title", "author", "translator", "publication", "date", "provenance"):
        if meta.get(key):
            front[key] = meta[key]
    front["source_file"] = source_name
    if raw.navigation:
        front["navigation"] = raw.navigation

    out = [
        "---",
        "# Generated by `edition import` from the raw source; do not edit by hand.",
        "# Notes and links are stand-off, in annotations/.",
        yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=100).rstrip("\n"),
        "---",
        "",
        f"# {escape_markdown(front['title'])}",
        "",
        "```{edition-text-header}",
        "```",
        "",
    ]
    for block in raw.blocks:
        if block.kind == "heading":
            out += [f"## {escape_markdown(block.lines[0])}", ""]
        elif block.kind == "paragraph":
            out += [escape_markdown(block.lines[0]), ""]
        else:
            quoted = []
            for line in block.lines:
                quoted += [f"> {escape_markdown(line)}", ">"]
            if block.attribution is not None:
                quoted += ["> ```{attribution}", f"> {block.attribution}", "> ```"]
            else:
                quoted.pop()
            out += quoted + [""]
    return "\n".join(out)


# --- verification ------------------------------------------------------------------


def expected_blocks(raw: RawText, title: str) -> list[tuple[str, str]]:
    # The subtitle and issue line live in front matter (the text header shows
    # them), so the body parse starts with the title.
    expected = [("heading", title)]
    for block in raw.blocks:
        if block.kind == "heading":
            expected.append(("heading", block.lines[0]))
        elif block.kind == "paragraph":
            expected.append(("paragraph", block.lines[0]))
        else:
            expected += [("paragraph", line) for line in block.lines]
            if block.attribution is not None:
                expected.append(("attribution", block.attribution))
    return expected


def verify(myst: str, raw: RawText, title: str, path: str) -> None:
    """Parse *myst* back and require every block to equal its source line."""
    parsed = [(b.kind, b.text) for b in reading_blocks(parse_myst(myst, path))]
    expected = expected_blocks(raw, title)
    for index, (want, got) in enumerate(zip(expected, parsed)):
        if want != got:
            raise EditionError(
                f"internal check failed: block {index + 1} would read {got[1][:60]!r} "
                f"instead of {want[1][:60]!r}; nothing was written (please report this)",
                path,
            )
    if len(parsed) != len(expected):
        raise EditionError(
            f"internal check failed: {len(parsed)} blocks parsed, {len(expected)} expected; "
            "nothing was written (please report this)",
            path,
        )


# --- the command -----------------------------------------------------------------

REQUIRED_META = ("id", "lang")


def load_meta(source: Path) -> tuple[dict, Path]:
    meta_path = source.with_name(source.stem + ".meta.yaml")
    if not meta_path.exists():
        raise EditionError(
            f"no metadata file {meta_path.name}: create it next to the source with at least "
            "'id' (the text's stable id, e.g. trotsky-left-opposition) and 'lang' (ko, ru, …)",
            str(source),
        )
    try:
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise EditionError(
            f"metadata is not valid YAML: {getattr(exc, 'problem', exc)}",
            str(meta_path),
            mark.line + 1 if mark else None,
        ) from None
    if not isinstance(meta, dict):
        raise EditionError("metadata must be a mapping of keys to values", str(meta_path), 1)
    for key in REQUIRED_META:
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise EditionError(f"metadata needs a '{key}' (a non-empty string)", str(meta_path))
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", meta["id"]):
        raise EditionError(
            f"id {meta['id']!r} must be lower-case letters, digits and hyphens", str(meta_path)
        )
    return meta, meta_path


def import_text(source: Path) -> tuple[str, dict]:
    """Return the MyST document for *source* and its metadata; raise EditionError."""
    meta, _ = load_meta(source)
    lines = decode_raw(source.read_bytes(), str(source))
    raw = analyse(lines, str(source))
    title = raw.title or meta.get("title")
    if not title:
        raise EditionError(
            "no title: the text has no bracketed issue line to find a title block by; "
            "add 'title' to the metadata file",
            str(source),
        )
    myst = render_myst(raw, meta, source.name)
    verify(myst, raw, title, str(source))
    return myst, meta


def write_atomically(path: Path, content: str) -> None:
    """Write *content* so that *path* is never left half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
