"""Settings come from the environment; production refuses unsafe ones."""

from __future__ import annotations

import pytest

import config
from config import DevelopmentConfig, ProductionConfig, config_for, normalise_database_url

GOOD_PRODUCTION = {
    "SECRET_KEY": "x" * 64,
    "DATABASE_URL": "postgresql://assure@db/assure",
    "BASE_URL": "https://assure.example.org/",
}


def test_production_starts_with_real_settings():
    settings = ProductionConfig(GOOD_PRODUCTION)
    settings.check()
    assert settings.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://assure@db/assure"
    assert settings.BASE_URL == "https://assure.example.org"
    assert settings.SESSION_COOKIE_SECURE is True


@pytest.mark.parametrize(
    ("override", "complaint"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "dev-" + "a" * 60}, "development secret"),
        ({"SECRET_KEY": "short"}, "at least 32"),
        ({"DATABASE_URL": ""}, "DATABASE_URL"),
        ({"BASE_URL": ""}, "BASE_URL"),
    ],
)
def test_production_refuses_unsafe_settings(override, complaint):
    with pytest.raises(RuntimeError, match=complaint):
        ProductionConfig({**GOOD_PRODUCTION, **override}).check()


def test_development_generates_its_secret_once_and_keeps_it(tmp_path):
    env = {"ASSURE_INSTANCE_DIR": str(tmp_path)}
    first = DevelopmentConfig(env)
    second = DevelopmentConfig(env)
    assert first.SECRET_KEY == second.SECRET_KEY
    assert first.SECRET_KEY.startswith("dev-")
    assert (tmp_path / "dev-secret-key").stat().st_mode & 0o077 == 0
    assert f"sqlite:///{tmp_path / 'assure.sqlite'}" == first.SQLALCHEMY_DATABASE_URI


def test_bad_values_name_the_variable():
    with pytest.raises(RuntimeError, match="MAIL_PORT"):
        config.TestingConfig({"MAIL_PORT": "twenty-five"})
    with pytest.raises(RuntimeError, match="MAIL_USE_TLS"):
        config.TestingConfig({"MAIL_USE_TLS": "perhaps"})
    with pytest.raises(RuntimeError, match="ASSURE_ENV"):
        config_for("staging")


def test_fallback_keys_are_a_list():
    settings = ProductionConfig({**GOOD_PRODUCTION, "SECRET_KEY_FALLBACKS": "old1, old2,"})
    assert settings.SECRET_KEY_FALLBACKS == ["old1", "old2"]


def test_postgres_urls_use_psycopg3():
    assert normalise_database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"
