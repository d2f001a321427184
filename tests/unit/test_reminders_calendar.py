"""Working days and the 08:00 London sending time, across weekends, bank holidays and the clocks."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tracker.notify.reminders.calendar import (
    is_send_time,
    is_working_day,
    next_send_moment,
    next_working_day,
    send_moment,
    working_day_on_or_after,
    working_days_before,
)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2027, 3, 1), True),  # Monday
        (date(2027, 3, 6), False),  # Saturday
        (date(2027, 3, 7), False),  # Sunday
        (date(2027, 3, 26), False),  # Good Friday
        (date(2027, 3, 29), False),  # Easter Monday
        (date(2026, 12, 25), False),  # Christmas Day
        (date(2026, 12, 28), False),  # Boxing Day (substitute, a Monday)
        (date(2026, 12, 29), True),
        (date(2027, 5, 3), False),  # Early May bank holiday
        (date(2027, 3, 17), True),  # St Patrick's Day: a holiday in Northern Ireland only
    ],
)
def test_working_days_skip_weekends_and_england_and_wales_bank_holidays(day, working):
    assert is_working_day(day) is working


def test_the_next_working_day_jumps_weekends_and_holidays():
    assert working_day_on_or_after(date(2027, 3, 6)) == date(2027, 3, 8)
    assert working_day_on_or_after(date(2027, 3, 26)) == date(2027, 3, 30)  # Easter
    assert next_working_day(date(2026, 12, 24)) == date(2026, 12, 29)
    assert working_day_on_or_after(date(2027, 3, 8)) == date(2027, 3, 8)


def test_counting_working_days_back_from_a_deadline():
    assert working_days_before(date(2027, 3, 17), 2) == date(2027, 3, 15)
    assert working_days_before(date(2027, 3, 16), 2) == date(2027, 3, 12)  # over a weekend
    assert working_days_before(date(2027, 3, 31), 2) == date(2027, 3, 25)  # over Easter


def test_eight_in_the_morning_london_is_eight_utc_in_winter_and_seven_in_summer():
    assert send_moment(date(2027, 3, 25)) == datetime(2027, 3, 25, 8, tzinfo=UTC)
    assert send_moment(date(2027, 3, 30)) == datetime(2027, 3, 30, 7, tzinfo=UTC)
    assert send_moment(date(2026, 10, 26)) == datetime(2026, 10, 26, 8, tzinfo=UTC)


@pytest.mark.parametrize(
    ("at", "sending"),
    [
        (datetime(2027, 3, 25, 7, 59, tzinfo=UTC), False),  # 07:59 GMT
        (datetime(2027, 3, 25, 8, 0, tzinfo=UTC), True),
        (datetime(2027, 3, 30, 7, 0, tzinfo=UTC), True),  # 08:00 BST, after the change
        (datetime(2027, 3, 30, 6, 59, tzinfo=UTC), False),
        (datetime(2027, 3, 27, 12, 0, tzinfo=UTC), False),  # Saturday
        (datetime(2026, 10, 26, 7, 30, tzinfo=UTC), False),  # 07:30 GMT: clocks went back
        (datetime(2026, 10, 23, 7, 30, tzinfo=UTC), True),  # 08:30 BST the Friday before
        (datetime(2026, 12, 28, 10, 0, tzinfo=UTC), False),  # a bank holiday
        (datetime(2027, 3, 1, 23, 30, tzinfo=UTC), True),  # 23:30 on a working day
    ],
)
def test_sending_times(at, sending):
    assert is_send_time(at) is sending


def test_the_next_sending_moment():
    saturday = datetime(2027, 3, 20, 9, tzinfo=UTC)
    assert next_send_moment(saturday) == datetime(2027, 3, 22, 8, tzinfo=UTC)
    early = datetime(2027, 3, 22, 6, tzinfo=UTC)
    assert next_send_moment(early) == datetime(2027, 3, 22, 8, tzinfo=UTC)
    # Good Friday: Easter Monday is skipped too, and by Tuesday the clocks have gone forward.
    good_friday = datetime(2027, 3, 26, 9, tzinfo=UTC)
    assert next_send_moment(good_friday) == datetime(2027, 3, 30, 7, tzinfo=UTC)
    now = datetime(2027, 3, 22, 9, tzinfo=UTC)
    assert next_send_moment(now) == now
