"""Working days and sending times: reminders go at 08:00 London time on working days.

A working day is a weekday that is not an England and Wales bank holiday (the ``holidays``
package, England's calendar: Wales has the same bank holidays). 08:00 London is 08:00 UTC in
winter and 07:00 UTC in summer; the clocks change on a Sunday, never a working day, so every
working day has exactly one 08:00.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import holidays

from tracker.common.time import LONDON

SEND_TIME = time(8, 0)


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holiday_name(day: date) -> str | None:
    return holidays.country_holidays("GB", subdiv="ENG", years=day.year).get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def next_working_day(day: date) -> date:
    """The first working day after ``day``."""
    return working_day_on_or_after(day + timedelta(days=1))


def working_days_before(day: date, count: int) -> date:
    """The working day ``count`` working days before ``day`` (``day`` itself need not be one)."""
    while count > 0:
        day -= timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def send_moment(day: date) -> datetime:
    """08:00 London on ``day``, in UTC."""
    return datetime.combine(day, SEND_TIME, tzinfo=LONDON).astimezone(UTC)


def is_send_time(at: datetime) -> bool:
    """Whether emails may go at ``at``: a working day in London, at or after 08:00 there."""
    local = at.astimezone(LONDON)
    return is_working_day(local.date()) and local.time() >= SEND_TIME


def next_send_moment(at: datetime) -> datetime:
    """When emails decided at ``at`` go: ``at`` itself if it is a sending time, else 08:00 on
    the next working day (today's, before 08:00 on a working day)."""
    if is_send_time(at):
        return at
    local = at.astimezone(LONDON)
    day = local.date()
    if is_working_day(day) and local.time() < SEND_TIME:
        return send_moment(day)
    return send_moment(next_working_day(day))
