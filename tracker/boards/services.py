"""Creating and changing boards, their members and their meetings."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from tracker.audit.services import diff, record
from tracker.boards.models import BOARD_KINDS, ROLES, Board, Meeting, Membership
from tracker.common.errors import NotAllowed, NotFound, ValidationFailed
from tracker.extensions import db
from tracker.people.models import Locality, Person
from tracker.permissions import (
    MANAGERS,
    can_manage_some_board,
    ensure_role,
    ensure_visible,
    visible_board_ids,
)
from tracker.workflow_registry import action_workflows

REF_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
SETTINGS = (
    "name",
    "kind",
    "locality",
    "workflow",
    "amber_window_days",
    "stale_window_days",
    "updates_need_acceptance",
)


def visible_boards(person: Person) -> list[Board]:
    return list(
        db.session.scalars(
            select(Board)
            .where(Board.id.in_(visible_board_ids(person)))
            .options(joinedload(Board.locality))
            .order_by(Board.name)
        )
    )


def get_board(person: Person, board_id: int | None = None, ref: str | None = None) -> Board:
    """A board the person may see (the operator, None, sees all), by id or reference."""
    if ref is not None:
        board = db.session.scalar(select(Board).where(Board.ref == ref.strip().lower()))
    else:
        board = db.session.get(Board, board_id)
    if board is None:
        raise NotFound("No such board.")
    if person is not None:
        ensure_visible(person, board)
    return board


def find_locality(name: str | None) -> Locality | None:
    if not name:
        return None
    locality = db.session.scalar(select(Locality).where(func.lower(Locality.name) == name.lower()))
    if locality is None:
        raise ValidationFailed({"locality": f"There is no locality called {name!r}."})
    return locality


def _check_settings(values: dict) -> dict:
    problems = {}
    if "name" in values:
        values["name"] = (values["name"] or "").strip()
        if not values["name"]:
            problems["name"] = "Enter the board's name."
    if "kind" in values and values["kind"] not in BOARD_KINDS:
        problems["kind"] = "Choose the kind of board: " + ", ".join(BOARD_KINDS) + "."
    if "workflow" in values and values["workflow"] not in action_workflows():
        problems["workflow"] = "Choose a workflow: " + ", ".join(sorted(action_workflows())) + "."
    for field, low, high in (("amber_window_days", 1, 365), ("stale_window_days", 7, 730)):
        if field in values and not (
            isinstance(values[field], int) and low <= values[field] <= high
        ):
            problems[field] = f"Enter a number of days from {low} to {high}."
    if isinstance(values.get("locality"), str):
        try:
            values["locality"] = find_locality(values["locality"])
        except ValidationFailed as exc:
            problems.update(exc.fields)
    if problems:
        raise ValidationFailed(problems)
    return values


def create_board(actor: Person | None, *, ref: str, channel: str = "web", **values) -> Board:
    """Add a board; the secretary who creates it becomes its secretary."""
    if actor is not None and not can_manage_some_board(actor):
        raise NotAllowed("Only admins and board secretaries can add boards.")
    ref = (ref or "").strip().lower()
    problems = {}
    if not REF_PATTERN.match(ref):
        problems["ref"] = (
            "Use 2 to 40 lower-case letters, digits or hyphens for the short reference, e.g. tscp."
        )
    elif db.session.scalar(select(Board.id).where(Board.ref == ref)):
        problems["ref"] = f"Another board already uses the reference {ref!r}."
    values.setdefault("workflow", "standard")
    values.setdefault("kind", "other")
    try:
        _check_settings(values)
    except ValidationFailed as exc:
        problems.update(exc.fields)
    if "name" not in values:
        problems["name"] = "Enter the board's name."
    if problems:
        raise ValidationFailed(problems)
    board = Board(ref=ref, **values)
    db.session.add(board)
    db.session.flush()
    record(
        actor,
        channel,
        "created",
        board,
        board_id=board.id,
        changes={"ref": [None, ref], "name": [None, board.name]},
    )
    if actor is not None and not actor.is_admin:
        add_member(actor, board, actor, "secretary", channel=channel)
    return board


def update_board(actor: Person | None, board: Board, channel: str = "web", **values) -> Board:
    """Change a board's name or settings (its secretary or an admin)."""
    if actor is not None:
        ensure_role(actor, board, MANAGERS, "change the board's settings")
    unknown = set(values) - set(SETTINGS)
    if unknown:
        raise ValidationFailed({f: "This setting cannot be changed here." for f in unknown})
    _check_settings(values)
    changes = diff(board, values)
    for field, value in values.items():
        setattr(board, field, value)
    if changes:
        record(actor, channel, "settings_changed", board, changes=changes, board_id=board.id)
    return board


def add_member(
    actor: Person | None, board: Board, person: Person, role: str, channel: str = "web"
) -> Membership:
    """Give ``person`` a role on ``board``, or change the role they have."""
    if actor is not None and not (actor.id == person.id and not board.memberships):
        ensure_role(actor, board, MANAGERS, "add members")
    if role not in ROLES:
        raise ValidationFailed({"role": "Choose a role: " + ", ".join(ROLES) + "."})
    membership = db.session.scalar(
        select(Membership).where(Membership.board_id == board.id, Membership.person_id == person.id)
    )
    if membership is None:
        membership = Membership(board=board, person=person, role=role)
        db.session.add(membership)
        db.session.flush()
        record(
            actor,
            channel,
            "member_added",
            membership,
            board_id=board.id,
            changes={"person": [None, person.email], "role": [None, role]},
        )
    elif membership.role != role:
        if membership.role == "secretary":
            _keep_a_secretary(board, membership)
        record(
            actor,
            channel,
            "member_role_changed",
            membership,
            board_id=board.id,
            changes={"role": [membership.role, role]},
            comment=person.email,
        )
        membership.role = role
    return membership


def _keep_a_secretary(board: Board, leaving: Membership) -> None:
    """A board must keep a secretary: someone has to answer owners and prepare the papers."""
    others = db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.board_id == board.id,
            Membership.role == "secretary",
            Membership.id != leaving.id,
        )
    )
    if not others:
        raise ValidationFailed(
            {"role": f"{board.name} needs a secretary: make someone else secretary first."}
        )


def remove_member(actor: Person | None, board: Board, person: Person, channel: str = "web") -> None:
    if actor is not None:
        ensure_role(actor, board, MANAGERS, "remove members")
    membership = db.session.scalar(
        select(Membership).where(Membership.board_id == board.id, Membership.person_id == person.id)
    )
    if membership is None:
        raise NotFound(f"{person.email} is not a member of this board.")
    if membership.role == "secretary":
        _keep_a_secretary(board, membership)
    record(
        actor,
        channel,
        "member_removed",
        membership,
        board_id=board.id,
        changes={"person": [person.email, None], "role": [membership.role, None]},
    )
    board.memberships.remove(membership)  # delete-orphan removes the row


def add_meeting(
    actor: Person | None,
    board: Board,
    *,
    held_on: date,
    papers_due_on: date | None = None,
    notes: str = "",
    channel: str = "web",
) -> Meeting:
    """Schedule a meeting; papers are due a week before unless another date is given."""
    if actor is not None:
        ensure_role(actor, board, MANAGERS, "schedule meetings")
    papers_due_on = papers_due_on or held_on - timedelta(days=7)
    problems = {}
    if papers_due_on > held_on:
        problems["papers_due_on"] = "The papers deadline must be on or before the meeting date."
    if db.session.scalar(
        select(Meeting.id).where(Meeting.board_id == board.id, Meeting.held_on == held_on)
    ):
        problems["held_on"] = f"The board already has a meeting on {held_on:%-d %B %Y}."
    if problems:
        raise ValidationFailed(problems)
    meeting = Meeting(board=board, held_on=held_on, papers_due_on=papers_due_on, notes=notes)
    db.session.add(meeting)
    db.session.flush()
    record(
        actor,
        channel,
        "meeting_added",
        meeting,
        board_id=board.id,
        changes={"held_on": [None, held_on], "papers_due_on": [None, papers_due_on]},
    )
    return meeting
