"""Drafting, issuing and reading meeting packs.

A draft is the pack's data built now and stored nowhere. Issuing stores the data and the PDF
rendered from it as a new version (1, 2, ...) of the meeting's pack; nothing here or anywhere
else updates an issued pack afterwards, so every version stays as the board received it.
Board members (any role) and admins may read packs; the secretary and admins issue them.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, undefer

from tracker.audit.services import record
from tracker.boards.models import Board, Meeting
from tracker.common.errors import NotFound
from tracker.common.time import london_today, utcnow
from tracker.extensions import db
from tracker.oversight.packs.models import MeetingPack
from tracker.oversight.packs.queries import pack_data
from tracker.oversight.packs.render import PackView, pdf_bytes
from tracker.people.models import Person
from tracker.permissions import MANAGERS, ensure_role, ensure_visible


def meeting_on(actor: Person | None, board: Board, held_on: date) -> Meeting:
    """The board's meeting on ``held_on``, for someone who may see the board."""
    if actor is not None:
        ensure_visible(actor, board)
    meeting = db.session.scalar(
        select(Meeting).where(Meeting.board_id == board.id, Meeting.held_on == held_on)
    )
    if meeting is None:
        dates = ", ".join(m.held_on.isoformat() for m in board.meetings) or "none yet"
        raise NotFound(
            f"{board.name} has no meeting on {held_on.isoformat()}. Its meetings: {dates}."
        )
    return meeting


def draft_pack(actor: Person | None, meeting: Meeting, today: date | None = None) -> PackView:
    """The meeting's pack as it would be issued now, for a preview; nothing is stored."""
    if actor is not None:
        ensure_visible(actor, meeting.board)
    return PackView(pack_data(meeting.board, meeting, today or london_today()))


def issue_pack(
    actor: Person | None, meeting: Meeting, channel: str = "web", today: date | None = None
) -> MeetingPack:
    """Store a new version of the meeting's pack: its data and its PDF (secretary or admin)."""
    board = meeting.board
    if actor is not None:
        ensure_role(actor, board, MANAGERS, "issue meeting packs")
    data = pack_data(board, meeting, today or london_today())
    # Two secretaries issuing at once would pick the same number; the unique constraint on
    # (meeting, version) then refuses the second at commit rather than overwrite the first.
    version = 1 + (
        db.session.scalar(
            select(func.max(MeetingPack.version)).where(MeetingPack.meeting_id == meeting.id)
        )
        or 0
    )
    issued_at = utcnow()
    # Who issued it, as named that day: the pack must not change if they are renamed later.
    data["issue"] = {
        "version": version,
        "issued_at": issued_at.isoformat(),
        "issued_by": actor.name if actor else None,
    }
    pdf = pdf_bytes(view_of_data(data))
    pack = MeetingPack(
        board=board,
        meeting=meeting,
        version=version,
        as_at=date.fromisoformat(data["as_at"]),
        issued_at=issued_at,
        issued_by=actor,
        data=data,
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
    )
    db.session.add(pack)
    db.session.flush()
    record(
        actor,
        channel,
        "pack_issued",
        pack,
        board_id=board.id,
        changes={"version": [None, version], "meeting": [None, meeting.held_on]},
        comment=f"Figures as at {data['as_at']}",
    )
    return pack


def get_pack(actor: Person | None, pack_id: int) -> MeetingPack:
    """An issued pack, with its data, for a board member or an admin; NotFound otherwise."""
    pack = db.session.scalar(
        select(MeetingPack)
        .where(MeetingPack.id == pack_id)
        .options(
            undefer(MeetingPack.data),
            joinedload(MeetingPack.board),
            joinedload(MeetingPack.meeting),
            joinedload(MeetingPack.issued_by),
        )
    )
    if pack is None:
        raise NotFound("No such meeting pack.")
    if actor is not None:
        ensure_visible(actor, pack.board, "meeting pack")
    return pack


def pack_pdf(pack: MeetingPack) -> bytes:
    """The PDF as issued (loaded only when asked for)."""
    return db.session.scalar(select(MeetingPack.pdf).where(MeetingPack.id == pack.id))


def packs_for(actor: Person | None, meeting: Meeting) -> list[MeetingPack]:
    """The meeting's issued versions, newest first (without their data or PDFs)."""
    if actor is not None:
        ensure_visible(actor, meeting.board)
    return list(
        db.session.scalars(
            select(MeetingPack)
            .where(MeetingPack.meeting_id == meeting.id)
            .options(joinedload(MeetingPack.issued_by))
            .order_by(MeetingPack.version.desc())
        )
    )


def view_of(pack: MeetingPack) -> PackView:
    """An issued pack as the templates and renderers read it: from its stored data only."""
    return view_of_data(pack.data)


def view_of_data(data: dict) -> PackView:
    issue = data["issue"]
    return PackView(
        data,
        version=issue["version"],
        issued_at=datetime.fromisoformat(issue["issued_at"]),
        issued_by=issue["issued_by"],
    )
