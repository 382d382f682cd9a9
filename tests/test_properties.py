"""Property tests (hypothesis): anchoring, normalisation, the loaders."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DOCS
from edition.anchoring.text_quotes import IGNORED, Anchor, AnchorProblem, Placement, locate, normalise
from edition.model.annotations import load_notes_file
from edition.checking.check import anchor_blocks
from edition.model.glossary import load_glossary
from edition.reading.texts import load_texts

BLOCKS = [b for text in load_texts(DOCS) for b in [anchor_blocks(text)]]


@st.composite
def passages(draw):
    """A passage cut from one block of a real text."""
    blocks = draw(st.sampled_from(BLOCKS))
    index = draw(st.integers(0, len(blocks) - 1))
    text = blocks[index].text
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, min(len(text), start + 80)))
    return blocks, index, start, end


@settings(max_examples=300, deadline=None)
@given(passages())
def test_any_passage_anchors_back_to_itself_or_is_ambiguous(cut):
    blocks, index, start, end = cut
    exact = blocks[index].text[start:end]
    result = locate(Anchor(exact), blocks)
    if isinstance(result, Placement):
        assert result.block == index
        # The same passage, up to whitespace folded at its ends.
        assert blocks[index].text[result.start:result.end].strip() == exact.strip() or \
            " ".join(blocks[index].text[result.start:result.end].split()) == " ".join(exact.split())
        assert result.start <= start + len(exact) - len(exact.lstrip()) and result.end >= end - (len(exact) - len(exact.rstrip()))
    else:
        assert isinstance(result, AnchorProblem) and "ambiguous" in result.message, result.message
        # With its paragraph (or enough context) it is found.
        number = blocks[index].number
        if number is not None:
            again = locate(Anchor(exact, paragraph=number), blocks)
            assert isinstance(again, Placement) or "ambiguous" in again.message


TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_normalisation_maps_every_character_back(text):
    norm, offsets = normalise(text)
    assert len(offsets) == len(norm) + 1 and offsets[-1] == len(text)
    assert offsets == sorted(offsets)
    for i, char in enumerate(norm):
        segment = "".join(c for c in text[offsets[i]:offsets[i + 1] or len(text)] if c not in IGNORED)
        if char == " ":
            assert segment[:1].isspace()
        else:
            assert char in unicodedata.normalize("NFC", text[offsets[i]:])[:len(segment) + 2] or \
                char in unicodedata.normalize("NFC", segment)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_normalisation_never_changes_the_text(text):
    copy = str(text)
    normalise(text)
    assert text == copy  # the function works on a copy; the text itself is untouchable


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT)
STRUCTURES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(
        ["text", "notes", "id", "kind", "anchor", "exact", "body", "entries", "forms", "ko", "en", "ru",
         "headword", "definition", "related", "paragraph", "prefix", "suffix", "sources"]), children, max_size=5),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(TEXT, STRUCTURES.map(lambda s: yaml.safe_dump(s, allow_unicode=True))))
def test_random_yaml_never_crashes_the_loaders(tmp_path_factory, content):
    folder = tmp_path_factory.mktemp("random")
    path = Path(folder) / "ciliga-gpu-prisons.yaml"
    path.write_text(content, encoding="utf-8")
    notes, diagnostics = load_notes_file(path)
    assert notes is not None or diagnostics
    entries, diagnostics = load_glossary(path)
    assert isinstance(entries, list) and isinstance(diagnostics, list)
