"""A work is linked only where the text cites it (edition.anchoring.work_citations).

Made-up texts in Korean, Russian and English in which a work's title is also
an ordinary word (전진, вперёд, onward: "forward"): only the citations link,
in the page, in the registers' passage lists and in `edition check`'s count;
and on the real edition the false links named in issue 30 are gone while
every attribution and quoted title stays linked."""

from __future__ import annotations

import io
import shutil
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ANNOTATIONS, CONF, DOCS, KO_DOC, fold, line_of
from edition.checking.check import anchor_blocks, check_project
from edition.anchoring.lexicon import Form, Lexicon
from edition.anchoring.work_citations import citing_context, text_hits

WORK = "work:onward"
FORMS = [Form(WORK, "전진", "ko"), Form(WORK, "вперёд", "ru"), Form(WORK, "onward", "en")]
LEXICON = Lexicon(FORMS)

# (language, sentence, the wordings that are citations, in order)
SENTENCES = [
    ("ko", '노동자들은 전진을 멈추지 않았다. 그러나 한솔은 "전진"에서 이렇게 썼다.', ['"전진"']),
    ("ko", "그들은 전진했다 (전진, 1905년). 『전진』은 널리 읽혔다. 전진만이 답이었다.", ["(전진,", "『전진』"]),
    ("ko", "「전진」과 《전진》, <<전진>>, “전진”은 모두 제목이다. 전진은 아니다.", ["「전진」", "《전진》", "<<전진>>", "“전진”"]),
    ("ko", "(그들의 전진은 멈췄다) [한솔, 전진 2권]", ["[한솔, 전진 "]),
    ("ru", "Рабочие шли вперёд. В статье «Вперёд» автор писал об этом.", ["«Вперёд»"]),
    ("ru", "Вперёд, товарищи! (Вперёд, 1905) „Вперёд“ читали все.", ["(Вперёд,", "„Вперёд“"]),
    ("en", "The workers pressed onward. In “Onward” Han Sol wrote otherwise.", ["“Onward”"]),
    ("en", "Onward they marched (Onward, 1905), and 'Onward' was read by all (they went onward).",
     ["(Onward,", "'Onward'"]),
    # A title followed by its question mark fills the marks; a quotation that only starts with the word does
    # not; nor does a source the rule cannot see as one ("see …": anchor it stand-off, under cited_at).
    ("en", 'He asked "Onward?" and quoted "Onward, ever onward" (see Onward [1905]).', ['"Onward?"']),
]


@pytest.mark.parametrize("lang,sentence,cited", SENTENCES, ids=[f"{s[0]}-{i}" for i, s in enumerate(SENTENCES)])
def test_only_citing_contexts_cite(lang, sentence, cited):
    hits = LEXICON.find(sentence, lang)
    assert len(hits) > len(cited), "every sentence also uses the word as an ordinary word"
    found = [h for h in hits if citing_context(sentence, h, lang)]
    assert len(found) == len(cited)
    for hit, context in zip(found, cited):
        assert sentence[hit.start : hit.end].casefold() in context.casefold()
        assert context in sentence


def test_an_attribution_line_cites_whatever_it_names():
    line = "— 한솔, 전진, 1905년"
    (hit,) = LEXICON.find(line, "ko")
    assert citing_context(line, hit, "ko", attribution=True) == "attribution"
    assert citing_context(line, hit, "ko") is None


def test_marks_are_the_languages_own():
    """«…» cite in Russian; a Korean-only mark such as 「」 does not in English."""
    assert citing_context("«вперёд»", LEXICON.find("«вперёд»", "ru")[0], "ru") == "quoted"
    english = "「onward」"
    assert citing_context(english, LEXICON.find(english, "en")[0], "en") is None


# --- a made-up edition, built ------------------------------------------------------

KO = """\
---
edition-text: made-up-ko
lang: ko
title: 가상의 전진
title_en: A made-up Korean text
short_title: Made-up Korean
---

# 가상의 전진

노동자들은 전진을 멈추지 않았다. 그러나 한솔은 "전진"에서 이렇게 썼다.

그들은 전진했다 (전진, 1905년). 『전진』은 널리 읽혔다. 전진만이 답이었다.

> 우리는 전진을 택한다.
>
> ```{attribution}
> - 한솔, 전진
> ```

그의 1905년 저작 전진에서 한솔은 다르게 말했다. 전진을 멈추지 말라.
"""

RU = """\
---
edition-text: made-up-ru
lang: ru
title: Вымышленный текст
title_en: A made-up Russian text
short_title: Made-up Russian
---

# Вымышленный текст

Рабочие шли вперёд. В статье «Вперёд» Хан Соль писал об этом.

Вперёд, товарищи! (Вперёд, 1905) „Вперёд“ читали все.

Только вперёд.
"""

EN = """\
---
edition-text: made-up-en
lang: en
title: A made-up English text
short_title: Made-up English
---

# A made-up English text

The workers pressed onward. In “Onward” Han Sol wrote otherwise.

Onward they marched (Onward, 1905), and 'Onward' was read by all.

> Ever onward, comrades.
>
> ```{attribution}
> - Han Sol, Onward
> ```

They moved onward again.
"""

PERSONS = """\
persons:
  - id: han-sol
    name: Han Sol
    sort_name: Han, Sol
    born: 1870
    died: 1930
    forms:
      en: [Han Sol]
      ko: [한솔]
      ru: [Хан Соль]
    identification: A made-up author.
"""

WORKS = """\
works:
  - id: onward
    author: han-sol
    title: 전진
    title_lang: ko
    title_en: Onward
    cited_as:
      ko: [전진]
      ru: [вперёд]
      en: [onward]
    cited_at:
      - text: made-up-ko
        paragraph: 4
        prefix: "1905년 저작 "
        exact: 전진
    date: '1905'
"""

GLOSSARY = """\
entries:
  - id: worker
    headword: worker
    forms:
      ko: [노동자]
    definition: A made-up entry.
"""

#: (doc, ¶ or None for the attribution, the wording linked) of every citation.
EXPECTED = {
    "texts/made-up-ko": [(1, "전진"), (2, "전진"), (2, "전진"), (None, "전진"), (4, "전진")],
    "texts/made-up-ru": [(1, "Вперёд"), (2, "Вперёд"), (2, "Вперёд")],
    "texts/made-up-en": [(1, "Onward"), (2, "Onward"), (2, "Onward"), (None, "Onward")],
}


def made_up_project(root: Path, works: str = WORKS) -> Path:
    (root / "docs" / "texts").mkdir(parents=True)
    for page in DOCS.glob("*.md"):  # every page the contents name (index, registers, changes, …)
        shutil.copy(page, root / "docs" / page.name)
    for name, text in (("made-up-ko", KO), ("made-up-ru", RU), ("made-up-en", EN)):
        (root / "docs" / "texts" / f"{name}.md").write_text(text, encoding="utf-8")
    shutil.copytree(CONF, root / "conf", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "annotations" / "notes").mkdir(parents=True)
    for name, content in (("persons.yaml", PERSONS), ("works.yaml", works), ("glossary.yaml", GLOSSARY)):
        (root / "annotations" / name).write_text(content, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def made_up_build(tmp_path_factory):
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    root = made_up_project(tmp_path_factory.mktemp("citations"))
    warnings = io.StringIO()
    # As sphinx-build does: docutils' directive and role tables restored afterwards, or a
    # later in-process build in this worker finds Sphinx's directives registered already.
    with patch_docutils(root / "conf"), docutils_namespace():
        app = Sphinx(str(root / "docs"), str(root / "conf"), str(root / "out"), str(root / "doctrees"), "html",
                     status=None, warning=warnings, freshenv=True)
        app.build()
    assert app.statuscode == 0 and not warnings.getvalue(), warnings.getvalue()
    return root, app


def linked_works(html: Path) -> list[tuple[int | None, str]]:
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "lxml")
    found = []
    for span in soup.select("article span.edition-work"):
        assert "edition-key-work-onward" in span["class"]
        block = span.find_parent(["p", "div"], class_=["edition-para", "attribution"]) or span.find_parent("p")
        para = block.get("id", "") if block is not None else ""
        found.append((int(para[2:]) if para.startswith("p-") else None, span.get_text()))
    return found


@pytest.mark.parametrize("doc", EXPECTED)
def test_only_the_citations_link(made_up_build, doc):
    root, _ = made_up_build
    assert linked_works(root / "out" / f"{doc}.html") == EXPECTED[doc]


def test_persons_still_link_by_name(made_up_build):
    root, _ = made_up_build
    for doc in EXPECTED:
        soup = BeautifulSoup((root / "out" / f"{doc}.html").read_text(encoding="utf-8"), "lxml")
        assert soup.select("article span.edition-person.edition-key-person-han-sol"), doc


def test_registers_list_only_cited_passages(made_up_build):
    """The "used in" lists and indices are made from the recorded uses: the
    ordinary words are not among them: no paragraph is listed for an ordinary
    use alone (the Russian ¶3, the English ¶4), and an attribution counts with
    its quotation's paragraph (¶3)."""
    from edition.sphinxext.state.records import uses_by_key

    _, app = made_up_build
    uses = {(u.docname, u.paragraph) for u in uses_by_key(app.env)[WORK]}
    expected = set()
    for doc, cited in EXPECTED.items():
        last = 3  # an attribution counts with its quotation's paragraph, ¶3 in both texts that have one
        expected |= {(doc, para if para is not None else last) for para, _ in cited}
    assert uses == expected


def test_check_counts_citations_as_the_build_does(tmp_path):
    result = check_project(made_up_project(tmp_path) / "docs", tmp_path / "annotations")
    assert not result.errors, [d.format() for d in result.errors]
    assert not [d for d in result.diagnostics if "onward" in d.message], "cited, and no ordinary-word warning"
    lexicon = Lexicon(f for w in result.works for f in w.lexicon_forms())
    for text in result.texts:
        citations = [c for w in result.works for c in w.cited_at if c.text_id == text.text_id]
        blocks = anchor_blocks(text)
        hits = text_hits(blocks, text.lang, lexicon, citations).hits
        cited = [(b.number, b.text[h.start : h.end]) for b, found in zip(blocks, hits) for h in found
                 if h.key == WORK]
        assert cited == EXPECTED[text.docname]


# --- edition check: stand-off citations and ordinary words -------------------------


def run_check(root: Path, capsys, monkeypatch) -> tuple[int, str]:
    """`edition check` in-process, run from the project's folder as an editor would."""
    from edition.cli.commands import main

    monkeypatch.chdir(root)
    code = main(["check", "--docs", "docs", "--annotations", "annotations"])
    return code, capsys.readouterr().err


def test_ordinary_word_in_cited_as_is_a_warning_at_its_line(tmp_path, capsys, monkeypatch):
    works = WORKS.replace("      ko: [전진]\n", "      ko:\n        - 전진\n").replace(
        "    cited_at:\n      - text: made-up-ko\n        paragraph: 4\n        prefix: \"1905년 저작 \"\n"
        "        exact: 전진\n", "")
    # Without the stand-off citation the Korean text cites 전진 4 times and uses it
    # as a word (or cites it bare) 5 times; one more ordinary use below.
    root = made_up_project(tmp_path, works)
    ko = root / "docs" / "texts" / "made-up-ko.md"
    ko.write_text(ko.read_text(encoding="utf-8") + "\n전진은 계속되었다.\n", encoding="utf-8")
    code, err = run_check(root, capsys, monkeypatch)
    assert code == 0
    line = line_of(works, "        - 전진")
    expected = f"annotations/works.yaml:{line}: warning: '전진' of work 'onward' stands 6 time(s) in 'made-up-ko' outside a citing context"
    assert any(l.startswith(expected) for l in err.splitlines()), err
    assert "made-up-ru" not in err and "made-up-en" not in err


@pytest.mark.parametrize("change,message", [
    ("exact: 전진\n", "exact: 후퇴\n"),
    ("paragraph: 4\n", "paragraph: 9\n"),
    ("text: made-up-ko\n", "text: made-up-kr\n"),
], ids=["not-found", "no-such-paragraph", "unknown-text"])
def test_stand_off_citation_errors_name_file_and_line(tmp_path, capsys, monkeypatch, change, message):
    works = WORKS.replace(change, message)
    root = made_up_project(tmp_path, works)
    code, err = run_check(root, capsys, monkeypatch)
    assert code == 1
    line = line_of(works, "        exact: ")
    expected = {
        "exact: 후퇴\n": "anchor not found in ¶4",
        "paragraph: 9\n": "paragraph 9 does not exist",
        "text: made-up-kr\n": "unknown text 'made-up-kr'",
    }[message]
    wanted = f"annotations/works.yaml:{line}: error: citation of work 'onward'"
    assert any(l.startswith(wanted) and expected in l for l in err.splitlines()), err


# --- the real edition ----------------------------------------------------------------


def real_citations() -> dict[str, list[tuple[int | None, str]]]:
    result = check_project(DOCS, ANNOTATIONS)
    lexicon = Lexicon(f for w in result.works for f in w.lexicon_forms())
    found: dict[str, list] = {}
    for text in result.texts:
        blocks = anchor_blocks(text)
        citations = [c for w in result.works for c in w.cited_at if c.text_id == text.text_id]
        for block, hits in zip(blocks, text_hits(blocks, text.lang, lexicon, citations).hits):
            for hit in hits:
                found.setdefault(hit.key, []).append((block.number, block.text[max(0, hit.start - 12) : hit.end + 4]))
    return found


def test_false_work_links_of_the_issue_are_gone():
    cited = real_citations()
    # Lenin's Imperialism: only "그의 1916년 저작 제국주의에서", not the ordinary word.
    assert [n for n, _ in cited["work:imperialism"]] == [30]
    # Zinoviev's Leninism: only "지노비에프의 논문, 레닌주의는".
    assert [n for n, _ in cited["work:zinoviev-leninism"]] == [69]
    # The New Course: the source "(새로운 방침[1923])", not the policy ("새로운 방침"를 입안) or the debate.
    assert [n for n, _ in cited["work:new-course"]] == [68]
    # "비판" (criticism) links only where it names Trotsky's "Critique" in title marks.
    critique = [(n, c) for n, c in cited["work:third-international-after-lenin"] if c.endswith('비판"은') or "비판\"" in c]
    assert {n for n, _ in critique} <= {11, 133}
    assert not any(n in (43, 79, 91) for n, _ in cited["work:third-international-after-lenin"])
    # "1917년 저작집" is Trotsky's 1917 volume, not the Writings.
    assert not any(n == 53 for n, _ in cited["work:writings-of-leon-trotsky"])


def test_every_attribution_and_quoted_title_is_still_linked():
    """Every attribution line that names a registered work, and every wording in
    cited_as standing in title marks, is a citation."""
    from edition.anchoring.work_citations import citing_context

    result = check_project(DOCS, ANNOTATIONS)
    lexicon = Lexicon(f for w in result.works for f in w.lexicon_forms())
    cited = real_citations()
    quoted = 0
    for text in result.texts:
        for block in anchor_blocks(text):
            for hit in lexicon.find(block.text, text.lang):
                context = citing_context(block.text, hit, text.lang, block.number is None)
                if context in ("attribution", "quoted"):
                    quoted += context == "quoted"
                    assert any(n == block.number for n, _ in cited[hit.key]), (hit, block.number)
    assert quoted > 20
    attributions = [b for t in result.texts for b in anchor_blocks(t) if b.number is None]
    for block in attributions:
        hits = [h for h in lexicon.find(block.text, "ko") if h.key.startswith("work:")]
        assert hits, f"an attribution names no work: {block.text}"


def test_real_page_links_match_the_rule(html_build):
    soup = BeautifulSoup((html_build / f"{KO_DOC}.html").read_text(encoding="utf-8"), "lxml")
    imperialism = soup.select("article span.edition-key-work-imperialism")
    assert len(imperialism) == 1
    paragraph = imperialism[0].find_parent("p")
    assert paragraph["id"] == "p-30" and "1916년 저작 제국주의에서" in fold(paragraph.get_text(""))
