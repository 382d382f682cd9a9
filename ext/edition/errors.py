"""Errors that users (editors, contributors) are meant to read.

Every error the tooling raises on bad input is an :class:`EditionError`: it
carries the file and line it is about and a sentence saying what to do, so the
command line can print ``file:line: message`` and exit non-zero instead of
showing a traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    path: str
    line: int | None = None

    def __str__(self) -> str:
        path = _display_path(self.path)
        return f"{path}:{self.line}" if self.line else path


def _display_path(path: str) -> str:
    """Paths relative to the working directory read better in messages."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if rel.startswith("..") else rel


class EditionError(Exception):
    """A problem in the user's input, reported as ``file:line: message``."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.location = Location(path, line) if path else None

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


@dataclass(frozen=True)
class Diagnostic:
    """One finding of ``edition check`` or the build: an error or a warning."""

    path: str
    line: int | None
    message: str
    severity: str = "error"  # or "warning"

    @classmethod
    def from_error(cls, error: EditionError) -> Diagnostic:
        location = error.location
        return cls(location.path if location else "", location.line if location else None, error.message)

    @property
    def location(self) -> str:
        return str(Location(self.path, self.line))

    def format(self, github: bool = False) -> str:
        if github:
            line = f",line={self.line}" if self.line else ""
            message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            return f"::{self.severity} file={_display_path(self.path)}{line}::{message}"
        return f"{self.location}: {self.severity}: {self.message}"
