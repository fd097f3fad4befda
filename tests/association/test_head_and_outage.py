"""HEAD answers without a body; during a database outage, calendars, feeds and data answer 503 in their own format."""

import json
from wsgiref.util import setup_testing_defaults

import feedparser
import icalendar
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.http import HttpResponse, StreamingHttpResponse

from association.middleware import HeadWithoutBodyMiddleware
from tests.association.test_health import unreachable_database


def wsgi_exchange(method: str, path: str) -> tuple[str, dict, bytes]:
    """The application as a WSGI server runs it: nothing removes a HEAD body for it."""
    environ = {}
    setup_testing_defaults(environ)
    environ.update(REQUEST_METHOD=method, PATH_INFO=path)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=dict(headers))

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = WSGIHandler()(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            result.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"], body


@pytest.mark.parametrize("path", ["/healthz", "/robots.txt"])
def test_head_gets_gets_headers_and_no_body(path):
    get_status, get_headers, get_body = wsgi_exchange("GET", path)
    head_status, head_headers, head_body = wsgi_exchange("HEAD", path)
    assert get_body and head_body == b""
    assert head_status == get_status
    assert head_headers["Content-Length"] == str(len(get_body)) == get_headers["Content-Length"]
    assert head_headers["Content-Type"] == get_headers["Content-Type"]


def test_head_of_a_streamed_answer_never_starts_the_stream(rf):
    started = []

    def rows():
        started.append(True)
        yield b"a,b\n"

    middleware = HeadWithoutBodyMiddleware(lambda request: StreamingHttpResponse(rows(), content_type="text/csv"))
    response = middleware(rf.head("/ru/open-data/events.csv"))
    assert b"".join(response.streaming_content) == b""
    response.close()
    assert not started
    assert b"".join(middleware(rf.get("/ru/open-data/events.csv")).streaming_content) == b"a,b\n"


def test_get_keeps_its_body(rf):
    response = HeadWithoutBodyMiddleware(lambda request: HttpResponse("hello"))(rf.get("/ru/"))
    assert response.content == b"hello"


def outage_get(client, path):
    response = client.get(path)
    assert response.status_code == 503, path
    assert response["Retry-After"].isdigit()
    assert response["Cache-Control"] == "no-store"
    return response


@pytest.mark.django_db(transaction=True)
def test_during_an_outage_calendars_answer_a_calendar(client, tmp_path, event):
    paths = ["/ru/events/calendar.ics", f"/en/events/{event.pk}/event.ics", "/vi/events/countries/fr/calendar.ics"]
    with unreachable_database(tmp_path):
        for path in paths:
            response = outage_get(client, path)
            assert response["Content-Type"].startswith("text/calendar")
            calendar = icalendar.Calendar.from_ical(response.content)
            assert not calendar.walk("VEVENT")
    assert client.get("/ru/events/calendar.ics").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_during_an_outage_feeds_answer_a_feed(client, tmp_path):
    with unreachable_database(tmp_path):
        response = outage_get(client, "/en/events/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo and feed.feed.title == "The site is temporarily unavailable" and not feed.entries


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["ru", "en", "vi"])
def test_during_an_outage_data_answers_json_in_the_urls_language(client, tmp_path, language):
    with unreachable_database(tmp_path):
        response = outage_get(client, f"/{language}/open-data/events.json")
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["status"] == "unavailable" and body["retry_after"] == int(response["Retry-After"])
    assert (body["detail"] == "The site is temporarily unavailable") == (language == "en")


@pytest.mark.django_db(transaction=True)
def test_during_an_outage_other_files_answer_plain_text_and_pages_html(client, tmp_path):
    with unreachable_database(tmp_path):
        assert outage_get(client, "/ru/open-data/events.csv")["Content-Type"].startswith("text/plain")
        assert outage_get(client, "/sitemap-events.xml")["Content-Type"].startswith("text/plain")
        assert outage_get(client, "/ru/events/")["Content-Type"].startswith("text/html")
