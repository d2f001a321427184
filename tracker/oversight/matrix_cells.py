"""The cells of the review-wide matrix: the state rule, written once, and completion figures.

``cell_state`` reads the counts the matrix's GROUP BY returns for one (recommendation, board)
pair (``CellCounts``); the page, the spreadsheet and the API all show what it decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.actions.rag import AMBER, BLUE, FINISHED_STATES, GREEN, RAG_LABELS, RED

NOT_STARTED, NOT_ADOPTED = "not_started", "not_adopted"
# Worst first: the order of the key, and of a cell's "which is worse".
STATES = (RED, AMBER, GREEN, BLUE, NOT_STARTED, NOT_ADOPTED)
STATE_LABELS = {**RAG_LABELS, NOT_STARTED: "Not started", NOT_ADOPTED: "Not adopted"}
STATE_MEANINGS = {
    RED: "At least one action is off track: overdue, blocked, or its owner says so.",
    AMBER: "None is off track, and at least one is at risk: due soon with little progress, "
    "no report for a while, or its owner says so.",
    GREEN: "Work is under way and no action is at risk or off track.",
    BLUE: "Every action is completed or closed.",
    NOT_STARTED: "The board adopted the recommendation but has no actions for it yet, or none "
    "of its actions has started (each is a draft, or open with no progress) and none is at "
    "risk or off track.",
    NOT_ADOPTED: "The recommendation is not one the board adopted, and it has no actions for it.",
}
# Actions that have not started: a draft, or open with nothing reported.
WAITING_STATES = ("draft", "open")
CANCELLED = "cancelled"
# Completed or closed: the actions that count as complete. A cancelled action is neither
# complete nor outstanding, so it is left out of both sides of every completion figure.
DONE_STATES = tuple(state for state in FINISHED_STATES if state != CANCELLED)


@dataclass(frozen=True)
class CellCounts:
    """One board's actions for one recommendation, counted by the matrix's GROUP BY."""

    actions: int = 0  # all of them, cancelled ones included
    cancelled: int = 0
    complete: int = 0  # completed or closed
    waiting: int = 0  # live actions not yet started: draft, or open with no progress
    worst: str | None = None  # the worst RAG colour among them (a cancelled one is blue)

    @property
    def live(self) -> int:
        """The actions that count: all but the cancelled ones."""
        return self.actions - self.cancelled


def cell_state(counts: CellCounts, adopted: bool) -> str:
    """The state of one cell: one of STATES.

    - no live action (none, or all cancelled): "not started" if the board adopted the
      recommendation (or had actions for it, since cancelled), else "not adopted";
    - any live action off track (red): "off track"; else any at risk (amber): "at risk";
    - every live action completed or closed: "complete";
    - every live action a draft or open with 0% progress: "not started";
    - otherwise: "on track".

    Risk comes before "not started" so that an overdue action that never started shows as off
    track, not as grey.
    """
    if counts.live == 0:
        return NOT_STARTED if adopted or counts.actions else NOT_ADOPTED
    if counts.worst in (RED, AMBER):
        return counts.worst
    if counts.complete == counts.live:
        return BLUE
    if counts.waiting == counts.live:
        return NOT_STARTED
    return GREEN


def percent(complete: int, live: int) -> int | None:
    """Whole per cent complete, rounded down (99.6% is not yet 100%); None with no actions."""
    return complete * 100 // live if live else None


@dataclass(frozen=True)
class Cell:
    state: str
    complete: int
    live: int
    has_actions: bool  # live or cancelled: whether the board's list has anything to show
    adopted: bool  # the board adopted the recommendation (its list can filter by it)

    @property
    def links_to_actions(self) -> bool:
        return self.has_actions and self.adopted

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def percent(self) -> int | None:
        return percent(self.complete, self.live)

    @property
    def summary(self) -> str:
        """``At risk — 2 of 5 complete``, or just the word when there are no live actions."""
        if not self.live:
            return self.label
        return f"{self.label} — {self.complete} of {self.live} complete"


@dataclass(frozen=True)
class Completion:
    """Completed or closed actions out of the live ones, over a row, a column or everything."""

    complete: int
    live: int

    @property
    def percent(self) -> int | None:
        return percent(self.complete, self.live)

    @property
    def text(self) -> str:
        if not self.live:
            return "No actions"
        return f"{self.percent}% ({self.complete} of {self.live})"
