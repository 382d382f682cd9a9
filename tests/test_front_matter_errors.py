"""A text whose front matter cannot be read is one error line with file and line,
never a traceback: for `edition check` and for every reader of the front matter."""

from __future__ import annotations

import pytest

from edition.base.errors import EditionError
from edition.reading.texts import text_front_matters

GOOD = "---\nedition-text: made-up-good\nlang: en\ntitle: A made-up text\n---\n\n# A made-up text\n\nWords.\n"
BAD_YAML = "---\nedition-text: made-up-bad\ntitle: [unclosed\nlang: en\n---\n\n# Bad\n"
NOT_MAPPING = "---\n- a list\n- not a mapping\n---\n\n# Bad\n"
UNCLOSED = "---\nedition-text: made-up-open\nlang: en\n\n# Never closed\n"


@pytest.mark.parametrize("source, message, line", [
    (BAD_YAML, "front matter is not valid YAML", 3),  # the unclosed bracket's line
    (NOT_MAPPING, "front matter must be a mapping", 1),
    (UNCLOSED, "is never closed", 1),
])
def test_unreadable_front_matter_is_reported_with_its_line(tmp_path, source, message, line):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "good.md").write_text(GOOD, encoding="utf-8")
    (texts / "bad.md").write_text(source, encoding="utf-8")

    with pytest.raises(EditionError) as raised:
        text_front_matters(tmp_path)
    assert message in raised.value.message and raised.value.line == line
    assert "\n" not in str(raised.value)

    problems: list[EditionError] = []
    found = text_front_matters(tmp_path, problems)
    assert [docname for _, docname, _ in found] == ["texts/good"]
    assert [(p.location.path.endswith("bad.md"), p.line) for p in problems] == [(True, line)]


def test_the_build_reports_it_as_one_line_and_fails(tmp_path):
    from support import copy_project, sphinx_build_here

    project = copy_project(tmp_path / "project")
    text = next(path for path, _, _ in text_front_matters(project / "docs"))
    source = text.read_text(encoding="utf-8")
    text.write_text(source.replace("---\n", "---\ntitle: [unclosed\n", 1), encoding="utf-8")

    result = sphinx_build_here("html", tmp_path / "out", srcdir=project / "docs", confdir=project / "conf")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output and "report this error" not in output
    errors = [line for line in result.stderr.splitlines() if "front matter is not valid YAML" in line]
    assert len(errors) == 1 and f"{text.name}:" in errors[0], result.stderr
