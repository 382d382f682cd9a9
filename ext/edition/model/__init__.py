"""The validated, typed model of the apparatus, with source locations: notes
(annotations), the glossary, the registers of persons and works, and what the
last two share (entries)."""
