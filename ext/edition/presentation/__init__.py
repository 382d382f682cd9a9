"""Pure decisions about how the edition is presented, for the Sphinx side to
apply: where register entries and texts go in the HTML edition (register_paging,
text_groups) and the search rules and index shards (search, search_shards)."""
