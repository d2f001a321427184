"""Errors raised by the workflow engine and loader.

The API maps firing errors to status codes: UnknownTransition and WrongState to 409,
RoleNotAllowed to 403, MissingFields to 422. The messages are written for the person
who pressed the button, so they can be shown as they are.
"""

from pathlib import Path


class WorkflowError(Exception):
    """Base class for everything the workflow package raises."""


class DefinitionError(WorkflowError):
    """A workflow definition file is malformed; names the file and, where known, the line."""

    def __init__(self, path: str | Path, line: int | None, problem: str):
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}:{line}" if line is not None else f"{path}"
        super().__init__(f"{where}: {problem}")


class UnknownState(WorkflowError):
    """A state name that the workflow does not define (a data problem, not a user's mistake)."""

    def __init__(self, workflow: str, state: str):
        self.workflow = workflow
        self.state = state
        super().__init__(f"The {workflow!r} workflow has no state {state!r}.")


class TransitionError(WorkflowError):
    """A transition could not be fired; ``str(error)`` is a message fit to show the user."""

    def __init__(self, message: str, *, transition: str, state: str):
        self.message = message
        self.transition = transition  # the transition's name, as asked for
        self.state = state  # the state it was asked for from
        super().__init__(message)


class UnknownTransition(TransitionError):
    """The workflow has no transition of that name."""


class WrongState(TransitionError):
    """The transition exists but cannot be fired from the current state."""

    def __init__(self, message: str, *, transition: str, state: str, allowed: tuple[str, ...]):
        super().__init__(message, transition=transition, state=state)
        self.allowed = allowed  # the states it can be fired from


class RoleNotAllowed(TransitionError):
    """None of the roles held may fire the transition."""

    def __init__(self, message: str, *, transition: str, state: str, allowed: frozenset[str]):
        super().__init__(message, transition=transition, state=state)
        self.allowed = allowed  # the roles that may fire it


class MissingFields(TransitionError):
    """Fields the transition requires were not given, or were blank."""

    def __init__(self, message: str, *, transition: str, state: str, missing: tuple[str, ...]):
        super().__init__(message, transition=transition, state=state)
        self.missing = missing
