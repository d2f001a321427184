"""Domain errors raised by service functions.

Routes, the API and the CLI each turn these into their own kind of answer (a page with an error
summary, a JSON error with a status code, a message and a non-zero exit).
"""

from __future__ import annotations


class DomainError(Exception):
    """Base class: ``message`` is written for the person who has to fix the problem."""

    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The object does not exist, or the person may not see it (we do not say which)."""

    code = "not_found"


class NotAllowed(DomainError):
    """The person may see the object but not make this change."""

    code = "forbidden"


class InvalidTransition(DomainError):
    """The workflow does not allow this transition from the current state."""

    code = "invalid_transition"


class StaleVersion(DomainError):
    """Someone else changed the object since the person loaded it."""

    code = "stale_version"

    def __init__(self, message: str, current_version: int | None = None) -> None:
        super().__init__(message)
        self.current_version = current_version


class ValidationFailed(DomainError):
    """Some fields are invalid; ``fields`` maps each field name to what is wrong with it."""

    code = "invalid"

    def __init__(self, fields: dict[str, str], message: str | None = None) -> None:
        super().__init__(message or "; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields
