"""The dates on which each reminder would go for a sample action and meeting: what the policy
page shows, worked out with the same policy values and calendar as the sweep's rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from tracker.boards.models import Meeting
from tracker.extensions import db
from tracker.notify.reminders.calendar import (
    bank_holiday_name,
    working_day_on_or_after,
    working_days_before,
)
from tracker.notify.reminders.policy import Policy
from tracker.notify.reminders.wording import days_words

SAMPLE_WEEKS = 6
OVERDUE_REPEATS_SHOWN = 3


@dataclass(frozen=True)
class Step:
    what: str
    to: str
    rule_on: date  # the day the rule says
    goes_on: date  # the working day it goes, at 08:00

    @property
    def moved(self) -> str:
        """Why it goes later than the rule says (a weekend or a bank holiday), or ""."""
        if self.goes_on == self.rule_on:
            return ""
        holiday = bank_holiday_name(self.rule_on)
        return f"{holiday}, a bank holiday" if holiday else f"a {self.rule_on:%A}"


def _step(what: str, to: str, day: date) -> Step:
    return Step(what, to, day, working_day_on_or_after(day))


def action_steps(policy: Policy, due_on: date) -> list[Step]:
    """Each reminder and escalation for an action due on ``due_on``, in date order."""
    steps = [
        _step(f"{days_words(n)} before the due date", "owner", due_on - timedelta(days=n))
        for n in sorted(policy.days_before, reverse=True)
    ]
    if policy.on_due_date:
        steps.append(_step("On the due date", "owner", due_on))
    every = policy.overdue_every_days
    for k in range(1, OVERDUE_REPEATS_SHOWN + 1 if every else 1):
        steps.append(
            _step(
                f"Overdue by {days_words(k * every)}", "owner", due_on + timedelta(days=k * every)
            )
        )
    if policy.escalate_secretary_days:
        days = policy.escalate_secretary_days
        steps.append(
            _step(f"Overdue by {days_words(days)}", "secretary", due_on + timedelta(days=days))
        )
    if policy.escalate_chair_days:
        days = policy.escalate_chair_days
        steps.append(
            _step(f"Overdue by {days_words(days)}", "chair", due_on + timedelta(days=days))
        )
    return sorted(steps, key=lambda s: (s.rule_on, s.to))


def meeting_steps(policy: Policy, papers_due_on: date) -> list[Step]:
    steps = []
    if policy.request_days_before:
        days = policy.request_days_before
        steps.append(
            _step(
                f"Update request, {days_words(days)} before the papers deadline",
                "every owner of an open action",
                papers_due_on - timedelta(days=days),
            )
        )
        if policy.chaser_working_days:
            n = policy.chaser_working_days
            steps.append(
                _step(
                    f"Chaser, {n} working day{'s' if n > 1 else ''} before the deadline",
                    "owners who have not sent an update",
                    working_days_before(papers_due_on, n),
                )
            )
    return steps


def next_meeting(board, today: date) -> Meeting | None:
    return db.session.scalar(
        select(Meeting)
        .where(Meeting.board_id == board.id, Meeting.papers_due_on >= today)
        .order_by(Meeting.papers_due_on)
        .limit(1)
    )


def next_digest(policy: Policy, today: date) -> Step | None:
    if policy.digest_weekday is None:
        return None
    day = today + timedelta(days=(policy.digest_weekday - today.weekday()) % 7)
    return _step("Weekly digest", "secretary", day)


def sample_due_date(today: date) -> date:
    return today + timedelta(weeks=SAMPLE_WEEKS)
