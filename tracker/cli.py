"""Command-line interface: ``flask --app wsgi COMMAND``; the commands live in tracker.commands."""

from flask import Flask


def register(app: Flask) -> None:
    """Add every command group to ``app.cli``."""
    from tracker.commands.demo import demo
    from tracker.commands.export_actions import export_actions
    from tracker.commands.outbox import outbox
    from tracker.commands.transfer import export_group, import_group
    from tracker.commands.users import users
    from tracker.commands.workflows import workflows

    for command in (users, workflows, demo, outbox, import_group, export_group):
        app.cli.add_command(command)
    export_group.add_command(export_actions)
