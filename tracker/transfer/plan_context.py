"""What a plan import needs to know about the board before it reads a row, loaded in a few
queries: its actions by reference, their latest accepted updates, the people and recommendations
the file names. A 5,000-row preview runs a handful of statements, not thousands."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tracker.actions.models import Action, Update
from tracker.boards.models import Board
from tracker.extensions import db
from tracker.people.models import Person
from tracker.reviews.models import Recommendation, recommendation_boards

EMAIL_IN_TEXT = re.compile(r"[^@\s<>(),;]+@[^@\s<>(),;]+\.[^@\s<>(),;]+")
CHUNK = 500


def split_owner(name: str, email: str) -> tuple[str, str]:
    """The name and email of a lead officer, from "Jo Bloggs <jo@x.org>" or separate cells."""
    if not email and (match := EMAIL_IN_TEXT.search(name)):
        email = match.group(0)
        name = name.replace(email, "").strip(" <>()[],;-")
    return re.sub(r"\s+", " ", name).strip(), email.strip().lower()


def name_key(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().lower()


@dataclass
class PlanContext:
    board: Board
    actions: dict[str, Action]
    latest: dict[int, Update]
    people_by_email: dict[str, Person]
    people_by_name: dict[str, list[Person]]
    recommendations_by_ref: dict[str, list[Recommendation]]
    recommendations_by_text: dict[str, Recommendation]
    created_people: dict[str, Person] = field(default_factory=dict)


def _chunks(values):
    values = list(values)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def load_context(board: Board, names: set[str], emails: set[str]) -> PlanContext:
    """Everything about ``board`` a preview compares the file with."""
    actions = db.session.scalars(
        select(Action)
        .where(Action.board_id == board.id)
        .options(
            selectinload(Action.owner),
            selectinload(Action.lead_organisation),
            selectinload(Action.recommendation),
        )
    ).all()
    latest: dict[int, Update] = {}
    for update in db.session.scalars(
        select(Update)
        .join(Action)
        .where(Action.board_id == board.id, Update.state == "accepted")
        .order_by(Update.created_at, Update.id)
    ):
        latest[update.action_id] = update
    by_email: dict[str, Person] = {}
    for chunk in _chunks(emails):
        for person in db.session.scalars(select(Person).where(Person.email.in_(chunk))):
            by_email[person.email] = person
    by_name: dict[str, list[Person]] = defaultdict(list)
    for chunk in _chunks(names):
        for person in db.session.scalars(
            select(Person).where(func.lower(Person.name).in_(chunk)).order_by(Person.id)
        ):
            by_name[name_key(person.name)].append(person)
    by_ref: dict[str, list[Recommendation]] = defaultdict(list)
    by_text: dict[str, Recommendation] = {}
    for recommendation in db.session.scalars(
        select(Recommendation)
        .join(recommendation_boards)
        .where(recommendation_boards.c.board_id == board.id)
        .options(selectinload(Recommendation.review))
    ):
        by_ref[recommendation.ref.strip().lower()].append(recommendation)
        by_text[name_key(recommendation.text)] = recommendation
    return PlanContext(
        board=board,
        actions={action.ref: action for action in actions},
        latest=latest,
        people_by_email=by_email,
        people_by_name=by_name,
        recommendations_by_ref=by_ref,
        recommendations_by_text=by_text,
    )
