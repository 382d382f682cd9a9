"""Parallel builds: `-j 2` gives, byte for byte, the HTML of `-j 1`, without warnings.

The extension declares itself parallel-read and parallel-write safe. Under
``-j 2`` Sphinx reads and writes documents in forked worker processes and
merges what they recorded on the environment (the linker's uses, the
register pages, the edition domain's objects) back into the main process; a
merge that drops or reorders something shows here as a page that differs
from the serial build's (a "used in" list, an index, a link).
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from conftest import sphinx_build

#: One SOURCE_DATE_EPOCH for both builds, so dates cannot differ.
EPOCH = os.environ.get("SOURCE_DATE_EPOCH") or "1700000000"


def html_files(outdir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(outdir)): p.read_bytes() for p in sorted(outdir.rglob("*.html"))}


def first_difference(a: bytes, b: bytes, context: int = 3) -> str:
    """The first differing lines of two pages, as a unified diff."""
    diff = difflib.unified_diff(
        a.decode("utf-8", "replace").splitlines(), b.decode("utf-8", "replace").splitlines(),
        "-j 1", "-j 2", n=context, lineterm="",
    )
    return "\n".join(list(diff)[:40])


def test_parallel_build_equals_serial_build(tmp_path):
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    outputs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"html-j{jobs}"
        result = sphinx_build("html", out, "-j", jobs, "-d", str(tmp_path / f"doctrees-j{jobs}"), env=env)
        assert result.returncode == 0, f"-j {jobs} failed:\n" + result.stdout[-3000:] + result.stderr
        assert "WARNING" not in result.stderr, f"-j {jobs} warned:\n" + result.stderr
        outputs[jobs] = html_files(out)

    serial, parallel = outputs["1"], outputs["2"]
    assert serial, "the serial build wrote no HTML"
    assert sorted(parallel) == sorted(serial), (
        f"only in -j 1: {sorted(set(serial) - set(parallel))}; only in -j 2: {sorted(set(parallel) - set(serial))}"
    )
    differing = [name for name in serial if serial[name] != parallel[name]]
    assert not differing, f"{len(differing)} page(s) differ between -j 1 and -j 2: {differing}\n\n" + "\n\n".join(
        f"{name}:\n{first_difference(serial[name], parallel[name])}" for name in differing[:3]
    )
