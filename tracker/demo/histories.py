"""Bring a demo action to its status the way a real one gets there: transitions and updates.

Nothing is set directly on the action: each step is a workflow transition or an owner's update
that the secretary accepts, so every demo action has the history a real one would have.
"""

from __future__ import annotations

from datetime import date, timedelta

from tracker.actions.models import Action, Update
from tracker.actions.services import fire_transition
from tracker.actions.updates import accept_update, submit_update
from tracker.common.errors import ValidationFailed

CLI = "cli"

# For each status: the transitions fired before the owner's progress report, and those after.
# The report comes once work is under way and before it is blocked, finished or cancelled.
PATHS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "draft": ((), ()),
    "open": (("open",), ()),
    "in_progress": (("open", "start"), ()),
    "blocked": (("open", "start"), ("block",)),
    "completed": (("open", "start"), ("complete",)),
    "closed": (("open", "start"), ("complete", "close")),
    "cancelled": (("open",), ("cancel",)),
}
# Finished actions reach 100% by completion; the owner's earlier report said this much.
INTERIM_PROGRESS = 60


def bring_to_status(action: Action, spec: dict) -> None:
    """Fire the transitions that lead to ``spec['status']``, reporting progress on the way."""
    status = spec.get("status", "draft")
    if status not in PATHS:
        raise ValidationFailed(
            {"demo data": f"{action.ref}: unknown status {status!r}; use one of {', '.join(PATHS)}"}
        )
    before, after = PATHS[status]
    for step in before:
        _fire(action, step, spec)
    progress = spec.get("progress", 0)
    if status in ("completed", "closed"):
        progress = min(progress, INTERIM_PROGRESS)
    if status != "draft" and (progress or spec.get("owner_rag")):
        report_progress(action, progress, spec.get("owner_rag"))
    for step in after:
        _fire(action, step, spec)


def report_progress(action: Action, progress: int, rag: str | None) -> Update:
    """The owner reports progress and the secretary accepts it."""
    update = submit_update(
        None,
        action,
        narrative=narrative(action, progress),
        progress=progress,
        rag=rag,
        author=action.owner,
        channel=CLI,
    )
    # Boards that trust their owners apply updates at once; the rest wait for acceptance.
    if update.state == "submitted":
        accept_update(None, update, comment="Thank you: accepted.", channel=CLI)
    return update


def narrative(action: Action, progress: int) -> str:
    if progress < 30:
        return f"Work has started on {action.title.lower()}; partners have agreed the plan."
    if progress < 70:
        return f"About {progress}% done: the first sites are live and the rest are scheduled."
    return f"Nearly there ({progress}%): the remaining work is agreed and dated."


def _fire(action: Action, step: str, spec: dict) -> None:
    fields = {}
    if step == "block":
        fields["comment"] = _required(spec, "blocked_reason", action)
    elif step == "cancel":
        fields["comment"] = _required(spec, "reason", action)
    elif step == "complete":
        fields["evidence"] = spec.get("evidence") or (
            f"Audit report and board minutes for {action.ref}."
        )
    elif step == "close":
        fields["comment"] = "Evidence seen at the board meeting: signed off."
    fire_transition(None, action, step, fields, channel=CLI)


def _required(spec: dict, key: str, action: Action) -> str:
    if not spec.get(key):
        raise ValidationFailed(
            {"demo data": f"{action.ref}: a {spec['status']} action needs a {key}"}
        )
    return spec[key]


def submit_pending(action: Action, spec: dict, today: date) -> Update:
    """An owner's update left waiting for the secretary (not accepted)."""
    days = spec.get("proposed_due_in_days")
    return submit_update(
        None,
        action,
        narrative=spec["narrative"],
        progress=spec.get("progress"),
        rag=spec.get("rag"),
        transition=spec.get("transition"),
        comment=spec.get("comment", ""),
        evidence=spec.get("evidence", ""),
        proposed_due_on=today + timedelta(days=days) if days is not None else None,
        author=action.owner,
        channel=CLI,
    )
