"""Imports every model so that SQLAlchemy and Alembic see the whole schema."""

from tracker.actions.models import Action, Update
from tracker.audit.models import Event
from tracker.boards.models import Board, Meeting, Membership
from tracker.notify.models import OutboxMessage
from tracker.notify.reminders.models import Notification, ReminderPolicy
from tracker.oversight.packs.models import MeetingPack
from tracker.oversight.snapshots import BoardSnapshot
from tracker.people.models import ApiToken, Locality, Organisation, Person
from tracker.reviews.models import Recommendation, Review, Theme
from tracker.scheduler.models import SchedulerTick
from tracker.transfer.feed_models import FeedToken

__all__ = [
    "Action",
    "ApiToken",
    "Board",
    "BoardSnapshot",
    "Event",
    "FeedToken",
    "Locality",
    "Meeting",
    "MeetingPack",
    "Membership",
    "Notification",
    "Organisation",
    "OutboxMessage",
    "Person",
    "Recommendation",
    "ReminderPolicy",
    "Review",
    "SchedulerTick",
    "Theme",
    "Update",
]
