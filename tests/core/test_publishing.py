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


@pytest.mark.parametrize(
    ("fields", "banner"),
    [
        ({"is_published": False}, "Draft — not public"),
        ({"published_on": TOMORROW}, "Scheduled — public from"),
        ({}, "Preview — the public sees this record"),
    ],
)
def test_the_preview_says_what_the_public_sees(staff_client, fields, banner):
    event = make_event(**fields)
    page = staff_client.get(reverse("admin:events_event_preview", args=[event.pk]), {"language": "en"}).text
    assert 'class="preview-banner' in page
    assert banner in page
    assert reverse("admin:events_event_change", args=[event.pk]) in page  # back to the form


def test_the_public_page_has_no_banner(client):
    event = make_event()
    assert "preview-banner" not in client.get(event.get_absolute_url()).text


def test_view_on_site_opens_the_preview_of_a_draft_and_the_page_of_a_public_record(staff_client):
    draft, public = make_event(is_published=False), make_event()
    draft_form = staff_client.get(reverse("admin:events_event_change", args=[draft.pk])).text
    preview_url = reverse("admin:events_event_preview", args=[draft.pk])
    assert f'href="{preview_url}" class="viewsitelink"' in draft_form
    assert f'href="{preview_url}" class="previewlink"' in draft_form  # Preview is an object tool too
    public_form = staff_client.get(reverse("admin:events_event_change", args=[public.pk])).text
    assert 'class="viewsitelink"' in public_form
    assert f'href="{reverse("admin:events_event_preview", args=[public.pk])}" class="viewsitelink"' not in public_form


@pytest.mark.parametrize("name", ["partner", "society"])
def test_draft_partners_and_societies_have_a_preview(staff_client, name):
    from tests.factories import make_partner, make_society

    obj = make_partner(is_published=False) if name == "partner" else make_society(is_published=False)
    label = f"{obj._meta.app_label}_{obj._meta.model_name}"
    assert Client().get(obj.get_absolute_url()).status_code == 404
    response = staff_client.get(reverse(f"admin:{label}_preview", args=[obj.pk]), {"language": "en"})
    assert response.status_code == 200
    assert "Draft — not public" in response.text
    assert obj.name_en in response.text
    form = staff_client.get(reverse(f"admin:{label}_change", args=[obj.pk])).text
    assert f'href="{reverse(f"admin:{label}_preview", args=[obj.pk])}" class="viewsitelink"' in form
