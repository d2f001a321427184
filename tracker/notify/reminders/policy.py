"""Reading and changing a board's reminder policy; the defaults for boards that have none.

A board without a row uses DEFAULT_POLICY; the row is created the first time its secretary
saves the policy page. The rules read policies in groups (one statement per distinct policy),
so that a thousand boards on the defaults cost the same as one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from sqlalchemy import select

from tracker.audit.services import record
from tracker.common.errors import ValidationFailed
from tracker.extensions import db
from tracker.notify.reminders.models import ReminderPolicy
from tracker.permissions import MANAGERS, ensure_role

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
MAX_DAYS = 365


@dataclass(frozen=True)
class Policy:
    """The values the rules use (see ReminderPolicy for what each means)."""

    days_before: tuple[int, ...] = (14, 3)
    on_due_date: bool = True
    overdue_every_days: int = 7
    escalate_secretary_days: int = 14
    escalate_chair_days: int = 28
    blocked_days: int = 14
    request_days_before: int = 10
    chaser_working_days: int = 2
    digest_weekday: int | None = 0

    @property
    def stages(self) -> tuple[int, ...]:
        """Days before the due date on which the owner hears, nearest first (0: on the day)."""
        return tuple(sorted(set(self.days_before) | ({0} if self.on_due_date else set())))

    @classmethod
    def of(cls, row: ReminderPolicy | None) -> Policy:
        if row is None:
            return DEFAULT_POLICY
        values = {f.name: getattr(row, f.name) for f in fields(cls)}
        values["days_before"] = parse_days(row.days_before)
        return cls(**values)

    def column_values(self) -> dict:
        values = asdict(self)
        values["days_before"] = ",".join(str(d) for d in sorted(self.days_before, reverse=True))
        return values


DEFAULT_POLICY = Policy()


def parse_days(text: str | None) -> tuple[int, ...]:
    """``"14, 3"`` -> (14, 3); ValueError for anything else."""
    parts = [p.strip() for p in (text or "").replace(";", ",").split(",") if p.strip()]
    days = tuple(int(p) for p in parts)
    if any(d < 1 or d > MAX_DAYS for d in days):
        raise ValueError("out of range")
    return tuple(sorted(set(days), reverse=True))


def policy_for(board) -> Policy:
    row = db.session.scalar(select(ReminderPolicy).where(ReminderPolicy.board_id == board.id))
    return Policy.of(row)


def policy_groups() -> list[tuple[Policy, list[int] | None, list[int]]]:
    """Every distinct policy in use: (policy, the boards that have it, or None for "every board
    not listed elsewhere", the boards listed elsewhere). One query."""
    rows = db.session.scalars(select(ReminderPolicy)).all()
    groups: dict[Policy, list[int]] = {}
    for row in rows:
        groups.setdefault(Policy.of(row), []).append(row.board_id)
    custom = [b for policy, ids in groups.items() if policy != DEFAULT_POLICY for b in ids]
    result: list[tuple[Policy, list[int] | None, list[int]]] = [(DEFAULT_POLICY, None, custom)]
    result += [(policy, ids, []) for policy, ids in groups.items() if policy != DEFAULT_POLICY]
    return result


def board_clause(column, board_ids: list[int] | None, excluded: list[int]):
    """The WHERE clause for one policy group over ``column`` (a board id column)."""
    if board_ids is not None:
        return column.in_(board_ids)
    return column.not_in(excluded) if excluded else column.is_not(None)


def check(values: dict) -> Policy:
    """A Policy from a form's or a command's values, or ValidationFailed saying what to fix."""
    problems = {}
    try:
        days_before = parse_days(values.get("days_before"))
    except ValueError:
        days_before = ()
        problems["days_before"] = (
            f"Enter whole numbers of days from 1 to {MAX_DAYS}, separated by commas, like 14, 3."
        )
    limits = {
        "overdue_every_days": (0, 90, "Enter how often to remind while overdue, 0 to 90 days"),
        "escalate_secretary_days": (0, MAX_DAYS, "Enter days overdue from 0 to 365"),
        "escalate_chair_days": (0, MAX_DAYS, "Enter days overdue from 0 to 365"),
        "blocked_days": (0, MAX_DAYS, "Enter days blocked from 0 to 365"),
        "request_days_before": (0, 90, "Enter days before the papers deadline from 0 to 90"),
        "chaser_working_days": (0, 10, "Enter working days before the deadline from 0 to 10"),
    }
    numbers = {}
    for name, (low, high, message) in limits.items():
        value = values.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            problems[name] = f"{message} (0 turns it off)."
        else:
            numbers[name] = value
    weekday = values.get("digest_weekday")
    if weekday is not None and weekday not in range(len(WEEKDAYS)):
        problems["digest_weekday"] = "Choose a weekday for the digest, or no digest."
    secretary, chair = numbers.get("escalate_secretary_days"), numbers.get("escalate_chair_days")
    if secretary and chair and chair <= secretary:
        problems["escalate_chair_days"] = (
            f"Escalate to the chair later than to the secretary (after {secretary} days), "
            "or enter 0 for never."
        )
    request, chaser = numbers.get("request_days_before"), numbers.get("chaser_working_days")
    if chaser and not request:
        problems["chaser_working_days"] = (
            "A chaser follows an update request: ask for updates first, or enter 0."
        )
    elif request and chaser and chaser >= request:
        problems["chaser_working_days"] = (
            f"Send the chaser after the request, so fewer than {request} days before the "
            "deadline, or enter 0."
        )
    if problems:
        raise ValidationFailed(problems)
    return Policy(
        days_before=days_before,
        on_due_date=bool(values.get("on_due_date")),
        digest_weekday=weekday,
        **numbers,
    )


def save_policy(actor, board, *, channel: str = "web", **values) -> Policy:
    """Change a board's policy (its secretary or an admin), recording what changed."""
    if actor is not None:
        ensure_role(actor, board, MANAGERS, "change the board's reminders")
    policy = check(values)
    row = db.session.scalar(select(ReminderPolicy).where(ReminderPolicy.board_id == board.id))
    before = Policy.of(row).column_values()
    if row is None:
        row = ReminderPolicy(board_id=board.id)
        db.session.add(row)
    after = policy.column_values()
    for name, value in after.items():
        setattr(row, name, value)
    row.updated_by_id = actor.id if actor is not None else None
    db.session.flush()
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        record(actor, channel, "reminder_policy_changed", board, changes=changes, board_id=board.id)
    return policy
