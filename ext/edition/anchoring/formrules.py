"""Which strings may be forms of an entry (glossary terms, persons, works).

Every listed form is linked wherever it stands in the texts, so a form that
stands everywhere floods the pages with links and the indices with entries:
one letter (이, и), a function word (그, что), a space or a hyphen. Forms of
one character and the common function words of their language are refused
unless the entry gives, under :data:`REASON_KEY`, the reason the texts need
them; forms without a letter or digit are refused always.
"""

from __future__ import annotations

#: The entry key that allows its forms of one character or function words.
REASON_KEY = "common_forms_reason"

#: Function words per language: words so common that a form equal to one
#: would link nearly every sentence. (Facts about the languages, not the texts.)
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("""a an the of and or but nor to in on at by for with from as into onto upon
        is are was were be been am it its this that these those not no he she we they you i me him her
        us them his hers our their my your which who whom what".""".replace('".', "").split()),
    "ko": frozenset("""이 그 저 것 수 등 및 또 더 안 못 잘 좀 또는 그리고 그러나 하지만 그런데 그래서
        이것 그것 저것 여기 거기 저기 우리 그들 때문 위해 대한 통해""".split()),
    "ru": frozenset("""и в во не на я с со что а по к ко о об обо из у за от же бы ли как так но да
        для до он она оно они мы вы ты это то тот та те его её ее их при без над под про через или ни
        уже ещё еще был была было были быть есть""".split()),
}


def form_problem(form: str, lang: str, reason: str | None) -> str | None:
    """Why *form* may not be listed, or None."""
    if not any(char.isalnum() for char in form):
        return (f"form {form!r} ({lang}) has no letter or digit: it would link every such mark in the "
                "texts; remove it")
    if reason:
        return None
    word = form.strip()
    if len(word) == 1:
        what = "is a single character"
    elif word.casefold() in FUNCTION_WORDS.get(lang, ()):
        what = "is a common function word"
    else:
        return None
    return (f"form {form!r} ({lang}) {what}: it would link nearly every sentence of the texts; remove it, "
            f"or say in the entry's '{REASON_KEY}:' why the texts need it")
