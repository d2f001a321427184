"""Firing transitions in the shipped workflows: every rule, every error and its message."""

import dataclasses
import datetime
import subprocess
import sys
from pathlib import Path

import pytest

import workflows
from workflows import (
    FIELD_LABELS,
    ROLES,
    Change,
    MissingFields,
    RoleNotAllowed,
    State,
    Transition,
    TransitionError,
    UnknownState,
    UnknownTransition,
    Workflow,
    WorkflowError,
    WrongState,
    load_all,
)

WORKFLOWS = load_all()
STANDARD = WORKFLOWS["standard"]
ASSURED = WORKFLOWS["assured"]
RECOMMENDATION = WORKFLOWS["recommendation"]

OWNER_OR_SECRETARY = {"owner", "secretary"}
SIGN_OFF = {"secretary", "chair"}
BOARD = {"secretary", "chair"}

# workflow: {transition: (sources, target, roles, requires)}
RULES = {
    "standard": {
        "open": ({"draft"}, "open", {"secretary"}, ()),
        "start": ({"open"}, "in_progress", OWNER_OR_SECRETARY, ()),
        "block": ({"open", "in_progress"}, "blocked", OWNER_OR_SECRETARY, ("comment",)),
        "unblock": ({"blocked"}, "in_progress", OWNER_OR_SECRETARY, ()),
        "complete": ({"open", "in_progress"}, "completed", OWNER_OR_SECRETARY, ("evidence",)),
        "close": ({"completed"}, "closed", SIGN_OFF, ()),
        "send_back": ({"completed"}, "in_progress", SIGN_OFF, ("comment",)),
        "cancel": (
            {"draft", "open", "in_progress", "blocked"},
            "cancelled",
            {"secretary"},
            ("comment",),
        ),
        "reinstate": ({"cancelled"}, "open", {"secretary"}, ("comment",)),
    },
    "recommendation": {
        "adopt": ({"proposed"}, "adopted", BOARD, ()),
        "decline": ({"proposed"}, "not_adopted", BOARD, ("comment",)),
        "start": ({"adopted"}, "in_progress", BOARD, ()),
        "implement": ({"in_progress"}, "implemented", BOARD, ("evidence",)),
        "close": ({"implemented"}, "closed", {"chair"}, ()),
        "reopen": ({"implemented"}, "in_progress", BOARD, ("comment",)),
    },
}
# The assured workflow differs from the standard one only in who may sign off.
RULES["assured"] = {**RULES["standard"], "close": ({"completed"}, "closed", {"chair"}, ())}

CASES = [
    pytest.param(workflow, name, *rule, id=f"{workflow}.{name}")
    for workflow, rules in RULES.items()
    for name, rule in rules.items()
]


def filled(requires):
    """Give every required field a value, padded to show it comes back stripped."""
    return {field: f"  {field} given  " for field in requires}


@pytest.mark.parametrize("workflow", sorted(RULES))
def test_each_workflow_has_exactly_the_expected_transitions(workflow):
    assert list(WORKFLOWS[workflow].transitions) == list(RULES[workflow])


@pytest.mark.parametrize(("workflow", "name", "sources", "target", "roles", "requires"), CASES)
def test_transition_is_defined_as_expected(workflow, name, sources, target, roles, requires):
    transition = WORKFLOWS[workflow].transitions[name]
    assert set(transition.sources) == sources
    assert transition.target == target
    assert transition.roles == roles
    assert transition.requires == requires


@pytest.mark.parametrize(("workflow", "name", "sources", "target", "roles", "requires"), CASES)
def test_fires_from_each_source_for_each_allowed_role(
    workflow, name, sources, target, roles, requires
):
    for source in sources:
        for role in roles:
            change = WORKFLOWS[workflow].fire(source, name, role, filled(requires))
            assert change == Change(
                transition=WORKFLOWS[workflow].transitions[name],
                source=source,
                target=target,
                fields={field: f"{field} given" for field in requires},
            )


@pytest.mark.parametrize(("workflow", "name", "sources", "target", "roles", "requires"), CASES)
def test_refuses_every_other_role(workflow, name, sources, target, roles, requires):
    source = sorted(sources)[0]
    for role in set(ROLES) - roles:
        with pytest.raises(RoleNotAllowed):
            WORKFLOWS[workflow].fire(source, name, role, filled(requires))


@pytest.mark.parametrize(("workflow", "name", "sources", "target", "roles", "requires"), CASES)
def test_refuses_every_other_state(workflow, name, sources, target, roles, requires):
    for state in set(WORKFLOWS[workflow].states) - sources:
        with pytest.raises(WrongState):
            WORKFLOWS[workflow].fire(state, name, roles, filled(requires))


@pytest.mark.parametrize(("workflow", "name", "sources", "target", "roles", "requires"), CASES)
@pytest.mark.parametrize("blank", [None, "", "   ", "\t\n"])
def test_refuses_missing_or_blank_required_fields(
    workflow, name, sources, target, roles, requires, blank
):
    source = sorted(sources)[0]
    for field in requires:
        given = filled(requires)
        del given[field]
        with pytest.raises(MissingFields) as missing:
            WORKFLOWS[workflow].fire(source, name, roles, given)
        assert missing.value.missing == (field,)
        with pytest.raises(MissingFields):
            WORKFLOWS[workflow].fire(source, name, roles, {**given, field: blank})


def test_only_reinstate_leaves_a_terminal_state():
    leaving = [
        (workflow.name, t.name)
        for workflow in WORKFLOWS.values()
        for t in workflow.transitions.values()
        if t.leaves_terminal
    ]
    assert sorted(leaving) == [("assured", "reinstate"), ("standard", "reinstate")]


def test_assured_repeats_standard_apart_from_sign_off():
    assert ASSURED.states == STANDARD.states
    assert (ASSURED.applies_to, ASSURED.initial) == (STANDARD.applies_to, STANDARD.initial)
    for name, transition in STANDARD.transitions.items():
        if name != "close":
            assert ASSURED.transitions[name] == transition
    assert ASSURED.transitions["close"] == dataclasses.replace(
        STANDARD.transitions["close"], roles=frozenset({"chair"})
    )


def test_unknown_transition_message_and_attributes():
    with pytest.raises(UnknownTransition) as error:
        STANDARD.fire("open", "fly", "chair")
    assert str(error.value) == "There is no 'fly' step in the standard action workflow."
    assert (error.value.transition, error.value.state) == ("fly", "open")


@pytest.mark.parametrize(
    ("workflow", "state", "name", "message"),
    [
        (
            STANDARD,
            "draft",
            "close",
            "Cannot sign off and close while the action is draft; it must be completed.",
        ),
        (
            STANDARD,
            "completed",
            "block",
            "Cannot mark as blocked while the action is completed; it must be open or in progress.",
        ),
        (
            STANDARD,
            "closed",
            "cancel",
            "Cannot cancel action while the action is closed; "
            "it must be draft, open, in progress or blocked.",
        ),
        (
            RECOMMENDATION,
            "proposed",
            "implement",
            "Cannot mark as implemented while the recommendation is proposed; "
            "it must be in progress.",
        ),
    ],
)
def test_wrong_state_message_names_the_allowed_states(workflow, state, name, message):
    with pytest.raises(WrongState) as error:
        workflow.fire(state, name, ROLES)
    assert str(error.value) == message
    assert (error.value.transition, error.value.state) == (name, state)
    assert error.value.allowed == workflow.transitions[name].sources


@pytest.mark.parametrize(
    ("workflow", "state", "name", "role", "message"),
    [
        (
            STANDARD,
            "completed",
            "close",
            "owner",
            "Only the secretary or chair can sign off and close.",
        ),
        (ASSURED, "completed", "close", "secretary", "Only the chair can sign off and close."),
        (STANDARD, "open", "start", "member", "Only the owner or secretary can start work."),
        (STANDARD, "cancelled", "reinstate", "chair", "Only the secretary can reinstate."),
        (RECOMMENDATION, "proposed", "adopt", "owner", "Only the secretary or chair can adopt."),
    ],
)
def test_role_not_allowed_message_names_who_may(workflow, state, name, role, message):
    with pytest.raises(RoleNotAllowed) as error:
        workflow.fire(state, name, role, {"comment": "why"})
    assert str(error.value) == message
    assert (error.value.transition, error.value.state) == (name, state)
    assert error.value.allowed == workflow.transitions[name].roles


@pytest.mark.parametrize(
    ("workflow", "state", "name", "message"),
    [
        (STANDARD, "open", "block", "Give a reason to mark as blocked."),
        (STANDARD, "in_progress", "complete", "Give evidence to mark as complete."),
        (STANDARD, "completed", "send_back", "Give a reason to refuse sign-off."),
        (STANDARD, "cancelled", "reinstate", "Give a reason to reinstate."),
        (RECOMMENDATION, "proposed", "decline", "Give a reason to decline."),
    ],
)
def test_missing_fields_message_says_what_is_needed_and_why(workflow, state, name, message):
    with pytest.raises(MissingFields) as error:
        workflow.fire(state, name, ROLES, {"comment": "  ", "evidence": ""})
    assert str(error.value) == message
    assert (error.value.transition, error.value.state) == (name, state)


def make_reschedule_workflow():
    """A workflow built by hand, with a transition that needs two fields."""
    states = {
        "open": State("open", "Open"),
        "done": State("done", "Done", terminal=True),
    }
    transitions = {
        "reschedule": Transition(
            "reschedule",
            "Reschedule",
            ("open",),
            "open",
            frozenset({"owner"}),
            requires=("comment", "due_on"),
        ),
        "finish": Transition("finish", "Finish", ("open",), "done", frozenset({"owner"})),
    }
    return Workflow("demo", "Demo workflow", "action", "open", states, transitions)


def test_missing_fields_lists_every_missing_field_in_order():
    with pytest.raises(MissingFields) as error:
        make_reschedule_workflow().fire("open", "reschedule", "owner", {})
    assert error.value.missing == ("comment", "due_on")
    assert str(error.value) == ("Give a reason and a new due date to reschedule.")


def test_due_on_is_passed_through_as_given():
    due = datetime.date(2025, 6, 30)
    change = make_reschedule_workflow().fire(
        "open", "reschedule", "owner", {"comment": "Waiting on police data", "due_on": due}
    )
    assert change.fields == {"comment": "Waiting on police data", "due_on": due}
    unchecked = make_reschedule_workflow().fire(
        "open", "reschedule", "owner", {"comment": "x", "due_on": "not a date"}
    )
    assert unchecked.fields["due_on"] == "not a date"


def test_checks_run_in_order_transition_state_role_fields():
    # Everything is wrong at once: the most fundamental problem is reported.
    with pytest.raises(UnknownTransition):
        STANDARD.fire("closed", "fly", "member", {})
    with pytest.raises(WrongState):
        STANDARD.fire("closed", "block", "member", {})
    with pytest.raises(RoleNotAllowed):
        STANDARD.fire("open", "block", "member", {})
    with pytest.raises(MissingFields):
        STANDARD.fire("open", "block", "owner", {})


def test_unknown_state_is_refused_everywhere():
    with pytest.raises(UnknownState) as error:
        STANDARD.state("limbo")
    assert (error.value.workflow, error.value.state) == ("standard", "limbo")
    assert str(error.value) == "The 'standard' workflow has no state 'limbo'."
    with pytest.raises(UnknownState):
        STANDARD.is_terminal("limbo")
    with pytest.raises(UnknownState):
        STANDARD.available("limbo", ROLES)
    with pytest.raises(UnknownState):
        STANDARD.fire("limbo", "fly", ROLES)


def test_error_hierarchy_lets_callers_catch_broadly():
    for firing_error in (UnknownTransition, WrongState, RoleNotAllowed, MissingFields):
        assert issubclass(firing_error, TransitionError)
    assert issubclass(TransitionError, WorkflowError)
    assert issubclass(UnknownState, WorkflowError)
    assert not issubclass(UnknownState, TransitionError)


@pytest.mark.parametrize(
    "roles", ["owner", ["owner"], ("member", "owner"), {"owner", "admin"}, iter(["owner"])]
)
def test_roles_may_be_one_string_or_any_iterable(roles):
    assert STANDARD.fire("open", "start", roles).target == "in_progress"


def test_a_role_string_is_not_split_into_letters():
    assert STANDARD.available("draft", "secretary") == [
        STANDARD.transitions["open"],
        STANDARD.transitions["cancel"],
    ]


def test_available_lists_transitions_in_definition_order():
    names = [t.name for t in STANDARD.available("open", ["owner", "secretary"])]
    assert names == ["start", "block", "complete", "cancel"]
    assert [t.name for t in STANDARD.available("open", "owner")] == ["start", "block", "complete"]
    assert STANDARD.available("open", []) == []
    assert STANDARD.available("closed", ROLES) == []
    assert [t.name for t in ASSURED.available("completed", "secretary")] == ["send_back"]


def test_fields_are_stripped_and_blank_or_unknown_ones_dropped():
    change = STANDARD.fire(
        "open",
        "start",
        "owner",
        {"comment": "  Starting after the audit  ", "evidence": "   ", "version": 3},
    )
    assert change.fields == {"comment": "Starting after the audit"}
    assert STANDARD.fire("open", "start", "owner").fields == {}


def test_fire_applies_nothing():
    change = STANDARD.fire("open", "start", "owner")
    with pytest.raises(dataclasses.FrozenInstanceError):
        change.target = "closed"  # type: ignore[misc]


def test_terminal_states():
    assert [s for s in STANDARD.states if STANDARD.is_terminal(s)] == ["closed", "cancelled"]
    assert [s for s in RECOMMENDATION.states if RECOMMENDATION.is_terminal(s)] == [
        "closed",
        "not_adopted",
    ]
    assert STANDARD.state("in_progress").label == "In progress"


def test_field_labels():
    assert FIELD_LABELS == {"comment": "reason", "evidence": "evidence", "due_on": "new due date"}


def test_standard_workflow_as_mermaid():
    assert STANDARD.to_mermaid() == (
        "stateDiagram-v2\n"
        '    state "Draft" as draft\n'
        '    state "Open" as open\n'
        '    state "In progress" as in_progress\n'
        '    state "Blocked" as blocked\n'
        '    state "Completed" as completed\n'
        '    state "Closed" as closed\n'
        '    state "Cancelled" as cancelled\n'
        "    [*] --> draft\n"
        "    draft --> open : Open for work\n"
        "    open --> in_progress : Start work\n"
        "    open --> blocked : Mark as blocked\n"
        "    in_progress --> blocked : Mark as blocked\n"
        "    blocked --> in_progress : Unblock\n"
        "    open --> completed : Mark as complete\n"
        "    in_progress --> completed : Mark as complete\n"
        "    completed --> closed : Sign off and close\n"
        "    completed --> in_progress : Refuse sign-off\n"
        "    draft --> cancelled : Cancel action\n"
        "    open --> cancelled : Cancel action\n"
        "    in_progress --> cancelled : Cancel action\n"
        "    blocked --> cancelled : Cancel action\n"
        "    cancelled --> open : Reinstate\n"
        "    closed --> [*]\n"
        "    cancelled --> [*]\n"
    )


def test_mermaid_escapes_quotes_and_semicolons():
    workflow = make_reschedule_workflow()
    workflow.states["open"] = State("open", 'Open; "live"')
    assert '    state "Open#59; #quot;live#quot;" as open' in workflow.to_mermaid()


def test_package_imports_neither_flask_nor_sqlalchemy():
    code = (
        "import sys, workflows; "
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy')); "
        "print(loaded)"
    )
    root = Path(workflows.__file__).parents[1]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
