"""The lexer: forms found where a reader would find them, and nowhere else."""

from __future__ import annotations

from edition.anchoring.lexicon import Form, Lexicon, near_misses

LEXICON = Lexicon([
    Form("term:nep", "네프", "ko"), Form("term:nepman", "네프맨", "ko"), Form("term:nep", "NEP", "ko"),
    Form("term:kmt", "국민당", "ko"), Form("term:thermidor", "테르미도르", "ko"),
    Form("term:decists", "децисты", "ru"), Form("term:decists", "децистами", "ru"),
    Form("term:wo", "Рабочей оппозиции", "ru"), Form("term:wo", "Рабочая оппозиция", "ru"),
    Form("term:kulak", "кулак", "ru"),
])


def found(text, lang):
    return [(text[h.start:h.end], h.key) for h in LEXICON.find(text, lang)]


def test_korean_particles_follow_the_noun():
    assert found("국민당으로부터의 철수, 네프를 도입, 테르미도르의 시작", "ko") == [
        ("국민당", "term:kmt"), ("네프", "term:nep"), ("테르미도르", "term:thermidor")]


def test_korean_form_must_start_a_word_and_not_run_into_another():
    assert found("카메네프와 지노비에프", "ko") == []  # 네프 inside 카메네프
    assert found("반국민당 테르미도르주의", "ko") == []  # inside, and followed by more than particles


def test_longest_form_wins():
    assert found("네프맨들은", "ko") == [("네프맨", "term:nepman")]


def test_latin_form_in_korean_text_takes_particles():
    assert found("신경제정책(NEP)이 NEP는", "ko") == [("NEP", "term:nep"), ("NEP", "term:nep")]


def test_russian_inflected_forms_and_sentence_capitals():
    assert found("между «децистами» и «Рабочей оппозиции». Децисты", "ru") == [
        ("децистами", "term:decists"), ("Рабочей оппозиции", "term:wo"), ("Децисты", "term:decists")]


def test_russian_form_must_be_a_whole_word():
    assert found("кулаками и кулаков", "ru") == []


def test_deterministic():
    text = "네프를 네프맨 국민당의 " * 50
    assert LEXICON.find(text, "ko") == LEXICON.find(text, "ko")


def test_near_misses_point_at_missing_forms():
    forms = [Form("term:decists", "децистами", "ru"), Form("term:nep", "네프", "ko")]
    assert near_misses("о децистах", "ru", forms, []) == [("децистах", "term:decists")]
    assert near_misses("네프주의자", "ko", forms, []) == [("네프주의자", "term:nep")]


# --- the dispatching matcher gives exactly what one whole-trie pattern gives ----------

import re  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from edition.anchoring.lexicon import _WORD, Hit, _trie_pattern, profile  # noqa: E402


def reference_find(lexicon: Lexicon, text: str, lang: str) -> list[Hit]:
    """The obvious matcher: all forms of the language in one regular expression."""
    words = [form for (form_lang, form) in lexicon._keys if form_lang == lang]
    if not words:
        return []
    suffix = profile(lang).suffix
    pattern = re.compile(f"(?<!{_WORD})(?P<form>{_trie_pattern(words)})(?P<suffix>{suffix})(?!{_WORD})")
    return [Hit(m.start(), m.end("form"), m.end(), lexicon._keys[(lang, m.group("form"))], m.group("form"))
            for m in pattern.finditer(text)]


def test_same_hits_as_one_pattern_on_the_real_texts():
    from conftest import ANNOTATIONS, DOCS
    from edition.checking.check import all_entries, check_project

    result = check_project(DOCS, ANNOTATIONS)
    lexicon = Lexicon(f for entry in all_entries(result) for f in entry.lexicon_forms())
    compared = 0
    for text in result.texts:
        for block in text.blocks:
            hits = lexicon.find(block.text, text.lang)
            assert hits == reference_find(lexicon, block.text, text.lang), block.text[:80]
            compared += len(hits)
    assert compared > 1000


# Forms and texts from a few letters, so that forms overlap, nest and run into each other.
LETTERS = "네프맨국민당 .는을"
forms_strategy = st.lists(st.text(alphabet="네프맨국민당", min_size=1, max_size=4), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(forms=forms_strategy, text=st.text(alphabet=LETTERS, max_size=40))
def test_same_hits_as_one_pattern_on_made_up_text(forms, text):
    lexicon = Lexicon(Form(f"term:{i}", form, "ko") for i, form in enumerate(forms))
    assert lexicon.find(text, "ko") == reference_find(lexicon, text, "ko")


def found_in(lexicon: Lexicon, text: str, lang: str) -> list[str]:
    return [text[h.start:h.end] for h in lexicon.find(text, lang)]


def test_language_profiles():
    lexicon = Lexicon([
        Form("term:nep", "NEP", "en"), Form("term:kulak", "kulak", "en"), Form("term:thermidor", "Thermidor", "en"),
        Form("term:wo", "Рабочей оппозиции", "ru"), Form("term:nep", "нэп", "ru"),
        Form("term:nep", "네프", "ko"), Form("term:thermidor", "Thermidor", "de"),
    ])
    # English: plural and possessive endings, not part of the link; never inside a word.
    assert found_in(lexicon, "The NEP's kulaks, the kulak’s plot, NEPmen, sNEP and Thermidors.", "en") == [
        "NEP", "kulak", "kulak", "Thermidor"]
    # Cased scripts: a capital at a sentence start and in a capitalised name, never inside a word.
    assert found_in(lexicon, "«Рабочей Оппозиции». Нэп и нэп, но не НэП и не рабочей Оппозиции.", "ru") == [
        "Рабочей Оппозиции", "Нэп", "нэп"]
    # Korean: particles, never inside another word.
    assert found_in(lexicon, "카메네프와 네프를", "ko") == ["네프"]
    # A language without a profile of its own: listed forms, whole words.
    assert found_in(lexicon, "Der Thermidor, des Thermidors.", "de") == ["Thermidor"]


def test_near_misses_in_english():
    forms = [Form("term:bolsheviks", "Bolshevik", "en")]
    assert near_misses("the Bolshevism of the old guard", "en", forms, []) == [("Bolshevism", "term:bolsheviks")]
