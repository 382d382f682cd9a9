"""Language codes as the edition shows them: names in English, a stable order.

Nothing here knows which languages the texts are in: a code gets its English
name from the CLDR data that Babel (a Sphinx dependency) ships."""

from __future__ import annotations

from functools import cache

#: Shown first, in this order, wherever forms of several languages are listed:
#: the apparatus language, then the rest alphabetically by code.
APPARATUS_LANGUAGE = "en"


@cache
def language_name(code: str) -> str:
    """'ko' → 'Korean'; an unknown code stays as it is."""
    from babel import Locale, UnknownLocaleError  # slow to import; only a page naming a language needs it

    try:
        return Locale.parse(code).get_display_name(APPARATUS_LANGUAGE) or code
    except (ValueError, TypeError, UnknownLocaleError):
        return code


def ordered_languages(codes) -> list[str]:
    """English first, then the others by code."""
    return sorted(set(codes), key=lambda code: (code != APPARATUS_LANGUAGE, code))
