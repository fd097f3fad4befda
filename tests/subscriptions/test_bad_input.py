"""Bad input on the subscribe and link pages: a clear message, and nothing written or sent."""

from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from subscriptions.models import Subscription
from subscriptions.tokens import CONFIRM, MANAGE, token_make
from tests.factories import make_country, make_partner


@pytest.fixture
def vietnam(db):
    country = make_country(code="VN")
    make_partner(country=country)
    return country


def subscribe(client, query="country=VN", lang="en", **data):
    return client.post(f"/{lang}/subscriptions/?{query}", {"frequency": "weekly", **data})


def nothing_happened(smtp) -> bool:
    return not Subscription.objects.exists() and not smtp.messages


@pytest.mark.parametrize(
    "address",
    [
        "",
        "not-an-address",
        "two@@example.org",
        "a@b",
        "a" * 250 + "@example.org",
        "name@example.org, other@example.org",
    ],
)
def test_an_invalid_address_is_refused_with_a_message(client, vietnam, smtp, address):
    response = subscribe(client, email=address)
    assert response.status_code == 400
    assert 'class="field-error"' in response.text
    assert nothing_happened(smtp)


INJECTIONS = [
    {"email": "victim@example.org\r\nBcc: everyone@example.org"},
    {"email": "victim@example.org\nSubject: hi"},
    {"email": "victim@example.org", "frequency": "weekly\r\nBcc: everyone@example.org"},
    {"email": "victim@example.org", "extra": "x\r\nBcc: everyone@example.org"},
]


@pytest.mark.parametrize("data", INJECTIONS)
def test_header_injection_in_a_field_is_refused(client, vietnam, smtp, data):
    response = client.post("/en/subscriptions/?country=VN", {"frequency": "weekly", **data})
    assert response.status_code == 400
    assert nothing_happened(smtp)


@pytest.mark.parametrize("query", ["q=exhibition%0D%0ABcc:%20x@example.org", "q=a%00b", "country=VN%0ABcc:x"])
def test_header_injection_in_the_selection_is_refused(client, vietnam, smtp, query):
    page = client.get(f"/en/subscriptions/?{query}")
    assert page.status_code == 400 and "cannot be subscribed to" in page.text
    response = subscribe(client, query=query, email="victim@example.org")
    assert response.status_code == 400
    assert nothing_happened(smtp)


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("country=ZZ", "Country"),
        ("kind=nope", "Kind"),
        ("year=abc", "Year"),
        ("date_from=2024-05-01&date_to=2024-01-01", "To"),
        ("society=no-such-society", "Society"),
    ],
)
def test_a_selection_with_invalid_values_gets_a_clear_message(client, vietnam, smtp, query, named):
    page = client.get(f"/en/subscriptions/?{query}")
    assert page.status_code == 400
    assert "This selection cannot be subscribed to" in page.text and f"{named}:" in page.text
    assert '<form class="subscription-form"' not in page.text
    response = subscribe(client, query=query, email="member@example.org")
    assert response.status_code == 400
    assert nothing_happened(smtp)


def test_a_forged_link_is_refused_everywhere(client, vietnam, smtp):
    subscription = Subscription.objects.create(
        email="member@example.org", selection="", language="en", frequency="weekly", requested_at=timezone.now()
    )
    good = token_make(subscription, CONFIRM)
    forged = [good[:-3] + "abc", signing.dumps(subscription.pk, salt="another.purpose"), "nonsense", good + "x"]
    for token in forged:
        for kind in ("confirm", "manage", "unsubscribe"):
            response = client.get(f"/en/subscriptions/{kind}/{token}/")
            assert response.status_code == 400, (kind, token)
            assert "This link is not valid" in response.text
            assert client.post(f"/en/subscriptions/{kind}/{token}/").status_code == 400
    # a confirmation link cannot manage nor unsubscribe
    assert client.post(f"/en/subscriptions/unsubscribe/{good}/").status_code == 400
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None and not smtp.messages


def test_an_expired_confirmation_link_confirms_nothing(client, vietnam, smtp):
    long_ago = timezone.now() - timedelta(days=8)
    subscription = Subscription.objects.create(
        email="member@example.org", selection="", language="en", frequency="weekly", requested_at=long_ago
    )
    with _signed_at(long_ago):
        token = token_make(subscription, CONFIRM)
    response = client.post(f"/en/subscriptions/confirm/{token}/")
    assert response.status_code == 410 and "This link has expired" in response.text
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    # A fresh link to a request older than 7 days is expired too.
    response = client.post(f"/en/subscriptions/confirm/{token_make(subscription, CONFIRM)}/")
    assert response.status_code == 410
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


def test_a_link_to_a_deleted_subscription_says_so(client, db):
    subscription = Subscription.objects.create(
        email="member@example.org", selection="", language="en", frequency="weekly", requested_at=timezone.now()
    )
    token = token_make(subscription, MANAGE)
    subscription.delete()
    response = client.get(f"/en/subscriptions/manage/{token}/")
    assert response.status_code == 410 and "no longer exists" in response.text
    # leaving twice is fine
    assert client.post(f"/en/subscriptions/unsubscribe/{token}/").status_code == 200


class _signed_at:
    """Sign as if at ``moment`` (TimestampSigner reads time.time())."""

    def __init__(self, moment):
        self.moment = moment

    def __enter__(self):
        import time
        from unittest import mock

        self.patch = mock.patch.object(time, "time", return_value=self.moment.timestamp())
        self.patch.start()

    def __exit__(self, *exc):
        self.patch.stop()
