"""``flask demo``: what the demo data set contains, and loading it only once."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from tracker.actions.models import Action, Update
from tracker.actions.rag import RAGS, is_overdue, rag_of
from tracker.audit.models import Event
from tracker.boards.models import Board, Meeting
from tracker.demo import extras
from tracker.oversight.snapshots import BoardSnapshot
from tracker.people.services import check_password, find_person_by_email
from tracker.reviews.models import Recommendation
from workflows import DEFINITIONS_DIR, load_workflow

TODAY = date(2026, 3, 2)
STATUSES = set(load_workflow(DEFINITIONS_DIR / "standard.toml").states)


@pytest.fixture
def at_today():
    # Midday UTC, so that "now" and London's today are the same date.
    with time_machine.travel(datetime(2026, 3, 2, 12, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def load(app, runner, at_today, monkeypatch, tmp_path):
    monkeypatch.delenv("ASSURE_DEMO_PASSWORD", raising=False)
    monkeypatch.setitem(app.config, "INSTANCE_DIR", tmp_path)

    def load(*args):
        return runner.invoke(args=["demo", "--today", TODAY.isoformat(), *args])

    return load


@pytest.fixture
def demo(load):
    result = load()
    assert result.exit_code == 0, result.output
    return result


def counts(session) -> tuple[int, ...]:
    return tuple(
        session.scalar(select(func.count()).select_from(model))
        for model in (Board, Action, Event, Update, Meeting)
    )


def actions(session) -> list[Action]:
    return list(session.scalars(select(Action)))


def test_every_status_every_rag_overdue_and_blocked(session, demo):
    found = actions(session)
    assert {a.status for a in found} == STATUSES
    assert {rag_of(a, a.board, TODAY) for a in found} == set(RAGS)
    assert any(is_overdue(a, TODAY) for a in found)
    blocked = [a for a in found if a.status == "blocked"]
    assert blocked and all(a.status_reason for a in blocked)


def test_relative_dates_count_from_today(session, demo):
    action = session.scalar(select(Action).where(Action.ref == "TSCP-IM-01"))
    assert action.due_on == TODAY - timedelta(days=35)
    held, meeting = session.scalars(select(Meeting).order_by(Meeting.held_on).limit(2))
    # One meeting already held (the dashboard's "since the last meeting"), then the next.
    assert (held.board.ref, held.held_on) == ("tscp", TODAY - timedelta(days=27))
    assert meeting.held_on == TODAY + timedelta(days=21)
    assert meeting.papers_due_on == TODAY + timedelta(days=10)
    assert session.scalar(select(func.count(Meeting.id))) == 5


def test_six_weeks_of_daily_snapshots_are_back_filled(session, demo):
    boards = session.scalar(select(func.count(Board.id)))
    days = session.scalars(select(BoardSnapshot.taken_on).distinct()).all()
    assert sorted(days) == [TODAY - timedelta(days=n) for n in range(42, -1, -1)]
    assert session.scalar(select(func.count(BoardSnapshot.id))) == boards * 43
    # Worked out for each day: TSCP-IM-01, due 35 days ago, was not overdue 36 days ago.
    tscp = session.scalar(select(Board).where(Board.ref == "tscp"))
    overdue = dict(
        session.execute(
            select(BoardSnapshot.taken_on, BoardSnapshot.overdue).where(
                BoardSnapshot.board_id == tscp.id
            )
        ).all()
    )
    assert overdue[TODAY - timedelta(days=36)] == 0
    assert overdue[TODAY - timedelta(days=34)] == 1


def test_statuses_are_reached_through_the_workflow(session, demo):
    action = session.scalar(select(Action).where(Action.ref == "TSCP-IM-07"))
    verbs = [e.verb for e in session.scalars(select(Event).where(Event.action_id == action.id))]
    assert verbs[0] == "created"
    assert [v for v in verbs if v.startswith("transition:")] == [
        "transition:open",
        "transition:start",
        "transition:complete",
        "transition:close",
    ]
    blocked = session.scalar(select(Action).where(Action.ref == "TSCP-IM-05"))
    assert blocked.status_reason.startswith("Housing provider data-sharing agreement")
    events = session.scalars(select(Event).where(Event.action_id.is_not(None))).all()
    assert {(e.channel, e.actor_id) for e in events} == {("cli", None)}


def test_progress_and_owner_rag_come_from_accepted_updates(session, demo):
    for action in actions(session):
        if action.progress and action.status not in ("completed", "closed"):
            accepted = [u for u in action.updates if u.state == "accepted"]
            assert accepted, action.ref
            assert accepted[-1].progress == action.progress
            assert accepted[-1].author == action.owner
    owner_amber = session.scalar(select(Action).where(Action.ref == "TSCP-IM-01"))
    assert owner_amber.owner_rag == "amber"


def test_some_updates_await_acceptance(session, demo):
    waiting = session.scalars(select(Update).where(Update.state == "submitted")).all()
    assert len(waiting) == len(extras.EXTRAS["nw-infant-mortality-2016"]["pending_updates"])
    assert any(u.proposed_due_on for u in waiting)
    assert any(u.transition for u in waiting)


def test_recommendations_are_adopted_by_the_right_boards(session, demo):
    boards = set(session.scalars(select(Board)))
    recommendations = {r.ref: r for r in session.scalars(select(Recommendation))}
    for ref in ("R16", "R17", "R18"):
        assert set(recommendations[ref].boards) == boards
        assert recommendations[ref].status == "adopted"
    cdop = session.scalar(select(Board).where(Board.ref == "sttcdop"))
    assert all(cdop in r.boards for r in recommendations.values() if r.level == "sub-regional")
    for action in actions(session):
        assert action.board in action.recommendation.boards
        assert action.recommendation.status == "in_progress"


def test_sign_ins_are_printed_and_work(session, demo):
    assert "Demo sign-ins" in demo.output
    for email in ("admin@assure.example", "secretary@tameside.example", "chair@tameside.example"):
        password = re.search(rf"{re.escape(email)}\s+(\S+)", demo.output).group(1)
        assert check_password(find_person_by_email(email), password), email
    assert find_person_by_email("admin@assure.example").is_admin
    # Action owners never sign in.
    assert find_person_by_email("midwifery@trust.example").password_hash is None


def test_password_from_the_environment(session, load, monkeypatch):
    monkeypatch.setenv("ASSURE_DEMO_PASSWORD", "demo-password-for-all")
    result = load()
    assert result.exit_code == 0, result.output
    assert "demo-password-for-all" not in result.output
    assert "(the password in ASSURE_DEMO_PASSWORD)" in result.output
    chair = find_person_by_email("chair@tameside.example")
    assert check_password(chair, "demo-password-for-all")


def test_a_short_password_from_the_environment_is_refused(session, load, monkeypatch):
    monkeypatch.setenv("ASSURE_DEMO_PASSWORD", "short")
    result = load()
    assert result.exit_code == 1
    assert "ASSURE_DEMO_PASSWORD: Use a password of at least 12 characters" in result.output
    assert counts(session) == (0, 0, 0, 0, 0)


def test_if_empty_does_nothing_once_loaded(session, demo, load):
    before = counts(session)
    result = load("--if-empty")
    assert result.exit_code == 0, result.output
    assert "already loaded" in result.output
    assert counts(session) == before


def test_later_starts_show_the_same_sign_ins_again(demo, load, app):
    first = [line for line in demo.output.splitlines() if "@" in line]
    again = load("--if-empty").output
    assert first and all(line in again for line in first)
    sign_ins = app.config["INSTANCE_DIR"] / "demo-sign-ins.txt"
    assert sign_ins.stat().st_mode & 0o077 == 0


def test_if_empty_loads_an_empty_database(session, load):
    result = load("--if-empty")
    assert result.exit_code == 0, result.output
    assert "Demo sign-ins" in result.output
    assert counts(session)[0] == 5


def test_loading_twice_is_refused_and_changes_nothing(session, demo, load):
    before = counts(session)
    result = load()
    assert result.exit_code == 1
    assert "already has 5 boards" in result.output
    assert "Nothing was changed" in result.output
    assert counts(session) == before


def test_a_broken_data_set_rolls_everything_back(session, load, monkeypatch):
    broken = dict(extras.EXTRAS["nw-infant-mortality-2016"])
    broken["pending_updates"] = [{"action": "NOPE-01", "narrative": "Lost."}]
    monkeypatch.setitem(extras.EXTRAS, "nw-infant-mortality-2016", broken)
    result = load()
    assert result.exit_code == 1
    assert "a pending update names an unknown action 'NOPE-01'" in result.output
    assert counts(session) == (0, 0, 0, 0, 0)


def test_a_bad_today_is_a_usage_error(runner, session):
    result = runner.invoke(args=["demo", "--today", "02/03/2026"])
    assert result.exit_code == 2
    assert "Invalid value for '--today'" in result.output
