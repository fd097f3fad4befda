import os
import uuid

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import translation

from association.models import NewsItem, Page
from association.seed import seed_load
from core.history import is_tracked
from core.models import SearchEntry
from events.models import Event
from partners.models import Agreement, Country, Partner, Region
from societies.models import Society
from tests.factories import make_country, make_event, make_partner, make_society


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database without the reference geography that ``migrate`` loads (249 countries).

    Tests build the countries they need with factories (codes and names of their own); the
    tests of the geography load it themselves (``tests/partners/test_geography.py``).
    Deleted without signals: no history or search rows are left behind.
    """
    from partners.models import Country, Region

    with django_db_blocker.unblock():
        for model in (Country, Region):
            model.objects.all()._raw_delete(model.objects.db)


@pytest.fixture(autouse=True)
def _reset_language():
    yield
    translation.activate("ru")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rolled-back rows do not bump the content version."""
    cache.clear()


@pytest.fixture
def redis_server():
    """``(location, a key prefix of its own)`` of a real Redis (``TEST_REDIS_URL``), emptied of its keys after."""
    redis = pytest.importorskip("redis")
    location = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    server = redis.Redis.from_url(location)
    try:
        server.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {location} (TEST_REDIS_URL)")
    prefix = f"portal-test-{uuid.uuid4().hex}"
    yield location, prefix
    for key in server.scan_iter(f"{prefix}:*"):  # never FLUSHDB: the server may be shared
        server.delete(key)


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


@pytest.fixture(scope="module")
def seed_in_database(django_db_setup, django_db_blocker):
    """The seed, loaded once for a module (each test still runs in its own rolled-back transaction).

    Afterwards the database is as before: the seeded records, their history (deletions included)
    and the countries and regions the seed added are removed; those the migrations made stay.
    """
    with django_db_blocker.unblock():
        kept = {model: list(model.objects.values_list("pk", flat=True)) for model in (Country, Region)}
        seed_load()
        yield
        for model in (SearchEntry, Event, Agreement, Partner, Society, Page, NewsItem):
            model.objects.all().delete()
        for model, pks in kept.items():
            model.objects.exclude(pk__in=pks).delete()
        for model in apps.get_models():
            if is_tracked(model):
                model.history.model.objects.all().delete()
