"""Assure: the application factory.

``create_app`` is boring and linear on purpose: it binds extensions, registers blueprints, CLI
commands and error handlers, and starts nothing (no scheduler, no thread, no connection).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask

from config import config_for


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask application for ``ASSURE_ENV``, overridden by ``test_config``."""
    app = Flask(__name__, template_folder="../templates", instance_relative_config=False)
    settings = config_for("testing" if test_config is not None else None)
    app.config.from_object(settings)
    if test_config:
        app.config.update(test_config)
    settings.check()

    register_logging(app)
    register_extensions(app)
    register_workflows(app)
    register_blueprints(app)
    register_cli(app)
    register_security_headers(app)
    return app


def register_logging(app: Flask) -> None:
    logging.basicConfig(
        level=app.config["LOG_LEVEL"], format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # Alembic narrates every plugin it loads at INFO; only its warnings matter to an operator.
    logging.getLogger("alembic").setLevel(logging.WARNING)


def register_extensions(app: Flask) -> None:
    from tracker import models  # noqa: F401  (every model known before anything asks)
    from tracker.auth.sessions import init_login
    from tracker.extensions import csrf, db, limiter, mail, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    mail.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    init_login(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        from tracker.common.sqlite import configure_sqlite

        with app.app_context():
            configure_sqlite(db.engine)


def register_workflows(app: Flask) -> None:
    """Load and validate every workflow definition: a broken file stops the app here."""
    from tracker.workflow_registry import init_workflows

    init_workflows(app)


def register_blueprints(app: Flask) -> None:
    from tracker.actions.routes import bp as actions_bp
    from tracker.api import bp as api_bp
    from tracker.auth import bp as auth_bp
    from tracker.boards.routes import bp as boards_bp
    from tracker.health import bp as health_bp
    from tracker.links.routes import bp as links_bp
    from tracker.notify.reminders.routes import bp as reminders_bp
    from tracker.notify.routes import bp as notify_bp
    from tracker.oversight.matrix_routes import bp as matrix_bp
    from tracker.oversight.packs.routes import bp as packs_bp
    from tracker.oversight.routes import bp as oversight_bp
    from tracker.people.routes import bp as people_bp
    from tracker.reviews.routes import bp as reviews_bp
    from tracker.transfer.export_routes import bp as exports_bp
    from tracker.transfer.feed_routes import bp as feeds_bp
    from tracker.transfer.import_review_routes import bp as imports_bp  # both import pages
    from tracker.web import bp as web_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(web_bp)
    app.register_blueprint(boards_bp)
    app.register_blueprint(actions_bp)
    app.register_blueprint(reviews_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(notify_bp)
    app.register_blueprint(reminders_bp)
    app.register_blueprint(oversight_bp)
    app.register_blueprint(packs_bp)
    app.register_blueprint(links_bp)
    app.register_blueprint(imports_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(matrix_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")


def register_cli(app: Flask) -> None:
    from tracker.cli import register

    register(app)


def register_security_headers(app: Flask) -> None:
    from tracker.common.security import add_security_headers

    app.after_request(add_security_headers)
