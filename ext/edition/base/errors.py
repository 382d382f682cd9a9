"""Errors that users (editors, contributors) are meant to read.

Every error the tooling raises on bad input is an :class:`EditionError`: it
carries the file and line it is about and a sentence saying what to do, so the
command line can print ``file:line: message`` and exit non-zero instead of
showing a traceback.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    path: str
    line: int | None = None

    def __str__(self) -> str:
        path = printable(_display_path(self.path))
        return f"{path}:{self.line}" if self.line else path


def printable(text: str) -> str:
    """*text* safe for a terminal or a log: every character that is not
    printable (controls, ANSI escapes, bidi controls, line separators) is
    written as a Python escape, so contributed names and values can neither
    move the cursor, forge a line nor reorder what is shown."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else _escape(char) for char in text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def github_property(value: str) -> str:
    """A workflow-command property (file=, title=) escaped as GitHub's runner reads it."""
    return github_data(value).replace(":", "%3A").replace(",", "%2C")


def github_data(value: str) -> str:
    """A workflow-command message escaped as GitHub's runner reads it."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


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
        message = printable(self.message)
        return f"{self.location}: {message}" if self.location else message


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
        """``file:line``, printable (see :func:`printable`)."""
        return str(Location(self.path, self.line))

    @property
    def safe_message(self) -> str:
        return printable(self.message)

    def format(self, github: bool = False) -> str:
        if github:
            # Every property escaped, not just the message: a file name holding
            # a newline or ",line=" must not start a command or move the error.
            line = f",line={int(self.line)}" if self.line else ""
            path = github_property(printable(_display_path(self.path)))
            return f"::{self.severity} file={path}{line}::{github_data(self.safe_message)}"
        return f"{self.location}: {self.severity}: {self.safe_message}"


def did_you_mean(word: str, known) -> str:
    """"; did you mean 'trotsky'?" for a misspelt id among *known*, or ""."""
    close = difflib.get_close_matches(word, sorted(known), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""
