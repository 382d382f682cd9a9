"""A new text joins the edition by data alone, in any of its languages.

Three made-up pages, shaped like scraped ones (navigation above, a footer
below, the title repeated in the navigation, two headings with the same
words, an epigraph, quotations with attribution lines), are imported into a
copy of the project; the copy then builds, and nothing but data changed.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from conftest import ROOT, SOURCES, sphinx_build, sphinx_build_here
from support import run_edition
from support.made_up import PAGES, copy_project, run_import, write_page  # noqa: F401 (their old home)
from edition.reading.texts import split_front_matter
from reading import article, lang_of, page, strip_apparatus

DATA_FOLDERS = ("sources", "docs/texts", "annotations")

NOTE = """\
notes:
  - id: officials
    kind: editorial
    anchor:
      exact: "officials began to govern"
    body: |
      Compare {person}`kamenev` and {work}`revolution-betrayed`.
"""


def text_lines(lang: str) -> list[str]:
    """The lines of the text itself: from begins_with to ends_with, blank lines left out."""
    import yaml

    _, raw, meta = PAGES[lang]
    meta = yaml.safe_load(meta)
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    begins = meta["begins_with"].splitlines()
    first = next(i for i in range(len(lines)) if lines[i : i + len(begins)] == begins)
    return lines[first : lines.index(meta["ends_with"]) + 1]


def furniture(lang: str) -> list[str]:
    _, raw, _ = PAGES[lang]
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    inside = text_lines(lang)
    return [line for line in lines if line not in inside]


def digest_tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("add-text")
    project = copy_project(tmp)
    before = digest_tree(project)
    sources = [write_page(project / "sources", lang) for lang in PAGES]
    result = run_import(project, *sources)
    assert result.returncode == 0, result.stderr
    # A note on the new text, naming a person and a work by id alone.
    notes = project / "annotations" / "notes" / "made-up-lessons.yaml"
    notes.write_text(notes.read_text(encoding="utf-8").replace("notes: []\n", NOTE), encoding="utf-8")
    after_import = digest_tree(project)
    html = sphinx_build_here("html", tmp / "html", "-d", str(tmp / "doctrees"), srcdir=project / "docs",
                             confdir=project / "conf")
    assert html.returncode == 0 and "WARNING" not in html.stderr, html.stderr[-3000:]
    latex = sphinx_build("latex", tmp / "latex", "-d", str(tmp / "doctrees-latex"), srcdir=project / "docs",
                         confdir=project / "conf")
    assert latex.returncode == 0 and "WARNING" not in latex.stderr, latex.stderr[-3000:]
    return {"root": project, "before": before, "after": after_import, "html": tmp / "html",
            "tex": (tmp / "latex" / "edition.tex").read_text(encoding="utf-8"), "sources": sources}


def meta_of(lang: str) -> dict:
    import yaml

    return yaml.safe_load(PAGES[lang][2])


def doc_page(project, lang):
    return page(project["html"] / "texts" / f"{meta_of(lang)['id']}.html")


def test_only_the_data_folders_change(project):
    before, after = project["before"], project["after"]
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    assert changed, "the import changed nothing"
    assert all(p.startswith(tuple(f + "/" for f in DATA_FOLDERS)) for p in changed), sorted(changed)
    for lang in PAGES:
        text_id = meta_of(lang)["id"]
        assert f"docs/texts/{text_id}.md" in changed
        notes = project["root"] / "annotations" / "notes" / f"{text_id}.yaml"
        assert notes.read_text(encoding="utf-8").splitlines()[0].startswith("# yaml-language-server: $schema=")
        assert f"text: {text_id}\nnotes:" in notes.read_text(encoding="utf-8")
    sums = (project["root"] / "sources" / "SHA256SUMS").read_text(encoding="ascii")
    for source in project["sources"]:
        assert f"{hashlib.sha256(source.read_bytes()).hexdigest()}  {source.name}\n" in sums


def test_reimport_is_idempotent_and_the_edition_texts_are_unchanged(project):
    again = run_import(project["root"], *project["sources"])
    assert again.returncode == 0, again.stderr
    assert digest_tree(project["root"]) == project["after"]
    everything = sorted((project["root"] / "sources").glob("*.txt"))
    check = run_import(project["root"], *everything, check=True)
    assert check.returncode == 0, check.stderr
    for original in sorted((ROOT / "docs" / "texts").glob("*.md")):
        copy = project["root"] / "docs" / "texts" / original.name
        assert copy.read_bytes() == original.read_bytes(), original.name


@pytest.mark.parametrize("lang", PAGES)
def test_every_line_verbatim_no_furniture_and_lang(project, lang):
    soup = doc_page(project, lang)
    body = strip_apparatus(article(soup))
    blocks = [b.get_text("").strip() for b in body.find_all(["p", "h1", "h2", "h3"])]
    for line in text_lines(lang):
        assert line in blocks, line
    text = body.get_text("")
    for line in furniture(lang):
        if line not in text_lines(lang):
            assert line not in text, line
    meta, _ = split_front_matter(
        (project["root"] / "docs" / "texts" / f"{meta_of(lang)['id']}.md").read_text(encoding="utf-8"))
    assert meta["navigation"] and meta["footer"]  # kept as provenance
    # Two headings with the same words: two sections with distinct anchors.
    heads = [h for h in article(soup).find_all("h2")]
    same = [h for h in heads if h.get_text("").strip().rstrip("#").strip() == heads[0].get_text("").strip().rstrip("#").strip()]
    assert len(same) == 2 and same[0].parent["id"] != same[1].parent["id"]
    # The paragraphs are numbered 1, 2, … as the tools number them (notes anchor by these numbers).
    from edition.reading.texts import load_text

    doc = project["root"] / "docs" / "texts" / f"{meta_of(lang)['id']}.md"
    count = len(load_text(doc, project["root"] / "docs").paragraphs)
    numbers = [p["id"] for p in article(soup).select("p.edition-para")]
    assert numbers == [f"p-{n}" for n in range(1, count + 1)]
    h1 = article(soup).find("h1")
    assert lang_of(h1) == lang
    for paragraph in article(soup).select("p.edition-para"):
        assert lang_of(paragraph) == lang
    # The epigraph and the quotations keep their attribution lines, as attributions.
    epigraph = article(soup).select_one(".epigraph")
    assert epigraph is not None and epigraph.select_one(".attribution")


def test_listed_on_the_home_page_and_in_the_pdf_front_matter(project):
    home = page(project["html"] / "index.html")
    listing = home.select_one("dl.edition-texts")
    tex = project["tex"]
    front = tex[tex.index(r"\begin{titlepage}"): tex.index(r"\end{titlepage}")]
    for lang in PAGES:
        meta = meta_of(lang)
        link = listing.find("a", href=f"texts/{meta['id']}.html")
        title = text_lines(lang)[0]
        assert link is not None and link.get_text("").strip() == title
        assert lang_of(link) == lang
        assert title in front
        # And in the navigation: the home page's names its language's listing page, which
        # lists it; its own page's has that group open on it, with its language.
        group = home.select_one(f'nav.bd-docs-nav a[href="texts-{lang}.html"]')
        assert group is not None
        assert page(project["html"] / f"texts-{lang}.html").select_one(
            f'article a[href="texts/{meta["id"]}.html"]') is not None
        nav_link = doc_page(project, lang).select_one('nav.bd-docs-nav details[open] a[aria-current="page"]')
        assert nav_link is not None and nav_link.get_text("").strip() == title
        assert lang_of(nav_link.find(string=re.compile(re.escape(title[:5]))).parent) == lang
    assert r"\foreignlanguage{russian}{" + text_lines("ru")[0] + "}" in front


def linked(soup, key: str) -> list[str]:
    return [a.get_text("") for a in article(soup).select(f"a .edition-key-{key}")]


def test_english_page_is_linked(project):
    soup = doc_page(project, "en")
    assert "NEP" in linked(soup, "term-nep")
    assert "Thermidor" in linked(soup, "term-thermidor")
    assert "Kuomintang" in linked(soup, "term-kuomintang")
    assert "Trotsky" in linked(soup, "person-trotsky")


def test_capitalised_russian_form_is_linked(project):
    soup = doc_page(project, "ru")
    assert "Рабочей Оппозиции" in linked(soup, "term-workers-opposition")


def test_no_nep_inside_kamenev(project):
    soup = doc_page(project, "ko")
    body = article(soup)
    assert "카메네프는" in body.get_text("")
    links = body.select("a .edition-key-term-nep")
    assert links, "네프 is linked where it is a word of its own"
    for span in links:
        anchor = span.find_parent("a")
        before = anchor.previous_sibling
        assert not (isinstance(before, str) and before.endswith("카메")), str(anchor.parent)


def test_roles_without_text_show_the_display_name(project):
    from edition.model.registers import load_persons, load_works

    persons, _ = load_persons(project["root"] / "annotations" / "persons.yaml")
    works, _ = load_works(project["root"] / "annotations" / "works.yaml", {p.id for p in persons})
    name = next(p.name for p in persons if p.id == "kamenev")
    title = next(w.title_en for w in works if w.id == "revolution-betrayed")
    html_text = doc_page(project, "en").get_text("")
    assert f"Compare {name} and {title}." in " ".join(html_text.split())
    assert "kamenev" not in html_text
    tex = " ".join(project["tex"].split())
    assert re.search(r"Compare \S*\\hyperref\S*\{" + re.escape(name) + "}", tex) and "{kamenev}" not in tex


def test_check_passes_with_the_new_texts(project):
    root = project["root"]
    result = run_edition("check", "--docs", root / "docs", "--annotations", root / "annotations", cwd=root)
    assert result.returncode == 0, result.stderr
    texts = len(list((root / "docs" / "texts").glob("*.md")))
    assert f"edition check: {texts} texts," in result.stderr and "0 errors, 0 warnings" in result.stderr, result.stderr


# --- refusals ------------------------------------------------------------------------

REFUSALS = {
    "begins-with-absent": ("begins_with: A line that is not on the page\n", "is not a line of the source"),
    "begins-with-repeated": ("begins_with: The Lessons of the Opposition\n", "occurs on lines 1 and 5"),
    "ends-with-absent": ("ends_with: Not on the page either.\n", "is not a line of the source"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_refusals_say_what_to_change_and_write_nothing(tmp_path, case):
    meta_lines, message = REFUSALS[case]
    project = copy_project(tmp_path)
    before = digest_tree(project)
    source = write_page(project / "sources", "en", f"id: made-up-lessons\nlang: en\n{meta_lines}")
    result = run_import(project, source)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "please report" not in lines[0], result.stderr
    after = digest_tree(project)
    after.pop(f"sources/{source.name}"), after.pop(f"sources/{source.stem}.meta.yaml")
    assert after == before


def test_a_taken_id_is_refused(tmp_path):
    project = copy_project(tmp_path)
    taken = next((project / "docs" / "texts").glob("*.md"))
    before = digest_tree(project)
    source = write_page(project / "sources", "en", PAGES["en"][2].replace("id: made-up-lessons", f"id: {taken.stem}"))
    result = run_import(project, source)
    assert result.returncode != 0
    assert re.search(rf"id '{taken.stem}' is taken: .*give this text another id", result.stderr), result.stderr
    after = digest_tree(project)
    after.pop(f"sources/{source.name}"), after.pop(f"sources/{source.stem}.meta.yaml")
    assert after == before


def test_an_empty_page_is_refused(tmp_path):
    project = copy_project(tmp_path)
    source = project / "sources" / "903_empty.txt"
    source.write_text("\n \n", encoding="utf-8")
    source.with_name("903_empty.meta.yaml").write_text("id: empty-page\nlang: en\n", encoding="utf-8")
    result = run_import(project, source)
    assert result.returncode != 0 and "the file is empty" in result.stderr
    assert not (project / "docs" / "texts" / "empty-page.md").exists()
    assert not (project / "annotations" / "notes" / "empty-page.yaml").exists()
