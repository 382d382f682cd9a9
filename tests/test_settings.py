"""A setting in conf.py the edition cannot build with is one clear error.

Sphinx 9 prints any exception raised by an extension as a crash (a traceback
and a request to report a bug to Sphinx). An editor's mistake in conf.py must
read like an annotation error instead: conf.py named, what to do, no
traceback, and a non-zero exit.
"""

from __future__ import annotations

import pytest

from conftest import sphinx_build

#: What an editor might write at the end of conf.py, and the message it must get.
CASES = {
    "smartquotes": ("smartquotes = True", "set smartquotes = False"),
    "link policy": ('edition_link_policy = "sometimes"', "edition_link_policy must be one of"),
    "register budget": ("edition_register_entries_per_page = 0",
                        "edition_register_entries_per_page must be a whole number of at least 1"),
    "passages budget": ("edition_register_passages_per_page = -3",
                        "edition_register_passages_per_page must be a whole number of at least 1"),
    "raw HTML": ("myst_disable_syntax = []", "to myst_disable_syntax"),
    "templates": ('myst_enable_extensions = [*myst_enable_extensions, "substitution"]', "remove 'substitution'"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_setting_is_one_clear_error(tmp_path, case):
    line, message = CASES[case]
    from test_add_text import copy_project

    project = copy_project(tmp_path / "project")
    with open(project / "conf" / "conf.py", "a", encoding="utf-8") as file:
        file.write(f"\n{line}\n")
    # The dummy builder reads every document and writes nothing: the check is the same.
    result = sphinx_build("dummy", tmp_path / "out", srcdir=project / "docs", confdir=project / "conf")
    assert result.returncode != 0, result.stderr[-2000:]
    errors = [line for line in result.stderr.splitlines() if message in line]
    assert len(errors) == 1, result.stderr[-3000:]
    assert "conf.py" in errors[0] and "ERROR" in errors[0]
    assert "Traceback" not in result.stderr and "report this error" not in result.stderr


def test_good_settings_build_cleanly(tmp_path):
    result = sphinx_build("dummy", tmp_path / "out")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "edition:" not in result.stderr
