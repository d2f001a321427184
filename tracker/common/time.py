"""One notion of "now" and "today" for the whole application.

Timestamps are stored in UTC; "today" is London's today, because due dates are the dates people in
England see on their calendars.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def utcnow() -> datetime:
    """The current moment as a timezone-aware UTC datetime."""
    return datetime.now(UTC)


def london_today(at: datetime | None = None) -> date:
    """The date in London at ``at`` (default: now)."""
    return (at or utcnow()).astimezone(LONDON).date()
