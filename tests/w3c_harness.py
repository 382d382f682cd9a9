"""The W3C Web Annotation Working Group's conformance assertions, run locally.

The suite (vendored in tests/standards/web-annotation-tests/, unchanged, with
its licence; tests/test_w3c.py compares it with ../shared/standards/ when that
is beside the repository) has one JSON Schema (draft-04)
per assertion and ``.test`` files listing them; ``annotationMusts.test`` and
``collectionMusts.test`` list the MUSTs. Every schema and definition is
registered under one local base address, so ``$ref``s resolve without a
network. Formats are checked (the suite marks ids as ``format: uri``), with
checkers defined here rather than an optional package that may be absent.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry
from referencing.jsonschema import DRAFT4

from conftest import IN_CI, ROOT

STANDARDS = Path(__file__).resolve().parent / "standards"
SUITE = STANDARDS / "web-annotation-tests"
#: Where this workplace keeps the standards; the vendored copy must equal it when it is there.
SHARED_SUITE = ROOT.parent / "shared" / "standards" / "web-annotation-tests"
BASE = "https://web-annotation-tests.invalid/"

# RFC 3986 absolute URI: a scheme, a colon, and no characters a URI never has.
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")


def require_suite() -> Path:
    if not (SUITE / "annotations" / "annotationMusts.test").is_file():
        message = f"the W3C Web Annotation test suite is missing at {SUITE} (vendored in tests/standards)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return SUITE


FORMATS = jsonschema.FormatChecker(formats=())


@FORMATS.checks("uri")
def _is_uri(value) -> bool:
    return not isinstance(value, str) or bool(_URI.match(value))


@FORMATS.checks("date-time")
def _is_date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    if not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", value):
        return False
    try:
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


@cache
def registry() -> Registry:
    resources = []
    for path in sorted(SUITE.rglob("*.json")):
        if "samples" in path.parts or path.name in ("package.json", "w3c.json"):
            continue
        schema = json.loads(path.read_text(encoding="utf-8"))
        # Every schema's id is a bare file name, resolved against one base: the
        # suite's refs ("annotations.json#/definitions/…") name files that way.
        schema["id"] = BASE + path.name
        resources.append((BASE + path.name, DRAFT4.create_resource(schema)))
    return Registry().with_resources(resources)


@dataclass(frozen=True)
class Assertion:
    name: str
    expected_valid: bool
    message: str
    validator: jsonschema.Draft4Validator


@cache
def assertions(test_file: str) -> tuple[Assertion, ...]:
    """The assertions a ``.test`` file lists (e.g. "annotations/annotationMusts.test")."""
    listed = json.loads((SUITE / test_file).read_text(encoding="utf-8"))["assertions"]
    found = []
    for entry in listed:
        assert isinstance(entry, str), f"{test_file}: nested assertion groups are not supported: {entry!r}"
        schema = json.loads((SUITE / entry).read_text(encoding="utf-8"))
        # By reference, so the file's own address is the base of its refs (draft 4
        # ignores "id" beside a root "$ref", as in 3.1-annotationIdValidated.json).
        validator = jsonschema.Draft4Validator(
            {"$ref": BASE + Path(entry).name}, registry=registry(), format_checker=FORMATS
        )
        found.append(
            Assertion(entry, schema.get("expectedResult", "valid") == "valid", schema.get("errorMessage", ""), validator)
        )
    return tuple(found)


def failures(data, test_file: str) -> list[str]:
    """The assertions of *test_file* that *data* does not meet, with the suite's message."""
    failed = []
    for assertion in assertions(test_file):
        valid = assertion.validator.is_valid(data)
        if valid != assertion.expected_valid:
            failed.append(f"{assertion.name}: {assertion.message}")
    return failed


def load_sample(path: Path):
    """A sample of the suite. Many of its incorrect samples also have trailing
    commas; those are dropped so that the assertions, not the JSON parser, must
    catch what is wrong with them."""
    text = path.read_text(encoding="utf-8")
    return json.loads(re.sub(r",(\s*[}\]])", r"\1", text))


#: The address the tests publish the edition at.
EDITION_BASE = "https://edition.example/ed/"


def collections(folder: Path) -> dict[str, dict]:
    """text id -> the AnnotationCollection exported for it (``<text-id>.jsonld``)."""
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.jsonld"))}


ANNOTATION_MUSTS = "annotations/annotationMusts.test"
COLLECTION_MUSTS = "collections/collectionMusts.test"
