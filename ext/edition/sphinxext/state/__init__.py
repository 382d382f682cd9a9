"""Build state, one owner: the ``edition`` domain (domain.py), its per-document records and
this build's working state (records.py), and the caches of a build's inputs and doctrees."""
