"""Partner, country and society pages link the calendar and the Atom feed of their own events."""

import re

import pytest

from tests.factories import make_country, make_event, make_partner, make_society


@pytest.fixture
def pages(db):
    vietnam = make_country(code="VN", name_en="Vietnam")
    hanoi = make_partner(country=vietnam, name_en="Hanoi")
    society = make_society(countries=[vietnam], name_en="Russia–Vietnam Friendship Society")
    make_event(partners=[hanoi], societies=[society], start="2024-07-03")
    return {
        "partner": (f"/en/partners/{hanoi.slug}/", f"/en/events/partners/{hanoi.slug}/", "Hanoi"),
        "country": (f"/en/partners/countries/{vietnam.slug}/", "/en/events/countries/VN/", "Vietnam"),
        "society": (f"/en/societies/{society.slug}/", f"/en/events/societies/{society.slug}/", society.name_en),
    }


@pytest.mark.parametrize("kind", ["partner", "country", "society"])
def test_the_page_links_its_own_calendar_and_feed(client, pages, kind):
    url, feeds, name = pages[kind]
    html = client.get(url).text
    head, body = html.split("</head>")
    assert (
        f'<link rel="alternate" type="application/atom+xml" title="Events: {name} (Atom feed)" href="{feeds}feed.atom">'
        in head
    )
    assert (
        f'<link rel="alternate" type="text/calendar" title="Events: {name} (calendar)" href="{feeds}calendar.ics">'
        in head
    )
    block = re.search(r'<p class="subscribe subscribe-links">(.*?)</p>', body, flags=re.S).group(1)
    assert "Subscribe to these events:" in block
    assert f'<a href="{feeds}calendar.ics" type="text/calendar">calendar (iCalendar)</a>' in block
    assert f'<a href="{feeds}feed.atom" type="application/atom+xml">news feed (Atom)</a>' in block
    calendar, feed = client.get(f"{feeds}calendar.ics"), client.get(f"{feeds}feed.atom")
    assert calendar.status_code == feed.status_code == 200
    assert calendar["Content-Type"].startswith("text/calendar")
    assert b"<feed" in feed.content


def test_the_feeds_titles_are_in_the_pages_language(client, pages):
    url, feeds, _name = pages["partner"]
    html = client.get(url.replace("/en/", "/ru/")).text
    assert 'title="Мероприятия: ' in html and f'href="{feeds.replace("/en/", "/ru/")}feed.atom"' in html
