"""Who may see and change what: every per-board check in one place.

A person's roles on a board come from their membership (secretary, chair, member); admins act
with a secretary's powers everywhere but never as chair, so that sign-off by the chair stays the
chair's. On an action, its owner also has the role "owner".
"""

from __future__ import annotations

from sqlalchemy import false, or_, select

from tracker.boards.models import Board, Membership
from tracker.common.errors import NotAllowed, NotFound
from tracker.extensions import db
from tracker.people.models import Person

SECRETARY, CHAIR, MEMBER, OWNER, ADMIN = "secretary", "chair", "member", "owner", "admin"
MANAGERS = frozenset({SECRETARY, ADMIN})


def roles_by_board(person: Person | None, board_ids) -> dict[int, frozenset[str]]:
    """The roles ``person`` holds on each of ``board_ids`` (boards with none are left out),
    in one statement; strangers and deactivated people hold none."""
    board_ids = list(board_ids)
    if person is None or not person.is_active or not board_ids:
        return {}
    held: dict[int, set[str]] = {}
    for board_id, role in db.session.execute(
        select(Membership.board_id, Membership.role).where(
            Membership.person_id == person.id, Membership.board_id.in_(board_ids)
        )
    ):
        held.setdefault(board_id, set()).add(role)
    if person.is_admin:
        for board_id in board_ids:
            held.setdefault(board_id, set()).update({ADMIN, SECRETARY})
    return {board_id: frozenset(roles) for board_id, roles in held.items()}


def board_roles(person: Person | None, board: Board) -> frozenset[str]:
    """The roles ``person`` holds on ``board`` (empty for strangers and deactivated people)."""
    return roles_by_board(person, [board.id]).get(board.id, frozenset())


def action_roles(person: Person | None, action) -> frozenset[str]:
    roles = board_roles(person, action.board)
    if person is not None and person.is_active and action.owner_id == person.id:
        roles |= {OWNER}
    return roles


def visible_board_ids(person: Person | None):
    """A SELECT of the ids of the boards ``person`` may see (every board for an admin)."""
    if person is None or not person.is_active:
        return select(Board.id).where(False)
    if person.is_admin:
        return select(Board.id)
    return select(Membership.board_id).where(Membership.person_id == person.id)


def visible_actions_clause(person: Person | None, action_cls):
    """A WHERE clause for the actions ``person`` may see: their boards' and their own."""
    if person is None or not person.is_active:
        return false()
    return or_(action_cls.board_id.in_(visible_board_ids(person)), action_cls.owner_id == person.id)


def ensure_action_visible(person: Person | None, action) -> None:
    """Owners see their own actions even on boards they do not belong to."""
    if not action_roles(person, action):
        raise NotFound("No such action.")


def can_see_board(person: Person | None, board: Board) -> bool:
    return bool(board_roles(person, board))


def ensure_visible(person: Person | None, board: Board, what: str = "board") -> None:
    """Raise NotFound, not NotAllowed, so that other boards' objects stay invisible."""
    if not can_see_board(person, board):
        raise NotFound(f"No such {what}.")


def ensure_role(person: Person | None, board: Board, allowed: frozenset[str], doing: str) -> None:
    """Raise unless ``person`` holds one of ``allowed`` on ``board``."""
    roles = board_roles(person, board)
    if not roles:
        raise NotFound("No such board.")
    if not roles & allowed:
        who = " or ".join(sorted(allowed - {ADMIN})) or "an admin"
        raise NotAllowed(f"Only the board's {who} can {doing}.")


def ensure_admin(person: Person | None, doing: str) -> None:
    if person is None or not person.is_active or not person.is_admin:
        raise NotAllowed(f"Only an admin can {doing}.")


def can_manage_some_board(person: Person | None) -> bool:
    """Admins, and secretaries of at least one board: they may add boards and reviews."""
    if person is None or not person.is_active:
        return False
    if person.is_admin:
        return True
    return (
        db.session.scalar(
            select(Membership.id)
            .where(Membership.person_id == person.id, Membership.role == SECRETARY)
            .limit(1)
        )
        is not None
    )
