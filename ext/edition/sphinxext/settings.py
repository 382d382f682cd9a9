"""Settings in conf.py that the edition cannot build with.

Sphinx 9 prints any exception, a ConfigError too, as a crash: a traceback and
a request to report a bug to Sphinx. An editor's slip in conf.py deserves what
an annotation error gets: one line naming the file and what to do. The build
goes on with a safe value, so that the other problems show in the same run,
and sphinx-build exits non-zero.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.util import logging

logger = logging.getLogger(__name__)

_UNSET = object()


def refuse_setting(app, message: str, name: str | None = None, safe_value: Any = _UNSET) -> None:
    """Report *message* against conf.py, put *safe_value* in place of setting
    *name*, and make the build fail."""
    if name is not None and safe_value is not _UNSET:
        setattr(app.config, name, safe_value)
    # "file:": a file without a line, as the annotation errors give it.
    logger.error(f"edition: {message}", location=f"{Path(app.confdir) / 'conf.py'}:", type="edition",
                 subtype="settings")
    app.statuscode = 1
