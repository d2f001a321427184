"""The owner's lines in reminder emails are escaped as the templates' autoescape would."""

from __future__ import annotations

from datetime import date

from tracker.notify.reminders.items import Item


def test_the_owners_html_line_escapes_every_value():
    item = Item(
        action_id=1,
        ref="A<1>",
        title='Fish & "chips"',
        board_id=1,
        board_name="Board",
        due_on=date(2027, 1, 5),
        when="due in 3 days",
        owner_name="Owner",
        status_reason="",
        deadline=date(2027, 1, 4),
        link="https://example.test/u/a?b=1&c=2",
        due_text="5 January 2027 (due <soon>)",
    )
    assert item.owner_html == (
        '<li style="margin-bottom: 15px;"><strong>A&lt;1&gt;</strong>: '
        "Fish &amp; &#34;chips&#34;<br>Due: 5 January 2027 (due &lt;soon&gt;)<br>"
        "Please send an update by 4 January 2027, the deadline for the board&#39;s meeting "
        'papers.<br><a href="https://example.test/u/a?b=1&amp;c=2" style="color: #1d70b8; '
        'font-weight: bold;">Update action A&lt;1&gt;</a></li>'
    )
