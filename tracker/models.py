"""Imports every model so that SQLAlchemy and Alembic see the whole schema."""

from tracker.actions.models import Action, Update
from tracker.audit.models import Event
from tracker.boards.models import Board, Meeting, Membership
from tracker.notify.models import OutboxMessage
from tracker.people.models import ApiToken, Locality, Organisation, Person
from tracker.reviews.models import Recommendation, Review, Theme
from tracker.transfer.feed_models import FeedToken

__all__ = [
    "Action",
    "ApiToken",
    "Board",
    "Event",
    "FeedToken",
    "Locality",
    "Meeting",
    "OutboxMessage",
    "Membership",
    "Organisation",
    "Person",
    "Recommendation",
    "Review",
    "Theme",
    "Update",
]
