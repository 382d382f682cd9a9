"""A made-up history of the edition for `edition diff` and the Changes page.

A copy of the project (its real texts, annotations, configuration and
CITATION.cff) plus a made-up text with notes and made-up register entries,
tagged v1; v2 makes exactly one change of each kind the issue names (an added
note, an edited body, a moved anchor, a removed register entry, a renamed id,
a changed glossary form, an added text) and a stand-off citation of a work
moved to another passage (issue 30's cited_at: a reviewer must see what a
register claims the text cites), and nothing else.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import ROOT
from support import git

EXAMPLE_URL = "https://edition.example.org/"  # a reserved example domain (RFC 2606)

TEXT_V1 = """\
---
edition-text: made-up-diff
lang: en
title: A Made-up Text for the Diff
---

# A Made-up Text for the Diff

The first paragraph speaks of the isolator and of the opposition in exile.

The second paragraph has a passage the moved note reaches in the end.

The third paragraph has words such as scissors and hammers.
"""

NOTE = """\
  - id: {id}
    kind: {kind}
    anchor:
      exact: "{exact}"
      paragraph: {paragraph}
    body: |
      {body}
"""


def notes_file(*notes: dict) -> str:
    return "text: made-up-diff\nnotes:\n" + "".join(NOTE.format(**n) for n in notes)


EDITED = dict(id="diff-edited", kind="editorial", exact="isolator", paragraph=1, body="A prison for politicals.")
MOVED = dict(id="diff-moved", kind="editorial", exact="opposition in exile", paragraph=1, body="Those deported.")
RENAMED = dict(id="diff-renamed-old", kind="translation", exact="words such as", paragraph=3, body="So the source.")
ADDED = dict(id="diff-added", kind="sic", exact="a passage", paragraph=2, body="Sic: *a* passage.")

TERM = """
  - id: diff-term
    headword: scissorsmith
    forms:
      en: [{form}]
    definition: |
      A made-up term of the tests.
"""
PERSON = """
  - id: diff-person
    name: Ivan Madeupov
    sort_name: Madeupov, Ivan
    forms:
      en: [Madeupov]
    identification: A made-up person of the tests.
"""
WORK = """
  - id: diff-work
    author: null
    title: A Made-up Pamphlet
    title_lang: en
    title_en: A Made-up Pamphlet
    cited_as:
      en: []
    cited_at:
      - text: made-up-diff
        paragraph: {paragraph}
        exact: "{exact}"
    date: '1931'
    collection: null
    url: null
"""
#: Where the made-up work is cited in v1, and in v2.
CITED_V1 = dict(paragraph=2, exact="second paragraph")
CITED_V2 = dict(paragraph=3, exact="third paragraph")
ADDED_TEXT = """\
---
edition-text: made-up-added
lang: ru
title: Придуманный текст
---

# Придуманный текст

Первый абзац придуманного текста.
"""

#: (section, change, id) of every change v1 -> v2: one of each kind the issue names.
EXPECTED = {
    ("notes", "added", "diff-added"),
    ("notes", "changed", "diff-edited"),
    ("notes", "moved", "diff-moved"),
    ("notes", "renamed", "diff-renamed-new"),
    ("entries", "removed", "diff-person"),
    ("entries", "changed", "diff-term"),
    ("entries", "changed", "diff-work"),
    ("texts", "added", "made-up-added"),
}


def commit_and_tag(repo: Path, tag: str | None, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    if tag:
        git(repo, "tag", "-a", tag, "-m", f"Release {tag}")


def appended(name: str, block: str) -> str:
    """The project's *name* register with *block* appended, at the indentation its entries use."""
    real = (ROOT / "annotations" / name).read_text(encoding="utf-8")
    indent = re.search(r"^( *)- id:", real, re.M).group(1)
    block = "\n".join(line[2 - len(indent):] if len(indent) < 2 else indent[2:] + line for line in block.splitlines())
    return real.rstrip("\n") + "\n" + block + "\n"


def write_v1(repo: Path) -> None:
    (repo / "docs/texts/made-up-diff.md").write_text(TEXT_V1, encoding="utf-8")
    (repo / "annotations/notes/made-up-diff.yaml").write_text(notes_file(EDITED, MOVED, RENAMED), encoding="utf-8")
    for name, block in (("glossary.yaml", TERM.format(form="scissorsmith")), ("persons.yaml", PERSON),
                        ("works.yaml", WORK.format(**CITED_V1))):
        (repo / "annotations" / name).write_text(appended(name, block), encoding="utf-8")


def write_v2(repo: Path) -> None:
    moved = {**MOVED, "exact": "the moved note", "paragraph": 2}
    edited = {**EDITED, "body": "A prison for political offenders, run by the **OGPU**."}
    renamed = {**RENAMED, "id": "diff-renamed-new"}
    (repo / "annotations/notes/made-up-diff.yaml").write_text(
        notes_file(edited, moved, renamed, ADDED), encoding="utf-8")
    (repo / "annotations/glossary.yaml").write_text(
        appended("glossary.yaml", TERM.format(form="scissorsmiths")), encoding="utf-8")
    shutil.copy(ROOT / "annotations/persons.yaml", repo / "annotations/persons.yaml")
    (repo / "annotations/works.yaml").write_text(appended("works.yaml", WORK.format(**CITED_V2)), encoding="utf-8")
    (repo / "docs/texts/made-up-added.md").write_text(ADDED_TEXT, encoding="utf-8")
    # v2 is a release: its version, and an address, so that its pages cite their versioned copy.
    cff = (repo / "CITATION.cff").read_text(encoding="utf-8")
    cff = re.sub(r"^version:.*$", 'version: "2"\ndate-released: "2031-02-03"', cff, flags=re.M)
    (repo / "CITATION.cff").write_text(cff.rstrip("\n") + f"\nurl: {EXAMPLE_URL}\n", encoding="utf-8")


def make_history(repo: Path) -> Path:
    """The made-up repository at *repo*: v1, then v2 (checked out)."""
    for folder in ("docs", "annotations", "conf"):
        shutil.copytree(ROOT / folder, repo / folder)
    shutil.copy(ROOT / "CITATION.cff", repo / "CITATION.cff")
    git(repo, "init", "-q", "-b", "main")
    write_v1(repo)
    commit_and_tag(repo, "v1", "v1")
    write_v2(repo)
    commit_and_tag(repo, "v2", "v2")
    return repo
