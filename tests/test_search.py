"""Search that works for Korean and Russian readers.

The search language of edition.presentation.search on its own (Python), then real queries
on the built site's search page in headless Chromium, served over http as a
reader gets it (Sphinx's search fetches the index and the pages).
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
import unicodedata
from urllib.parse import quote

import pytest

from conftest import ANNOTATIONS, DOCS, KO_DOC, RU_DOC
from edition.presentation.search import LANG, strip_particles
from edition.sphinxext.html.search import SearchEdition
from reading import article, reading_text
from reading import page as read_page
from support.search import GLOSSARY_DOC, KO_PARTICLE_ONLY, QuietHandler, result_docs

WORD = re.compile(r"\w+")

#: A query carrying a particle the text never gives the word (the text has
#: 국민당, 국민당의, 국민당으로부터의, …, never 국민당에게).
KO_OTHER_PARTICLE = "국민당에게"
#: Russian forms the text does not contain: it has «децистами», "децисты",
#: троцкистов/троцкисты, Цилига, тюрьмах/тюрьмы/тюрьме.
RU_OTHER_FORMS = ["децистов", "троцкистам", "Цилигой", "тюрьмами"]
#: One glossary entry in its three languages.
GLOSSARY_FORMS = ["신경제정책", "NEP", "нэп"]


@pytest.fixture(scope="module")
def language() -> SearchEdition:
    return SearchEdition({})


# --- the search language on its own --------------------------------------------


@pytest.mark.parametrize(("word", "stem"), [
    ("트로츠키는", "트로츠키"),
    ("국민당으로부터의", "국민당"),  # two particles
    ("네프를", "네프"),  # two syllables remain
    ("노동자들이", "노동자"),  # plural
    ("반대파들과의", "반대파"),
    ("트로츠키에게는", "트로츠키"),
    ("혁명이라는", "혁명"),
    ("1924년에", "1924년"),
    ("NEP를", "NEP"),
    ("트로츠키", "트로츠키"),  # nothing to strip
    ("제도", "제도"),  # would leave one syllable
    ("국가", "국가"),
    ("사회주의", "사회주의"),  # -주의 is no genitive
    ("사회주의의", "사회주의"),
    ("노동자국가의", "노동자국가"),
    ("децистами", "децистами"),  # not Hangul: untouched
])
def test_korean_particles_are_stripped(word, stem):
    assert strip_particles(word) == stem


def test_split_keeps_the_word_and_adds_its_stem(language):
    assert language.split("트로츠키는 국민당으로부터의 스탈린") == [
        "트로츠키는", "트로츠키", "국민당으로부터의", "국민당", "스탈린",
    ]
    assert language.split("«децистами», NEP") == ["децистами", "NEP"]
    # Decomposed Hangul (macOS copy and paste) is indexed as composed.
    assert language.split(unicodedata.normalize("NFD", "노선을")) == ["노선을", "노선"]


def test_words_are_stemmed_by_script(language):
    assert language.stem("децистами") == language.stem("децистов") == language.stem("децисты")
    assert language.stem("Троцким") == language.stem("Троцкому") == language.stem("Троцкого")
    assert language.stem("прошли") == "прошл"
    assert language.stem("Prisons") == "prison"  # English as Sphinx stems it
    assert language.stem("트로츠키는") == "트로츠키는"  # Hangul as written (split adds the stem)


def test_stopwords_of_both_languages(language):
    assert {"the", "and", "и", "что"} <= language.stopwords
    assert language.query_terms("the децистов и 노선을") == ["децист", "노선"]


@pytest.mark.parametrize(("query", "text"), [
    ("노선", "노선을 노선의 노선이"),
    ("노선으로부터", "노선을"),
    ("국민당에게", "국민당으로부터의 투자"),
    ("멘셰비키", "멘셰비키들과"),
    ("децистов", "«децистами»"),
    ("Троцкому", "с Троцким"),
    ("нэп", "нэпа"),
    ("NEP", "the NEP's"),
])
def test_query_terms_are_in_the_index(language, query, text):
    assert set(language.query_terms(query)) <= language.index_terms(text)


def test_registered_as_a_search_language():
    """The extension's setup() (one table) registers the language, its scripts in order,
    its settings and its handlers."""
    from types import SimpleNamespace

    from sphinx.search import languages

    class App:  # what setup() asks of Sphinx, recorded
        def __init__(self):
            self.js = []
            self.config = {}
            self.handlers = []
            self.events = SimpleNamespace(listeners={})

        def add_search_language(self, cls):
            languages[cls.lang] = cls

        def add_config_value(self, name, default, rebuild, **kwargs):
            self.config[name] = (default, rebuild)

        def add_js_file(self, name, **kwargs):
            self.js.append(name)

        def connect(self, event, handler, priority=500):
            self.handlers.append((event, handler.__module__))

        def __getattr__(self, name):  # the rest of the table
            return lambda *args, **kwargs: None

    from edition.presentation.search import RULES_DIGEST
    from edition import sphinxext
    from edition.presentation.search_shards import DEFAULT_SHARD_BYTES

    app = App()
    sphinxext.setup(app)
    assert languages[LANG] is SearchEdition
    search_js = [name for name in app.js if "search" in name]
    assert search_js == ["edition-search.js", "edition-search-shards.js"]
    # Changing the rules changes the "html" build info: every page is re-indexed.
    # The shard size changes no page: the shards are made anew on every build.
    assert app.config["edition_search_rules"] == (RULES_DIGEST, "html")
    assert app.config["edition_search_shard_bytes"] == (DEFAULT_SHARD_BYTES, "")
    events = {event for event, module in app.handlers if module == "edition.sphinxext.html.search"}
    # The shards are written when Sphinx dumps its index (the builder's index format,
    # set at builder-inited), so no build-finished step splits a written index again.
    assert events == {"builder-inited", "env-get-outdated"}


# --- in the browser -------------------------------------------------------------

@pytest.fixture(scope="module")
def browser(chromium):
    """The session's one Chromium (Playwright's sync API allows one per process)."""
    return chromium




@pytest.fixture(scope="module")
def site(html_build):
    """The built site over http on a free port of 127.0.0.1 (search needs http)."""
    handler = functools.partial(QuietHandler, directory=str(html_build))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def search_page(browser, site):
    """A function: query -> the search page, once Sphinx has listed the results."""
    contexts = []

    def run(query: str, summaries: bool = False):
        ctx = browser.new_context()
        contexts.append(ctx)
        page = ctx.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{site}search.html?q={quote(query)}")
        page.wait_for_function(
            "() => { const s = document.querySelector('#search-results p.search-summary');"
            " return s && s.textContent.trim().length > 0; }",
            timeout=15000,
        )
        if summaries and page.locator("#search-results ul.search > li").count():
            page.wait_for_function(
                "() => [...document.querySelectorAll('#search-results ul.search > li')]"
                ".every(li => li.querySelector('p.context'))",
                timeout=15000,
            )
        assert not errors, errors
        return page

    yield run
    for ctx in contexts:
        ctx.close()




def result_item(page, doc):
    return page.locator(f"#search-results ul.search > li:has(> a[href*='{doc}.html'])").first


def words_of(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


@pytest.fixture(scope="module")
def page_words(html_build):
    """doc -> (words of its reading text, words anywhere in its article).

    The second, apparatus and hidden parts included, is what the premises are
    checked against: a query must not be found merely because the word stands
    verbatim somewhere on the page.
    """
    def words(doc):
        soup = read_page(html_build / f"{doc}.html")
        return words_of(reading_text(soup)), words_of(article(soup).get_text(""))

    return functools.cache(words)


def test_search_page_uses_the_edition_language(html_build):
    data = (html_build / "_static" / "language_data.js").read_text(encoding="utf-8")
    assert "EditionSearch" in data and "RussianStemmer" in data and "EnglishStemmer" in data
    assert "var splitQuery" in data


@pytest.mark.parametrize("word", KO_PARTICLE_ONLY)
def test_korean_words_standing_only_with_particles_are_found(search_page, site, page_words, word):
    text, anywhere = page_words(KO_DOC)
    forms = sorted(w for w in text if strip_particles(w) == word)
    assert forms and word not in anywhere, f"premise: {word} must stand on the page only with particles"
    assert KO_DOC in result_docs(search_page(word), site), forms


def test_korean_query_with_another_particle(search_page, site, page_words):
    text, anywhere = page_words(KO_DOC)
    stem = strip_particles(KO_OTHER_PARTICLE)
    assert KO_OTHER_PARTICLE not in anywhere and any(strip_particles(w) == stem for w in text)
    assert KO_DOC in result_docs(search_page(KO_OTHER_PARTICLE), site)


@pytest.mark.parametrize("query", RU_OTHER_FORMS)
def test_russian_case_forms_not_in_the_text_are_found(search_page, site, page_words, language, query):
    text, anywhere = page_words(RU_DOC)
    forms = sorted(w for w in text if language.stem(w) == language.stem(query))
    assert forms and query.lower() not in anywhere, f"premise: {query} must not stand on the page"
    assert RU_DOC in result_docs(search_page(query), site), forms


@pytest.mark.parametrize("query", GLOSSARY_FORMS)
def test_glossary_entries_are_found_by_any_form(search_page, site, query):
    assert GLOSSARY_DOC in result_docs(search_page(query), site)


def test_snippet_in_the_language_of_the_hit_with_the_word_marked(search_page, site):
    page = search_page("노선", summaries=True)
    context = result_item(page, KO_DOC).locator("p.context")
    assert context.get_attribute("lang") == "ko"
    marked = context.locator("span.highlighted").all_inner_texts()
    assert marked and all(strip_particles(w) == "노선" for w in marked), marked

    page = search_page("децистов", summaries=True)
    context = result_item(page, RU_DOC).locator("p.context")
    assert context.get_attribute("lang") == "ru"
    marked = context.locator("span.highlighted").all_inner_texts()
    assert marked and {w.lower() for w in marked} <= {"децистами", "децисты"}, marked


@pytest.mark.parametrize(("query", "doc", "lang", "expected"), [
    ("децистов", RU_DOC, "ru", {"децистами", "децисты"}),
    ("노선", KO_DOC, "ko", None),
])
def test_the_hit_is_highlighted_on_the_page(search_page, site, query, doc, lang, expected):
    page = search_page(query)
    link = result_item(page, doc).locator("a").first
    assert "highlight=" in link.get_attribute("href")
    link.click()
    page.wait_for_url(re.compile(re.escape(doc) + r"\.html"))
    page.wait_for_selector(f"section[lang='{lang}'] span.highlighted", timeout=15000)
    marked = page.locator(f"section[lang='{lang}'] span.highlighted").all_inner_texts()
    if expected is None:
        expected = {w for w in marked if strip_particles(w) == query}
    assert marked and {w.lower() for w in marked} <= expected, marked
    assert "highlight=" not in page.url  # taken off, as sphinx_highlight.js does
    page.keyboard.press("Escape")  # Sphinx's shortcut clears the marks
    assert page.locator("span.highlighted").count() == 0


def test_browser_and_python_stem_alike(search_page, language):
    """Every word of both texts gets the same terms from the JavaScript as from Python."""
    text = "\n".join(
        (DOCS / "texts" / name).read_text(encoding="utf-8")
        for name in ("trotsky-left-opposition.md", "ciliga-gpu-prisons.md")
    ) + "\n" + (ANNOTATIONS / "glossary.yaml").read_text(encoding="utf-8")
    words = sorted(set(WORD.findall(unicodedata.normalize("NFC", text))))
    page = search_page("노선")
    js = page.evaluate(
        """(words) => {
            const stemmer = new Stemmer();
            return words.map((w) => [
                splitQuery(w).join(" "),
                EditionSearch.termsOf(w),
                stemmer.stemWord(w.toLowerCase()),
            ]);
        }""",
        words,
    )
    mismatches = []
    for word, (split, terms, query) in zip(words, js, strict=True):
        py_terms = [language.stem(w).lower() for w in language.split(word)]
        py_query = language.query_terms(word)
        if split != word or sorted(set(terms)) != sorted(set(py_terms)) or (py_query and [query] != py_query):
            mismatches.append((word, split, terms, query, py_terms, py_query))
    assert not mismatches, mismatches[:20]


def test_used_in_lists_are_not_searched(html_build):
    """The "used in" lists name a text by its short title and paragraphs, as a
    book's index does: no section title in them, so a word of a section title
    finds the text, not every register entry listing a passage of it; and
    Sphinx's search leaves the lists out (no-search) all the same."""
    pages = [read_page(p) for p in sorted(html_build.glob("glossary*.html"))]
    listings = [t for glossary in pages for t in glossary.select(".edition-used-in")]
    assert listings
    assert all("no-search" in listing["class"] for listing in listings)
    lists = " ".join(t.get_text(" ") for t in listings)
    text = read_page(html_build / f"{KO_DOC}.html")
    titles = [h.get_text(" ").rstrip("#").strip() for h in article(text).select("section h2")]
    assert titles and not [title for title in titles if title in lists]


