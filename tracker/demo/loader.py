"""Load the demo data sets (``data/*.yaml``) into an empty database through the service layer.

Everything goes through the same service functions a person would use, as the command-line
operator (actor None, channel "cli"), so the demo has the events, updates and workflow history
of real use. Relative dates in the YAML (``due_in_days``, ``in_days``, ``papers_in_days``) are
counted from ``today``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml
from sqlalchemy import func, select

from tracker.actions.services import create_action
from tracker.boards.models import Board
from tracker.boards.services import add_meeting, add_member, create_board
from tracker.common.errors import ValidationFailed
from tracker.demo.extras import ADMIN, EXTRAS, SIGN_IN_EMAILS
from tracker.demo.histories import CLI, bring_to_status, submit_pending
from tracker.demo.trend import backfill_snapshots
from tracker.extensions import db
from tracker.people.models import Locality
from tracker.people.services import create_person, get_or_create_organisation
from tracker.reviews.services import (
    add_recommendation,
    create_review,
    fire_recommendation_transition,
    get_or_create_themes,
)

DATA_DIR = Path(__file__).parent / "data"
CDOP = "child death overview panel"


@dataclass
class DemoResult:
    """What was loaded, and who can sign in with which password."""

    counts: dict[str, int] = field(default_factory=dict)
    sign_ins: list[tuple[str, str, str]] = field(default_factory=list)  # (role, email, password)

    def add(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n


def load_demo(today: date, password: str | None = None, data_dir: Path = DATA_DIR) -> DemoResult:
    """Load every data set in ``data_dir`` and an admin; ``password`` for all sign-ins if given."""
    files = sorted(Path(data_dir).glob("*.yaml"))
    if not files:
        raise ValidationFailed({"demo data": f"there are no *.yaml files in {data_dir}"})
    result = DemoResult()
    passwords = (lambda: password) if password else (lambda: secrets.token_urlsafe(12))
    admin_password = passwords()
    create_person(
        None,
        name=ADMIN["name"],
        email=ADMIN["email"],
        organisation=ADMIN["organisation"],
        job_title=ADMIN["title"],
        password=admin_password,
        is_admin=True,
        channel=CLI,
    )
    result.add("people")
    result.sign_ins.append(("admin", ADMIN["email"], admin_password))
    for path in files:
        _DataSet(path, today, passwords, result).load()
    result.add("days of snapshots", backfill_snapshots(today))
    return result


class _DataSet:
    """One YAML file, with the demo loader's extras for it, loaded in dependency order."""

    def __init__(self, path: Path, today: date, passwords, result: DemoResult) -> None:
        self.path, self.today, self.passwords, self.result = path, today, passwords, result
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        self.data = dict(data)
        for key, items in EXTRAS.get(path.stem, {}).items():
            self.data[key] = list(data.get(key) or []) + items
        self.boards: dict[str, Board] = {}
        self.people: dict = {}
        self.recommendations: dict = {}
        self.actions: dict = {}

    def pick(self, table: dict, key: str, what: str, where: str):
        try:
            return table[key]
        except KeyError:
            raise ValidationFailed(
                {"demo data": f"{self.path.name}: {where} names an unknown {what} {key!r}"}
            ) from None

    def load(self) -> None:
        self.load_places()
        self.load_boards()
        self.load_people()
        self.load_review()
        self.load_actions()
        for spec in self.data.get("pending_updates", []):
            action = self.pick(self.actions, spec["action"], "action", "a pending update")
            submit_pending(action, spec, self.today)
            self.result.add("updates awaiting acceptance")
        for spec in self.data.get("meetings", []):
            board = self.pick(self.boards, spec["board"], "board", "a meeting")
            add_meeting(
                None,
                board,
                held_on=self.today + timedelta(days=spec["in_days"]),
                papers_due_on=self.today + timedelta(days=spec["papers_in_days"]),
                channel=CLI,
            )
            self.result.add("meetings")

    def load_places(self) -> None:
        # There is no service for localities yet: they are reference data, added here directly.
        for spec in self.data.get("localities", []):
            if db.session.scalar(select(Locality.id).where(Locality.name == spec["name"])):
                continue
            parent = None
            if spec.get("parent"):
                parent = db.session.scalar(select(Locality).where(Locality.name == spec["parent"]))
                if parent is None:
                    self.pick({}, spec["parent"], "parent locality", spec["name"])
            db.session.add(Locality(name=spec["name"], kind=spec["kind"], parent=parent))
            db.session.flush()
        for name in self.data.get("organisations", []):
            get_or_create_organisation(name)
        get_or_create_themes(self.data.get("themes", []))

    def load_boards(self) -> None:
        for spec in self.data.get("boards", []):
            values = {k: spec[k] for k in ("name", "kind", "locality", "workflow") if k in spec}
            self.boards[spec["key"]] = create_board(None, ref=spec["key"], channel=CLI, **values)
            self.result.add("boards")

    def load_people(self) -> None:
        for spec in self.data.get("people", []):
            signs_in = spec["email"] in SIGN_IN_EMAILS
            password = self.passwords() if signs_in else None
            person = create_person(
                None,
                name=spec["name"],
                email=spec["email"],
                organisation=spec.get("organisation"),
                job_title=spec.get("title", ""),
                password=password,
                channel=CLI,
            )
            self.people[spec["key"]] = person
            self.result.add("people")
            roles = []
            for board_key, role in spec.get("memberships", []):
                board = self.pick(self.boards, board_key, "board", spec["key"])
                add_member(None, board, person, role, channel=CLI)
                roles.append(role)
            if signs_in:
                self.result.sign_ins.append(
                    (roles[0] if roles else "member", person.email, password)
                )

    def adopters(self, spec: dict) -> list[Board]:
        """The boards a recommendation is for: those with actions for it, and by its level."""
        refs = {
            a["board"] for a in self.data.get("actions", []) if a["recommendation"] == spec["ref"]
        }
        chosen = [
            self.pick(self.boards, ref, "board", f"an action for {spec['ref']}") for ref in refs
        ]
        if spec.get("level") == "regional":
            chosen = list(self.boards.values())
        elif spec.get("level") == "sub-regional":
            chosen += [b for b in self.boards.values() if b.kind == CDOP]
        return sorted(set(chosen), key=lambda b: b.ref)

    def load_review(self) -> None:
        spec = self.data.get("review")
        if not spec:
            return
        values = {k: v.strip() if isinstance(v, str) else v for k, v in spec.items()}
        review = create_review(None, channel=CLI, **values)
        with_actions = {a["recommendation"] for a in self.data.get("actions", [])}
        for rec in self.data.get("recommendations", []):
            boards = self.adopters(rec)
            recommendation = add_recommendation(
                None,
                review,
                ref=rec["ref"],
                text=rec["text"],
                level=rec.get("level", "local"),
                themes=rec.get("themes", []),
                boards=boards,
                channel=CLI,
            )
            # Its own status follows: adopted by its boards, under way once it has actions.
            steps = ["adopt"] if boards else []
            if rec["ref"] in with_actions:
                steps.append("start")
            for step in steps:
                fire_recommendation_transition(None, recommendation, step, channel=CLI)
            self.recommendations[rec["ref"]] = recommendation
            self.result.add("recommendations")

    def load_actions(self) -> None:
        for spec in self.data.get("actions", []):
            where = f"action {spec.get('ref')}"
            board = self.pick(self.boards, spec["board"], "board", where)
            owner = self.pick(self.people, spec["owner"], "person", where)
            recommendation = self.pick(
                self.recommendations, spec["recommendation"], "recommendation", where
            )
            days = spec.get("due_in_days")
            action = create_action(
                None,
                board,
                title=spec["title"],
                recommendation=recommendation,
                ref=spec.get("ref"),
                description=spec.get("description") or recommendation.text,
                owner=owner,
                lead_organisation=owner.organisation,
                due_on=self.today + timedelta(days=days) if days is not None else None,
                success_measure=spec.get("success_measure", ""),
                channel=CLI,
            )
            bring_to_status(action, spec)
            self.actions[action.ref] = action
            self.result.add("actions")


def board_count() -> int:
    return db.session.scalar(select(func.count(Board.id)))
