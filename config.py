"""Settings for Assure, read from the environment.

One class per environment (development, testing, production), chosen by ``ASSURE_ENV``.
Settings are read when the class is instantiated, not at import, so that a process (or a test)
sees the environment it actually runs with. Every setting is documented in the README.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent

# A development secret is recognisable so that production can refuse it.
DEV_SECRET_PREFIX = "dev-"


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = Env(os.environ if environ is None else environ)
        self.INSTANCE_DIR = Path(env.str("ASSURE_INSTANCE_DIR", str(BASE_DIR / "instance")))
        self.SECRET_KEY = env.str("SECRET_KEY")
        self.SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS")
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(env.str("DATABASE_URL"))
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.BASE_URL = env.str("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
        self.base_url_given = bool(env.str("BASE_URL"))

        self.MAIL_SERVER = env.str("MAIL_SERVER")
        self.MAIL_PORT = env.int("MAIL_PORT", 25)
        self.MAIL_USERNAME = env.str("MAIL_USERNAME") or None
        self.MAIL_PASSWORD = env.str("MAIL_PASSWORD") or None
        self.MAIL_USE_TLS = env.bool("MAIL_USE_TLS")
        self.MAIL_USE_SSL = env.bool("MAIL_USE_SSL")
        self.MAIL_DEFAULT_SENDER = env.str("MAIL_DEFAULT_SENDER", "Assure <assure@localhost>")
        self.MAIL_TIMEOUT = env.int("MAIL_TIMEOUT", 10)
        # How long links in emails work: an owner's update link, a set-password link.
        self.UPDATE_LINK_MAX_AGE_DAYS = env.int("UPDATE_LINK_MAX_AGE_DAYS", 28)
        self.PASSWORD_LINK_MAX_AGE_HOURS = env.int("PASSWORD_LINK_MAX_AGE_HOURS", 24)

        # API pages: the default size and the most a client may ask for.
        self.API_PAGE_SIZE = env.int("API_PAGE_SIZE", 100)
        self.API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", 500)
        # Largest request body accepted, in bytes.
        self.MAX_CONTENT_LENGTH = env.int("MAX_CONTENT_LENGTH", 16 * 1024 * 1024)
        # Imports: the largest file and the most rows read at once; where uploads wait between
        # the import pages (default: the instance folder's imports/).
        self.IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", 10 * 1024 * 1024)
        self.IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", 20_000)
        self.IMPORT_DIR = env.str("IMPORT_DIR") or None

        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", True)
        self.LOG_LEVEL = env.str("LOG_LEVEL", "INFO")
        # Throttling of sign-in and link pages; in memory per process unless a storage URI
        # (e.g. redis://) is given, which several gunicorn workers should share.
        self.RATELIMIT_ENABLED = env.bool("RATELIMIT_ENABLED", True)
        self.RATELIMIT_STORAGE_URI = env.str("RATELIMIT_STORAGE_URI", "memory://")
        # The scheduler: how often the reminder sweep runs, and how late a job may be before
        # /healthz answers 503 (see tracker/health.py).
        self.REMINDER_SWEEP_MINUTES = env.int("REMINDER_SWEEP_MINUTES", 5)
        self.SCHEDULER_STALE_AFTER_SECONDS = env.int("SCHEDULER_STALE_AFTER_SECONDS", 15 * 60)

    def check(self) -> None:
        """Raise RuntimeError when the settings cannot work; overridden per environment."""


class DevelopmentConfig(Config):
    ENV_NAME = "development"

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        super().__init__(environ)
        self.SECRET_KEY = self.SECRET_KEY or development_secret(self.INSTANCE_DIR)
        self.SQLALCHEMY_DATABASE_URI = self.SQLALCHEMY_DATABASE_URI or (
            f"sqlite:///{self.INSTANCE_DIR / 'assure.sqlite'}"
        )
        # The embedded server speaks plain HTTP on 127.0.0.1, where a Secure cookie is never sent.
        self.SESSION_COOKIE_SECURE = Env(os.environ if environ is None else environ).bool(
            "SESSION_COOKIE_SECURE", False
        )


class TestingConfig(Config):
    ENV_NAME = "testing"

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        super().__init__(environ)
        env = Env(os.environ if environ is None else environ)
        self.TESTING = True
        self.SECRET_KEY = DEV_SECRET_PREFIX + "testing-secret"
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(
            env.str("TEST_DATABASE_URL", "sqlite://")
        )
        self.SESSION_COOKIE_SECURE = False
        self.BASE_URL = "http://assure.test"
        self.MAIL_SERVER = ""


class ProductionConfig(Config):
    ENV_NAME = "production"

    def check(self) -> None:
        """Refuse to start with settings that would be unsafe or broken in production."""
        problems = []
        key = self.SECRET_KEY or ""
        if len(key) < 32 or key.startswith(DEV_SECRET_PREFIX):
            problems.append(
                "SECRET_KEY must be a random value of at least 32 characters, not a development "
                "secret (make one with: python -c 'import secrets; print(secrets.token_hex(32))')"
            )
        if not self.SQLALCHEMY_DATABASE_URI:
            problems.append("DATABASE_URL must be set, e.g. postgresql://assure@db.internal/assure")
        if not self.base_url_given:
            problems.append("BASE_URL must be set to the address people use, for links in emails")
        if problems:
            raise RuntimeError("Assure cannot start in production:\n- " + "\n- ".join(problems))


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None = None) -> Config:
    """Build the settings for ``ASSURE_ENV`` (development when unset) from the environment."""
    name = (name or os.environ.get("ASSURE_ENV") or "development").strip().lower()
    if name not in CONFIGS:
        raise RuntimeError(f"ASSURE_ENV must be one of {', '.join(CONFIGS)}, not {name!r}")
    return CONFIGS[name]()


class Env:
    """Typed reads of environment variables, with errors that name the variable."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ

    def str(self, name: str, default: str = "") -> str:
        value = self.environ.get(name, "").strip()
        return value or default

    def bool(self, name: str, default: bool = False) -> bool:
        value = self.environ.get(name, "").strip().lower()
        if not value:
            return default
        if value in {"1", "true", "yes", "on"}:
            return True
        if value in {"0", "false", "no", "off"}:
            return False
        raise RuntimeError(f"{name} must be true or false, not {value!r}")

    def int(self, name: str, default: int) -> int:
        value = self.environ.get(name, "").strip()
        if not value:
            return default
        try:
            return int(value)
        except ValueError:
            raise RuntimeError(f"{name} must be a whole number, not {value!r}") from None

    def list(self, name: str) -> list:
        return [item.strip() for item in self.environ.get(name, "").split(",") if item.strip()]


def development_secret(instance_dir: Path) -> str:
    """Return the development secret, generating it once and keeping it in ``instance/``."""
    path = instance_dir / "dev-secret-key"
    if not path.exists():
        instance_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(DEV_SECRET_PREFIX + secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def normalise_database_url(url: str) -> str:
    """Accept the usual ``postgres://`` URLs; we drive PostgreSQL with psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
