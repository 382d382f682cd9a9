"""A setting in conf.py the edition cannot build with is one clear error.

Sphinx 9 prints any exception raised by an extension as a crash (a traceback
and a request to report a bug to Sphinx). An editor's mistake in conf.py must
read like an annotation error instead: conf.py named, what to do, no
traceback, and a non-zero exit.

The settings are checked when Sphinx starts (config-inited): each case
creates the application in this process and reads its warning stream; one
build with every bad setting at once shows the run goes on, on safe values,
to the end.
"""

from __future__ import annotations

import re

import pytest

from conftest import SESSION_BUILDS, copy_project
from support import sphinx_app

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


def conf_with(tmp_path, *lines: str):
    """A copy of conf/ with *lines* at the end of conf.py."""
    confdir = copy_project(tmp_path / "project", ("conf",)) / "conf"
    with open(confdir / "conf.py", "a", encoding="utf-8") as file:
        file.write("".join(f"\n{line}\n" for line in lines))
    return confdir


def assert_one_clear_error(status: int, output: str, message: str) -> None:
    assert status != 0, output[-2000:]
    errors = [line for line in output.splitlines() if message in line]
    assert len(errors) == 1, output[-3000:]
    assert "conf.py" in errors[0] and "ERROR" in errors[0]
    assert "Traceback" not in output and "report this error" not in output


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_setting_is_one_clear_error(tmp_path, case):
    line, message = CASES[case]
    status, out, err = sphinx_app(tmp_path, confdir=conf_with(tmp_path, line))
    assert_one_clear_error(status, out + err, message)


def test_every_bad_setting_at_once_is_one_error_each_and_the_build_goes_on(tmp_path):
    """The dummy builder reads every document and writes nothing: on the safe
    values put in place, the run reaches its end with no crash."""
    confdir = conf_with(tmp_path, *(line for line, _ in CASES.values()))
    status, out, err = sphinx_app(tmp_path, confdir=confdir, build=True)
    for _, message in CASES.values():
        assert_one_clear_error(status, out + err, message)
    # Every document read and written, then the failure.
    assert re.search(r"reading sources\.\.\. \[100%\]", out) and re.search(r"writing output\.\.\. \[100%\]", out), out
    assert "build finished with problems" in out, out[-2000:]


def test_good_settings_build_cleanly(html_build):
    result = SESSION_BUILDS["html"]
    assert result.returncode == 0, result.stderr[-2000:]
    assert "edition:" not in result.stderr
