"""Composing the emails about actions and putting them in the outbox (filled in by issue 4)."""

from __future__ import annotations


def assignment(actor, action) -> None:
    """Tell the owner an action is theirs, with their update link."""


def signed_off(actor, action) -> None:
    """Tell the owner their action was signed off and closed."""


def sent_back(actor, action, reason: str) -> None:
    """Tell the owner sign-off was refused, why, with a fresh link."""


def update_accepted(actor, update) -> None:
    """Tell the owner their update was accepted."""


def update_rejected(actor, update) -> None:
    """Tell the owner their update was rejected, why, with a fresh link."""
