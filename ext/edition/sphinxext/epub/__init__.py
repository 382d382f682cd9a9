"""The EPUB: accessibility metadata and the package check, the indices as book pages."""
