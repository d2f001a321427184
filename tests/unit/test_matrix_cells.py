"""The matrix's cell rule, on counts alone (no database)."""

from __future__ import annotations

import pytest

from tracker.oversight.matrix_cells import (
    NOT_ADOPTED,
    NOT_STARTED,
    Cell,
    CellCounts,
    Completion,
    cell_state,
    percent,
)


@pytest.mark.parametrize(
    ("counts", "adopted", "state"),
    [
        (CellCounts(), False, NOT_ADOPTED),
        (CellCounts(), True, NOT_STARTED),
        # Only cancelled actions: the board took it up once, and nothing is live now.
        (CellCounts(actions=2, cancelled=2), False, NOT_STARTED),
        (CellCounts(actions=2, cancelled=2), True, NOT_STARTED),
        (CellCounts(actions=3, complete=3), True, "blue"),
        (CellCounts(actions=3, cancelled=1, complete=2), True, "blue"),
        (CellCounts(actions=3, waiting=3), True, NOT_STARTED),
        (CellCounts(actions=3, cancelled=1, waiting=2), True, NOT_STARTED),
        # One waiting, one done: work has moved.
        (CellCounts(actions=2, complete=1, waiting=1), True, "green"),
        (CellCounts(actions=2), True, "green"),
        # Risk outranks "not started" and "complete" elsewhere in the cell.
        (CellCounts(actions=2, waiting=2, worst="amber"), True, "amber"),
        (CellCounts(actions=2, waiting=2, worst="red"), True, "red"),
        (CellCounts(actions=3, complete=1, worst="red"), True, "red"),
        (CellCounts(actions=3, complete=2, worst="amber"), True, "amber"),
        (CellCounts(actions=3, complete=3, worst="blue"), True, "blue"),
        (CellCounts(actions=3, complete=1, worst="green"), True, "green"),
    ],
)
def test_cell_state(counts, adopted, state):
    assert cell_state(counts, adopted) == state


def test_percent_rounds_down_and_is_none_without_actions():
    assert percent(2, 3) == 66
    assert percent(199, 200) == 99
    assert percent(5, 5) == 100
    assert percent(0, 0) is None


def test_words_shown():
    assert Cell("amber", 2, 5, True, True).summary == "At risk — 2 of 5 complete"
    assert Cell(NOT_ADOPTED, 0, 0, False, False).summary == "Not adopted"
    assert Cell("blue", 1, 1, True, False).links_to_actions is False
    assert Completion(1, 3).text == "33% (1 of 3)"
    assert Completion(0, 0).text == "No actions"
