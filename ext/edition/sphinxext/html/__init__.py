"""The HTML side: the translator of every HTML builder (and EPUB's), the navigation, the
search, the Changes page, the selection menu."""
