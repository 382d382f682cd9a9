"""Tooling for an annotated scholarly edition built with Sphinx.

The Sphinx extension lives in :mod:`edition.sphinxext` (``extensions =
["edition.sphinxext"]``); the command line in :mod:`edition.cli.commands`.
"""

__version__ = "0.1.0"
