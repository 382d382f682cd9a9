"""Anchoring notes to passages: pure functions, no Sphinx."""

from __future__ import annotations

import unicodedata

import pytest

from conftest import DOCS, KO_DOC
from edition.anchoring.text_quotes import Anchor, AnchorProblem, Block, Placement, locate, normalise
from edition.checking.check import anchor_blocks
from edition.reading.texts import load_texts


@pytest.fixture(scope="module")
def ko_blocks():
    return anchor_blocks({t.docname: t for t in load_texts(DOCS)}[KO_DOC])


def test_normalisation_maps_back_to_the_original():
    text = "네프\u00a0\u00a0를\u00adㅤ가\u200b나 다\r\n라"
    norm, offsets = normalise(text)
    assert norm == "네프 를ㅤ가나 다 라"
    assert len(offsets) == len(norm) + 1 and offsets[-1] == len(text)
    for i, char in enumerate(norm):
        if char != " ":
            assert text[offsets[i]] == char


def test_decomposed_hangul_maps_to_whole_syllables():
    text = unicodedata.normalize("NFD", "국민당으로부터")
    norm, offsets = normalise(text)
    assert norm == "국민당으로부터"
    # Each syllable maps to the first jamo of its decomposed form.
    assert [text[o] for o in offsets[:-1]] == [unicodedata.normalize("NFD", c)[0] for c in norm]


def test_unique_match_places_the_marker_after_the_passage(ko_blocks):
    result = locate(Anchor("신경제정책(NEP)"), ko_blocks)
    assert isinstance(result, Placement)
    block = ko_blocks[result.block]
    assert block.number == 2
    assert block.text[result.start : result.end] == "신경제정책(NEP)"


def test_decomposed_anchor_still_matches(ko_blocks):
    anchor = Anchor(unicodedata.normalize("NFD", "신경제정책(NEP)"))
    assert anchor.exact != "신경제정책(NEP)"
    result = locate(anchor, ko_blocks)
    assert isinstance(result, Placement) and ko_blocks[result.block].number == 2


def test_nbsp_and_soft_hyphen_in_anchor_still_match(ko_blocks):
    result = locate(Anchor("신경제\u00ad정책(NEP)이\u00a0이러한"), ko_blocks)
    assert isinstance(result, Placement)
    assert ko_blocks[result.block].text[result.start : result.end] == "신경제정책(NEP)이 이러한"


def test_orphan_suggests_the_closest_passage(ko_blocks):
    result = locate(Anchor("신경제정책(NEP)가 이러한 관료집단의"), ko_blocks)
    assert isinstance(result, AnchorProblem)
    assert "anchor not found" in result.message
    assert "closest passage is in ¶2" in result.message
    assert "신경제정책(NEP)이 이러한 관료집단의" in result.message


def test_ambiguous_anchor_lists_the_places_and_how_to_disambiguate(ko_blocks):
    result = locate(Anchor("트로츠키는"), ko_blocks)
    assert isinstance(result, AnchorProblem)
    assert "ambiguous" in result.message and "paragraph: N" in result.message
    assert "¶" in result.message and "times" in result.message


def test_paragraph_and_context_disambiguate(ko_blocks):
    by_paragraph = locate(Anchor("트로츠키는", paragraph=4), ko_blocks)
    assert isinstance(by_paragraph, Placement) and ko_blocks[by_paragraph.block].number == 4
    with_prefix = locate(Anchor("NEP", prefix="신경제정책("), ko_blocks)
    assert isinstance(with_prefix, Placement)
    assert ko_blocks[with_prefix.block].text[with_prefix.end] == ")"
    missing = locate(Anchor("트로츠키는", paragraph=999), ko_blocks)
    assert isinstance(missing, AnchorProblem) and "does not exist" in missing.message


def test_anchor_in_an_attribution_line(ko_blocks):
    result = locate(Anchor("첫 5에 대한 서문"), ko_blocks)
    assert isinstance(result, Placement)
    assert ko_blocks[result.block].number is None  # attribution lines have no ¶ number


def test_wrong_prefix_is_named(ko_blocks):
    result = locate(Anchor("신경제정책(NEP)", prefix="전혀 다른"), ko_blocks)
    assert isinstance(result, AnchorProblem) and "check the prefix and suffix" in result.message


def test_blocks_keep_the_original_text():
    block = Block.of("a\u00a0b", 1)
    assert block.text == "a\u00a0b" and block.normalised == "a b"
