"""W3C annotations in other JSON-LD forms, read as the Web Annotation context reads them.

The model's own form is compact JSON-LD with the W3C context
(``http://www.w3.org/ns/anno.jsonld``): ``"type": "Annotation"``, ``"target"``…
Valid exports may use other forms of the same graph: compact with ``oa:``
prefixes (``"@type": "oa:Annotation"``, ``"oa:hasTarget"``) or fully expanded
IRIs. Such an annotation is expanded and compacted again with the W3C context
by PyLD, so the importer reads one form. The context is vendored
(``schemas/anno.jsonld``: the term definitions of the W3C context) and the
document loader serves nothing else: no network at run time, and a context the
file names elsewhere is refused, never fetched.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from .w3c import ANNO_CONTEXT

CONTEXT_FILE = Path(__file__).parent.parent / "schemas" / "anno.jsonld"
_CONTEXT_ADDRESSES = frozenset({ANNO_CONTEXT, "https://www.w3.org/ns/anno.jsonld", "http://www.w3.org/ns/anno",
                                "https://www.w3.org/ns/anno"})


class UnreadableForm(Exception):
    """Why the annotation cannot be read as a Web Annotation."""


@cache
def _context() -> dict:
    return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))


def _loader(url: str, options=None) -> dict:
    from pyld.jsonld import JsonLdError  # pyld is slow to import; only reading W3C annotations needs it

    if url in _CONTEXT_ADDRESSES:
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": _context()}
    raise JsonLdError(f"its context {url[:100]} is not the W3C annotation context, and nothing is fetched",
                      "jsonld.LoadDocumentError", code="loading document failed")


def _is_anno_context(value) -> bool:
    """The W3C context, alone or with definitions of other terms (as the edition's own
    export adds ``dcterms`` and ``edition``) that leave its own terms as they are."""
    entries = value if isinstance(value, list) else [value]
    terms = _context()["@context"]
    named = [e for e in entries if isinstance(e, str)]
    return any(e in _CONTEXT_ADDRESSES for e in named) and all(
        (isinstance(e, str) and e in _CONTEXT_ADDRESSES) or (isinstance(e, dict) and not (set(e) & set(terms)) and not any(k.startswith("@") for k in e))
        for e in entries
    )


def is_other_form(annotation: dict) -> bool:
    """True for a node that is not in the W3C context's own terms: another context
    (which may define the terms otherwise), ``@type``, ``oa:…`` or expanded IRIs."""
    if "@context" in annotation:
        return not _is_anno_context(annotation["@context"]) or "type" not in annotation
    return "type" not in annotation and any(key.startswith("@") or ":" in key for key in annotation)


def in_anno_form(annotation: dict) -> dict:
    """*annotation* compacted with the W3C context, or :class:`UnreadableForm`."""
    from pyld import jsonld  # (slow to import: only reading W3C annotations needs it)

    refused: list[str] = []

    def loader(url: str, options=None) -> dict:
        if url not in _CONTEXT_ADDRESSES:
            refused.append(url)
        return _loader(url, options)

    options = {"documentLoader": loader}
    try:
        expanded = jsonld.expand(annotation, options)
        if len(expanded) != 1:
            raise UnreadableForm(f"it holds {len(expanded)} resources at its top where one annotation was expected")
        compacted = jsonld.compact(expanded, ANNO_CONTEXT, options)
    except jsonld.JsonLdError as exc:
        if refused:
            raise UnreadableForm(
                f"its context {refused[0][:100]} is not the W3C annotation context (nothing is fetched); "
                f"export it with {ANNO_CONTEXT}"
            ) from None
        message = exc.args[0] if exc.args else ""  # PyLD keeps the message as a 1-tuple
        while isinstance(message, tuple) and message:
            message = message[0]
        message = str(message).splitlines()[0][:160]
        raise UnreadableForm(f"it is not JSON-LD the W3C context reads ({message})") from None
    except RecursionError:
        raise UnreadableForm("it is nested too deeply to read") from None
    except (ValueError, TypeError, KeyError, AttributeError) as exc:  # PyLD on input it does not expect
        raise UnreadableForm(f"it is not JSON-LD the W3C context reads ({str(exc).splitlines()[0][:160]})") from None
    compacted.pop("@context", None)
    return compacted
