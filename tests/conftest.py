"""Shared fixtures: the repository's paths and one warning-free build per format.

Helpers for project copies, the in-process `edition` command and Sphinx, and
browser pages live in tests/support/; the names below stay importable from
here. Tests that use the PDF or a browser are marked (slow, browser) here,
from the fixtures they use, so a new test needs no marker of its own. Under
pytest-xdist the session's builds are made once and shared by the workers
(shared_build).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from support import ANNOTATIONS, CONF, DOCS, ROOT, SOURCES, copy_project, run_edition, sphinx_build  # noqa: F401
from support import browser_page, sphinx_build_here  # noqa: F401

pytest_plugins = ["support.cpu_log"]

KO_SOURCE = SOURCES / "003_e8ae33c1e403aa22.txt"
RU_SOURCE = SOURCES / "000_453eafa96a3f5fdd.txt"
KO_DOC = "texts/trotsky-left-opposition"
RU_DOC = "texts/ciliga-gpu-prisons"

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def fold(text: str) -> str:
    """NFC and whitespace folded: how the tests compare text."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


# --- markers from the fixtures a test uses, and session builds shared by xdist workers ---------

#: fixture -> the marker of every test that uses it (make test-quick leaves these out).
MARKED_FIXTURES = {"pdf_build": "slow", "made_up_pdf": "slow", "made_up_book": "slow", "chromium": "browser"}


def pytest_itemcollected(item):
    """Markers from the fixtures a test uses: a new test needs none of its own."""
    used = set(getattr(item, "fixturenames", ()))
    for fixture, marker in MARKED_FIXTURES.items():
        if fixture in used:
            item.add_marker(getattr(pytest.mark, marker))


#: The test files that take longest (measured on the 2-core machine: CPU seconds, and wall seconds
#: for the browser's waits), started first, longest first. Under xdist (make test runs
#: --dist loadfile --no-loadscope-reorder) each worker takes the next file when it is free, so
#: with the long files first the two workers end together instead of one running a long file
#: alone at the end. The PDF file leads and the browser-bound selection test runs beside it: one
#: spends CPU, the other mostly waits; the other PDF files come after, when the shared PDF is
#: built. Order only: a file not listed runs after these (most tests first), a stale list costs
#: balance, never a result.
RUN_FIRST = (
    "test_print_and_epub.py", "test_selection_menu.py", "test_properties.py", "test_annotation_import_fuzz.py",
    "test_register_split.py", "test_navigation.py", "test_changes_page.py", "test_search_shards.py",
    "test_print_book.py", "test_incremental.py", "test_hostile_input.py", "test_epub_package_metadata.py",
    "test_citation.py", "test_intake.py", "test_annotation_import_cases.py", "test_bench_harness.py",
    "test_fuzz_intake.py", "test_apparatus_diff.py", "test_notes_rendering.py", "test_glossary.py",
    "test_bench_corpus.py", "test_w3c.py", "test_bounded_caches.py", "test_register_bounds.py",
    "test_accessibility.py", "test_parallel.py", "test_registers.py",
)


def pytest_collection_modifyitems(config, items):
    """Long files first (RUN_FIRST), then the rest by number of tests; a file's own order is kept."""
    counts: dict[str, int] = {}
    for item in items:
        counts[item.path.name] = counts.get(item.path.name, 0) + 1
    rank = {name: n for n, name in enumerate(RUN_FIRST)}
    items.sort(key=lambda item: (rank.get(item.path.name, len(rank)), -counts[item.path.name], str(item.path)))


def shared_build(tmp_path_factory, name: str, build):
    """Run ``build(folder)`` once per test run, whichever xdist worker asks
    first; the others wait for it and read the same folder. (make test runs
    --dist loadfile: a module stays on one worker, so its own module-scoped
    builds run once; the session's builds are shared here.) Returns what
    *build* returned, which must be picklable."""
    import fcntl
    import pickle
    import shutil

    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return build(tmp_path_factory.mktemp(name))
    root = tmp_path_factory.getbasetemp().parent  # the run's folder, above every worker's
    folder, done = root / f"shared-{name}", root / f"shared-{name}.done"
    with open(root / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if a worker dies
        if done.exists():
            return pickle.loads(done.read_bytes())
        if folder.exists():
            shutil.rmtree(folder)  # left half-built by a build that failed
        folder.mkdir()
        result = build(folder)
        done.write_bytes(pickle.dumps(result))
        return result


#: The finished process of each session build (html, epub, latex), for tests
#: that read what the build printed.
SESSION_BUILDS: dict[str, subprocess.CompletedProcess] = {}


#: One SOURCE_DATE_EPOCH for every session build (the Makefile's, else a fixed one), so that a
#: second build can be compared with them byte for byte.
EPOCH = os.environ.get("SOURCE_DATE_EPOCH") or "1700000000"
# The tests' own process too: what a test works out from the date (a citation's year)
# must agree with the builds it reads, however pytest was started.
os.environ["SOURCE_DATE_EPOCH"] = EPOCH
BUILD_ENV = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}


def _build_html(out: Path):
    result = sphinx_build("html", out, env=BUILD_ENV)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return out, result


@pytest.fixture(scope="session")
def html_build(tmp_path_factory) -> Path:
    """The edition's HTML, built serially (-j 1; its doctrees in ``.doctrees``)."""
    out, SESSION_BUILDS["html"] = shared_build(tmp_path_factory, "html", _build_html)
    return out


def line_of(content: str, at) -> int:
    """The line of *content* holding *at* (a string, or (string, n) for its n-th line)."""
    at, nth = at if isinstance(at, tuple) else (at, 1)
    hits = [n for n, line in enumerate(content.splitlines(), 1) if at in line]
    return hits[nth - 1]


def require_tool(name: str, why: str) -> None:
    """Skip when a system tool is missing, except under CI, where it is an error."""
    import shutil

    if shutil.which(name):
        return
    message = f"{name} is not installed ({why}); .ci/run installs it"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def _build_epub(out: Path):
    result = sphinx_build("epub", out / "epub", "-d", str(out / "doctrees"), env=BUILD_ENV)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return out / "epub", result


@pytest.fixture(scope="session")
def epub_build(tmp_path_factory) -> Path:
    out, SESSION_BUILDS["epub"] = shared_build(tmp_path_factory, "epub", _build_epub)
    return out


@pytest.fixture(scope="session")
def pdf_build(tmp_path_factory) -> Path:
    """The LaTeX sources and the PDF built from them (needs TeX Live)."""
    require_tool("xelatex", "the PDF edition is typeset with xelatex")
    require_tool("latexmk", "the PDF edition is built with latexmk")
    require_tool("pdftotext", "tests read the PDF's text layer (poppler-utils)")
    out, SESSION_BUILDS["latex"] = shared_build(tmp_path_factory, "latex", _build_pdf)
    return out


def _build_pdf(out: Path):
    result = sphinx_build("latex", out / "latex", "-d", str(out / "doctrees"))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    make = subprocess.run(
        ["make", "-C", str(out / "latex"), "LATEXMKOPTS=-silent -halt-on-error", "all-pdf"],
        capture_output=True, text=True,
    )
    assert make.returncode == 0, make.stdout[-3000:] + make.stderr[-2000:]
    return out / "latex", result


def load_all_notes():
    from edition.checking.check import check_project

    result = check_project(DOCS, ANNOTATIONS)
    assert not result.errors, [d.format() for d in result.errors]
    return result


CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium_path() -> str | None:
    import shutil

    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@pytest.fixture(scope="session")
def chromium():
    """Headless Chromium through Playwright (Debian's browser, no download)."""
    path = chromium_path()
    if path is None:
        message = "Chromium is not installed (apt-get install chromium); .ci/run installs it"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        _BROWSERS.append(browser)
        yield browser
        _BROWSERS.remove(browser)
        browser.close()


_BROWSERS: list = []


@pytest.fixture(autouse=True)
def _close_browser_contexts():
    """Every browser context a test opened is closed when it ends, whether
    the test closed it or not: pages of one test never leak into the next."""
    yield
    for browser in _BROWSERS:
        for context in list(browser.contexts):
            context.close()


def node_tool(relative: str, why: str) -> Path:
    """A file from the npm test tools (package.json); `npm ci` installs them."""
    path = ROOT / "node_modules" / relative
    if not path.exists():
        message = f"{relative} is missing ({why}); run `npm ci` (.ci/run does)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path
