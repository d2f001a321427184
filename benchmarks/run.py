"""Build 100,000 synthetic actions and measure the action list over them: API and HTML page.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/run.py`` from the repository root).
Prints figures and their ratio to the targets; asserts nothing, because timings depend on the
machine. See benchmarks/README.md.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ACTIONS = int(os.environ.get("BENCH_ACTIONS", "100000"))
RUNS, WARM_UP = 30, 5
PER_PAGE = 100
TARGET_LIST_MS = 40.0
TARGET_PAGE_MS = 80.0  # the board's action list as an HTML page, 100 rows
PAGE_QUERY = "status=open&status=in_progress&sort=-due_on"
TARGET_LOAD_S = 60.0
SMALL_BOARD_ACTIONS = 20
ADMIN_EMAIL = "bench.admin@bench.example"


@contextmanager
def scratch_app(prefix: str = "assure-bench-"):
    """The development app on a scratch database (``BENCH_DATABASE_URL``, or a new SQLite file
    in a temporary folder), with quiet logs; yields ``(app, url)`` inside its app context."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite"
        os.environ.update(
            ASSURE_ENV="development", DATABASE_URL=url, ASSURE_INSTANCE_DIR=tmp, LOG_LEVEL="WARNING"
        )
        from tracker import create_app

        app = create_app()
        with app.app_context():
            yield app, url


def main() -> int:
    with scratch_app() as (app, url):
        return run(app, url)


def run(app, url: str) -> int:
    from sqlalchemy import text

    from tracker.extensions import db

    print(f"Assure benchmark: {ACTIONS} actions on {db.engine.dialect.name} ({safe(url)})")
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}\n")
    fresh_schema(db, wipe="BENCH_DATABASE_URL" in os.environ)
    cli = app.test_cli_runner()

    started = time.perf_counter()
    loaded = invoke(cli, "demo", "--scale", str(ACTIONS))
    load_seconds = time.perf_counter() - started
    print(loaded.output)
    if db.engine.dialect.name == "postgresql":
        # Autovacuum would soon do this; measuring before it does times a planner without stats.
        with db.engine.connect() as connection:
            connection.execute(text("ANALYZE")).close()
            connection.commit()

    invoke(cli, "users", "create", ADMIN_EMAIL, "--name", "Bench Admin", "--admin", "--no-password")
    token = invoke(cli, "users", "token", ADMIN_EMAIL, "--label", "benchmark").stdout.strip()
    boards = boards_by_size(db)

    rows = [
        (
            "demo --scale %d" % ACTIONS,
            f"{load_seconds:.1f} s",
            f"{TARGET_LOAD_S:.0f} s",
            f"{load_seconds / TARGET_LOAD_S:.2f}",
        )
    ]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    big_id, big_size = boards[-1]
    timing = time_list(client, headers, big_id)
    label = f"GET actions?board=<{big_size} actions>&per_page={PER_PAGE}"
    if isinstance(timing, str):
        rows.append((label, timing, f"{TARGET_LIST_MS:.0f} ms", "-"))
    else:
        median, p95 = timing
        rows.append(
            (
                label + ", median",
                f"{median:.1f} ms",
                f"{TARGET_LIST_MS:.0f} ms",
                f"{median / TARGET_LIST_MS:.2f}",
            )
        )
        rows.append((label + ", p95", f"{p95:.1f} ms", "-", "-"))
    table(("figure", "value", "target", "ratio"), rows)

    print(f"\nSQL queries per list request ({PER_PAGE} a page), by board size:")
    counts = [(size, count_queries(db, client, headers, board_id)) for board_id, size in boards]
    table(("actions on the board", "queries"), [(f"{s}", f"{q}") for s, q in counts])
    numbers = {q for _, q in counts if isinstance(q, int)}
    if numbers:
        verdict = "constant" if len(numbers) == 1 else "GROWS with the board"
        print(f"Queries per request: {verdict} ({', '.join(map(str, sorted(numbers)))}).")

    page_section(app, db, boards)
    return 0


def page_section(app, db, boards) -> None:
    """The board's action list as a signed-in admin sees it: the HTML page, filtered and sorted."""
    from sqlalchemy import select

    from tracker.boards.models import Board

    print(f"\nThe board's action list page (HTML, signed in as an admin, ?{PAGE_QUERY}):")
    client = signed_in_client(app, ADMIN_EMAIL)
    refs = dict(db.session.execute(select(Board.id, Board.ref)).all())
    big_id, big_size = boards[-1]
    rows = []
    for per_page in (50, 100):
        # The page size is a setting (50 by default); the target is for 100 rows.
        app.config["ACTIONS_PER_PAGE"] = per_page
        timing = time_page(client, refs[big_id])
        label = f"GET boards/<{big_size} actions>/actions, {per_page} a page"
        target = TARGET_PAGE_MS if per_page == 100 else None
        if isinstance(timing, str):
            rows.append((label, timing, f"{target:.0f} ms" if target else "-", "-"))
            continue
        median, p95, shown = timing
        rows.append(
            (
                f"{label} ({shown} rows), median",
                f"{median:.1f} ms",
                f"{target:.0f} ms" if target else "-",
                f"{median / target:.2f}" if target else "-",
            )
        )
        rows.append((f"{label}, p95", f"{p95:.1f} ms", "-", "-"))
    app.config.pop("ACTIONS_PER_PAGE", None)
    table(("figure", "value", "target", "ratio"), rows)

    print("\nSQL queries per page request (50 a page), by board size:")
    counts = [(size, count_page_queries(db, client, refs[board_id])) for board_id, size in boards]
    table(("actions on the board", "queries"), [(f"{s}", f"{q}") for s, q in counts])
    numbers = {q for _, q in counts if isinstance(q, int)}
    if numbers:
        verdict = "constant" if len(numbers) == 1 else "GROWS with the board"
        print(f"Queries per page: {verdict} ({', '.join(map(str, sorted(numbers)))}).")


def page_url(ref: str) -> str:
    return f"/boards/{ref}/actions?{PAGE_QUERY}"


def fetch_page(client, ref: str) -> str | int:
    """How many action rows the page shows, or why it did not answer as it should."""
    response = client.get(page_url(ref))
    if response.status_code == 404:
        return "page not available"
    if response.status_code != 200:
        return f"page answered {response.status_code}"
    # One row header (the action's reference) per action in the table.
    return response.get_data(as_text=True).count('<th scope="row"')


def time_page(client, ref: str):
    """(median, p95, rows shown) in milliseconds over RUNS requests after WARM_UP."""
    for _ in range(WARM_UP):
        shown = fetch_page(client, ref)
        if isinstance(shown, str):
            return shown
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(page_url(ref))
        times.append((time.perf_counter() - started) * 1000)
    return (
        statistics.median(times),
        statistics.quantiles(times, n=20, method="inclusive")[-1],
        shown,
    )


def count_page_queries(db, client, ref: str) -> int | str:
    fetch_page(client, ref)  # warm caches, so only the request's own queries count
    with counting(db.engine) as count:
        shown = fetch_page(client, ref)
    return shown if isinstance(shown, str) else count[0]


def signed_in_client(app, email: str):
    """A test client with the person ``email`` signed in, as the session cookie says after the
    sign-in form (no password needed: benchmark people are made with --no-password)."""
    from sqlalchemy import select

    from tracker.extensions import db
    from tracker.people.models import Person

    person = db.session.scalar(select(Person).where(Person.email == email))
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = person.get_id()
        session["_fresh"] = True
    return client


def fresh_schema(db, wipe: bool) -> None:
    """A new SQLite file needs only its tables; a given database is emptied first."""
    if wipe:
        print("BENCH_DATABASE_URL is set: dropping and re-creating its tables.")
        db.drop_all()
    db.create_all()


def invoke(cli, *args: str):
    result = cli.invoke(args=list(args))
    if result.exit_code != 0:
        raise SystemExit(f"`flask {' '.join(args)}` failed:\n{result.output}")
    return result


def boards_by_size(db) -> list[tuple[int, int]]:
    """(board id, number of actions) for a spread of sizes, smallest first.

    The synthetic boards are all large, so a small board and an empty one are added here.
    """
    from sqlalchemy import func, select

    from tracker.actions.models import Action
    from tracker.actions.services import create_action
    from tracker.boards.services import create_board

    sizes = dict(
        db.session.execute(select(Action.board_id, func.count()).group_by(Action.board_id)).all()
    )
    typical = min(sizes, key=lambda b: abs(sizes[b] - statistics.median(sizes.values())))
    biggest = max(sizes, key=sizes.get)
    empty = create_board(None, ref="bench-empty", name="Bench empty board", channel="cli")
    small = create_board(None, ref="bench-small", name="Bench small board", channel="cli")
    for n in range(SMALL_BOARD_ACTIONS):
        create_action(None, small, title=f"Small board action {n + 1}", channel="cli")
    db.session.commit()
    return [
        (empty.id, 0),
        (small.id, SMALL_BOARD_ACTIONS),
        (typical, sizes[typical]),
        (biggest, sizes[biggest]),
    ]


def list_url(board_id: int) -> str:
    return f"/api/v1/actions?board={board_id}&per_page={PER_PAGE}"


def fetch(client, headers, board_id: int) -> str | None:
    """None when the list answered as documented, else why not (for the table)."""
    rules = client.application.url_map.iter_rules()
    if not any(rule.rule == "/api/v1/actions" for rule in rules):
        return "API not available"
    response = client.get(list_url(board_id), headers=headers)
    if response.status_code != 200:
        return f"API answered {response.status_code}"
    if not isinstance((response.get_json(silent=True) or {}).get("items"), list):
        return "API answered without items"
    return None


def time_list(client, headers, board_id: int):
    """(median, p95) in milliseconds over RUNS requests after WARM_UP, or why there are none."""
    for _ in range(WARM_UP):
        problem = fetch(client, headers, board_id)
        if problem:
            return problem
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(list_url(board_id), headers=headers)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), statistics.quantiles(times, n=20, method="inclusive")[-1]


def count_queries(db, client, headers, board_id: int) -> int | str:
    fetch(client, headers, board_id)  # warm caches, so only the request's own queries count
    with counting(db.engine) as count:
        problem = fetch(client, headers, board_id)
    return problem or count[0]


@contextmanager
def counting(engine):
    from sqlalchemy import event

    count = [0]

    def before_cursor_execute(*_args):
        count[0] += 1

    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield count
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        cells = [
            str(c).ljust(w) if i == 0 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells))


def safe(url: str) -> str:
    """The URL without its password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


if __name__ == "__main__":
    sys.exit(main())
