"""Creating the new actions of an import in bulk: thousands of rows in a few statements.

``actions.services.create_action`` flushes and queries per action, and a transition or an
accepted update each flush again: fine for a form, minutes for a 5,000-row plan. Here the same
rules run once per file — the secretary's role checked once, each row's workflow path fired
through the same engine, the same audit events recorded — and the rows go to the database in
one flush per table. The checks ``create_action`` makes per action (a title, a free reference,
an active owner, an adopted recommendation) were made by the preview for every row.

No email is sent for these actions: an imported plan is one its owners already work to; the
reminder sweep writes to them when their actions fall due, as for any action.
"""

from __future__ import annotations

from sqlalchemy import func, select

from tracker.actions.models import Action, Update
from tracker.actions.services import OPERATOR_ROLES, REASONED_STATES
from tracker.audit.services import record
from tracker.common.time import utcnow
from tracker.extensions import db
from tracker.people.models import Organisation
from tracker.permissions import MANAGERS, board_roles, ensure_role
from tracker.transfer.plan_import import refusing
from tracker.workflow_registry import fire, get_workflow

CHANNEL = "import"


class Organisations:
    """Organisations by name (ignoring case), each looked up or created once per file."""

    def __init__(self) -> None:
        self.found: dict[str, Organisation | None] = {}

    def get(self, name: str) -> Organisation | None:
        name = (name or "").strip()
        if not name:
            return None
        key = name.lower()
        if key not in self.found:
            organisation = db.session.scalar(
                select(Organisation).where(func.lower(Organisation.name) == key)
            )
            if organisation is None:
                organisation = Organisation(name=name)
                db.session.add(organisation)
            self.found[key] = organisation
        return self.found[key]


def create_actions(actor, board, rows, reason: str, owner_of) -> None:
    """Add the actions of ``rows`` (previewed as "create") to ``board``, with their first
    update and their way through the workflow to the file's status."""
    if actor is not None:
        ensure_role(actor, board, MANAGERS, "add actions")
    workflow = get_workflow(board.workflow)
    roles = OPERATOR_ROLES if actor is None else board_roles(actor, board)
    organisations, now = Organisations(), utcnow()
    built = []
    for row in rows:
        values = row.ops["create"]
        fields = {"comment": reason, "evidence": row.ops.get("evidence", "")}
        status, changes = workflow.initial, []
        with refusing(row):
            for name in row.ops.get("path", []):
                change = fire(workflow, status, name, roles, fields)
                changes.append(change)
                status = change.target
        action = Action(
            board=board,
            recommendation=values["recommendation"],
            ref=row.ref,
            title=values["title"],
            description=values["description"],
            owner=owner_of(values["owner"]),
            lead_organisation=organisations.get(values["lead_organisation"]),
            due_on=values["due_on"],
            original_due_on=values["due_on"],
            status=workflow.initial,
            status_changed_at=now,
            progress=0,
            success_measure=values["success_measure"],
            progress_reported_at=now,
        )
        built.append((row, action, changes))
    db.session.add_all([action for _, action, _ in built])
    db.session.flush()
    updates = []
    for row, action, changes in built:
        _record_created(actor, action)
        spec = row.ops.get("update")
        if spec:
            updates.append((action, *_update(actor, action, spec, now)))
        for change in changes:
            _apply_transition(actor, action, change, now)
    db.session.add_all([update for _, update, _ in updates])
    db.session.flush()
    for action, update, accepted in updates:
        for verb, comment in (("update_submitted", update.narrative), ("update_accepted", "")):
            record(
                actor,
                CHANNEL,
                verb,
                update,
                board_id=board.id,
                action_id=action.id,
                comment=comment,
                changes=accepted if verb == "update_accepted" else None,
            )
    db.session.flush()


def _record_created(actor, action: Action) -> None:
    record(
        actor,
        CHANNEL,
        "created",
        action,
        board_id=action.board_id,
        action_id=action.id,
        changes={
            "ref": [None, action.ref],
            "title": [None, action.title],
            "status": [None, action.status],
            "owner": [None, action.owner.email if action.owner else None],
            "due_on": [None, action.due_on],
        },
    )


def _update(actor, action: Action, spec: dict, now) -> tuple[Update, dict]:
    """The file's progress, as an update accepted at once (as ``services._accept`` would),
    and what accepting it changed."""
    update = Update(
        action=action,
        author=actor or action.owner,
        channel=CHANNEL,
        narrative=spec["narrative"],
        progress=spec.get("progress"),
        rag=spec.get("rag"),
        evidence=spec.get("evidence", ""),
        state="accepted",
        decided_by=actor,
        decided_at=now,
    )
    values = {"progress": update.progress, "owner_rag": update.rag}
    changes = {
        field: [getattr(action, field), value]
        for field, value in values.items()
        if value is not None and getattr(action, field) != value
    }
    for field, (_, value) in changes.items():
        setattr(action, field, value)
    return update, changes


def _apply_transition(actor, action: Action, change, now) -> None:
    """What ``services._apply_change`` does, without the emails (see the module's docstring)."""
    comment = change.fields.get("comment", "")
    changes = {"status": [action.status, change.target]}
    action.status = change.target
    action.status_changed_at = now
    action.status_reason = comment if change.target in REASONED_STATES else ""
    if change.target == "completed" and action.progress != 100:
        changes["progress"] = [action.progress, 100]
        action.progress = 100
    evidence = change.fields.get("evidence", "")
    record(
        actor,
        CHANNEL,
        f"transition:{change.transition.name}",
        action,
        changes=changes,
        comment="\n\n".join(p for p in (comment, evidence and f"Evidence: {evidence}") if p),
        board_id=action.board_id,
        action_id=action.id,
    )
