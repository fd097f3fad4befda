"""Probes, and the site's behaviour while PostgreSQL is down and after it returns."""

import contextlib
import os

import pytest
from django.db import close_old_connections, connections
from django.test import Client

from association.embedded_db import embedded_server_start, embedded_server_stop


@contextlib.contextmanager
def unreachable_database(socket_dir):
    """Points the connection at an empty folder: connecting fails like a stopped server."""
    connection = connections["default"]
    connection.close()
    original = dict(connection.settings_dict)
    connection.settings_dict.update(HOST=str(socket_dir), PORT="")
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)


def test_healthz_answers_without_the_database(client):
    # No database access is allowed in this test: pytest-django would raise.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_answers_when_the_database_does(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_are_outside_the_language_prefixes_and_not_redirected(client, path, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(path)  # plain HTTP, as a load balancer probes
    assert response.status_code == 200
    assert client.get("/ru/").status_code == 301  # while pages go to HTTPS


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["ru", "en", "vi"])
def test_public_pages_answer_503_in_the_visitors_language_while_the_database_is_down(client, tmp_path, language):
    with unreachable_database(tmp_path):
        for path in [f"/{language}/", f"/{language}/partners/", f"/{language}/events/?year=2024"]:
            response = client.get(path)
            assert response.status_code == 503, path
            assert response["Retry-After"].isdigit()
            assert f'<html lang="{language}">' in response.content.decode()
            assert "Content-Security-Policy" in response
        assert client.get("/readyz").status_code == 503
        assert client.get("/healthz").status_code == 200
    # The database is back: the next request reconnects by itself.
    assert client.get(f"/{language}/").status_code == 200
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_outage_in_middleware_or_session_is_a_503_too(tmp_path):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32  # the session is read from the database
    with unreachable_database(tmp_path):
        response = client.get("/admin/")
    assert response.status_code == 503


@pytest.mark.pg_restart
@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="stops the embedded PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_site_recovers_by_itself_after_postgresql_really_restarts(client):
    def get(path):
        # The WSGI handler runs close_old_connections() at each request start (the
        # test client skips it): with CONN_HEALTH_CHECKS a dead connection is dropped there.
        close_old_connections()
        return client.get(path)

    assert get("/en/").status_code == 200  # a persistent connection is open
    embedded_server_stop()
    try:
        response = get("/en/")
        assert response.status_code == 503
        assert response["Retry-After"]
        assert get("/readyz").status_code == 503
        assert get("/healthz").status_code == 200
    finally:
        embedded_server_start()
    # No restart of the app: the next request opens a fresh connection.
    assert get("/en/").status_code == 200
    assert get("/readyz").status_code == 200
