"""Validation of annotation files against their JSON Schemas (``schemas/``).

The schemas are the contract editors see (the YAML language server checks
them as one types). Here they are applied with the edition's stricter
reading of three keywords, the same for every file:

* ``pattern``: JSON Schema patterns *search* (``re.search``), and Python's
  ``$`` also matches before a final newline, so ``"ru-gpu\\n"`` would pass
  ``^[a-z0-9-]+$``. Every schema pattern is written ``^…$`` (what ECMAScript
  editors read as whole-string) and applied here as ``\\A(?:…)\\Z``;
* ``integer``: JSON Schema counts ``1879.0`` as an integer; a year written
  so would print as "1879.0". Only whole numbers written as such pass;
* ``format: edition-date``: YYYY, YYYY-MM or a YYYY-MM-DD that exists.
"""

from __future__ import annotations

import datetime
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from jsonschema.validators import extend

from ..base.errors import Diagnostic
from .yamlsource import line_of

SCHEMAS = Path(__file__).parent.parent / "schemas"


@cache
def anchored(pattern: str) -> re.Pattern:
    """A schema pattern ``^…$`` as a whole-string match: ``\\A(?:…)\\Z``."""
    if not (pattern.startswith("^") and pattern.endswith("$") and not pattern.endswith("\\$")):
        raise ValueError(f"schema pattern {pattern!r} must be anchored: ^…$")
    return re.compile(rf"\A(?:{pattern[1:-1]})\Z")


def _pattern(validator, pattern: str, instance: Any, schema: dict):
    if validator.is_type(instance, "string") and not anchored(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _is_integer(checker, instance: Any) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


_DATE = re.compile(r"\A[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?\Z")
FORMATS = FormatChecker(formats=())


@FORMATS.checks("edition-date", raises=ValueError)
def _is_edition_date(instance: Any) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD in ASCII digits, naming a real month and day."""
    if not isinstance(instance, str):
        return True  # the type is the "type" keyword's business
    if not _DATE.match(instance):
        return False
    year, month, day = (list(map(int, instance.split("-"))) + [1, 1])[:3]
    datetime.date(year, month, day)  # ValueError: no 31 February, no month 13
    return True


EditionValidator = extend(
    Draft202012Validator,
    validators={"pattern": _pattern},
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
)


@cache
def schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


@cache
def _validator(name: str) -> jsonschema.protocols.Validator:
    return EditionValidator(schema(name), format_checker=FORMATS)


def _schema_message(error: jsonschema.ValidationError) -> str:
    """A contributor-readable sentence for a schema violation."""
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".")
    where = f"{where}: " if where else ""
    validator, value = error.validator, error.validator_value
    field = error.absolute_path[-1] if error.absolute_path else None
    # A real date fails only "format": the pattern (ASCII digits, month 01-12) passed.
    failed = {c.validator for c in error.context or ()} | {validator}
    calendar = "format" in failed and "pattern" not in failed
    if field == "date" and calendar:
        return (f"{where}{error.instance!r} is not a date in the calendar (no such month or day); "
                "check it, or give only YYYY-MM or YYYY")
    if field == "date" and validator in ("pattern", "type", "anyOf"):
        return f"{where}{error.instance!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 1928-05-23)"
    if field == "url" and validator in ("anyOf", "pattern", "type"):
        return f"{where}{str(error.instance)[:60]!r} is not a web address; write a full http(s):// URL, or null"
    if field == "author" and validator == "anyOf":
        return f"{where}{error.instance!r} is not a person id; use an id from persons.yaml, or null"
    if validator == "additionalProperties":
        allowed = ", ".join(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})), key=str)
        return f"{where}unknown key {', '.join(map(repr, extra))}; allowed keys: {allowed}"
    if validator == "required":
        missing = [k for k in value if k not in error.instance]
        return f"{where}missing required key {', '.join(map(repr, missing))}"
    if validator == "type":
        got = type(error.instance).__name__.replace("str", "text").replace("LineDict", "mapping")
        got = got.replace("LineList", "list").replace("int", "number").replace("NoneType", "nothing")
        got = got.replace("float", "a decimal number (write whole numbers without '.0')")
        names = {"string": "text", "integer": "a whole number", "object": "a mapping", "array": "a list",
                 "null": "null"}
        want = " or ".join(names.get(v, v) for v in ([value] if isinstance(value, str) else value))
        return f"{where}must be {want}, not {got}"
    if validator == "enum":
        return f"{where}{error.instance!r} is not allowed; use one of: {', '.join(value)}"
    if validator == "pattern" and field == "title_lang":
        return f"{where}{str(error.instance)[:60]!r} is not a language code; write a lower-case ISO 639 code (e.g. ru)"
    if validator == "pattern":
        return (
            f"{where}{str(error.instance)[:60]!r} is not a valid id; use lower-case letters, digits "
            "and single hyphens (e.g. lenin-levy-1924)"
        )
    if validator == "maxLength":
        return f"{where}is {len(error.instance)} characters long; the limit is {value}: shorten it or split it"
    if validator == "minLength":
        return f"{where}is empty; write it or remove the key"
    if validator == "minItems":
        return f"{where}must not be empty; list at least {value}"
    if validator == "minProperties":
        return f"{where}must not be empty"
    if validator == "minimum":
        return f"{where}must be at least {value}"
    return f"{where}{error.message[:200]}"


def validate_schema(data: Any, name: str, path: str) -> list[Diagnostic]:
    validator = _validator(name)
    found = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        where = list(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            # Point at the first unknown key, not at the entry it sits in.
            extra = [k for k in error.instance if k not in error.schema.get("properties", {})]
            where += extra[:1]
        found.append(Diagnostic(path, line_of(data, where) or 1, _schema_message(error)))  # a bare scalar: line 1
    return found
