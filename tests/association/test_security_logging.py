"""Request, error and admin logs are JSON lines without secrets or personal data."""

import json
import logging

import pytest
from django.test import Client

from association.structured_logging import JsonFormatter


@pytest.fixture
def json_lines():
    """Everything logged during the test, formatted as production formats it."""
    records = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(JsonFormatter().format(record))

    handler = Collect()
    root = logging.getLogger()
    root.addHandler(handler)
    yield records
    root.removeHandler(handler)


@pytest.mark.django_db
def test_a_request_is_one_json_line_without_query_string_cookies_or_address(json_lines):
    client = Client(HTTP_AUTHORIZATION="Bearer top-secret-token", REMOTE_ADDR="203.0.113.7")
    client.cookies["sessionid"] = "cookie-secret-value"
    client.get("/en/search/?q=x&password=hunter2")
    entries = [json.loads(line) for line in json_lines]
    request = next(entry for entry in entries if entry["logger"] == "association.request")
    assert request["http"]["path"] == "/en/search/"
    assert request["http"]["status"] == 200
    assert request["http"]["method"] == "GET"
    text = "\n".join(json_lines)
    for secret in ["hunter2", "password", "top-secret-token", "cookie-secret-value", "203.0.113.7"]:
        assert secret not in text


@pytest.mark.django_db
def test_an_error_is_logged_as_json_without_the_request(json_lines):
    client = Client(raise_request_exception=False, HTTP_COOKIE="sessionid=cookie-secret-value")
    client.get("/ru/no-such-page/?token=abc123")
    client.post("/admin/login/", {"password": "x" * 10}, CONTENT_LENGTH="-1")
    text = "\n".join(json_lines)
    assert "cookie-secret-value" not in text
    assert "abc123" not in text
    for line in json_lines:
        json.loads(line)


@pytest.mark.django_db
def test_admin_actions_are_logged(staff_client, json_lines, country):
    response = staff_client.post(f"/admin/partners/country/{country.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    admin = [json.loads(line)["admin"] for line in json_lines if '"admin"' in line]
    assert admin == [{"action": "delete", "app": "partners", "model": "country", "object_id": str(country.pk),
                      "user_id": admin[0]["user_id"]}]  # fmt: skip
    assert "editor" not in "\n".join(json_lines)
