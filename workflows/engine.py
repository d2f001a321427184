"""The workflow model: states, transitions, and the rules for firing a transition.

Pure Python on purpose: the rules are tested without an app or a database, and the
service layer turns the errors raised here into answers for the web, the API and the CLI.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .errors import MissingFields, RoleNotAllowed, UnknownState, UnknownTransition, WrongState

# The order here is the order roles are named in messages ("the owner or secretary").
ROLES = ("owner", "member", "secretary", "chair", "admin")

FIELD_LABELS = {"comment": "reason", "evidence": "evidence", "due_on": "new due date"}

# How each field is asked for in a sentence; "evidence" takes no article.
_FIELD_PHRASES = {"comment": "a reason", "evidence": "evidence", "due_on": "a new due date"}


@dataclass(frozen=True)
class State:
    """A state a record can be in."""

    name: str
    label: str
    terminal: bool = False
    description: str = ""


@dataclass(frozen=True)
class Transition:
    """A named move from one of several states to one state, for some roles."""

    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    requires: tuple[str, ...] = ()  # among FIELD_LABELS
    leaves_terminal: bool = False  # must be true if any source is terminal
    description: str = ""


@dataclass(frozen=True)
class Change:
    """The outcome of firing a transition, for the service layer to apply and record."""

    transition: Transition
    source: str
    target: str
    fields: dict  # required and given optional field values, strings stripped


@dataclass(frozen=True, eq=False)
class Workflow:
    """A validated set of states and transitions; build one with ``load_workflow``."""

    name: str
    title: str
    applies_to: str  # "action" or "recommendation"
    initial: str
    states: dict[str, State]
    transitions: dict[str, Transition]  # in definition order
    description: str = ""

    def state(self, name: str) -> State:
        """Return the state called ``name``, or raise UnknownState."""
        try:
            return self.states[name]
        except KeyError:
            raise UnknownState(self.name, name) from None

    def is_terminal(self, state: str) -> bool:
        """Say whether ``state`` is terminal (closed for good, unless explicitly reopened)."""
        return self.state(state).terminal

    def available(self, state: str, roles: str | Iterable[str]) -> list[Transition]:
        """List the transitions these roles may fire from ``state``, in definition order."""
        self.state(state)
        held = _role_set(roles)
        return [t for t in self.transitions.values() if state in t.sources and t.roles & held]

    def fire(
        self,
        state: str,
        transition: str,
        roles: str | Iterable[str],
        fields: Mapping[str, object] | None = None,
    ) -> Change:
        """Check that ``transition`` may be fired and return the Change; nothing is applied.

        Checks run in a fixed order (transition, state, role, fields) so that the error is
        the most fundamental one: no point asking for a reason from someone who may not act.
        Field names outside FIELD_LABELS are ignored: the caller may pass a whole form.
        """
        self.state(state)
        found = self.transitions.get(transition)
        if found is None:
            raise UnknownTransition(
                f"There is no {transition!r} step in the {_lower_first(self.title)}.",
                transition=transition,
                state=state,
            )
        verb = _lower_first(found.label)
        if state not in found.sources:
            allowed = _join([_lower_first(self.states[s].label) for s in found.sources], "or")
            raise WrongState(
                f"Cannot {verb} while the {self.applies_to} is "
                f"{_lower_first(self.states[state].label)}; it must be {allowed}.",
                transition=transition,
                state=state,
                allowed=found.sources,
            )
        if not found.roles & _role_set(roles):
            who = _join([r for r in ROLES if r in found.roles], "or")
            raise RoleNotAllowed(
                f"Only the {who} can {verb}.",
                transition=transition,
                state=state,
                allowed=found.roles,
            )
        given = _clean(fields or {})
        missing = tuple(f for f in found.requires if f not in given)
        if missing:
            wanted = _join([_FIELD_PHRASES[f] for f in missing], "and")
            raise MissingFields(
                f"Give {wanted} to {verb}.",
                transition=transition,
                state=state,
                missing=missing,
            )
        return Change(transition=found, source=state, target=found.target, fields=given)

    def to_mermaid(self) -> str:
        """Draw the workflow as a Mermaid ``stateDiagram-v2``, for documentation."""
        lines = ["stateDiagram-v2"]
        lines += [f'    state "{_mermaid_text(s.label)}" as {s.name}' for s in self.states.values()]
        lines.append(f"    [*] --> {self.initial}")
        for t in self.transitions.values():
            lines += [f"    {s} --> {t.target} : {_mermaid_text(t.label)}" for s in t.sources]
        lines += [f"    {s.name} --> [*]" for s in self.states.values() if s.terminal]
        return "\n".join(lines) + "\n"


def _role_set(roles: str | Iterable[str]) -> frozenset[str]:
    # A bare string is one role, not a set of one-letter roles.
    return frozenset([roles]) if isinstance(roles, str) else frozenset(roles)


def _clean(fields: Mapping[str, object]) -> dict:
    # A blank or whitespace-only value is no answer at all, so it counts as missing.
    return {
        name: value.strip() if isinstance(value, str) else value
        for name, value in fields.items()
        if name in FIELD_LABELS
        and value is not None
        and not (isinstance(value, str) and not value.strip())
    }


def _lower_first(text: str) -> str:
    # Labels are sentence case; keep acronyms ("SLA review") as they are.
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _join(words: list[str], conjunction: str) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def _mermaid_text(text: str) -> str:
    # Quotes end a Mermaid string and semicolons end a statement: use its entity codes.
    # Semicolons first, or the ";" of "#quot;" would be escaped too.
    return text.replace(";", "#59;").replace('"', "#quot;")
