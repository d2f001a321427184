"""/healthz tells a load balancer whether this instance can serve."""

from sqlalchemy.exc import OperationalError

from tracker.extensions import db


def test_healthy_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok"
    # A scheduler that has never ticked is not a failure (see test_scheduler_health.py).
    assert response.json["checks"] == {"database": "ok", "scheduler": "not run yet"}


def test_unavailable_when_the_database_does_not(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused to db:5432"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["checks"]["database"] == "unreachable (OperationalError)"
    assert "5432" not in response.get_data(as_text=True)
