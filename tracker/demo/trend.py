"""Back-filled daily snapshots for the demo, so that its dashboards show a trend at once.

The demo's actions are all created, and moved through their workflows, on the day the demo is
loaded, so how they stood on earlier days is not recorded anywhere. The back-fill therefore
records the actions as they stand at loading, with overdue and RAG worked out for each past
day (``take_snapshots`` does exactly that for the day it is given): the trend honestly shows
actions falling overdue as their due dates passed, and flat open and completed lines.
"""

from __future__ import annotations

from datetime import date, timedelta

from tracker.oversight.snapshots import take_snapshots

BACKFILL_WEEKS = 6


def backfill_snapshots(today: date, weeks: int = BACKFILL_WEEKS) -> int:
    """One snapshot of every board for each day of the last ``weeks`` weeks and today; the
    number of days recorded."""
    days = weeks * 7
    for back in range(days, -1, -1):
        take_snapshots(today - timedelta(days=back))
    return days + 1
