"""Sphinx configuration of the edition: sphinx-build -c conf docs OUT."""

project = "Trotsky and the Russian Left Opposition: an annotated edition"
author = "The editors"
# A fixed string: the build must not depend on the day it runs.
copyright = "2026, the editors"
version = release = "0.1"

# The apparatus is in English; the texts carry their own language (ko, ru),
# set per document from front matter. Sphinx knows no Babel option for "ko",
# so "en" is also what keeps the LaTeX build warning-free.
language = "en"

extensions = ["myst_parser", "edition.sphinxext"]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = []

# The texts are verbatim: SmartQuotes would rewrite their quotation marks.
smartquotes = False

# Contributed text is untrusted: no raw HTML, no templates evaluated at build
# time. The settings live with the extension so that its own plain-docutils
# parse (importer self-check, `edition check`) reads documents as the build does.
from edition.texts import MYST_SETTINGS  # noqa: E402

myst_disable_syntax = list(MYST_SETTINGS["myst_disable_syntax"])
myst_enable_extensions = list(MYST_SETTINGS["myst_enable_extensions"])
myst_heading_anchors = 0

html_theme = "sphinx_book_theme"
html_title = "Trotsky and the Russian Left Opposition"
html_theme_options = {
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
}
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False

# --- LaTeX / PDF -------------------------------------------------------------
# xelatex with Noto CJK KR, which covers Hangul, Cyrillic and Latin in one
# font (Debian: fonts-noto-cjk).
latex_engine = "xelatex"
latex_documents = [("index", "edition.tex", project, author, "manual")]
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "10pt",
    "fontpkg": r"""
\setmainfont{Noto Serif CJK KR}
\setsansfont{Noto Sans CJK KR}
\setmonofont{Noto Sans Mono CJK KR}
""",
    "preamble": r"""
% Paragraph numbers of the texts, in the margin (edition.sphinxext).
\newcommand{\edparnum}[1]{\marginpar{\raggedleft\footnotesize\sffamily #1}}
\XeTeXlinebreaklocale "ko"
\XeTeXlinebreakskip = 0pt plus 1pt
""",
}

# --- EPUB --------------------------------------------------------------------
epub_title = html_title
epub_author = author
epub_publisher = "The editors"
epub_copyright = copyright
epub_language = "en"
epub_show_urls = "no"
