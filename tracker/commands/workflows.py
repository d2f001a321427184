"""``flask workflows ...``: check the workflow definitions and draw them."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from tracker.workflow_registry import all_workflows
from workflows import DEFINITIONS_DIR, DefinitionError, load_all

workflows = AppGroup("workflows", help="Workflow definitions: check them, draw them.")


@workflows.command("check")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="Check the definitions in this folder instead of the application's.",
)
def check(directory: Path | None):
    """Load and validate every workflow definition, listing each one."""
    directory = directory or Path(current_app.config.get("WORKFLOWS_DIR") or DEFINITIONS_DIR)
    try:
        found = load_all(directory)
    except DefinitionError as exc:
        raise click.ClickException(f"{exc}\nFix that definition and run the check again.") from exc
    if not found:
        raise click.ClickException(
            f"There are no workflow definitions (*.toml files) in {directory}."
        )
    for name, workflow in sorted(found.items()):
        click.echo(
            f"{name:<16} {workflow.applies_to:<15} {len(workflow.states):>2} states "
            f"{len(workflow.transitions):>3} transitions  {workflow.title}"
        )
    click.echo(f"{len(found)} workflows in {directory}: all valid.")


@workflows.command("show")
@click.argument("name")
def show(name: str):
    """Print a workflow as a Mermaid state diagram."""
    known = all_workflows()
    if name not in known:
        raise click.ClickException(
            f"There is no workflow called {name!r}. Known workflows: {', '.join(sorted(known))}."
        )
    click.echo(known[name].to_mermaid(), nl=False)
