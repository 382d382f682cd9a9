"""Paragraph numbers merged into ranges as a book's index prints them (edition.reading.passages)."""

from __future__ import annotations

import pytest

from edition.reading.passages import paragraph_ranges, range_label


@pytest.mark.parametrize("numbers,shown", [
    ([], ""),
    ([7], "7"),
    ([5, 7, 8, 20, 21, 22], "5, 7, 8, 20–22"),  # two in a row stay two, as upmendex prints them
    ([3, 1, 2, 2, 9], "1–3, 9"),  # any order, each number once
    ([1, 2, 3, 4, 6, 7, 8], "1–4, 6–8"),
])
def test_ranges(numbers, shown):
    assert ", ".join(range_label(first, last) for first, last in paragraph_ranges(numbers)) == shown


def test_a_range_covers_exactly_its_numbers():
    numbers = [1, 2, 3, 5, 8, 9, 10, 11, 40]
    covered = [n for first, last in paragraph_ranges(numbers) for n in range(first, last + 1)]
    assert covered == sorted(set(numbers))
