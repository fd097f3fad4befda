"""The whole flow against a real SMTP server, in each language: subscribe through the form, confirm from
the mail, get a digest of a newly published event, leave with the one-click POST, and get nothing more."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from subscriptions.models import Subscription
from tests.factories import make_country, make_event, make_partner, make_society
from tests.subscriptions.smtp import html_part, text_part

SUBJECTS = {
    "confirm": {
        "ru": "Подтвердите подписку на мероприятия",
        "en": "Confirm your subscription to events",
        "vi": "Xác nhận đăng ký nhận tin sự kiện",
    },
    "digest": {
        "ru": "1 новость о мероприятиях, на которые вы подписаны",
        "en": "1 update on the events you follow",
        "vi": "1 cập nhật về các sự kiện bạn theo dõi",
    },
}
NEW_EVENTS = {"ru": "Новые мероприятия", "en": "New events", "vi": "Sự kiện mới"}
DATES = {"ru": "3 июля 2031\u202fг.", "en": "3 July 2031", "vi": "3 tháng 7, 2031"}  # CLDR: a narrow space in ru


@pytest.fixture
def world(db):
    vietnam = make_country(code="VN", name_ru="Вьетнам", name_en="Vietnam", name_vi="Việt Nam")
    hanoi = make_partner(country=vietnam, name_ru="Ханой", name_en="Hanoi", name_vi="Hà Nội")
    paris = make_partner(country=make_country(code="FR"))
    society = make_society(countries=[vietnam])
    old = make_event(partners=[hanoi], start="2024-07-03", title_en="Already there")
    return {"vietnam": vietnam, "hanoi": hanoi, "paris": paris, "society": society, "old": old}


def header(message, name: str) -> str:
    """A header unfolded: a long one is folded onto a second line, which leaves a leading space."""
    return str(message[name]).strip()


def path_of(url: str) -> str:
    return urlsplit(url).path


def link(text: str, kind: str) -> str:
    match = re.search(rf"https://portal\.example\.org(/\w\w/subscriptions/{kind}/[^/\s]+/)", text)
    assert match, f"no {kind} link in:\n{text}"
    return match.group(1)


@pytest.mark.parametrize("lang", ["ru", "en", "vi"])
def test_subscribe_confirm_digest_and_leave(world, smtp, lang):
    browser = Client(enforce_csrf_checks=True)
    address = f"member-{lang}@example.org"

    # The list offers a plain GET form that carries its selection to the subscribe page.
    listing = browser.get(f"/{lang}/events/?country=VN&sort=title")
    assert 'class="subscribe-form" method="get"' in listing.text
    assert '<input type="hidden" name="country" value="VN">' in listing.text
    page = browser.get(f"/{lang}/subscriptions/?country=VN&sort=title&frequency=monthly")
    assert page.status_code == 200
    assert world["vietnam"].__dict__[f"name_{lang}"] in page.text
    token = browser.cookies["csrftoken"].value
    sent = browser.post(
        f"/{lang}/subscriptions/?country=VN&sort=title",
        {"email": address, "frequency": "weekly", "csrfmiddlewaretoken": token},
    )
    assert sent.status_code == 302 and sent["Location"] == f"/{lang}/subscriptions/requested/"

    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.selection, subscription.language) == (address, "country=VN", lang)
    assert subscription.frequency == "weekly" and subscription.confirmed_at is None

    # The confirmation mail, in the visitor's language; nothing else is sent before confirmation.
    [confirmation] = smtp.to(address)
    assert header(confirmation, "Subject") == SUBJECTS["confirm"][lang]
    assert header(confirmation, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    assert header(confirmation, "List-Unsubscribe").startswith(
        f"<https://portal.example.org/{lang}/subscriptions/unsubscribe/"
    )
    assert "Việt Nam" in text_part(confirmation) if lang == "vi" else True
    call_command("send_digests")
    assert len(smtp.messages) == 1

    confirm_path = link(text_part(confirmation), "confirm")
    assert link(html_part(confirmation), "confirm") == confirm_path
    page = browser.get(confirm_path)
    assert page.status_code == 200 and address in page.text
    confirmed = browser.post(confirm_path, {"csrfmiddlewaretoken": browser.cookies["csrftoken"].value})
    assert confirmed.status_code == 302
    assert browser.get(confirmed["Location"]).status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None

    # An event of the selection is published; one outside it too.
    new = make_event(
        partners=[world["hanoi"]], start="2031-07-03", title_ru="Выставка", title_en="Exhibition", title_vi="Triển lãm"
    )
    make_event(partners=[world["paris"]], start="2031-07-04", title_en="Elsewhere")
    call_command("send_digests")
    [digest] = [message for message in smtp.to(address) if message is not confirmation]
    assert header(digest, "Subject") == SUBJECTS["digest"][lang]
    assert header(digest, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    assert header(digest, "Content-Language") == lang
    text, html = text_part(digest), html_part(digest)
    for part in (text, html):
        assert NEW_EVENTS[lang] in part
        assert getattr(new, f"title_{lang}") in part
        assert DATES[lang] in part
        assert f"https://portal.example.org/{lang}/events/{new.pk}/" in part
        assert "Elsewhere" not in part and "Already there" not in part
    unsubscribe = header(digest, "List-Unsubscribe").strip("<>")
    assert path_of(unsubscribe) == link(text, "unsubscribe")

    # One click, as a mail program does it (RFC 8058): no cookie, no CSRF token.
    mail_program = Client(enforce_csrf_checks=True)
    left = mail_program.post(
        path_of(unsubscribe), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert left.status_code == 200
    assert not Subscription.objects.filter(email__iexact=address).exists()

    make_event(partners=[world["hanoi"]], start="2031-08-01")
    before = len(smtp.messages)
    call_command("send_digests")
    assert len(smtp.messages) == before
