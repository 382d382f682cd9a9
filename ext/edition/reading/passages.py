"""Paragraph numbers as a book's index gives them: consecutive ones merged.

``[5, 7, 8, 20, 21, 22]`` → ``5, 7, 8, 20–22``: three or more consecutive
numbers become a range, two stay two. Pure functions: the web registers'
passage lists use them; the printed indices get the same merging from
upmendex (``editionindices.ist``), which merges consecutive "pages" so (as
makeindex does; tests/test_print_indices.py checks the printed ranges)."""

from __future__ import annotations

from collections.abc import Iterable


#: The shortest run of consecutive numbers printed as a range.
MIN_RANGE = 3


def paragraph_ranges(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted (first, last) runs of consecutive paragraph numbers, each number
    once; a run shorter than :data:`MIN_RANGE` is given number by number."""
    runs: list[tuple[int, int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    found = []
    for first, last in runs:
        if last - first + 1 >= MIN_RANGE:
            found.append((first, last))
        else:
            found += [(n, n) for n in range(first, last + 1)]
    return found


def range_label(first: int, last: int) -> str:
    """``7`` or ``7–9`` (an en dash, as in print)."""
    return str(first) if first == last else f"{first}–{last}"
