"""Workflow engine: action and recommendation workflows defined as data and validated on load.

Pure Python: imports neither Flask nor SQLAlchemy, so the rules can be tested on their own.
"""

from .engine import FIELD_LABELS, ROLES, Change, State, Transition, Workflow
from .errors import (
    DefinitionError,
    MissingFields,
    RoleNotAllowed,
    TransitionError,
    UnknownState,
    UnknownTransition,
    WorkflowError,
    WrongState,
)
from .loader import APPLIES_TO, DEFINITIONS_DIR, load_all, load_workflow

__all__ = [
    "APPLIES_TO",
    "DEFINITIONS_DIR",
    "FIELD_LABELS",
    "ROLES",
    "Change",
    "DefinitionError",
    "MissingFields",
    "RoleNotAllowed",
    "State",
    "Transition",
    "TransitionError",
    "UnknownState",
    "UnknownTransition",
    "Workflow",
    "WorkflowError",
    "WrongState",
    "load_all",
    "load_workflow",
]
