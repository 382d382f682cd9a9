"""The intake gate: contributed YAML loaded with its lines (yamlsource), checked
against the JSON Schemas in ``edition/schemas/`` (validation), every annotation
file surveyed before it is parsed (gate)."""
