"""One action in a reminder email: what it says, and its line in the owner's email.

An owner's line (reference, title, due date, any update request, their own link) is written
here in Python, in text and in HTML, rather than field by field in the templates: a sweep
writes tens of thousands of lines, and Jinja's work for each field (a lookup, an escape that
builds a Markup, a yield) made rendering an email a sixth slower. The templates place the
lines; what each line says is here, every value escaped by markupsafe as the templates'
autoescape would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from tracker.notify.reminders.wording import when_due
from tracker.web.templating import format_date


@dataclass(slots=True)
class Item:
    """One action in an email, with every reminder about it folded in (slots: a sweep makes
    tens of thousands, and the templates read their fields many times)."""

    action_id: int
    ref: str
    title: str
    board_id: int
    board_name: str
    due_on: date | None
    when: str
    owner_name: str
    status_reason: str
    deadline: date | None = None  # the nearest papers deadline an update is asked for
    chased: bool = False
    blocked_since: date | None = None
    link: str = ""
    due_text: str = ""  # "17 March 2027 (due in 2 weeks)", worked out once in Python

    @property
    def is_overdue(self) -> bool:
        return self.when.startswith("overdue")

    @property
    def request_text(self) -> str:
        if self.deadline is None:
            return ""
        deadline = format_date(self.deadline)
        if self.chased:
            return (
                f"We have not had your update yet: please send it by {deadline}, "
                "the deadline for the board's meeting papers."
            )
        return f"Please send an update by {deadline}, the deadline for the board's meeting papers."

    @property
    def owner_text(self) -> str:
        """The owner's line in the plain text email (reminders.txt puts a blank line before)."""
        request = f"{self.request_text}\n" if self.deadline else ""
        return (
            f"{self.ref}: {self.title}\nDue: {self.due_text}\n{request}"
            f"Update action {self.ref}:\n{self.link}"
        )

    @property
    def owner_html(self) -> Markup:
        """The owner's line in the HTML email: one list item, every value escaped."""
        ref = escape(self.ref)
        request = f"{escape(self.request_text)}<br>" if self.deadline else ""
        return Markup(
            f'<li style="margin-bottom: 15px;"><strong>{ref}</strong>: {escape(self.title)}'
            f"<br>Due: {escape(self.due_text)}<br>{request}"
            f'<a href="{escape(self.link)}" style="color: #1d70b8; font-weight: bold;">'
            f"Update action {ref}</a></li>"
        )


class DateWords:
    """Dates and where they stand today, in words, each worked out once per compose (there
    are a few hundred distinct due dates among thousands of actions)."""

    def __init__(self, day: date) -> None:
        self.day = day
        self._texts: dict[date | None, tuple[str, str]] = {}

    def __call__(self, due_on: date | None) -> tuple[str, str]:
        found = self._texts.get(due_on)
        if found is None:
            when = when_due(due_on, self.day)
            text = f"{format_date(due_on)} ({when})" if due_on else "no due date yet"
            found = self._texts[due_on] = (when, text)
        return found


def item_for(row, dates: DateWords) -> Item:
    """The item for the first reminder about an action in an email (``compose.plan``'s row)."""
    when, due_text = dates(row.due_on)
    return Item(
        action_id=row.action_id,
        ref=row.ref,
        title=row.title,
        board_id=row.board_id,
        board_name=row.board_name,
        due_on=row.due_on,
        when=when,
        due_text=due_text,
        owner_name=row.owner_name or "no owner",
        status_reason=row.status_reason or "",
    )
