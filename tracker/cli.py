"""Command-line interface: ``flask --app wsgi COMMAND``."""

from flask import Flask


def register(app: Flask) -> None:
    pass
