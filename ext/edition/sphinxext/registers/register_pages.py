"""The register pages: ``{edition-persons}`` and ``{edition-works}``.

Each entry is declared as an object of the ``edition`` domain, so links from
the texts and the ``{person}``/``{work}`` roles land on it, and carries the
list of passages that name or cite it (filled at write time, like the
glossary's "used in"). In print the list is left out: the indices of persons
and works give the same passages (edition.sphinxext.registers.print_indices)."""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ...base.languages import language_name, ordered_languages
from ...base.markup import render_sources
from ...model.registers import bibliographic_line
from .glossary_page import mark_register_item, note_register_doc, used_in
from .register_order import register_order
from ..state.registry import annotation_path, registers


def _forms_paragraph(forms: dict, label: str = "Forms") -> nodes.paragraph:
    paragraph = nodes.paragraph(classes=["edition-forms"])
    shown = [lang for lang in ordered_languages(forms) if forms.get(lang)]
    for index, lang in enumerate(shown):
        if index:
            paragraph += nodes.Text(" · ")
        paragraph += nodes.emphasis(language_name(lang), language_name(lang))
        paragraph += nodes.Text(": ")
        listed = ", ".join(forms[lang])
        paragraph += nodes.inline(listed, listed, classes=[f"language-{lang}"])
    return paragraph


class _RegisterDirective(SphinxDirective):
    kind = ""
    filename = ""

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(str(annotation_path(self.config, "persons.yaml")))
        self.env.note_dependency(str(annotation_path(self.config, "works.yaml")))
        note_register_doc(self.env, self.kind)
        persons, works = registers(self.config)
        listing = nodes.definition_list(classes=["glossary", "edition-register", f"edition-{self.kind}s"],
                                        edition_register=self.kind)
        domain = self.env.domains["edition"]
        ordered = [entry for entry, _ in register_order(self.kind, self.config)]
        for entry, term, body, summary, forms in self.items(ordered, persons):
            term["ids"].append(entry.anchor)
            self.state.document.ids[entry.anchor] = term
            domain.note_entry(self.kind, entry.id, self.env.docname, entry.anchor)
            item = nodes.definition_list_item("", term, nodes.definition("", *body))
            mark_register_item(item, entry.anchor, term.astext(), summary, forms)
            listing += item
        return [listing]


class PersonsDirective(_RegisterDirective):
    kind = "person"

    def items(self, ordered, persons):
        for person in ordered:
            term = nodes.term("", person.sort_name)
            if person.dates:
                term += nodes.inline("", f" ({person.dates})", classes=["edition-dates"])
            body = [
                nodes.paragraph(person.identification, person.identification),
                _forms_paragraph(person.forms),
            ]
            if person.sources:
                body.append(render_sources(person.sources))
            body.append(used_in(key=person.key, label="Named in: ", in_print=False))
            yield person, term, body, person.identification, person.forms


class WorksDirective(_RegisterDirective):
    kind = "work"

    def items(self, ordered, persons):
        for work in ordered:
            author = persons.get(work.author)
            term = nodes.term("")
            if author:
                term += nodes.Text(f"{author.sort_name.split(',')[0]}, ")
            term += nodes.emphasis(work.title_en, work.title_en)
            if work.year:
                term += nodes.inline("", f" ({work.year})", classes=["edition-dates"])
            show_original = work.title not in work.title_en
            # The original title has a line of its own below: not twice.
            line = bibliographic_line(work, persons, with_original=False)
            body: list[nodes.Node] = [nodes.paragraph(line, line)]
            if show_original:
                original = nodes.paragraph(classes=["edition-forms"])
                original += nodes.emphasis("Original title: ", "Original title: ")
                lang = work.title_lang or ""
                original += nodes.inline(work.title, work.title, classes=[f"language-{lang}"] if lang else [])
                body.append(original)
            cited = {lang: titles for lang, titles in work.cited_as.items() if titles}
            if cited:
                paragraph = _forms_paragraph(cited)
                paragraph.insert(0, nodes.emphasis("Cited as: ", "Cited as: "))
                body.append(paragraph)
            if work.sources:
                body.append(render_sources(work.sources))
            if work.url:
                link = nodes.paragraph(classes=["edition-url"])
                link += nodes.reference(work.url, work.url, refuri=work.url)
                body.append(link)
            body.append(used_in(key=work.key, label="Quoted or cited in: ", in_print=False))
            yield work, term, body, work.title if work.title != work.title_en else "", work.cited_as
