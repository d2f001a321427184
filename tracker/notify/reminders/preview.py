"""What a sweep would decide and send at a given time, and why, without changing anything.

The preview runs the very same decision and plan as the sweep inside a SAVEPOINT and rolls it
back: one rule, in one place. Before a sending time it shows the emails as they would go at the
next 08:00 on a working day (from what is decided by ``at``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from tracker.common.time import london_today
from tracker.extensions import db
from tracker.notify.reminders import compose, writing
from tracker.notify.reminders.calendar import next_send_moment
from tracker.notify.reminders.rules import decide
from tracker.notify.reminders.wording import KIND_LABELS


@dataclass
class Preview:
    at: datetime
    send_at: datetime
    decided: Counter
    emails: list[compose.Email]
    void: int

    def lines(self) -> list[str]:
        when = f"{self.send_at:%Y-%m-%d %H:%M} UTC"
        if not self.emails:
            return [f"Nothing would be sent at {when}."]
        count = len(self.emails)
        lines = [f"{count} email{'s' if count != 1 else ''} would go at {when}:"]
        for email in self.emails:
            person = email.recipient
            kinds = ", ".join(sorted(KIND_LABELS[k] for k in email.kinds))
            owned = ", ".join(i.ref for i in email.owned)
            chase = ", ".join(i.ref for i in email.escalations)
            boards = ", ".join(d.board.ref for d in email.digests)
            about = "; ".join(
                filter(
                    None, [owned, chase and f"to chase {chase}", boards and f"digest for {boards}"]
                )
            )
            why = "; ".join(dict.fromkeys(email.reasons))
            lines.append(f"- {person.name} <{person.email}>: {kinds}: {about} (because {why})")
        if self.void:
            lines.append(f"{self.void} reminders no longer apply and would not be sent.")
        return lines


def preview(at: datetime, board=None) -> Preview:
    """The emails the sweep would write at ``at`` (only those about ``board``, if given)."""
    send_at = next_send_moment(at)
    savepoint = db.session.begin_nested()
    try:
        decided = decide(at)
        day = london_today(send_at)
        writing.defer_second_emails(day)
        plan = compose.plan(day, board_id=board.id if board is not None else None, explain=True)
    finally:
        savepoint.rollback()
    return Preview(at, send_at, decided, plan.emails, len(plan.void))
