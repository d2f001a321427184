"""Action pages that change something: create, edit, reassign, due dates, transitions, updates."""

from tracker.actions.routes import bp  # noqa: F401
