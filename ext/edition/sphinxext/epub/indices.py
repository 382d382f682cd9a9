"""The e-book's indices of persons and works, as a book's index.

Sphinx writes a domain index as a table with one row per passage, which in an
e-book is a monospace table thousands of pixels tall. Here each person or work
is one entry, linked to its register entry, followed by its passages per text
(the text's short title, then its paragraph numbers, consecutive ones merged
into ranges, each linked to its paragraph), under a heading per letter, as
the print indices (:mod:`.print_indices`) show them:

    Bukharin, N. I. (1888–1938), Left Opposition ¶5, 7–8, 20–22; GPU prisons ¶2

Every string is escaped; the passages are the same listing as print's and the web's.
"""

from __future__ import annotations

import html
from itertools import groupby

from ...reading.passages import paragraph_ranges
from ...reading.contract import paragraph_id
from ...presentation.register_paging import initial
from ..registers.indices import RegisterIndex


def _link(href: str, text: str) -> str:
    return f'<a href="{html.escape(href, quote=True)}">{html.escape(text)}</a>'


def book_index_html(index: RegisterIndex, uri) -> str:
    """The index page's body. *uri(docname, anchor)* is the address of a target
    relative to the index page."""
    objects = index.domain.data["objects"]
    entries = [(entry, label, passages) for entry, label, passages in index.listing() if passages]
    parts = [f'<section class="edition-book-index" id="{html.escape(index.name, quote=True)}">',
             f"<h1>{html.escape(index.localname)}</h1>"]
    for letter, group in groupby(entries, key=lambda item: initial(item[1][0])):
        parts.append(f"<h2>{html.escape(letter)}</h2>\n<ul>")
        for entry, (name, extra, _), passages in group:
            docname, anchor = objects.get((index.kind, entry.id), ("", ""))
            head = _link(uri(docname, anchor), name) if docname else html.escape(name)
            if extra:
                head += f" ({html.escape(extra)})"
            places = []
            for text in passages:
                label = _link(uri(text.docname, ""), text.label)
                numbers = [use.paragraph for use in text.uses if use.paragraph]
                runs = []
                for first, last in paragraph_ranges(numbers):
                    run = _link(uri(text.docname, paragraph_id(first)), str(first))
                    if last != first:
                        run += "–" + _link(uri(text.docname, paragraph_id(last)), str(last))
                    runs.append(run)
                place = f'<span class="edition-index-text">{label}</span>'
                places.append(f"{place} ¶{', '.join(runs)}" if runs else place)
            parts.append(f"<li>{head}, {'; '.join(places)}</li>")
        parts.append("</ul>")
    parts.append("</section>")
    return "\n".join(parts)
