"""The ``edition`` command (commands: its parser and subcommands)."""
