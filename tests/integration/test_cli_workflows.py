"""``flask workflows check`` and ``flask workflows show``."""

from __future__ import annotations

from workflows import DEFINITIONS_DIR

BROKEN = """\
name = "broken"
title = "Broken workflow"
applies_to = "action"
initial = "draft"

[states.draft]
label = "Draft"

[states.done]
label = "Done"
terminal = true

[[transitions]]
name = "finish"
label = "Finish"
from = ["draft"]
to = "nowhere"
roles = ["secretary"]
"""


def test_check_lists_every_workflow_with_its_counts(runner):
    result = runner.invoke(args=["workflows", "check"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    standard = next(line for line in lines if line.startswith("standard "))
    assert "7 states" in standard and "9 transitions" in standard
    assert any(line.startswith("assured ") for line in lines)
    assert any(line.startswith("recommendation ") for line in lines)
    assert f"in {DEFINITIONS_DIR}: all valid" in lines[-1]


def test_check_names_the_file_and_line_of_a_broken_definition(runner, tmp_path):
    for path in DEFINITIONS_DIR.glob("*.toml"):
        (tmp_path / path.name).write_text(path.read_text())
    (tmp_path / "zz-broken.toml").write_text(BROKEN)
    result = runner.invoke(args=["workflows", "check", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path / 'zz-broken.toml'}:17: unknown state 'nowhere'" in result.output
    assert "Fix that definition" in result.output


def test_check_an_empty_folder(runner, tmp_path):
    result = runner.invoke(args=["workflows", "check", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "no workflow definitions" in result.output


def test_check_a_missing_folder(runner, tmp_path):
    result = runner.invoke(args=["workflows", "check", "--dir", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert "no such directory" in result.output


def test_show_prints_mermaid(runner):
    result = runner.invoke(args=["workflows", "show", "standard"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("stateDiagram-v2\n")
    assert "    draft --> open : Open for work" in result.output
    assert "    closed --> [*]" in result.output


def test_show_an_unknown_workflow_lists_the_known_ones(runner):
    result = runner.invoke(args=["workflows", "show", "nope"])
    assert result.exit_code == 1
    assert "no workflow called 'nope'" in result.output
    assert "assured, recommendation, standard" in result.output
