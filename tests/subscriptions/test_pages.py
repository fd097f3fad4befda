"""The subscription pages: the same answer for every address, rate limits, managing, leaving, the page cache."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from subscriptions.models import Subscription
from subscriptions.tokens import MANAGE, token_make
from tests.factories import make_country, make_event, make_partner, make_society
from tests.subscriptions.factories import make_subscription
from tests.subscriptions.smtp import text_part


@pytest.fixture
def vietnam(db):
    country = make_country(code="VN", name_en="Vietnam", name_ru="Вьетнам")
    make_partner(country=country, name_en="Hanoi", slug="hanoi")
    return country


def subscribe(client, email, query="country=VN", frequency="weekly"):
    return client.post(f"/en/subscriptions/?{query}", {"email": email, "frequency": frequency})


def test_the_subscribe_page_names_the_selection(client, vietnam):
    society = make_society(countries=[vietnam], name_en="Russia–Vietnam Friendship Society")
    page = client.get(f"/en/subscriptions/?society={society.slug}&kind=exhibition&sort=title&frequency=monthly")
    assert page.status_code == 200
    assert "Society: <strong>Russia–Vietnam Friendship Society</strong>" in page.text
    assert "Kind: <strong>exhibition</strong>" in page.text
    assert 'value="monthly" required id="id_frequency_1" checked' in page.text or 'value="monthly"' in page.text
    assert page["Cache-Control"].startswith("max-age=0") and "private" in page["Cache-Control"]


def test_the_answer_never_tells_whether_an_address_is_subscribed(client, vietnam, smtp):
    make_subscription(email="known@example.org", selection="country=VN")
    known = subscribe(client, "known@example.org")
    unknown = subscribe(client, "unknown@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert client.get(known["Location"]).content == client.get(unknown["Location"]).content
    # Only the owner of the known address learns it, by mail, with the link to manage it.
    [already] = smtp.to("known@example.org")
    assert "already receives them" in text_part(already)
    assert "/en/subscriptions/manage/" in text_part(already)
    assert Subscription.objects.get(email="known@example.org").frequency == "weekly"
    assert Subscription.objects.filter(email="unknown@example.org", confirmed_at__isnull=True).exists()


def test_asking_again_before_confirming_sends_a_fresh_link_and_keeps_one_request(client, vietnam, smtp):
    subscribe(client, "member@example.org")
    subscribe(client, "Member@EXAMPLE.org", frequency="monthly")
    assert Subscription.objects.count() == 1
    assert Subscription.objects.get().frequency == "monthly"
    assert len(smtp.messages) == 2


def test_requests_are_limited_per_address(client, vietnam, smtp, settings):
    settings.SUBSCRIBE_RATE_PER_ADDRESS = 2
    for query in ("country=VN", "kind=exhibition"):
        assert subscribe(client, "member@example.org", query=query).status_code == 302
    limited = subscribe(client, "member@example.org", query="kind=festival")
    assert limited.status_code == 429 and "Too many requests" in limited.text
    assert Subscription.objects.count() == 2 and len(smtp.messages) == 2
    other = Client(REMOTE_ADDR="198.51.100.9")
    assert subscribe(other, "member@example.org", query="kind=concert").status_code == 429


def test_requests_are_limited_per_client(vietnam, smtp, settings):
    settings.SUBSCRIBE_RATE_PER_CLIENT = 3
    client = Client(REMOTE_ADDR="203.0.113.7")
    for n in range(3):
        assert subscribe(client, f"member{n}@example.org").status_code == 302
    assert subscribe(client, "member9@example.org").status_code == 429
    assert Subscription.objects.count() == 3
    assert subscribe(Client(REMOTE_ADDR="203.0.113.8"), "member9@example.org").status_code == 302


def test_csrf_protection_stays_on_for_subscribing(vietnam, smtp):
    strict = Client(enforce_csrf_checks=True)
    assert subscribe(strict, "member@example.org").status_code == 403
    assert not Subscription.objects.exists() and not smtp.messages


def test_the_manage_page_changes_frequency_and_selection(client, vietnam, smtp):
    subscription = make_subscription(email="member@example.org", selection="country=VN")
    url = f"/en/subscriptions/manage/{token_make(subscription, MANAGE)}/"
    page = client.get(url)
    assert page.status_code == 200 and "member@example.org" in page.text and "Vietnam" in page.text
    changed = client.post(url, {"frequency": "monthly", "country": "VN", "kind": "exhibition"}, follow=True)
    assert "Your subscription is changed." in changed.text
    subscription.refresh_from_db()
    assert (subscription.frequency, subscription.selection) == ("monthly", "country=VN&kind=exhibition")
    bad = client.post(url, {"frequency": "monthly", "country": "ZZ"})
    assert bad.status_code == 400 and "Country:" in bad.text
    subscription.refresh_from_db()
    assert subscription.selection == "country=VN&kind=exhibition"


def test_the_manage_page_refuses_a_selection_the_address_already_has(client, vietnam):
    first = make_subscription(email="member@example.org", selection="country=VN")
    make_subscription(email="member@example.org", selection="kind=exhibition")
    response = client.post(
        f"/en/subscriptions/manage/{token_make(first, MANAGE)}/", {"frequency": "weekly", "kind": "exhibition"}
    )
    assert response.status_code == 400 and "already receives that selection" in response.text
    first.refresh_from_db()
    assert first.selection == "country=VN"


def test_leaving_from_the_manage_page_deletes_the_address_and_its_digests(client, vietnam, smtp):
    subscription = make_subscription(email="member@example.org")
    subscription.deliveries.create(since=subscription.confirmed_at, until=subscription.confirmed_at)
    token = token_make(subscription, MANAGE)
    page = client.get(f"/en/subscriptions/unsubscribe/{token}/")
    assert page.status_code == 200 and "member@example.org" in page.text
    response = client.post(f"/en/subscriptions/unsubscribe/{token}/")
    assert response.status_code == 200 and "You are unsubscribed" in response.text
    assert not Subscription.objects.filter(email="member@example.org").exists()
    from subscriptions.models import Delivery

    assert not Delivery.objects.exists()


@pytest.fixture
def cached(settings):
    settings.PUBLIC_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("kind", ["events", "partner", "country", "society"])
def test_the_pages_with_the_form_are_still_served_from_the_page_cache(client, vietnam, cached, kind):
    society = make_society(countries=[vietnam])
    hanoi = vietnam.partners.get()
    urls = {
        "events": "/en/events/?country=VN",
        "partner": f"/en/partners/{hanoi.slug}/",
        "country": f"/en/partners/countries/{vietnam.slug}/",
        "society": f"/en/societies/{society.slug}/",
    }
    first = client.get(urls[kind])
    assert 'class="subscribe-form" method="get" action="/en/subscriptions/"' in first.text
    assert "csrfmiddlewaretoken" not in first.text and not first.cookies
    with CaptureQueriesContext(connection) as queries:
        second = client.get(urls[kind])
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT") and len(queries) == 0


def test_the_subscription_pages_are_never_cached(client, vietnam, cached):
    subscription = make_subscription(email="member@example.org")
    token = token_make(subscription, MANAGE)
    for url in ("/en/subscriptions/?country=VN", f"/en/subscriptions/manage/{token}/"):
        client.get(url)
        assert client.get(url)["X-Cache"] == "MISS"


def page_queries(client, url) -> int:
    """Queries of a page whose derived values (menu, filter choices) are already computed, as they mostly are."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_page_query_counts_do_not_grow(client, vietnam):
    hanoi = vietnam.partners.get()
    counts = []
    for n in (1, 10, 50):
        for i in range(n if not counts else n - (1, 10, 50)[len(counts) - 1]):
            make_event(partners=[hanoi])
            make_subscription(selection="country=VN", email=f"m{n}-{i}@example.org")
        subscription = Subscription.objects.first()
        token = token_make(subscription, MANAGE)
        counts.append(
            [
                page_queries(client, "/en/subscriptions/?country=VN"),
                page_queries(client, f"/en/subscriptions/manage/{token}/"),
                page_queries(client, f"/en/subscriptions/unsubscribe/{token}/"),
            ]
        )
    assert counts[0] == counts[1] == counts[2], counts


@pytest.fixture
def staff(django_user_model):
    def make(role):
        user = django_user_model.objects.create_user(role, f"{role}@example.org", "pass-word-123", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        client = Client()
        client.force_login(user)
        return client

    return make


def test_editors_see_addresses_and_viewers_only_figures(staff, vietnam):
    make_subscription(email="member@example.org", selection="country=VN")
    make_subscription(email="other@example.org", selection="country=VN", frequency="monthly")
    make_subscription(email="third@example.org", selection="")
    editor, viewer = staff("Editor"), staff("Viewer")
    listing = "/admin/subscriptions/subscription/"
    assert "member@example.org" in editor.get(listing).text
    page = viewer.get(listing).text
    assert "member@example.org" not in page and "m•••@example.org" in page
    assert viewer.get(listing + "?q=member").status_code == 200
    assert "member@example.org" not in viewer.get(listing + "?q=member").text
    figures = viewer.get("/admin/subscriptions/subscription/selections/")
    assert figures.status_code == 200
    text = figures.text
    assert "Вьетнам" in text and "member@" not in text
    assert editor.get(listing + "add/").status_code == 403
