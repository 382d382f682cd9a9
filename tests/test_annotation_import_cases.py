"""`edition import-annotations`, case by case: where each made-up annotation lands, or why it is refused.

Inputs are shaped like what reaches the importer: rows of the Hypothesis search API, the
Hypothesis client's "Export annotations" file, and W3C annotations. Every case states its
exact outcome: the anchor written into the notes file, or the reason printed for the
refusal. All run in-process (``edition.cli.commands.main``) on one made-up text and, where a
position is to be trusted, a made-up published page of it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from support import copy_registers
from edition.cli.commands import main
from edition.reading.page_text import page_text

BASE = "https://edition.example/ed/"
PAGE = f"{BASE}texts/made-up.html"

PARAGRAPHS = (
    "The opposition met in the prisons of the GPU in 1932. The opposition wrote letters.",
    "In the prisons the opposition grew stronger; the prisons of the GPU became schools.",
    "A year later, in 1933, the opposition was scattered.",
)
TEXT = (
    "---\nedition-text: made-up\nlang: en\ntitle: A made-up text\n---\n\n# A made-up text\n\n"
    "## The opposition in prison\n\n" + "\n\n".join(PARAGRAPHS) + "\n"
)
# The published page as the build writes it: markers and permalinks are generated
# content (no characters), so each paragraph stands in the page as it reads.
HTML = (
    "<!DOCTYPE html><html><head><title>A made-up text</title></head><body>\n"
    '<nav>Contents</nav>\n<main><h1>A made-up text<a class="headerlink" href="#a"></a></h1>\n'
    "<h2>The opposition in prison</h2>\n"
    + "\n".join(
        f'<p class="edition-para" id="p-{n}">{text}<a class="edition-noteref" data-note="{n}"></a></p>'
        for n, text in enumerate(PARAGRAPHS, 1)
    )
    + "\n</main></body></html>\n"
)
PAGE_TEXT = page_text(HTML).text


def page_offset(needle: str, occurrence: int = 1) -> tuple[int, int]:
    """Where the *occurrence*-th *needle* stands in the page's textContent."""
    at = -1
    for _ in range(occurrence):
        at = PAGE_TEXT.index(needle, at + 1)
    return at, at + len(needle)


def reading_offset(needle: str, occurrence: int = 1) -> tuple[int, int]:
    """The same, in the reading text (blocks joined by line feeds), as the old importer counted."""
    reading = "\n".join(("A made-up text", "The opposition in prison", *PARAGRAPHS))
    at = -1
    for _ in range(occurrence):
        at = reading.index(needle, at + 1)
    return at, at + len(needle)


# --- inputs -------------------------------------------------------------------------------------


def selectors(exact: str, prefix: str = "", suffix: str = "", position: tuple[int, int] | None = None,
              paragraph: int | None = None) -> list[dict]:
    quote = {"type": "TextQuoteSelector", "exact": exact}
    if prefix:
        quote["prefix"] = prefix
    if suffix:
        quote["suffix"] = suffix
    found: list[dict] = [{"type": "RangeSelector", "startContainer": "/main[1]/p[2]", "startOffset": 0,
                          "endContainer": "/main[1]/p[2]", "endOffset": 9}]
    if position:
        found.append({"type": "TextPositionSelector", "start": position[0], "end": position[1]})
    if paragraph:
        found.append({"type": "FragmentSelector", "conformsTo": "http://tools.ietf.org/rfc/rfc3236",
                      "value": f"p-{paragraph}"})
    return [*found, quote]


def row(exact: str, text: str = "A note.", ident: str = "row1", uri: str = PAGE, **extra) -> dict:
    """A row of the Hypothesis search API."""
    options = {k: extra.pop(k) for k in ("prefix", "suffix", "position", "paragraph") if k in extra}
    result = {
        "id": ident, "uri": uri, "text": text, "user": "acct:alice@hypothes.is", "group": "__world__",
        "permissions": {"read": ["group:__world__"], "update": ["acct:alice@hypothes.is"]},
        "hidden": False, "flagged": False, "links": {"html": f"https://hypothes.is/a/{ident}"},
        "user_info": {"display_name": "Alice A."},
        "target": [{"source": uri, "selector": selectors(exact, **options)}],
    }
    result.update(extra)
    return result


def w3c(exact: str, body="A W3C note.", ident: str = "https://annotations.example/a/1", source: str = PAGE,
        **options) -> dict:
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld", "id": ident, "type": "Annotation",
        "motivation": "commenting",
        "body": body if isinstance(body, dict) else {"type": "TextualBody", "value": body, "format": "text/plain"},
        "target": {"source": source, "selector": selectors(exact, **options)},
    }


def search_api(*rows: dict) -> dict:
    return {"total": len(rows), "rows": list(rows)}


def client_export(*rows: dict) -> dict:
    return {"export_date": "2026-11-30T12:00:00Z", "export_userid": "acct:alice@hypothes.is",
            "client_version": "1.1.0", "annotations": list(rows)}


def page_of(*items: dict) -> dict:
    return {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationPage", "items": list(items)}


# --- running ------------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "docs" / "texts").mkdir(parents=True)
    (root / "docs" / "texts" / "made-up.md").write_text(TEXT, encoding="utf-8")
    (root / "annotations" / "notes").mkdir(parents=True)
    copy_registers(root / "annotations", texts={"made-up"})
    (root / "annotations" / "notes" / "made-up.yaml").write_text("text: made-up\nnotes: []\n", encoding="utf-8")
    (root / "html" / "texts").mkdir(parents=True)
    (root / "html" / "texts" / "made-up.html").write_text(HTML, encoding="utf-8")
    (root / "CITATION.cff").write_text(
        "cff-version: 1.2.0\nmessage: Cite it.\ntitle: A made-up edition\nauthors:\n  - name: Made-up editors\n",
        encoding="utf-8")
    return root


@dataclass
class Outcome:
    code: int
    out: str
    err: str
    notes: list[dict] = field(default_factory=list)

    @property
    def refusals(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.startswith("refused: ")]


def run(root: Path, data, *extra: str, base: str = BASE, capsys=None) -> Outcome:
    path = root / "import.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code = main(["import-annotations", str(path), "--docs", str(root / "docs"), "--annotations",
                 str(root / "annotations"), "--citation", str(root / "CITATION.cff"), "--base-url", base, *extra])
    captured = capsys.readouterr()
    notes = yaml.safe_load((root / "annotations" / "notes" / "made-up.yaml").read_text(encoding="utf-8"))["notes"]
    assert "Traceback" not in captured.err
    return Outcome(code, captured.out, captured.err, notes or [])


# --- placement ------------------------------------------------------------------------------------

# (case, input, extra options, the anchor written) — each placed exactly there.
PLACED = [
    ("unique quote", row("grew stronger"), (), {"exact": "grew stronger"}),
    ("unique quote, W3C", page_of(w3c("wrote letters")), (), {"exact": "wrote letters"}),
    ("prefix chooses among four", row("opposition", prefix="In the prisons the ", suffix=" grew"), (),
     {"exact": "opposition", "paragraph": 2}),
    ("suffix chooses among two", row("the prisons of the GPU", suffix=" became schools"), (),
     {"exact": "the prisons of the GPU", "paragraph": 2}),
    # The position counts the old importer's reading text and coincides with ¶1's occurrence:
    # the context says ¶2, and ¶2 it is.
    ("position coincides with another occurrence",
     row("opposition", prefix="In the prisons the ", suffix=" grew", position=reading_offset("opposition", 2)),
     (), {"exact": "opposition", "paragraph": 2}),
    ("position on the page at another occurrence, --html",
     row("opposition", prefix="In the prisons the ", suffix=" grew", position=page_offset("opposition", 1)),
     ("--html",), {"exact": "opposition", "paragraph": 2}),
    # No context: a position is evidence only where the published page reads the quote there.
    ("position trusted where the page reads the quote",
     row("the prisons of the GPU", position=page_offset("the prisons of the GPU", 2)), ("--html",),
     {"exact": "the prisons of the GPU", "paragraph": 2}),
    ("position trusted for the first of two",
     row("the prisons of the GPU", position=page_offset("the prisons of the GPU", 1)), ("--html",),
     {"exact": "the prisons of the GPU", "paragraph": 1}),
    ("¶ fragment chooses", row("the prisons of the GPU", paragraph=1), (),
     {"exact": "the prisons of the GPU", "paragraph": 1}),
    # A selection made on an older page, whose markers and [sic] were text.
    ("across a note marker", row("of the GPU[1] became", prefix="the prisons "), (), {"exact": "of the GPU became"}),
    ("across a run of markers and [sic]", row("stronger;[2],[T3] the prisons of[sic] the GPU"), (),
     {"exact": "stronger; the prisons of the GPU"}),
    ("marker cut in the context", row("became schools", prefix="GPU[12] ", suffix=".[1"), (),
     {"exact": "became schools"}),
    ("spaces at the ends trimmed", row("  grew stronger; "), (), {"exact": "grew stronger;"}),
    ("line feeds at the ends trimmed", client_export(row("\nwas scattered.\n")), (), {"exact": "was scattered."}),
    ("a whole paragraph", row(PARAGRAPHS[2] + "\n", prefix="became schools.\n"), (), {"exact": PARAGRAPHS[2]}),
    ("a whole paragraph with an old ¶ and marker",
     row("¶ " + PARAGRAPHS[2].replace("1933,", "1933,[4]")), (), {"exact": PARAGRAPHS[2]}),
    ("context reaching into the previous paragraph",
     row("In the prisons", prefix="wrote letters.\n\n", suffix=" the opposition grew"), (),
     {"exact": "In the prisons"}),
    ("context reaching past the heading", row("The opposition met", prefix="The opposition in prison\n"), (),
     {"exact": "The opposition met"}),
]


@pytest.mark.parametrize("case, data, extra, anchor", PLACED, ids=[c[0] for c in PLACED])
def test_placed(project, capsys, case, data, extra, anchor):
    extra = tuple(x for e in extra for x in (("--html", str(project / "html")) if e == "--html" else (e,)))
    outcome = run(project, data if "annotations" in data or "items" in data else search_api(data), *extra,
                  capsys=capsys)
    assert outcome.code == 0, outcome.err
    assert len(outcome.notes) == 1 and outcome.notes[0]["anchor"] == anchor


# (case, input, extra options, what the one refusal says)
REFUSED = [
    ("position not where the page reads the quote",
     row("the prisons of the GPU", position=tuple(o + 1 for o in page_offset("the prisons of the GPU", 2))),
     ("--html",), "occurs 2 times (¶1, ¶2) and its prefix/suffix do not say which"),
    ("position without the built page is no evidence",
     row("the prisons of the GPU", position=page_offset("the prisons of the GPU", 2)), (),
     "occurs 2 times (¶1, ¶2) and its prefix/suffix do not say which"),
    ("a double-click on a marker", row("32", prefix="the prisons of the GPU[", suffix="] became schools."), (),
     "it selects the note marker [32], not words of the text"),
    ("a double-click on a translation marker", row("T2", prefix="grew stronger;[", suffix="] the prisons"), (),
     "it selects the note marker [T2], not words of the text"),
    ("unique quote, contradicting prefix", row("scattered", prefix="the opposition was never "), (),
     "its passage 'scattered' occurs (¶3) but never with its prefix 'the opposition was never '"),
    ("unique quote, contradicting suffix", w3c("grew stronger", suffix=" and weaker"), (),
     "its passage 'grew stronger' occurs (¶2) but never with its suffix ' and weaker': the text there differs"),
    ("repeated quote, context fits none", row("opposition", prefix="the loyal "), (),
     "its passage 'opposition' occurs (¶1, ¶2, ¶3) but never with its prefix 'the loyal '"),
    ("a heading", row("The opposition in prison"), (),
     "it selects words of a heading; headings carry no notes"),
    ("part of a heading", w3c("opposition in prison\n"), (), "headings carry no notes"),
    # "The opposition" also reads in ¶1, but not between this prefix and suffix: the heading's.
    ("heading words the text also has", row("The opposition", suffix=" in prison"), (),
     "it selects words of a heading; headings carry no notes"),
    ("two paragraphs", row("wrote letters.\nIn the prisons"), (),
     "its passage spans 2 paragraphs or lines; a note is anchored to words within one paragraph"),
    ("three paragraphs", row("\n\n".join(PARAGRAPHS)), (),
     "its passage spans 3 paragraphs or lines"),
    ("only apparatus", row("[2]"), (), "it selects only apparatus"),
    ("only spaces", row("   \n"), (), "its quoted passage is empty"),
    ("not in the text", row("the opposition went home"), (), "it does not anchor: anchor not found"),
]


@pytest.mark.parametrize("case, data, extra, reason", REFUSED, ids=[c[0] for c in REFUSED])
def test_refused(project, capsys, case, data, extra, reason):
    extra = tuple(x for e in extra for x in (("--html", str(project / "html")) if e == "--html" else (e,)))
    outcome = run(project, data if "rows" in data or "items" in data else search_api(data), *extra, capsys=capsys)
    assert outcome.code == 1 and outcome.notes == []
    assert len(outcome.refusals) == 1 and reason in outcome.refusals[0], outcome.err
    assert outcome.refusals[0].startswith("refused: annotation 1 (")  # names the annotation


# --- only what the public may see -------------------------------------------------------------------

WITHHELD = [
    ("hidden by a moderator", row("grew stronger", hidden=True), "it was hidden by a moderator (moderation): it is not published"),
    ("moderation denied", client_export(row("grew stronger", moderation_status="DENIED")), "it was hidden by a moderator (moderation): it is not published"),
    ("awaiting moderation", row("grew stronger", moderation_status="PENDING"),
     "it awaits moderation: import it once a moderator has approved it"),
    ("a moderation status that is no text", row("grew stronger", moderation_status=["DENIED"], hidden=True),
     "it was hidden by a moderator (moderation): it is not published"),
    ("flagged", row("grew stronger", flagged=True), "it is flagged for moderation: settle the flag before importing it"),
    ("flagged, client export", client_export(row("grew stronger", flagged=True)), "it is flagged for moderation: settle the flag before importing it"),
    ("only me", row("grew stronger", permissions={"read": ["acct:alice@hypothes.is"]}),
     "it is private (only its author may read it): not published"),
    ("no readers", row("grew stronger", permissions={"read": []}), "it is private (only its author may read it): not published"),
    ("a private group", row("grew stronger", group="abc123", permissions={"read": ["group:abc123"]}),
     "it is readable only by group:abc123, not by the public; if that group's annotations may be published, name it with --group"),
]


@pytest.mark.parametrize("case, data, reason", WITHHELD, ids=[c[0] for c in WITHHELD])
def test_withheld(project, capsys, case, data, reason):
    outcome = run(project, data if "annotations" in data else search_api(data), capsys=capsys)
    assert outcome.code == 1 and outcome.notes == []
    assert outcome.refusals == [f"refused: annotation 1 (https://hypothes.is/a/row1): {reason}"]


def test_a_group_named_by_the_editor_is_taken(project, capsys):
    data = search_api(row("grew stronger", group="abc123", permissions={"read": ["group:abc123"]}))
    outcome = run(project, data, "--group", "abc123", capsys=capsys)
    assert outcome.code == 0 and outcome.notes[0]["anchor"] == {"exact": "grew stronger"}


# --- whole or nothing; forms; ids ---------------------------------------------------------------------


def collection(first, next_page=None) -> dict:
    page = first if isinstance(first, str) else {"type": "AnnotationPage", "items": first}
    if next_page is not None and isinstance(page, dict):
        page["next"] = next_page
    return {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "https://x.example/c", "type": "AnnotationCollection",
            "total": 2, "first": page}


@pytest.mark.parametrize("case, data, named", [
    ("first page only referenced", collection("https://x.example/c?page=1"), "https://x.example/c?page=1"),
    ("next page only referenced", collection([w3c("grew stronger")], "https://x.example/c?page=2"),
     "https://x.example/c?page=2"),
])
def test_a_collection_with_pages_elsewhere_is_an_error(project, capsys, case, data, named):
    outcome = run(project, data, capsys=capsys)
    assert outcome.code == 1 and outcome.notes == []
    assert f"the collection's page {named} is not in the file" in outcome.err and "nothing was imported" in outcome.err
    assert len(outcome.err.strip().splitlines()) == 1


def test_a_page_whose_next_page_is_elsewhere_is_an_error(project, capsys):
    page = {**page_of(w3c("grew stronger")), "next": "https://x.example/c?page=2"}
    outcome = run(project, page, capsys=capsys)
    assert outcome.code == 1 and outcome.notes == []
    assert "the collection's page https://x.example/c?page=2 is not in the file" in outcome.err


def test_a_collection_with_its_pages_is_read_whole(project, capsys):
    second = {"type": "AnnotationPage", "items": [w3c("was scattered", ident="https://x.example/a/2")]}
    outcome = run(project, collection([w3c("grew stronger")], second), capsys=capsys)
    assert outcome.code == 0 and [n["anchor"]["exact"] for n in outcome.notes] == ["grew stronger", "was scattered"]


OA = "http://www.w3.org/ns/oa#"
RDF_VALUE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"

# The same annotation in the other JSON-LD forms of its graph: read through PyLD with the
# vendored W3C context, placed like any other.
OTHER_FORMS = [
    ("compact, oa: prefixes", {
        "@context": {"oa": OA, "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"},
        "@id": "https://x.example/a/9", "@type": "oa:Annotation",
        "oa:hasBody": {"@type": "oa:TextualBody", "rdf:value": "A compact note."},
        "oa:hasTarget": {"oa:hasSource": {"@id": PAGE}, "oa:hasSelector": {
            "@type": "oa:TextQuoteSelector", "oa:exact": "opposition", "oa:prefix": "In the prisons the "}}},
     {"exact": "opposition", "paragraph": 2}, "A compact note."),
    ("compact, the W3C context and @type", {
        "@context": "http://www.w3.org/ns/anno.jsonld", "@id": "https://x.example/a/10", "@type": "Annotation",
        "bodyValue": "Typed with @type.", "target": {"source": PAGE, "selector": {
            "type": "TextQuoteSelector", "exact": "grew stronger"}}},
     {"exact": "grew stronger"}, "Typed with @type."),
    ("expanded", {
        "@id": "https://x.example/a/11", "@type": [f"{OA}Annotation"],
        f"{OA}hasBody": [{"@type": [f"{OA}TextualBody"], RDF_VALUE: [{"@value": "An expanded note."}]}],
        f"{OA}hasTarget": [{f"{OA}hasSource": [{"@id": PAGE}], f"{OA}hasSelector": [{
            "@type": [f"{OA}TextQuoteSelector"], f"{OA}exact": [{"@value": "was scattered"}]}]}]},
     {"exact": "was scattered"}, "An expanded note."),
]


@pytest.mark.parametrize("case, data, anchor, body", OTHER_FORMS, ids=[c[0] for c in OTHER_FORMS])
def test_other_json_ld_forms_are_read(project, capsys, case, data, anchor, body):
    outcome = run(project, [data], capsys=capsys)
    assert outcome.code == 0, outcome.err
    assert outcome.notes[0]["anchor"] == anchor and outcome.notes[0]["body"] == body


@pytest.mark.parametrize("case, data, reason", [
    ("a context elsewhere", {"@context": "https://contexts.example/anno.jsonld", "@id": "https://x.example/a/9",
                             "@type": "Annotation"},
     "its context https://contexts.example/anno.jsonld is not the W3C annotation context (nothing is fetched); "
     "export it with http://www.w3.org/ns/anno.jsonld"),
    ("a JSON-LD version no processor knows", {"@context": {"@version": 9}, "@id": "https://x.example/a/9",
                                              "@type": "Annotation"},
     "it is not JSON-LD the W3C context reads (Unsupported JSON-LD version: 9)"),
    ("a relative context", {"@context": "32", "@id": "https://x.example/a/9", "@type": "Annotation"},
     "it is not JSON-LD the W3C context reads (Found invalid relative IRI '32' for a missing baseIRI)"),
    ("expanded, of another type", {"@id": "https://x.example/a/9", "@type": ["http://schema.org/Comment"]},
     "its type is not Annotation"),
])
def test_unreadable_json_ld_is_refused_as_such(project, capsys, case, data, reason):
    outcome = run(project, [data], capsys=capsys)
    assert outcome.code == 1 and outcome.notes == []
    assert outcome.refusals == [f"refused: annotation 1 (https://x.example/a/9): {reason}"]


@pytest.mark.parametrize("case, data, provenance", [
    ("a Hypothesis row: its page on hypothes.is", search_api(row("grew stronger")), "https://hypothes.is/a/row1"),
    ("a W3C annotation: its id", [w3c("grew stronger", ident="https://annotations.example/a/7")],
     "https://annotations.example/a/7"),
    ("the edition's own note: what it recorded", [{**w3c("grew stronger", ident=f"{PAGE}#note-stronger"),
                                                   "via": "https://hypothes.is/a/first"}], "https://hypothes.is/a/first"),
    ("the edition's own note, nothing recorded", [w3c("grew stronger", ident=f"{PAGE}#note-stronger")], None),
    ("an id that is no web address", [w3c("grew stronger", ident="urn:uuid:1234")], None),
])
def test_provenance_is_kept(project, capsys, case, data, provenance):
    outcome = run(project, data, capsys=capsys)
    assert outcome.code == 0 and outcome.notes[0].get("provenance") == provenance


@pytest.mark.parametrize("case, ident, note_id", [
    ("the edition's own note", f"{PAGE}#note-stronger", "stronger"),
    ("the edition's own note, http and :443", "http://edition.example:443/ed/texts/made-up.html#note-stronger",
     "stronger"),
    ("the edition's own note, extensionless", "https://edition.example/ed/texts/made-up#note-stronger", "stronger"),
])
def test_the_editions_own_id_is_kept(project, capsys, case, ident, note_id):
    outcome = run(project, [w3c("grew stronger", ident=ident)], capsys=capsys)
    assert outcome.code == 0 and outcome.notes[0]["id"] == note_id


@pytest.mark.parametrize("case, ident", [
    ("another site's note-like id", "https://other.example/ed/texts/made-up.html#note-stronger"),
    ("another path on the host", "https://edition.example/other/texts/made-up.html#note-stronger"),
])
def test_a_foreign_id_mints_no_edition_id(project, capsys, case, ident):
    first = run(project, [w3c("grew stronger", ident=ident)], capsys=capsys)
    assert first.code == 0 and first.notes[0]["id"].startswith("annotation-")
    # An edited re-export of the same annotation is the same note: refused, not duplicated.
    again = run(project, [w3c("grew stronger", body="Edited.", ident=ident)], capsys=capsys)
    assert again.code == 1 and len(again.notes) == 1 and "exists already" in again.refusals[0]


@pytest.mark.parametrize("case, items, body", [
    ("Korean first", [{"type": "TextualBody", "value": "한국어 주석", "language": "ko"},
                      {"type": "TextualBody", "value": "The English note.", "language": "en"}], "The English note."),
    ("Russian Markdown first", [{"type": "TextualBody", "value": "*Примечание*", "language": "ru", "format": "text/markdown"},
                                {"type": "TextualBody", "value": "A *note*.", "language": "en-GB", "format": "text/markdown"}],
     "A *note*."),
])
def test_the_english_body_of_a_choice(project, capsys, case, items, body):
    outcome = run(project, [w3c("grew stronger", body={"type": "Choice", "items": items})], capsys=capsys)
    assert outcome.code == 0 and outcome.notes[0]["body"] == body


# --- the edition's pages in their equivalent forms, and other sites -----------------------------------

@pytest.mark.parametrize("case, uri", [
    ("http", "http://edition.example/ed/texts/made-up.html"),
    (":443", "https://edition.example:443/ed/texts/made-up.html"),
    ("extensionless", "https://edition.example/ed/texts/made-up"),
    ("dirhtml folder", "https://EDITION.example/ed/texts/made-up/"),
    ("with a fragment and query", "https://edition.example/ed/texts/made-up.html?via=1#p-2"),
])
def test_the_editions_page_in_any_form(project, capsys, case, uri):
    outcome = run(project, search_api(row("grew stronger", uri=uri)), capsys=capsys)
    assert outcome.code == 0 and outcome.notes[0]["anchor"] == {"exact": "grew stronger"}


@pytest.mark.parametrize("case, uri, reason", [
    ("another host", "https://evil.example/ed/texts/made-up.html", "it targets another site"),
    ("another port", "https://edition.example:8443/ed/texts/made-up.html", "it targets another site"),
    ("outside the base path", "https://edition.example/texts/made-up.html", "it targets another site"),
    ("not a text's page", "https://edition.example/ed/about.html", "which is not one of the texts' pages"),
])
def test_other_pages_are_refused(project, capsys, case, uri, reason):
    outcome = run(project, search_api(row("grew stronger", uri=uri)), capsys=capsys)
    assert outcome.code == 1 and reason in outcome.refusals[0]


# --- addresses ------------------------------------------------------------------------------------------

BAD_ADDRESSES = [
    ("query", "https://edition.example/ed/?lang=en", "it has a query"),
    ("fragment", "https://edition.example/ed/#frag", "it has a fragment"),
    ("javascript", "javascript:alert(1)", "it is not an absolute http(s) address"),
    ("data", "data:text/html,hi", "it is not an absolute http(s) address"),
    ("relative", "ed/texts/", "it is not an absolute http(s) address"),
    ("space-led", " https://edition.example/ed/", "it holds spaces or control characters"),
    ("space inside", "https://edition.example/my ed/", "it holds spaces or control characters"),
    ("no host", "https:///ed/", "it names no host"),
]


@pytest.mark.parametrize("case, address, reason", BAD_ADDRESSES, ids=[c[0] for c in BAD_ADDRESSES])
def test_bad_base_url(project, capsys, case, address, reason):
    outcome = run(project, search_api(row("grew stronger")), base=address, capsys=capsys)
    assert outcome.code == 1 and outcome.notes == []
    assert outcome.err.startswith(f"error: --base-url {address!r} cannot be the edition's address: {reason}")
    assert len(outcome.err.strip().splitlines()) == 1


@pytest.mark.parametrize("case, address, reason", BAD_ADDRESSES[:5], ids=[c[0] for c in BAD_ADDRESSES[:5]])
def test_bad_citation_url(project, capsys, case, address, reason):
    citation = project / "CITATION.cff"
    citation.write_text(citation.read_text(encoding="utf-8") + f"url: {json.dumps(address)}\n", encoding="utf-8")
    for command in ("import-annotations", "export"):
        args = [command, *([str(project / "import.json")] if command == "import-annotations" else []),
                "--docs", str(project / "docs"), "--annotations", str(project / "annotations"),
                "--citation", str(citation)]
        if command == "export":
            args += ["--out", str(project / "out")]
        (project / "import.json").write_text("[]", encoding="utf-8")
        assert main(args) == 1
        err = capsys.readouterr().err
        assert f"url {address!r} cannot be the edition's address: {reason}" in err, err
