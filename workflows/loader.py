"""Load workflow definitions from TOML files, refusing any that are malformed.

tomllib gives parsed values without positions, so errors find their line by scanning the
raw text for the table header or key concerned; where that fails the line is left out.
"""

import difflib
import re
import tomllib
from collections.abc import Callable, Collection
from pathlib import Path
from typing import NoReturn

from .engine import FIELD_LABELS, ROLES, State, Transition, Workflow
from .errors import DefinitionError

DEFINITIONS_DIR = Path(__file__).parent / "definitions"

APPLIES_TO = ("action", "recommendation")

# Names end up in URLs, database columns and Mermaid diagrams: keep them plain.
_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")


# Each kind: what the error calls it, and how to recognise it.
def _list_of(kind: type) -> Callable[[object], bool]:
    return lambda v: isinstance(v, list) and all(isinstance(x, kind) for x in v)


_KINDS: dict[str, tuple[str, Callable[[object], bool]]] = {
    "text": ("a non-empty string", lambda v: isinstance(v, str) and bool(v.strip())),
    "flag": ("true or false", lambda v: isinstance(v, bool)),
    "names": ("a list of strings", _list_of(str)),
    "table": ("a table", lambda v: isinstance(v, dict)),
    "tables": ("an array of tables", _list_of(dict)),
}

# key: (required, kind)
_WORKFLOW_KEYS = {
    "name": (True, "text"),
    "title": (True, "text"),
    "applies_to": (True, "text"),
    "initial": (True, "text"),
    "description": (False, "text"),
    "states": (True, "table"),
    "transitions": (True, "tables"),
}
_STATE_KEYS = {"label": (True, "text"), "terminal": (False, "flag"), "description": (False, "text")}
_TRANSITION_KEYS = {
    "name": (True, "text"),
    "label": (True, "text"),
    "from": (True, "names"),
    "to": (True, "text"),
    "roles": (True, "names"),
    "requires": (False, "names"),
    "leaves_terminal": (False, "flag"),
    "description": (False, "text"),
}

_HEADER = re.compile(r"\s*\[")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)$")


def load_workflow(path: str | Path) -> Workflow:
    """Load and validate one workflow definition; raise DefinitionError if it is malformed."""
    return _load(Path(path))[0]


def load_all(directory: str | Path = DEFINITIONS_DIR) -> dict[str, Workflow]:
    """Load every ``*.toml`` in ``directory``, keyed by workflow name."""
    directory = Path(directory)
    if not directory.is_dir():
        raise DefinitionError(directory, None, "no such directory")
    workflows: dict[str, Workflow] = {}
    files: dict[str, Path] = {}
    for path in sorted(directory.glob("*.toml")):
        workflow, source = _load(path)
        if workflow.name in workflows:
            source.fail(
                f"duplicate workflow name {workflow.name!r}, also used in {files[workflow.name]}",
                source.top("name"),
            )
        workflows[workflow.name] = workflow
        files[workflow.name] = path
    return workflows


class _Source:
    """The raw text of a definition, for failing with the file and line concerned."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.lines = text.splitlines()

    def fail(self, problem: str, line: int | None = None) -> NoReturn:
        raise DefinitionError(self.path, line, problem)

    def _find(self, pattern: str, start: int = 0, stop: int | None = None) -> int | None:
        """Return the 1-based number of the first line in [start, stop) matching ``pattern``."""
        regex = re.compile(pattern)
        stop = len(self.lines) if stop is None else stop
        for number in range(start, stop):
            if regex.match(self.lines[number]):
                return number + 1
        return None

    def _key_in_block(self, header: int | None, key: str | None) -> int | None:
        """Find ``key = ...`` in the table whose header is on line ``header``, else the header."""
        if header is None or key is None:
            return header
        end = self._find(_HEADER.pattern, header) or len(self.lines) + 1
        return self._find(rf'\s*"?{re.escape(key)}"?\s*=', header, end - 1) or header

    def top(self, key: str | None) -> int | None:
        """Find a top-level key: a ``key =`` line before the first table, or a table header."""
        if key is None:  # the workflow as a whole has no line of its own
            return None
        first_table = self._find(_HEADER.pattern) or len(self.lines) + 1
        return self._find(rf'\s*"?{re.escape(key)}"?\s*=', 0, first_table - 1) or self._find(
            rf'\s*\[\[?\s*"?{re.escape(key)}"?\s*[.\]]'
        )

    def state(self, name: str, key: str | None = None) -> int | None:
        """Find a state's ``[states.<name>]`` header, or the key within it."""
        header = self._find(rf'\s*\[\s*states\s*\.\s*"?{re.escape(name)}"?\s*\]')
        if header is None:  # written inline, e.g. draft = { label = "Draft" }
            return self._find(rf'\s*"?{re.escape(name)}"?\s*[.=]')
        return self._key_in_block(header, key)

    def transition(self, index: int, key: str | None = None) -> int | None:
        """Find the header of the ``index``-th ``[[transitions]]`` table, or the key within it."""
        headers = [
            number
            for number, line in enumerate(self.lines, start=1)
            if re.match(r"\s*\[\[\s*transitions\s*\]\]", line)
        ]
        return self._key_in_block(headers[index], key) if index < len(headers) else None

    def check_table(self, table: dict, spec: dict, where: str, line_of: Callable) -> None:
        """Refuse unknown keys, missing keys and values of the wrong kind."""
        for key in table:
            if key not in spec:
                hint = difflib.get_close_matches(key, spec, n=1)
                guess = f" (did you mean {hint[0]!r}?)" if hint else ""
                self.fail(f"unknown key {key!r} in {where}{guess}", line_of(key))
        for key, (required, kind) in spec.items():
            if key not in table:
                if required:
                    self.fail(f"{where} is missing {key!r}", line_of(None))
                continue
            description, accepts = _KINDS[kind]
            if not accepts(table[key]):
                self.fail(f"{key!r} in {where} must be {description}", line_of(key))

    def names(
        self, values: list[str], known: Collection[str], kind: str, where: str, line: int | None
    ) -> tuple[str, ...]:
        """Check a list of names against the known ones; a repeat is always a slip, so refuse it."""
        for position, value in enumerate(values):
            if value not in known:
                self.fail(
                    f"unknown {kind} {value!r} in {where}; {kind}s are {', '.join(known)}", line
                )
            if value in values[:position]:
                self.fail(f"{value!r} appears twice in {where}", line)
        return tuple(values)


def _load(path: Path) -> tuple[Workflow, _Source]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DefinitionError(path, None, "not UTF-8 text") from None
    except OSError as exc:
        raise DefinitionError(path, None, f"cannot read: {exc.strerror}") from None
    source = _Source(path, text)
    return _parse(source, text), source


def _parse(source: _Source, text: str) -> Workflow:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POSITION.search(message)
        if match:
            source.fail(f"invalid TOML: {message[: match.start()]}", int(match.group(1)))
        # "(at end of document)": the last line is where the parser gave up.
        source.fail(f"invalid TOML: {message}", len(source.lines) or None)

    source.check_table(data, _WORKFLOW_KEYS, "the workflow", source.top)
    if not _NAME.match(data["name"]):
        source.fail(f"workflow name {data['name']!r} must be lower_snake_case", source.top("name"))
    if data["applies_to"] not in APPLIES_TO:
        source.fail(
            f"applies_to must be one of {', '.join(APPLIES_TO)}, not {data['applies_to']!r}",
            source.top("applies_to"),
        )
    states = {name: _state(source, name, raw) for name, raw in data["states"].items()}
    if data["initial"] not in states:
        source.fail(f"initial state {data['initial']!r} is not a state", source.top("initial"))
    if not any(s.terminal for s in states.values()):
        source.fail("no terminal state: nothing could ever be finished", source.top("states"))
    transitions: dict[str, Transition] = {}
    for index, raw in enumerate(data["transitions"]):
        transition = _transition(source, index, raw, states)
        if transition.name in transitions:
            source.fail(
                f"duplicate transition name {transition.name!r}", source.transition(index, "name")
            )
        transitions[transition.name] = transition
    workflow = Workflow(
        name=data["name"],
        title=data["title"],
        applies_to=data["applies_to"],
        initial=data["initial"],
        states=states,
        transitions=transitions,
        description=data.get("description", ""),
    )
    _check_graph(source, workflow)
    return workflow


def _state(source: _Source, name: str, raw: object) -> State:
    if not _NAME.match(name):
        source.fail(f"state name {name!r} must be lower_snake_case", source.state(name))
    if not isinstance(raw, dict):
        source.fail(f"state {name!r} must be a table", source.state(name))
    source.check_table(raw, _STATE_KEYS, f"state {name!r}", lambda key: source.state(name, key))
    return State(
        name=name,
        label=raw["label"],
        terminal=raw.get("terminal", False),
        description=raw.get("description", ""),
    )


def _transition(source: _Source, index: int, raw: dict, states: dict[str, State]) -> Transition:
    def line(key: str | None = None) -> int | None:
        return source.transition(index, key)

    name = raw.get("name")
    where = f"transition {name!r}" if isinstance(name, str) else f"transition #{index + 1}"
    source.check_table(raw, _TRANSITION_KEYS, where, line)
    if not _NAME.match(name):
        source.fail(f"transition name {name!r} must be lower_snake_case", line("name"))
    sources = source.names(raw["from"], states, "state", f"'from' of {where}", line("from"))
    if not sources:
        source.fail(f"{where} has no source states in 'from'", line("from"))
    if raw["to"] not in states:
        source.fail(f"unknown state {raw['to']!r} in 'to' of {where}", line("to"))
    roles = source.names(raw["roles"], ROLES, "role", f"'roles' of {where}", line("roles"))
    if not roles:
        source.fail(f"{where} has no roles: nobody could fire it", line("roles"))
    requires = source.names(
        raw.get("requires", []), FIELD_LABELS, "field", f"'requires' of {where}", line("requires")
    )
    leaves_terminal = raw.get("leaves_terminal", False)
    terminal = [s for s in sources if states[s].terminal]
    if terminal and not leaves_terminal:
        source.fail(
            f"{where} leaves terminal state {terminal[0]!r}; "
            "set leaves_terminal = true if that is intended",
            line("from"),
        )
    if leaves_terminal and not terminal:
        source.fail(
            f"{where} sets leaves_terminal but none of its source states is terminal",
            line("leaves_terminal"),
        )
    return Transition(
        name=name,
        label=raw["label"],
        sources=sources,
        target=raw["to"],
        roles=frozenset(roles),
        requires=requires,
        leaves_terminal=leaves_terminal,
        description=raw.get("description", ""),
    )


def _check_graph(source: _Source, workflow: Workflow) -> None:
    """Refuse states that cannot be reached, and non-terminal states with no way out."""
    reached = {workflow.initial}
    frontier = [workflow.initial]
    while frontier:
        state = frontier.pop()
        for t in workflow.transitions.values():
            if state in t.sources and t.target not in reached:
                reached.add(t.target)
                frontier.append(t.target)
    for name in workflow.states:
        if name not in reached:
            source.fail(
                f"state {name!r} cannot be reached from the initial state {workflow.initial!r}",
                source.state(name),
            )
    for state in workflow.states.values():
        # A transition back to the same state is no way out of it.
        exits = [t for t in workflow.transitions.values() if state.name in t.sources]
        if not state.terminal and all(t.target == state.name for t in exits):
            source.fail(
                f"state {state.name!r} is a dead end: not terminal, and no transition leaves it",
                source.state(state.name),
            )
