"""The association's contacts: empty until staff fill them in, then in the footer and on the About page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from association.models import Page, SiteSettings
from core.roles import EDITOR, TRANSLATOR_EN, VIEWER

pytestmark = pytest.mark.django_db


@pytest.fixture
def about(db):
    return Page.objects.create(slug="about", position=1, title_ru="О нас", title_en="About us", title_vi="Về chúng tôi")


@pytest.fixture
def contacts(db):
    return SiteSettings.objects.create(
        address_ru="191186, Санкт-Петербург,\nнаб. реки Фонтанки, 21",
        email="info@example.org",
        phone="+7 (812) 000-00-00",
        telegram_url="https://t.me/example",
    )


def test_no_contacts_are_shown_until_staff_fill_them_in(client, about):
    assert SiteSettings.current() is None
    for url in ("/en/", "/en/pages/about/"):
        html = client.get(url).text
        assert "<address" not in html
        assert "Contacts" not in html
    SiteSettings.objects.create()  # saved, but every field empty
    assert "<address" not in client.get("/en/pages/about/").text


def test_footer_and_about_page_show_the_filled_contacts(client, about, contacts):
    for url in ("/ru/events/", "/ru/pages/about/"):
        html = client.get(url).text
        assert "наб. реки Фонтанки, 21" in html
        assert '<a href="mailto:info@example.org">info@example.org</a>' in html
        assert '<a href="tel:+78120000000">+7 (812) 000-00-00</a>' in html
        assert '<a href="https://t.me/example" rel="me noopener">Telegram</a>' in html
        assert "ВКонтакте" not in html  # not filled, not shown
    about_page = client.get("/ru/pages/about/").text
    assert '<h2 id="contacts-heading">Контакты</h2>' in about_page
    assert 'id="contacts-heading"' not in client.get("/ru/events/").text


def test_an_address_in_russian_only_is_labelled_on_english_pages(client, contacts):
    html = client.get("/en/").text
    assert '<span lang="ru" class="fallback">191186, Санкт-Петербург,\nнаб. реки Фонтанки, 21</span>' in html
    assert '<span class="fallback-label">In Russian</span>' in html


def test_contacts_are_read_once_not_on_every_page(client, contacts):
    client.get("/en/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/en/news/").status_code == 200
    assert not [query for query in queries if "association_sitesettings" in query["sql"]]


def test_saving_the_contacts_refreshes_the_pages(client, contacts):
    assert "info@example.org" in client.get("/en/").text
    contacts.email = "office@example.org"
    contacts.save()
    assert "office@example.org" in client.get("/en/").text


def test_a_social_link_that_is_not_a_web_address_is_not_linked(client):
    SiteSettings.objects.create(vk_url="javascript:alert(1)")
    assert "javascript:" not in client.get("/en/").text


def test_there_is_one_record_at_most(contacts):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SiteSettings.objects.create()


def test_an_editor_creates_the_record_once_and_cannot_delete_it(login):
    client = login(EDITOR)
    changelist = reverse("admin:association_sitesettings_changelist")
    add = reverse("admin:association_sitesettings_add")
    assert client.get(changelist)["Location"] == add
    response = client.post(add, {"email": "info@example.org", "address_ru": "Санкт-Петербург"})
    assert response.status_code == 302
    record = SiteSettings.current()
    assert (record.email, record.address_ru) == ("info@example.org", "Санкт-Петербург")
    change = reverse("admin:association_sitesettings_change", args=[record.pk])
    assert client.get(changelist)["Location"] == change
    assert client.get(add).status_code == 403
    delete = reverse("admin:association_sitesettings_delete", args=[record.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_a_translator_changes_only_the_address_in_their_language(login, contacts):
    client = login(TRANSLATOR_EN)
    change = reverse("admin:association_sitesettings_change", args=[contacts.pk])
    response = client.post(change, {"address_en": "21 Fontanka Embankment", "email": "spam@example.org"})
    assert response.status_code == 302
    contacts.refresh_from_db()
    assert (contacts.address_en, contacts.email) == ("21 Fontanka Embankment", "info@example.org")


def test_a_viewer_reads_but_cannot_change(login, contacts):
    client = login(VIEWER)
    change = reverse("admin:association_sitesettings_change", args=[contacts.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"email": "spam@example.org"}).status_code == 403
    contacts.refresh_from_db()
    assert contacts.email == "info@example.org"


def test_staff_without_a_role_cannot_open_it(client, django_user_model, contacts):
    client.force_login(django_user_model.objects.create_user("nobody", password="x", is_staff=True))
    assert client.get(reverse("admin:association_sitesettings_change", args=[contacts.pk])).status_code == 403
