"""``flask export actions``: a board's plan as XLSX or CSV, or all of its data as JSON.

The file is written beside its destination and moved into place when complete, so a failed
export never leaves half a file; an existing file is replaced, as export tools do, and the
message says so.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click
from sqlalchemy import func, select

from tracker.actions.models import Action
from tracker.commands import board_by_ref
from tracker.common.errors import DomainError
from tracker.extensions import db
from tracker.transfer.export_plan import FORMATS, Export, export_board

STDOUT = "-"
WHAT = {"xlsx": "plan", "csv": "plan", "json": "archive"}


@click.command("actions")
@click.option("--board", "board_ref", required=True, metavar="REF", help="The board, e.g. tscp.")
@click.option(
    "--format",
    "format_",
    type=click.Choice(FORMATS, case_sensitive=False),
    help="xlsx or csv: the action plan; json: all of the board's data, for archiving. "
    "Taken from FILE's extension when not given.",
)
@click.option(
    "--output",
    required=True,
    metavar="FILE",
    help="Where to write; an existing file is replaced. '-' writes csv or json to standard output.",
)
def export_actions(board_ref: str, format_: str | None, output: str) -> None:
    """Write a board's action plan (xlsx, csv) or its full archive (json) to FILE."""
    format_ = _format(format_, output)
    target = None if output == STDOUT else _writable(Path(output))
    try:
        board = board_by_ref(board_ref)
        export = export_board(None, board, format_)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    actions = db.session.scalar(select(func.count(Action.id)).where(Action.board_id == board.id))
    summary = f"{board.ref}'s {WHAT[format_]} ({actions} action{'' if actions == 1 else 's'})"
    if target is None:
        for chunk in export.chunks:
            sys.stdout.write(chunk)
        sys.stdout.flush()
        click.echo(f"Wrote {summary} as {format_.upper()} to standard output.", err=True)
        return
    replaced = target.exists()
    _write(export, target)
    click.echo(
        f"Wrote {summary} as {format_.upper()} to {target}"
        + (" (replacing the file that was there)." if replaced else ".")
    )


def _format(format_: str | None, output: str) -> str:
    if format_:
        format_ = format_.lower()
    else:
        guessed = Path(output).suffix.lstrip(".").lower()
        if guessed not in FORMATS:
            raise click.UsageError(
                "Give --format xlsx, csv or json (the output's name does not say which)."
            )
        format_ = guessed
    if output == STDOUT and format_ == "xlsx":
        raise click.UsageError(
            "An XLSX workbook cannot go to standard output: give a file name with --output, "
            "or use --format csv."
        )
    return format_


def _writable(path: Path) -> Path:
    """``path`` if a file can be written there; else exit 1 saying what to fix."""
    if path.is_dir():
        raise click.ClickException(
            f"{path} is a directory: give a file name inside it, e.g. {path / 'plan.xlsx'}."
        )
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise click.ClickException(
            f"The directory {directory} does not exist: create it first, or choose another "
            "--output."
        )
    if not os.access(directory, os.W_OK | os.X_OK) or (
        path.exists() and not os.access(path, os.W_OK)
    ):
        raise click.ClickException(
            f"Cannot write {path}: permission denied. Choose another --output."
        )
    return path


def _write(export: Export, target: Path) -> None:
    """Write into a temporary file beside ``target``, then move it into place."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        # mkstemp makes the file readable by its owner alone; give it the usual permissions.
        os.chmod(temporary, 0o666 & ~_umask())
        with os.fdopen(handle, "wb") as file:
            if export.body is not None:
                file.write(export.body)
            else:
                for chunk in export.chunks:
                    file.write(chunk.encode("utf-8"))
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise click.ClickException(f"Could not write {target}: {exc.strerror}.") from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
