"""GET /health/ tells a load balancer whether the database (and broker) answer."""

from django.db import connection


def test_it_is_ok_when_the_database_answers(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "last_nightly": None,
        "hours_since": None,
        "data_date": None,  # no data yet: neither stale nor fresh
        "data_age_days": None,
        "data": None,
    }


def test_it_is_503_with_the_reason_when_the_database_does_not_answer(client, db, monkeypatch):
    class Unreachable:
        def cursor(self):
            raise connection.Database.OperationalError("connection refused")

    # Only the health check's view of the database breaks; the test's own connection stays.
    monkeypatch.setattr("ikd_dashboard.health.connection", Unreachable())
    response = client.get("/health/")
    assert response.status_code == 503
    assert "database" in response.json()["problems"][0]


def test_it_is_503_when_the_configured_broker_does_not_answer(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/health/")
    assert response.status_code == 503
    assert "broker" in response.json()["problems"][0]


def test_it_is_503_when_the_nightly_recompute_has_not_succeeded_for_36_hours(
    client, small_kabupaten
):
    import datetime as dt

    import time_machine

    from kecamatan.progress.runs import recompute_run

    with time_machine.travel(dt.datetime(2025, 4, 10, 1, 0, tzinfo=dt.UTC)):
        recompute_run(kind="nightly", as_of=dt.date(2025, 4, 9))
    with time_machine.travel(dt.datetime(2025, 4, 11, 12, 0, tzinfo=dt.UTC)):  # 35 h later
        assert client.get("/health/").status_code == 200
    with time_machine.travel(dt.datetime(2025, 4, 11, 14, 0, tzinfo=dt.UTC)):  # 37 h later
        recompute_run(kind="manual", as_of=dt.date(2025, 4, 9))  # by hand: not the nightly job
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["problems"] == [
        "nightly recompute: last success 37.0 h ago (more than 36 h)"
    ]
    assert response.json()["hours_since"] == 37.0


def test_the_container_probe_gets_the_health_over_plain_http_while_pages_redirect(db, settings):
    """The compose health check asks http://127.0.0.1:8000/health/ from inside the container;
    production redirects to https and knows only its public host name."""
    from django.test import Client

    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["ikd.example.go.id"]
    # A client made after the settings change: its middleware reads them.
    probe = Client(HTTP_HOST="127.0.0.1:8000")
    response = probe.get("/health/")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert probe.head("/health/").status_code == 200

    visitor = Client(HTTP_HOST="ikd.example.go.id")
    login = visitor.get("/login/")
    assert login.status_code == 301
    assert login["Location"] == "https://ikd.example.go.id/login/"
    assert Client(HTTP_HOST="127.0.0.1:8000").get("/login/").status_code == 400  # host refused
