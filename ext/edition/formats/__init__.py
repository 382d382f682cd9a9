"""The edition in other people's formats: W3C Web Annotations out and in (w3c,
jsonld_forms, annotation_export, annotation_import), citations (citation) and
release metadata in CITATION.cff and .zenodo.json (release)."""
