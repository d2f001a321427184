"""A board ready for a meeting pack, shared by the test_packs_* modules.

Today is 1 March 2027; the meeting is on 20 March, its papers due on 13 March. The board has:

- A1 (R1), open, due 10 March: not overdue today, overdue by 3 days at the papers deadline;
- A2 (R1), blocked ("Waiting for the data-sharing agreement");
- A3 (R2), in progress; its owner's accepted update says red: off track, neither overdue nor
  blocked;
- A4 (no recommendation), open, with an update asking to move its due date to 1 October,
  waiting for a decision;
- A5 (R2), completed: not open, so not in the pack's list of actions;
- A6 (R1), in progress, with two accepted updates ("First report", then "Second report"), a
  rejected one and a submitted one after them: its latest accepted update is "Second report".
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import time_machine

from tracker.actions import updates as action_updates

TODAY = date(2027, 3, 1)
HELD_ON = date(2027, 3, 20)
PAPERS_DUE_ON = date(2027, 3, 13)


@dataclass
class PackWorld:
    board: Any
    meeting: Any
    secretary: Any
    member: Any
    chair: Any
    actions: dict[str, Any]
    traveller: Any


@contextmanager
def pack_world_for(request):
    """The world, built with the requesting test's factories; each test module's ``pack_world``
    fixture is ``with pack_world_for(request) as world: yield world``."""
    from tracker.boards.services import add_meeting

    session = request.getfixturevalue("session")
    make_person = request.getfixturevalue("make_person")
    make_board = request.getfixturevalue("make_board")
    make_action = request.getfixturevalue("make_action")
    make_review = request.getfixturevalue("make_review")
    make_recommendation = request.getfixturevalue("make_recommendation")

    with time_machine.travel(datetime(2027, 3, 1, 9, 0, tzinfo=UTC), tick=False) as traveller:
        secretary = make_person(name="Sam Secretary", email="sam.secretary@packs.example")
        member = make_person(name="Mo Member", email="mo.member@packs.example")
        chair = make_person(name="Cath Chair", email="cath.chair@packs.example")
        owner = make_person(name="Olu Owner", email="olu.owner@packs.example")
        board = make_board(
            ref="tscp",
            name="Tameside Safeguarding Children Partnership",
            updates_need_acceptance=True,
            members=[(secretary, "secretary"), (member, "member"), (chair, "chair")],
        )
        review = make_review(title="Infant mortality peer review")
        r1 = make_recommendation(
            review, ref="R1", text="Screen for carbon monoxide.", boards=[board]
        )
        r2 = make_recommendation(review, ref="R2", text="Promote safe sleep.", boards=[board])

        def action(ref, status, due_on, recommendation=None):
            return make_action(
                board,
                status=status,
                ref=ref,
                title=f"Action {ref}",
                owner=owner,
                lead_organisation="Tameside Council",
                due_on=due_on,
                recommendation=recommendation,
            )

        made = {
            "A1": action("A1", "open", date(2027, 3, 10), r1),
            "A2": action("A2", "blocked", date(2027, 6, 1), r1),
            "A3": action("A3", "in_progress", date(2027, 9, 1), r2),
            "A4": action("A4", "open", date(2027, 8, 1)),
            "A5": action("A5", "completed", date(2027, 4, 1), r2),
            "A6": action("A6", "in_progress", date(2027, 9, 1), r1),
        }
        report(made["A3"], owner, "Supplier has gone bust.", rag="red", accept=True)
        report(
            made["A4"],
            owner,
            "Need more time.",
            proposed_due_on=date(2027, 10, 1),
            comment="The audit moved.",
        )
        traveller.shift(timedelta(hours=1))
        report(made["A6"], owner, "First report", progress=20, accept=True)
        traveller.shift(timedelta(hours=1))
        report(made["A6"], owner, "Second report", progress=40, accept=True)
        traveller.shift(timedelta(hours=1))
        rejected = report(made["A6"], owner, "Third report")
        action_updates.reject_update(None, rejected, reason="Say which teams.", channel="cli")
        traveller.shift(timedelta(hours=1))
        report(made["A6"], owner, "Fourth report")
        meeting = add_meeting(
            None, board, held_on=HELD_ON, papers_due_on=PAPERS_DUE_ON, channel="cli"
        )
        session.commit()
        yield PackWorld(board, meeting, secretary, member, chair, made, traveller)


def report(action, owner, narrative, *, accept=False, **fields):
    update = action_updates.submit_update(
        None, action, narrative=narrative, author=owner, channel="web", **fields
    )
    if accept:
        action_updates.accept_update(None, update, channel="cli")
    return update
