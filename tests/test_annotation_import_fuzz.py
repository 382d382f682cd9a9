"""No file makes `edition import-annotations` print a traceback: JSON shaped like what it
reads (Hypothesis rows, W3C annotations, collections, JSON-LD), with the wrong types
anywhere. Every run ends with 0 or 1 and lines that say what happened. In-process."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edition.cli.commands import main
from test_annotation_import_cases import BASE, PAGE, project  # noqa: F401 (fixture)

KEYS = ["type", "@type", "@context", "@id", "id", "target", "source", "selector", "exact", "prefix", "suffix",
        "start", "end", "value", "body", "bodyValue", "items", "rows", "annotations", "first", "next", "total",
        "permissions", "read", "hidden", "flagged", "moderation_status", "text", "user", "links", "html",
        "motivation", "creator", "name", "language", "format", "via", "edition:anchor", "paragraph",
        "references", "dcterms:references", "group", "uri", "user_info", "display_name", "refinedBy",
        "conformsTo", "purpose"]
WORDS = ["Annotation", "AnnotationPage", "AnnotationCollection", "TextQuoteSelector", "TextPositionSelector",
         "FragmentSelector", "Choice", "TextualBody", "oa:Annotation", "http://www.w3.org/ns/anno.jsonld",
         "group:__world__", "acct:a@hypothes.is", "grew stronger", "opposition", "p-2", "32", "[1]", PAGE,
         BASE, "https://x.example/c?page=2", "commenting", "replying", "en", "ko", "text/markdown", "\u202e", ""]

scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 10**6), st.sampled_from(WORDS), st.text(max_size=8))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=6)), max_leaves=30)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=values)
def test_no_file_gives_a_traceback(project, capsys, data):
    path = project / "fuzz.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code = main(["import-annotations", str(path), "--dry-run", "--docs", str(project / "docs"), "--annotations",
                 str(project / "annotations"), "--citation", str(project / "CITATION.cff"), "--base-url", BASE])
    err = capsys.readouterr().err
    assert code in (0, 1)
    assert "Traceback" not in err and "could not be read (" not in err, err
    for line in err.splitlines():
        assert line.startswith(("refused: annotation ", "error: ", "edition import-annotations: ")), line
