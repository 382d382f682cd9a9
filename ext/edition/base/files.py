"""Writing a file so that no reader (a web server, a build, a colleague's checkout)
ever sees half of it, with the permissions a plain ``open()`` would give."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

#: Published and committed files are readable by everyone (a web server running as
#: another user, a colleague's checkout): what a plain open() would give under the
#: usual umask, not mkstemp's private 0600.
FILE_MODE = 0o644


@contextlib.contextmanager
def atomic_file(path: Path, binary: bool = False) -> Iterator[IO]:
    """A file to write *path*'s new content into: it replaces *path* (mode 0644, or
    the existing file's) when the block ends, and is removed if the block fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = (path.stat().st_mode & 0o777) | FILE_MODE
    except FileNotFoundError:
        mode = FILE_MODE
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        if binary:
            handle = os.fdopen(fd, "wb")
        else:
            handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        with handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write *content* so that *path* is never left half-written (:func:`atomic_file`)."""
    with atomic_file(path, binary=isinstance(content, bytes)) as handle:
        handle.write(content)
