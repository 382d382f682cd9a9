"""The Changes page and the versioned copy a release is cited at.

Built from the made-up history (made_up_history.py, tags v1 and v2): the
page lists, under version 2, exactly the changes v2 made, each that still
exists linked to where it is; a copy without git history says it has no
releases to list; a release build cites its versioned copy.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import sphinx_build, sphinx_build_here
from made_up_history import EXAMPLE_URL, EXPECTED, git, make_history


def build(repo: Path, out: Path) -> Path:
    """A clean HTML build in this process (the rebuilds below run in their own)."""
    result = sphinx_build_here("html", out, srcdir=repo / "docs", confdir=repo / "conf")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "WARNING" not in result.stderr, result.stderr
    return out


@pytest.fixture(scope="module")
def history_build(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("changes")
    repo = make_history(root / "edition")
    return repo, build(repo, root / "html")


def section(out: Path, version: str):
    soup = BeautifulSoup((out / "changes.html").read_text(encoding="utf-8"), "lxml")
    return soup.select_one(f"section#release-v{version}"), soup


def test_changes_page_lists_exactly_the_releases_changes(history_build):
    _, out = history_build
    v2, soup = section(out, "2")
    # Dated as the release's CITATION.cff says (v1 has none: its commit's date).
    assert v2 is not None and v2.h2 and "Version 2 (2031-02-03)" in v2.h2.get_text()
    items = [li.get_text(" ", strip=True) for li in v2.select("li")]
    assert len(items) == len(EXPECTED)
    # Notes by id; entries and texts by the names readers know them by.
    names = {"diff-term": "scissorsmith", "diff-person": "Ivan Madeupov", "made-up-added": "Придуманный текст",
             "diff-work": "Made-up Pamphlet"}
    words = {"added": "added", "changed": "changed", "moved": "moved", "renamed": "renamed", "removed": "removed"}
    for _, change, changed_id in EXPECTED:
        name = names.get(changed_id, changed_id)
        (item,) = [i for i in items if re.search(rf"(^| ){re.escape(name)}( |$)", i)]
        assert words[change] in item, item
    # A moved stand-off citation: said as citations, its words and ¶, the text by its name and linked.
    (work,) = [li for li in v2.select("li") if "Made-up Pamphlet" in li.get_text()]
    said = re.sub(r"\s+", " ", work.get_text())
    assert "changed (citations); citations added: “third paragraph” in ¶3 of A Made-up Text for the Diff" in said
    assert "citations dropped: “second paragraph” in ¶2 of A Made-up Text for the Diff" in said
    assert [a["href"] for a in work.select("a")][1:] == ["texts/made-up-diff.html"] * 2
    v1, _ = section(out, "1")
    assert "The first release" in v1.get_text() and not v1.select("li")
    # Newest first.
    ids = [s["id"] for s in soup.select("section[id^=release-]")]
    assert ids == ["release-v2", "release-v1"]


def test_each_item_links_to_its_passage_or_entry(history_build):
    _, out = history_build
    v2, _ = section(out, "2")
    links = {a.get_text(" ", strip=True): a["href"] for a in v2.select("li a")}
    page = out / "changes.html"
    for note_id in ("diff-added", "diff-edited", "diff-moved", "diff-renamed-new"):
        href = links[note_id]
        # To the passage: the note's marker in the text, inside the paragraph it annotates.
        assert urlsplit(href).fragment == f"noteref-{note_id}"
        target = (page.parent / urlsplit(href).path).resolve()
        marker = BeautifulSoup(target.read_text(encoding="utf-8"), "lxml").find(id=f"noteref-{note_id}")
        assert marker is not None and marker.find_parent("p"), href
    term = next(href for text, href in links.items() if "scissorsmith" in text)
    target = (page.parent / urlsplit(term).path).resolve()
    assert BeautifulSoup(target.read_text(encoding="utf-8"), "lxml").find(id=urlsplit(term).fragment)
    assert links["Придуманный текст"].endswith("texts/made-up-added.html")
    # A text named by its own title (it has no English one) is marked with its language.
    (title,) = [a for a in v2.select("li a") if a.get_text(strip=True) == "Придуманный текст"]
    assert title.find_parent(attrs={"lang": "ru"}) or title.find(attrs={"lang": "ru"})
    assert not [e for e in v2.select("[lang]") if "A Made-up Text for the Diff" in e.get_text()]
    # What is gone is named, not linked.
    assert not [text for text in links if "Madeupov" in text]


def test_a_release_build_cites_its_versioned_copy(history_build):
    _, out = history_build
    page = BeautifulSoup((out / "texts/made-up-diff.html").read_text(encoding="utf-8"), "lxml")
    public = page.find("meta", attrs={"name": "citation_public_url"})["content"]
    assert public == f"{EXAMPLE_URL}v/2/texts/made-up-diff.html"
    assert page.find("link", rel="canonical")["href"] == public


def test_a_build_after_the_release_cites_the_edition_itself(history_build, tmp_path):
    repo, _ = history_build
    copy = tmp_path / "edition"
    shutil.copytree(repo, copy, symlinks=True)
    git(copy, "commit", "-q", "--allow-empty", "-m", "after the release")
    out = build(copy, tmp_path / "html")
    page = BeautifulSoup((out / "texts/made-up-diff.html").read_text(encoding="utf-8"), "lxml")
    assert page.find("meta", attrs={"name": "citation_public_url"})["content"] == f"{EXAMPLE_URL}texts/made-up-diff.html"


def test_without_git_history_the_page_says_so(history_build, tmp_path):
    repo, _ = history_build
    tarball = tmp_path / "edition"
    shutil.copytree(repo, tarball, ignore=shutil.ignore_patterns(".git"))
    out = build(tarball, tmp_path / "html")
    text = BeautifulSoup((out / "changes.html").read_text(encoding="utf-8"), "lxml").select_one("article").get_text(" ")
    assert "built without its git history" in re.sub(r"\s+", " ", text)
    assert "Version" not in text


def test_print_links_only_to_labels_that_exist(history_build, tmp_path):
    """In print a note is a footnote without a label: its item links to the text."""
    repo, _ = history_build
    out = tmp_path / "latex"
    result = sphinx_build("latex", out, srcdir=repo / "docs", confdir=repo / "conf")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    tex = next(out.glob("*.tex")).read_text(encoding="utf-8")
    changes = tex[tex.index(r"\label{\detokenize{changes:release-v2}}"):tex.index(r"\label{\detokenize{changes:release-v1}}")]
    targets = re.findall(r"\\hyperref\[\\detokenize\{([^}]*)\}\]", changes)
    assert len(targets) >= 5  # four notes and the added text, at least
    labels = set(re.findall(r"\\label\{\\detokenize\{([^}]*)\}\}", tex))
    assert set(targets) <= labels


def test_the_page_is_read_again_when_a_release_is_tagged_not_otherwise(history_build, tmp_path):
    repo, _ = history_build
    copy = tmp_path / "edition"
    shutil.copytree(repo, copy, symlinks=True)
    out, doctrees = tmp_path / "html", tmp_path / "doctrees"

    def read():
        result = sphinx_build("html", out, "-d", str(doctrees), srcdir=copy / "docs", confdir=copy / "conf")
        assert result.returncode == 0, result.stderr
        return re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", result.stdout)

    assert "changes" in read()
    assert read() == []  # nothing changed, nothing read
    notes = copy / "annotations/notes/made-up-diff.yaml"
    notes.write_text(notes.read_text(encoding="utf-8").replace("So the source.", "So the source has it."),
                     encoding="utf-8")
    assert read() == ["texts/made-up-diff"]  # an edited note: its text only
    git(copy, "commit", "-q", "-am", "v3")
    git(copy, "tag", "-a", "v3", "-m", "Release v3")
    assert read() == ["changes"]
    v3, _ = section(out, "3")
    assert "Note diff-renamed-new changed (body)" in v3.get_text(" ", strip=True)


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_changes_page_is_accessible(history_build, chromium, mode):
    from conftest import node_tool
    from test_accessibility import open_page, serious_violations

    _, out = history_build
    axe = node_tool("axe-core/axe.min.js", "accessibility tests")
    page = open_page(chromium, out, "changes.html", mode)
    try:
        assert serious_violations(page, axe) == []
    finally:
        page.context.close()


@pytest.mark.slow  # Java
def test_changes_page_is_valid_html(history_build):
    import subprocess

    from conftest import node_tool, require_tool

    _, out = history_build
    require_tool("java", "the Nu HTML Checker runs on Java")
    vnu = node_tool("vnu-jar/build/dist/vnu.jar", "HTML validation")
    result = subprocess.run(["java", "-jar", str(vnu), "--errors-only", "--format", "text", str(out / "changes.html")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
