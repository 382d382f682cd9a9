"""Paragraph numbers as a book's index gives them: consecutive ones merged into
ranges ("5, 7–9"). Pure; the print indices leave the same merging to upmendex."""

from __future__ import annotations

from collections.abc import Iterable


def paragraph_runs(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Runs of consecutive numbers, as (first, last), in order, each number once."""
    runs: list[tuple[int, int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs
