"""Parallel and reproducible builds: `-j 2` gives, byte for byte, the output of `-j 1`, without warnings.

The extension declares itself parallel-read and parallel-write safe. Under
``-j 2`` Sphinx reads and writes documents in forked worker processes and
merges what they recorded on the environment (the linker's uses, the
register pages, the edition domain's objects) back into the main process; a
merge that drops or reorders something shows here as a page that differs
from the serial build's (a "used in" list, an index, a link).

The serial build is the session's (html_build, epub_build); the second build
of each format is a separate run with the same SOURCE_DATE_EPOCH, so the one
comparison also proves that two clean builds are identical (reproducible).
"""

from __future__ import annotations

import difflib
from pathlib import Path

from conftest import BUILD_ENV, sphinx_build


def output_files(outdir: Path) -> dict[str, bytes]:
    """Every file a build wrote, its doctrees left out (pickles, not output)."""
    return {str(p.relative_to(outdir)): p.read_bytes() for p in sorted(outdir.rglob("*"))
            if p.is_file() and ".doctrees" not in p.relative_to(outdir).parts}


def first_difference(a: bytes, b: bytes, context: int = 3) -> str:
    """The first differing lines of two files, as a unified diff."""
    diff = difflib.unified_diff(
        a.decode("utf-8", "replace").splitlines(), b.decode("utf-8", "replace").splitlines(),
        "-j 1", "-j 2", n=context, lineterm="",
    )
    return "\n".join(list(diff)[:40])


def assert_same_output(serial: dict[str, bytes], parallel: dict[str, bytes]) -> None:
    assert serial, "the serial build wrote nothing"
    assert sorted(parallel) == sorted(serial), (
        f"only in -j 1: {sorted(set(serial) - set(parallel))}; only in -j 2: {sorted(set(parallel) - set(serial))}"
    )
    differing = [name for name in serial if serial[name] != parallel[name]]
    assert not differing, f"{len(differing)} file(s) differ between -j 1 and -j 2: {differing}\n\n" + "\n\n".join(
        f"{name}:\n{first_difference(serial[name], parallel[name])}" for name in differing[:3]
    )


def test_parallel_build_equals_serial_build(html_build, tmp_path):
    out = tmp_path / "html-j2"
    result = sphinx_build("html", out, "-j", "2", "-d", str(tmp_path / "doctrees-j2"), env=BUILD_ENV)
    assert result.returncode == 0, "-j 2 failed:\n" + result.stdout[-3000:] + result.stderr
    assert "WARNING" not in result.stderr, "-j 2 warned:\n" + result.stderr
    serial, parallel = output_files(html_build), output_files(out)
    assert any(name.endswith(".html") for name in serial), "the serial build wrote no HTML"
    assert_same_output(serial, parallel)


def test_two_epub_builds_are_byte_identical(epub_build, tmp_path):
    out = tmp_path / "epub-again"
    result = sphinx_build("epub", out, "-d", str(tmp_path / "doctrees-epub"), env=BUILD_ENV)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert any(name.endswith(".epub") for name in output_files(epub_build))
    assert_same_output(output_files(epub_build), output_files(out))
