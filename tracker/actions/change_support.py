"""What the pages that change actions share: choices for their selects, the owner a form names,
and the snapshot of an action that shows what someone else changed in the meantime."""

from __future__ import annotations

import json

from flask import url_for
from sqlalchemy import select
from wtforms import SelectChoice

from tracker.actions.forms import OWNER_EXISTING, OWNER_NEW
from tracker.actions.models import Action, Update
from tracker.actions.rag import RAG_LABELS
from tracker.audit.models import Event
from tracker.boards.models import Board
from tracker.common.errors import ValidationFailed
from tracker.extensions import db
from tracker.people.models import Organisation, Person
from tracker.people.services import create_person, find_person_by_email
from tracker.reviews.models import Recommendation, Review, recommendation_boards
from tracker.web.templating import format_date, status_label

# What the conflict table compares, in the order the action page shows it.
SNAPSHOT_LABELS = {
    "title": "Title",
    "description": "Description",
    "recommendation": "Recommendation",
    "owner": "Owner",
    "lead_organisation": "Lead organisation",
    "due_on": "Due date",
    "status": "Status",
    "progress": "Progress",
    "owner_rag": "Owner's assessment",
    "success_measure": "Success measure",
}


def action_page(action: Action) -> str:
    return url_for("actions.show", action_id=action.id)


def people_choices() -> list[SelectChoice]:
    """Active people by name, each shown with their organisation (or email) to tell namesakes
    apart; one query however many there are."""
    rows = db.session.execute(
        select(Person.id, Person.name, Person.email, Organisation.name)
        .outerjoin(Organisation, Person.organisation_id == Organisation.id)
        .where(Person.is_active.is_(True))
        .order_by(Person.name, Person.email)
    )
    return [SelectChoice("", "Choose a person")] + [
        SelectChoice(str(pid), f"{name} ({organisation or email})")
        for pid, name, email, organisation in rows
    ]


def organisation_choices() -> list[SelectChoice]:
    names = db.session.scalars(select(Organisation.name).order_by(Organisation.name))
    return [SelectChoice("", "Not set")] + [SelectChoice(name) for name in names]


def recommendation_choices(board: Board, blank: str) -> list[SelectChoice]:
    """The recommendations the board has adopted, review by review, in each review's order."""
    rows = db.session.execute(
        select(Recommendation.id, Recommendation.ref, Recommendation.text, Review.title)
        .join(Review, Recommendation.review_id == Review.id)
        .join(recommendation_boards, recommendation_boards.c.recommendation_id == Recommendation.id)
        .where(recommendation_boards.c.board_id == board.id)
        .order_by(Review.title, Recommendation.position, Recommendation.id)
    )
    return [SelectChoice("", blank)] + [
        SelectChoice(str(rid), f"{ref}: {_shorten(text)} ({review})")
        for rid, ref, text, review in rows
    ]


def _shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def chosen_recommendation(form_field, board: Board) -> Recommendation | None:
    """The recommendation a select names; the service checks that the board adopted it."""
    value = (form_field.data or "").strip()
    if not value:
        return None
    found = db.session.get(Recommendation, int(value)) if value.isdigit() else None
    if found is None:
        raise ValidationFailed(
            {"recommendation": f"Choose one of the recommendations {board.name} has adopted."}
        )
    return found


def recommendation_and_actions(
    board: Board, value: str | None
) -> tuple[Recommendation | None, list[Action]]:
    """The recommendation a form names, and the board's actions already made for it (shown
    beside the form, so that the same action is not made twice)."""
    value = (value or "").strip()
    recommendation = db.session.get(Recommendation, int(value)) if value.isdigit() else None
    if recommendation is None:
        return None, []
    actions = db.session.scalars(
        select(Action)
        .where(Action.board_id == board.id, Action.recommendation_id == recommendation.id)
        .order_by(Action.id)
    )
    return recommendation, list(actions)


def chosen_lead_organisation(form) -> str | None:
    """The organisation typed in, or else the one chosen; None for "Not set"."""
    return form.lead_organisation_other.data or form.lead_organisation.data or None


def resolve_owner(form, actor: Person) -> tuple[Person | None, str]:
    """The owner the form names, and a note for the person when it was not quite what they
    asked for (an email already in Assure). Someone new is added in the same transaction."""
    choice = form.owner_choice.data
    if choice == OWNER_EXISTING:
        person_id = form.int_or_none(form.owner_id)
        person = db.session.get(Person, person_id) if person_id else None
        if person is None:
            raise ValidationFailed({"owner_id": "Choose the person who will own this action"})
        return person, ""
    if choice == OWNER_NEW:
        known = find_person_by_email(form.new_owner_email.data)
        if known is not None:
            return known, (
                f"{known.email} already belonged to {known.name} in Assure, "
                f"so {known.name} is the owner."
            )
        person = create_person(
            actor,
            name=form.new_owner_name.data,
            email=form.new_owner_email.data,
            organisation=form.new_owner_organisation.data or None,
            channel="web",
        )
        return person, f"{person.name} was added to Assure."
    return None, ""


def snapshot(action: Action) -> dict[str, str]:
    """The action as the person sees it, field by field, in words."""
    recommendation = action.recommendation
    return {
        "title": action.title,
        "description": action.description or "",
        "recommendation": (
            f"{recommendation.ref} ({recommendation.review.title})" if recommendation else ""
        ),
        "owner": f"{action.owner.name} ({action.owner.email})" if action.owner else "",
        "lead_organisation": action.lead_organisation.name if action.lead_organisation else "",
        "due_on": format_date(action.due_on),
        "status": status_label(action.status, action.board.workflow),
        "progress": f"{action.progress}%",
        "owner_rag": RAG_LABELS.get(action.owner_rag, "") if action.owner_rag else "",
        "success_measure": action.success_measure or "",
    }


def stamp(form, action: Action) -> None:
    """Give a versioned form the action's current version and values (a fresh start)."""
    form.version.data = str(action.version)
    form.seen.data = json.dumps(snapshot(action))


def conflict_rows(form, action: Action) -> list[dict[str, str]]:
    """What changed between the action the person opened and the action now."""
    try:
        seen = json.loads(form.seen.data or "{}")
    except ValueError:
        seen = {}
    if not isinstance(seen, dict):
        seen = {}
    now = snapshot(action)
    return [
        {"label": label, "seen": str(seen[key]), "now": now[key]}
        for key, label in SNAPSHOT_LABELS.items()
        if key in seen and str(seen[key]) != now[key]
    ]


def start_again(form, action: Action) -> list[dict[str, str]]:
    """After StaleVersion: forget the attempt, list what changed since the person opened the
    form, and give the form the current version; it keeps what they typed, so that saving
    again is their informed choice."""
    db.session.rollback()
    rows = conflict_rows(form, action)
    stamp(form, action)
    return rows


def completion(action: Action) -> dict | None:
    """What a chair signs off: who marked the action complete, when, and with what evidence,
    and the owner's last accepted report."""
    event = db.session.scalar(
        select(Event)
        .where(Event.action_id == action.id, Event.verb == "transition:complete")
        .order_by(Event.occurred_at.desc(), Event.id.desc())
        .limit(1)
    )
    report = db.session.scalar(
        select(Update)
        .where(Update.action_id == action.id, Update.state == "accepted")
        .order_by(Update.created_at.desc(), Update.id.desc())
        .limit(1)
    )
    if event is None and report is None:
        return None
    return {"event": event, "report": report}
