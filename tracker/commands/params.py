"""Click parameter types the commands share, each with a message that says what to write."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from tracker.common.time import LONDON


class IsoTime(click.ParamType):
    """An ISO 8601 time; without a UTC offset it is London's clock, as the operator's is."""

    name = "ISO-TIME"

    def convert(self, value, param, ctx):
        if isinstance(value, datetime):
            return value
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            self.fail(
                f"{value!r} is not an ISO 8601 time: write it like 2027-03-14T09:30 "
                "(London time) or 2027-03-14T09:30+00:00",
                param,
                ctx,
            )
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=LONDON)
        return moment.astimezone(UTC)
