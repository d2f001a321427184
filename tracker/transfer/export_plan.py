"""Who may export what, and the exports themselves, for the routes and the command line.

Everyone who may see a board's actions (its members, chair, secretary, and admins) may
download its plan as XLSX or CSV: the file holds no more than the board's action list shows
them. The JSON archive holds the audit trail and every update, decided or not, so it is for the
board's secretary and admins (and the operator at the command line). Exports change nothing, so
they are not audit events (an event records a change, from and to); each archive export is
written to the log instead, with who asked.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from tracker.boards.models import Board
from tracker.boards.services import get_board
from tracker.common.time import london_today, utcnow
from tracker.people.models import Person
from tracker.permissions import MANAGERS, ensure_role
from tracker.transfer.archive import archive_chunks
from tracker.transfer.export_formats import export_filename, plan_csv, plan_xlsx
from tracker.transfer.export_rows import plan_rows

log = logging.getLogger(__name__)

FORMATS = ("xlsx", "csv", "json")
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


@dataclass
class Export:
    """What an export writes: its file name and media type, and either bytes or text chunks."""

    board: Board
    format: str
    filename: str
    body: bytes | None = None
    chunks: Iterator[str] | None = None

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]


def plan_board(actor: Person | None, ref: str) -> Board:
    """The board whose plan ``actor`` may download (NotFound for those who may not see it)."""
    return get_board(actor, ref=ref)


def archive_board(actor: Person | None, ref: str) -> Board:
    """The board whose archive ``actor`` may download: its secretary, an admin, the operator."""
    board = get_board(actor, ref=ref)
    if actor is not None:
        ensure_role(actor, board, MANAGERS, "download the board's archive")
    return board


def export_board(
    actor: Person | None,
    board: Board,
    format: str,
    *,
    now: datetime | None = None,
) -> Export:
    """The board's plan (xlsx, csv) or archive (json), as of ``now``, for ``actor``.

    The caller has checked ``actor`` may have it (plan_board, archive_board). CSV and JSON come
    as text chunks, to stream; XLSX as bytes (a workbook is a zip, written whole).
    """
    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r}")
    now = now or utcnow()
    today = london_today(now)
    if format == "json":
        log.info(
            "Archive of board %s exported by %s",
            board.ref,
            f"person {actor.id}" if actor is not None else "the command line",
        )
        return Export(
            board,
            format,
            export_filename(board, today, "json", "archive"),
            chunks=archive_chunks(board, exported_by=actor, exported_at=now, today=today),
        )
    filename = export_filename(board, today, format)
    rows = plan_rows(board, today)
    if format == "csv":
        return Export(board, format, filename, chunks=plan_csv(rows))
    body, _ = plan_xlsx(board, rows, exported_by=actor, exported_at=now)
    return Export(board, format, filename, body=body)
