"""Command-line interface: ``flask --app wsgi COMMAND``; the commands live in tracker.commands."""

from flask import Flask


def register(app: Flask) -> None:
    """Add every command group to ``app.cli``."""
    from tracker.commands.demo import demo
    from tracker.commands.export_actions import export_actions
    from tracker.commands.imports import import_actions, import_recommendations
    from tracker.commands.outbox import outbox
    from tracker.commands.reminders import reminders
    from tracker.commands.scheduler import scheduler
    from tracker.commands.transfer import export_group, import_group
    from tracker.commands.users import users
    from tracker.commands.workflows import workflows
    from tracker.oversight.packs.commands import export_pack

    export_group.add_command(export_pack)
    commands = (users, workflows, demo, outbox, reminders, scheduler, import_group, export_group)
    for command in commands:
        app.cli.add_command(command)
    import_group.add_command(import_actions)
    import_group.add_command(import_recommendations)
    export_group.add_command(export_actions)
