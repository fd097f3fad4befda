import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import translation

from tests.factories import make_country, make_event, make_partner, make_society


@pytest.fixture(autouse=True)
def _reset_language():
    yield
    translation.activate("ru")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rolled-back rows do not bump the content version."""
    cache.clear()


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pass-word-123")
    client.force_login(user)
    return client


@pytest.fixture
def login(client, django_user_model):
    """``login(EDITOR)``: the client, signed in as a staff member with that role (core.roles)."""

    def login_as(role: str):
        user = django_user_model.objects.create_user(role.replace(" ", "-").lower(), password="x", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        client.force_login(user)
        return client

    return login_as


@pytest.fixture
def country(db):
    return make_country()


@pytest.fixture
def partner(country):
    return make_partner(country=country)


@pytest.fixture
def event(partner):
    return make_event(partners=[partner])


@pytest.fixture
def society(country):
    return make_society(countries=[country])
