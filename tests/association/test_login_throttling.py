"""Failed admin sign-ins are throttled (django-axes): a lockout, and its end."""

import datetime

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.urls import reverse

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
