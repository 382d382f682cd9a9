"""Turn a raw scraped text into a MyST document that reproduces it verbatim.

Data flows one way:

    raw bytes --decode--> lines --analyse--> RawText (header + typed blocks)
              --render--> MyST source --verify--> written atomically

The raw texts put one paragraph on one line. Structure is recognised from
typography alone, so the importer works on texts it has never seen:

* where the metadata gives ``begins_with`` / ``ends_with`` (the text's first
  and last lines, verbatim; several lines when one does not name one place),
  everything above and below is page furniture (site navigation, footer),
  kept as provenance in front matter and left out of the reading text;
* otherwise a header may end with a bracketed issue line
  (``[스파르타시스트 56호, 2001년 봄]``): the line before it is the title, a
  short line before that (after the plain issue line) the subtitle, and
  everything above is site navigation;
* without an issue line, the title is the metadata's ``title`` or the text's
  first line; a title equal to the first line is that line (the page's
  heading), followed by the metadata's ``subtitle`` when the next line reads
  so; a ``title`` the text does not contain is an editorial title;
* a quotation (or a line followed by a dash-led attribution line) before the
  first paragraph is the text's epigraph;
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

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml

from ..base.errors import EditionError
from ..base.files import write_atomically
from ..intake.gate import is_id
from ..model.annotations import notes_file_start
from ..reading.contract import paragraph_texts, reading_blocks
from ..reading.texts import TEXT_ID_KEY, parse_myst, split_front_matter

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
    epigraph: bool = False


@dataclass
class RawText:
    navigation: list[str] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)
    title: str | None = None
    title_line: int | None = None  # None: an editorial title, not a line of the text
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
_DASH_ATTRIBUTION = re.compile(r"^[-–—]")
_BRACKETED = re.compile(r"^\[(.+)\]$")

Numbered = list[tuple[int, str]]


def same_line(a: str, b: str) -> bool:
    """Do two lines read the same? (NFC, ends stripped: what cannot be seen.)"""
    return unicodedata.normalize("NFC", a.strip()) == unicodedata.normalize("NFC", b.strip())


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def analyse(lines: list[str], path: str, meta: dict | None = None) -> RawText:
    meta = meta or {}
    numbered = [(n, _clean(line)) for n, line in enumerate(lines, 1) if _clean(line)]
    raw = RawText()
    bounded = "begins_with" in meta or "ends_with" in meta
    numbered = _bound(numbered, meta, raw, path)
    body = numbered if bounded else _split_header(numbered, raw)
    if raw.title is None:
        body = _take_title(body, meta, raw, path)
    raw.blocks = _classify(body)
    if raw.blocks and raw.blocks[0].kind == "quote" and raw.blocks[0].attribution is not None:
        raw.blocks[0].epigraph = True
    if not any(b.kind in ("paragraph", "quote") for b in raw.blocks):
        raise EditionError(
            "no recognisable structure: no line reads as running text (every line is short "
            "and unpunctuated, so it would be a heading); check that this is the right file "
            "and that begins_with/ends_with in the metadata enclose the text",
            path,
        )
    return raw


def _find_lines(numbered: Numbered, wanted: str, key: str, path: str) -> tuple[int, int]:
    """The index range of the one place where the lines of *wanted* stand in a row."""
    want = [line for line in wanted.splitlines() if line.strip()]
    if not want:
        raise EditionError(f"metadata '{key}' is empty; give the line exactly as the source has it", path)
    places = [
        i for i in range(len(numbered) - len(want) + 1)
        if all(same_line(numbered[i + k][1], w) for k, w in enumerate(want))
    ]
    what = f"{key} {_short(want[0])!r}" + (f" (and {len(want) - 1} more line(s))" if len(want) > 1 else "")
    if not places:
        raise EditionError(
            f"{what} is not a line of the source; copy the line from the source exactly", path
        )
    if len(places) > 1:
        at = " and ".join(str(numbered[i][0]) for i in places[:2])
        neighbour = "the line after it" if key == "begins_with" else "the line before it"
        raise EditionError(
            f"{what} occurs on lines {at} of the source; add {neighbour} to {key} "
            "(a block of several lines) so that it names one place",
            path,
        )
    return places[0], places[0] + len(want)


def _bound(numbered: Numbered, meta: dict, raw: RawText, path: str) -> Numbered:
    """Cut away the page furniture outside begins_with … ends_with."""
    start, end = 0, len(numbered)
    if meta.get("begins_with") is not None:
        start = _find_lines(numbered, str(meta["begins_with"]), "begins_with", path)[0]
    if meta.get("ends_with") is not None:
        end = _find_lines(numbered, str(meta["ends_with"]), "ends_with", path)[1]
    if end <= start:
        raise EditionError(
            f"ends_with (line {numbered[end - 1][0]}) comes before begins_with (line {numbered[start][0]}) "
            "in the source; check the two lines in the metadata",
            path,
        )
    raw.navigation = [t for _, t in numbered[:start]]
    raw.footer = [t for _, t in numbered[end:]]
    return numbered[start:end]


def _take_title(body: Numbered, meta: dict, raw: RawText, path: str) -> Numbered:
    """The metadata's title, or the first line; a title the first line reads is that line."""
    title = meta.get("title")
    if title is not None and not isinstance(title, str):
        raise EditionError("metadata 'title' must be a string (one line)", path)
    if title and body and not same_line(title, body[0][1]):
        if meta.get("subtitle") is not None:
            raise EditionError(
                f"metadata 'subtitle' needs the title to be the text's first line, but 'title' "
                f"{_short(title)!r} is not the first line {_short(body[0][1])!r}; fix one or remove 'subtitle'",
                path,
            )
        raw.title = title  # an editorial title: the text does not state one
        return body
    if not body:
        raise EditionError("the page has no text between begins_with and ends_with", path)
    raw.title_line, raw.title = body[0]
    body = body[1:]
    subtitle = meta.get("subtitle")
    if subtitle is not None:
        if not (body and isinstance(subtitle, str) and same_line(subtitle, body[0][1])):
            raise EditionError(
                f"metadata 'subtitle' {_short(str(subtitle))!r} is not the line after the title "
                f"(line {raw.title_line}); copy that line exactly or remove 'subtitle'",
                path,
            )
        raw.subtitle = body[0][1]
        body = body[1:]
    return body


def _split_header(numbered: Numbered, raw: RawText) -> Numbered:
    """Find a title block ending in a bracketed issue line; return the body lines after it."""
    for index, (number, text) in enumerate(numbered[:25]):
        match = _BRACKETED.match(text)
        if not (match and re.search(r"\d", match.group(1))) or index == 0:
            continue
        issue = match.group(1)
        raw.issue_line = text
        raw.title_line, raw.title = numbered[index - 1]
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


def _is_epigraph_attribution(text: str) -> bool:
    return _is_attribution(text) and bool(_DASH_ATTRIBUTION.match(text))


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
        elif not blocks and i + 1 < len(numbered) and _is_epigraph_attribution(numbered[i + 1][1]):
            # An epigraph without quotation marks: a line, then "— Author, Work".
            blocks.append(Block("quote", [text], [number], *reversed(numbered[i + 1])))
            i += 2
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
    front["title"] = raw.title
    if raw.subtitle:
        front["subtitle"] = raw.subtitle
    if raw.issue_line:
        front["issue_line"] = raw.issue_line
    # The front matter, read by the build, the home page, the title page and citations:
    # edition-text (id), lang, title, [subtitle, issue_line], title_en, short_title, author,
    # translator, publication, date, provenance, summary, source_file, [navigation, footer].
    for key in ("title_en", "short_title", "author", "translator", "publication", "original", "date", "provenance",
                "summary"):
        if meta.get(key):
            front[key] = meta[key]
    front["source_file"] = source_name
    if raw.navigation:
        front["navigation"] = raw.navigation
    if raw.footer:
        front["footer"] = raw.footer

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
        elif block.epigraph:
            # docutils' epigraph: a block quote the reader sees as the text's motto.
            out += ["````{epigraph}"]
            for line in block.lines:
                out += [escape_markdown(line), ""]
            out += ["```{attribution}", block.attribution, "```", "````", ""]
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


def expected_blocks(raw: RawText, title: str) -> list[tuple[str, str, int | None]]:
    """(kind, text, source line) of every block the document must read."""
    # The subtitle and issue line live in front matter (the text header shows
    # them), so the body parse starts with the title.
    expected = [("heading", title, raw.title_line)]
    for block in raw.blocks:
        if block.kind in ("heading", "paragraph"):
            expected.append((block.kind, block.lines[0], block.line_numbers[0]))
        else:
            expected += [("paragraph", line, n) for line, n in zip(block.lines, block.line_numbers)]
            if block.attribution is not None:
                expected.append(("attribution", block.attribution, block.attribution_line))
    return expected


def verify(myst: str, raw: RawText, title: str, path: str) -> None:
    """Parse *myst* back and require every block to equal its source line."""
    parsed = [(b.kind, b.text) for b in reading_blocks(parse_myst(myst, path))]
    expected = expected_blocks(raw, title)
    for index, want in enumerate(expected):
        got = parsed[index] if index < len(parsed) else None
        if got != want[:2]:
            where = f"line {want[2]} of the source" if want[2] else "the title in the metadata"
            reads = f"would read {_short(got[1])!r}" if got else "would be missing"
            raise EditionError(
                f"{where} ({_short(want[1])!r}) {reads} in the edition, so nothing was written; if "
                "it is page furniture, leave it outside begins_with/ends_with in the metadata",
                path,
            )
    if len(parsed) > len(expected):
        raise EditionError(
            f"the edition would read an extra block {_short(parsed[len(expected)][1])!r} that is not a "
            "line of the source, so nothing was written; check begins_with/ends_with in the metadata",
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
    if not is_id(meta["id"]):
        raise EditionError(
            f"id {meta['id']!r} must be lower-case letters, digits and hyphens", str(meta_path)
        )
    _check_original(meta.get("original"), meta_path)
    return meta, meta_path


#: What 'original' (where a text was first published; read by citations) may say.
ORIGINAL_KEYS = ("title", "container-title", "edition", "volume", "issue", "date", "language")


def _check_original(original, meta_path: Path) -> None:
    if original is None:
        return
    if not isinstance(original, dict) or not original:
        raise EditionError(
            "'original' must be a mapping: where the text was first published, e.g. "
            "{container-title: Spartacist, issue: '56', date: Spring 2001}", str(meta_path)
        )
    for key, value in original.items():
        if key not in ORIGINAL_KEYS:
            raise EditionError(
                f"'original' has an unknown key {key!r}; use {', '.join(ORIGINAL_KEYS)}", str(meta_path)
            )
        if not isinstance(value, (str, int)) or not str(value).strip():
            raise EditionError(f"'original.{key}' must be a non-empty string", str(meta_path))


def paragraphs_of(myst: str, path: str) -> list[str]:
    """The paragraphs of a generated document, in order, as the build numbers them."""
    return paragraph_texts(parse_myst(myst, path))


def import_text(source: Path) -> tuple[str, dict]:
    """Return the MyST document for *source* and its metadata; raise EditionError."""
    meta, _ = load_meta(source)
    lines = decode_raw(source.read_bytes(), str(source))
    raw = analyse(lines, str(source), meta)
    myst = render_myst(raw, meta, source.name)
    verify(myst, raw, raw.title, str(source))
    return myst, meta


# --- what an import adds beside the document -------------------------------------

DIGESTS = "SHA256SUMS"


def check_id_free(target: Path, source: Path, meta_path: Path) -> None:
    """Refuse to overwrite a document that another source produced."""
    if not target.exists():
        return
    try:
        owner = split_front_matter(target.read_text(encoding="utf-8"), str(target))[0].get("source_file")
    except (EditionError, UnicodeDecodeError):
        owner = None
    if owner != source.name:
        raise EditionError(
            f"id {target.stem!r} is taken: {target} was imported from {owner or 'another file'}; "
            "give this text another id in its metadata",
            str(meta_path),
        )


def record_digest(source: Path) -> bool:
    """Record the source's SHA-256 in SHA256SUMS beside it; True if that changed the file."""
    sums = source.with_name(DIGESTS)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    lines = sums.read_text(encoding="ascii").splitlines() if sums.exists() else []
    recorded = {line.split(maxsplit=1)[1].lstrip("*"): line for line in lines if line.strip()}
    recorded[source.name] = f"{digest}  {source.name}"
    content = "".join(recorded[name] + "\n" for name in sorted(recorded))
    if sums.exists() and sums.read_text(encoding="ascii") == content:
        return False
    write_atomically(sums, content)
    return True


def start_notes(notes_dir: Path, text_id: str) -> Path | None:
    """Start annotations/notes/<id>.yaml for a new text; None if it exists."""
    path = notes_dir / f"{text_id}.yaml"
    if path.exists():
        return None
    write_atomically(path, notes_file_start(text_id) + " []\n")
    return path
