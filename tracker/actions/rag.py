"""The RAG rule, written once and evaluated either in Python or in SQL.

Blue: completed, closed (or cancelled: nothing more will be delivered).
Red: overdue (due before today and not finished), blocked, or the owner says red.
Amber: due within the board's amber window with progress under 75%, no accepted update for the
board's stale window, or the owner says amber.
Green: otherwise.

``rule`` states this once over an "ops" object; ``PythonOps`` evaluates it for one action and
``SqlOps`` turns it into a CASE expression so that lists and reports over thousands of actions can
filter, count and sort by RAG in the database. A property test checks that both agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Date, Integer, and_, case, literal, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

BLUE, GREEN, AMBER, RED = "blue", "green", "amber", "red"
RAGS = (BLUE, GREEN, AMBER, RED)
# Words first, colour second: colour is never the only signal.
RAG_LABELS = {BLUE: "Complete", GREEN: "On track", AMBER: "At risk", RED: "Off track"}
FINISHED_STATES = ("completed", "closed", "cancelled")
# Finished and delivered: what the dashboards count as "completed" (cancelled is not delivered).
DELIVERED_STATES = ("completed", "closed")
BLOCKED_STATES = ("blocked",)
AMBER_PROGRESS_BELOW = 75


@dataclass
class RagInputs:
    """What the rule reads: each attribute a Python value or a SQL expression."""

    status: Any
    days_to_due: Any  # due date minus today, in days; None when there is no due date
    days_since_report: Any  # today minus the date progress was last accepted
    progress: Any
    owner_rag: Any
    amber_window_days: Any
    stale_window_days: Any


def is_overdue_rule(x: RagInputs, ops) -> Any:
    return ops.and_(ops.lt(x.days_to_due, 0), ops.not_in(x.status, FINISHED_STATES))


def rule(x: RagInputs, ops) -> Any:
    """The RAG rule itself."""
    return ops.case(
        (ops.in_(x.status, FINISHED_STATES), BLUE),
        (
            ops.or_(
                is_overdue_rule(x, ops),
                ops.in_(x.status, BLOCKED_STATES),
                ops.eq(x.owner_rag, RED),
            ),
            RED,
        ),
        (
            ops.or_(
                ops.and_(
                    ops.le(x.days_to_due, x.amber_window_days),
                    ops.lt(x.progress, AMBER_PROGRESS_BELOW),
                ),
                ops.gt(x.days_since_report, x.stale_window_days),
                ops.eq(x.owner_rag, AMBER),
            ),
            AMBER,
        ),
        else_=GREEN,
    )


class PythonOps:
    """Evaluate the rule on Python values; a comparison with None is false, as in SQL."""

    @staticmethod
    def case(*whens, else_):
        return next((value for condition, value in whens if condition), else_)

    and_ = staticmethod(lambda *conds: all(conds))
    or_ = staticmethod(lambda *conds: any(conds))
    in_ = staticmethod(lambda a, options: a in options)
    not_in = staticmethod(lambda a, options: a is not None and a not in options)
    eq = staticmethod(lambda a, b: a is not None and a == b)
    lt = staticmethod(lambda a, b: a is not None and b is not None and a < b)
    le = staticmethod(lambda a, b: a is not None and b is not None and a <= b)
    gt = staticmethod(lambda a, b: a is not None and b is not None and a > b)


class SqlOps:
    """Build the rule as a SQL expression."""

    @staticmethod
    def case(*whens, else_):
        return case(*whens, else_=else_)

    and_ = staticmethod(and_)
    or_ = staticmethod(or_)
    in_ = staticmethod(lambda a, options: a.in_(options))
    not_in = staticmethod(lambda a, options: a.not_in(options))
    eq = staticmethod(lambda a, b: a == b)
    lt = staticmethod(lambda a, b: a < b)
    le = staticmethod(lambda a, b: a <= b)
    gt = staticmethod(lambda a, b: a > b)


def _days(later: date | None, earlier: date | None) -> int | None:
    if later is None or earlier is None:
        return None
    return (later - earlier).days


def _as_date(value: date | datetime | None) -> date | None:
    return value.astimezone(UTC).date() if isinstance(value, datetime) else value


def python_inputs(action, board, today: date) -> RagInputs:
    return RagInputs(
        status=action.status,
        days_to_due=_days(action.due_on, today),
        days_since_report=_days(today, _as_date(action.progress_reported_at)),
        progress=action.progress,
        owner_rag=action.owner_rag,
        amber_window_days=board.amber_window_days,
        stale_window_days=board.stale_window_days,
    )


def rag_of(action, board, today: date) -> str:
    """The RAG colour of one action, as of ``today`` (London's date)."""
    return rule(python_inputs(action, board, today), PythonOps)


def is_overdue(action, today: date) -> bool:
    """Due before today and not finished."""
    days_to_due = _days(action.due_on, today)
    return is_overdue_rule(RagInputs(action.status, days_to_due, *[None] * 5), PythonOps)


class days_between(FunctionElement):
    """Whole days from ``earlier`` to ``later`` (two dates), on SQLite and PostgreSQL alike."""

    type = Integer()
    inherit_cache = True


@compiles(days_between)
def _days_between_default(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return "CAST(julianday(%s) - julianday(%s) AS INTEGER)" % (
        compiler.process(later, **kw),
        compiler.process(earlier, **kw),
    )


@compiles(days_between, "postgresql")
def _days_between_postgresql(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return "(CAST(%s AS DATE) - CAST(%s AS DATE))" % (
        compiler.process(later, **kw),
        compiler.process(earlier, **kw),
    )


class utc_date(FunctionElement):
    """The UTC calendar date of a timestamp, whatever the session's time zone."""

    type = Date()
    inherit_cache = True


@compiles(utc_date)
def _utc_date_default(element, compiler, **kw):
    return "date(%s)" % compiler.process(element.clauses, **kw)


@compiles(utc_date, "postgresql")
def _utc_date_postgresql(element, compiler, **kw):
    return "CAST((%s AT TIME ZONE 'UTC') AS DATE)" % compiler.process(element.clauses, **kw)


def sql_inputs(action_cls, board_cls, today: date) -> RagInputs:
    today_ = literal(today, Date)
    return RagInputs(
        status=action_cls.status,
        days_to_due=days_between(action_cls.due_on, today_),
        days_since_report=days_between(today_, utc_date(action_cls.progress_reported_at)),
        progress=action_cls.progress,
        owner_rag=action_cls.owner_rag,
        amber_window_days=board_cls.amber_window_days,
        stale_window_days=board_cls.stale_window_days,
    )


def rag_sql(action_cls, board_cls, today: date):
    """The RAG colour as a SQL expression; the query must join ``board_cls``."""
    return rule(sql_inputs(action_cls, board_cls, today), SqlOps)


def overdue_sql(action_cls, today: date):
    """True in SQL for actions due before ``today`` and not finished."""
    days_to_due = days_between(action_cls.due_on, literal(today, Date))
    return is_overdue_rule(RagInputs(action_cls.status, days_to_due, *[None] * 5), SqlOps)
