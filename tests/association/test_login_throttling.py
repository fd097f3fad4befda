"""Failed admin sign-ins are throttled (django-axes): a lockout, its end, and who it cannot hit."""

import datetime

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from core.roles import EDITOR

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-pass-phrase-42"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("staffer", password=PASSWORD, is_staff=True)


def sign_in(client, password: str):
    return client.post(reverse("admin:login"), {"username": "staffer", "password": password, "next": "/admin/"})


def lock_out(client) -> None:
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong").status_code == 200  # the form again, with its error
    assert sign_in(client, "wrong").status_code == 429  # the last allowed failure locks


def test_repeated_failures_lock_the_account_even_for_the_right_password(client, editor):
    lock_out(client)
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_reset_unlocks(client, editor):
    lock_out(client)
    reset(username="staffer")
    assert sign_in(client, PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_the_lockout_ends_after_the_cool_off(client, editor):
    lock_out(client)
    past = datetime.datetime.now(tz=datetime.UTC) - settings.AXES_COOLOFF_TIME - datetime.timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=past)
    assert sign_in(client, PASSWORD).status_code == 302


def test_fewer_failures_do_not_lock(client, editor):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).status_code == 302


# Behind the reverse proxy: every request comes from the proxy's address, and nginx
# appends the client's address to X-Forwarded-For.
PROXY = "127.0.0.1"
STRANGER, STAFF_HOME = "203.0.113.9", "198.51.100.7"


def sign_in_from(client, address: str, password: str, forged: str = ""):
    forwarded = f"{forged}, {address}" if forged else address
    return client.post(
        reverse("admin:login"),
        {"username": "staffer", "password": password, "next": "/admin/"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.fixture
def behind_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def test_a_stranger_cannot_lock_a_staff_member_out_through_the_proxy(client, editor, behind_the_proxy):
    stranger = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in_from(stranger, STRANGER, "wrong")
    assert response.status_code == 429  # the stranger is locked out...
    assert sign_in_from(client, STAFF_HOME, PASSWORD).status_code == 302  # ...the staff member is not
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_forging_x_forwarded_for_does_not_escape_the_lockout(editor, behind_the_proxy):
    stranger = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in_from(stranger, STRANGER, "wrong", forged=f"10.0.0.{attempt}")
    assert sign_in_from(stranger, STRANGER, PASSWORD, forged="10.9.9.9").status_code == 429


def test_without_a_trusted_proxy_the_header_is_ignored(editor, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    stranger = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        stranger.post(
            reverse("admin:login"),
            {"username": "staffer", "password": "wrong"},
            REMOTE_ADDR=STRANGER,
            HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}",
        )
    assert AccessAttempt.objects.get().ip_address == STRANGER


def test_the_lockout_page_says_how_long_and_who_can_lift_it(client, editor, behind_the_proxy):
    client.cookies["django_language"] = "en"
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in_from(client, STAFF_HOME, "wrong")
    assert response.status_code == 429
    assert "try again in 15 minutes" in response.text
    assert "An editor can lift the pause" in response.text
    five_minutes_ago = AccessAttempt.objects.get().attempt_time - datetime.timedelta(minutes=5)
    AccessAttempt.objects.update(attempt_time=five_minutes_ago)
    again = sign_in_from(client, STAFF_HOME, PASSWORD)  # the right password, still paused
    assert again.status_code == 429 and "try again in 10 minutes" in again.text
    assert AccessAttempt.objects.get().attempt_time == five_minutes_ago  # trying again did not restart the wait


def test_the_lockout_page_speaks_russian(client, editor, behind_the_proxy):
    client.cookies["django_language"] = "ru"
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in_from(client, STAFF_HOME, "wrong")
    assert "Повторить вход можно через 15 минут" in response.text


def test_an_editor_unlocks_in_the_admin(client, editor, django_user_model, behind_the_proxy):
    lock_out(client)
    colleague = django_user_model.objects.create_user("colleague", password="x", is_staff=True)
    colleague.groups.add(Group.objects.get(name=EDITOR))
    admin_client = Client()
    admin_client.cookies["django_language"] = "en"
    admin_client.force_login(colleague)
    changelist = reverse("admin:axes_accessattempt_changelist")
    listing = admin_client.get(changelist)
    assert listing.status_code == 200 and "staffer" in listing.text
    pks = list(AccessAttempt.objects.values_list("pk", flat=True))
    response = admin_client.post(changelist, {"action": "unlock", "_selected_action": pks}, follow=True)
    assert "1 lockout lifted." in response.text
    assert sign_in(client, PASSWORD).status_code == 302
