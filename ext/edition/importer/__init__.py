"""``edition import``: a raw scraped text into a MyST document that reproduces it
verbatim (text_import)."""
