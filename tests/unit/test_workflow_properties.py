"""Properties of the shipped workflows under random sequences of attempted transitions."""

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from workflows import (
    FIELD_LABELS,
    ROLES,
    MissingFields,
    RoleNotAllowed,
    TransitionError,
    UnknownTransition,
    WrongState,
    load_all,
)

WORKFLOWS = load_all()

# "visitor" is no role at all: holding only it must get nowhere.
role_sets = st.one_of(
    st.sampled_from(ROLES),
    st.frozensets(st.sampled_from((*ROLES, "visitor"))),
)
field_values = st.one_of(st.none(), st.sampled_from(["", " ", "\t\n"]), st.text(max_size=12))
field_sets = st.dictionaries(st.sampled_from((*FIELD_LABELS, "version")), field_values)


def attempts(workflow, state):
    """Any transition (or one that does not exist), as anyone, with anything.

    Half the time the transition is one that leaves the current state: purely random
    names are nearly always refused, and the walk would never get far from the start.
    """
    anything = st.sampled_from((*workflow.transitions, "no_such_step"))
    from_here = [t.name for t in workflow.transitions.values() if state in t.sources]
    names = st.one_of(st.sampled_from(from_here), anything) if from_here else anything
    return st.tuples(names, role_sets, field_sets)


def is_given(value):
    return value is not None and not (isinstance(value, str) and not value.strip())


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
@settings(deadline=None)
@given(data=st.data())
def test_random_walk_stays_within_the_rules(name, data):
    workflow = WORKFLOWS[name]
    state = workflow.initial
    for _ in range(data.draw(st.integers(0, 40), label="steps")):
        transition, roles, fields = data.draw(attempts(workflow, state))
        try:
            change = workflow.fire(state, transition, roles, fields)
        except UnknownTransition:
            assert transition not in workflow.transitions
            continue
        except WrongState:
            assert state not in workflow.transitions[transition].sources
            continue
        except RoleNotAllowed:
            assert workflow.transitions[transition] not in workflow.available(state, roles)
            continue
        except MissingFields as error:
            assert workflow.transitions[transition] in workflow.available(state, roles)
            assert error.missing and not any(is_given(fields.get(f)) for f in error.missing)
            continue
        assert change.source == state
        assert change.target in workflow.states
        assert change.transition in workflow.available(state, roles)
        assert all(is_given(change.fields.get(f)) for f in change.transition.requires)
        if workflow.is_terminal(state):
            assert change.transition.leaves_terminal
        state = change.target
        # Shows how far walks get, with --hypothesis-show-statistics.
        event(f"fired {transition} from {change.source}")


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
@settings(deadline=None)
@given(data=st.data())
def test_available_agrees_with_fire(name, data):
    workflow = WORKFLOWS[name]
    state = data.draw(st.sampled_from(sorted(workflow.states)))
    roles = data.draw(role_sets)
    available = workflow.available(state, roles)
    for transition in workflow.transitions.values():
        try:
            workflow.fire(state, transition.name, roles, {f: "given" for f in transition.requires})
        except TransitionError:
            fired = False
        else:
            fired = True
        assert (transition in available) == fired
    # Definition order, so buttons appear in the same order everywhere.
    order = list(workflow.transitions.values())
    assert available == sorted(available, key=order.index)


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_every_state_is_reachable_by_someone(name):
    # The random walks cannot show this: most of their attempts are refused.
    workflow = WORKFLOWS[name]
    reached, frontier = {workflow.initial}, [workflow.initial]
    while frontier:
        state = frontier.pop()
        for transition in workflow.available(state, ROLES):
            fields = {f: "given" for f in transition.requires}
            target = workflow.fire(state, transition.name, ROLES, fields).target
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(workflow.states)
