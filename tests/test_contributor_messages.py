"""What a contributor reads when an annotation is wrong: each case a small
edit of the real annotations, checked by `edition check` run in-process, and
the message expected at its file and line.

Cases are data: (file under annotations/, the edit, where the message
stands, what it says, how many errors the file then has)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ANNOTATIONS, DOCS, ROOT, line_of
from edition.model.annotations import PLACEHOLDER_BODY

NOTES = "notes/trotsky-left-opposition.yaml"

NOTE = """
  - id: {id}
    kind: editorial
    anchor:
      exact: "{exact}"
{anchor_extra}    body: |
      {body}
    contributor: A stranger
"""


def add_note(id, body="A note.", exact="저작 배반당한 혁명", anchor_extra=""):
    def edit(content: str) -> str:
        return content.rstrip("\n") + "\n" + NOTE.format(id=id, exact=exact, anchor_extra=anchor_extra, body=body)
    return edit


def replace(old: str, new: str, count: int = 1):
    def edit(content: str) -> str:
        assert old in content, old
        return content.replace(old, new, count)
    return edit


CASES = {
    # "did you mean" for a misspelt id, in a role ...
    "role-id-misspelt": (NOTES, add_note("misspelt-role", body="See {person}`trotksy` on this."),
                         "See {person}`trotksy`", "{person} 'trotksy' is not an id in annotations/persons.yaml; "
                         "did you mean 'trotsky'?", 1),
    # ... in a field naming another entry ...
    "author-misspelt": ("works.yaml", replace("  author: lenin\n", "  author: lennin\n"), "author: lennin",
                        "author 'lennin' of 'lenin-political-report-11th-congress' is not a known person; "
                        "did you mean 'lenin'?", 1),
    "related-misspelt": ("glossary.yaml", replace("related: [war-communism, nepman", "related: [war-comunism, nepman"),
                         "related: [war-comunism", "related entry 'war-comunism' of 'nep' does not exist; "
                         "did you mean 'war-communism'?", 1),
    "cited-at-text-misspelt": ("works.yaml", replace("  - text: trotsky-left-opposition\n    paragraph: 30\n",
                                                     "  - text: trotsky-left-oposition\n    paragraph: 30\n"),
                               ("exact: \"제국주의\""), "unknown text 'trotsky-left-oposition'; did you mean "
                               "'trotsky-left-opposition'?", 1),
    # a wrong paragraph: where the exact passage is
    "wrong-paragraph": (NOTES, add_note("wrong-paragraph", anchor_extra="      paragraph: 2\n"),
                        ("exact: \"저작 배반당한 혁명\"", 2), "anchor not found in ¶2: no passage reads '저작 배반당한 혁명'; "
                        "the passage occurs in ¶1: write 'paragraph: 1'", 1),
    # an unclosed backtick: one error, saying so (not "inline HTML" nor a long "id")
    "unclosed-role": (NOTES, add_note("unclosed-role", body="See {person}`trotsky and {work}`new-course`."),
                      "See {person}`trotsky and", "the backtick after {person} is never closed", 1),
    "unclosed-explicit-target": (NOTES, add_note("unclosed-target", body="See {term}`the NEP <nep> here."),
                                 "See {term}`the NEP", "the backtick after {term} is never closed", 1),
    # the Suggest-a-note form's placeholder body
    "placeholder-body": (NOTES, add_note("placeholder", body=PLACEHOLDER_BODY), PLACEHOLDER_BODY,
                         "the body is still the form's placeholder", 1),
}


@pytest.fixture
def project(tmp_path, monkeypatch):
    shutil.copytree(ANNOTATIONS, tmp_path / "annotations")
    monkeypatch.chdir(tmp_path)  # messages name files as a contributor sees them, from the project folder
    return tmp_path


def run_check(capsys) -> tuple[int, list[str]]:
    from edition.cli.commands import main

    code = main(["check", "--docs", str(DOCS), "--annotations", "annotations"])
    return code, capsys.readouterr().err.splitlines()


@pytest.mark.parametrize("name", CASES)
def test_message(project, capsys, name):
    filename, edit, at, message, errors = CASES[name]
    path = project / "annotations" / filename
    content = edit(path.read_text(encoding="utf-8"))
    path.write_text(content, encoding="utf-8")
    code, lines = run_check(capsys)
    assert code == 1
    where = f"annotations/{filename}:{line_of(content, at)}: error: "
    assert any(line.startswith(where) and message in line for line in lines), "\n".join(lines)
    in_file = [line for line in lines if line.startswith(f"annotations/{filename}:") and ": error: " in line]
    assert len(in_file) == errors, "\n".join(in_file)


def test_no_hint_when_nothing_is_close(project, capsys):
    """A made-up id far from every real one gets the general advice, not a wild guess."""
    path = project / "annotations" / NOTES
    content = add_note("far-off", body="See {person}`zzzzqqq`.")(path.read_text(encoding="utf-8"))
    path.write_text(content, encoding="utf-8")
    _, lines = run_check(capsys)
    (line,) = [l for l in lines if "zzzzqqq" in l]
    assert "did you mean" not in line and "use one of its ids" in line


def test_the_suggest_form_writes_the_placeholder_check_refuses():
    """The form and the check share the placeholder's wording."""
    script = (ROOT / "ext" / "edition" / "static" / "edition-select.js").read_text(encoding="utf-8")
    assert f"body: |\\n      {PLACEHOLDER_BODY}\\n" in script


WARNINGS = {
    # a registered name in the apparatus, spelt otherwise than its entry
    "listed-other-spelling": (NOTES, add_note("other-spelling", body="Budyonny's cavalry was late."),
                              "Budyonny's cavalry", "'Budyonny' spells S. M. Budenny (person 'budenny') otherwise "
                              "than its entry; write 'Budenny'"),
    "unlisted-misspelling": (NOTES, add_note("misspelling", body="Zinovyev spoke first."), "Zinovyev spoke",
                             "'Zinovyev' looks like 'Zinoviev'"),
    "in-an-identification": ("persons.yaml", replace("co-leader of the Joint Opposition; shot after the first Moscow "
                                                     "trial.", "co-leader, with Kamenyev, of the Joint Opposition; "
                                                     "shot after the first Moscow trial."),
                             "Kamenyev", "'Kamenyev' looks like 'Kamenev'"),
}


@pytest.mark.parametrize("name", WARNINGS)
def test_spelling_warning(project, capsys, name):
    filename, edit, at, message = WARNINGS[name]
    path = project / "annotations" / filename
    content = edit(path.read_text(encoding="utf-8"))
    path.write_text(content, encoding="utf-8")
    code, lines = run_check(capsys)
    assert code == 0
    where = f"annotations/{filename}:{line_of(content, at)}: warning: "
    assert any(line.startswith(where) and message in line for line in lines), "\n".join(lines)


def test_the_other_spelling_given_as_such_or_quoted_is_no_warning(project, capsys):
    path = project / "annotations" / NOTES
    body = 'S. M. Budenny (Budyonny) led it; the "Budyonny march" was a song.'
    path.write_text(add_note("given-as-such", body=body)(path.read_text(encoding="utf-8")), encoding="utf-8")
    code, lines = run_check(capsys)
    assert code == 0 and not [line for line in lines if "Budyonny" in line], "\n".join(lines)
