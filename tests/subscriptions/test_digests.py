"""send_digests against a real SMTP server: what a digest reports, when it is due, failures, interruptions."""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event
from partners.models import Partner
from subscriptions import services
from subscriptions.models import Delivery, Subscription
from subscriptions.services import digest_send
from tests.factories import make_country, make_event, make_partner
from tests.subscriptions.factories import days_ago, make_subscription
from tests.subscriptions.smtp import text_part


@pytest.fixture
def hanoi(db):
    return make_partner(country=make_country(code="VN"), name_en="Hanoi")


def run(**kwargs):
    return digest_send(**kwargs)


def test_the_first_digest_reports_what_was_published_since_confirmation(hanoi, smtp):
    make_event(partners=[hanoi], title_en="Before")
    subscription = make_subscription(selection="country=VN")
    draft = make_event(partners=[hanoi], title_en="Draft", is_published=False)
    later = make_event(partners=[hanoi], title_en="Scheduled later", published_on=timezone.localdate() + timedelta(1))
    new = make_event(partners=[hanoi], title_en="New one", start="2030-05")
    report = run()
    assert report.sent == 1
    [digest] = smtp.messages
    text = text_part(digest)
    assert "New one" in text and "May 2030" in text
    assert "Before" not in text and "Draft" not in text and "Scheduled later" not in text
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SENT and delivery.events["new"] == [new.pk]
    subscription.refresh_from_db()
    assert subscription.last_sent_at == delivery.sent_at and subscription.covered_until == delivery.until
    # A draft published later, a publication date that comes: new in the next digest, a week on.
    draft.is_published = True
    draft.save()
    smtp.clear()
    assert run(now=timezone.now() + timedelta(days=8)).sent == 1
    text = text_part(smtp.messages[0])
    assert "Draft" in text and "Scheduled later" in text and "New one" not in text
    assert later.pk in Delivery.objects.latest("pk").events["new"]


def test_cancelled_postponed_and_moved_events_are_reported(hanoi, smtp):
    cancelled, postponed, moved, untouched = (make_event(partners=[hanoi], start="2031-03-01") for _ in range(4))
    make_subscription(selection="country=VN", confirmed_at=timezone.now())
    cancelled.status = Event.Status.CANCELLED
    cancelled.save()
    postponed.status = Event.Status.POSTPONED
    postponed.save()
    moved.start = "2031-04"
    moved.save()
    untouched.title_en = "Only the title changed"
    untouched.save()
    run()
    text = text_part(smtp.messages[0])
    changed = {pk: change for pk, change, _previous in Delivery.objects.get().events["changed"]}
    assert changed == {cancelled.pk: "cancelled", postponed.pk: "postponed", moved.pk: "moved"}
    assert "Cancelled, postponed or moved" in text
    assert "Moved; it was 1 March 2031" in text and "April 2031" in text
    assert "Only the title changed" not in text


def test_nothing_is_sent_when_nothing_is_new_and_the_period_still_counts(hanoi, smtp):
    subscription = make_subscription(selection="country=VN")
    make_event(partners=[make_partner(country=make_country(code="FR"))])  # outside the selection
    report = run()
    assert (report.sent, report.quiet) == (0, 1) and not smtp.messages
    subscription.refresh_from_db()
    assert subscription.covered_until is not None and subscription.last_sent_at is None


@pytest.mark.parametrize(
    ("frequency", "covered_days_ago", "due"),
    [("weekly", 6, False), ("weekly", 7, True), ("monthly", 27, False), ("monthly", 32, True)],
)
def test_a_subscriber_is_due_once_per_period(hanoi, smtp, frequency, covered_days_ago, due):
    make_subscription(selection="", frequency=frequency, covered_until=days_ago(covered_days_ago))
    make_event(partners=[hanoi])
    assert run().sent == (1 if due else 0)


def test_a_second_run_sends_nothing(hanoi, smtp):
    make_subscription()
    make_subscription(language="ru")
    make_event(partners=[hanoi])
    assert run().sent == 2
    assert run().sent == 0
    call_command("send_digests")
    assert len(smtp.messages) == 2


def test_digests_go_in_batches_over_one_connection_each(hanoi, smtp):
    for _ in range(5):
        make_subscription()
    make_event(partners=[hanoi])
    report = run(batch_size=2)
    assert report.sent == 5
    assert smtp.connections == 3  # 2 + 2 + 1


def test_a_permanent_refusal_three_times_deactivates_the_address(hanoi, smtp):
    subscription = make_subscription(email="gone@example.org")
    other = make_subscription(email="fine@example.org")
    smtp.refuse.add("gone@example.org")
    make_event(partners=[hanoi])
    for attempt in range(1, 4):
        report = run()
        assert (report.sent, report.refused) == (1 if attempt == 1 else 0, 1)
        subscription.refresh_from_db()
        assert subscription.failures == attempt
        assert "550" in Delivery.objects.filter(subscription=subscription).latest("pk").error
    assert subscription.deactivated_at is not None and report.deactivated == 1
    assert run().refused == 0  # no longer written to
    other.refresh_from_db()
    assert other.failures == 0


def test_a_temporary_refusal_is_counted_and_retried_next_run(hanoi, smtp):
    subscription = make_subscription(email="busy@example.org")
    smtp.defer.add("busy@example.org")
    make_event(partners=[hanoi])
    report = run()
    assert (report.sent, report.failed, report.failures) == (0, 1, 1)
    subscription.refresh_from_db()
    assert subscription.failures == 0 and subscription.covered_until is None
    smtp.defer.clear()
    assert run().sent == 1


def test_a_run_interrupted_by_the_server_going_away_resumes_without_duplicates(hanoi, smtp):
    for _ in range(6):
        make_subscription()
    make_event(partners=[hanoi])
    real = smtplib.SMTP.sendmail
    calls = {"n": 0}

    def flaky(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4:
            raise smtplib.SMTPServerDisconnected("gone")
        return real(self, *args, **kwargs)

    with mock.patch.object(smtplib.SMTP, "sendmail", flaky):
        report = run(batch_size=10)
    assert report.sent == 3 and report.errors
    assert Delivery.objects.filter(status=Delivery.Status.PENDING).count() == 3
    report = run()
    assert report.sent == 3
    recipients = [message["To"] for message in smtp.messages]
    assert len(recipients) == len(set(recipients)) == 6


def test_a_run_stopped_mid_batch_records_what_it_sent(hanoi, smtp):
    for _ in range(4):
        make_subscription()
    make_event(partners=[hanoi])
    real = smtplib.SMTP.sendmail
    calls = {"n": 0}

    def stopped(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(self, *args, **kwargs)

    with mock.patch.object(smtplib.SMTP, "sendmail", stopped), pytest.raises(KeyboardInterrupt):
        run()
    services._run_lock().__exit__()  # the process would have ended, freeing the lock
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 2
    run()
    recipients = [message["To"] for message in smtp.messages]
    assert len(recipients) == len(set(recipients)) == 4 - 1  # the one in flight is not resent
    assert Delivery.objects.filter(status=Delivery.Status.INTERRUPTED).count() == 1


def test_a_run_killed_while_sending_does_not_send_those_again(hanoi, smtp):
    subscription = make_subscription()
    make_event(partners=[hanoi])
    services.digest_plan(now=timezone.now())
    services.digest_batch_claim(size=10)  # then the process is killed
    report = run()
    assert report.interrupted == 1 and report.sent == 0 and not smtp.messages
    subscription.refresh_from_db()
    assert subscription.covered_until is not None


def test_unconfirmed_requests_expire_after_seven_days(db, smtp):
    make_subscription(confirmed=False, requested_at=days_ago(8))
    kept = make_subscription(confirmed=False, requested_at=days_ago(6))
    assert run().expired == 1
    assert list(Subscription.objects.all()) == [kept]


def test_a_selection_naming_what_no_longer_exists_sends_nothing(hanoi, smtp):
    make_subscription(selection=f"partner={hanoi.slug}")
    make_event(partners=[hanoi])
    hanoi.is_published = False
    hanoi.save()
    make_event()
    report = run()
    assert (report.broken, report.sent) == (1, 0) and not smtp.messages


def populate(n: int, selections: list[str]) -> None:
    """``n`` subscribers over ``selections`` in the three languages, and ``n`` new events."""
    Subscription.objects.all().delete()
    for i in range(n):
        make_subscription(selection=selections[i % len(selections)], language=("ru", "en", "vi")[i % 3])
    partner = Partner.objects.get(slug="hanoi")
    for i in range(n):
        make_event(partners=[partner], kind="exhibition" if i % 2 else "other", title_en=f"Visit {i}")


def queries_of_a_run() -> int:
    with CaptureQueriesContext(connection) as queries:
        report = run(batch_size=100)
    assert report.sent == Subscription.objects.count()
    return len(queries)


def test_the_run_makes_the_same_number_of_queries_for_1_10_and_50_subscribers_and_events(hanoi, smtp):
    hanoi.slug = "hanoi"
    hanoi.save()
    counts = []
    for n in (1, 10, 50):
        populate(n, ["country=VN"])
        counts.append(queries_of_a_run())
    assert counts[0] == counts[1] == counts[2], counts


def test_queries_grow_with_distinct_selections_not_with_subscribers(hanoi, smtp):
    hanoi.slug = "hanoi"
    hanoi.save()
    # A text search is evaluated once per language it is read in (the index holds each language's text):
    # 15 subscribers already cover every pair of these 5 selections and 3 languages.
    selections = ["", "country=VN", "partner=hanoi", "kind=exhibition", "q=visit"]
    counts = []
    for n in (15, 60):
        populate(n, selections)
        counts.append(queries_of_a_run())
    assert counts[0] == counts[1], counts
