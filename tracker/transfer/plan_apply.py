"""Carrying out a plan import's preview, all or nothing.

New actions are created in bulk (``plan_bulk``: the same rules, a few statements for thousands
of rows); every change to an existing action goes through ``tracker.actions.services`` (or
``updates``) with the channel "import", so it is checked, audited and kept in the action's
history like any other.
The caller commits; any failure raises ``ImportRefused`` and the caller rolls the whole file
back.
"""

from __future__ import annotations

from collections.abc import Callable

from tracker.actions import services as actions
from tracker.actions import updates
from tracker.actions.models import Update
from tracker.extensions import db
from tracker.people.models import Person
from tracker.people.services import create_person
from tracker.transfer.plan_bulk import create_actions
from tracker.transfer.plan_import import ImportRefused, Preview, refusing

__all__ = ["ImportRefused", "apply_plan"]

CHANNEL = "import"
PROGRESS_EVERY = 250


def apply_plan(
    actor: Person | None,
    preview: Preview,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Make the board match the file, as previewed; return the counts of what was done."""
    if not preview.can_import:
        raise ImportRefused(preview.all_problems())
    board, reason = preview.board, f"Imported from {preview.filename}."
    people: dict[str, Person] = {}
    new = [row for row in preview.rows if row.outcome == "create"]
    changed = [row for row in preview.rows if row.outcome == "change"]
    total = len(new) + len(changed)
    create_actions(actor, board, new, reason, lambda spec: _person(actor, spec, people))
    if progress and new:
        progress(len(new), total)
    for done, row in enumerate(changed, start=len(new) + 1):
        with refusing(row):
            _apply_row(actor, board, row, reason, people)
        if progress and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    db.session.flush()
    return preview.counts


def _person(actor, spec, people: dict[str, Person]) -> Person | None:
    """The person a row names, adding them (once per file) when the secretary agreed to."""
    if not isinstance(spec, tuple):
        return spec
    _, name, email = spec
    if email not in people:
        people[email] = create_person(actor, name=name, email=email, channel=CHANNEL)
    return people[email]


def _apply_row(actor, board, row, reason: str, people) -> None:
    """Change one existing action through the services, as a secretary would by hand."""
    ops = row.ops
    action = ops["action"]
    if ops.get("edit"):
        actions.edit_action(actor, action, channel=CHANNEL, **ops["edit"])
    if ops.get("owner") is not None:
        owner = _person(actor, ops["owner"], people)
        actions.assign_owner(actor, action, owner, comment=reason, channel=CHANNEL)
    if ops.get("due_on"):
        actions.change_due_date(actor, action, ops["due_on"], reason=reason, channel=CHANNEL)
    update = ops.get("update")
    if update:
        _add_update(actor, action, update)
    for transition in ops.get("path", []):
        fields = {"comment": reason, "evidence": ops.get("evidence", "")}
        actions.fire_transition(actor, action, transition, fields, channel=CHANNEL)


def _add_update(actor, action, spec: dict) -> Update:
    """Record the file's progress as an update, accepted at once: the secretary imports it."""
    author = actor or action.owner
    update = updates.submit_update(
        actor,
        action,
        narrative=spec["narrative"],
        progress=spec.get("progress"),
        rag=spec.get("rag"),
        evidence=spec.get("evidence", ""),
        channel=CHANNEL,
        author=author,
    )
    if update.state == "submitted":
        updates.accept_update(actor, update, channel=CHANNEL)
    return update
