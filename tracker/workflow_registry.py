"""The workflows the application runs, loaded once per app from ``workflows/definitions``."""

from __future__ import annotations

from flask import Flask, current_app

from tracker.common.errors import InvalidTransition, NotAllowed, ValidationFailed
from workflows import (
    DEFINITIONS_DIR,
    Change,
    MissingFields,
    RoleNotAllowed,
    UnknownTransition,
    Workflow,
    WrongState,
    load_all,
)

ACTION = "action"
RECOMMENDATION = "recommendation"


def init_workflows(app: Flask) -> None:
    directory = app.config.get("WORKFLOWS_DIR") or DEFINITIONS_DIR
    app.extensions["assure.workflows"] = load_all(directory)


def all_workflows() -> dict[str, Workflow]:
    return current_app.extensions["assure.workflows"]


def action_workflows() -> dict[str, Workflow]:
    """The workflows a board may choose for its actions."""
    return {n: w for n, w in all_workflows().items() if w.applies_to == ACTION}


def get_workflow(name: str) -> Workflow:
    try:
        return all_workflows()[name]
    except KeyError:
        known = ", ".join(sorted(all_workflows()))
        raise ValidationFailed(
            {"workflow": f"Unknown workflow {name!r}; choose one of {known}."}
        ) from None


def recommendation_workflow() -> Workflow:
    return get_workflow(RECOMMENDATION)


def fire(workflow: Workflow, state: str, transition: str, roles, fields: dict | None) -> Change:
    """Fire a transition, turning the engine's errors into the service layer's domain errors."""
    try:
        return workflow.fire(state, transition, roles, fields)
    except (UnknownTransition, WrongState) as exc:
        raise InvalidTransition(str(exc)) from exc
    except RoleNotAllowed as exc:
        raise NotAllowed(str(exc)) from exc
    except MissingFields as exc:
        raise ValidationFailed({f: str(exc) for f in exc.missing}, str(exc)) from exc
