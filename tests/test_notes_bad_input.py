"""Every mistake a contributor can make in a notes file gives a clear error.

Each case runs through `edition check` (in this process, on a project holding
that case alone), and through a real Sphinx build: both must fail (non-zero,
no traceback) with the same message at the same file and line, or both must
succeed with the note present. The builds are batched by class of failure
(intake, anchoring, markup, clean): each case of a class gets a copy of the
Russian text of its own (a "slot", with its own text id and note ids), so one
build checks every case of the class, and `edition check` on the same batch
must report exactly the errors the build reports.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from conftest import DOCS, copy_project, run_edition, sphinx_build_here

RU = "ciliga-gpu-prisons"
KO = "trotsky-left-opposition"


def note(body="An editorial note.", exact="«децистами»", extra="", kind="editorial", note_id="ru-decists"):
    body_lines = "\n".join(f"      {line}" if line else "" for line in body.split("\n"))
    return (
        f"  - id: {note_id}\n"
        f"    kind: {kind}\n"
        f"    anchor:\n"
        f"      exact: {json.dumps(exact, ensure_ascii=False)}\n"
        f"{extra}"
        f"    body: |\n{body_lines}\n"
    )


def notes_file(*notes, text=RU):
    return f"text: {text}\nnotes:\n" + "".join(notes)


@dataclass
class Case:
    content: str | bytes
    message: str | None  # None: the file is valid and must build
    at: str | None = None  # the line of the error is the first line containing this …
    occurrence: int = 1  # … or the n-th
    text: str = RU
    filename: str | None = None


CASES = {
    "broken-yaml": Case(
        "text: ciliga-gpu-prisons\nnotes:\n  - id: a\n    kind: editorial\n   anchor: {exact: x}\n",
        "broken YAML", "   anchor"),
    "tab-indent": Case("text: ciliga-gpu-prisons\nnotes:\n\t- id: a\n", "broken YAML", "\t- id"),
    "wrong-type": Case(notes_file(note(extra="      paragraph: two\n")), "must be a whole number, not text", "paragraph: two"),
    "notes-not-a-list": Case("text: ciliga-gpu-prisons\nnotes: a note\n", "notes: must be a list", "notes:"),
    "unknown-key": Case(notes_file(note(extra="    colour: red\n")), "unknown key 'colour'", "colour"),
    "unknown-top-key": Case("text: ciliga-gpu-prisons\nnotes: []\nauthor: me\n", "unknown key 'author'", "author"),
    "missing-body": Case(
        "text: ciliga-gpu-prisons\nnotes:\n  - id: a\n    kind: editorial\n    anchor: {exact: x}\n",
        "missing required key 'body'", "  - id: a"),
    "bad-kind": Case(notes_file(note(kind="comment")), "'comment' is not allowed; use one of", "kind: comment"),
    "bad-id": Case(notes_file(note(note_id="Bad_ID")), "is not a valid id", "id: Bad_ID"),
    "duplicate-id": Case(
        notes_file(note(), note(exact="«Рабочей группы»")), "duplicate note id 'ru-decists'", "id: ru-decists", 2),
    "duplicate-key": Case(
        notes_file(note(extra="    kind: sic\n")), "key 'kind' appears twice", "kind: sic"),
    "unknown-text": Case(notes_file(note(), text="no-such-text"), "unknown text 'no-such-text'", "text:",
                         filename="no-such-text.yaml"),
    "misnamed-file": Case(notes_file(note()), "belong in ciliga-gpu-prisons.yaml", "text:", filename="ciliga.yaml"),
    "orphan-anchor": Case(notes_file(note(exact="«децистам»")), "anchor not found", "exact:"),
    "orphan-suggests": Case(notes_file(note(exact="остатками «Рабочей групы»")),
                            "closest passage is in ¶1", "exact:"),
    "ambiguous-anchor": Case(notes_file(note(exact="с Троцким")), "anchor is ambiguous", "exact:"),
    "no-such-paragraph": Case(notes_file(note(extra="      paragraph: 9\n")), "paragraph 9 does not exist", "exact:"),
    "non-utf8": Case(notes_file(note(body="Caf\udce9")).encode("utf-8", "surrogateescape"), "not UTF-8", "Caf"),
    "script": Case(notes_file(note(body="Fine.\n\n<script>alert(1)</script>")), "raw HTML is not allowed", "<script>"),
    "inline-html": Case(notes_file(note(body="A <b onclick='x()'>bold</b> claim.")), "inline HTML is not allowed", "<b "),
    "javascript-link": Case(notes_file(note(body="See [this](javascript:alert(1)).")),
                            "link target 'javascript:alert(1)' is not allowed", "javascript"),
    "relative-link": Case(notes_file(note(body="See [this](../secret).")), "links must be full http", "secret"),
    "raw-block": Case(notes_file(note(body="Text.\n\n```{raw} html\n<script>x</script>\n```")),
                      "directive {raw} not allowed", "```{raw}"),
    "eval-rst": Case(notes_file(note(body="```{eval-rst}\n.. include:: /etc/passwd\n```")),
                     "directive {eval-rst} not allowed", "```{eval-rst}"),
    "include": Case(notes_file(note(body="```{include} /etc/passwd\n```")), "directive {include} not allowed", "```{include}"),
    "template": Case(notes_file(note(body="Value: {{ env.config.project }}.")), "template syntax", "{{"),
    "unknown-role": Case(notes_file(note(body="See {raw-html}`<b>x</b>`.")), "unknown role {raw-html}", "{raw-html}"),
    "empty-body": Case(notes_file(note(body="")), "is empty", "body:"),
    "blank-body": Case(notes_file(note(body="   \n")), "is empty", "body:"),
    "spaces-body": Case(notes_file(note()).replace("    body: |\n      An editorial note.\n", '    body: "   "\n'),
                        "the text is empty", "body:"),
    "empty-file": Case("", "the file is empty", ""),
    "alias": Case("text: &t ciliga-gpu-prisons\nnotes: []\nx: *t\n", "aliases (*name) are not allowed", "x: *t"),
    "long-body": Case(notes_file(note(body="word " * 900)), "characters long; the limit is 4000", "body:"),
    "deep-nesting": Case(notes_file(note(body="*" * 12 + "deep" + "*" * 12 + " end")), None),  # see below
    # Valid inputs that must build with the note present.
    "nfd-hangul": Case(notes_file(note(exact=unicodedata.normalize("NFD", "신경제정책(NEP)"), note_id="ko-nep"),
                                  text=KO), None, text=KO),
    "bom": Case(("\ufeff" + notes_file(note())).encode("utf-8"), None),
    "crlf": Case(notes_file(note(body="Two\n\nparagraphs.")).replace("\n", "\r\n").encode("utf-8"), None),
    "nbsp-in-anchor": Case(notes_file(note(exact="частью\u00a0«непримиримых»")), None),
}


CLASSES = {
    "intake": ["broken-yaml", "tab-indent", "wrong-type", "notes-not-a-list", "unknown-key", "unknown-top-key",
               "missing-body", "bad-kind", "bad-id", "duplicate-id", "duplicate-key", "unknown-text", "misnamed-file",
               "non-utf8", "empty-file", "alias", "empty-body", "blank-body", "spaces-body", "long-body"],
    "anchoring": ["orphan-anchor", "orphan-suggests", "ambiguous-anchor", "no-such-paragraph"],
    "markup": ["script", "inline-html", "javascript-link", "relative-link", "raw-block", "eval-rst", "include",
               "template", "unknown-role"],
    "clean": ["deep-nesting", "nfd-hangul", "bom", "crlf", "nbsp-in-anchor"],
}


def expected_line(case: Case) -> int | None:
    if case.at is None:
        return None
    if case.at == "":
        return 1
    content = case.content
    text = content.decode("utf-8", "surrogateescape") if isinstance(content, bytes) else content
    seen = 0
    for number, line in enumerate(text.splitlines(), 1):
        if case.at in line:
            seen += 1
            if seen == case.occurrence:
                return number
    raise AssertionError(f"{case.at!r} not in case content")


@pytest.fixture
def project(tmp_path):
    (tmp_path / "annotations" / "notes").mkdir(parents=True)
    return tmp_path


def write_case(project: Path, case: Case) -> Path:
    path = project / "annotations" / "notes" / (case.filename or f"{case.text}.yaml")
    if isinstance(case.content, bytes):
        path.write_bytes(case.content)
    else:
        path.write_text(case.content, encoding="utf-8")
    return path


def run_check(project: Path, docs: Path = DOCS, env: dict | None = None):
    return run_edition("check", "--docs", docs, "--annotations", "annotations", cwd=project, env=env)


def test_every_case_is_in_one_build_class():
    classed = [name for names in CLASSES.values() for name in names]
    assert sorted(classed) == sorted(CASES) and len(set(classed)) == len(classed)
    assert all(CASES[name].message is None for name in CLASSES["clean"])
    assert all(CASES[name].message is not None for cls in ("intake", "anchoring", "markup") for name in CLASSES[cls])


@pytest.mark.parametrize("name", CASES)
def test_edition_check(project, name):
    case = CASES[name]
    path = write_case(project, case)
    result = run_check(project)
    assert "Traceback" not in result.stderr
    if name == "deep-nesting":
        # markdown-it reads a run of 12 stars as plain text: accepted, nothing hidden.
        assert result.returncode == 0, result.stderr
        return
    if case.message is None:
        assert result.returncode == 0, result.stderr
        assert re.search(r"1 notes, \d+ glossary entries, .*; 0 errors", result.stderr), result.stderr
        return
    assert result.returncode == 1, result.stderr
    line = expected_line(case)
    location = f"annotations/notes/{path.name}" + (f":{line}" if line else "")
    errors = [l for l in result.stderr.splitlines() if ": error: " in l]
    assert any(l.startswith(f"{location}: error: ") and case.message in l for l in errors), (
        f"want {location}: …{case.message}…, got:\n{result.stderr}"
    )


# --- the build agrees, one build per class ------------------------------------------------


def in_slot(case: Case, slot: str, number: int) -> Case:
    """*case* moved to a copy of the Russian text with id *slot*: text id,
    file name, note ids and the expected message renamed alike (the lines stay)."""
    if case.text != RU:
        return case

    def rename(value):
        if isinstance(value, bytes):
            return value.replace(RU.encode(), slot.encode()).replace(b"ru-decists", f"ru-decists-{number}".encode())
        return value.replace(RU, slot).replace("ru-decists", f"ru-decists-{number}")

    return replace(case, content=rename(case.content), message=case.message and rename(case.message), text=slot,
                   filename=case.filename and rename(case.filename))


def batch_project(tmp_path: Path, names: list[str]) -> tuple[Path, dict[str, tuple[Case, Path]]]:
    """A project whose texts are one copy of the Russian text per case (and the
    Korean text when a case needs it), each case's file written beside the others."""
    project = copy_project(tmp_path, ("conf",))
    texts = project / "docs" / "texts"
    texts.mkdir(parents=True)
    for page in DOCS.glob("*.md"):
        (project / "docs" / page.name).write_bytes(page.read_bytes())
    russian = (DOCS / "texts" / f"{RU}.md").read_text(encoding="utf-8")
    (project / "annotations" / "notes").mkdir(parents=True)
    placed = {}
    for number, name in enumerate(names, 1):
        case = CASES[name]
        if case.text == RU:
            slot = f"{RU}-{number:02d}"
            (texts / f"{slot}.md").write_text(russian.replace(f"edition-text: {RU}\n", f"edition-text: {slot}\n", 1),
                                              encoding="utf-8")
            case = in_slot(case, slot, number)
        else:
            (texts / f"{case.text}.md").write_bytes((DOCS / "texts" / f"{case.text}.md").read_bytes())
        placed[name] = (case, write_case(project, case))
    return project, placed


def error_set(output: str, marker: str, project: Path) -> set[tuple[str, int | None, str]]:
    """(file name, line, message) of every notes error in *output*, paths relative to *project*."""
    found = set()
    for line in output.replace(f"{project}/", "").splitlines():
        match = re.match(rf"(?:\S*/)?annotations/notes/(?P<file>[^/:]+?):(?P<line>\d+)?:? {marker}: (?P<message>.*?)"
                         r"(?: \[edition\.annotations\])?$", line)
        if match:
            found.add((match["file"], match["line"] and int(match["line"]), match["message"]))
    return found


@pytest.mark.parametrize("cls", CLASSES)
def test_sphinx_build_reports_the_same(tmp_path, cls):
    names = CLASSES[cls]
    project, placed = batch_project(tmp_path, names)
    checked = run_check(project, project / "docs")
    assert "Traceback" not in checked.stderr
    result = sphinx_build_here("html", project / "out", srcdir=project / "docs", confdir=project / "conf")
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    if cls == "clean":
        assert checked.returncode == 0, checked.stderr
        assert re.search(rf"{len(names)} notes, \d+ glossary entries, .*; 0 errors", checked.stderr), checked.stderr
        assert result.returncode == 0, output[-2000:]
        for name, (case, _) in placed.items():
            page = (project / "out" / "texts" / f"{case.text}.html").read_text(encoding="utf-8")
            assert re.search(r'class="[^"]*\bfootnote-reference\b', page) and "edition-note" in page, name
        return
    assert checked.returncode == 1 and result.returncode != 0
    for name, (case, path) in placed.items():
        line = expected_line(case)
        suffix = f"{path.name}:{line}" if line else path.name
        assert any(suffix in l and "ERROR" in l and case.message in l for l in output.splitlines()), (
            name, suffix, case.message, output[-3000:])
    assert "build finished with problems" in output
    # Nothing more and nothing less than `edition check` reports for the same files.
    assert error_set(output, "ERROR", project) == error_set(checked.stderr, "error", project), output[-4000:]


def test_github_actions_annotations(project):
    write_case(project, CASES["orphan-anchor"])
    result = run_check(project, env={**os.environ, "GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    line = expected_line(CASES["orphan-anchor"])
    assert re.search(
        rf"^::error file=annotations/notes/ciliga-gpu-prisons\.yaml,line={line}::note 'ru-decists': anchor not found",
        result.stdout, re.M,
    ), result.stdout
