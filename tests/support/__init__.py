"""What many test modules need: project copies, the `edition` command and
Sphinx run in this process, and browser pages that are always closed.

Test modules import from here (or from conftest, which re-exports the old
names), never from each other.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterable, Iterator

ROOT = Path(__file__).resolve().parent.parent.parent
DOCS = ROOT / "docs"
CONF = ROOT / "conf"
SOURCES = ROOT / "sources"
ANNOTATIONS = ROOT / "annotations"
ROOTS = Path(__file__).resolve().parent.parent / "roots"

#: The folders a copy of the project holds unless told otherwise.
PROJECT_FOLDERS = ("docs", "conf", "annotations")


def copy_project(target: Path, folders=PROJECT_FOLDERS, source: Path = ROOT) -> Path:
    """A copy of the project's *folders* (from the repository, or from a test
    root) in *target*, without caches; returns *target*."""
    for name in folders:
        shutil.copytree(source / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@contextlib.contextmanager
def _process_state(cwd: Path | str, env: dict | None) -> Iterator[tuple[io.StringIO, io.StringIO]]:
    """Run a command's code here as if it were its own process: its working
    folder, its environment, its output captured; all restored afterwards."""
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    out, err = io.StringIO(), io.StringIO()
    try:
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            yield out, err
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)


def run_edition(*args: str, cwd: Path | str = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """`edition ARGS…` in this process (`edition.cli.commands.main`), as a finished process.

    An exception the command does not turn into an error message propagates
    and fails the test: what a subprocess would print as a traceback."""
    from edition.cli import commands as cli

    argv = [str(a) for a in args]
    with _process_state(cwd, env) as (out, err):
        try:
            code = cli.main(argv)
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code if isinstance(exc.code, int) else 1
    return subprocess.CompletedProcess(["edition", *argv], code, out.getvalue(), err.getvalue())


def sphinx_build(builder: str, outdir: Path, *extra: str, srcdir: Path = DOCS, confdir: Path = CONF, env=None):
    """Run sphinx-build as an editor would, in its own process; return the completed process."""
    cmd = [
        # -N: Sphinx colours its output when CI=true; tests read it as text.
        sys.executable, "-m", "sphinx", "-N", "-W", "--keep-going", "-b", builder,
        "-c", str(confdir), *extra, str(srcdir), str(outdir),
    ]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)


def sphinx_build_here(builder: str, outdir: Path, *extra: str, srcdir: Path = DOCS, confdir: Path = CONF,
                      env=None) -> subprocess.CompletedProcess:
    """sphinx-build's own entry point (`build_main`, the same options as
    :func:`sphinx_build`) run in this process: no interpreter to start and
    no Sphinx to import again. Not for ``-j N``: the workers would fork pytest."""
    from sphinx.cmd.build import build_main

    argv = ["-N", "-W", "--keep-going", "-b", builder, "-c", str(confdir), *map(str, extra), str(srcdir),
            str(outdir)]
    with _process_state(ROOT, env) as (out, err):
        code = build_main(argv)
    return subprocess.CompletedProcess(["sphinx-build", *argv], code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def browser_page(browser, **context_options):
    """A page in a fresh browser context; the context is closed whatever happens."""
    context = browser.new_context(**context_options)
    try:
        yield context.new_page()
    finally:
        context.close()


def sphinx_app(workdir: Path, *, srcdir: Path = DOCS, confdir: Path = CONF, buildername: str = "dummy",
               confoverrides: dict | None = None, build: bool = False) -> tuple[int, str, str]:
    """Create the Sphinx application as sphinx-build does (-W), which loads
    conf.py and runs every ``config-inited`` and ``builder-inited`` check, and
    build only when *build* is true; return (status code, status output,
    warning output). The checks of settings need no documents read."""
    from sphinx.application import Sphinx
    from sphinx.util.console import nocolor
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    nocolor()  # as sphinx-build -N: the tests read the output as text
    status, warning = io.StringIO(), io.StringIO()
    with _process_state(ROOT, None), patch_docutils(confdir), docutils_namespace():
        app = Sphinx(srcdir, confdir, workdir / "out", workdir / "doctrees", buildername,
                     confoverrides=confoverrides or {}, status=status, warning=warning, warningiserror=True)
        if build:
            app.build()
    return app.statuscode, status.getvalue(), warning.getvalue()


#: The registers a made-up project borrows from the real one.
REGISTERS = ("glossary", "persons", "works")


@functools.lru_cache(maxsize=32)  # composing works.yaml is most of a made-up project's setup; tuple: read only
def _citations_of_other_texts(works_yaml: str, texts: frozenset[str]) -> tuple[tuple[int, int], ...]:
    """(first, end) line ranges of works.yaml to leave out: each stand-off
    citation (an item of a work's ``cited_at``) naming a text not in *texts*,
    or the whole ``cited_at:`` where it names none of them."""
    import yaml

    source_lines = works_yaml.splitlines()

    def end_line(node) -> int:
        """The line after *node*: a block node ends where the next token begins,
        which may be the start (after indentation) of the line that follows it."""
        mark = node.end_mark
        if mark.line >= len(source_lines) or not source_lines[mark.line][: mark.column].strip():
            return mark.line
        return mark.line + 1

    drop: list[tuple[int, int]] = []
    root = yaml.compose(works_yaml)
    works = next((v for k, v in root.value if k.value == "works"), None) if root else None
    for work in works.value if isinstance(works, yaml.SequenceNode) else ():
        for key, value in work.value:
            if key.value != "cited_at" or not isinstance(value, yaml.SequenceNode) or not value.value:
                continue
            if value.flow_style:
                raise ValueError(f"works.yaml line {key.start_mark.line + 1}: write cited_at in block style")
            items = [(item, dict((k.value, v.value) for k, v in item.value).get("text")) for item in value.value]
            gone = [item for item, text in items if text not in texts]
            if len(gone) == len(items):  # the key and every item
                drop.append((key.start_mark.line, end_line(items[-1][0])))
                continue
            for item in gone:
                # A block item runs from its dash to where the next one (or the next key) begins.
                drop.append((item.start_mark.line, end_line(item)))
    return tuple(drop)


def registers_for(texts: Iterable[str], source: Path = ANNOTATIONS) -> dict[str, str]:
    """The real registers as a project with only *texts* (text ids) needs them:
    {file name: content}, the works' stand-off citations (``cited_at``) of
    other texts left out, everything else character for character.

    A citation of a text the project lacks is rightly an error of `edition
    check` (as a notes file of an unknown text is); a made-up project that
    borrows the real registers must not inherit citations of texts it lacks."""
    keep = frozenset(texts)
    files = {f"{name}.yaml": (source / f"{name}.yaml").read_text(encoding="utf-8") for name in REGISTERS}
    lines = files["works.yaml"].splitlines(keepends=True)
    for first, end in sorted(_citations_of_other_texts(files["works.yaml"], keep), reverse=True):
        del lines[first:end]
    files["works.yaml"] = "".join(lines)
    return files


def copy_registers(target: Path, texts: Iterable[str], source: Path = ANNOTATIONS) -> Path:
    """Write :func:`registers_for` *texts* into annotations folder *target*
    (created if need be); returns *target*."""
    target.mkdir(parents=True, exist_ok=True)
    for name, content in registers_for(texts, source).items():
        (target / name).write_text(content, encoding="utf-8")
    return target


def project_text_ids(project: Path) -> set[str]:
    """The ids of the texts in a project copy's docs/."""
    from edition.reading.texts import TEXT_ID_KEY, text_front_matters

    return {meta[TEXT_ID_KEY] for _, _, meta in text_front_matters(project / "docs")}


def keep_only_texts(project: Path, keep: set[str]) -> Path:
    """Remove from a project copy every text not in *keep* (text ids), with its
    notes file and the registers' citations of it (:func:`copy_registers`): for
    wiring tests that follow one text, the others only cost build time.
    Returns *project*."""
    from edition.reading.texts import TEXT_ID_KEY, text_front_matters

    for path, _, meta in text_front_matters(project / "docs"):
        text_id = meta[TEXT_ID_KEY]
        if text_id not in keep:
            path.unlink()
            (project / "annotations" / "notes" / f"{text_id}.yaml").unlink(missing_ok=True)
    annotations = project / "annotations"
    copy_registers(annotations, project_text_ids(project), source=annotations)
    return project


def add_root(project: Path, name: str) -> Path:
    """Lay test root *name* (tests/roots/NAME, see its README) over a project
    copy: its docs/, annotations/ and sources/ files copied in, its
    conf-append.py appended to conf/conf.py. Returns *project*."""
    root = ROOTS / name
    if not root.is_dir():
        raise FileNotFoundError(f"no test root {name!r} in {ROOTS}")
    for folder in ("docs", "annotations", "sources"):
        if (root / folder).is_dir():
            shutil.copytree(root / folder, project / folder, dirs_exist_ok=True)
    if (root / "conf-append.py").is_file():
        with open(project / "conf" / "conf.py", "a", encoding="utf-8") as conf:
            conf.write((root / "conf-append.py").read_text(encoding="utf-8"))
    return project


def build_pdf(project: Path) -> Path:
    """Build *project*'s print edition as `make pdf` does (LaTeX, then latexmk) into
    project/out/latex; return that folder. The caller checks the TeX tools first."""
    out = project / "out"
    result = sphinx_build("latex", out / "latex", "-d", str(out / "doctrees"), srcdir=project / "docs",
                          confdir=project / "conf")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    make = subprocess.run(["make", "-C", str(out / "latex"), "LATEXMKOPTS=-silent -halt-on-error", "all-pdf"],
                          capture_output=True, text=True)
    assert make.returncode == 0, make.stdout[-3000:] + make.stderr[-2000:]
    return out / "latex"


def git(repo: Path, *args: str) -> str:
    """git in *repo* with a fixed author and no signing: the tests' made-up histories."""
    return subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.org",
         "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args],
        check=True, capture_output=True, text=True,
    ).stdout
