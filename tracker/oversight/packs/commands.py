"""``flask --app wsgi export pack``: a meeting's pack written to a file.

Without ``--issue`` it writes the latest issued version (exactly as issued: its stored data, or
its stored PDF), or, when none has been issued, a draft built now; standard error says which.
With ``--issue`` it issues a new version first (as the command-line operator) and writes that.
"""

from __future__ import annotations

from datetime import date

import click
from sqlalchemy import select

from tracker.commands import board_by_ref, commits
from tracker.extensions import db
from tracker.oversight.packs.models import MeetingPack
from tracker.oversight.packs.render import FORMATS, render
from tracker.oversight.packs.services import (
    draft_pack,
    issue_pack,
    meeting_on,
    pack_pdf,
    view_of,
)


class IsoDate(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2027-03-14.")


@click.command("pack")
@click.option("--board", "board_ref", required=True, help="The board's short reference, e.g. tscp.")
@click.option("--meeting", "held_on", required=True, type=IsoDate(), help="The meeting's date.")
@click.option(
    "--format", "fmt", required=True, type=click.Choice(FORMATS), help="The file's format."
)
@click.option(
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
    help="The file to write.",
)
@click.option("--issue", is_flag=True, help="Issue a new version first, and write that.")
@commits({})
def export_pack(board_ref: str, held_on: date, fmt: str, output: str, issue: bool):
    """Write a meeting's pack: the latest issued version, a draft if none, or a new version."""
    board = board_by_ref(board_ref)
    meeting = meeting_on(None, board, held_on)
    if issue:
        pack = issue_pack(None, meeting, channel="cli")
        said = f"Issued version {pack.version} of the pack"
    else:
        pack = db.session.scalar(
            select(MeetingPack)
            .where(MeetingPack.meeting_id == meeting.id)
            .order_by(MeetingPack.version.desc())
            .limit(1)
        )
        said = (
            f"Wrote version {pack.version} of the pack (issued {pack.issued_at:%Y-%m-%d %H:%M} UTC)"
            if pack
            else "No version has been issued: wrote a draft of the pack"
        )
    if pack is None:
        body = render(draft_pack(None, meeting), fmt)
    elif fmt == "pdf":
        body = pack_pdf(pack)
    else:
        body = render(view_of(pack), fmt)
    try:
        with open(output, "wb") as file:
            file.write(body)
    except OSError as exc:
        # Raised before the commit, so an issued version is not kept without its file either.
        raise click.ClickException(f"Cannot write {output}: {exc.strerror}.") from exc
    click.echo(
        f"{said} for {board.name}, meeting on {held_on.isoformat()}, to {output} ({fmt}).",
        err=True,
    )
