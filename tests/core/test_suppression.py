"""Small-count suppression: no hidden cell of a published line can be worked out."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lehe_desktop.core.suppression import SMALL_CELL, protect_line


def another_completion(values: list[int], hidden: frozenset[int], i: int) -> bool:
    """Is there a different table a reader cannot tell apart from this one, in which hidden cell
    ``i`` has another value? The reader sees the visible cells and the total and knows a hidden
    cell is at least 1; moving one from or to another hidden cell keeps all of that."""
    return any(values[j] >= 2 or values[i] >= 2 for j in hidden - {i})


@given(st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=8))
@settings(max_examples=400, deadline=None)
def test_no_hidden_cell_can_be_worked_out_from_the_total(values: list[int]) -> None:
    line = protect_line(values)
    shown = [v for i, v in enumerate(values) if i not in line.hidden]
    # Every small count is hidden; a hidden cell is never 0 (a reader relies on that).
    assert not [v for v in shown if 0 < v < SMALL_CELL]
    assert all(values[i] > 0 for i in line.hidden)
    if line.total_hidden:
        return
    assert not 0 < sum(values) < SMALL_CELL
    # With the total shown: never one hidden cell alone, never cells that can only be 1 each.
    assert len(line.hidden) != 1
    for i in line.hidden:
        assert another_completion(values, line.hidden, i), (values, line)


def test_complements_are_the_smallest_visible_cells() -> None:
    # 2 alone would be total − 7 − 30: the 7 (smallest visible) is hidden with it.
    line = protect_line([2, 30, 7])
    assert line.hidden == {0, 2} and not line.total_hidden
    # Two hidden ones add up to 2: both are 1, so a third cell goes too.
    line = protect_line([1, 1, 9, 20])
    assert line.hidden == {0, 1, 2}
    # Nothing small: nothing hidden.
    assert protect_line([5, 0, 12]).hidden == frozenset()
    # A small total is hidden itself; without a total only the small cells go.
    assert protect_line([1, 2, 0]).total_hidden
    assert protect_line([2, 30, 7], with_total=False).hidden == {0}


def test_a_line_with_no_cell_left_to_take_hides_its_total() -> None:
    line = protect_line([3, 0, 0, 6])        # 3 and 6 hidden: 9 − 0 − 0 could still be 3 + 6 … or 1 + 8
    assert line.hidden == {0, 3} and not line.total_hidden
    line = protect_line([1, 0, 0, 5])        # 1 + 5 = 6: fine, 1..5 for either
    assert line.hidden == {0, 3}
    line = protect_line([1, 1, 0])           # total 2 is small itself: hidden
    assert line.total_hidden
