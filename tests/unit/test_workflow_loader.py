"""Loading workflow definitions: each malformed file is refused, naming the file and line."""

import pytest

from workflows import DEFINITIONS_DIR, DefinitionError, load_all, load_workflow

VALID = """\
name = "demo"
title = "Demo workflow"
applies_to = "action"
initial = "draft"

[states.draft]
label = "Draft"

[states.open]
label = "Open"
description = "Ready for work."

[states.done]
label = "Done"
terminal = true

[[transitions]]
name = "open"
label = "Open"
from = ["draft"]
to = "open"
roles = ["secretary"]

[[transitions]]
name = "finish"
label = "Finish"
from = ["open"]
to = "done"
roles = ["owner", "secretary"]
requires = ["evidence"]
"""

REOPEN = """
[[transitions]]
name = "reopen"
label = "Reopen"
from = ["done"]
to = "open"
roles = ["chair"]
"""

# A state that can be entered but not left.
STUCK_STATE = '[states.stuck]\nlabel = "Stuck"\n\n[[transitions]]\nname = "open"'
GET_STUCK = """
[[transitions]]
name = "jam"
label = "Jam"
from = ["open"]
to = "stuck"
roles = ["owner"]
"""


def edit(old, new):
    """Return VALID with the first ``old`` replaced by ``new``, insisting that it is there."""
    assert old in VALID
    return VALID.replace(old, new, 1)


def line_of(text, snippet, occurrence=1):
    """Return the 1-based number of the ``occurrence``-th line containing ``snippet``."""
    numbers = [n for n, line in enumerate(text.splitlines(), start=1) if snippet in line]
    return numbers[occurrence - 1]


def write(tmp_path, text, name="demo.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(path):
    with pytest.raises(DefinitionError) as error:
        load_workflow(path)
    return error.value


# (text, the line the error should name as (snippet, occurrence) or None, part of the problem)
BROKEN = {
    "invalid TOML": (
        edit('to = "open"', 'to "open"'),
        ('to "open"', 1),
        "invalid TOML: Expected '=' after a key",
    ),
    "invalid TOML at end of file": (
        VALID + "roles = [\n",
        ("roles = [", 3),
        "invalid TOML:",
    ),
    "missing top-level key": (
        edit('initial = "draft"\n', ""),
        None,
        "the workflow is missing 'initial'",
    ),
    "unknown top-level key": (
        edit("title =", "titel ="),
        ("titel =", 1),
        "unknown key 'titel' in the workflow (did you mean 'title'?)",
    ),
    "unknown top-level table": (
        edit("[states.open]", "[state.open]"),
        ("[state.open]", 1),
        "unknown key 'state' in the workflow (did you mean 'states'?)",
    ),
    "transitions not an array": (
        VALID.split("[[transitions]]")[0] + '[transitions]\nname = "open"\n',
        ("[transitions]", 1),
        "'transitions' in the workflow must be an array of tables",
    ),
    "bad applies_to": (
        edit('applies_to = "action"', 'applies_to = "actions"'),
        ("applies_to", 1),
        "applies_to must be one of action, recommendation, not 'actions'",
    ),
    "bad workflow name": (
        edit('name = "demo"', 'name = "Demo"'),
        ('name = "Demo"', 1),
        "lower_snake_case",
    ),
    "empty title": (
        edit('title = "Demo workflow"', 'title = "  "'),
        ("title", 1),
        "'title' in the workflow must be a non-empty string",
    ),
    "missing state key": (
        edit('label = "Open"\n', ""),
        ("[states.open]", 1),
        "state 'open' is missing 'label'",
    ),
    "unknown state key": (
        edit("terminal = true", "termnal = true"),
        ("termnal", 1),
        "unknown key 'termnal' in state 'done' (did you mean 'terminal'?)",
    ),
    "state value of the wrong kind": (
        edit("terminal = true", 'terminal = "yes"'),
        ("terminal", 1),
        "'terminal' in state 'done' must be true or false",
    ),
    "bad state name": (
        edit("[states.open]", "[states.Open]").replace('"open"', '"Open"'),
        ("[states.Open]", 1),
        "state name 'Open' must be lower_snake_case",
    ),
    "state not a table": (
        edit("[states.draft]", 'limbo = "x"\n[states.draft]'),
        ("limbo", 1),
        "unknown key 'limbo' in the workflow",
    ),
    "initial not a state": (
        edit('initial = "draft"', 'initial = "drafty"'),
        ("initial", 1),
        "initial state 'drafty' is not a state",
    ),
    "no terminal state": (
        edit("terminal = true", "terminal = false"),
        ("[states.draft]", 1),
        "no terminal state",
    ),
    "missing transition key": (
        edit('to = "done"\n', ""),
        ("[[transitions]]", 2),
        "transition 'finish' is missing 'to'",
    ),
    "transition without a name": (
        edit('name = "finish"\n', ""),
        ("[[transitions]]", 2),
        "transition #2 is missing 'name'",
    ),
    "unknown transition key": (
        edit("requires =", "require ="),
        ("require =", 1),
        "unknown key 'require' in transition 'finish' (did you mean 'requires'?)",
    ),
    "from not a list": (
        edit('from = ["open"]', 'from = "open"'),
        ('from = "open"', 1),
        "'from' in transition 'finish' must be a list of strings",
    ),
    "from an unknown state": (
        edit('from = ["open"]', 'from = ["opn"]'),
        ('from = ["opn"]', 1),
        "unknown state 'opn' in 'from' of transition 'finish'; states are draft, open, done",
    ),
    "from nowhere": (
        edit('from = ["open"]', "from = []"),
        ("from = []", 1),
        "transition 'finish' has no source states",
    ),
    "from a state twice": (
        edit('from = ["open"]', 'from = ["open", "open"]'),
        ("from = [", 2),
        "'open' appears twice in 'from' of transition 'finish'",
    ),
    "to an unknown state": (
        edit('to = "done"', 'to = "dne"'),
        ('to = "dne"', 1),
        "unknown state 'dne' in 'to' of transition 'finish'",
    ),
    "duplicate transition names": (
        edit('name = "finish"', 'name = "open"'),
        ('name = "open"', 2),
        "duplicate transition name 'open'",
    ),
    "bad transition name": (
        edit('name = "finish"', 'name = "finish-up"'),
        ("finish-up", 1),
        "transition name 'finish-up' must be lower_snake_case",
    ),
    "transition without roles": (
        edit('roles = ["secretary"]', "roles = []"),
        ("roles = []", 1),
        "transition 'open' has no roles: nobody could fire it",
    ),
    "transition missing roles": (
        edit('roles = ["secretary"]\n', ""),
        ("[[transitions]]", 1),
        "transition 'open' is missing 'roles'",
    ),
    "unknown role": (
        edit('roles = ["owner", "secretary"]', 'roles = ["owner", "secretery"]'),
        ("secretery", 1),
        "unknown role 'secretery' in 'roles' of transition 'finish'; "
        "roles are owner, member, secretary, chair, admin",
    ),
    "unknown required field": (
        edit('requires = ["evidence"]', 'requires = ["evidense"]'),
        ("evidense", 1),
        "unknown field 'evidense' in 'requires' of transition 'finish'; "
        "fields are comment, evidence, due_on",
    ),
    "leaving a terminal state unmarked": (
        VALID + REOPEN,
        ('from = ["done"]', 1),
        "transition 'reopen' leaves terminal state 'done'; set leaves_terminal = true",
    ),
    "leaves_terminal on a transition that does not": (
        edit('requires = ["evidence"]', 'requires = ["evidence"]\nleaves_terminal = true'),
        ("leaves_terminal", 1),
        "transition 'finish' sets leaves_terminal but none of its source states is terminal",
    ),
    "unreachable state": (
        edit(
            "[[transitions]]", '[states.limbo]\nlabel = "Limbo"\nterminal = true\n\n[[transitions]]'
        ),
        ("[states.limbo]", 1),
        "state 'limbo' cannot be reached from the initial state 'draft'",
    ),
    "dead end": (
        edit('[[transitions]]\nname = "open"', STUCK_STATE) + GET_STUCK,
        ("[states.stuck]", 1),
        "state 'stuck' is a dead end: not terminal, and no transition leaves it",
    ),
    "dead end with only a loop": (
        edit('[[transitions]]\nname = "open"', STUCK_STATE)
        + GET_STUCK
        + GET_STUCK.replace('"jam"', '"wait"').replace('["open"]', '["stuck"]'),
        ("[states.stuck]", 1),
        "state 'stuck' is a dead end",
    ),
}


@pytest.mark.parametrize(("text", "where", "problem"), BROKEN.values(), ids=BROKEN.keys())
def test_malformed_definition_names_file_and_line(tmp_path, text, where, problem):
    path = write(tmp_path, text)
    error = refused(path)
    line = line_of(text, *where) if where else None
    assert (error.path, error.line) == (path, line)
    assert problem in error.problem
    location = f"{path}:{line}" if line else str(path)
    assert str(error) == f"{location}: {error.problem}"


def test_valid_definition_loads(tmp_path):
    workflow = load_workflow(write(tmp_path, VALID))
    assert (workflow.name, workflow.title, workflow.applies_to, workflow.initial) == (
        "demo",
        "Demo workflow",
        "action",
        "draft",
    )
    assert list(workflow.states) == ["draft", "open", "done"]
    assert workflow.states["open"].description == "Ready for work."
    assert workflow.states["done"].terminal
    finish = workflow.transitions["finish"]
    assert finish.sources == ("open",)
    assert finish.roles == frozenset({"owner", "secretary"})
    assert finish.requires == ("evidence",)
    assert workflow.transitions["open"].requires == ()
    assert not finish.leaves_terminal


def test_leaving_a_terminal_state_is_allowed_when_marked(tmp_path):
    text = VALID + REOPEN + "leaves_terminal = true\n"
    assert load_workflow(write(tmp_path, text)).transitions["reopen"].leaves_terminal


def test_inline_states_are_located_by_key(tmp_path):
    text = edit(
        '[states.draft]\nlabel = "Draft"\n',
        '[states]\ndraft = { label = "Draft" }\nlimbo = { label = "Limbo", terminal = true }\n',
    )
    error = refused(write(tmp_path, text))
    assert error.line == line_of(text, "limbo =")
    assert "state 'limbo' cannot be reached" in error.problem


def test_unreadable_files_are_refused(tmp_path):
    missing = tmp_path / "missing.toml"
    error = refused(missing)
    assert (error.path, error.line) == (missing, None)
    assert error.problem.startswith("cannot read")
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes('title = "Café"'.encode("latin-1"))
    assert refused(latin1).problem == "not UTF-8 text"


def test_load_all_loads_every_toml_file(tmp_path):
    write(tmp_path, VALID, "a.toml")
    write(tmp_path, edit('name = "demo"', 'name = "other"'), "b.toml")
    write(tmp_path, "not a workflow", "notes.txt")
    assert sorted(load_all(tmp_path)) == ["demo", "other"]


def test_load_all_refuses_duplicate_workflow_names(tmp_path):
    first = write(tmp_path, VALID, "a.toml")
    second = write(tmp_path, VALID, "b.toml")
    with pytest.raises(DefinitionError) as error:
        load_all(tmp_path)
    assert (error.value.path, error.value.line) == (second, 1)
    assert error.value.problem == f"duplicate workflow name 'demo', also used in {first}"


def test_load_all_reports_the_broken_file(tmp_path):
    write(tmp_path, VALID, "a.toml")
    broken = write(tmp_path, edit("title =", "titel ="), "b.toml")
    with pytest.raises(DefinitionError) as error:
        load_all(tmp_path)
    assert (error.value.path, error.value.line) == (broken, 2)


def test_load_all_refuses_a_missing_directory(tmp_path):
    with pytest.raises(DefinitionError, match="no such directory"):
        load_all(tmp_path / "nowhere")


def test_shipped_definitions_load():
    workflows = load_all()
    assert {name: w.applies_to for name, w in workflows.items()} == {
        "assured": "action",
        "recommendation": "recommendation",
        "standard": "action",
    }
    assert {path.name for path in DEFINITIONS_DIR.glob("*.toml")} == {
        "assured.toml",
        "recommendation.toml",
        "standard.toml",
    }
