"""No contribution can crash, hang, spoof or silently drop (the intake gate).

Each case is a pull request's change to ``annotations/`` as a hostile or a
careless contributor would make it, in every class the gate handles: files
that are not regular files, unexpected names, oversized files, deep nesting,
keys that are not words, invisible and control characters (raw and as YAML
escapes), patterns with a trailing newline, years and dates, markup that
shows nothing or nests links, roles in every markup field, forms that would
link everywhere, line numbers as an editor counts them, and messages that
must be safe to print. Every case runs through `edition check`; batches of
them run through a real Sphinx build, which must report the same errors at
the same files and lines.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from conftest import ANNOTATIONS, CONF, DOCS, sphinx_build_here
from edition.checking import check as check_module
from edition.cli import commands as cli
from edition.reading.texts import load_texts

RU = "notes/ciliga-gpu-prisons.yaml"
KO = "notes/trotsky-left-opposition.yaml"


def note(body="An editorial note.", extra="", note_id="ru-x", exact="«децистами»", text="ciliga-gpu-prisons",
         body_style="|"):
    """A notes file with one note; *body* is indented under a block scalar."""
    lines = "\n".join(f"      {line}" if line else "" for line in body.split("\n"))
    head = f"text: {text}\nnotes:\n  - id: {note_id}\n    kind: editorial\n    anchor:\n      exact: {exact}\n"
    return head + extra + f"    body: {body_style}\n{lines}\n"


def note_inline(body_yaml: str, extra="") -> str:
    """A notes file whose body is written inline: ``body: <body_yaml>``."""
    return (f"text: ciliga-gpu-prisons\nnotes:\n  - id: ru-x\n    kind: editorial\n    anchor:\n"
            f"      exact: «децистами»\n{extra}    body: {body_yaml}\n")


def glossary(extra="", forms="en: [X-term]\n      ko: [엑스텀]\n      ru: [иксовый]", definition="A definition.",
             definition_style=""):
    body = f"|\n      {definition}" if definition_style == "|" else definition
    return (f"entries:\n  - id: x-term\n    headword: X\n    forms:\n      {forms}\n"
            f"    definition: {body}\n{extra}")


def person(extra="", name="Leon Trotsky", identification="Russian revolutionary."):
    return (f"persons:\n  - id: trotsky\n    name: {name}\n    sort_name: Trotsky, Leon\n    forms:\n"
            f"      en: [Trotsky]\n      ko: [트로츠키]\n      ru: [Троцкий]\n    identification: {identification}\n"
            f"{extra}")


def work(date="'1928'", extra=""):
    return (f"works:\n  - id: w-x\n    author: null\n    title: A work\n    title_en: A work\n    cited_as:\n"
            f"      ko: [레닌 이후의 제3 인터내셔널]\n    date: {date}\n{extra}")


FOLDER = object()  # a file entry that is a folder


@dataclass(frozen=True)
class Symlink:
    target: str


@dataclass
class Case:
    files: dict  # path under annotations/ -> str | bytes | FOLDER | Symlink
    where: str  # the file the error names (under annotations/)
    message: str
    at: str | None = None  # the error's line is the first line of the file holding this; None: no line
    env: dict = field(default_factory=dict)


# Each class has at least two variants. The real files stay in place unless a case replaces them.
CASES = {
    # --- not a regular file, or not an expected name: an error naming it, never a traceback or a drop
    "dir-named-yaml": Case({"notes/x.yaml": FOLDER}, "notes/x.yaml", "is a folder"),
    "dir-named-glossary": Case({"glossary.yaml": FOLDER}, "glossary.yaml", "is a folder, not a regular file"),
    "dangling-symlink": Case({KO: Symlink("/nonexistent/notes.yaml")}, KO, "is a symbolic link"),
    "symlink-dev-zero": Case({"persons.yaml": Symlink("/dev/zero")}, "persons.yaml", "is a symbolic link"),
    "yml-extension": Case({"notes/ciliga-gpu-prisons.yml": note()}, "notes/ciliga-gpu-prisons.yml",
                          "is not a notes file name"),
    "upper-case-extension": Case({"notes/ciliga-gpu-prisons.YAML": note()}, "notes/ciliga-gpu-prisons.YAML",
                                 "is not a notes file name"),
    "trailing-space-name": Case({"notes/ciliga-gpu-prisons.yaml ": note()}, "notes/ciliga-gpu-prisons.yaml ",
                                "is not a notes file name"),
    "subfolder": Case({"notes/more": FOLDER}, "notes/more", "is a folder"),
    "stray-root-file": Case({"glossary.yml": glossary()}, "glossary.yml", "is not an annotation file"),
    "notes-folder-symlink": Case({"notes": Symlink("/tmp")}, "notes", "is a symbolic link"),
    # --- size: refused before reading
    "over-size-cap": Case({RU: note(body="word " * 400)}, RU, "over the size limit of 1,000 bytes",
                          env={"EDITION_MAX_FILE_BYTES": "1000"}),
    "fifty-megabytes": Case({"works.yaml": b"works: []\n" + b"#" * (5 * 1024 * 1024)}, "works.yaml",
                            "over the size limit of 4,194,304 bytes"),
    # --- nesting: refused on the event stream, before a tree is built
    "flow-1000-deep": Case({RU: "text: ciliga-gpu-prisons\nnotes: " + "[" * 1000 + "]" * 1000 + "\n"}, RU,
                           "nest more than 16 deep", "notes:"),
    "flow-100000-deep": Case({"glossary.yaml": "entries:\n  - " + "{a: " * 100_000 + "}" * 100_000 + "\n"},
                             "glossary.yaml", "nest more than 16 deep", "  - "),
    "block-40-deep": Case({"persons.yaml": "persons:\n" + "".join(f"{'  ' * i}- \n" for i in range(1, 41))},
                          "persons.yaml", "nest more than 16 deep", " " * 32 + "- "),  # the 17th level
    # --- keys are words
    "mixed-type-unknown-keys": Case({RU: note(extra="    1: one\n    b: two\n")}, RU, "a key must be a word", "1: one"),
    "boolean-key": Case({"glossary.yaml": glossary(extra="    true: x\n")}, "glossary.yaml", "a key must be a word",
                        "true: x"),
    # --- characters, raw and as YAML escapes
    "raw-bidi-override": Case({RU: note(body="Evil \u202e gnirts.")}, RU, "U+202E (RIGHT-TO-LEFT OVERRIDE)", "Evil"),
    "raw-bidi-isolate-contributor": Case({RU: note(extra="    contributor: A\u2066B\n")}, RU, "U+2066", "contributor"),
    "raw-control": Case({"glossary.yaml": glossary(definition="A \x01 definition.")}, "glossary.yaml", "U+0001",
                        "definition"),
    "raw-line-separator": Case({"persons.yaml": person(identification="Russian\u2028revolutionary.\n    born: x")},
                               "persons.yaml", "U+2028 (LINE SEPARATOR)", "identification"),
    "raw-next-line": Case({RU: note(body="Line one.\nNext\x85line.")}, RU, "U+0085 (NEXT LINE)", "Next"),
    "lone-carriage-return": Case({RU: note(body="One.\rTwo.")}, RU, "U+000D", "One."),
    "escaped-control": Case({RU: note_inline('"A \\x01 body."')}, RU, "U+0001", "body:"),
    "escaped-escape": Case({RU: note(extra='    sources: ["\\e[31mred"]\n')}, RU, "U+001B", "sources"),
    "escaped-noncharacter": Case({"persons.yaml": person(name='"Leon\\uFFFE"')}, "persons.yaml", "U+FFFE", "name:"),
    "escaped-nul": Case({"persons.yaml": person(identification='"Russian\\0 revolutionary."')}, "persons.yaml",
                        "U+0000", "identification"),
    "escaped-bidi": Case({RU: note(extra='    contributor: "\\u202eevil"\n')}, RU, "U+202E", "contributor"),
    "escaped-lone-surrogate": Case({RU: note_inline('"\\ud800 body"')}, RU, "invalid Unicode character escape",
                                   "body:"),
    "escaped-plane-16-noncharacter": Case({RU: note_inline('"A \\U0010FFFF body"')}, RU, "U+10FFFF", "body:"),
    # --- patterns apply to the whole value: a trailing newline is not an id
    "id-trailing-newline": Case({RU: note(note_id='"ru-gpu\\n"')}, RU, "is not a valid id", "id:"),
    "text-trailing-newline": Case({RU: note(text='"ciliga-gpu-prisons\\n"')}, RU, "is not a valid id", "text:"),
    "related-trailing-newline": Case({"glossary.yaml": glossary(extra='    related: ["x-term\\n"]\n')},
                                     "glossary.yaml", "is not a valid id", "related"),
    "title-lang-trailing-newline": Case({"works.yaml": work(extra='    title_lang: "ru\\n"\n')}, "works.yaml",
                                        "is not a language code", "title_lang"),
    "url-trailing-newline": Case({"works.yaml": work(extra='    url: "https://example.org/\\n"\n')}, "works.yaml",
                                 "is not a web address", "url"),
    # --- years are whole numbers; dates exist and use ASCII digits
    "decimal-year": Case({"persons.yaml": person(extra="    born: 1879.0\n")}, "persons.yaml",
                         "must be a whole number or null, not a decimal number", "born"),
    "fractional-year": Case({"persons.yaml": person(extra="    died: 1940.5\n")}, "persons.yaml",
                            "not a decimal number", "died"),
    "arabic-indic-date": Case({"works.yaml": work(date="'١٩٢٨'")}, "works.yaml", "is not a date; write YYYY", "date:"),
    "thirty-first-february": Case({"works.yaml": work(date="'1928-02-31'")}, "works.yaml",
                                  "is not a date in the calendar", "date:"),
    "month-thirteen": Case({"works.yaml": work(date="'1928-13'")}, "works.yaml", "is not a date; write YYYY", "date:"),
    # --- markup must show something once rendered
    "zero-width-body": Case({RU: note(body="\u200b")}, RU, "shows nothing once rendered", "\u200b"),
    "entity-body": Case({RU: note(body="&#8203;&nbsp;")}, RU, "shows nothing once rendered", "&#8203;"),
    "link-definition-body": Case({RU: note(body="[a]: https://example.org/")}, RU, "shows nothing once rendered",
                                 "[a]:"),
    "invisible-source": Case({RU: note(extra='    sources: ["\\u200b"]\n')}, RU, "sources: the text shows nothing",
                             "sources"),
    "invisible-definition": Case({"glossary.yaml": glossary(definition="'&nbsp;'")}, "glossary.yaml",
                                 "definition: the text shows nothing", "definition"),
    # --- no link inside a link
    "role-in-link-text": Case({RU: note(body="[see {term}`nep`](https://example.org/)")}, RU,
                              "inside the text of a link", "[see"),
    "role-in-link-definition": Case({"glossary.yaml": glossary(definition="'[x {person}`trotsky`](https://example.org/)'")},
                                    "glossary.yaml", "inside the text of a link", "definition"),
    # --- roles are checked in every field that takes markup, at their line
    "role-in-note-source": Case({RU: note(extra="    sources:\n      - A book.\n      - See {term}`no-such-term`.\n")},
                                RU, "{term} 'no-such-term' is not an id", "no-such-term"),
    "role-in-definition": Case({"glossary.yaml": glossary(definition="See {person}`nobody`.", definition_style="|")},
                               "glossary.yaml", "glossary entry 'x-term': {person} 'nobody' is not an id", "nobody"),
    "role-in-short": Case({"glossary.yaml": glossary(extra="    short: Like {work}`no-work`.\n")}, "glossary.yaml",
                          "{work} 'no-work' is not an id", "short:"),
    # --- forms that would link everywhere
    "one-letter-form": Case({"glossary.yaml": glossary(forms="en: [X-term]\n      ko: [엑스텀]\n      ru: [и]")},
                            "glossary.yaml", "is a single character", "ru: [и]"),
    "one-syllable-form": Case({"glossary.yaml": glossary(forms="en: [X-term]\n      ko: [그]\n      ru: [иксовый]")},
                              "glossary.yaml", "is a single character", "ko: [그]"),
    "function-word-form": Case({"glossary.yaml": glossary(forms="en: [X-term]\n      ko: [그리고]\n      ru: [иксовый]")},
                               "glossary.yaml", "is a common function word", "ko: [그리고]"),
    "russian-function-word": Case({"persons.yaml": person().replace("ru: [Троцкий]", "ru: [Троцкий, Что]")},
                                  "persons.yaml", "is a common function word", "ru: [Троцкий, Что]"),
    "english-function-word": Case({"persons.yaml": person().replace("en: [Trotsky]", "en: [Trotsky, the]")},
                                  "persons.yaml", "is a common function word", "en: [Trotsky, the]"),
    "space-form": Case({"glossary.yaml": glossary(forms="en: ['X-term', ' ']\n      ko: [엑스텀]\n      ru: [иксовый]")},
                       "glossary.yaml", "has no letter or digit", "en: ['X-term'"),
    "hyphen-form": Case({"works.yaml": work().replace("ko: [레닌 이후의 제3 인터내셔널]", "ko: [레닌 이후의 제3 인터내셔널, '-']")},
                        "works.yaml", "has no letter or digit", "ko: [레닌"),
    "space-form-even-with-reason": Case(
        {"glossary.yaml": glossary(forms="en: ['X-term', ' ']\n      ko: [엑스텀]\n      ru: [иксовый]",
                                   extra="    common_forms_reason: The texts really write it.\n")},
        "glossary.yaml", "has no letter or digit", "en: ['X-term'"),
    # --- lines as an editor counts them
    "line-after-line-separator": Case({RU: note(body="First \u2028 line.\nSecond line.")}, RU, "U+2028", "First"),
    "line-in-folded-body": Case({RU: note(body="First line\nof a paragraph.\n\nSecond paragraph\n<b>bold</b> here.",
                                          body_style=">")}, RU, "inline HTML is not allowed", "<b>"),
    "line-in-quoted-body": Case({RU: note_inline('"First line\n      second line\n\n      {nope}`x` third"')}, RU,
                                "unknown role {nope}", "{nope}"),
    "line-in-plain-body": Case({RU: note_inline("First line\n      second line <i>x</i>")}, RU,
                               "inline HTML is not allowed", "<i>"),
    # --- messages safe to print (the printed form is checked below)
    "control-in-key": Case({RU: note(extra='    "\\r\\e[32mok": 1\n')}, RU, "U+000D", '"\\r'),
    "newline-in-file-name": Case({"notes/x\n::notice::forged,line=1.yaml": note()},
                                 "notes/x\n::notice::forged,line=1.yaml", "is not a notes file name"),
}


@cache
def real_texts():
    return load_texts(DOCS)


@pytest.fixture
def project(tmp_path):
    shutil.copytree(ANNOTATIONS, tmp_path / "annotations")
    return tmp_path


def write_files(project: Path, files: dict) -> None:
    for name, content in files.items():
        path = project / "annotations" / name
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.is_dir():
            shutil.rmtree(path)
        if content is FOLDER:
            path.mkdir()
            (path / "a.yaml").write_text("text: x\n", encoding="utf-8")
        elif isinstance(content, Symlink):
            path.symlink_to(content.target)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))  # no newline translation: \r and U+0085 stay as written


def expected_line(case: Case) -> int | None:
    if case.at is None:
        return None
    content = case.files[case.where]
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    for number, line in enumerate(text.split("\n"), 1):  # as an editor counts: \n only
        if case.at in line:
            return number
    raise AssertionError(f"{case.at!r} not in the case's file")


def run_check(project: Path, monkeypatch, capsys, env=None, args=()) -> tuple[int, str, str]:
    """`edition check` in this process (the texts are parsed once per session)."""
    monkeypatch.chdir(project)
    monkeypatch.setattr(check_module, "load_texts", lambda docs: real_texts())
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("EDITION_MAX_FILE_BYTES", raising=False)  # a setting of the caller must not leak in
    for key, value in (env or {}).items():
        monkeypatch.setenv(key, value)
    code = cli.main(["check", "--docs", str(DOCS), "--annotations", "annotations", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def location(case: Case) -> str:
    line = expected_line(case)
    shown = "annotations/" + case.where.replace("\n", "\\x0a")
    return f"{shown}:{line}" if line else shown


@pytest.mark.parametrize("name", CASES)
def test_check_reports_each_case_at_its_file_and_line(project, monkeypatch, capsys, name):
    case = CASES[name]
    write_files(project, case.files)
    code, _, err = run_check(project, monkeypatch, capsys, case.env)
    assert code == 1, err
    want = f"{location(case)}: error: "
    assert any(l.startswith(want) and case.message in l for l in err.splitlines()), (want, case.message, err[-3000:])
    # Nothing contributed reaches the terminal raw.
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", err)


def test_the_edition_itself_passes_the_gate(project, monkeypatch, capsys):
    code, _, err = run_check(project, monkeypatch, capsys)
    assert code == 0, err


@pytest.mark.parametrize("files", [
    {"glossary.yaml": glossary(forms="en: [X-term]\n      ko: [그]\n      ru: [и]",
                               extra="    common_forms_reason: The texts write the sign alone.\n")},
    {"persons.yaml": person().replace("ko: [트로츠키]", "ko: [트로츠키, 트]") + "    common_forms_reason: Abbreviated so.\n"},
])
def test_a_reason_allows_short_forms(project, monkeypatch, capsys, files):
    (project / "annotations" / "works.yaml").unlink()  # its authors need the real persons
    shutil.rmtree(project / "annotations" / "notes")  # the notes' roles need the real registers
    write_files(project, files)
    code, _, err = run_check(project, monkeypatch, capsys)
    assert code == 0, err


@pytest.mark.parametrize("margin, code", [(0, 0), (-1, 1)])
def test_the_size_cap_is_configurable(project, monkeypatch, capsys, margin, code):
    largest = max((p for p in (project / "annotations").rglob("*.yaml")), key=lambda p: p.stat().st_size)
    limit = largest.stat().st_size + margin
    result, _, err = run_check(project, monkeypatch, capsys, args=("--max-file-bytes", str(limit)))
    assert result == code, err
    if code:
        assert f"{largest.relative_to(project)}: error: is over the size limit of {limit:,} bytes" in err


@pytest.mark.parametrize("name", ["control-in-key", "newline-in-file-name"])
def test_github_annotations_escape_every_property(project, monkeypatch, capsys, name):
    case = CASES[name]
    write_files(project, case.files)
    code, out, err = run_check(project, monkeypatch, capsys, {"GITHUB_ACTIONS": "true"})
    assert code == 1
    lines = out.splitlines()
    # Every line is one workflow command of ours: nothing forged, nothing injected.
    assert lines and all(re.match(r"::(error|warning) file=[^,:\n]*(,line=\d+)?::", l) for l in lines), out
    assert not any(l.startswith(("::notice", "::add-mask")) for l in lines)
    mine = [l for l in lines if case.message in l]
    assert mine and all("\r" not in l and "\x1b" not in l for l in mine)
    if name == "newline-in-file-name":
        assert any("file=annotations/notes/x\\x0a%3A%3Anotice%3A%3Aforged%2Cline=1.yaml::" in l for l in mine), mine
    else:
        assert any(f",line={expected_line(case)}::" in l for l in mine)


def test_forged_summary_line_is_escaped(project, monkeypatch, capsys):
    """A key holding a carriage return and ANSI colour cannot print a fake "0 errors"."""
    write_files(project, {RU: note(extra='    "\\r\\e[32medition check: 0 errors": 1\n')})
    code, _, err = run_check(project, monkeypatch, capsys)
    assert code == 1 and "\r" not in err and "\x1b" not in err
    assert err.count("edition check:") == 1 and "U+000D" in err


# --- the build agrees --------------------------------------------------------------------

#: Cases built together: at most one per file, so each build checks several classes.
BUILD_BATCHES = [
    ["mixed-type-unknown-keys", "dir-named-yaml", "yml-extension", "flow-100000-deep", "decimal-year",
     "thirty-first-february", "newline-in-file-name"],
    ["raw-bidi-override", "symlink-dev-zero", "trailing-space-name", "invisible-definition", "hyphen-form",
     "stray-root-file", "subfolder"],
    ["escaped-bidi", "role-in-definition", "upper-case-extension", "fifty-megabytes"],
    ["line-in-folded-body", "one-letter-form", "title-lang-trailing-newline", "raw-line-separator"],
    ["role-in-note-source", "dangling-symlink"],
    ["role-in-link-text", "english-function-word", "url-trailing-newline", "role-in-short"],
]


def error_set(output: str, project: Path, marker: str) -> set[tuple[str, str]]:
    """(file:line, message) of every annotation error in *output*."""
    found = set()
    for line in output.splitlines():
        match = re.match(rf"(?P<where>\S*?annotations/.*?): {marker}: (?P<message>.*?)(?: \[edition\.annotations\])?$",
                         line)
        if match:
            # Sphinx writes a file without a line as "file:" (its own convention).
            where = match["where"].replace(str(project) + "/", "").removesuffix(":")
            found.add((where, match["message"]))
    return found


@pytest.mark.parametrize("batch", range(len(BUILD_BATCHES)))
def test_build_reports_what_check_reports(project, monkeypatch, capsys, batch):
    names = BUILD_BATCHES[batch]
    env = {}
    for name in names:
        write_files(project, CASES[name].files)
        env.update(CASES[name].env)
    for name in ("docs", "conf"):
        shutil.copytree(DOCS if name == "docs" else CONF, project / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    code, _, err = run_check(project, monkeypatch, capsys, env)
    assert code == 1
    checked = error_set(err, project, "error")
    for name in names:
        case = CASES[name]
        assert any(w == location(case) and case.message in m for w, m in checked), (name, checked)
    built = sphinx_build_here("html", project / "out", srcdir=project / "docs", confdir=project / "conf",
                              env={**os.environ, **env})
    output = built.stdout + built.stderr
    assert built.returncode != 0 and "Traceback" not in output
    assert error_set(output, project, "ERROR") == checked, output[-4000:]


# --- every schema pattern is applied to the whole value ---------------------------------


def schema_patterns():
    import json

    found = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                found.append(node["pattern"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted((Path(cli.__file__).parent.parent / "schemas").glob("*.schema.json")):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return sorted(set(found))


@pytest.mark.parametrize("pattern", schema_patterns())
def test_schema_patterns_match_whole_values_only(pattern):
    """jsonschema *searches* with a pattern, and Python's $ matches before a final
    newline: the edition's validator applies each pattern as \\A(?:…)\\Z."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from edition.intake.validation import EditionValidator, anchored

    validator = EditionValidator({"type": "string", "pattern": pattern})

    @settings(max_examples=25, deadline=None)
    @given(st.from_regex(anchored(pattern), fullmatch=True))
    def whole_values_only(value):
        assert validator.is_valid(value)
        assert not validator.is_valid(value + "\n")
        assert not validator.is_valid("\n" + value)

    whole_values_only()


@pytest.mark.parametrize("setting", [("--max-file-bytes", "0"), ("--max-file-bytes", "-5")])
def test_a_bad_size_setting_is_one_clear_error(project, monkeypatch, capsys, setting):
    code, _, err = run_check(project, monkeypatch, capsys, args=setting)
    assert code == 1
    assert err.strip().splitlines() == [f"error: EDITION_MAX_FILE_BYTES='{setting[1]}' must be a positive whole "
                                        "number of bytes"]


def test_the_size_option_applies_to_one_run_only(project, monkeypatch, capsys):
    """`check --max-file-bytes` must not change the cap for what runs after it in the process."""
    from edition.intake.gate import MAX_FILE_BYTES_ENV

    monkeypatch.delenv(MAX_FILE_BYTES_ENV, raising=False)
    run_check(project, monkeypatch, capsys, args=("--max-file-bytes", "10"))
    assert MAX_FILE_BYTES_ENV not in os.environ
