"""The texts as readers, notes and citations address them: the texts as docutils
documents without Sphinx (texts, nodes, directives), the reading contract
(contract), stable ¶ numbers (paragraph_numbers, passages) and the text of a
published page as a browser gives it (page_text)."""
