"""The registers in one wing: the glossary, persons and works pages, their order, the HTML
letter pages, the domain's indices and the printed indices."""
