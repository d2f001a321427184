"""Synthetic open actions in bulk, shaped like a peer benchmark, for measuring Assure at scale.

For N actions: max(100, N // 1000) boards, one of which holds a tenth of the actions; N // 50
owners, each with actions on several boards; due dates spread evenly from 60 days ago to 120
days ahead; every action open or in progress, with one "created" event. Rows go in with one
executemany INSERT per chunk (the ORM's bulk insert): adding 100,000 objects one at a time through
the unit of work takes minutes, this takes seconds.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import insert, select

from tracker.actions.models import Action
from tracker.audit.models import Event
from tracker.boards.models import BOARD_KINDS, Board
from tracker.boards.services import create_board
from tracker.common.time import utcnow
from tracker.extensions import db
from tracker.people.models import Person
from tracker.people.services import get_or_create_organisation

CHUNK = 5000
DUE_FROM, DUE_TO = -60, 120
BIG_BOARD_SHARE = 10  # the biggest board holds 1/10 of the actions
ACTIONS_PER_OWNER = 50
KINDS = [k for k in BOARD_KINDS if k != "other"]
ORGANISATIONS = (
    "Synthetic Metropolitan Borough Council",
    "Synthetic NHS Foundation Trust",
    "Synthetic Integrated Care Board",
    "Synthetic Constabulary",
)


@dataclass
class Shape:
    """How N actions are spread over boards and owners."""

    actions: int
    boards: int
    owners: int
    big: int  # actions on the biggest board

    @classmethod
    def for_actions(cls, n: int) -> Shape:
        return cls(
            actions=n,
            boards=max(100, n // 1000),
            owners=max(1, n // ACTIONS_PER_OWNER),
            big=n // BIG_BOARD_SHARE,
        )

    def board_of(self, i: int) -> int:
        """Board 0 takes the first tenth; the others share the rest in turn."""
        return 0 if i < self.big else 1 + (i - self.big) % (self.boards - 1)

    def owner_of(self, i: int) -> int:
        # Owners in turn across the whole sequence, so that each one's actions fall on several
        # boards rather than all on one.
        return i % self.owners

    def due_offset(self, i: int, stride: int) -> int:
        """Days from today: a permutation of 0..N-1 mapped evenly onto DUE_FROM..DUE_TO."""
        position = (i * stride) % self.actions
        return DUE_FROM + position * (DUE_TO - DUE_FROM) // max(1, self.actions - 1)


@dataclass
class ScaleResult:
    batch: str
    boards: int
    owners: int
    actions: int
    events: int
    big_board_ref: str
    seconds: float

    def lines(self) -> list[str]:
        return [
            f"Added {self.actions} synthetic actions ({self.events} events) on {self.boards} "
            f"boards for {self.owners} owners in {self.seconds:.1f} s.",
            f"The biggest board is {self.big_board_ref} ({self.actions // BIG_BOARD_SHARE} "
            "actions).",
        ]


def generate(n: int, today: date) -> ScaleResult:
    """Add ``n`` synthetic open actions on new boards for new owners; commit is the caller's."""
    started = time.perf_counter()
    shape = Shape.for_actions(n)
    batch = _free_batch()
    boards = _make_boards(batch, shape.boards)
    owners = _make_owners(batch, shape.owners)
    stride = _stride(n)
    counters = [0] * len(boards)
    now = utcnow()
    created = {}  # (board id, ref): what the action's "created" event records
    for start in range(0, n, CHUNK):
        rows = []
        for i in range(start, min(n, start + CHUNK)):
            b = shape.board_of(i)
            counters[b] += 1
            owner_id, email, organisation_id = owners[shape.owner_of(i)]
            row = _action_row(i, boards[b], counters[b], owner_id, organisation_id, now)
            row["due_on"] = row["original_due_on"] = today + timedelta(
                days=shape.due_offset(i, stride)
            )
            rows.append(row)
            created[row["board_id"], row["ref"]] = {
                "ref": [None, row["ref"]],
                "status": [None, row["status"]],
                "owner": [None, email],
                "due_on": [None, row["due_on"].isoformat()],
            }
        db.session.execute(insert(Action), rows)
    events = _record_created(boards, created, now)
    return ScaleResult(
        batch=batch,
        boards=len(boards),
        owners=len(owners),
        actions=n,
        events=events,
        big_board_ref=boards[0].ref,
        seconds=time.perf_counter() - started,
    )


def _free_batch() -> str:
    """A prefix no earlier run used, so that the generator can run again on the same database."""
    refs = db.session.scalars(select(Board.ref).where(Board.ref.like("scale%"))).all()
    used = [int(m.group(1)) for r in refs if (m := re.match(r"scale(\d+)-", r))]
    return f"scale{max(used, default=0) + 1}"


def _record_created(boards: list[Board], created: dict, now) -> int:
    """One "created" event per new action, with the action ids read back in one query.

    Reading ids back is cheaper than INSERT ... RETURNING, which SQLAlchemy runs a row at a time
    on SQLite when asked to keep the order, and sends to PostgreSQL as statements so large that
    psycopg spends most of the time parsing them.
    """
    rows = db.session.execute(
        select(Action.id, Action.board_id, Action.ref).where(
            Action.board_id.in_([board.id for board in boards])
        )
    ).all()
    for start in range(0, len(rows), CHUNK):
        db.session.execute(
            insert(Event),
            [
                _event("action", id_, now, created[board_id, ref], board_id=board_id)
                for id_, board_id, ref in rows[start : start + CHUNK]
            ],
        )
    return len(rows)


def _stride(n: int) -> int:
    # A multiplier coprime with n makes i -> i * stride % n a permutation: due dates are spread
    # evenly over the whole set and, near enough, over each board's share of it.
    stride = 7919
    while math.gcd(stride, n) != 1:
        stride += 2
    return stride


def _make_boards(batch: str, count: int) -> list[Board]:
    # A hundred or a few thousand boards: few enough to go through the service, with its events.
    width = len(str(count - 1))
    return [
        create_board(
            None,
            ref=f"{batch}-{b:0{width}d}",
            name=f"Synthetic board {batch} {b}" + (" (biggest)" if b == 0 else ""),
            kind=KINDS[b % len(KINDS)],
            channel="cli",
        )
        for b in range(count)
    ]


def _make_owners(batch: str, count: int) -> list[tuple[int, str, int]]:
    """Insert the owners in bulk, with their events; return (id, email, organisation id) each."""
    organisations = [get_or_create_organisation(name) for name in ORGANISATIONS]
    db.session.flush()
    now = utcnow()
    domain = f".{batch}@synthetic.example"
    rows = [
        {
            "name": f"Synthetic Owner {j}",
            "email": f"owner{j}{domain}",
            "organisation_id": organisations[j % len(organisations)].id,
            "job_title": "Action owner",
            "password_hash": None,
            "is_admin": False,
            "is_active": True,
            "created_at": now,
            "updated_at": now,
        }
        for j in range(count)
    ]
    for start in range(0, count, CHUNK):
        db.session.execute(insert(Person), rows[start : start + CHUNK])
    found = db.session.execute(
        select(Person.email, Person.id, Person.organisation_id).where(
            Person.email.like(f"%{domain}")
        )
    ).all()
    db.session.execute(
        insert(Event),
        [_event("person", id_, now, {"email": [None, email]}) for email, id_, _ in found],
    )
    by_email = {email: (id_, email, organisation_id) for email, id_, organisation_id in found}
    return [by_email[row["email"]] for row in rows]


def _action_row(i: int, board: Board, seq: int, owner_id: int, organisation_id: int, now) -> dict:
    started = i % 4 != 0  # three in four under way, the rest open and not yet started
    return {
        "board_id": board.id,
        "recommendation_id": None,
        "ref": f"{board.ref.upper()}-{seq:05d}",
        "title": f"Synthetic action {i + 1}",
        "description": "",
        "owner_id": owner_id,
        "lead_organisation_id": organisation_id,
        "status": "in_progress" if started else "open",
        "status_reason": "",
        "status_changed_at": now,
        "progress": 5 + (i * 37) % 90 if started else 0,
        "owner_rag": None,
        "success_measure": "",
        # Last reports spread over three months, so some actions are stale (amber) as in life.
        "progress_reported_at": now - timedelta(days=(i * 13) % 90),
        "version": 1,
        "created_at": now,
        "updated_at": now,
    }


def _event(subject_type: str, subject_id: int, now, changes: dict, board_id=None) -> dict:
    """A "created" event row, as ``record`` would have written it, by the command line."""
    return {
        "occurred_at": now,
        "actor_id": None,
        "channel": "cli",
        "board_id": board_id,
        "action_id": subject_id if subject_type == "action" else None,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "verb": "created",
        "changes": changes,
        "comment": "",
    }
