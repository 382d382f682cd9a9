"""The EPUB's package metadata says only what the edition knows: an edition with no
release yet has no version, one whose CITATION.cff names no editor (or only a
placeholder such as "The editors") has no dc:creator; the publisher, which
certifies the book's accessibility, is the edition itself, by its title."""

from __future__ import annotations

import os
import re
import subprocess
import zipfile

import pytest

from conftest import ROOT, copy_project, require_tool
from support import keep_only_texts, sphinx_build_here

CFF = (ROOT / "CITATION.cff").read_text(encoding="utf-8")


def _opf(project, cff: str | None):
    from edition.reading.texts import TEXT_ID_KEY, text_front_matters

    if cff is not None:
        (project / "CITATION.cff").write_text(cff, encoding="utf-8")
    first = next(iter(text_front_matters(project / "docs")))[2][TEXT_ID_KEY]
    keep_only_texts(project, {first})  # one text is enough for the package's metadata
    out = project / "out"
    built = sphinx_build_here("epub", out, "-d", str(project / "doctrees"), srcdir=project / "docs",
                              confdir=project / "conf", env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"})
    assert built.returncode == 0 and "WARNING" not in built.stderr, built.stderr
    book = next(out.glob("*.epub"))
    with zipfile.ZipFile(book) as archive:
        return book, archive.read(next(n for n in archive.namelist() if n.endswith(".opf"))).decode()


def _values(opf: str, element: str) -> list[str]:
    return re.findall(rf"<{element}[^>]*>([^<]*)</{element.split()[0]}>", opf)


@pytest.mark.slow  # Java (epubcheck)
@pytest.mark.parametrize("cff", ["no CITATION.cff", "unversioned, placeholder author"])
def test_unversioned_edition_without_named_editors(tmp_path, cff):
    project = copy_project(tmp_path)
    text = None
    if cff != "no CITATION.cff":
        text = re.sub(r"(?m)^version:.*\n", "", CFF)
        assert not re.search(r"(?m)^version:", text) and "The editors" in text
    book, opf = _opf(project, text)
    assert "ibooks:version" not in opf  # no release yet: no version, not an empty or made-up one
    assert "<dc:creator" not in opf and "The editors" not in opf and "unknown" not in opf
    from edition.formats.citation import load_edition

    # The edition's title in CITATION.cff; without one, its Sphinx project's name.
    title = (load_edition(project / "CITATION.cff").title if text is not None else
             re.search(r'(?m)^project = "([^"]+)"', (project / "conf" / "conf.py").read_text(encoding="utf-8"))[1])
    assert _values(opf, "dc:publisher") == _values(opf, 'meta property="a11y:certifiedBy"') == [title], opf
    require_tool("java", "epubcheck runs on Java")
    result = subprocess.run(["java", "-jar", "/usr/share/java/epubcheck.jar", str(book)], capture_output=True,
                            text=True)
    assert result.returncode == 0 and "0 fatals / 0 errors" in result.stdout + result.stderr, result.stdout


def test_named_editors_are_the_creators_and_the_version_is_the_release(tmp_path):
    project = copy_project(tmp_path)
    cff = CFF.replace("  - name: The editors\n", "  - given-names: Ada\n    family-names: Made-Up\n"
                      "  - name: The editors\n")
    cff = re.sub(r'(?m)^version:.*$', 'version: "2.1"', cff)
    _, opf = _opf(project, cff)
    assert _values(opf, "dc:creator") == ["Ada Made-Up"]  # the placeholder beside her is no creator
    assert _values(opf, 'meta property="ibooks:version"') == ["2.1"]
    assert _values(opf, 'meta property="a11y:certifiedBy"') == _values(opf, "dc:publisher")
    assert "The editors" not in opf
