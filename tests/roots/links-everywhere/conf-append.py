
# The links-everywhere root: every occurrence linked, so every word of its text stands next to a link.
edition_link_policy = "every"
