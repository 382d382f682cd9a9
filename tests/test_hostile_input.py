"""Hostile and broken input in every annotation file type.

Every case ends as designed: a clear error naming file and line (non-zero
exit, no traceback), or a warning, or a successful build in which nothing
hostile reaches the HTML, LaTeX or EPUB and every valid note is present.
The per-file-type details (notes, glossary, registers) have their own test
modules; this one runs the same generic attacks through all four types.
"""

from __future__ import annotations

import re
import shutil
import zipfile

import pytest

from conftest import sphinx_build, sphinx_build_here
from support import copy_project, run_edition

VALID = {
    "notes/ciliga-gpu-prisons.yaml": (
        "text: ciliga-gpu-prisons\nnotes:\n  - id: ru-x\n    kind: editorial\n    anchor:\n"
        "      exact: «децистами»\n    body: |\n      {text}\n"
    ),
    "glossary.yaml": (
        "entries:\n  - id: x-term\n    headword: X\n    forms:\n      en: [X-term]\n      ko: [엑스텀]\n"
        "      ru: [иксовый]\n    definition: |\n      {text}\n"
    ),
    "persons.yaml": (
        "persons:\n  - id: trotsky\n    name: Leon Trotsky\n    sort_name: Trotsky, Leon\n    forms:\n"
        "      en: [Trotsky]\n      ko: [트로츠키]\n      ru: [Троцкий]\n    identification: {plain}\n"
    ),
    "works.yaml": (
        "works:\n  - id: w-x\n    author: null\n    title: {plain}\n    title_en: A work\n    cited_as:\n"
        "      ko: [레닌 이후의 제3 인터내셔널]\n    date: '1928'\n"
    ),
}

# (content transformer, expected message, severity); {text} fields take markup, {plain} plain text.
ATTACKS = {
    "broken-yaml": (lambda t: t.replace(":\n", ": [\n", 1), "broken YAML"),
    "tab-indent": (lambda t: t.replace("\n  - ", "\n\t- ", 1), "broken YAML"),
    "unknown-key": (lambda t: t.rstrip("\n") + "\n    unexpected: 1\n", "unknown key 'unexpected'"),
    "wrong-type": (lambda t: t.split(":", 1)[0] + ": 42\n", "must be"),
    "duplicate-key": (lambda t: re.sub(r"(\n  - id: ([\w-]+)\n)", r"\1    id: \2\n", t, count=1), "appears twice"),
    "alias": (lambda t: t + "extra: &a [1]\nmore: *a\n", "aliases"),
    "non-utf8": (lambda t: t.encode("utf-8").replace("Trotsky".encode(), b"Tr\xf6tsky").replace(
        b"A work", b"A w\xf6rk").replace("децистами".encode(), b"\xe4ecistami").replace(b"X-term", b"X-t\xe9rm"),
                 "not UTF-8"),
}


def fill(template: str, text: str = "A plain note.", plain: str = "A plain value.") -> str:
    return template.replace("{text}", text).replace("{plain}", plain)


@pytest.fixture
def project(tmp_path):
    copy_project(tmp_path)
    return tmp_path


def check(project):
    return run_edition("check", "--docs", "docs", "--annotations", "annotations", cwd=project)


def write(project, name, content):
    path = project / "annotations" / name
    if not name.startswith("notes/"):
        shutil.rmtree(project / "annotations" / "notes")  # the notes' roles need the real registers
    if name == "persons.yaml":
        (project / "annotations" / "works.yaml").unlink()  # its authors need the real persons
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize("attack", ATTACKS)
@pytest.mark.parametrize("name", VALID)
def test_generic_attacks_on_every_file_type(project, name, attack):
    transform, message = ATTACKS[attack]
    content = transform(fill(VALID[name]))
    write(project, name, content)
    result = check(project)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1, result.stderr
    # (Other files may report consequences: works whose authors no longer exist.)
    mine = [line for line in result.stderr.splitlines() if re.match(rf"annotations/{re.escape(name)}:\d+: error: ", line)]
    assert any(message in e for e in mine), (message, result.stderr[-2000:])


@pytest.mark.parametrize("name", VALID)
@pytest.mark.parametrize("encode", [lambda t: ("\ufeff" + t).encode(), lambda t: t.replace("\n", "\r\n").encode()],
                         ids=["bom", "crlf"])
def test_bom_and_crlf_load(project, name, encode):
    write(project, name, encode(fill(VALID[name])))
    result = check(project)
    assert result.returncode == 0, result.stderr


MARKUP_ATTACKS = {
    "script": ("Text.\n\n      <script>alert(1)</script>", "raw HTML is not allowed"),
    "inline-html": ("A <img src=x onerror=alert(1)> claim.", "inline HTML is not allowed"),
    "javascript-link": ("[x](javascript:alert(1))", "link target 'javascript:alert(1)' is not allowed"),
    "data-link": ("[x](data:text/html;base64,PHNjcmlwdD4=)", "is not allowed"),
    "raw": ("```{raw} html\n      <script>x</script>\n      ```", "directive {raw} not allowed"),
    "eval-rst": ("```{eval-rst}\n      .. raw:: html\n      ```", "directive {eval-rst} not allowed"),
    "include": ("```{include} /etc/passwd\n      ```", "directive {include} not allowed"),
    "template": ("{{ env.app.config }}", "template syntax"),
    "long": ("word " * 900, "the limit is 4000"),
    "nested": ("_a *b _c *d _e *f _g *h _i *j x* i_ h* g_ f* e_ d* c_ b* a_", "nested more than 8 deep"),
}


@pytest.mark.parametrize("attack", MARKUP_ATTACKS)
@pytest.mark.parametrize("name", ["notes/ciliga-gpu-prisons.yaml", "glossary.yaml"])
def test_markup_attacks_in_prose_fields(project, name, attack):
    text, message = MARKUP_ATTACKS[attack]
    write(project, name, fill(VALID[name], text=text))
    result = check(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert re.search(rf"annotations/{re.escape(name)}:\d+: error: .*{re.escape(message)}", result.stderr), result.stderr


def test_hostile_but_valid_content_arrives_inert_everywhere(project):
    notes = project / "annotations" / "notes" / "ciliga-gpu-prisons.yaml"
    notes.write_text(
        notes.read_text(encoding="utf-8").rstrip("\n") + "\n" + fill(VALID["notes/ciliga-gpu-prisons.yaml"].split(
            "notes:\n", 1)[1].replace("«децистами»", "«Рабочей группы» и").replace("ru-x", "ru-hostile"),
            text="Shows `<script>alert('note')</script>` as code."),
        encoding="utf-8",
    )
    persons = project / "annotations" / "persons.yaml"
    persons.write_text(
        persons.read_text(encoding="utf-8").replace(
            "identification: Russian revolutionary;",
            "identification: '<img src=x onerror=alert(1)> \\input{/etc/passwd} {{ 7*7 }} Russian revolutionary;", 1)
        .replace("founder of the Fourth International.\n", "founder of the Fourth International.'\n", 1),
        encoding="utf-8",
    )
    result = check(project)
    assert result.returncode == 0, result.stderr
    expected_notes = int(re.search(r"(\d+) notes", result.stderr).group(1))

    outputs = {}
    for builder in ("html", "latex", "epub"):
        out = project / f"out-{builder}"
        # HTML in this process; LaTeX and EPUB in their own (a second build of one process may differ).
        run = sphinx_build_here if builder == "html" else sphinx_build
        built = run(builder, out, "-d", str(project / f"dt-{builder}"), srcdir=project / "docs",
                    confdir=project / "conf")
        assert built.returncode == 0, built.stdout[-2000:] + built.stderr
        outputs[builder] = out

    html = "".join(p.read_text(encoding="utf-8") for p in outputs["html"].rglob("*.html"))
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;note&#39;)&lt;/script&gt;" in html or "&lt;script&gt;alert('note')" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "{{ 7*7 }} Russian revolutionary" in html  # shown as written: no template was evaluated
    assert html.count('role="doc-noteref"') >= expected_notes  # every note has its marker

    tex = (outputs["latex"] / "edition.tex").read_text(encoding="utf-8")
    assert "\\input{/etc/passwd}" not in tex
    assert "textbackslash{}input" in tex
    assert tex.count("\\begin{footnote}") == expected_notes

    book = next(outputs["epub"].glob("*.epub"))
    with zipfile.ZipFile(book) as archive:
        xhtml = "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".xhtml"))
    assert "<script>alert" not in xhtml and "<img src=x" not in xhtml
    assert xhtml.count('epub:type="footnote"') == expected_notes


# Reproducible builds (HTML and EPUB byte-identical): tests/test_parallel.py.
