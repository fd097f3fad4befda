"""The year in review: /<lang>/events/<year>/review/, its figures, chart, links, cache and query count."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event
from events.review import WHOLE_YEAR, year_in_review
from tests.factories import make_agreement, make_country, make_event, make_milestone, make_partner, make_region

URL = "/{lang}/events/2024/review/"


def names(ru, en, vi, field="name"):
    return {f"{field}_ru": ru, f"{field}_en": en, f"{field}_vi": vi}


@pytest.fixture
def year(db):
    asia = make_region(code="asia", position=1, **names("Азия", "Asia", "Châu Á"))
    europe = make_region(code="europe", position=0, **names("Европа", "Europe", "Châu Âu"))
    vietnam = make_country(code="VN", region=asia, **names("Вьетнам", "Vietnam", "Việt Nam"))
    finland = make_country(code="FI", region=europe, **names("Финляндия", "Finland", "Phần Lan"))
    hanoi = make_partner(country=vietnam, **names("Ханой", "Hanoi", "Hà Nội"))
    turku = make_partner(country=finland, **names("Турку", "Turku", "Turku"))
    incoming = Event.Kind.INCOMING
    make_event(partners=[hanoi], start="2024-07-03", end="2024-07-06", kind=incoming)
    make_event(partners=[hanoi, turku], start="2024-07-10", kind=Event.Kind.OUTGOING)  # counts under Europe
    make_event(partners=[hanoi], start="2024-06")
    make_event(partners=[turku], start="2024")
    make_event(partners=[], start="2023-12-30", end="2024-01-02")  # reaches into January
    make_event(partners=[hanoi], start="2023-05-10")  # another year
    make_event(partners=[hanoi], start="2024-09-01", is_published=False)  # a draft
    agreement = make_agreement(hanoi, **names("Меморандум", "Memorandum", "Bản ghi nhớ", "title"))
    make_milestone(agreement, "2024-06")
    make_milestone(make_agreement(turku), "1999")
    return locals()


def test_the_figures_of_the_year(year):
    review = year_in_review(2024)
    assert (review.events, review.incoming, review.outgoing) == (5, 1, 1)
    assert (review.partners, review.countries) == (2, 2)
    europe, asia = year["europe"].pk, year["asia"].pk
    assert review.by_month_region == {(7, asia): 1, (7, europe): 1, (6, asia): 1, (WHOLE_YEAR, europe): 1, (1, None): 1}
    assert [(p.name_en, p.event_count) for p in review.top_partners] == [("Hanoi", 3), ("Turku", 2)]
    assert [(a.title_en, str(a.first_step)) for a in review.new_agreements] == [("Memorandum", "2024-06")]
    assert year_in_review(2019) is None


@pytest.mark.parametrize(
    ("lang", "heading", "month"),
    [
        ("ru", "Итоги 2024 года", "Июль — 2"),
        ("en", "2024 at a glance", "July — 2"),
        ("vi", "Tổng quan năm 2024", "Tháng 7 — 2"),
    ],
)
def test_the_page_in_each_language(client, year, lang, heading, month):
    response = client.get(URL.format(lang=lang))
    assert response.status_code == 200
    html = response.text
    assert f"<h1>{heading}</h1>" in html
    assert re.search(r'<svg[^>]+role="img" aria-labelledby="chart-title chart-desc"', html)
    assert month in html  # the chart's label of July, with its count
    assert 'width="50%"' in html  # July's Asian half of the widest bar: percentages, never a decimal comma
    assert f"/{lang}/events/?year=2024&amp;region=europe" in html
    assert f"/{lang}/events/?year=2024&amp;kind=incoming-delegation" in html
    assert f"/{lang}/events/?year=2024&amp;partner={year['hanoi'].slug}" in html
    assert f"/{lang}/events/?date_from=2024-07-01&amp;date_to=2024-07-31" in html
    assert "<table>" in html and "<caption>" in html  # the figures in words


def test_a_year_without_events_or_out_of_range_is_not_found(client, year):
    assert client.get("/en/events/2019/review/").status_code == 404
    assert client.get("/en/events/3000/review/").status_code == 404


def test_the_events_list_and_the_home_page_lead_to_it(client, year):
    make_event(partners=[year["hanoi"]], start="2024-02-02", report_year=2024)
    assert 'href="/en/events/2024/review/"' in client.get("/en/events/").text
    assert 'href="/en/events/2023/review/"' in client.get("/en/events/?year=2023").text
    assert 'href="/en/events/2024/review/"' in client.get("/en/").text


def count(client) -> int:
    """Queries of the page with the values derived from the content (menu, newest report year) as they stand."""
    client.get(URL.format(lang="en"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL.format(lang="en")).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_data(client, year):
    few = count(client)
    for n in range(30):
        partner = make_partner(country=year["vietnam"])
        make_event(partners=[partner, year["hanoi"]], start=f"2024-{n % 12 + 1:02d}-0{n % 9 + 1}")
        make_milestone(make_agreement(partner), f"2024-{n % 12 + 1:02d}")
    assert count(client) == few
    assert "31 new agreements in all." in client.get(URL.format(lang="en")).text  # 20 listed


def test_it_is_cached_like_the_other_public_pages(client, year, settings):
    settings.PUBLIC_CACHE_SECONDS = 600
    assert client.get(URL.format(lang="vi"))["X-Cache"] == "MISS"
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL.format(lang="vi"))["X-Cache"] == "HIT"
    assert len(queries) == 0


@pytest.mark.parametrize(("lang", "label"), [("ru", "мероприятий"), ("en", "events"), ("vi", "sự kiện")])
def test_the_events_total_is_labelled_in_the_page_language(client, year, lang, label):
    html = client.get(URL.format(lang=lang)).text
    total = re.search(r'<a href="/\w\w/events/\?year=2024">([^<]+)</a></li>', html)
    assert total and total.group(1).strip() == label
