"""The print edition: LaTeX languages and closing lines, the book builder."""
