"""``flask scheduler``: run the scheduler process, or (``--once``) every job once and exit.

The process is meant to run as a service of its own beside the web server (see the README's
deployment section). ``--once`` is for operators and tests: it runs the jobs through the same
tick as the scheduler (lock, commit, heartbeat) and exits 1 if any of them failed.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.commands.params import IsoTime
from tracker.scheduler.jobs import JOBS, job_ids, job_named
from tracker.scheduler.ticks import SKIPPED, Tick, describe, run_job


@click.command("scheduler")
@click.option(
    "--once",
    is_flag=True,
    help="Run every job (or the ones named with --job) once, now, and exit: 1 if any failed.",
)
@click.option(
    "--job",
    "names",
    multiple=True,
    type=click.Choice(job_ids()),
    help="With --once: run only this job (repeat for more).",
)
@click.option("--at", type=IsoTime(), help="With --once: run the jobs as if it were this time.")
@with_appcontext
def scheduler(once, names, at):
    """Run the scheduler: the reminder sweep, outbox delivery and daily board snapshots."""
    app = current_app._get_current_object()
    if not once:
        if names or at:
            raise click.UsageError("--job and --at go with --once (run the jobs once and exit).")
        # Imported here: the web process, which registers this command too, never needs it.
        from tracker.scheduler.process import build_scheduler, serve

        try:
            process = build_scheduler(app)
        except RuntimeError as exc:  # a setting that cannot work, e.g. REMINDER_SWEEP_MINUTES=0
            raise click.ClickException(str(exc)) from exc
        click.echo("The scheduler is running (Europe/London); press Ctrl-C to stop.")
        serve(app, process)
        return

    jobs = [job_named(name) for name in names] if names else list(JOBS)
    ticks = [run_job(app, job, at) for job in jobs]
    for tick in ticks:
        click.echo(say(tick))
    failed = [tick.job for tick in ticks if tick.error]
    if failed:
        raise click.ClickException(
            f"{', '.join(failed)} failed: the log says where; the next tick tries again."
        )


def say(tick: Tick) -> str:
    """One line per tick, in words, with counts only."""
    if tick.outcome == SKIPPED:
        return f"{tick.job}: skipped, another scheduler is running it."
    if tick.error:
        return f"{tick.job}: failed ({tick.error})."
    return f"{tick.job}: ok ({describe(tick.counts)})."
