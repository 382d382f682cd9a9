"""Sphinx configuration of the edition: sphinx-build -c conf docs OUT."""

project = "Trotsky and the Russian Left Opposition: an annotated edition"
# No editor is named yet (CITATION.cff lists them once they are): no placeholder name such
# as "The editors" goes into the PDF, the EPUB or the footer in their stead.
author = ""
# A fixed string: the build must not depend on the day it runs.
copyright = "2026"
# The version is the one CITATION.cff gives (`make release VERSION=…` sets it
# there); the build reports a broken CITATION.cff itself, with its line.
from edition.formats.release import cff_version  # noqa: E402

version = release = cff_version(__file__)

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
from edition.reading.texts import MYST_SETTINGS  # noqa: E402

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
    # One search box: the sidebar's (and the article header's search button on phones);
    # the theme's persistent navbar field would be a second one above it.
    "navbar_persistent": [],
}
# The sidebar's navigation is the edition's (edition.sphinxext.navigation sets
# html_sidebars to use edition/templates/edition-nav.html unless set here): the groups
# of texts, the current text's group open on the texts around it, and the apparatus,
# instead of the theme's, which held every text on every page.
# The texts are grouped by language ("lang"); "year" groups them by the year in their date,
# any other front-matter key (a series, say) by its value.
edition_text_groups = "lang"
# At most this many texts of the current group in the sidebar, and this many groups
# (then a link to the full list) ...
edition_nav_texts = 9
edition_nav_groups = 12
# ... and this many texts on a listing page of a group (texts-ko.html, texts-ko-2.html, …);
# a home page with more texts than this lists the groups and their pages.
edition_texts_per_page = 100
# Korean words are indexed with and without particles, Russian by stem
# (edition.presentation.search); queries are treated the same way in the browser.
html_search_language = "edition"
html_last_updated_fmt = None
html_copy_source = False
# No general index page on the web (nor, following it, in the e-book): the
# HTML index entries would be every paragraph naming a term, so the page was
# empty; the registers (glossary, persons, works, their A-Z lists and the
# indices of persons and works) are the edition's indices. Print keeps its
# general index of glossary terms, with page numbers.
html_use_index = False
html_show_sourcelink = False
# The glossary and the registers of persons and works, in HTML (html, dirhtml;
# not EPUB or print): the register page lists every entry A-Z and links to
# letter pages holding the entries, at most this many entries a page (a larger
# letter takes several pages) ...
edition_register_entries_per_page = 25
# ... an entry named in more passages than this lists them on pages of its own
# (the letter page says how many, of how many texts, and links there) ...
edition_register_inline_passages = 10
# ... at most this many passages a page ...
edition_register_passages_per_page = 400
# ... and a register of more entries than this lists, on its own page, its
# letter pages (first and last entry, how many) instead of every entry.
# A passage takes 90-400 bytes of a page, so a letter page holds at most
# 25 x 10 passages (100 KB) beside its 25 entries, a passages page 400
# (160 KB): with the page's frame, no page reaches 200 KB however many texts
# there are (issue 25). Each page costs the build about as much as a text's.
edition_register_index_entries = 250
# False: one page per register.
edition_register_split = True

# --- LaTeX / PDF -------------------------------------------------------------
# xelatex: Noto Serif/Sans (Latin, Cyrillic; Debian fonts-noto-core) for the
# apparatus and the Russian text, Noto Serif/Sans CJK KR (fonts-noto-cjk) for
# Hangul through xeCJK, which keeps the spaces between Korean words and adds
# none between Hangul and digits ("1924년" stays as it is). DejaVu Sans Mono
# (fonts-dejavu-core) has the visible-space glyph Sphinx's macros use.
latex_engine = "xelatex"
latex_documents = [("index", "edition.tex", project, author, "manual")]
latex_use_xindy = False
# The indices of persons and works are printed as book indices, made by
# upmendex from what edition.sphinxext.print_indices writes (see latexmkrc),
# not as Sphinx's one-line-per-passage domain indices.
latex_domain_indices = False
latex_additional_files = ["latexmkrc", "edition.ist"]
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "10pt",
    "fontpkg": r"""
\setmainfont{Noto Serif}
\setsansfont{Noto Sans}
\setmonofont{DejaVu Sans Mono}
\usepackage{xeCJK}
\xeCJKsetup{CJKspace=true, CJKecglue={}, xCJKecglue=false, CheckSingle=false}
% Korean lines break between words, as on the web (word-break: keep-all): no break
% between two Hangul syllables, only at the spaces (kept by CJKspace). No stretch
% either: a line is justified at its spaces, as Korean is set, not by letter-spacing
% its words. A language written without spaces (Chinese, Japanese) would need
% xeCJK's default back (breaks and stretch between characters).
\xeCJKsetup{CJKglue={\nobreak}}
% Fewer breakpoints in a Korean line: let its spaces stretch rather than overrun,
% all alike (no wider space after a sentence's end, which took a loose line's slack).
\setlength{\emergencystretch}{3em}
\PolyglossiaSetup{english}{frenchspacing=true}% polyglossia sets the spacing per language
% A space between Hangul and a brace group ("저작 {\hyperref…}") is one xeCJK drops and
% means to put back at the next character; a link's PDF annotation (or any box or
% special) at the group's start hides it, so the words ran together. Keep the space at
% once, as xeCJK itself does when a macro follows the space.
\ExplSyntaxOn
\cs_new_eq:NN \__edition_xeCJK_boundary_group_end:n \__xeCJK_boundary_group_end:n
\cs_set_protected:Npn \__xeCJK_boundary_group_end:n #1
  {
    % Test before the original ends xeCJK's class group, which restores \l_peek_token.
    \bool_lazy_and:nnTF
      { \str_if_eq_p:nn {#1} { CJK-space } }
      { \token_if_group_begin_p:N \l_peek_token }
      { \__edition_xeCJK_boundary_group_end:n {#1} \xeCJK_space_or_xecglue: }
      { \__edition_xeCJK_boundary_group_end:n {#1} }
  }
\ExplSyntaxOff
\setCJKmainfont{Noto Serif CJK KR}[ItalicFont={Noto Serif CJK KR}, BoldFont={Noto Serif CJK KR Bold}]
\setCJKsansfont{Noto Sans CJK KR}[BoldFont={Noto Sans CJK KR Bold}]
\setCJKmonofont{Noto Sans Mono CJK KR}
% Quotation marks (guillemets too), dashes and the ellipsis are shared with Latin and Cyrillic:
% set them in the Western font, at their Western width.
\xeCJKDeclareCharClass{Default}{"2013, "2014, "2018, "2019, "201A, "201C, "201D, "201E, "2026, "00AB, "00BB, "2039, "203A, "00B7}
""",
    "preamble": r"""
% Russian passages are hyphenated as Russian (edition.sphinxext.print.latex).
\setotherlanguage{russian}
\newfontfamily\cyrillicfont{Noto Serif}
\newfontfamily\cyrillicfontsf{Noto Sans}
\newfontfamily\cyrillicfonttt{DejaVu Sans Mono}
% Paragraph numbers of the texts, in the right margin beside the paragraph's first
% line (edition.sphinxext). Not a \marginpar: the output routine a margin note runs
% lets a page break after the line, leaving it alone at the page foot (a club line).
\makeatletter
\newcommand{\edparnum}[1]{\leavevmode\rlap{\hskip\dimexpr\textwidth-\@totalleftmargin+\marginparsep\relax
  \makebox[\marginparwidth][r]{\footnotesize\sffamily #1}}}
\makeatother
% Links inside the texts must not change how the text looks in print:
% no italics, no colour.
\renewcommand{\sphinxcrossref}[1]{#1}
% Index entries are names and titles, not code: roman, not typewriter.
\protected\def\sphinxstyleindexentry#1{#1}
% The running head: the title, without a release number.
\makeatletter
\AtBeginDocument{\renewcommand{\py@release}{}\renewcommand{\sphinxheadercomma}{}}
\makeatother
% PDF metadata (hyperref is loaded after the preamble).
\AtBeginDocument{\hypersetup{
  pdftitle={Trotsky and the Russian Left Opposition: an annotated edition},
  pdflang={en},
  pdfdisplaydoctitle=true,
}}
% xdvipdfmx does not pass pdflang on: set the document language directly.
\AtBeginDocument{\special{pdf:put @catalog <</Lang (en)>>}}
""",
    # Chapter headings as set by the report class: a text's title is not
    # upper-cased (fncychap's Bjarne style did).
    "fncychap": "",
    "sphinxsetup": "InnerLinkColor={rgb}{0,0,0}, OuterLinkColor={rgb}{0.1,0.1,0.45}",
    # A book without blank pages between chapters, printable on one side.
    "extraclassoptions": "openany,oneside",
    # The title page names every text: edition.sphinxext.transforms.text_list writes it
    # from the texts' front matter (and the PDF subject and EPUB description).
}

# --- EPUB --------------------------------------------------------------------
epub_title = html_title
# The package's creators are the editors CITATION.cff names (none yet, so no dc:creator),
# its publisher and accessibility certifier the edition itself, by its title
# (edition.sphinxext.epub.accessibility); set epub_author / epub_publisher to name others.
epub_copyright = copyright
epub_language = "en"
epub_show_urls = "no"
epub_basename = "edition"
# The navigation document lists what the home page's toctrees include, hidden
# ones too: every text and register (Sphinx's default leaves hidden ones out).
epub_tocscope = "includehidden"
# The general index holds print page entries only (the terms' pages): empty in
# the e-book, whose indices are those of persons and works.
epub_use_index = False
