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
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import yaml

from .anchoring import Anchor, Placement, locate, normalise_text, occurrences
from .annotations import validate_schema
from .check import check_project
from .errors import EditionError
from .importer import write_atomically
from .markup import check_markup
from .texts import TextDocument
from .w3c import KINDS, SOURCES_KEY, ReadingText, Site

#: An export larger than this is not a group's annotations on a few pages.
MAX_FILE_BYTES = 20 * 1024 * 1024
_ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_REFERENCES_KEYS = (SOURCES_KEY, "http://purl.org/dc/terms/references", "references")


@dataclass(frozen=True)
class Refusal:
    index: int  # 1-based position in the file
    label: str  # the annotation's id, if it has one
    reason: str

    def __str__(self) -> str:
        label = f" ({self.label})" if self.label else ""
        return printable(f"annotation {self.index}{label}: {self.reason}")


def printable(text: str) -> str:
    """*text* safe for a terminal or a CI log: control and format characters (escape
    sequences, line breaks, bidi overrides) shown as escapes, never acted on."""
    return "".join(
        c if c == " " or unicodedata.category(c)[0] not in "CZ" or unicodedata.category(c) == "Zs" else f"\\u{ord(c):04x}"
        for c in text
    )


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


def read_annotations(path: Path) -> list:
    """The annotations in *path*, whatever container they come in."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise EditionError(f"cannot read the file: {exc.strerror}", str(path)) from None
    if size > MAX_FILE_BYTES:
        raise EditionError(f"the file is {size} bytes; the limit is {MAX_FILE_BYTES}: split it", str(path))
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise EditionError("the file is not UTF-8; export it again as JSON", str(path)) from None
    except json.JSONDecodeError as exc:
        raise EditionError(f"not JSON: {exc.msg}", str(path), exc.lineno) from None
    except RecursionError:
        raise EditionError("the JSON is nested too deeply", str(path)) from None
    return list(_unpack(data, str(path)))


def _types(value: dict) -> set[str]:
    kind = value.get("type", value.get("@type", ()))
    return {kind} if isinstance(kind, str) else {k for k in kind if isinstance(k, str)} if isinstance(kind, list) else set()


def _unpack(data, path: str) -> Iterable:
    if isinstance(data, list):
        yield from (_from_hypothesis(item) for item in data)
    elif isinstance(data, dict) and "rows" in data and isinstance(data["rows"], list):
        yield from (_from_hypothesis(row) for row in data["rows"])  # the Hypothesis search API
    elif isinstance(data, dict) and isinstance(data.get("annotations"), list) and not _types(data):
        yield from (_from_hypothesis(row) for row in data["annotations"])  # the Hypothesis client's export
    elif isinstance(data, dict) and "AnnotationCollection" in _types(data):
        page, seen = data.get("first"), 0
        while isinstance(page, dict) and seen < 10_000:
            yield from page.get("items", []) if isinstance(page.get("items"), list) else []
            page, seen = page.get("next"), seen + 1
    elif isinstance(data, dict) and "AnnotationPage" in _types(data):
        yield from data.get("items", []) if isinstance(data.get("items"), list) else []
    elif isinstance(data, dict):
        yield data
    else:
        raise EditionError("expected an annotation, a list of them, an AnnotationPage or AnnotationCollection", path)


def _from_hypothesis(row) -> object:
    """A row of the Hypothesis API (its own JSON, not W3C) in W3C terms."""
    if not isinstance(row, dict) or "type" in row or "text" not in row:
        return row
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


def _strip_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, "", ""))


def _target(annotation: dict, pages: dict[str, TextDocument], site: Site) -> tuple[TextDocument, list[dict]]:
    targets = _as_list(annotation.get("target"))
    if not targets:
        raise Refused("it has no target")
    for target in targets:
        source = target if isinstance(target, str) else target.get("source") if isinstance(target, dict) else None
        if isinstance(source, dict):
            source = source.get("id")
        if not isinstance(source, str):
            continue
        page = _strip_url(source)
        if page in pages:
            selectors = _as_list(target.get("selector")) if isinstance(target, dict) else []
            return pages[page], [s for s in selectors if isinstance(s, dict)]
        if not page.startswith(_strip_url(site.base)):
            raise Refused(f"it targets another site ({source[:100]}); only the edition's pages ({site.base}…) are taken")
        raise Refused(f"it targets {source[:100]}, which is not one of the texts' pages")
    raise Refused("its target names no page")


def _quote(selectors: list[dict]) -> dict:
    for selector in selectors:
        if selector.get("type") == "TextQuoteSelector" and isinstance(selector.get("exact"), str):
            return selector
    raise Refused("it has no TextQuoteSelector (a page note or a reply): a note must be anchored to a passage")


def _position(selectors: list[dict]) -> tuple[int, int] | None:
    for selector in selectors:
        if selector.get("type") == "TextPositionSelector":
            start, end = selector.get("start"), selector.get("end")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start <= end:
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


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _place(quote: dict, selectors: list[dict], reading: ReadingText) -> Placement:
    exact = quote["exact"]
    if not normalise_text(exact).strip():
        raise Refused("its quoted passage is empty")
    found = occurrences(Anchor(exact), reading.blocks)
    if not found:
        problem = locate(Anchor(exact), reading.blocks)
        raise Refused(f"it does not anchor: {getattr(problem, 'message', 'no passage reads it')}")
    if len(found) == 1:
        return found[0]
    position = _position(selectors)
    if position:
        at = [p for p in found if reading.span(p) == position]
        if len(at) == 1:
            return at[0]
    paragraph = _paragraph(selectors)
    if paragraph is not None:
        at = [p for p in found if reading.blocks[p.block].number == paragraph]
        if len(at) == 1:
            return at[0]
    prefix = normalise_text(quote.get("prefix") or "")
    suffix = normalise_text(quote.get("suffix") or "")
    scores = []
    for placement in found:
        start, end = reading.span(placement)
        before = normalise_text(reading.text[max(0, start - 4 * len(prefix) - 8) : start])
        after = normalise_text(reading.text[end : end + 4 * len(suffix) + 8])
        scores.append((_common_suffix(before, prefix) + _common_prefix(after, suffix), placement))
    best = max(score for score, _ in scores)
    winners = [p for score, p in scores if score == best]
    if best == 0 or len(winners) > 1:
        raise Refused(
            f"its passage {exact[:60]!r} occurs {len(found)} times and its prefix/suffix do not say which"
        )
    return winners[0]


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
                bodies.append(("text/plain", body))
            else:
                raise Refused("its body is a link to another resource, not text")
        elif isinstance(body, dict):
            items = _as_list(body.get("items")) if _types(body) & {"Choice", "Composite", "List", "Independents"} else [body]
            for item in items:
                if isinstance(item, dict) and isinstance(item.get("value"), str):
                    if item.get("purpose") in ("tagging", "replying"):
                        continue
                    bodies.append((str(item.get("format") or "text/plain"), item["value"]))
    preference = {"text/markdown": 0, "text/plain": 1}
    bodies.sort(key=lambda b: preference.get(b[0], 2))
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


def _note_id(annotation: dict, site: Site) -> str:
    ident = annotation.get("id")
    if isinstance(ident, str):
        base, _, fragment = ident.partition("#note-")
        if fragment and _ID_PATTERN.match(fragment) and _strip_url(base).startswith(_strip_url(site.base)):
            return fragment  # one of the edition's own notes, exported
        seed = ident
    else:
        seed = json.dumps(annotation, sort_keys=True, ensure_ascii=False)
    return f"annotation-{hashlib.sha256(seed.encode()).hexdigest()[:12]}"


def _sources(annotation: dict) -> list[str]:
    for key in _REFERENCES_KEYS:
        if key in annotation:
            values = _as_list(annotation[key])
            if not all(isinstance(v, str) for v in values):
                raise Refused(f"its {key} must be text")
            return list(values)
    return []


def candidate(index: int, annotation, pages: dict[str, TextDocument], readings: dict, site: Site, used: set[str]) -> Candidate:
    if not isinstance(annotation, dict):
        raise Refused("it is not an annotation object")
    if "Annotation" not in _types(annotation):
        raise Refused("its type is not Annotation")
    document, selectors = _target(annotation, pages, site)
    reading = readings[document.text_id]
    kind = _kind(annotation)
    placement = _place(_quote(selectors), selectors, reading)
    entry: dict = {"id": _note_id(annotation, site), "kind": kind, "anchor": minimal_anchor(placement, reading)}
    entry["body"] = _body(annotation)
    sources = _sources(annotation)
    if sources:
        entry["sources"] = sources
    contributor = _creator(annotation)
    if contributor:
        entry["contributor"] = contributor
    problems = [f"body: {p.message}" for p in check_markup(entry["body"])]
    problems += [f"sources: {p.message}" for s in sources for p in check_markup(s)]
    problems += [d.message for d in validate_schema({"text": document.text_id, "notes": [entry]}, "notes", "")]
    if problems:
        raise Refused("; ".join(dict.fromkeys(problems)))
    if entry["id"] in used:
        raise Refused(f"a note with id '{entry['id']}' exists already (imported before?)")
    return Candidate(index, annotation.get("id") if isinstance(annotation.get("id"), str) else "", document.text_id, entry)


# --- writing the entries ----------------------------------------------------------------------

_NEEDS_ESCAPE = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\x85\u2028\u2029\ufeff]")


def _quoted(value: str) -> str:
    """*value* as a YAML double-quoted scalar that reads back exactly."""
    text = json.dumps(value, ensure_ascii=False)
    return _NEEDS_ESCAPE.sub(lambda m: "".join(f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}" for c in m.group()), text)


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
        lines.append(f"    contributor: {_quoted(entry['contributor'])}")
    rendered = "\n".join(lines) + "\n"
    if yaml.safe_load("notes:\n" + rendered)["notes"][0] != entry:  # pragma: no cover - guarded by construction
        raise Refused("its text cannot be written to YAML exactly; please report this")
    return rendered


def _new_file(text_id: str) -> str:
    return (
        "# yaml-language-server: $schema=../../ext/edition/schemas/notes.schema.json\n"
        f"# Editorial notes on the text '{text_id}'. How to add one: CONTRIBUTING.md.\n"
        f"text: {text_id}\nnotes:\n"
    )


def _appended(path: Path, text_id: str, entries: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The file with *entries* appended, and the line range of each."""
    current = path.read_text(encoding="utf-8") if path.exists() else _new_file(text_id)
    if re.search(r"^notes:\s*\[\s*\]\s*$", current, re.M):
        current = re.sub(r"^notes:\s*\[\s*\]\s*$", "notes:", current, count=1, flags=re.M)
    if not current.endswith("\n"):
        current += "\n"
    ranges, line = [], current.count("\n") + 1
    for entry in entries:
        current += "\n" + entry
        ranges.append((line + 1, line + entry.count("\n")))
        line += entry.count("\n") + 1
    return current, ranges


def import_annotations(file: Path, docs: Path, annotations: Path, base: str, dry_run: bool = False) -> ImportReport:
    before = check_project(docs, annotations)
    if before.errors:
        raise EditionError(
            f"the annotation files have {len(before.errors)} error(s) already, first: "
            f"{before.errors[0].format()}; fix them (`edition check`) before importing"
        )
    site = Site(base)
    pages = {_strip_url(site.page(t.docname)): t for t in before.texts}
    readings = {t.text_id: ReadingText.of(t) for t in before.texts}
    used = {n.id for n in before.notes}
    report = ImportReport()
    accepted: list[Candidate] = []
    for index, annotation in enumerate(read_annotations(file), 1):
        label = annotation.get("id", "") if isinstance(annotation, dict) and isinstance(annotation.get("id"), str) else ""
        try:
            found = candidate(index, annotation, pages, readings, site, used)
        except Refused as exc:
            report.refused.append(Refusal(index, label[:120], str(exc)))
            continue
        used.add(found.entry["id"])
        accepted.append(found)

    # Check the new files with everything else, as `edition check` would; refuse
    # the entries any error points into, and check again without them.
    notes_dir = annotations / "notes"
    for _ in range(len(accepted) + 1):
        contents, owners = _render_files(accepted, notes_dir)
        problems = _problems_with(contents, docs, annotations, owners)
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


def _problems_with(contents: dict[Path, str], docs: Path, annotations: Path, owners) -> list[tuple[Candidate, str]]:
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "annotations"
        shutil.copytree(annotations, copy)
        renamed = {}
        for path, content in contents.items():
            target = copy / "notes" / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
            renamed[str(target)] = path
        result = check_project(docs, copy)
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
