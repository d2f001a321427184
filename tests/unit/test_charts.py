"""The SVG charts' arithmetic and text: scales, label spacing, and the words on the bars."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tracker.oversight.charts import (
    Bar,
    Series,
    _nice_top,
    _spread,
    _ticks,
    bar_chart,
    line_chart,
)


@pytest.mark.parametrize(
    ("value", "top"), [(0, 5), (5, 5), (6, 10), (11, 20), (21, 50), (51, 100), (10_001, 20_000)]
)
def test_the_scale_tops_out_at_a_round_number(value, top):
    assert _nice_top(value) == top


def test_ticks_are_whole_numbers_from_zero_to_the_top():
    assert _ticks(5) == [0, 1, 2, 3, 4, 5]
    assert _ticks(20) == [0, 4, 8, 12, 16, 20]
    assert _ticks(20_000) == [0, 4000, 8000, 12000, 16000, 20000]


def test_line_labels_at_the_same_height_are_moved_apart():
    assert _spread([100.0, 100.0, 40.0], 16) == [100.0, 116.0, 40.0]
    assert _spread([10.0, 50.0], 16) == [10.0, 50.0]


def test_every_bar_is_named_and_numbered_and_scaled_to_the_longest():
    chart = bar_chart("c", "By RAG", [Bar("Off track", 4, "#d4351c"), Bar("On track", 2)])
    assert ">Off track</text>" in chart and ">4</text>" in chart
    assert ">On track</text>" in chart and ">2</text>" in chart
    widths = [int(w) for w in re.findall(r'<rect[^>]* width="(\d+)"', chart)]
    assert widths[0] == 2 * widths[1]
    assert "By RAG" in chart and "Off track: 4; On track: 2" in chart  # title and description


def test_a_zero_bar_has_its_number_and_no_bar():
    chart = bar_chart("c", "By status", [Bar("Draft", 0), Bar("Open", 3)])
    assert chart.count("<rect") == 1
    assert ">Draft</text>" in chart and ">0</text>" in chart


def test_each_line_has_its_own_dashes_and_markers_and_is_named_at_its_end():
    days = [date(2026, 11, 1) + timedelta(weeks=w) for w in range(3)]
    chart = line_chart(
        "t",
        "Trend",
        days,
        [
            Series("Open", [5, 6, 7], "#1d70b8", "", "circle"),
            Series("Overdue", [0, 1, 1], "#d4351c", "8 4", "square"),
        ],
    )
    assert chart.count("<polyline") == 2
    assert 'stroke-dasharray="8 4"' in chart
    assert chart.count("<circle") == 3 + 1 and chart.count("<rect") == 3 + 1  # + the legend's
    assert ">Open 7</text>" in chart and ">Overdue 1</text>" in chart
    assert "From 1 November 2026 to 15 November 2026: Open from 5 to 7; Overdue from 0 to 1." in (
        chart
    )
