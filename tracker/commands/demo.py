"""``flask demo``: load the demo data set, or add synthetic actions for benchmarks."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.commands import commits
from tracker.common.time import london_today
from tracker.demo.loader import DemoResult, board_count, load_demo
from tracker.demo.scale import generate

PASSWORD_ENV = "ASSURE_DEMO_PASSWORD"


@click.command("demo")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Do nothing if any board exists (`make run` loads the demo this way on every start).",
)
@click.option(
    "--scale",
    type=click.IntRange(min=1000),
    metavar="N",
    help="Instead of the demo data, add N (at least 1000) synthetic open actions for benchmarks.",
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Count the demo's relative dates from this date, e.g. 2026-03-31 (default: today).",
)
@with_appcontext
@commits({"password": PASSWORD_ENV})
def demo(if_empty: bool, scale: int | None, today):
    """Load the demo data set into an empty database.

    Passwords for the demo sign-ins are random and printed at the end, unless
    ASSURE_DEMO_PASSWORD is set (at least 12 characters), which all of them then use.
    """
    today = today.date() if today else london_today()
    boards = board_count()
    if if_empty and boards:
        return [
            f"The demo data is already loaded ({boards} boards exist): nothing to do.",
            *remembered_sign_ins(),
        ]
    if scale:
        click.echo(f"Adding {scale} synthetic actions...")
        return generate(scale, today).lines()
    if boards:
        raise click.ClickException(
            f"The database already has {boards} boards; the demo loads only into an empty one. "
            "Nothing was changed.\nUse --if-empty to skip quietly when data exists, or start "
            "from a fresh database."
        )
    password = os.environ.get(PASSWORD_ENV) or None
    return describe(load_demo(today, password), today, password is not None)


def describe(result: DemoResult, today, password_from_env: bool) -> list[str]:
    """The summary and the sign-ins, printed once everything is committed."""
    counts = ", ".join(f"{n} {what}" for what, n in result.counts.items())
    lines = [f"Loaded the demo data as of {today:%-d %B %Y}: {counts}.", ""]
    sign_ins = [f"Demo sign-ins at {current_app.config['BASE_URL']}/ :"]
    width = max(len(email) for _, email, _ in result.sign_ins)
    for role, email, password in result.sign_ins:
        shown = f"(the password in {PASSWORD_ENV})" if password_from_env else password
        sign_ins.append(f"  {role:<10} {email:<{width}}  {shown}")
    remember_sign_ins(sign_ins)
    return lines + sign_ins


def _sign_ins_file() -> Path:
    return Path(current_app.config["INSTANCE_DIR"]) / "demo-sign-ins.txt"


def remember_sign_ins(lines: list[str]) -> None:
    """Keep the demo sign-ins beside the development database, readable by its owner only,
    so that every later `make run` can show them again."""
    path = _sign_ins_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text("\n".join(lines) + "\n")


def remembered_sign_ins() -> list[str]:
    path = _sign_ins_file()
    return path.read_text().splitlines() if path.exists() else []
