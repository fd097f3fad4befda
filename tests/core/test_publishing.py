import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from association.models import NewsItem, Page
from events.models import Event
from tests.factories import make_event

pytestmark = pytest.mark.django_db
TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def make_news(**fields) -> NewsItem:
    return NewsItem.objects.create(title_ru="Новость", body_ru="Текст", **fields)


def make_page(**fields) -> Page:
    return Page.objects.create(title_ru="Страница", body_ru="Текст", **fields)


@pytest.mark.parametrize("fields", [{"is_published": False}, {"published_on": TOMORROW}])
def test_drafts_and_scheduled_records_are_not_public(client, fields):
    event = make_event(**fields)
    news, page = make_news(**fields), make_page(**fields)
    assert not Event.objects.published().filter(pk=event.pk).exists()
    for url in (event.get_absolute_url(), news.get_absolute_url(), page.get_absolute_url()):
        assert client.get(url).status_code == 404
    assert event.title_ru not in client.get(reverse("events:list")).text
    assert client.get(reverse("association:search"), {"q": "Визит делегации"}).text.count(event.title_ru) == 0


def test_published_records_are_public(client):
    event, news, page = make_event(), make_news(), make_page()
    for url in (event.get_absolute_url(), news.get_absolute_url(), page.get_absolute_url()):
        assert client.get(url).status_code == 200


def test_staff_preview_a_draft_as_the_public_sees_it(staff_client):
    event = make_event(is_published=False, description_ru="Черновик описания")
    news, page = make_news(is_published=False), make_page(published_on=TOMORROW)
    for obj, name in ((event, "events_event"), (news, "association_newsitem"), (page, "association_page")):
        url = reverse(f"admin:{name}_preview", args=[obj.pk])
        response = staff_client.get(url, {"language": "en"})
        assert response.status_code == 200
        assert response["X-Robots-Tag"] == "noindex"
        assert "<html" in response.text
        assert Client().get(url).status_code == 302  # the public is sent to the login page
    assert "Черновик описания" in staff_client.get(reverse("admin:events_event_preview", args=[event.pk])).text


def test_publish_action_publishes_now(staff_client):
    draft = make_event(is_published=False, published_on=TOMORROW)
    response = staff_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
    )
    assert response.status_code == 302
    assert Event.objects.published().filter(pk=draft.pk).exists()
