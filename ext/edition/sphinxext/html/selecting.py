"""The selection menu's data: where a suggested note goes, and the forge links.

A reader who selects a passage of a text gets a ready YAML entry for the
text's notes file (built in the browser by edition-select.js, which also
decides whether the passage needs ``prefix``/``suffix`` or ``paragraph``).
The build tells it which file that is, whether it exists yet and, when the
edition's repository is known (``edition_repository`` in conf.py, else
``repository-code`` in CITATION.cff), where to edit it on GitHub or open an
issue. Nothing here is specific to a text.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote

from ..transforms.citing import CITING_BUILDERS, _script_json, edition_of
from ..state.registry import annotation_path
from ...reading.texts import TEXT_ID_KEY

#: A GitHub repository's address, nothing more: its web editor and issue form take these links.
GITHUB_REPOSITORY = re.compile(r"https://github\.com/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")


def repository(config) -> str:
    """The edition's GitHub repository (https://github.com/owner/name), or ''."""
    url = (config.edition_repository or edition_of(config).repository or "").strip().rstrip("/")
    url = url.removesuffix(".git")
    return url if GITHUB_REPOSITORY.fullmatch(url) else ""


def notes_file(app, text_id: str) -> tuple[Path, str]:
    """The text's notes file, and its path from the repository's root (conf/'s parent)."""
    path = annotation_path(app.config, "notes", f"{text_id}.yaml")
    root = Path(app.confdir).parent
    try:
        relative = Path(os.path.relpath(path, root)).as_posix()
    except ValueError:  # another drive
        relative = f"annotations/notes/{text_id}.yaml"
    if relative.startswith("../"):
        relative = f"annotations/notes/{text_id}.yaml"
    return path, relative


def forge_links(repo: str, branch: str, relative: str, exists: bool) -> dict:
    """GitHub's web editor for the notes file (or its new-file form) and the new-issue form."""
    if not repo:
        return {}
    branch_part = quote(branch, safe="")
    if exists:
        edit = f"{repo}/edit/{branch_part}/{quote(relative)}"
    else:
        folder, _, name = relative.rpartition("/")
        edit = f"{repo}/new/{branch_part}/{quote(folder)}?filename={quote(name, safe='')}"
    return {"edit": edit, "issue": f"{repo}/issues/new"}


def page_context(app, pagename, templatename, context, doctree) -> None:
    """html-page-context: on a text's page, the selection menu's data."""
    if app.builder.name not in CITING_BUILDERS or doctree is None:
        return
    meta = app.env.metadata.get(pagename, {})
    text_id = meta.get(TEXT_ID_KEY)
    if not isinstance(text_id, str):
        return
    path, relative = notes_file(app, text_id)
    exists = path.is_file()
    repo = repository(app.config)
    data = {
        "text": text_id,
        "notesFile": relative,
        "notesFileExists": exists,
        "forge": forge_links(repo, app.config.edition_repository_branch, relative, exists),
    }
    context["body"] = context.get("body", "") + (
        f'<script type="application/json" id="edition-select-data">{_script_json(data)}</script>\n'
    )
