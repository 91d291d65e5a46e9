"""Small-count suppression for aggregate tables, including the cells that would give one away.

A count of 1–4 people (say, the disabled children of one village) can identify them, so such a
cell is shown as "<5" (primary suppression). Publishing a total beside it would let a reader
subtract the visible cells from the total and get the hidden one back, so a line whose total is
shown also hides enough other cells (complementary suppression) that no hidden cell can be
worked out:

- a line never has exactly one hidden cell (total − the visible cells would be that cell);
- the hidden cells of a line must not all be 1: a reader knows a hidden cell is at least 1 (a 0
  is shown as 0), so two hidden cells that add up to 2 are both 1. With k hidden cells adding up
  to S, each one can be anything from 1 to S − k + 1, which is at least two values when S > k.

The complement taken is the smallest visible non-zero cell (the least information lost). When
no cell is left to take, the total is hidden instead. A total of 1–4 is itself hidden.

Lines are one-dimensional: an aggregate export publishes totals only along one direction of
each table (per record type over the villages; per category over the villages), never sums of
different record types or of overlapping categories, so no cell sits in two published lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SMALL_CELL = 5                      # counts 1..SMALL_CELL-1 are hidden


@dataclass(frozen=True)
class Line:
    """What to hide in one line: the cells' positions, and whether the total is hidden too."""

    hidden: frozenset[int]
    total_hidden: bool


def is_small(n: int) -> bool:
    return 0 < n < SMALL_CELL


def protect_line(values: Sequence[int], *, with_total: bool = True) -> Line:
    """The cells of one line to hide, the line's total (``sum(values)``) being published when
    ``with_total`` is true. Without a published total only the small cells are hidden."""
    hidden = {i for i, v in enumerate(values) if is_small(v)}
    total = sum(values)
    if not with_total or is_small(total):
        return Line(frozenset(hidden), with_total)
    while hidden and not _undeducible(values, hidden):
        visible = [(v, i) for i, v in enumerate(values) if v > 0 and i not in hidden]
        if not visible:
            return Line(frozenset(hidden), True)
        hidden.add(min(visible)[1])
    return Line(frozenset(hidden), False)


def _undeducible(values: Sequence[int], hidden: set[int]) -> bool:
    """True when every hidden cell could take two values, given the total and the visible cells."""
    return len(hidden) >= 2 and sum(values[i] for i in hidden) > len(hidden)
