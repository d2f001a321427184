"""What the action lists' filter selects offer: what the list's boards and actions have.

Owners and lead organisations are those of the actions in the list's scope; recommendations
and their themes are those the list's boards adopted (every action's recommendation is one of
its board's), and on the list across boards, those of the person's own actions too: reading
the small adoption table instead of the actions keeps a 10,000-action board's page fast.
One query per select, however many actions there are. A select longer than ``MAX_CHOICES`` is
no help (the scale demo's big board has 2,000 owners): past it the owner is typed as an email,
and the other selects offer only what is already chosen.
"""

from __future__ import annotations

from sqlalchemy import select, union

from tracker.actions.models import Action
from tracker.actions.queries import status_order
from tracker.boards.models import Board
from tracker.extensions import db
from tracker.people.models import Organisation, Person
from tracker.permissions import visible_board_ids
from tracker.reviews.models import (
    Recommendation,
    Review,
    Theme,
    recommendation_boards,
    recommendation_themes,
)
from tracker.workflow_registry import action_workflows, get_workflow

MAX_CHOICES = 300


def status_choices(board: Board | None) -> list[tuple[str, str]]:
    """The board's workflow states, or every action workflow's in order on the all-boards list."""
    if board is not None:
        return [(name, state.label) for name, state in get_workflow(board.workflow).states.items()]
    labels: dict[str, str] = {}
    for workflow in action_workflows().values():
        for name, state in workflow.states.items():
            labels.setdefault(name, state.label)
    return sorted(labels.items(), key=lambda item: status_order().get(item[0], len(labels)))


def _capped(rows: list, chosen: str | None, label) -> list[tuple[str, str]]:
    """Choices from ``rows`` (id first), or only the chosen one when there are too many."""
    if len(rows) > MAX_CHOICES:
        rows = [row for row in rows if str(row[0]) == chosen]
    return [(str(row[0]), label(row)) for row in rows]


def owners_and_organisations(scope, chosen_owner: str | None, chosen_organisation: str | None):
    """The owners and the lead organisations of the actions in ``scope``: (owners, organisations).

    One pass over the actions for both: each distinct pair, with its names.
    """
    pairs = (
        select(Action.owner_id, Action.lead_organisation_id)
        .where(scope)
        .group_by(Action.owner_id, Action.lead_organisation_id)
        .subquery()
    )
    people, organisations = {}, {}
    for owner_id, name, email, organisation_id, organisation in db.session.execute(
        select(
            pairs.c.owner_id,
            Person.name,
            Person.email,
            pairs.c.lead_organisation_id,
            Organisation.name,
        )
        .outerjoin(Person, Person.id == pairs.c.owner_id)
        .outerjoin(Organisation, Organisation.id == pairs.c.lead_organisation_id)
    ):
        if owner_id is not None:
            people[owner_id] = (owner_id, name, email)
        if organisation_id is not None:
            organisations[organisation_id] = (organisation_id, organisation)
    by_name = sorted(people.values(), key=lambda row: (row[1], row[2]))
    return (
        _capped(by_name, chosen_owner, lambda row: f"{row[1]} ({row[2]})"),
        _capped(
            sorted(organisations.values(), key=lambda row: row[1]),
            chosen_organisation,
            lambda row: row[1],
        ),
    )


def adopted(person: Person, board: Board | None):
    """A SELECT of the ids of the recommendations the list may offer."""
    if board is not None:
        return select(recommendation_boards.c.recommendation_id).where(
            recommendation_boards.c.board_id == board.id
        )
    return union(
        select(recommendation_boards.c.recommendation_id).where(
            recommendation_boards.c.board_id.in_(visible_board_ids(person))
        ),
        select(Action.recommendation_id).where(Action.owner_id == person.id),
    )


def themes(recommendation_ids, chosen: str | None) -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(Theme.id, Theme.name)
        .where(
            Theme.id.in_(
                select(recommendation_themes.c.theme_id).where(
                    recommendation_themes.c.recommendation_id.in_(recommendation_ids)
                )
            )
        )
        .order_by(Theme.name)
    ).all()
    return _capped(rows, chosen, lambda row: row.name)


def recommendations(recommendation_ids, chosen: str | None) -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(Recommendation.id, Recommendation.ref, Recommendation.text, Review.title)
        .join(Review, Recommendation.review_id == Review.id)
        .where(Recommendation.id.in_(recommendation_ids))
        .order_by(Review.title, Recommendation.position, Recommendation.id)
    ).all()
    several_reviews = len({row.title for row in rows}) > 1

    def label(row) -> str:
        text = f"{row.ref}: {shorten(row.text, 70)}"
        return f"{shorten(row.title, 40)}, {text}" if several_reviews else text

    return _capped(rows, chosen, label)


def shorten(text: str, length: int) -> str:
    """``text`` cut at a word to at most ``length`` characters, with an ellipsis if cut."""
    text = " ".join((text or "").split())
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0].rstrip(",.;:") + "…"
