"""Creating people, passwords and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.audit.services import diff, record
from tracker.common.errors import ValidationFailed
from tracker.common.time import utcnow
from tracker.extensions import db
from tracker.people.models import ApiToken, Organisation, Person
from tracker.permissions import ensure_admin

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 12
TOKEN_PREFIX = "assure_"


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def check_email(email: str, field: str = "email") -> str:
    email = normalise_email(email)
    if not EMAIL_PATTERN.match(email):
        raise ValidationFailed({field: "Enter an email address like name@example.org."})
    return email


def find_person_by_email(email: str) -> Person | None:
    return db.session.scalar(select(Person).where(Person.email == normalise_email(email)))


def get_or_create_organisation(name: str | None) -> Organisation | None:
    """The organisation called ``name`` (matched ignoring case), created if new."""
    name = (name or "").strip()
    if not name:
        return None
    found = db.session.scalar(
        select(Organisation).where(func.lower(Organisation.name) == name.lower())
    )
    if found is None:
        found = Organisation(name=name)
        db.session.add(found)
    return found


def create_person(
    actor: Person | None,
    *,
    name: str,
    email: str,
    organisation: str | None = None,
    job_title: str = "",
    password: str | None = None,
    is_admin: bool = False,
    channel: str = "web",
) -> Person:
    """Add a person. ``actor`` None means the command line, which runs as the operator."""
    problems = {}
    name = (name or "").strip()
    if not name:
        problems["name"] = "Enter the person's full name."
    try:
        email = check_email(email)
    except ValidationFailed as exc:
        problems.update(exc.fields)
    else:
        if find_person_by_email(email):
            problems["email"] = f"{email} already belongs to someone in Assure."
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        problems["password"] = f"Use a password of at least {MIN_PASSWORD_LENGTH} characters."
    if problems:
        raise ValidationFailed(problems)
    if is_admin and actor is not None:
        ensure_admin(actor, "make someone an admin")
    person = Person(
        name=name,
        email=email,
        organisation=get_or_create_organisation(organisation),
        job_title=(job_title or "").strip(),
        is_admin=is_admin,
        is_active=True,
        password_hash=generate_password_hash(password) if password else None,
    )
    db.session.add(person)
    db.session.flush()
    record(actor, channel, "created", person, changes={"email": [None, email]})
    return person


PERSON_DETAILS = ("name", "organisation", "job_title")


def update_person(actor: Person | None, person: Person, channel: str = "web", **values) -> Person:
    """Change a person's name, organisation or job title (admins, or the person themselves).

    Admin rights and activity have their own functions, with their own checks.
    """
    unknown = set(values) - set(PERSON_DETAILS)
    if unknown:
        raise ValidationFailed({f: "This cannot be changed here." for f in sorted(unknown)})
    if actor is not None and actor.id != person.id:
        ensure_admin(actor, "change other people's details")
    if "organisation" in values:
        values["organisation"] = get_or_create_organisation(values["organisation"])
    if "name" in values and not (values["name"] or "").strip():
        raise ValidationFailed({"name": "Enter the person's full name."})
    changes = diff(person, values)
    for field, value in values.items():
        setattr(person, field, value)
    if changes:
        record(actor, channel, "updated", person, changes=changes)
    return person


def set_active(actor: Person | None, person: Person, active: bool, channel: str = "web") -> None:
    """Deactivate (or reactivate) a person: they can no longer sign in or use API tokens."""
    if actor is not None:
        ensure_admin(actor, "deactivate people")
    if person.is_active != active:
        record(
            actor,
            channel,
            "activated" if active else "deactivated",
            person,
            changes={"is_active": [person.is_active, active]},
        )
        person.is_active = active


def set_password(actor: Person | None, person: Person, password: str, channel: str = "web") -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            {"password": f"Use a password of at least {MIN_PASSWORD_LENGTH} characters."}
        )
    if actor is not None and actor.id != person.id:
        ensure_admin(actor, "set other people's passwords")
    person.password_hash = generate_password_hash(password)
    record(actor, channel, "password_set", person)


def check_password(person: Person | None, password: str) -> bool:
    return bool(
        person
        and person.is_active
        and person.password_hash
        and check_password_hash(person.password_hash, password)
    )


def token_digest(token: str) -> str:
    # Tokens are 256 random bits, so a fast hash is enough: nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


def issue_api_token(
    person: Person, label: str = "", *, actor: Person | None = None, channel: str = "cli"
) -> str:
    """Create a token for ``person`` and return it; only its digest is kept."""
    if actor is not None and actor.id != person.id:
        ensure_admin(actor, "issue API tokens for other people")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(person=person, digest=token_digest(token), label=label))
    record(actor, channel, "api_token_issued", person, comment=label)
    return token


def person_for_token(token: str) -> Person | None:
    """The active person a bearer token belongs to, or None."""
    if not token:
        return None
    row = db.session.scalar(
        select(ApiToken).where(
            ApiToken.digest == token_digest(token), ApiToken.revoked_at.is_(None)
        )
    )
    if row is None or not row.person.is_active:
        return None
    return row.person


def revoke_api_tokens(actor: Person | None, person: Person) -> int:
    rows = db.session.scalars(
        select(ApiToken).where(ApiToken.person_id == person.id, ApiToken.revoked_at.is_(None))
    ).all()
    for row in rows:
        row.revoked_at = utcnow()
    record(actor, "cli" if actor is None else "web", "api_tokens_revoked", person)
    return len(rows)
