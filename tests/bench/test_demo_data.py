"""generate_demo_data: marked, reproducible, searchable, removable."""

import pytest
from django.core.management import call_command

from core.models import SearchEntry
from events.models import Event
from partners.models import Partner
from societies.models import Society
from tests.factories import make_country


@pytest.fixture
def world(db):
    return [make_country(), make_country()]


def snapshot():
    return list(Event.objects.order_by("source_key").values_list("source_key", "start_on", "start_precision", "kind"))


def test_one_seed_volume_is_marked_and_indexed(world):
    call_command("generate_demo_data", "--scale", "1", "--seed", "7")
    assert Partner.objects.filter(slug__startswith="demo-", name_ru__startswith="[демо]").count() == 64
    assert Event.objects.filter(source_key__startswith="demo-", title_en__startswith="[demo]").count() == 231
    assert Society.objects.filter(slug__startswith="demo-").count() == 9
    assert {1, 2, 3} == set(Event.objects.values_list("start_precision", flat=True))
    assert SearchEntry.objects.filter(kind="event").count() == 231 * 3
    assert SearchEntry.objects.filter(kind="agreement").count() == 74 * 3


def test_the_same_seed_gives_the_same_data_and_delete_removes_it(world):
    call_command("generate_demo_data", "--scale", "1", "--seed", "7")
    first = snapshot()
    call_command("generate_demo_data", "--scale", "1", "--seed", "7")
    assert snapshot() == first
    call_command("generate_demo_data", "--delete")
    assert not Partner.objects.exists() and not Event.objects.exists()
    assert not SearchEntry.objects.exclude(kind="country").exists()  # the countries are not synthetic


def test_demo_records_have_their_history_and_leave_none_behind(world):
    call_command("generate_demo_data", "--scale", "1", "--seed", "7")
    demo_events, demo_partners = (
        Event.history.filter(source_key__startswith="demo-"),
        Partner.history.filter(slug__startswith="demo-"),
    )
    assert demo_events.count() == 231
    assert demo_partners.count() == 64
    assert Event.objects.filter(last_day__isnull=True).count() == 0
    call_command("generate_demo_data", "--delete")
    assert not demo_events.exists() and not demo_partners.exists()
    assert not Society.history.filter(slug__startswith="demo-").exists()
