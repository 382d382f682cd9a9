"""``edition check``'s judgement of the whole project without a Sphinx build:
the loaded project and its diagnostics (check), one spelling per name (spelling)."""
