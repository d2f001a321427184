"""Reviews, their recommendations, themes, and boards adopting recommendations."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from tracker.audit.services import diff, record
from tracker.boards.models import Board
from tracker.common.errors import NotAllowed, NotFound, ValidationFailed
from tracker.extensions import db
from tracker.people.models import Person
from tracker.permissions import (
    ADMIN,
    CHAIR,
    MANAGERS,
    SECRETARY,
    can_manage_some_board,
    ensure_role,
    roles_by_board,
)
from tracker.reviews.models import LEVELS, Recommendation, Review, Theme
from tracker.workflow_registry import fire, recommendation_workflow

REVIEW_FIELDS = ("title", "publisher", "published_on", "summary", "source_ref")


def _ensure_manager(actor: Person | None, doing: str) -> None:
    if actor is not None and not can_manage_some_board(actor):
        raise NotAllowed(f"Only admins and board secretaries can {doing}.")


def get_review(review_id: int) -> Review:
    """Reviews are published documents: anyone signed in may read them."""
    review = db.session.get(Review, review_id)
    if review is None:
        raise NotFound("No such review.")
    return review


def get_recommendation(recommendation_id: int) -> Recommendation:
    recommendation = db.session.get(Recommendation, recommendation_id)
    if recommendation is None:
        raise NotFound("No such recommendation.")
    return recommendation


def _check_review(values: dict) -> dict:
    if "title" in values:
        values["title"] = (values["title"] or "").strip()
        if not values["title"]:
            raise ValidationFailed({"title": "Enter the review's title."})
    published_on = values.get("published_on")
    if published_on is not None and not isinstance(published_on, date):
        raise ValidationFailed({"published_on": "Enter the date the review was published."})
    return values


def create_review(actor: Person | None, *, title: str, channel: str = "web", **values) -> Review:
    _ensure_manager(actor, "add reviews")
    values = _check_review({"title": title, **values})
    review = Review(**values)
    db.session.add(review)
    db.session.flush()
    record(actor, channel, "created", review, changes={"title": [None, review.title]})
    return review


def update_review(actor: Person | None, review: Review, channel: str = "web", **values) -> Review:
    _ensure_manager(actor, "change reviews")
    unknown = set(values) - set(REVIEW_FIELDS)
    if unknown:
        raise ValidationFailed({f: "This field cannot be changed." for f in unknown})
    _check_review(values)
    changes = diff(review, values)
    for field, value in values.items():
        setattr(review, field, value)
    if changes:
        record(actor, channel, "updated", review, changes=changes)
    return review


def get_or_create_themes(names: list[str]) -> list[Theme]:
    """The themes called ``names`` (matched ignoring case and spaces), created if new."""
    wanted = {}
    for name in names or []:
        name = (name or "").strip()
        if name:
            wanted.setdefault(name.lower(), name)
    themes = []
    for key, name in wanted.items():
        theme = db.session.scalar(select(Theme).where(func.lower(Theme.name) == key))
        if theme is None:
            theme = Theme(name=name)
            db.session.add(theme)
        themes.append(theme)
    return themes


def add_recommendation(
    actor: Person | None,
    review: Review,
    *,
    ref: str,
    text: str,
    level: str = "local",
    themes: list[str] | None = None,
    boards: list[Board] | None = None,
    channel: str = "web",
) -> Recommendation:
    """Add a recommendation to a review, optionally naming the boards it is for."""
    _ensure_manager(actor, "add recommendations")
    ref, text = (ref or "").strip(), (text or "").strip()
    problems = {}
    if not ref:
        problems["ref"] = "Enter the recommendation's reference, e.g. R7."
    elif db.session.scalar(
        select(Recommendation.id).where(
            Recommendation.review_id == review.id, Recommendation.ref == ref
        )
    ):
        problems["ref"] = f"This review already has a recommendation {ref}."
    if not text:
        problems["text"] = "Enter the text of the recommendation."
    if level not in LEVELS:
        problems["level"] = "Choose the level: " + ", ".join(LEVELS) + "."
    if problems:
        raise ValidationFailed(problems)
    position = db.session.scalar(
        select(func.coalesce(func.max(Recommendation.position), 0)).where(
            Recommendation.review_id == review.id
        )
    )
    recommendation = Recommendation(
        review=review,
        ref=ref,
        text=text,
        level=level,
        position=position + 1,
        status=recommendation_workflow().initial,
        themes=get_or_create_themes(themes or []),
    )
    db.session.add(recommendation)
    db.session.flush()
    record(actor, channel, "created", recommendation, changes={"ref": [None, ref]})
    for board in boards or []:
        adopt_recommendation(actor, recommendation, board, channel=channel)
    return recommendation


def adopt_recommendation(
    actor: Person | None, recommendation: Recommendation, board: Board, channel: str = "web"
) -> None:
    """Make ``recommendation`` one that ``board`` must act on (its secretary or an admin)."""
    if actor is not None:
        ensure_role(actor, board, MANAGERS, "adopt recommendations for this board")
    if board not in recommendation.boards:
        recommendation.boards.append(board)
        record(
            actor,
            channel,
            "adopted",
            recommendation,
            board_id=board.id,
            comment=f"Adopted by {board.name}",
        )


OPERATOR_ROLES = frozenset({SECRETARY, CHAIR, ADMIN})


def recommendation_roles(
    actor: Person | None,
    recommendation: Recommendation,
    held: dict[int, frozenset[str]] | None = None,
) -> frozenset[str]:
    """The roles with which ``actor`` may move ``recommendation`` through its workflow: those
    they hold on any board it is for (an admin acts as secretary everywhere).

    ``held`` is ``permissions.roles_by_board`` for its boards, when the caller already has it.
    """
    if actor is None:
        return OPERATOR_ROLES
    if held is None:
        held = roles_by_board(actor, [b.id for b in recommendation.boards])
    roles = frozenset().union(*held.values())
    if actor.is_active and actor.is_admin:
        roles |= {ADMIN, SECRETARY}
    return roles


def fire_recommendation_transition(
    actor: Person | None,
    recommendation: Recommendation,
    transition: str,
    fields: dict | None = None,
    channel: str = "web",
) -> None:
    """Move a recommendation through its own workflow."""
    roles = recommendation_roles(actor, recommendation)
    if not roles:
        raise NotAllowed("Only members of a board this recommendation is for can change it.")
    change = fire(recommendation_workflow(), recommendation.status, transition, roles, fields)
    comment, evidence = change.fields.get("comment", ""), change.fields.get("evidence", "")
    record(
        actor,
        channel,
        f"transition:{transition}",
        recommendation,
        changes={"status": [change.source, change.target]},
        comment="\n\n".join(p for p in (comment, evidence and f"Evidence: {evidence}") if p),
    )
    recommendation.status = change.target
