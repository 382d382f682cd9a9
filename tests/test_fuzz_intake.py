"""Fuzzing the intake: random bytes and random YAML trees in each of the four
file types. `edition check` must never raise: it passes, or it fails with
errors that each name the file and a line, and every message is safe to
print. Each example has a deadline (Hypothesis), so a hang fails too.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from functools import cache
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DOCS
from edition.checking.check import check_project
from edition.reading.texts import load_texts

FILES = {
    "notes": "notes/ciliga-gpu-prisons.yaml",
    "glossary": "glossary.yaml",
    "persons": "persons.yaml",
    "works": "works.yaml",
}
#: The keys each file type knows, so random trees often get past the first checks.
KEYS = {
    "notes": ["text", "notes", "id", "kind", "anchor", "exact", "prefix", "suffix", "paragraph", "body", "sources",
              "contributor"],
    "glossary": ["entries", "id", "headword", "expansion", "forms", "en", "ko", "ru", "definition", "short",
                 "sources", "related", "common_forms_reason"],
    "persons": ["persons", "id", "name", "sort_name", "born", "died", "forms", "en", "ko", "ru", "identification",
                "common_forms_reason"],
    "works": ["works", "id", "author", "title", "title_lang", "title_en", "cited_as", "ko", "ru", "en", "date",
              "collection", "url"],
}
FUZZ = settings(max_examples=40, deadline=timedelta(seconds=5), suppress_health_check=[HealthCheck.too_slow])


@cache
def texts():
    return tuple(load_texts(DOCS))


def run_check(kind: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        annotations = Path(tmp, "annotations")
        (annotations / "notes").mkdir(parents=True)
        path = annotations / FILES[kind]
        path.write_bytes(content)
        result = check_project(DOCS, annotations, texts=texts())  # must not raise
    for diagnostic in result.errors:
        assert diagnostic.path == str(path), diagnostic
        assert isinstance(diagnostic.line, int) and diagnostic.line >= 1, diagnostic
        assert diagnostic.line <= content.count(b"\n") + 1, diagnostic
        printed = diagnostic.format()
        assert printed.isprintable(), printed


def trees(kind: str):
    """YAML trees built from the file type's own keys, with odd scalars."""
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(-10, 3000), st.floats(allow_nan=True),
        st.text(max_size=30), st.sampled_from(["ru-x", "«децистами»", "nep", "1928-02-31", "https://x.org/\n",
                                               "{term}`nep`", "[a {term}`nep`](https://x.org)", "\u200b", "и"]),
    )
    keys = st.one_of(st.sampled_from(KEYS[kind]), st.text(max_size=8))
    return st.recursive(
        scalars,
        lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5)),
        max_leaves=25,
    )


@pytest.mark.parametrize("kind", FILES)
@FUZZ
@given(data=st.binary(max_size=3000))
def test_random_bytes(kind, data):
    run_check(kind, data)


@pytest.mark.parametrize("kind", FILES)
@FUZZ
@given(data=st.data())
def test_random_yaml_trees(kind, data):
    top = {"notes": "notes", "glossary": "entries", "persons": "persons", "works": "works"}[kind]
    tree = data.draw(st.one_of(trees(kind), st.fixed_dictionaries({top: st.lists(trees(kind), max_size=3)})))
    style = data.draw(st.sampled_from([None, False, True]))  # block, flow or default style
    text = yaml.safe_dump(tree, allow_unicode=data.draw(st.booleans()), default_flow_style=style)
    run_check(kind, text.encode("utf-8", "surrogatepass"))


VALID = {
    "notes": "text: ciliga-gpu-prisons\nnotes:\n  - id: ru-x\n    kind: editorial\n    anchor:\n"
             "      exact: «децистами»\n    body: >\n      A {term}`nep` note\n      on two lines.\n"
             "    sources: [\"A *book*.\"]\n",
    "glossary": "entries:\n  - id: x-term\n    headword: X\n    forms:\n      en: [X-term]\n      ko: [엑스텀]\n"
                "      ru: [иксовый]\n    definition: |\n      A definition.\n    sources: [A *book*.]\n",
    "persons": "persons:\n  - id: trotsky\n    name: Leon Trotsky\n    sort_name: Trotsky, Leon\n    born: 1879\n"
               "    forms:\n      en: [Trotsky]\n      ko: [트로츠키]\n      ru: [Троцкий]\n    identification: A.\n",
    "works": "works:\n  - id: w-x\n    author: null\n    title: A work\n    title_en: A work\n    cited_as:\n"
             "      ko: [레닌 이후의 제3 인터내셔널]\n    date: '1928-05-23'\n    url: https://example.org/\n",
}


@pytest.mark.parametrize("kind", FILES)
@FUZZ
@given(data=st.data())
def test_mutated_valid_files(kind, data):
    """A valid file with random text spliced in: most examples reach the later checks."""
    text = VALID[kind]
    at = data.draw(st.integers(0, len(text)))
    cut = data.draw(st.integers(0, 12))
    insert = data.draw(st.one_of(st.text(max_size=12), st.sampled_from(
        ["[", "{", "\n  - ", ": ", "'", '"\\u202e"', "1879.0", "\u2028", "\x85", "\r", "  ", "*a", "&a ", "!!binary "])))
    run_check(kind, (text[:at] + insert + text[at + cut:]).encode("utf-8", "surrogatepass"))


def test_the_valid_templates_pass():
    for kind, text in VALID.items():
        with tempfile.TemporaryDirectory() as tmp:
            annotations = Path(tmp, "annotations")
            (annotations / "notes").mkdir(parents=True)
            (annotations / FILES[kind]).write_text(text, encoding="utf-8")
            result = check_project(DOCS, annotations, texts=texts())
        assert not [d for d in result.errors if "nep" not in d.message], (kind, result.errors)
