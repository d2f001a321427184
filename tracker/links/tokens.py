"""Signing and reading the tokens in emailed links.

Each kind of link has its own salt, so a token made for one purpose is worthless for another.
Keys rotate through SECRET_KEY_FALLBACKS: tokens signed with an older key keep working until
they expire.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode, int_to_bytes, want_bytes
from itsdangerous.serializer import Serializer

UPDATE_LINK_SALT = "assure.update-link.v1"
DEFAULT_UPDATE_LINK_DAYS = 28


class LinkProblem(Exception):
    """Why a link cannot be used: ``reason`` is one of expired, invalid, revoked (an update
    link) or used (a set-password link, once a password was chosen).

    ``detail`` says more where the pages explain it (why a link was revoked, say) and
    ``action_id`` names the action a well-signed update link was for.
    """

    def __init__(self, reason: str, detail: str = "", action_id: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail or reason
        self.action_id = action_id


@dataclass(frozen=True)
class UpdateLink:
    action_id: int
    person_id: int
    link_version: int
    # When the link was signed (UTC): the page says until when it works.
    signed_at: datetime | None = None


class _Serializer(URLSafeTimedSerializer):
    """itsdangerous's URL-safe serializer without the attempt to compress: our payloads (a few
    numbers) never come out shorter compressed, so the tokens are the same, and zlib's set-up
    cost ten times the rest of signing (it matters when a sweep signs thousands of links).
    Reading is unchanged: a compressed token from elsewhere still starts with "." and loads."""

    def dump_payload(self, obj) -> bytes:
        return base64_encode(Serializer.dump_payload(self, obj))


def _serializer(salt: str) -> URLSafeTimedSerializer:
    config = current_app.config
    keys = [*config.get("SECRET_KEY_FALLBACKS", []), config["SECRET_KEY"]]
    # itsdangerous signs with the last key and accepts any of them.
    return _Serializer(keys, salt=salt)


def sign(payload, salt: str) -> str:
    return _serializer(salt).dumps(payload)


def read(token: str, salt: str, max_age_seconds: int, *, return_timestamp: bool = False):
    """The payload of a token (and when it was signed, if asked); LinkProblem("expired") or
    ("invalid") when it cannot be used."""
    try:
        return _serializer(salt).loads(
            token, max_age=max_age_seconds, return_timestamp=return_timestamp
        )
    except SignatureExpired:
        raise LinkProblem("expired") from None
    except BadSignature:
        raise LinkProblem("invalid") from None


def update_link_token(action) -> str:
    """A token naming the action, its current owner and the action's current link version."""
    # The relationship, not owner_id: during a reassignment the new owner is set on the
    # relationship and owner_id follows only at the next flush.
    owner_id = action.owner.id if action.owner is not None else action.owner_id
    return sign([action.id, owner_id, action.link_version], UPDATE_LINK_SALT)


def read_update_link(token: str) -> UpdateLink:
    payload, signed_at = read(
        token, UPDATE_LINK_SALT, update_link_max_days() * 24 * 3600, return_timestamp=True
    )
    try:
        action_id, person_id, version = (int(part) for part in payload)
    except (TypeError, ValueError):
        raise LinkProblem("invalid") from None
    return UpdateLink(action_id, person_id, version, signed_at)


class UpdateLinkSigner:
    """Signs many update links at once, as ``update_link_url`` would one by one (the same
    tokens, readable by ``read_update_link``): the key is derived once, every link carries
    the same signing time, and each link costs one HMAC over a few bytes, which is what makes
    a sweep's tens of thousands of links affordable."""

    def __init__(self) -> None:
        serializer = _serializer(UPDATE_LINK_SALT)
        signer = serializer.make_signer(UPDATE_LINK_SALT)
        # The keyed HMAC is set up once and copied per link: setting up a key (two hash
        # states) cost more than the rest of signing.
        self._mac = hmac.new(signer.derive_key(), digestmod=signer.algorithm.digest_method)
        self._sep = want_bytes(signer.sep)
        self._timestamp = base64_encode(int_to_bytes(signer.get_timestamp()))
        self._base = current_app.config["BASE_URL"].rstrip("/")

    def url(self, action_id: int, owner_id: int, link_version: int) -> str:
        # The payload exactly as itsdangerous's compact JSON writes three integers, without
        # the json module's per-call overhead.
        payload = f"[{int(action_id)},{int(owner_id)},{int(link_version)}]".encode()
        value = base64_encode(payload) + self._sep + self._timestamp
        mac = self._mac.copy()
        mac.update(value)
        signature = base64_encode(mac.digest())
        return f"{self._base}/u/{(value + self._sep + signature).decode()}"


def update_link_url(action) -> str:
    """The absolute URL an owner follows from an email (BASE_URL, not the request's host)."""
    base = current_app.config["BASE_URL"].rstrip("/")
    return f"{base}/u/{update_link_token(action)}"


# Links that let a person choose a password: one salt per purpose, so that an invitation cannot
# be replayed as a reset, nor either as an update link.
PASSWORD_SALTS = {
    "invitation": "assure.invitation.v1",
    "password_reset": "assure.password-reset.v1",
}
DEFAULT_PASSWORD_LINK_HOURS = 24


@dataclass(frozen=True)
class PasswordLink:
    purpose: str
    person_id: int
    fingerprint: str


def password_link_token(person, purpose: str) -> str:
    """A token naming the person and their current password's fingerprint: once they choose a
    password the fingerprint changes, so the link works once."""
    from tracker.people.models import password_fingerprint

    return sign([person.id, password_fingerprint(person.password_hash)], PASSWORD_SALTS[purpose])


def password_link_hours() -> int:
    return current_app.config.get("PASSWORD_LINK_MAX_AGE_HOURS", DEFAULT_PASSWORD_LINK_HOURS)


def read_password_link(token: str) -> PasswordLink:
    """Which person and purpose a password token names; LinkProblem when it cannot be used.

    Each purpose's salt is tried in turn: a token is only ever valid under the one it was
    signed with. An expired token says so even if another salt would call it invalid.
    """
    problem = LinkProblem("invalid")
    for purpose, salt in PASSWORD_SALTS.items():
        try:
            payload = read(token, salt, password_link_hours() * 3600)
        except LinkProblem as exc:
            if exc.reason == "expired":
                problem = exc
            continue
        try:
            person_id, fingerprint = payload
            return PasswordLink(purpose, int(person_id), str(fingerprint))
        except (TypeError, ValueError):
            raise LinkProblem("invalid") from None
    raise problem


def update_link_action_id(token: str) -> int | None:
    """The action an update link names, whatever its age, if its signature is good: enough to
    send the action's current owner a fresh link. None for a tampered token."""
    try:
        payload = _serializer(UPDATE_LINK_SALT).loads(token)
        return int(payload[0])
    except (BadSignature, TypeError, ValueError, IndexError, KeyError):
        return None


def update_link_max_days() -> int:
    return current_app.config.get("UPDATE_LINK_MAX_AGE_DAYS", DEFAULT_UPDATE_LINK_DAYS)
