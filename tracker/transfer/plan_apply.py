"""Carrying out a plan import's preview through the actions' services, all or nothing.

Every change goes through ``tracker.actions.services`` with the channel "import", so it is
checked, audited and kept in the action's history like any other. The caller commits; any
failure raises ``ImportRefused`` and the caller rolls the whole file back.
"""

from __future__ import annotations

from collections.abc import Callable

from tracker.actions import services as actions
from tracker.actions.models import Update
from tracker.common.errors import DomainError
from tracker.extensions import db
from tracker.people.models import Person
from tracker.people.services import create_person
from tracker.transfer.plan_import import Preview, Problem

CHANNEL = "import"
PROGRESS_EVERY = 250


class ImportRefused(DomainError):
    """The file was not imported; ``problems`` says row by row what to fix."""

    code = "invalid"

    def __init__(self, problems: list[Problem], message: str | None = None) -> None:
        self.problems = problems
        super().__init__(message or "Nothing was imported:\n" + "\n".join(str(p) for p in problems))


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
    rows = [row for row in preview.rows if row.outcome in ("create", "change")]
    for done, row in enumerate(rows, start=1):
        try:
            _apply_row(actor, board, row, reason, people)
        except DomainError as exc:
            detail = "; ".join(getattr(exc, "fields", {}).values()) or exc.message
            raise ImportRefused(
                [Problem(row.number, None, f"{detail} Nothing was imported.")]
            ) from exc
        if progress and (done % PROGRESS_EVERY == 0 or done == len(rows)):
            progress(done, len(rows))
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
    ops = row.ops
    if "create" in ops:
        values = dict(ops["create"])
        values["owner"] = _person(actor, values["owner"], people)
        action = actions.create_action(actor, board, ref=row.ref, channel=CHANNEL, **values)
    else:
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
    update = actions.submit_update(
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
        actions.accept_update(actor, update, channel=CHANNEL)
    return update
