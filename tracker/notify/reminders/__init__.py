"""Reminders, escalations, update requests and the weekly digest: decided by rules, composed
into one email per person per day, sent through the outbox (see sweep.py)."""
