"""The edition as it was at a git revision, read through the same checks as ``edition check``.

``edition diff`` and the Changes page compare two states of the project. A
revision's ``docs/`` and ``annotations/`` are written into a temporary folder
with ``git archive`` (extracted with tarfile's ``data`` filter: no links out
of the folder, no device files) and checked there exactly as a work tree is.
Every failure is an :class:`~edition.base.errors.EditionError` of one line.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
import subprocess
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..base.errors import EditionError, printable
from ..checking.check import LoadedProject, check_project

#: Where a pull request's base is looked for when no BASE is given, in order.
DEFAULT_UPSTREAMS = ("origin/HEAD", "origin/main", "main", "origin/master", "master")
#: A release is a tag named like v1, v1.2 or v1.2.3 (optionally -suffix).
RELEASE_TAG = re.compile(r"\Av(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-[0-9A-Za-z.-]+)?\Z")


def git(repo: Path, *args: str, binary: bool = False) -> str | bytes:
    """Run git in *repo*; its error (first line) becomes an EditionError."""
    try:
        done = subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, check=False, timeout=120,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
        )
    except FileNotFoundError:
        raise EditionError("git is not installed; install it (Debian package git)") from None
    except subprocess.TimeoutExpired:
        raise EditionError(f"git {args[0]} took over two minutes; is {repo} a local repository?") from None
    if done.returncode:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise EditionError(f"git {args[0]}: {message[0] if message else 'failed'}")
    return done.stdout if binary else done.stdout.decode("utf-8", "replace")


def resolve(repo: Path, revision: str) -> str:
    """The commit *revision* names, or a one-line error saying it names none."""
    if not revision or revision.startswith("-"):  # never an option to git
        raise EditionError(f"{printable(revision)!r} is not a revision; give a commit, branch or tag")
    try:
        return str(git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")).strip()
    except EditionError:
        raise EditionError(
            f"no such revision {printable(revision)!r} in {repo}; give a commit, branch or tag "
            "(a shallow clone may lack it: git fetch --unshallow)"
        ) from None


def default_base(repo: Path) -> tuple[str, str]:
    """The merge base of HEAD and the upstream branch (what a pull request changes), and its name."""
    for upstream in DEFAULT_UPSTREAMS:
        try:
            resolve(repo, upstream)
        except EditionError:
            continue
        return str(git(repo, "merge-base", "HEAD", upstream)).strip(), f"the merge base with {upstream}"
    raise EditionError(f"no BASE given and none of {', '.join(DEFAULT_UPSTREAMS)} exists; name the revision to compare with")


@dataclass(frozen=True)
class Side:
    """One state of the edition: its name for the reader and its checked content."""

    name: str
    result: LoadedProject


def _paths_at(repo: Path, commit: str, paths: Sequence[str]) -> list[str]:
    present = []
    for path in paths:
        try:
            git(repo, "cat-file", "-e", f"{commit}:{path}")
            present.append(path)
        except EditionError:
            pass
    return present


def _check(docs: Path, annotations: Path, name: str, root: Path | None = None) -> LoadedProject:
    result = check_project(docs, annotations)
    if result.errors:
        first = result.errors[0]
        if root is not None:
            first = dataclasses.replace(first, path=_strip(first.path, root))
        count = len(result.errors)
        raise EditionError(
            f"{name} fails `edition check` ({count} error{'s' * (count != 1)}; first: "
            f"{first.location}: {first.safe_message}); run `edition check` on it"
        )
    return result


def _strip(path: str, root: Path) -> str:
    prefix = str(root) + os.sep
    return path[len(prefix):] if path.startswith(prefix) else path


def _relative(result: LoadedProject, root: Path) -> LoadedProject:
    """Paths as the repository names them, not in the temporary folder."""

    def strip(path: str) -> str:
        return _strip(path, root)

    files = [
        dataclasses.replace(f, path=strip(f.path), notes=tuple(dataclasses.replace(n, path=strip(n.path)) for n in f.notes))
        for f in result.notes_files
    ]
    registers = {
        name: [dataclasses.replace(e, path=strip(e.path)) for e in getattr(result, name)]
        for name in ("glossary", "persons", "works")
    }
    return dataclasses.replace(result, notes_files=files, **registers)


def _extract(archive: bytes, root: Path, name: str) -> None:
    """Regular files and folders only, each inside *root* (checked here, not left
    to tarfile's filters, which older Python 3.11 releases lack)."""
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        members = tar.getmembers()
        for member in members:
            parts = Path(member.name).parts
            if not (member.isfile() or member.isdir()) or member.name.startswith("/") or ".." in parts:
                raise EditionError(
                    f"{name} has {printable(member.name)!r}, which is not a regular file or folder; "
                    "the edition's files must be (no symbolic links)"
                )
        for member in members:
            member.mode = 0o755 if member.isdir() else 0o644
            if hasattr(tarfile, "data_filter"):
                tar.extract(member, root, filter="data")
            else:
                tar.extract(member, root)


def read_revision(repo: Path, revision: str, docs: str = "docs", annotations: str = "annotations",
                  label: str = "") -> Side:
    """The edition at *revision*, checked; an error if it fails ``edition check``."""
    commit = resolve(repo, revision)
    name = f"{label or printable(revision)} ({commit[:12]})"
    present = _paths_at(repo, commit, (docs, annotations))
    if docs not in present:
        raise EditionError(f"{name} has no {docs}/ folder; is it a revision of the edition?")
    archive = git(repo, "archive", "--format=tar", commit, "--", *present, binary=True)
    with tempfile.TemporaryDirectory(prefix="edition-rev-") as folder:
        root = Path(folder)
        _extract(archive, root, name)
        (root / annotations).mkdir(parents=True, exist_ok=True)
        result = _check(root / docs, root / annotations, name, root)
        return Side(name, _relative(result, root))


def read_work_tree(repo: Path, docs: str = "docs", annotations: str = "annotations") -> Side:
    name = "the work tree"
    return Side(name, _check(repo / docs, repo / annotations, name))


def release_tags(repo: Path) -> list[str]:
    """The release tags (v1.2, v1.2.3, ...), oldest version first; none outside a git repository."""
    try:
        listed = str(git(repo, "tag", "--list", "v*")).split()
    except EditionError:
        return []

    def version(tag: str) -> tuple:
        match = RELEASE_TAG.match(tag)
        return tuple(int(n or 0) for n in match.groups()) + (tag,)

    return sorted((t for t in listed if RELEASE_TAG.match(t)), key=version)


def at_release(repo: Path, version: str) -> bool:
    """Whether *repo* is exactly release *version*: HEAD tagged v<version>, nothing
    changed since. False outside a git repository (a tarball cannot say)."""
    if not version:
        return False
    try:
        tags = str(git(repo, "tag", "--points-at", "HEAD")).split()
        changed = str(git(repo, "status", "--porcelain", "--untracked-files=no")).strip()
    except EditionError:
        return False
    return f"v{version}" in tags and not changed
