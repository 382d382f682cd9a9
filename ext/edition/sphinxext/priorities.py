"""Every ordering the extension relies on, named, in one place.

Sphinx runs an event's handlers by priority (lower first; ``app.connect``'s
default, and the themes', is 500) and transforms by ``default_priority``.
Where the edition's code must run before or after someone else's, the
reason is said here once, and the code names the constant.
"""

#: app.connect's default: Sphinx's, the themes' and most of the edition's handlers.
DEFAULT = 500

# --- events ------------------------------------------------------------------------------

#: config-inited: after setup_base_url (default), which reads CITATION.cff into html_baseurl.
AFTER_BASE_URL = 600
#: doctree-resolved: split the register pages before fill_used_in (default) fills what stays.
BEFORE_USED_IN = 490
#: doctree-resolved: print's closing lines kept together, after fill_used_in (default) made them.
AFTER_USED_IN = 600
#: html-page-context: before the theme (default) renders the table of contents it is handed.
BEFORE_THEME = 400
#: html-page-context: after the theme (default) has put its sidebar functions in the context.
AFTER_THEME = 600
#: build-finished: after Sphinx's own work; the search index is written by then.
AFTER_SPHINX_OUTPUT = 800

# --- transforms (read time) ----------------------------------------------------------------

#: A text's front matter and header: after docutils' DocInfo (340), before Sphinx strips docinfo (880).
TEXT_DOCUMENT = 400
#: Notes anchored in a text: after its header is made (TEXT_DOCUMENT).
NOTES = 410
#: Entries linked in the text: after the notes are placed (their markers are not linked).
AUTO_LINKS = 420

# --- post-transforms (write time) -----------------------------------------------------------

#: Links to notes and to register entries: after Sphinx's ReferencesResolver (10).
AFTER_REFERENCES = 20
#: The listing pages' groups of texts.
TEXT_GROUPS = 200
#: The emptied notes heading dropped in print: after Sphinx's LaTeXFootnoteTransform (600).
AFTER_LATEX_FOOTNOTES = 700
#: Languages marked in LaTeX: last, when the nodes are final.
LATEX_LANGUAGES = 800
