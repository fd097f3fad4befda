"""Hostile input: random path segments, query strings, Host headers and methods on every public URL never yield a 500.

The URL patterns are read from the resolver, so a new public page is fuzzed without
touching this file. ``FUZZ_EXAMPLES`` raises the number of examples per URL.
"""

import os
from urllib.parse import quote, quote_from_bytes, urlencode

import pytest
from django.test import Client
from django.urls import LocalePrefixPattern, URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_event, make_partner, make_society

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
PRIVATE_PREFIXES = ("admin/",)
# Names the views and filters read, so that the fuzzer reaches their parsing code.
PARAMETER_NAMES = [
    "q", "page", "year", "month", "from", "to", "start", "end", "kind", "where", "partner", "partners",
    "country", "countries", "society", "societies", "region", "sort", "order", "view", "format", "lang",
]  # fmt: skip


def public_routes(patterns=None, prefix=""):
    """Every public route as a list of parts: literal strings and ``(converter,)`` tuples."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = "{language}/" if isinstance(entry.pattern, LocalePrefixPattern) else str(entry.pattern)
        if (prefix + route).startswith(PRIVATE_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            yield from public_routes(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route


ROUTES = sorted(set(public_routes()))

weird_text = st.text(st.characters(exclude_categories=("Cs",)), min_size=0, max_size=40)
huge_numbers = st.integers(min_value=-(10**30), max_value=10**30).map(str)
segment = st.one_of(
    st.from_regex(r"[-a-zA-Z0-9_]{1,60}", fullmatch=True),
    huge_numbers,
    weird_text.filter(bool).map(lambda text: quote(text, safe="")),
    st.sampled_from(["partner-city", "0", "9223372036854775808", "..", "%00", "RU", "vn", "ru"]),
)
value = st.one_of(weird_text, huge_numbers, st.sampled_from(["2024", "2024-13-45", "-1", "0", "\x00", "1e309"]))
pair = st.tuples(st.one_of(st.sampled_from(PARAMETER_NAMES), weird_text), value)
query_string = st.one_of(
    st.lists(pair, max_size=6).map(urlencode),
    st.binary(max_size=60).map(lambda raw: quote_from_bytes(raw, safe="=&")),
)
# Mostly a served host, so that the path and query reach the views; else anything a client may send.
host = st.one_of(
    st.just("testserver"),
    st.sampled_from(["localhost:8000", "127.0.0.1", "evil.example", "", "testserver.", "TESTSERVER", "[::1]:80"]),
    st.sampled_from(["testserver:abc", "testserver@evil.example", "a" * 300, "xn--80ak6aa92e.com", "ТЕСТ"]),
    st.text(st.characters(min_codepoint=32, max_codepoint=0x2FF), max_size=40),
)
method = st.one_of(
    st.just("GET"),
    st.sampled_from(["HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PROPFIND"]),
    st.from_regex(r"[A-Za-z]{1,12}", fullmatch=True),
)


def fill(route: str, draw) -> str:
    import re

    path = route.replace("{language}", draw(st.sampled_from(["ru", "en", "vi", "xx"])))
    return "/" + re.sub(r"<(?:\w+:)?\w+>", lambda _match: draw(segment), path)


@pytest.fixture
def some_content(db):
    partner = make_partner(slug="partner-city")
    make_event(partners=[partner])
    make_society()


@pytest.mark.parametrize("route", ROUTES)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_url_answers_500_to_hostile_input(some_content, route, data):
    path = fill(route, data.draw)
    query = data.draw(query_string)
    verb, server = data.draw(method), data.draw(host)
    client = Client(raise_request_exception=True)
    response = client.generic(verb, path, QUERY_STRING=query, HTTP_HOST=server)
    assert response.status_code < 500, (verb, server, path, query, response.status_code)


def test_the_fuzzer_sees_the_public_pages():
    assert "{language}/partners/<slug:slug>/" in ROUTES
    assert "{language}/events/<int:pk>/event.ics" in ROUTES
    assert "healthz" in ROUTES
    assert not [route for route in ROUTES if route.startswith("admin")]
