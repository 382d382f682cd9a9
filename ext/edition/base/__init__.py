"""The base layer: helpers every other layer uses (errors users read, whole-file
writes, the edition's address, language names, the safe Markdown subset of
contributed prose). Imports nothing else of the edition."""
