"""``edition import-annotations FILE``: W3C Web Annotations → note entries.

The case to serve is a Hypothesis export of a group's annotations on the
edition's pages, in W3C form or as the Hypothesis API returns them. Each
annotation is taken or refused on its own, with a reason:

* its target must be one of the texts' pages on the edition's own site;
* it must carry a TextQuoteSelector whose passage occurs in the text; when
  the passage occurs more than once, the position, ¶ and prefix/suffix of the
  annotation choose, and the note keeps only what it needs to be unique
  (``paragraph``, then the shortest prefix and/or suffix);
* its body goes through the same checks as any contribution (safe Markdown
  subset, the notes schema, roles naming existing entries).

The accepted notes are appended to the text's notes file. Before anything is
written, the new files are checked with the rest of the annotations as
``edition check`` would; each file is then replaced atomically.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..anchoring.text_quotes import Anchor, Placement, locate, normalise_text, occurrences
from ..base.errors import EditionError, printable
from ..base.files import write_atomically
from ..base.markup import check_markup
from ..checking.check import check_project
from ..intake.gate import UNSAFE_CHARACTER, describe, is_id
from ..intake.validation import schema
from ..model.annotations import notes_file_start, validate_schema
from ..reading.contract import ReadingText
from ..reading.page_text import PageText, page_text
from ..reading.texts import TextDocument
from .jsonld_forms import UnreadableForm, in_anno_form, is_other_form
from .w3c import ANCHOR_KEY, FOLDER, KINDS, SOURCES_KEY, Site, check_page, page_key

#: An export larger than this is not a group's annotations on a few pages.
MAX_FILE_BYTES = 20 * 1024 * 1024
_REFERENCES_KEYS = (SOURCES_KEY, "http://purl.org/dc/terms/references", "references")


@dataclass(frozen=True)
class Refusal:
    index: int  # 1-based position in the file
    label: str  # the annotation's id, if it has one
    reason: str

    def __str__(self) -> str:
        label = f" ({self.label})" if self.label else ""
        return printable(f"annotation {self.index}{label}: {self.reason}")


@dataclass
class ImportReport:
    accepted: int = 0
    refused: list[Refusal] = field(default_factory=list)
    written: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Candidate:
    index: int
    label: str
    text_id: str
    entry: dict  # the note entry as it will be written


class Refused(Exception):
    pass


# --- reading the file -----------------------------------------------------------------------


def read_annotations(path: Path, groups: frozenset[str] = frozenset()) -> list:
    """The annotations in *path*, whatever container they come in."""
    try:
        info = path.stat()
    except OSError as exc:
        raise EditionError(f"cannot read the file: {exc.strerror}", str(path)) from None
    if not stat.S_ISREG(info.st_mode):
        raise EditionError("is not a file (a folder?); give the exported JSON file", str(path))
    if info.st_size > MAX_FILE_BYTES:
        raise EditionError(f"the file is {info.st_size} bytes; the limit is {MAX_FILE_BYTES}: split it", str(path))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise EditionError(f"cannot read the file: {exc.strerror}", str(path)) from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise EditionError("the file is not UTF-8; export it again as JSON", str(path)) from None
    except json.JSONDecodeError as exc:
        raise EditionError(f"not JSON: {exc.msg}", str(path), exc.lineno) from None
    except RecursionError:
        raise EditionError("the JSON is nested too deeply", str(path)) from None
    return list(_unpack(data, str(path), groups))


def _types(value: dict) -> set[str]:
    kind = value.get("type", value.get("@type", ()))
    return {kind} if isinstance(kind, str) else {k for k in kind if isinstance(k, str)} if isinstance(kind, list) else set()


def _unpack(data, path: str, groups: frozenset[str] = frozenset()) -> Iterable:
    if isinstance(data, list):
        yield from (_from_hypothesis(item, groups) for item in data)
    elif isinstance(data, dict) and "rows" in data and isinstance(data["rows"], list):
        yield from (_from_hypothesis(row, groups) for row in data["rows"])  # the Hypothesis search API
    elif isinstance(data, dict) and isinstance(data.get("annotations"), list) and not _types(data):
        yield from (_from_hypothesis(row, groups) for row in data["annotations"])  # the Hypothesis client's export
    elif isinstance(data, dict) and "AnnotationCollection" in _types(data):
        yield from _collection_items(data, path)
    elif isinstance(data, dict) and "AnnotationPage" in _types(data):
        yield from _pages_items(data, path)  # with any "next" pages it names
    elif isinstance(data, dict):
        yield data
    else:
        raise EditionError("expected an annotation, a list of them, an AnnotationPage or AnnotationCollection", path)


def _collection_items(data: dict, path: str) -> list:
    """Every annotation of every page of a collection, or an error naming the pages the
    file does not hold: importing part of a collection without a word is worse than none."""
    if data.get("first") is None:
        if data.get("total") not in (None, 0):
            raise EditionError(f"the collection says it holds {data.get('total')} annotations but has no 'first' page", path)
        return []
    return _pages_items(data["first"], path)


def _pages_items(page, path: str) -> list:
    """The items of *page* and of every page after it (``next``), all of which the file must hold."""
    items: list = []
    seen: set[int] = set()
    while page is not None:
        if isinstance(page, str):
            raise EditionError(
                f"the collection's page {printable(page[:120])} is not in the file (only referenced); "
                "export the collection with its pages embedded; nothing was imported", path,
            )
        if not isinstance(page, dict) or not isinstance(page.get("items", []), list):
            raise EditionError("a page of the collection is not an AnnotationPage with a list of items", path)
        if id(page) in seen or len(seen) >= 10_000:
            raise EditionError("the collection's pages run in a circle", path)
        seen.add(id(page))
        items += page.get("items", [])
        page = page.get("next")
    return items


@dataclass(frozen=True)
class Withheld:
    """An annotation the file holds but the public may not see."""

    label: str
    reason: str


#: Hypothesis: readable by anyone.
PUBLIC = "group:__world__"


def _from_hypothesis(row, groups: frozenset[str] = frozenset()) -> object:
    """A row of the Hypothesis API (its own JSON, not W3C) in W3C terms, or why it is
    withheld: moderated, flagged or not public (a group's annotations only when the
    editor names the group: publishing them is the editor's decision, not the file's)."""
    if not isinstance(row, dict) or "type" in row or "text" not in row:
        return row
    links = row.get("links") if isinstance(row.get("links"), dict) else {}
    label = next((v for v in (links.get("html"), row.get("id")) if isinstance(v, str)), "")
    status = str(row.get("moderation_status") or "").upper()
    if row.get("hidden") is True or status == "DENIED":
        return Withheld(label, "it was hidden by a moderator (moderation): it is not published")
    if status == "PENDING":
        return Withheld(label, "it awaits moderation: import it once a moderator has approved it")
    if row.get("flagged") is True:
        return Withheld(label, "it is flagged for moderation: settle the flag before importing it")
    permissions = row.get("permissions")
    if permissions is not None:
        read = permissions.get("read") if isinstance(permissions, dict) else None
        readers = [r for r in read if isinstance(r, str)] if isinstance(read, list) else []
        if PUBLIC not in readers and not set(readers) & {f"group:{g}" for g in groups}:
            if not readers or all(r.startswith("acct:") for r in readers):
                return Withheld(label, "it is private (only its author may read it): not published")
            shown = ", ".join(readers[:3])
            return Withheld(
                label, f"it is readable only by {shown}, not by the public; if that group's "
                "annotations may be published, name it with --group",
            )
    creator = (row.get("user_info") or {}).get("display_name") if isinstance(row.get("user_info"), dict) else None
    return {
        "id": row.get("links", {}).get("html") if isinstance(row.get("links"), dict) else row.get("id"),
        "type": "Annotation",
        "motivation": "replying" if row.get("references") else "commenting",
        "body": {"type": "TextualBody", "format": "text/markdown", "value": row.get("text", "")},
        "creator": creator or row.get("user"),
        "target": row.get("target"),
    }


# --- one annotation -------------------------------------------------------------------------


def _as_list(value) -> list:
    return value if isinstance(value, list) else [] if value is None else [value]


def _target(annotation: dict, pages: dict, site: Site) -> tuple[TextDocument, list[dict]]:
    targets = _as_list(annotation.get("target"))
    if not targets:
        raise Refused("it has no target")
    base = page_key(site.base)
    for target in targets:
        source = target if isinstance(target, str) else target.get("source") if isinstance(target, dict) else None
        if isinstance(source, dict):
            source = source.get("id")
        if not isinstance(source, str):
            continue
        key = page_key(source)
        if key in pages:
            selectors = _as_list(target.get("selector")) if isinstance(target, dict) else []
            return pages[key], [s for s in selectors if isinstance(s, dict)]
        if key is None or base is None or key[0] != base[0] or not (key[1] + "/").startswith(base[1] + "/"):
            raise Refused(f"it targets another site ({source[:100]}); only the edition's pages ({site.base}…) are taken")
        raise Refused(f"it targets {source[:100]}, which is not one of the texts' pages")
    raise Refused("its target names no page")


def _quote(selectors: list[dict]) -> dict:
    for selector in selectors:
        if selector.get("type") == "TextQuoteSelector" and isinstance(selector.get("exact"), str):
            return selector
        refined = selector.get("refinedBy")
        if isinstance(refined, dict) and refined.get("type") == "TextQuoteSelector" and isinstance(refined.get("exact"), str):
            return refined
    raise Refused("it has no TextQuoteSelector (a page note or a reply): a note must be anchored to a passage")


def _position(selectors: list[dict]) -> tuple[int, int] | None:
    for selector in selectors:
        if selector.get("type") == "TextPositionSelector":
            start, end = selector.get("start"), selector.get("end")
            if type(start) is int and type(end) is int and 0 <= start <= end:
                return start, end
    return None


def _paragraph(selectors: list[dict]) -> int | None:
    for selector in selectors:
        value = selector.get("value")
        if selector.get("type") == "FragmentSelector" and isinstance(value, str):
            match = re.fullmatch(r"p-([1-9][0-9]{0,5})", value)
            if match:
                return int(match.group(1))
    return None


# What an older page of the edition held as text and a selection made there may
# carry: note markers ("[3]", "[T2]", runs of them joined by commas), "[sic]" and
# the pilcrow of heading permalinks. They are generated content now, never text.
_APPARATUS = re.compile(r"\[(?:T?[0-9]{1,3}|sic)\](?:,(?=\[(?:T?[0-9]{1,3}|sic)\]))?|\u00b6")
# A marker cut by the 32 characters of context: "…[3" at the end of a suffix, "2]…" at
# the start of a prefix.
_CUT_AT_PREFIX_START = re.compile(r"^(?:T?[0-9]{0,3}|s?i?c)\]")
_CUT_AT_SUFFIX_END = re.compile(r"\[(?:T?[0-9]{0,3}|s|si|sic)$")
_MARKER_TEXT = re.compile(r"T?[0-9]{1,3}|sic")


def _without_apparatus(text: str) -> str:
    return _APPARATUS.sub("", text)


@dataclass(frozen=True)
class Quote:
    """A TextQuoteSelector as matching needs it: *exact* trimmed (the spaces go to the context)."""

    exact: str
    prefix: str
    suffix: str

    @classmethod
    def of(cls, selector: dict) -> Quote:
        raw = selector["exact"]
        prefix, suffix = selector.get("prefix"), selector.get("suffix")
        prefix = prefix if isinstance(prefix, str) else ""
        suffix = suffix if isinstance(suffix, str) else ""
        exact = raw.strip()
        if exact:
            lead = raw[: len(raw) - len(raw.lstrip())]
            trail = raw[len(raw.rstrip()) :]
            prefix, suffix = prefix + lead, trail + suffix
        return cls(exact, prefix, suffix)

    def without_apparatus(self) -> Quote:
        prefix = _without_apparatus(_CUT_AT_PREFIX_START.sub("", self.prefix))
        suffix = _without_apparatus(_CUT_AT_SUFFIX_END.sub("", self.suffix))
        return Quote(_without_apparatus(self.exact).strip(), prefix, suffix)


def _agreement(placement: Placement, quote: Quote, reading: ReadingText) -> int | None:
    """How many characters of context agree with the text around *placement*, or None
    if any contradicts it. Context reaching past the paragraph is not compared: between
    blocks the page holds headings and apparatus the reading text does not."""
    block = reading.blocks[placement.block]
    return _context_agrees(block.text[: placement.start], block.text[placement.end :], quote)


def _context_agrees(before: str, after: str, quote: Quote) -> int | None:
    """:func:`_agreement` for a passage with *before* and *after* it in its block."""
    before, after = normalise_text(before), normalise_text(after)
    prefix, suffix = normalise_text(quote.prefix), normalise_text(quote.suffix)
    if len(prefix) <= len(before):
        ok_before = before.endswith(prefix)
    else:  # the selection starts near the paragraph's start: its rest must be what precedes
        ok_before = prefix.endswith(before) and (not before or prefix[: len(prefix) - len(before)][-1:].isspace()
                                                  or not prefix[: len(prefix) - len(before)])
    if len(suffix) <= len(after):
        ok_after = after.startswith(suffix)
    else:
        rest = suffix[len(after) :]
        ok_after = suffix.startswith(after) and (not after or not rest or rest[:1].isspace())
    if not (ok_before and ok_after):
        return None
    return min(len(prefix), len(before)) + min(len(suffix), len(after))


_HEADING = "it selects words of a heading; headings carry no notes: select words in a paragraph"


def _where(reading: ReadingText, placement: Placement) -> str:
    return reading.blocks[placement.block].label


def _on_heading(quote: Quote, document: TextDocument | None) -> bool:
    """True if the quote, with its context, reads in one of the text's headings."""
    if document is None:
        return False
    for attempt in (quote, quote.without_apparatus()):
        exact = attempt.exact
        for block in document.blocks:
            if block.kind != "heading" or not exact:
                continue
            at = block.text.find(exact)
            while at >= 0:
                if _context_agrees(block.text[:at], block.text[at + len(exact) :], attempt) is not None:
                    return True
                at = block.text.find(exact, at + 1)
    return False


def _unplaceable(quote: Quote, reading: ReadingText, document: TextDocument | None) -> str:
    """Why a quote that occurs in no paragraph cannot be placed."""
    exact = normalise_text(_without_apparatus(quote.exact)).strip()
    if "\n" in _without_apparatus(quote.exact).strip():
        parts = [p for p in re.split(r"\n\s*", _without_apparatus(quote.exact).strip()) if p.strip()]
        return (
            f"its passage spans {len(parts)} paragraphs or lines; a note is anchored to words "
            "within one paragraph: select them there"
        )
    if document is not None:
        for block in document.blocks:
            if block.kind == "heading" and exact and exact in normalise_text(block.text):
                return _HEADING
    problem = locate(Anchor(quote.exact), reading.blocks)
    return f"it does not anchor: {getattr(problem, 'message', 'no passage reads it')}"


def _place(selector: dict, selectors: list[dict], reading: ReadingText, document: TextDocument | None = None,
           page: PageText | None = None) -> Placement:
    quote = Quote.of(selector)
    if not normalise_text(quote.exact).strip():
        raise Refused("its quoted passage is empty")
    tries = [quote]
    cleaned = quote.without_apparatus()
    if cleaned != quote and cleaned.exact:
        tries.append(cleaned)
    found: list[Placement] = []
    for attempt in tries:
        found = occurrences(Anchor(attempt.exact), reading.blocks)
        if not found:
            continue
        scored = [(score, p) for p in found if (score := _agreement(p, attempt, reading)) is not None]
        if scored:
            return _choose(scored, attempt, selector, selectors, reading, page)
    # "32" between "[" and "]": a double-click on an older page's note marker.
    if _MARKER_TEXT.fullmatch(quote.exact) and quote.prefix.endswith("[") and quote.suffix.startswith("]"):
        raise Refused(
            f"it selects the note marker [{quote.exact}], not words of the text: select the words the note is about"
        )
    if found and _on_heading(quote, document):  # the words occur in the text too, but not with this context
        raise Refused(_HEADING)
    if found:
        listed = ", ".join(dict.fromkeys(_where(reading, p) for p in found[:6]))
        context = " and ".join(
            f"{name} {value!r}" for name, value in (("prefix", quote.prefix[-40:]), ("suffix", quote.suffix[:40])) if value
        )
        raise Refused(
            f"its passage {quote.exact[:60]!r} occurs ({listed}) but never with its {context}: the text "
            "there differs from what the annotation was made on"
        )
    if not cleaned.exact:
        raise Refused("it selects only apparatus (note markers, [sic], ¶), not words of the text")
    raise Refused(_unplaceable(quote, reading, document))


def _choose(scored: list[tuple[int, Placement]], quote: Quote, selector: dict, selectors: list[dict],
            reading: ReadingText, page: PageText | None) -> Placement:
    """One of the occurrences the context agrees with: the only one; else the one at the
    annotation's position (if the published page reads the quote and its context there);
    else the one in its ¶; else the one whose context agrees furthest."""
    if len(scored) == 1:
        return scored[0][1]
    found = [p for _, p in scored]
    position = _position(selectors)
    if position is not None and page is not None:
        at = [p for p in found if _page_reads(page, p, position, selector)]
        if len(at) == 1:
            return at[0]
    paragraph = _paragraph(selectors)
    if paragraph is not None:
        at = [p for p in found if reading.blocks[p.block].number == paragraph]
        if len(at) == 1:
            return at[0]
    best = max(score for score, _ in scored)
    winners = [p for score, p in scored if score == best]
    if best > 0 and len(winners) == 1:
        return winners[0]
    listed = ", ".join(_where(reading, p) for p in found[:6])
    raise Refused(
        f"its passage {quote.exact[:60]!r} occurs {len(found)} times ({listed}) and its prefix/suffix "
        "do not say which"
    )


def _page_reads(page: PageText, placement: Placement, position: tuple[int, int], selector: dict) -> bool:
    """True if the selector's position is *placement* on the published page, and the page
    reads the selector's exact, prefix and suffix there: only then is a position evidence."""
    start, end = position
    block_start = page.blocks[placement.block][0]
    raw = selector["exact"]
    lead = len(raw) - len(raw.lstrip())
    trail = len(raw) - len(raw.rstrip())
    if (start + lead, end - trail) != (block_start + placement.start, block_start + placement.end):
        return False
    if page.text[start:end] != raw:
        return False
    prefix, suffix = selector.get("prefix") or "", selector.get("suffix") or ""
    return page.text[:start].endswith(prefix) and page.text[end:].startswith(suffix)


def minimal_anchor(placement: Placement, reading: ReadingText) -> dict:
    """The shortest anchor that places a note exactly at *placement*."""
    block = reading.blocks[placement.block]
    exact = block.text[placement.start : placement.end]
    tries = [{}]
    if block.number is not None:
        tries.append({"paragraph": block.number})
    for extra in tries:
        if locate(Anchor(exact, paragraph=extra.get("paragraph")), reading.blocks) == placement:
            return {"exact": exact, **extra}
    before, after = block.text[: placement.start], block.text[placement.end :]
    for paragraph in dict.fromkeys((None, block.number)):
        # The notes schema allows 200 characters of context.
        for size in range(1, min(max(len(before), len(after)), 200) + 1):
            prefix = _word_start(before, size)
            suffix = _word_end(after, size)
            for option in ({"prefix": prefix}, {"suffix": suffix}, {"prefix": prefix, "suffix": suffix}):
                if any(not (v and v.strip()) for v in option.values()):
                    continue
                anchor = Anchor(exact, option.get("prefix"), option.get("suffix"), paragraph)
                if locate(anchor, reading.blocks) == placement:
                    result = {"exact": exact, **option}
                    return {**result, "paragraph": paragraph} if paragraph is not None else result
    raise Refused("its passage cannot be told apart from another with the same words around it")


def declared_anchor(annotation: dict, placement: Placement, reading: ReadingText) -> dict | None:
    """The anchor as the edition's own export words it (:data:`~edition.formats.w3c.ANCHOR_KEY`),
    if it is well formed and places the note exactly where the quote did; else None.
    A hint that can only shorten or lengthen the anchor's wording, never move the note."""
    declared = annotation.get(ANCHOR_KEY)
    if not isinstance(declared, dict) or not isinstance(declared.get("exact"), str):
        return None
    if set(declared) - {"exact", "prefix", "suffix", "paragraph"}:
        return None
    if any(not isinstance(declared.get(k, ""), str) for k in ("prefix", "suffix")):
        return None
    paragraph = declared.get("paragraph")
    if paragraph is not None and type(paragraph) is not int:
        return None
    anchor = Anchor(declared["exact"], declared.get("prefix"), declared.get("suffix"), paragraph)
    if locate(anchor, reading.blocks) != placement:
        return None
    return {k: declared[k] for k in ("exact", "prefix", "suffix", "paragraph") if k in declared}


def _word_start(before: str, size: int) -> str:
    """The last *size* characters of *before*, widened to the start of a word."""
    start = max(0, len(before) - size)
    while start > 0 and not before[start - 1].isspace():
        start -= 1
    return before[start:]


def _word_end(after: str, size: int) -> str:
    end = min(len(after), size)
    while end < len(after) and not after[end].isspace():
        end += 1
    return after[:end]


def _body(annotation: dict) -> str:
    """The text of the textual body: Markdown first, then plain text, then anything textual."""
    bodies = []
    for body in _as_list(annotation.get("body")) or _as_list(annotation.get("bodyValue")):
        if isinstance(body, str):
            if "bodyValue" in annotation:
                bodies.append(("text/plain", body, None))
            else:
                raise Refused("its body is a link to another resource, not text")
        elif isinstance(body, dict):
            items = _as_list(body.get("items")) if _types(body) & {"Choice", "Composite", "List", "Independents"} else [body]
            for item in items:
                if isinstance(item, dict) and isinstance(item.get("value"), str):
                    if item.get("purpose") in ("tagging", "replying"):
                        continue
                    language = item.get("language")
                    language = language[0] if isinstance(language, list) and language else language
                    language = language if isinstance(language, str) else None
                    bodies.append((str(item.get("format") or "text/plain"), item["value"], language))
    preference = {"text/markdown": 0, "text/plain": 1}
    # The apparatus is in English: an English body before any other language, then Markdown.
    bodies.sort(key=lambda b: (b[2] not in ("en", None) and not str(b[2]).lower().startswith("en-"),
                               preference.get(b[0], 2)))
    if not bodies or not bodies[0][1].strip():
        raise Refused("it has no textual body (a highlight without a note?)")
    return bodies[0][1]


def _creator(annotation: dict) -> str | None:
    names = []
    for creator in _as_list(annotation.get("creator")):
        if isinstance(creator, dict):
            name = creator.get("name") or creator.get("nickname")
            if isinstance(name, list):
                name = name[0] if name else None
        else:
            name = creator
        if isinstance(name, str) and name.strip():
            name = name.strip()
            match = re.fullmatch(r"acct:([^@\s]+)@\S+", name)  # Hypothesis: acct:user@hypothes.is
            names.append(match.group(1) if match else name)
    return ", ".join(names) or None


def _kind(annotation: dict) -> str:
    for motivation in _as_list(annotation.get("motivation")):
        if motivation == "replying":
            raise Refused("it is a reply to another annotation, not a note on the text")
        if motivation in KINDS:
            return KINDS[motivation]
    return "editorial"


def _annotation_id(annotation: dict) -> str:
    ident = annotation.get("id", annotation.get("@id"))
    return ident if isinstance(ident, str) else ""


def _note_id(annotation: dict, pages: dict, body: str, quote: dict, document: TextDocument) -> str:
    """The edition's own note id when the annotation is one of the edition's notes
    exported (``<one of its pages>#note-<id>``); else one derived from the annotation's
    id (a re-export of an edited annotation keeps it), or from what it says and where."""
    ident = _annotation_id(annotation)
    if ident:
        address, _, fragment = ident.partition("#note-")
        if fragment and is_id(fragment) and pages.get(page_key(address)) is document:
            return fragment
        seed = ident
    else:
        seed = "\n".join((document.text_id, str(quote.get("exact")), str(quote.get("prefix")),
                          str(quote.get("suffix")), body))
    return f"annotation-{hashlib.sha256(seed.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}"


def _provenance(annotation: dict, entry_id: str, pages: dict, document: TextDocument) -> str | None:
    """Where the note comes from: for the edition's own note exported, what it recorded
    (``via``); for any other annotation, its own address."""
    ident = _annotation_id(annotation)
    own = ident.partition("#note-")[2] == entry_id and pages.get(page_key(ident.partition("#")[0])) is document
    value = annotation.get("via") if own else ident
    if isinstance(value, list):
        value = value[0] if len(value) == 1 else None
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, str) and re.fullmatch(r"https?://\S+", value) and len(value) <= 1000:
        return value
    return None


def _sources(annotation: dict) -> list[str]:
    for key in _REFERENCES_KEYS:
        if key in annotation:
            values = _as_list(annotation[key])
            if not all(isinstance(v, str) for v in values):
                raise Refused(f"its {key} must be text")
            return list(values)
    return []


def candidate(index: int, annotation, pages: dict, readings: dict, site: Site, used: set[str],
              html_pages: dict | None = None) -> Candidate:
    if isinstance(annotation, Withheld):
        raise Refused(annotation.reason)
    if not isinstance(annotation, dict):
        raise Refused("it is not an annotation object")
    if is_other_form(annotation):
        try:
            annotation = in_anno_form(annotation)
        except UnreadableForm as exc:
            raise Refused(str(exc)) from None
        # The edition's own anchor term, as the W3C context alone compacts it: an IRI and a JSON literal.
        literal = annotation.pop(f"{site.base}{FOLDER}/terms#anchor", None)
        if isinstance(literal, dict) and "@value" in literal:
            annotation[ANCHOR_KEY] = literal["@value"]
    if "Annotation" not in _types(annotation):
        raise Refused("its type is not Annotation")
    document, selectors = _target(annotation, pages, site)
    reading = readings[document.text_id]
    kind = _kind(annotation)
    quote = _quote(selectors)
    page = html_pages.get(document.text_id) if html_pages else None
    placement = _place(quote, selectors, reading, document, page)
    limit = schema("notes")["$defs"]["anchor"]["properties"]["exact"]["maxLength"]
    length = placement.end - placement.start
    if length > limit:
        whole = length == len(reading.blocks[placement.block].text)
        raise Refused(
            f"its passage is {length} characters{' (the whole of ' + reading.blocks[placement.block].label + ')' if whole else ''}; "
            f"a note's passage is at most {limit}: select the words the note is about"
        )
    body = _body(annotation)
    anchor = declared_anchor(annotation, placement, reading) or minimal_anchor(placement, reading)
    entry: dict = {"id": _note_id(annotation, pages, body, quote, document), "kind": kind, "anchor": anchor}
    entry["body"] = body
    sources = _sources(annotation)
    if sources:
        entry["sources"] = sources
    contributor = _creator(annotation)
    if contributor:
        entry["contributor"] = contributor
    provenance = _provenance(annotation, entry["id"], pages, document)
    if provenance:
        entry["provenance"] = provenance
    problems = [f"body: {p.message}" for p in check_markup(entry["body"])]
    problems += [f"sources: {p.message}" for s in sources for p in check_markup(s)]
    # What the intake gate refuses in a notes file, refused here for this annotation
    # alone (checked in the new file, one such annotation would hide the next).
    for name, value in (("body", body), ("contributor", contributor or ""), ("id", provenance or ""),
                        *(("sources", s) for s in sources)):
        bad = UNSAFE_CHARACTER.search(value)
        if bad:
            problems.append(f"its {name} holds {describe(bad.group())}; control, bidi and invisible characters are not taken")
    problems += [d.message for d in validate_schema({"text": document.text_id, "notes": [entry]}, "notes", "")]
    if problems:
        raise Refused("; ".join(dict.fromkeys(problems)))
    if entry["id"] in used:
        raise Refused(f"a note with id '{entry['id']}' exists already (imported before?)")
    return Candidate(index, _annotation_id(annotation), document.text_id, entry)


# --- writing the entries ----------------------------------------------------------------------

_NEEDS_ESCAPE = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\x85\u2028\u2029\ufeff]")


def _quoted(value: str) -> str:
    """*value* as a YAML double-quoted scalar that reads back exactly (the notes files'
    house style: CONTRIBUTING.md)."""
    text = json.dumps(value, ensure_ascii=False)
    return _NEEDS_ESCAPE.sub(lambda m: "".join(f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}" for c in m.group()), text)


_PLAIN = re.compile(r"[A-Za-z\u00c0-\uffff][\w .,'()\u00c0-\uffff-]*")


def _plain(value: str) -> str | None:
    """*value* unquoted, as editors write a name, where YAML reads it back as the same text."""
    if not _PLAIN.fullmatch(value) or value != value.strip() or _NEEDS_ESCAPE.search(value) or " #" in value:
        return None
    try:
        return value if yaml.safe_load(f"x: {value}") == {"x": value} else None
    except yaml.YAMLError:
        return None


def _block(value: str, indent: str) -> str | None:
    """*value* as a literal block scalar, if one can hold it exactly."""
    if not value.strip() or value[0] in " \t\n" or "\t" in value or "\r" in value or _NEEDS_ESCAPE.search(value):
        return None
    lines = value.rstrip("\n").split("\n")
    if any(line != line.rstrip() for line in lines):
        return None
    trailing = len(value) - len(value.rstrip("\n"))
    indicator = {0: "|-", 1: "|"}.get(trailing)
    if indicator is None:
        return None
    rendered = indicator + "\n" + "\n".join(f"{indent}{line}" if line else "" for line in lines)
    return rendered


def render_entry(entry: dict) -> str:
    lines = [f"  - id: {entry['id']}", f"    kind: {entry['kind']}", "    anchor:"]
    for key in ("exact", "prefix", "suffix"):
        if key in entry["anchor"]:
            lines.append(f"      {key}: {_quoted(entry['anchor'][key])}")
    if "paragraph" in entry["anchor"]:
        lines.append(f"      paragraph: {int(entry['anchor']['paragraph'])}")
    lines.append(f"    body: {_block(entry['body'], '      ') or _quoted(entry['body'])}")
    if entry.get("sources"):
        lines.append("    sources:")
        lines += [f"      - {_quoted(s)}" for s in entry["sources"]]
    if entry.get("contributor"):
        lines.append(f"    contributor: {_plain(entry['contributor']) or _quoted(entry['contributor'])}")
    if entry.get("provenance"):
        lines.append(f"    provenance: {_quoted(entry['provenance'])}")
    rendered = "\n".join(lines) + "\n"
    if yaml.safe_load("notes:\n" + rendered)["notes"][0] != entry:  # pragma: no cover - guarded by construction
        raise Refused("its text cannot be written to YAML exactly; please report this")
    return rendered


def _new_file(text_id: str) -> str:
    return notes_file_start(text_id) + "\n"


def _appended(path: Path, text_id: str, entries: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The file with *entries* appended, and the line range of each."""
    current = path.read_text(encoding="utf-8") if path.exists() else _new_file(text_id)
    if re.search(r"^notes:\s*\[\s*\]\s*$", current, re.M):
        current = re.sub(r"^notes:\s*\[\s*\]\s*$", "notes:", current, count=1, flags=re.M)
    if not current.endswith("\n"):
        current += "\n"
    # The first entry directly under "notes:", the others after a blank line, as editors write them.
    separator = "" if re.search(r"^notes:[ \t]*\n\s*\Z", current, re.M) else "\n"
    ranges, line = [], current.count("\n") + 1
    for entry in entries:
        current += separator + entry
        first = line + len(separator)
        ranges.append((first, first + entry.count("\n") - 1))
        line = first + entry.count("\n")
        separator = "\n"
    return current, ranges


def _built_pages(html: Path, texts, site: Site, readings: dict) -> dict:
    """Each text's published page (``edition export --html`` reads the same): positions
    are checked there, never against a reading text of our own."""
    found = {}
    for text in texts:
        built = html / f"{text.docname}{site.suffix}"
        try:
            found[text.text_id] = page_text(built.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise EditionError(
                f"no built page for {text.docname} ({getattr(exc, 'strerror', None) or exc}); build the HTML "
                f"edition (make html) into {html}, or leave out --html", str(built)
            ) from None
        check_page(readings[text.text_id], found[text.text_id], str(built))
    return found


def import_annotations(file: Path, docs: Path, annotations: Path, base: str, dry_run: bool = False,
                       html: Path | None = None, groups: frozenset[str] = frozenset()) -> ImportReport:
    before = check_project(docs, annotations)
    if before.errors:
        raise EditionError(
            f"the annotation files have {len(before.errors)} error(s) already, first: "
            f"{before.errors[0].format()}; fix them (`edition check`) before importing"
        )
    site = Site(base)
    pages = {page_key(site.page(t.docname)): t for t in before.texts}
    readings = {t.text_id: ReadingText.of(t) for t in before.texts}
    html_pages = _built_pages(html, before.texts, site, readings) if html is not None else None
    used = {n.id for n in before.notes}
    report = ImportReport()
    accepted: list[Candidate] = []
    for index, annotation in enumerate(read_annotations(file, groups), 1):
        label = _annotation_id(annotation) if isinstance(annotation, dict) else getattr(annotation, "label", "")
        try:
            found = candidate(index, annotation, pages, readings, site, used, html_pages)
        except Refused as exc:
            report.refused.append(Refusal(index, label[:120], str(exc)))
            continue
        except RecursionError:
            report.refused.append(Refusal(index, label[:120], "it is nested too deeply to read"))
            continue
        except Exception as exc:  # a bug of ours: one line naming the annotation, not a traceback
            report.refused.append(Refusal(
                index, label[:120], f"it could not be read ({type(exc).__name__}: {str(exc)[:120]}); "
                "please report this with the annotation"))
            continue
        used.add(found.entry["id"])
        accepted.append(found)

    # Check the new files with everything else, as `edition check` would; refuse
    # the entries any error points into, and check again without them.
    notes_dir = annotations / "notes"
    for _ in range(len(accepted) + 1):
        contents, owners = _render_files(accepted, notes_dir)
        # Nothing accepted, nothing written: the files are as `before` found them, free of errors.
        problems = _problems_with(contents, docs, annotations, owners, before.texts) if contents else []
        if not problems:
            break
        for cand, message in problems:
            report.refused.append(Refusal(cand.index, cand.label[:120], message))
        refused = {id(c) for c, _ in problems}
        accepted = [c for c in accepted if id(c) not in refused]
    else:  # pragma: no cover - every round refuses at least one entry
        raise EditionError("the imported notes could not be checked; nothing was written")

    report.refused.sort(key=lambda r: r.index)
    report.accepted = len(accepted)
    for path, content in contents.items():
        count = sum(1 for c in accepted if notes_dir / f"{c.text_id}.yaml" == path)
        report.written[str(path)] = count
        if not dry_run:
            write_atomically(path, content)
    return report


def _render_files(accepted: list[Candidate], notes_dir: Path):
    contents: dict[Path, str] = {}
    owners: dict[tuple[Path, int], Candidate] = {}
    by_text: dict[str, list[Candidate]] = {}
    for cand in accepted:
        by_text.setdefault(cand.text_id, []).append(cand)
    for text_id, cands in by_text.items():
        path = notes_dir / f"{text_id}.yaml"
        content, ranges = _appended(path, text_id, [render_entry(c.entry) for c in cands])
        contents[path] = content
        for cand, (first, last) in zip(cands, ranges):
            for line in range(first, last + 1):
                owners[(path, line)] = cand
    return contents, owners


def _problems_with(contents: dict[Path, str], docs: Path, annotations: Path, owners, texts) -> list[tuple[Candidate, str]]:
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "annotations"
        shutil.copytree(annotations, copy)
        renamed = {}
        for path, content in contents.items():
            target = copy / "notes" / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
            renamed[str(target)] = path
        result = check_project(docs, copy, texts)
    found, seen = [], set()
    for diagnostic in result.errors:
        path = renamed.get(diagnostic.path)
        owner = owners.get((path, diagnostic.line)) if path else None
        if owner is None:
            raise EditionError(f"the imported notes break the annotation files: {diagnostic.message}; nothing was written")
        if id(owner) not in seen:
            seen.add(id(owner))
            found.append((owner, diagnostic.message))
    return found
