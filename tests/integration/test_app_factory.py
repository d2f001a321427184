"""create_app: what it refuses, and the headers every response carries."""

from __future__ import annotations

import pytest

from tracker import create_app
from workflows import DefinitionError


def test_a_broken_workflow_file_stops_the_app_naming_the_file(tmp_path):
    (tmp_path / "broken.toml").write_text('name = "broken"\ntitle = "Broken"\n[states\n')
    with pytest.raises(DefinitionError, match=r"broken\.toml:3"):
        create_app({"WORKFLOWS_DIR": tmp_path})


def test_production_refuses_a_development_secret(monkeypatch):
    monkeypatch.setenv("ASSURE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "dev-" + "a" * 40)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("BASE_URL", "https://assure.example.org")
    with pytest.raises(RuntimeError, match="development secret"):
        create_app()


def test_security_headers_on_every_response(client):
    response = client.get("/no-such-page")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
