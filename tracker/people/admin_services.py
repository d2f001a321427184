"""What the admin pages for people read: finding people and their boards.

Reads only; every change goes through tracker.people.services.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import contains_eager

from tracker.boards.models import Board, Membership
from tracker.common.errors import NotFound
from tracker.extensions import db
from tracker.people.models import Organisation, Person
from tracker.permissions import ensure_admin

ACTIVE, DEACTIVATED, EVERYONE = "active", "deactivated", "all"
STATUSES = (ACTIVE, DEACTIVATED, EVERYONE)


@dataclass(frozen=True)
class PeoplePage:
    people: list[Person]
    boards: dict[int, list[tuple[Board, str]]]  # person id -> [(board, role)]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def find_people(
    actor: Person, *, text: str = "", status: str = ACTIVE, page: int = 1, per_page: int = 50
) -> PeoplePage:
    """People whose name, email or organisation contains ``text``, by name, with their boards:
    three statements, whatever the page size."""
    ensure_admin(actor, "see everyone in Assure")
    conditions = []
    if status == ACTIVE:
        conditions.append(Person.is_active.is_(True))
    elif status == DEACTIVATED:
        conditions.append(Person.is_active.is_(False))
    text = (text or "").strip()
    if text:
        conditions.append(
            or_(
                Person.name.icontains(text, autoescape=True),
                Person.email.icontains(text.lower(), autoescape=True),
                Organisation.name.icontains(text, autoescape=True),
            )
        )
    base = select(Person).outerjoin(Organisation, Person.organisation_id == Organisation.id)
    total = db.session.scalar(select(func.count()).select_from(base.where(*conditions).subquery()))
    people = list(
        db.session.scalars(
            base.where(*conditions)
            .options(contains_eager(Person.organisation))
            .order_by(Person.name, Person.id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    return PeoplePage(people, boards_of([p.id for p in people]), total, page, per_page)


def boards_of(person_ids: list[int]) -> dict[int, list[tuple[Board, str]]]:
    """Each person's boards and roles, by board name: one statement for everyone."""
    found: dict[int, list[tuple[Board, str]]] = {person_id: [] for person_id in person_ids}
    if not person_ids:
        return found
    rows = db.session.execute(
        select(Membership.person_id, Board, Membership.role)
        .join(Board, Membership.board_id == Board.id)
        .where(Membership.person_id.in_(person_ids))
        .order_by(Board.name, Board.id)
    )
    for person_id, board, role in rows:
        found[person_id].append((board, role))
    return found


def get_person(actor: Person, person_id: int) -> Person:
    """Anyone in Assure, for an admin; NotFound if there is no such person."""
    ensure_admin(actor, "see other people's details")
    person = db.session.get(Person, person_id)
    if person is None:
        raise NotFound("No such person.")
    return person
