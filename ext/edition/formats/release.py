"""Releases: a version and its date in CITATION.cff, the same facts in
``.zenodo.json`` (so a Zenodo DOI can be minted from a GitHub release), and a
``v<version>`` tag.

CITATION.cff stays the one place the edition's citation data is written;
``.zenodo.json`` is derived from it (Zenodo reads it in preference to the
CFF file) and a test checks that the two agree. The file is edited line by
line, so its comments stay.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import yaml

from ..base.errors import EditionError
from .citation import is_placeholder_name

ZENODO_FILE = ".zenodo.json"
#: A version is one to three numbers: 1, 1.2, 1.2.3 (its tag: v1, v1.2, v1.2.3).
VERSION = re.compile(r"\A(0|[1-9]\d{0,5})(\.(0|[1-9]\d{0,5})){0,2}\Z")


def check_version(version: str) -> str:
    if not VERSION.match(version or ""):
        raise EditionError(f"version {version!r} is not one to three numbers such as 1, 1.2 or 1.2.3; "
                           "give VERSION=1.2")
    return version


def version_key(version: str) -> tuple[int, int, int]:
    numbers = [int(n) for n in version.split(".")]
    return tuple(numbers + [0] * (3 - len(numbers)))  # type: ignore[return-value]


def release_date(environ: dict, today: dt.date | None = None) -> str:
    """The release's date: SOURCE_DATE_EPOCH (seconds, UTC) if set, else today (UTC)."""
    value = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return (today or dt.datetime.now(dt.timezone.utc).date()).isoformat()
    if not value.isascii() or not value.isdigit():
        raise EditionError(f"SOURCE_DATE_EPOCH={value!r} is not a number of seconds since 1970; unset it to use today")
    try:
        date = dt.datetime.fromtimestamp(int(value), dt.timezone.utc).date()
    except (OverflowError, OSError, ValueError):
        raise EditionError(f"SOURCE_DATE_EPOCH={value!r} is not a date this program can write") from None
    if date.year < 1990:
        raise EditionError(f"SOURCE_DATE_EPOCH={value!r} is {date.isoformat()}, before the edition existed; "
                           "unset it to use today")
    return date.isoformat()


def _set_key(text: str, key: str, value: str, after: str) -> str:
    line = f'{key}: "{value}"'
    pattern = re.compile(rf"^{re.escape(key)}:.*$", re.M)
    if pattern.search(text):
        return pattern.sub(line, text, count=1)
    anchor = re.search(rf"^{re.escape(after)}:.*$", text, re.M)
    if anchor:
        return text[: anchor.end()] + "\n" + line + text[anchor.end():]
    return text.rstrip("\n") + "\n" + line + "\n"


def with_release(cff_text: str, version: str, date: str) -> str:
    """CITATION.cff's text with *version* and *date-released* set; nothing else touched."""
    text = _set_key(cff_text, "version", version, "title")
    return _set_key(text, "date-released", date, "version")


def _creator(author: dict) -> dict:
    if author.get("family-names"):
        given = " ".join(str(author[k]) for k in ("given-names",) if author.get(k))
        particle = str(author.get("name-particle") or "")
        name = f"{' '.join(p for p in (particle, author['family-names']) if p)}" + (f", {given}" if given else "")
    else:
        name = str(author.get("name") or "")
    creator = {"name": name}
    if author.get("affiliation"):
        creator["affiliation"] = str(author["affiliation"])
    if author.get("orcid"):
        creator["orcid"] = str(author["orcid"]).rsplit("/", 1)[-1]
    return creator


def zenodo_metadata(cff: dict) -> dict:
    """Zenodo's deposit metadata for what CITATION.cff says, and nothing it does not."""
    data: dict = {
        "title": str(cff["title"]),
        "upload_type": "dataset" if cff.get("type") == "dataset" else "software",
        # A placeholder such as "The editors" names nobody: no creator is better than a false one.
        "creators": [c for c in (_creator(a) for a in cff.get("authors", []) if isinstance(a, dict))
                     if c["name"] and not is_placeholder_name(c["name"])],
    }
    if cff.get("abstract"):
        data["description"] = " ".join(str(cff["abstract"]).split())
    if cff.get("version"):
        data["version"] = str(cff["version"])
    if cff.get("date-released"):
        data["publication_date"] = str(cff["date-released"])
    if cff.get("keywords"):
        data["keywords"] = [str(k) for k in cff["keywords"]]
    if cff.get("license"):
        data["license"] = str(cff["license"])
    related = [
        {"identifier": str(cff[key]), "relation": relation, "scheme": "url"}
        for key, relation in (("url", "isIdenticalTo"), ("repository-code", "isSupplementedBy"))
        if cff.get(key)
    ]
    if related:
        data["related_identifiers"] = related
    return data


def load_cff(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EditionError("missing; the edition's citation data is written here", str(path)) from None
    except yaml.YAMLError as exc:
        raise EditionError(f"not valid YAML ({str(exc).splitlines()[0]})", str(path)) from None
    if not isinstance(data, dict) or not data.get("title"):
        raise EditionError("needs at least 'title' and 'authors' (Citation File Format 1.2.0)", str(path))
    return data


def cff_version(conf_file: str) -> str:
    """The version in the CITATION.cff beside conf/ (the repository's layout), or ""."""
    path = Path(conf_file).resolve().parent.parent / "CITATION.cff"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return ""
    return str(data.get("version") or "") if isinstance(data, dict) else ""


def zenodo_json(cff_path: Path) -> str:
    return json.dumps(zenodo_metadata(load_cff(cff_path)), ensure_ascii=False, indent=2) + "\n"
