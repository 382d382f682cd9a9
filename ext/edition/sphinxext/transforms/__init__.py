"""From sources to doctrees: a text's front matter and ¶ numbers, its notes, the linker,
the roles, the pages listing texts, the citation data of every page."""
