"""Finding places in a text, as pure functions: W3C TextQuoteSelector matching
(text_quotes), the surface forms of terms, persons and works (lexicon, formrules),
and which occurrences of a work's wording are citations (work_citations)."""
