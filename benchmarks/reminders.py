"""Build 100,000 synthetic actions and measure the reminder sweep over them.

Run with ``.venv/bin/python benchmarks/reminders.py`` from the repository root. Prints the first
sweep's time (deciding every reminder and composing every email), its SQL statement count and
what it wrote, then the time of an immediate second sweep, which must decide nothing new; and
each figure's ratio to its target. Asserts nothing: timings depend on the machine.

The sweep runs at 08:30 London time on the next working day after the data is built, so that
it both decides and composes; the commit is timed apart from it (the scheduler commits after).
CPU time (this process, SQLite's work included) is printed too: on a shared, loaded machine it
is the steadier figure. Settings: BENCH_ACTIONS (default 100000), BENCH_DATABASE_URL (default:
a scratch SQLite file).
"""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from run import counting, fresh_schema, invoke, safe, scratch_app, table  # noqa: E402

ACTIONS = int(os.environ.get("BENCH_ACTIONS", "100000"))
TARGET_SWEEP_S = 4.0
TARGET_SECOND_S = TARGET_SWEEP_S / 5


def main() -> int:
    with scratch_app("assure-bench-") as (app, url):
        return run(app, url)


def sweep_moment() -> datetime:
    """08:30 London on the next working day."""
    from tracker.common.time import LONDON, london_today
    from tracker.notify.reminders.calendar import next_working_day

    day = next_working_day(london_today())
    return datetime.combine(day, clock(8, 30), tzinfo=LONDON)


def run(app, url: str) -> int:
    from sqlalchemy import func, select, text

    from tracker.extensions import db
    from tracker.notify.models import OutboxMessage
    from tracker.notify.reminders.models import Notification
    from tracker.notify.reminders.sweep import sweep

    print(f"Reminder sweep benchmark: {ACTIONS} actions on {db.engine.dialect.name} ({safe(url)})")
    fresh_schema(db, wipe="BENCH_DATABASE_URL" in os.environ)
    cli = app.test_cli_runner()
    print(invoke(cli, "demo", "--scale", str(ACTIONS)).output)
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:
            connection.execute(text("ANALYZE")).close()
            connection.commit()

    at = sweep_moment()
    print(f"Sweeping at {at:%A %d %B %Y %H:%M} London time.\n")
    with counting(db.engine) as queries:
        started, cpu = time.perf_counter(), time.process_time()
        report = sweep(at)
        first = time.perf_counter() - started
        first_cpu = time.process_time() - cpu
    started = time.perf_counter()
    db.session.commit()
    commit = time.perf_counter() - started
    if db.engine.dialect.name == "postgresql":
        # The statistics were gathered with no reminders yet. Autovacuum analyses a table that
        # gained tens of thousands of rows within a minute, before the scheduler's next sweep;
        # without that, the planner would judge the one-email-a-day check for an empty table.
        with db.engine.connect() as connection:
            connection.execute(text("ANALYZE notifications")).close()
            connection.commit()

    with counting(db.engine) as second_queries:
        started, cpu = time.perf_counter(), time.process_time()
        again = sweep(at + timedelta(minutes=1))
        second = time.perf_counter() - started
        second_cpu = time.process_time() - cpu
    db.session.commit()

    notifications = db.session.scalar(select(func.count()).select_from(Notification))
    messages = db.session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == "reminders")
    )
    print(f"Decided {report.total_decided} reminders: {dict(sorted(report.decided.items()))}.")
    print(
        f"Wrote {report.emails} emails with {report.sent} reminders ({messages} in the outbox, "
        f"{notifications} reminder rows)."
    )
    print(f"Second sweep: decided {again.total_decided}, wrote {again.emails} emails.\n")
    table(
        ("figure", "value", "target", "ratio"),
        [
            (
                "first sweep (decide + compose)",
                f"{first:.2f} s",
                f"{TARGET_SWEEP_S:.1f} s",
                f"{first / TARGET_SWEEP_S:.2f}",
            ),
            ("  its CPU time (this process)", f"{first_cpu:.2f} s", "-", "-"),
            ("  its SQL statements", f"{queries[0]}", "-", "-"),
            ("  commit afterwards", f"{commit:.2f} s", "-", "-"),
            (
                "second sweep (nothing new)",
                f"{second:.2f} s",
                f"{TARGET_SECOND_S:.2f} s",
                f"{second / TARGET_SECOND_S:.2f}",
            ),
            ("  its CPU time (this process)", f"{second_cpu:.2f} s", "-", "-"),
            ("  its SQL statements", f"{second_queries[0]}", "-", "-"),
        ],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
