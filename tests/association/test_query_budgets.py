"""Pages without a query-count test elsewhere: the same number of queries at 1, 10 and 50 rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from association.models import NewsItem
from tests.factories import make_country, make_event, make_partner, make_society


def populate(n: int):
    country = make_country()
    society = make_society(countries=[country])
    for i in range(n):
        partner = make_partner(country=country, ties_since=f"{1950 + i}")
        make_event(partners=[partner], societies=[society], start=f"20{10 + i % 20}-03-0{1 + i % 9}", report_year=2024)
        make_society(countries=[country])
        NewsItem.objects.create(title_ru=f"Новость {i}", published_on=datetime.date(2024, 1, 1 + i % 28))
    return society


def count(client, url: str) -> int:
    """Queries of ``url`` with the values derived from the content (the menu…) as they stand: computed once."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/ru/", "/en/societies/", "/vi/news/", "/ru/search/?q=визит"])
def test_query_count_does_not_grow(client, db, url):
    counts = []
    for n in (1, 10, 50):
        populate(n if not counts else n - sum((1, 10, 50)[: len(counts)]))
        counts.append(count(client, url))
    assert counts[0] == counts[1] == counts[2], counts


def test_society_page_query_count_does_not_grow(client, db):
    counts = []
    for n in (1, 10, 50):
        society = populate(n)
        counts.append(count(client, f"/ru/societies/{society.slug}/"))
    assert counts[0] == counts[1] == counts[2], counts
