"""Signing and reading the tokens in emailed links.

Each kind of link has its own salt, so a token made for one purpose is worthless for another.
Keys rotate through SECRET_KEY_FALLBACKS: tokens signed with an older key keep working until
they expire.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

UPDATE_LINK_SALT = "assure.update-link.v1"
DEFAULT_UPDATE_LINK_DAYS = 28


class LinkProblem(Exception):
    """Why a link cannot be used: ``reason`` is one of expired, invalid, revoked."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class UpdateLink:
    action_id: int
    person_id: int
    link_version: int


def _serializer(salt: str) -> URLSafeTimedSerializer:
    config = current_app.config
    keys = [*config.get("SECRET_KEY_FALLBACKS", []), config["SECRET_KEY"]]
    # itsdangerous signs with the last key and accepts any of them.
    return URLSafeTimedSerializer(keys, salt=salt)


def sign(payload, salt: str) -> str:
    return _serializer(salt).dumps(payload)


def read(token: str, salt: str, max_age_seconds: int):
    """The payload of a token; LinkProblem("expired") or ("invalid") when it cannot be used."""
    try:
        return _serializer(salt).loads(token, max_age=max_age_seconds)
    except SignatureExpired:
        raise LinkProblem("expired") from None
    except BadSignature:
        raise LinkProblem("invalid") from None


def update_link_token(action) -> str:
    """A token naming the action, its current owner and the action's current link version."""
    return sign([action.id, action.owner_id, action.link_version], UPDATE_LINK_SALT)


def read_update_link(token: str) -> UpdateLink:
    days = current_app.config.get("UPDATE_LINK_MAX_AGE_DAYS", DEFAULT_UPDATE_LINK_DAYS)
    payload = read(token, UPDATE_LINK_SALT, days * 24 * 3600)
    try:
        action_id, person_id, version = (int(part) for part in payload)
    except (TypeError, ValueError):
        raise LinkProblem("invalid") from None
    return UpdateLink(action_id, person_id, version)


def update_link_url(action) -> str:
    """The absolute URL an owner follows from an email (BASE_URL, not the request's host)."""
    base = current_app.config["BASE_URL"].rstrip("/")
    return f"{base}/u/{update_link_token(action)}"
