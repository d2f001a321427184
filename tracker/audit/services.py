"""Recording audit events; every service function that changes something calls ``record``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from tracker.audit.models import Event
from tracker.common.time import utcnow
from tracker.extensions import db


def _plain(value: Any) -> Any:
    """Make a value JSON-friendly for the ``changes`` column."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "id") and hasattr(value, "__tablename__"):
        return getattr(value, "name", None) or getattr(value, "ref", None) or value.id
    return value


def diff(obj: Any, new_values: dict[str, Any]) -> dict[str, list[Any]]:
    """The ``{field: [from, to]}`` of the fields in ``new_values`` that differ from ``obj``."""
    changes = {}
    for field, new in new_values.items():
        old = getattr(obj, field)
        if old != new:
            changes[field] = [_plain(old), _plain(new)]
    return changes


def record(
    actor,
    channel: str,
    verb: str,
    subject,
    *,
    changes: dict[str, list[Any]] | None = None,
    comment: str = "",
    board_id: int | None = None,
    action_id: int | None = None,
) -> Event:
    """Add an event to the session (committed with the change it describes)."""
    if subject.id is None:
        db.session.flush()
    event = Event(
        **event_values(
            actor,
            channel,
            verb,
            subject,
            changes=changes,
            comment=comment,
            board_id=board_id,
            action_id=action_id,
        )
    )
    db.session.add(event)
    return event


def event_values(
    actor,
    channel: str,
    verb: str,
    subject,
    *,
    changes: dict[str, list[Any]] | None = None,
    comment: str = "",
    board_id: int | None = None,
    action_id: int | None = None,
) -> dict[str, Any]:
    """An event's columns, for ``record`` or for a bulk insert of many events (an import)."""
    return {
        # Stamped now, not at flush, so that events keep the order of the changes they record.
        "occurred_at": utcnow(),
        "actor_id": actor.id if actor is not None else None,
        "channel": channel,
        "verb": verb,
        "subject_type": type(subject).__name__.lower(),
        "subject_id": subject.id,
        "changes": {k: [_plain(a), _plain(b)] for k, (a, b) in (changes or {}).items()},
        "comment": comment,
        "board_id": board_id,
        "action_id": action_id,
    }
