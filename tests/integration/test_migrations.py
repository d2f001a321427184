"""Migrations build the schema the models describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from tracker import create_app
from tracker.extensions import db


@pytest.fixture
def migration_app(empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url})
    yield app
    with app.app_context():
        db.engine.dispose()


def schema_differences(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_migrations_build_the_models_schema(migration_app):
    with migration_app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
    assert {"actions", "boards", "events", "updates", "people"} <= tables
    assert schema_differences(migration_app) == []


def test_migrations_downgrade_to_nothing_and_up_again(migration_app):
    with migration_app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
    assert schema_differences(migration_app) == []


def test_constraint_names_follow_the_naming_convention(migration_app):
    with migration_app.app_context():
        upgrade()
        inspector = inspect(db.engine)
        uniques = {u["name"] for u in inspector.get_unique_constraints("actions")}
        foreign = {f["name"] for f in inspector.get_foreign_keys("actions")}
    assert "uq_actions_board_id_ref" in uniques
    assert "fk_actions_board_id_boards" in foreign
