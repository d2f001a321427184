"""``flask import actions|recommendations FILE``: the browser's imports, from the command line.

Both print what the file would do and every problem, one per line, and exit 1 without changing
anything when there is a problem; ``--dry-run`` only prints.
"""

from __future__ import annotations

from pathlib import Path

import click

from tracker.commands import board_by_ref, commits
from tracker.extensions import db
from tracker.reviews.services import get_review
from tracker.transfer.plan_apply import ImportRefused, apply_plan
from tracker.transfer.plan_import import build_preview
from tracker.transfer.reading import UnreadableFile, read_upload
from tracker.transfer.recommendation_import import (
    apply_recommendations,
    preview_recommendations,
)

FILE = click.Path(exists=True, dir_okay=False, readable=True, path_type=Path)


def read_file(path: Path):
    try:
        return read_upload(path.read_bytes(), path.name)
    except UnreadableFile as exc:
        raise click.ClickException(f"{exc}\nNothing was changed.") from exc


def _progress(done: int, total: int) -> None:
    click.echo(f"Imported {done:,} of {total:,} rows…", err=True)


@click.command("actions")
@click.argument("file", type=FILE)
@click.option("--board", "board_ref", required=True, metavar="REF", help="The board's reference.")
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
@click.option("--create-people", is_flag=True, help="Add lead officers Assure does not know.")
@click.option(
    "--skip-problem-rows", is_flag=True, help="Import the other rows; leave rows with problems."
)
@commits({"board": "--board"})
def import_actions(file, board_ref, dry_run, create_people, skip_problem_rows):
    """Import a board's action plan from an XLSX or CSV file."""
    board = board_by_ref(board_ref)
    table = read_file(file)
    click.echo(f"Read {len(table.rows):,} rows from {file.name}; checking them…", err=True)
    preview = build_preview(
        None,
        board,
        table,
        filename=file.name,
        create_people=create_people,
        skip_problem_rows=skip_problem_rows,
    )
    problems = preview.all_problems()
    if problems:
        raise ImportRefused(problems, "\n".join([preview.summary(), *(str(p) for p in problems)]))
    lines = [preview.summary()]
    lines += [
        f"Row {r.number} ({r.ref}): skipped on purpose."
        for r in preview.rows
        if r.outcome == "skip"
    ]
    if dry_run:
        lines += [
            f"Row {r.number} ({r.ref}): {r.outcome_label.lower()}: {'; '.join(r.changes)}"
            for r in preview.rows
            if r.outcome in ("create", "change")
        ]
        db.session.rollback()
        return [*lines, "Dry run: nothing was changed."]
    apply_plan(None, preview, progress=_progress)
    return [*lines, f"Imported into {board.name}."]


@click.command("recommendations")
@click.argument("file", type=FILE)
@click.option("--review", "review_id", required=True, type=int, help="The review's number.")
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
@commits({"review": "--review"})
def import_recommendations(file, review_id, dry_run):
    """Import a review's recommendations from a CSV, XLSX or YAML file."""
    review = get_review(review_id)
    try:
        preview = preview_recommendations(None, review, file.read_bytes(), file.name)
    except UnreadableFile as exc:
        raise click.ClickException(f"{exc}\nNothing was changed.") from exc
    problems = preview.all_problems()
    if problems:
        raise ImportRefused(problems, "\n".join([preview.summary(), *map(str, problems)]))
    lines = [preview.summary()]
    lines += [
        f"Row {r.number} ({r.ref}): {'; '.join(r.changes)}" for r in preview.rows if r.changes
    ]
    if dry_run:
        db.session.rollback()
        return [*lines, "Dry run: nothing was changed."]
    apply_recommendations(None, preview)
    return [*lines, f"Imported into '{review.title}'."]
