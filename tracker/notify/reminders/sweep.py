"""The sweep: decide every reminder that is due, then, at a sending time, compose the emails.

The scheduler calls ``sweep(at)`` on each tick inside an app context and commits; the command
``flask reminders sweep [--at]`` does the same for operators and tests. The sweep only adds and
changes rows in the session: it never commits.

How a sweep behaves (the catch-up after time down included):

- Deciding runs at any time, and is driven only by the database and ``at``: each rule decides
  the reminder that is current at ``at`` for every action (see rules.py), unless it was decided
  before. So a sweep after three days down decides, once, what those days should have decided;
  and a sweep run twice (or by two processes) decides nothing new the second time.
- A reminder's ``send_on`` is the first working day on or after the day it was decided: one
  decided on a Saturday, or on a bank holiday, waits for the next working day.
- Composing happens only at a sending time (08:00 London or later on a working day). It writes
  one email per person with everything waiting for them whose ``send_on`` has come, folding
  the reminders about one action into one line that says where the action stands today: a
  missed "due in 3 days" and today's "due today" make one line, "due today". Every reminder
  folded in is marked sent with that email, so none is lost and none goes twice.
- One email per person per day: what is decided for someone after today's email went (a due
  date changed at noon, say) waits for the next working day.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from tracker.common.memory import collector_paused
from tracker.common.time import london_today
from tracker.notify.reminders import compose, writing
from tracker.notify.reminders.calendar import is_send_time, next_send_moment
from tracker.notify.reminders.rules import decide


@dataclass
class SweepReport:
    """What one sweep did."""

    at: datetime
    decided: Counter = field(default_factory=Counter)
    composed: bool = False  # False: not a sending time; what was decided waits
    emails: int = 0
    sent: int = 0  # reminders sent (several may share an email)
    voided: int = 0
    deferred: int = 0
    next_send_at: datetime | None = None

    @property
    def total_decided(self) -> int:
        return sum(self.decided.values())

    def lines(self) -> list[str]:
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(self.decided.items()) if n)
        lines = [f"Decided {self.total_decided} reminders" + (f" ({kinds})." if kinds else ".")]
        if self.composed:
            lines.append(
                f"Wrote {self.emails} emails to the outbox with {self.sent} reminders; "
                f"{self.voided} no longer applied; {self.deferred} wait for tomorrow's email."
            )
        else:
            lines.append(
                "Not a sending time: reminders go at 08:00 London time on working days; "
                f"the next is {self.next_send_at:%Y-%m-%d %H:%M} UTC."
            )
        return lines


def sweep(at: datetime) -> SweepReport:
    """Decide the reminders due at ``at`` and, at a sending time, compose and enqueue them."""
    with collector_paused():  # tens of thousands of rows and lines, and no cycles among them
        return _sweep(at)


def _sweep(at: datetime) -> SweepReport:
    report = SweepReport(at=at, decided=decide(at), next_send_at=next_send_moment(at))
    if not is_send_time(at):
        return report
    day = london_today(at)
    report.composed = True
    report.deferred = writing.defer_second_emails(day)
    plan = compose.plan(day, lock=True)
    report.emails = writing.write(plan)
    report.sent = sum(len(e.notification_ids) for e in plan.emails)
    report.voided = len(plan.void)
    return report
