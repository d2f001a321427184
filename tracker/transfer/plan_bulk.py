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

from types import SimpleNamespace

from sqlalchemy import func, insert, select

from tracker.actions.models import Action, Update
from tracker.actions.services import OPERATOR_ROLES, REASONED_STATES
from tracker.audit.models import Event
from tracker.audit.services import event_values
from tracker.common.time import utcnow
from tracker.extensions import db
from tracker.people.models import Organisation
from tracker.permissions import MANAGERS, board_roles, ensure_role
from tracker.transfer.plan_types import refusing
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
    if not rows:
        return
    if actor is not None:
        ensure_role(actor, board, MANAGERS, "add actions")
    workflow = get_workflow(board.workflow)
    roles = OPERATOR_ROLES if actor is None else board_roles(actor, board)
    organisations, now = Organisations(), utcnow()
    built = []
    for row in rows:
        values = row.ops["create"]
        owner = owner_of(values["owner"])
        # The action's state as the workflow and the update leave it, worked out before the
        # insert so that each action is written once.
        state = SimpleNamespace(
            status=workflow.initial, status_reason="", progress=0, owner_rag=None
        )
        created = _created_changes(row.ref, values, owner, workflow.initial)
        spec = row.ops.get("update")
        accepted = _accept(state, spec) if spec else None
        fields = {"comment": reason, "evidence": row.ops.get("evidence", "")}
        with refusing(row):
            moves = [_move(state, workflow, name, roles, fields) for name in row.ops["path"]]
        columns = {
            "board_id": board.id,
            "recommendation_id": values["recommendation"].id if values["recommendation"] else None,
            "ref": row.ref,
            "title": values["title"],
            "description": values["description"],
            "owner_id": owner.id if owner else None,
            "lead_organisation": organisations.get(values["lead_organisation"]),
            "due_on": values["due_on"],
            "original_due_on": values["due_on"],
            "status_changed_at": now,
            "success_measure": values["success_measure"],
            "progress_reported_at": now,
            "version": 1,
            **vars(state),
        }
        built.append((columns, owner, created, spec, accepted, moves))
    db.session.flush()  # the new organisations, for their ids
    for columns, *_ in built:
        organisation = columns.pop("lead_organisation")
        columns["lead_organisation_id"] = organisation.id if organisation else None
    db.session.execute(insert(Action.__table__), [columns for columns, *_ in built])
    ids = _ids(select(Action.ref, Action.id).where(Action.board_id == board.id))
    action_ids = [ids[columns["ref"]] for columns, *_ in built]
    updates = [
        {
            "action_id": action_id,
            "author_id": (actor or owner).id,
            "channel": CHANNEL,
            "narrative": spec["narrative"],
            "progress": spec.get("progress"),
            "rag": spec.get("rag"),
            "evidence": spec.get("evidence", ""),
            "state": "accepted",
            "decided_by_id": actor.id if actor else None,
            "decided_at": now,
        }
        for action_id, (_, owner, _, spec, _, _) in zip(action_ids, built, strict=True)
        if spec
    ]
    update_ids = {}
    if updates:
        db.session.execute(insert(Update.__table__), updates)
        for chunk in range(0, len(action_ids), 500):
            update_ids |= _ids(
                select(Update.action_id, Update.id).where(
                    Update.action_id.in_(action_ids[chunk : chunk + 500])
                )
            )
    events = []
    for action_id, (_, _, created, spec, accepted, moves) in zip(action_ids, built, strict=True):

        def event(verb, kind, subject_id, action_id=action_id, **more):
            values = event_values(actor, CHANNEL, verb, SimpleNamespace(id=subject_id), **more)
            return {**values, "subject_type": kind, "board_id": board.id, "action_id": action_id}

        events.append(event("created", "action", action_id, changes=created))
        if spec:
            update_id = update_ids[action_id]
            events.append(event("update_submitted", "update", update_id, comment=spec["narrative"]))
            events.append(event("update_accepted", "update", update_id, changes=accepted))
        for verb, changes, comment in moves:
            events.append(event(verb, "action", action_id, changes=changes, comment=comment))
    if events:
        db.session.execute(insert(Event.__table__), events)


def _ids(statement) -> dict:
    """{key: id} from a two-column SELECT: the ids of rows inserted without RETURNING, which
    keeps the insert one ``executemany`` (ORM inserts that return ids go row by row)."""
    return dict(db.session.execute(statement).all())


def _created_changes(ref: str, values: dict, owner, status: str) -> dict:
    """What ``create_action`` records about a new action."""
    return {
        "ref": [None, ref],
        "title": [None, values["title"]],
        "status": [None, status],
        "owner": [None, owner.email if owner else None],
        "due_on": [None, values["due_on"]],
    }


def _accept(action, spec: dict) -> dict:
    """Apply the file's progress and RAG as an accepted update would; return what changed."""
    values = {"progress": spec.get("progress"), "owner_rag": spec.get("rag")}
    changes = {
        field: [getattr(action, field), value]
        for field, value in values.items()
        if value is not None and getattr(action, field) != value
    }
    for field, (_, value) in changes.items():
        setattr(action, field, value)
    return changes


def _move(action, workflow, name: str, roles, fields) -> tuple[str, dict, str]:
    """Fire one transition as ``services.apply_change`` does (without its emails: see the
    module's docstring); return the event's verb, changes and comment."""
    change = fire(workflow, action.status, name, roles, fields)
    comment = change.fields.get("comment", "")
    changes = {"status": [action.status, change.target]}
    action.status = change.target
    action.status_reason = comment if change.target in REASONED_STATES else ""
    if change.target == "completed" and action.progress != 100:
        changes["progress"] = [action.progress, 100]
        action.progress = 100
    evidence = change.fields.get("evidence", "")
    comment = "\n\n".join(p for p in (comment, evidence and f"Evidence: {evidence}") if p)
    return f"transition:{change.transition.name}", changes, comment
