"""Links to choose a password: an admin's invitation, and "forgot your password".

Each link names the person and their current password's fingerprint, so it works once: choosing
a password changes the fingerprint. Nothing on screen says whether an address is known.
"""

from __future__ import annotations

from flask import current_app

from tracker.audit.services import record
from tracker.common.errors import ValidationFailed
from tracker.extensions import db
from tracker.links.tokens import (
    LinkProblem,
    password_link_hours,
    password_link_token,
    read_password_link,
)
from tracker.notify.outbox import enqueue
from tracker.people.models import Person, password_fingerprint
from tracker.people.services import find_person_by_email, set_password
from tracker.permissions import ensure_admin

INVITATION, PASSWORD_RESET = "invitation", "password_reset"


def password_link_url(person: Person, purpose: str) -> str:
    """The absolute address of a set-password link (BASE_URL, not the request's host)."""
    base = current_app.config["BASE_URL"].rstrip("/")
    return f"{base}/set-password/{password_link_token(person, purpose)}"


def send_invitation(actor: Person | None, person: Person, *, channel: str = "web") -> None:
    """Email ``person`` a link to choose their password (admins only)."""
    if actor is not None:
        ensure_admin(actor, "invite people")
    if not person.is_active:
        raise ValidationFailed(
            {"person": f"{person.name} is deactivated: reactivate them before inviting them."}
        )
    _email(person, INVITATION, f"Choose your password for Assure, {person.name}")
    record(actor, channel, "invitation_sent", person, comment=person.email)


def send_password_reset(email: str) -> None:
    """Email a reset link if an active person has this address; nothing happens otherwise."""
    person = find_person_by_email(email or "")
    if person is None or not person.is_active:
        return
    _email(person, PASSWORD_RESET, "Choose a new password for Assure")


def _email(person: Person, purpose: str, subject: str) -> None:
    enqueue(
        purpose,
        to_person=person,
        subject=subject,
        template=purpose,
        context={
            "person": person,
            "link": password_link_url(person, purpose),
            "link_hours": password_link_hours(),
            "sign_in_url": current_app.config["BASE_URL"].rstrip("/") + "/sign-in",
        },
    )


def open_password_link(token: str) -> tuple[Person, str]:
    """The person a working link is for, and its purpose; LinkProblem ("invalid", "expired",
    or "used" once a password was chosen with it or since) when it does not work."""
    link = read_password_link(token)
    person = db.session.get(Person, link.person_id)
    if person is None or not person.is_active:
        raise LinkProblem("invalid")
    if password_fingerprint(person.password_hash) != link.fingerprint:
        raise LinkProblem("used")
    return person, link.purpose


def choose_password(token: str, password: str) -> Person:
    """Set the password of the person the link names; the link stops working."""
    person, _ = open_password_link(token)
    set_password(person, person, password, channel="web")
    return person
