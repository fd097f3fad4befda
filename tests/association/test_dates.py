"""One date style per language on every page (CLDR, through ``partial_date``), precision respected for news too."""

import datetime

import pytest
from django.urls import reverse

from association.models import NewsItem
from core.partial_dates import PartialDate
from tests.factories import make_event

pytestmark = pytest.mark.django_db

DAY = {"ru": "1 мая 2024\u202fг.", "en": "1 May 2024", "vi": "1 tháng 5, 2024"}


def news(published, slug="news") -> NewsItem:
    item = NewsItem(slug=slug, title_ru="Новость", title_en="News item", title_vi="Tin tức", published=published)
    item.save()
    return item


@pytest.mark.parametrize("language", ["ru", "en", "vi"])
def test_news_and_events_write_a_day_the_same_way(client, language):
    news("2024-05-01")
    event = make_event(start="2024-05-01")
    for url in (f"/{language}/news/", f"/{language}/news/news/", f"/{language}/", f"/{language}/events/{event.pk}/"):
        html = client.get(url).text
        assert DAY[language] in html, url
    assert "May 1, 2024" not in client.get("/en/news/").text


@pytest.mark.parametrize("language", ["ru", "en", "vi"])
def test_a_news_item_known_by_its_year_shows_the_year_alone(client, language):
    news("2024")
    for url in (f"/{language}/news/", f"/{language}/news/news/", f"/{language}/"):
        html = client.get(url).text
        assert '<time datetime="2024">2024</time>' in html, url
        assert "1 January" not in html and "1 января" not in html


def test_a_news_item_known_by_its_month(client):
    news("2024-06")
    assert '<time datetime="2024-06">June 2024</time>' in client.get("/en/news/").text


def test_the_publication_date_is_the_first_day_of_its_period():
    item = news("2024")
    assert (item.published_on, item.published) == (datetime.date(2024, 1, 1), PartialDate(2024))
    item.published_on = datetime.date(2024, 8, 15)  # publishing now sets a day: it moves to the year's first day
    item.save()
    item.refresh_from_db()
    assert (item.published_on, item.published) == (datetime.date(2024, 1, 1), PartialDate(2024))


def test_staff_type_a_year_month_or_day_in_the_admin(staff_client):
    response = staff_client.get(reverse("admin:association_newsitem_add"))
    assert 'name="published"' in response.text and 'name="published_on"' not in response.text
    item = news("2024")
    response = staff_client.get(reverse("admin:association_newsitem_change", args=[item.pk]))
    assert 'name="published" value="2024"' in response.text
