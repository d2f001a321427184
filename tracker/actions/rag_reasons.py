"""Why an action has its RAG colour, in words ("Off track: overdue by 12 days").

The words come from evaluating the one rule in ``tracker.actions.rag`` with ``ExplainingOps``:
the same comparisons ``PythonOps`` makes, each also saying in words what it found when it
holds. The colour returned is the rule's own answer, so the words cannot drift from the colour;
only the phrases below are written here, one per comparison the rule makes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from tracker.actions.rag import (
    BLOCKED_STATES,
    FINISHED_STATES,
    RAG_LABELS,
    PythonOps,
    RagInputs,
    python_inputs,
    rule,
)


@dataclass(frozen=True)
class RagExplanation:
    """A colour and the reasons for it; each reason is one condition of the rule that held."""

    rag: str
    reasons: tuple[str, ...]

    @property
    def label(self) -> str:
        return RAG_LABELS[self.rag]

    @property
    def text(self) -> str:
        """``Off track: overdue by 12 days; blocked``; just the label when nothing explains it."""
        return f"{self.label}: {'; '.join(self.reasons)}" if self.reasons else self.label


@dataclass(frozen=True)
class Named:
    """One of the rule's inputs, carrying its name so that a comparison can be put in words."""

    name: str
    value: Any


@dataclass(frozen=True)
class Fact:
    """The outcome of a condition: whether it holds, and why (reasons, each a list of parts)."""

    holds: bool
    reasons: tuple[tuple[str, ...], ...] = ()

    def __bool__(self) -> bool:
        return self.holds


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _in_states(status: Named, options) -> str | None:
    if tuple(options) == tuple(BLOCKED_STATES):
        return "blocked"
    if tuple(options) == tuple(FINISHED_STATES):
        return f"the action is {status.value.replace('_', ' ')}"
    return None


# What each comparison of the rule means when it holds, keyed by (operation, input). None: the
# comparison only qualifies another (overdue needs "not finished"), and needs no words.
PHRASES: dict[tuple[str, str], Callable[[Any, Any], str | None]] = {
    ("lt", "days_to_due"): lambda a, b: f"overdue by {_days(-a.value)}",
    ("not_in", "status"): lambda a, b: None,
    ("in_", "status"): _in_states,
    ("eq", "owner_rag"): lambda a, b: f"owner says {RAG_LABELS[b].lower()}",
    ("le", "days_to_due"): lambda a, b: f"due within {_days(_value(b))}",
    ("lt", "progress"): lambda a, b: f"under {_value(b)}% done",
    ("gt", "days_since_report"): lambda a, b: f"no accepted update for {_days(a.value)}",
}


def _value(x: Any) -> Any:
    return x.value if isinstance(x, Named) else x


def _leaf(operation: str):
    compare = getattr(PythonOps, operation)

    def evaluate(a, b) -> Fact:
        if not compare(_value(a), _value(b)):
            return Fact(False)
        name = a.name if isinstance(a, Named) else "?"
        phrase = PHRASES.get((operation, name))
        # A comparison added to the rule without words here still explains itself, plainly;
        # a test makes sure every comparison the rule makes has its phrase.
        words = phrase(a, b) if phrase else f"{name} {operation} {_value(b)}"
        return Fact(True, ((words,) if words else (),))

    return staticmethod(evaluate)


class ExplainingOps:
    """``PythonOps`` that also say which conditions held; ``case`` returns (value, reasons)."""

    @staticmethod
    def case(*whens, else_):
        for condition, value in whens:
            if condition:
                return value, condition.reasons
        return else_, ()

    @staticmethod
    def and_(*facts: Fact) -> Fact:
        if not all(facts):
            return Fact(False)
        # Every part of an "and" is one reason: "due within 14 days and under 75% done".
        return Fact(True, (tuple(part for f in facts for r in f.reasons for part in r),))

    @staticmethod
    def or_(*facts: Fact) -> Fact:
        held = [f for f in facts if f]
        return Fact(bool(held), tuple(r for f in held for r in f.reasons))

    in_ = _leaf("in_")
    not_in = _leaf("not_in")
    eq = _leaf("eq")
    lt = _leaf("lt")
    le = _leaf("le")
    gt = _leaf("gt")


def explain(inputs: RagInputs) -> RagExplanation:
    """The rule's colour for ``inputs`` (plain Python values) with its reasons in words."""
    named = RagInputs(**{f.name: Named(f.name, getattr(inputs, f.name)) for f in fields(inputs)})
    rag, reasons = rule(named, ExplainingOps)
    words = tuple(" and ".join(parts) for parts in reasons if parts)
    return RagExplanation(rag, words)


def rag_reasons(action, board, today: date) -> RagExplanation:
    """Why ``action`` on ``board`` is the colour it is as of ``today`` (London's date)."""
    return explain(python_inputs(action, board, today))
