"""The web edition's navigation: each page carries its own branch, every text stays reachable.

Made-up editions: the edition's apparatus and settings with short made-up
texts in four languages (two of them not the real texts' languages) instead
of the real texts, which would only add build time; built in this process at
3 and at 60 texts, and at 17 texts with small budgets, so that the listing
pages split, the home page sums up the groups and the sidebar leaves groups
out; one of them changed three times in turn for the incremental builds. Then
the real edition (the session's build): its text pages and every page reached.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import BUILD_ENV, ROOT, sphinx_build
from support import copy_project, keep_only_texts, sphinx_build_here

from edition.base.languages import language_name

#: Made-up titles, one script per language; none of them is a real text's.
MADE_UP_LANGUAGES = {
    "de": "Ein erfundener Aufsatz über die Opposition",
    "en": "A made-up essay on the Opposition",
    "ko": "지어낸 반대파 논문",
    "ru": "Выдуманная статья об оппозиции",
}

#: Small budgets: with 17 texts the listing pages split and the sidebar names 2 of 4 groups.
SMALL = {"edition_texts_per_page": 3, "edition_nav_texts": 3, "edition_nav_groups": 2}


def made_up_text(number: int, lang: str, paragraphs: int = 2) -> str:
    title = f"{MADE_UP_LANGUAGES[lang]} {number}"
    paragraph = f"{MADE_UP_LANGUAGES[lang]}, paragraph {number}. " * 4
    body = "\n\n".join([paragraph] * paragraphs)
    # Two made-up periodicals (one written with runs of spaces), and texts of none.
    publication = f"publication: Made-up  Bulletin   No. {number % 3}\n" if number % 3 else ""
    return (f"---\nedition-text: made-up-{number:03d}\nlang: {lang}\ntitle: {title}\n"
            f"title_en: Made-up text {number}\ndate: '19{number % 100:02d}'\n{publication}---\n\n# {title}\n\n"
            f"```{{edition-text-header}}\n```\n\n{body}\n")


#: The first made-up text is as long as an article (about 40 KB of HTML), the others short.
LONG_TEXT_PARAGRAPHS = 120


def add_made_up_texts(project: Path, count: int, start: int = 1) -> list[str]:
    """*count* made-up texts in the four languages in turn; their document names."""
    names = []
    languages = sorted(MADE_UP_LANGUAGES)
    for number in range(start, start + count):
        lang = languages[number % len(languages)]
        paragraphs = LONG_TEXT_PARAGRAPHS if number == 1 else 2
        (project / "docs" / "texts" / f"made-up-{number:03d}.md").write_text(
            made_up_text(number, lang, paragraphs), encoding="utf-8")
        names.append(f"texts/made-up-{number:03d}")
    return names


def made_up_edition(root: Path, texts: int) -> Path:
    """The edition's apparatus and settings with *texts* made-up texts and none of the real ones."""
    project = keep_only_texts(copy_project(root), set())
    shutil.copy(ROOT / "CITATION.cff", project / "CITATION.cff")
    add_made_up_texts(project, texts)
    return project


def build(project: Path, out: Path, *options: str, settings: dict | None = None) -> Path:
    extra = [x for name, value in (settings or {}).items() for x in ("-D", f"{name}={value}")]
    result = sphinx_build_here("html", out, *options, *extra, "-d", str(out.parent / f"{out.name}-doctrees"),
                               srcdir=project / "docs", confdir=project / "conf", env=BUILD_ENV)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return out


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> dict[int, Path]:
    """The HTML of made-up editions of 3 and of 60 texts."""
    found = {}
    for count in (3, 60):
        root = tmp_path_factory.mktemp(f"nav-{count}")
        found[count] = build(made_up_edition(root / "project", count), root / "html")
    return found


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> dict:
    """A made-up edition of 17 texts with small budgets: split listing pages."""
    root = tmp_path_factory.mktemp("nav-small")
    project = made_up_edition(root / "project", 17)
    return {"project": project, "root": root, "html": build(project, root / "html", settings=SMALL)}


# --- helpers -------------------------------------------------------------------------------


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def tree_of(path: Path):
    """*path* parsed by lxml alone: for the tests that read every page of an edition, several times."""
    from lxml import html

    return html.document_fromstring(path.read_text(encoding="utf-8"))


def with_class(name: str) -> str:
    """XPath: the elements with *name* among their classes (CSS's .name)."""
    return f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"


def sidebar(soup: BeautifulSoup):
    nav = soup.select_one("nav.bd-docs-nav")
    assert nav is not None, "no navigation in the sidebar"
    return nav


def target(page: Path, href: str, out: Path) -> Path | None:
    """The file of the edition an <a href> on *page* leads to (None: outside it)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = (page.parent / unquote(parts.path)).resolve()
    if path.is_dir():
        path = path / "index.html"
    return path if path.is_relative_to(out.resolve()) else None


def crawl(out: Path) -> set[Path]:
    """Every page reached from the home page by following <a href> links."""
    seen: set[Path] = set()
    todo = [(out / "index.html").resolve()]
    while todo:
        page = todo.pop()
        if page in seen or page.suffix != ".html" or not page.is_file():
            continue
        seen.add(page)
        for href in tree_of(page).xpath("//a/@href"):
            found = target(page, href, out)
            if found is not None and found not in seen:
                todo.append(found)
    return seen


def text_pages(out: Path) -> list[Path]:
    return sorted((out / "texts").glob("*.html"))


def language_of_page(path: Path) -> str:
    return soup_of(path).select_one("article h1").find_parent(lang=True)["lang"]


def linked_texts(nav, page: Path, out: Path) -> set[Path]:
    """The text pages a navigation block links to (its own page too)."""
    found = set()
    for link in nav.find_all("a", href=True):
        path = target(page, link["href"], out)
        if link["href"] == "#":
            path = page.resolve()
        if path is not None and path.parent == (out / "texts").resolve():
            found.add(path)
    return found


# --- the tests ------------------------------------------------------------------------------


def test_a_text_page_is_the_same_size_at_3_and_at_60_texts(editions):
    """57 texts more add to a text page at most its group's window (edition_nav_texts links and the
    link to the group's other texts), never a link per text: the size stays put as the edition grows."""
    limit = 9  # conf.py's edition_nav_texts
    pages = text_pages(editions[3])
    assert len(pages) == 3
    for page in pages:
        large = editions[60] / "texts" / page.name
        entry = max(len(str(item).encode()) for item in sidebar(soup_of(large)).select("li.toctree-l2"))
        growth = large.stat().st_size - page.stat().st_size
        assert growth <= (limit + 1) * entry, (page.name, page.stat().st_size, large.stat().st_size, entry)


def test_an_article_length_text_page_differs_by_under_5_percent_at_3_and_at_60_texts(editions):
    """The issue's measure on a page of an article's length (the short pages' bound is above)."""
    small, large = (editions[count] / "texts" / "made-up-001.html" for count in (3, 60))
    assert small.stat().st_size > 30_000, "the long made-up text is not article length"
    assert abs(large.stat().st_size - small.stat().st_size) < 0.05 * small.stat().st_size, (
        small.stat().st_size, large.stat().st_size)


def check_text_pages_navigation(out: Path, limit: int) -> None:
    """Each text page's sidebar: its own group open, on at most *limit* texts of it, the rest one link away."""
    pages = text_pages(out)
    languages = {page: language_of_page(page) for page in pages}
    for page in pages:
        nav = sidebar(soup_of(page))
        lang = languages[page]
        opened = nav.select("li.has-children > details[open]")
        assert len(opened) == 1, page.name
        group = opened[0].find_parent("li")
        assert group.find("a").get_text(strip=True) == language_name(lang)
        current = nav.select('a[aria-current="page"]')
        assert len(current) == 1 and current[0].find_parent("details") is opened[0], page.name
        texts = linked_texts(nav, page, out)
        assert page.resolve() in texts
        assert len(texts) <= limit, (page.name, len(texts))
        # Every text named is of the open group, in its language.
        for link in opened[0].select("li.toctree-l2 > a > span[lang]"):
            assert link["lang"] == lang
        assert texts == linked_texts(opened[0], page, out), "a text outside the open group is named"
        # The closed groups name no text; the group's other texts, if any, are one link away.
        more = opened[0].select_one("li.edition-nav-all a")
        if len(texts) < list(languages.values()).count(lang):
            assert more is not None and f"texts in {language_name(lang)}" in more.get_text(), page.name
        else:
            assert more is None, page.name


def test_a_text_page_names_its_own_group_open_and_a_bounded_number_of_texts(editions):
    assert len(text_pages(editions[60])) == 60
    check_text_pages_navigation(editions[60], limit=9)  # conf.py's edition_nav_texts


def test_a_text_page_of_the_edition_names_its_own_group_open(html_build):
    assert text_pages(html_build), "no text pages"
    check_text_pages_navigation(html_build, limit=9)


def test_pages_outside_the_texts_name_no_text_and_every_apparatus_page(editions):
    out = editions[60]
    apparatus = ("glossary.html", "persons.html", "works.html", "changes.html", "edition-persons.html",
                 "edition-works.html")
    for name in ("index.html", "glossary.html", "glossary-a.html", "texts-ko.html", "edition-works.html"):
        page = out / name
        nav = sidebar(soup_of(page))
        assert not linked_texts(nav, page, out), name
        assert not nav.select("details[open]"), name
        hrefs = {a["href"] for a in nav.find_all("a", href=True)}
        for other in apparatus:
            assert other in hrefs or (other == name and "#" in hrefs), (name, other)


def test_listing_pages_hold_every_text_of_their_language_in_order(small):
    out, project = small["html"], small["project"]
    from edition.reading.texts import text_front_matters

    texts = text_front_matters(project / "docs")
    by_lang: dict[str, list[str]] = {}
    for _, docname, meta in texts:
        by_lang.setdefault(meta["lang"], []).append(f"{docname}.html")
    for lang, expected in by_lang.items():
        pages = [out / f"texts-{lang}.html"] + sorted(out.glob(f"texts-{lang}-*.html"),
                                                      key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        listed = []
        for number, page in enumerate(pages, start=1):
            soup = soup_of(page)
            links = [a["href"] for a in soup.select("article dl.edition-texts dt a")]
            assert 0 < len(links) <= SMALL["edition_texts_per_page"], page.name
            listed += links
            heading = soup.select_one("article h1").get_text()
            assert language_name(lang) in heading
            if len(pages) > 1:
                assert f"page {number} of {len(pages)}" in heading
                pager = soup.select_one("article p.edition-pager")
                assert {a["href"] for a in pager.find_all("a")} == {p.name for p in pages if p != page}
        assert listed == expected, lang
    # More texts than a listing page holds: the home page sums up the groups.
    home = soup_of(out / "index.html")
    assert home.select_one("dl.edition-texts") is None
    groups = home.select_one("#edition-texts")
    assert {a["href"] for a in groups.find_all("a")} >= {f"texts-{lang}.html" for lang in by_lang}


def test_the_sidebar_leaves_groups_out_and_says_where_they_are(small):
    out = small["html"]
    nav = sidebar(soup_of(out / "index.html"))
    groups = nav.select("ul.edition-nav-groups > li.toctree-l1:not(.edition-nav-all)")
    assert len(groups) == SMALL["edition_nav_groups"]
    assert nav.select_one("li.edition-nav-all a")["href"] == "#edition-texts"
    assert sidebar(soup_of(out / "glossary.html")).select_one("li.edition-nav-all a")["href"] == (
        "index.html#edition-texts")
    # A text of a group left out still opens its own group.
    for page in text_pages(out):
        lang = language_of_page(page)
        opened = sidebar(soup_of(page)).select_one("details[open]").find_parent("li")
        assert opened.find("a").get_text(strip=True) == language_name(lang)


def test_a_crawl_from_the_home_page_reaches_every_page_of_a_split_edition(small):
    out = small["html"]
    assert list(out.glob("texts-*-2.html")), "the listing pages did not split"
    reached = crawl(out)
    every = {p.resolve() for p in out.rglob("*.html") if p.name != "search.html" and "_static" not in p.parts}
    assert every - reached == set()


def test_a_crawl_from_the_home_page_reaches_every_page_of_the_edition(html_build):
    reached = crawl(html_build)
    every = {p.resolve() for p in html_build.rglob("*.html") if p.name != "search.html" and "_static" not in p.parts}
    assert {p for p in every if p.parent.name == "texts"}, "no text pages"
    assert every - reached == set()


def navigation_blocks(out: Path) -> dict[str, str]:
    """Each page's navigation: the sidebar's, and the previous and next page in its footer."""
    from lxml import html

    blocks = {}
    for path in sorted(out.rglob("*.html")):
        if path.name != "search.html" and "_static" not in path.parts:
            tree = tree_of(path)
            nav = tree.xpath(f"{with_class('bd-docs-nav')}[self::nav]")
            assert nav, f"no navigation in the sidebar of {path}"
            footer = tree.xpath(with_class("prev-next-area"))
            blocks[str(path.relative_to(out))] = "".join(html.tostring(element, encoding="unicode", with_tail=False)
                                                         for element in nav[:1] + footer[:1])
    return blocks


#: The changes made in turn to one made-up edition: a text added to a language it has, one added
#: in a new language, one removed.
CHANGES = ("add-ru", "add-fr", "remove")


@pytest.fixture(scope="module")
def changed(tmp_path_factory) -> dict[str, dict]:
    """A made-up edition of 9 texts (small budgets) built, then changed as CHANGES says, one change
    after the other, each followed by an incremental build, a clean build of the same sources, and
    a second incremental build with nothing to write. For each change: what those builds wrote."""
    root = tmp_path_factory.mktemp("nav-changes")
    project = made_up_edition(root / "project", 9)
    out = build(project, root / "html", settings=SMALL)
    found = {}
    for number, change in enumerate(CHANGES, start=900):
        before = {p: p.stat().st_mtime_ns for p in text_pages(out)}
        if change == "remove":
            (project / "docs" / "texts" / "made-up-003.md").unlink()
            before.pop(out / "texts" / "made-up-003.html")
        else:
            lang = change.removeprefix("add-")
            text = made_up_text(number, "ru").replace("lang: ru", f"lang: {lang}")
            (project / "docs" / "texts" / f"made-up-{number}.md").write_text(text, encoding="utf-8")
        build(project, out, settings=SMALL)
        clean = build(project, root / f"clean-{change}", settings=SMALL)
        listings = sorted(p.name for p in clean.glob("texts-*.html"))
        state = {
            "written": navigation_blocks(out), "clean": navigation_blocks(clean), "listings": listings,
            "written listings": {name: (out / name).read_bytes() for name in listings},
            "clean listings": {name: (clean / name).read_bytes() for name in listings},
            "home": ((out / "index.html").read_bytes(), (clean / "index.html").read_bytes()),
            "rewritten": len([p for p, stamp in before.items() if p.stat().st_mtime_ns != stamp]),
            "text pages before": len(before),
        }
        # A build with nothing to write still writes the listing pages, without failing.
        build(project, out, settings=SMALL)
        state["listings after a build with nothing to write"] = {name: (out / name).read_bytes()
                                                                 for name in listings}
        found[change] = state
    return found


@pytest.mark.parametrize("change", CHANGES)
def test_adding_or_removing_a_text_leaves_no_page_with_a_stale_navigation(changed, change):
    """Incremental: after a text is added (to a language the edition has, or a new one) or
    removed, every page's navigation, every listing page and the home page are what a clean
    build gives."""
    state = changed[change]
    written, clean = state["written"], state["clean"]
    assert {name: written[name] for name in clean} == clean
    assert state["listings"], "no listing pages"
    for name in state["listings"]:
        assert state["written listings"][name] == state["clean listings"][name], name
    assert state["home"][0] == state["home"][1]
    if change == "add-ru":  # a group gained a text: only the pages whose window shows it changed
        assert 0 < state["rewritten"] < state["text pages before"], state["rewritten"]
    for name in state["listings"]:
        assert state["listings after a build with nothing to write"][name] == state["clean listings"][name], name


@pytest.mark.parametrize("name, value", [("edition_nav_texts", 0), ("edition_texts_per_page", -3),
                                         ("edition_nav_groups", True), ("edition_text_groups", " ")])
def test_a_bad_navigation_setting_is_refused_by_name(tmp_path, name, value):
    from support import sphinx_app

    status, _, warnings = sphinx_app(tmp_path, confoverrides={name: value})
    assert status != 0 and name in warnings, warnings


def test_two_processes_write_the_same_split_edition(small, tmp_path):
    out = tmp_path / "j2"
    extra = [x for name, value in SMALL.items() for x in ("-D", f"{name}={value}")]
    result = sphinx_build("html", out, "-j", "2", *extra, "-d", str(tmp_path / "doctrees"),
                          srcdir=small["project"] / "docs", confdir=small["project"] / "conf", env=BUILD_ENV)
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stdout[-3000:] + result.stderr
    serial = {p.relative_to(small["html"]): p.read_bytes() for p in small["html"].rglob("*")
              if p.is_file() and ".doctrees" not in p.parts}
    parallel = {p.relative_to(out): p.read_bytes() for p in out.rglob("*")
                if p.is_file() and ".doctrees" not in p.parts}
    assert sorted(serial) == sorted(parallel)
    assert [name for name in serial if serial[name] != parallel[name]] == []


def test_a_document_named_like_a_listing_page_is_refused(tmp_path):
    project = made_up_edition(tmp_path / "project", 3)
    (project / "docs" / "texts-ru.md").write_text("# Not a listing\n\nA page.\n", encoding="utf-8")
    index = project / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("\nchanges\n", "\nchanges\ntexts-ru\n"),
                     encoding="utf-8")
    result = sphinx_build_here("html", tmp_path / "html", srcdir=project / "docs", confdir=project / "conf",
                               env=BUILD_ENV)
    assert result.returncode != 0
    assert re.search(r"texts-ru.*listing page", result.stderr), result.stderr


# --- in the browser -------------------------------------------------------------------------

WIDTHS = (1280, 360)


def open_at(page, path: Path, width: int):
    """*path* at *width* px in *page*; on a phone, with the navigation's menu opened as a reader opens it."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    if width < 960:
        assert not page.locator("nav.bd-docs-nav").is_visible()
        page.click("button.primary-toggle")
        page.wait_for_timeout(300)
    assert page.locator("nav.bd-docs-nav").is_visible()
    return page


def axe_verdicts(chromium, out: Path, names) -> dict:
    """axe-core's serious findings on each page *names* of *out* at each width, in one browser page."""
    from conftest import node_tool
    from support import browser_page
    from support.browser import serious_violations

    axe = node_tool("axe-core/axe.min.js", "accessibility tests")
    with browser_page(chromium) as page:
        return {(name, width): serious_violations(open_at(page, out / name, width), axe)
                for width in WIDTHS for name in names}


@pytest.mark.browser
def test_axe_finds_nothing_serious_in_the_navigation_of_the_edition(chromium, html_build):
    names = ["index.html", "texts/trotsky-left-opposition.html", "texts-ru.html"]
    assert axe_verdicts(chromium, html_build, names) == {(n, w): [] for w in WIDTHS for n in names}


@pytest.mark.browser
def test_axe_finds_nothing_serious_in_the_navigation_of_a_split_edition(chromium, small):
    names = ["index.html", "texts/made-up-004.html", "texts-ru-2.html"]
    assert axe_verdicts(chromium, small["html"], names) == {(n, w): [] for w in WIDTHS for n in names}


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_the_keyboard_reaches_the_open_group_and_closes_it(chromium, small, width):
    from support import browser_page

    path = small["html"] / "texts" / "made-up-004.html"
    with browser_page(chromium) as page:
        open_at(page, path, width)
        if width >= 960:
            page.focus("nav.bd-docs-nav a")  # the sidebar's first link (the home page)
        for _ in range(20):
            if page.evaluate("document.activeElement.getAttribute('aria-current') === 'page'"):
                break
            page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('nav.bd-docs-nav details[open]') !== null")
        page.keyboard.press("Shift+Tab")  # back, past the texts before it, to the group's toggle
        for _ in range(20):
            if page.evaluate("document.activeElement.tagName") == "SUMMARY":
                break
            page.keyboard.press("Shift+Tab")
        label = f"Texts in {language_name(language_of_page(path))}"
        assert page.evaluate("document.activeElement.getAttribute('aria-label')") == label
        page.keyboard.press("Enter")
        assert page.evaluate("document.querySelector('nav.bd-docs-nav details').open") is False


def expected_group(meta: dict, by: str) -> str:
    """The navigation's label for a text's group, worked out here from its front matter."""
    if by == "year":
        years = re.findall(r"(?<!\d)\d{4}(?!\d)", str(meta.get("date") or ""))
        return years[0] if years else "Undated"
    value = " ".join(str(meta.get(by) or "").split())
    return value or "Other texts"


@pytest.mark.parametrize("by", ["year", "publication"])
def test_texts_grouped_by_year_or_by_another_key(tmp_path, by):
    from edition.reading.texts import text_front_matters

    project = made_up_edition(tmp_path / "project", 9)
    out = build(project, tmp_path / "html", settings={**SMALL, "edition_text_groups": by})
    metas = {f"{docname}.html": meta for _, docname, meta in text_front_matters(project / "docs")}
    labels = set()
    for name, meta in metas.items():
        nav = sidebar(soup_of(out / name))
        opened = nav.select_one("details[open]").find_parent("li")
        label = opened.find("a").get_text(strip=True)
        assert label == expected_group(meta, by), name
        assert opened.select_one("summary")["aria-label"]
        labels.add(label)
        listing = target(out / name, opened.find("a")["href"], out)
        assert listing is not None and listing.is_file()
    assert len(labels) > 1
    every = {p.resolve() for p in out.rglob("*.html") if p.name != "search.html" and "_static" not in p.parts}
    assert every - crawl(out) == set()
