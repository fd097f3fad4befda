"""Error pages: a bad Host is a plain 400, and every error page speaks the URL's language, not the last request's."""

import logging

import pytest
from django.core.exceptions import DisallowedHost, PermissionDenied
from django.http import Http404
from django.test import Client
from django.utils import translation

from association import views

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client():
    """Re-raises anything that would have become a 500."""
    return Client(raise_request_exception=True)


@pytest.mark.parametrize("path", ["/ru/", "/en/partners/", "/vi/events/calendar.ics", "/healthz", "/admin/login/"])
def test_a_host_not_served_here_is_a_plain_400(strict_client, path):
    response = strict_client.get(path, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "<h1>" in response.text and "<nav" not in response.text  # no menu: no context processor ran


@pytest.mark.parametrize("language", ["ru", "en", "vi"])
def test_the_400_speaks_the_urls_language_whatever_the_thread_spoke_before(strict_client, language):
    other = "vi" if language != "vi" else "en"
    translation.activate(other)  # what the previous request of this worker thread left behind
    response = strict_client.get(f"/{language}/partners/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert f'<html lang="{language}">' in response.text


def test_a_bad_host_is_also_a_400_through_the_page_cache(strict_client, settings):
    settings.PUBLIC_CACHE_SECONDS = 600
    response = strict_client.get("/ru/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert '<html lang="ru">' in response.text


def test_a_bad_host_is_logged_in_one_line_without_a_traceback(strict_client, caplog):
    with caplog.at_level(logging.INFO):
        strict_client.get("/ru/", HTTP_HOST="evil.example")
    records = [record for record in caplog.records if record.name == "django.security.DisallowedHost"]
    assert len(records) == 1
    assert records[0].exc_info is None
    assert not [record for record in caplog.records if record.name == "django.request" and record.levelno >= 40]


@pytest.mark.parametrize(
    ("handler", "argument", "status"),
    [
        (views.bad_request, DisallowedHost("evil.example"), 400),
        (views.bad_request, ValueError("bad"), 400),
        (views.permission_denied, PermissionDenied(), 403),
        (views.page_not_found, Http404(), 404),
        (views.server_error, None, 500),
    ],
)
def test_no_error_page_takes_the_language_of_a_previous_request(rf, handler, argument, status):
    translation.activate("vi")
    request = rf.get("/ru/partners/")
    response = handler(request) if argument is None else handler(request, argument)
    assert response.status_code == status
    assert '<html lang="ru">' in response.content.decode()


def test_outside_the_language_prefixes_the_visitors_language_is_used(rf):
    translation.activate("vi")
    request = rf.get("/healthz", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert '<html lang="en">' in views.server_error(request).content.decode()
