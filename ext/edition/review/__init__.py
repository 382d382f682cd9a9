"""What changed, for reviewers: the edition at a git revision (revisions), the
apparatus compared between two states (apparatus_diff), and that comparison as a
reviewer reads it (diff_report)."""
