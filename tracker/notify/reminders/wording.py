"""How reminders say things: days in words, and why each reminder was decided."""

from __future__ import annotations

from datetime import date

from tracker.notify.reminders import models as m


def short_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "no date"


def days_words(days: int) -> str:
    """``1 day``, ``9 days``, ``2 weeks``, ``3 weeks and 2 days``."""
    if days < 14:
        return f"{days} day" + ("" if days == 1 else "s")
    weeks, rest = divmod(days, 7)
    text = f"{weeks} weeks"
    if rest:
        text += f" and {rest} day" + ("" if rest == 1 else "s")
    return text


def when_due(due_on: date | None, today: date) -> str:
    """Where an action stands against its due date, in words: "due in 3 days", "due today",
    "overdue by 2 weeks"."""
    if due_on is None:
        return "no due date yet"
    days = (due_on - today).days
    if days > 1:
        return f"due in {days_words(days)}"
    if days == 1:
        return "due tomorrow"
    if days == 0:
        return "due today"
    return f"overdue by {days_words(-days)}"


def reason(kind: str, ref: str | None, key_on: date, period: int, today: date) -> str:
    """Why a reminder was decided, for the preview: "A1.2 due 31/03/2027 is 14 days away"."""
    if kind == m.DUE:
        if period == 0:
            return f"{ref} is due on {short_date(key_on)}"
        return f"{ref} due {short_date(key_on)} is {days_words(period)} away"
    if kind == m.OVERDUE:
        late = (today - key_on).days
        return f"{ref} due {short_date(key_on)} is {days_words(late)} overdue"
    if kind in (m.ESCALATE_SECRETARY, m.ESCALATE_CHAIR):
        late = (today - key_on).days
        who = "secretary" if kind == m.ESCALATE_SECRETARY else "chair"
        late_words = days_words(late)
        return f"{ref} due {short_date(key_on)} is {late_words} overdue: escalated to the {who}"
    if kind == m.BLOCKED:
        return f"{ref} has been blocked since {short_date(key_on)}"
    if kind == m.UPDATE_REQUEST:
        return f"{ref}: an update is asked for by the papers deadline {short_date(key_on)}"
    if kind == m.UPDATE_CHASER:
        return f"{ref}: no update yet for the papers deadline {short_date(key_on)}"
    if kind == m.DIGEST:
        return f"the weekly digest of {short_date(key_on)}"
    return kind


KIND_LABELS = {
    m.DUE: "due-date reminder",
    m.OVERDUE: "overdue reminder",
    m.UPDATE_REQUEST: "update request",
    m.UPDATE_CHASER: "update chaser",
    m.ESCALATE_SECRETARY: "escalation to the secretary",
    m.ESCALATE_CHAIR: "escalation to the chair",
    m.BLOCKED: "blocked escalation",
    m.DIGEST: "weekly digest",
}
